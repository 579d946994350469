"""Every query of the cases domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from tortoise.expressions import Q

from citizen_api import clock
from citizen_api.cases.models import Application, ApplicationMaterial, SupervisionWarning, TimelineEntry
from citizen_api.catalog.models import Material
from citizen_api.security.principal import Principal, scope_to_department


async def case_of_citizen(case_id: int, user_id: int) -> Application | None:
    return await Application.get_or_none(id=case_id, applicant_id=user_id)


async def case_for_staff(case_id: int, principal: Principal) -> Application | None:
    return await scope_to_department(Application.filter(id=case_id), principal).first()


async def citizen_cases(user_id: int, status: str | None, offset: int, limit: int):
    query = Application.filter(applicant_id=user_id)
    if status:
        query = query.filter(status=status)
    total = await query.count()
    items = await query.order_by("-submitted_at", "-id").offset(offset).limit(limit)
    return total, items


def warning_filter(level: str, today: date) -> Q:
    """The warning a user sees, in SQL: dates for running clocks, the frozen value while suspended."""
    if level == "red":
        return Q(status="accepted", deadline__lt=today) | Q(status="suspended", warning="red")
    if level == "yellow":
        return Q(status="accepted", deadline__gte=today, yellow_on__lte=today) | Q(
            status="suspended", warning="yellow"
        )
    return (
        Q(status__not_in=["accepted", "suspended"])
        | Q(status="accepted", yellow_on__gt=today)
        | Q(status="suspended", warning="none")
    )


def staff_query(principal: Principal, filters: Any, today: date):
    query = scope_to_department(Application.all(), principal)
    if filters.department:
        query = query.filter(department_code=filters.department)
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.warning:
        query = query.filter(warning_filter(filters.warning, today))
    if filters.number:
        query = query.filter(number=filters.number)
    if filters.calendar_uncertain is not None:
        query = query.filter(calendar_uncertain=filters.calendar_uncertain)
    return query


async def staff_cases(principal: Principal, filters: Any, today: date):
    query = staff_query(principal, filters, today)
    total = await query.count()
    items = await query.order_by("-id").offset(filters.offset).limit(filters.size)
    return total, items


async def timeline(case_id: int) -> list[TimelineEntry]:
    return await TimelineEntry.filter(application_id=case_id).order_by("at", "id")


async def add_timeline(
    case_id: int, actor: Principal | None, from_status: str | None, to_status: str, note: str, kind="status"
) -> None:
    await TimelineEntry.create(
        application_id=case_id,
        at=clock.now(),
        actor_id=actor.user_id if actor else None,
        actor_role=actor.role if actor else "system",
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


async def submitted_materials(case_id: int) -> list[ApplicationMaterial]:
    return (
        await ApplicationMaterial.filter(application_id=case_id)
        .select_related("material", "upload")
        .order_by("material__position", "material_id", "id")
    )


async def add_materials(case_id: int, pairs: Iterable[tuple[int, int]]) -> None:
    rows = [ApplicationMaterial(application_id=case_id, material_id=m, upload_id=u) for m, u in pairs]
    if rows:
        await ApplicationMaterial.bulk_create(rows)


async def accept_materials(case_id: int) -> None:
    await ApplicationMaterial.filter(application_id=case_id, status="submitted").update(status="accepted")


async def materials_by_id(ids: Iterable[int]) -> dict[int, Material]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {m.id: m for m in await Material.filter(id__in=ids)}


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


async def record_warning(case: Application, level: str) -> bool:
    """Write the (case, level) warning once; True when this call wrote it."""
    before = await SupervisionWarning.filter(application_id=case.id, level=level).exists()
    if before:
        return False
    await SupervisionWarning.bulk_create(
        [
            SupervisionWarning(
                application_id=case.id,
                level=level,
                department_code=case.department_code,
                deadline=case.deadline,
            )
        ],
        ignore_conflicts=True,
    )
    return True
