"""The queries of one case: finding it, filing it, moving it, its materials and its timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tortoise import connections
from tortoise.functions import Count

from citizen_api import clock
from citizen_api.cases.models import Application, ApplicationMaterial, TimelineEntry
from citizen_api.cases.transitions import OPEN
from citizen_api.security.principal import Principal

# -- finding cases


async def case_of_citizen(case_id: int, user_id: int, *, lock: bool = False) -> Application | None:
    """The citizen's own case (row-locked until commit with ``lock``); None for anyone else's."""
    query = Application.filter(id=case_id, applicant_id=user_id)
    if lock:
        query = query.select_for_update()
    return await query.first()


async def find_case(case_id: int, *, lock: bool = False) -> Application | None:
    query = Application.filter(id=case_id)
    if lock:
        query = query.select_for_update()
    return await query.first()


async def reload(case: Application) -> None:
    """Read ``case``'s columns again (in place)."""
    await case.refresh_from_db()


async def case_by_id(case_id: int) -> Application:
    return await Application.get(id=case_id)


async def cases_by_id(case_ids: Iterable[int]) -> dict[int, Application]:
    ids = list(set(case_ids))
    return {case.id: case for case in await Application.filter(id__in=ids)} if ids else {}


async def case_by_number(number: str) -> Application | None:
    return await Application.get_or_none(number=number)


async def case_numbers(case_ids: Iterable[int]) -> dict[int, str]:
    ids = list(set(case_ids))
    if not ids:
        return {}
    return dict(await Application.filter(id__in=ids).values_list("id", "number"))


async def citizen_cases(
    user_id: int, status: str | None, offset: int, limit: int, *, standalone: bool = False
):
    """The citizen's cases, newest first; ``standalone``: without bundle children (listed in their bundle)."""
    query = Application.filter(applicant_id=user_id)
    if standalone:
        query = query.filter(bundle_id__isnull=True)
    if status:
        query = query.filter(status=status)
    total = await query.count()
    items = await query.order_by("-submitted_at", "-id").offset(offset).limit(limit)
    return total, items


# -- filing and changing a case


async def reserve_application_id() -> int:
    """An id of the cases' sequence that no case will ever take: a bundle application (citizen_api.bundles)
    is addressed at ``/applications/{id}`` beside cases, so it takes its id from the same sequence."""
    conn = connections.get("default")
    if getattr(conn.capabilities, "dialect", "") == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT nextval(pg_get_serial_sequence('applications', 'id')) AS id"
        )
        return int(rows[0]["id"])
    # SQLite: the table is AUTOINCREMENT, so ids come from sqlite_sequence and are never reused
    await conn.execute_query(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'applications', "
        "(SELECT COALESCE(MAX(id), 0) FROM applications) "
        "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'applications')"
    )
    rows = await conn.execute_query_dict(
        "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'applications' RETURNING seq"
    )
    return int(rows[0]["seq"])


async def bundle_children(bundle_ids: Iterable[int]) -> list[Application]:
    """The child cases of bundle applications, in filing order."""
    ids = list(set(bundle_ids))
    return await Application.filter(bundle_id__in=ids).order_by("id") if ids else []


_UPSERT = (
    "INSERT INTO case_number_counters (prefix, day, value) VALUES ({p1}, {p2}, 1) "
    "ON CONFLICT (prefix, day) DO UPDATE SET value = case_number_counters.value + 1 "
    "RETURNING value"
)


async def next_sequence(prefix: str, day: str) -> int:
    """The next number of (prefix, day) as one atomic upsert on its counter row (see ``numbers.py``)."""
    conn = connections.get("default")
    dialect = getattr(conn.capabilities, "dialect", "")
    placeholders = ("$1", "$2") if dialect == "postgres" else ("?", "?")
    # execute_query_dict fetches rows (execute_query discards them for INSERT on asyncpg)
    rows = await conn.execute_query_dict(
        _UPSERT.format(p1=placeholders[0], p2=placeholders[1]), [prefix, day]
    )
    return rows[0]["value"]


async def create_case(**values: Any) -> Application:
    return await Application.create(**values)


async def update_case(case_id: int, **changes: Any) -> None:
    """Columns that do not change the status (a status goes through :func:`move_status`)."""
    await Application.filter(id=case_id).update(**changes)


async def move_status(case_id: int, sources: Iterable[str], **values: Any) -> bool:
    """``UPDATE … WHERE id = ? AND status IN (sources)``: False when someone moved the case first."""
    moved = await Application.filter(id=case_id, status__in=list(sources)).update(**values)
    return moved == 1


async def set_delivery_address(case_id: int, stored: str | None) -> None:
    await Application.filter(id=case_id).update(delivery_address_enc=stored)


async def set_posted(case_id: int, company: str, waybill: str) -> None:
    await Application.filter(id=case_id).update(
        delivery_channel="post", delivery_company=company, delivery_waybill=waybill
    )


async def set_in_locker(case_id: int) -> None:
    await Application.filter(id=case_id).update(
        delivery_channel="locker", delivery_company=None, delivery_waybill=None
    )


async def set_at_point(case_id: int) -> None:
    await Application.filter(id=case_id).update(
        delivery_channel="point", delivery_company=None, delivery_waybill=None
    )


async def mailed_cases(case_ids: Iterable[int]) -> set[int]:
    """Cases whose result was handed to the courier (the address can no longer change): the delivery
    domain records the post on the case (``service.record_posted_result``) when it ships the result."""
    ids = list(set(case_ids))
    if not ids:
        return set()
    rows = await Application.filter(
        id__in=ids, delivery_channel="post", delivery_waybill__isnull=False
    ).values_list("id", flat=True)
    return set(rows)


# -- the timeline


async def timeline(case_id: int) -> list[TimelineEntry]:
    return await TimelineEntry.filter(application_id=case_id).order_by("at", "id")


async def add_timeline(
    case_id: int, actor: Principal | None, from_status: str | None, to_status: str, note: str, kind="status"
) -> None:
    await add_entry(
        case_id,
        actor.user_id if actor else None,
        actor.role if actor else "system",
        from_status,
        to_status,
        note,
        kind,
    )


async def add_entry(
    case_id: int,
    actor_id: int | None,
    actor_role: str,
    from_status: str | None,
    to_status: str,
    note: str,
    kind: str = "status",
) -> None:
    await TimelineEntry.create(
        application_id=case_id,
        at=clock.now(),
        actor_id=actor_id,
        actor_role=actor_role,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


# -- materials handed in


async def submitted_materials(case_id: int) -> list[ApplicationMaterial]:
    return (
        await ApplicationMaterial.filter(application_id=case_id)
        .select_related("material", "upload")
        .order_by("material__position", "material_id", "id")
    )


async def add_materials(case_id: int, pairs: Iterable[tuple[int, int]]) -> None:
    """The files of one hand-in (the submission, then each supplement: the next ``batch``); the case
    row is locked by the caller, so two hand-ins never share a batch."""
    pairs = list(pairs)
    if not pairs:
        return
    last = await ApplicationMaterial.filter(application_id=case_id).order_by("-batch").first()
    batch = 0 if last is None else last.batch + 1
    rows = [
        ApplicationMaterial(application_id=case_id, material_id=material, upload_id=upload, batch=batch)
        for material, upload in pairs
    ]
    await ApplicationMaterial.bulk_create(rows)


async def accept_materials(case_id: int) -> None:
    await ApplicationMaterial.filter(application_id=case_id, status="submitted").update(status="accepted")


async def has_upload(case_id: int, upload_id: int) -> bool:
    return await ApplicationMaterial.filter(application_id=case_id, upload_id=upload_id).exists()


async def reusable_uploads(user_id: int, kinds: list[str], per_kind: int = 5) -> dict[str, list]:
    """The citizen's uploads accepted in earlier cases, newest first, by material kind."""
    if not kinds:
        return {}
    rows = (
        await ApplicationMaterial.filter(
            application__applicant_id=user_id, status="accepted", material__kind__in=kinds
        )
        .select_related("material", "upload", "application")
        .order_by("-id")
        .limit(500)
    )
    found: dict[str, list] = {}
    seen: set[tuple[str, int]] = set()
    for row in rows:
        kind = row.material.kind
        if (kind, row.upload_id) in seen or len(found.get(kind, [])) >= per_kind:
            continue
        seen.add((kind, row.upload_id))
        found.setdefault(kind, []).append(row)
    return found


# -- the supplement reminder (reminders.py)


async def due_reminders(remind_day: date, today: date, limit: int) -> list[Application]:
    """Open cases whose reminder day has come, not yet reminded, whose due date has not passed."""
    return (
        await Application.filter(
            status__in=list(OPEN),
            missing_reminded=False,
            missing_remind_on__lte=remind_day,
            missing_due__gte=today,
        )
        .order_by("id")
        .limit(limit)
    )


async def mark_reminded(case: Application) -> bool:
    """Claim the reminder of ``case`` for its current due date (False: another run took it)."""
    claimed = await Application.filter(
        id=case.id, missing_reminded=False, missing_due=case.missing_due
    ).update(missing_reminded=True)
    return claimed == 1


# -- for the ratings domain (through cases.service and its port)


async def unrated_done(statuses: Iterable[str], before: datetime, limit: int) -> list[Application]:
    """Decided before ``before``, never rated, oldest first (``rating`` is the ratings' reverse relation)."""
    return (
        await Application.filter(status__in=list(statuses), decided_at__lt=before, rating__id__isnull=True)
        .order_by("decided_at", "id")
        .limit(limit)
    )


async def done_counts(
    statuses: Iterable[str], lo: datetime, hi: datetime, department: str | None
) -> dict[str, int]:
    """Cases decided in [lo, hi) and still in ``statuses``, by department."""
    scope = {"department_code": department} if department else {}
    rows = await (
        Application.filter(status__in=list(statuses), decided_at__gte=lo, decided_at__lt=hi, **scope)
        .annotate(n=Count("id"))
        .group_by("department_code")
        .values("department_code", "n")
    )
    return {row["department_code"]: row["n"] for row in rows}
