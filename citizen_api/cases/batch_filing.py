"""Filing several cases at once: a bundle's children (一件事一次办, ``citizen_api.bundles``).

Each case is checked and recorded exactly as ``submission.submit`` checks and records one — who files
it (代办), the applicant's profile, its item's materials (容缺 and its due date), the e-licence hooks,
the uploads' owner and the size cap, the delivery address, its own department's number, the search
keys, the timeline, the citizen's message (held back for a bundle's children), the audit, the item's
application count — but what the cases share is read once (the applicant, the uploads, the items'
published versions: immutable, so the catalog keeps them) and the rows of all of them are written
together: one statement for their ids, one for their numbers (every department's counter at once),
one each for the cases, the materials, the timeline, the messages and the audit rows.

The counter rows (and the items' application counts) stay locked until the filing commits, as a
single submission's do: they are taken after every check and every write that does not need them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from citizen_api import clock, db
from citizen_api.audit import service as audit
from citizen_api.cases import actions, agency, deadlines, hooks, materials, numbers
from citizen_api.cases.models import Application
from citizen_api.cases.repository import bulk as repo
from citizen_api.cases.schemas import CaseSubmit
from citizen_api.cases.submission import (
    applicant_profile,
    case_row,
    checked_delivery,
    checked_materials,
    tolerated_note,
)
from citizen_api.cases.transitions import INITIAL
from citizen_api.cases.workflow import notify_citizens
from citizen_api.catalog import service as catalog
from citizen_api.catalog.schemas import CatalogItem, CatalogMaterial, CatalogVersion
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.uploads import service as uploads
from citizen_api.users.schemas import Applicant


@dataclass
class _Checked:
    """One case as it will be written: everything ``submission.submit`` checks, already checked."""

    body: CaseSubmit
    filing: agency.Filing
    applicant: Applicant
    item: CatalogItem
    version: CatalogVersion
    tolerated: list[CatalogMaterial]
    pairs: list[tuple[int, int]]
    size: int
    upload_ids: list[int]
    delivery: dict[str, Any] | None


@dataclass
class Checked:
    """Cases checked by :func:`check`, written by :func:`file` (nothing is written before)."""

    principal: Principal
    settings: Any
    cases: list[_Checked]


@dataclass
class Filed:
    cases: list[Application]  # in the order of the bodies
    parent_id: int | None = None  # the bundle application's id and number, taken with the children's
    parent_number: str | None = None


async def _published_items(codes: list[str]) -> list[CatalogItem]:
    found = {item.code: item for item in await catalog.items_by_codes(codes)}
    items = [found.get(code) for code in codes]
    if any(item is None or not item.is_published or item.published_version_id is None for item in items):
        raise ApiError(404, "NOT_FOUND", catalog.ITEM_NOT_FOUND)
    return items  # type: ignore[return-value]


async def check(
    principal: Principal,
    bodies: Sequence[CaseSubmit],
    settings,
    items: Sequence[CatalogItem] | None = None,
) -> Checked:
    """Every check of ``submission.submit`` for each body, in its order (the first failing case answers
    as it would alone). ``items``: the bodies' published items when the caller has just read them."""
    filings = [await agency.citizen_filing(principal, b.on_behalf_of, b.item_code, settings) for b in bodies]
    applicants: dict[int, Applicant] = {}
    for filing in filings:
        if filing.applicant.user_id not in applicants:
            applicants[filing.applicant.user_id] = await applicant_profile(filing.applicant, settings)
    items = list(items) if items is not None else await _published_items([b.item_code for b in bodies])
    filed = await catalog.filed_versions(item.published_version_id for item in items)
    wanted: dict[int, set[int]] = {}
    for body, filing in zip(bodies, filings, strict=True):
        wanted.setdefault(filing.uploads_owner, set()).update(materials.requested_uploads(body.materials))
    owned = {
        owner: {u.id: u for u in await uploads.owned_uploads(owner, ids)} if ids else {}
        for owner, ids in wanted.items()
    }
    checked = []
    for body, filing, item in zip(bodies, filings, items, strict=True):
        if item.published_version_id not in filed:
            raise ApiError(404, "NOT_FOUND", catalog.ITEM_NOT_FOUND)
        version, table = filed[item.published_version_id]
        owned_here = owned[filing.uploads_owner]
        tolerated, pairs, size, upload_ids = await checked_materials(
            principal, body, table, owned_here, settings
        )
        delivery = checked_delivery(body, version)
        applicant = applicants[filing.applicant.user_id]
        checked.append(
            _Checked(body, filing, applicant, item, version, tolerated, pairs, size, upload_ids, delivery)
        )
    return Checked(principal, settings, checked)


def _row(case: _Checked, case_id: int, number: str, due: dict[str, Any], settings) -> dict[str, Any]:
    """The case row, as ``submission.submit`` writes it, with the id taken beforehand."""
    return {
        "id": case_id,
        **case_row(number, case.applicant, case.item, case.version, case.filing, case.tolerated, case.size,
                   case.delivery, due, settings),
    }  # fmt: skip


async def file(checked: Checked, request_id: str = "", *, parent_prefix: str | None = None) -> Filed:
    """Write the checked cases. With ``parent_prefix`` they are the children of a bundle application
    whose id (of the cases' sequence, ``/applications/{id}``) and number (of that prefix) are taken
    with theirs; the caller writes the bundle's own row."""
    principal, settings, planned = checked.principal, checked.settings, checked.cases
    ids = await repo.reserve_application_ids(len(planned) + (1 if parent_prefix else 0))
    parent_id = ids.pop(0) if parent_prefix else None
    attached = sorted({upload_id for case in planned for upload_id in case.upload_ids})
    if attached:
        await uploads.mark_attached(attached)
    today = clock.today()
    due: dict[str, Any] = {}
    if any(case.tolerated for case in planned):
        materials_due = await deadlines.materials_due(
            today, settings.tolerated_days, settings.supplement_reminder_working_days
        )
        due = actions.due_columns(materials_due)
    wanted: dict[str, int] = {parent_prefix: 1} if parent_prefix else {}
    for case in planned:
        wanted[case.item.department.code] = wanted.get(case.item.department.code, 0) + 1
    taken = {code: iter(found) for code, found in (await numbers.next_numbers(wanted, today)).items()}
    parent_number = next(taken[parent_prefix]) if parent_prefix else None
    rows = [
        {**_row(case, case_id, next(taken[case.item.department.code]), due, settings), "bundle_id": parent_id}
        for case, case_id in zip(planned, ids, strict=True)
    ]
    cases = await repo.create_cases(rows)
    await repo.add_first_materials({case.id: plan.pairs for case, plan in zip(cases, planned, strict=True)})
    notes = [tolerated_note(case) for case in cases]
    await repo.add_entries(
        [
            {
                "application_id": case.id,
                "at": clock.now(),
                "actor_id": principal.user_id,
                "actor_role": principal.role,
                "kind": "status",
                "from_status": None,
                "to_status": INITIAL,
                "note": note,
            }
            for case, note in zip(cases, notes, strict=True)
        ]
    )
    for case, plan in zip(cases, planned, strict=True):
        await hooks.run_submitted_hooks(case, plan.body, principal, settings)  # issue 17: consents, form
    await notify_citizens(list(zip(cases, notes, strict=True)), "case.submitted")
    await audit.record_many(
        principal,
        [
            (
                "case.submit",
                "application",
                case.id,
                {"number": case.number, "item": case.item_code, "tolerated": list(case.missing)},
            )
            for case in cases
        ],
        request_id=request_id,
    )
    # the items' application counts (a ranking figure, one row per item that every filer of the item
    # updates): after the commit, so that concurrent filings do not queue on those rows until it
    item_ids = [plan.item.id for plan in planned]
    await db.after_commit(lambda: catalog.record_applications(item_ids))
    for case, plan in zip(cases, planned, strict=True):
        await agency.after_filing(plan.filing, principal, case, settings, request_id)
    return Filed(cases, parent_id, parent_number)
