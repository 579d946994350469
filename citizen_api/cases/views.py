"""Rendering cases for the citizen, the staff and the public progress query."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.cases import address
from citizen_api.cases import repository as repo
from citizen_api.cases.deadlines import warning_of
from citizen_api.cases.models import Application
from citizen_api.cases.schemas import (
    CaseDeliveryView,
    CaseDetail,
    CaseItemRef,
    CaseMaterialView,
    CaseMissing,
    CaseSummary,
    CaseTimelineEntry,
    CaseUploadRef,
    StaffCaseSummary,
)
from citizen_api.cases.transitions import STATUS_TEXT, allowed_from

# the citizen may add owed materials without a status change while the case is still open
SUPPLEMENT_WITHOUT_TRANSITION = ("submitted", "accepted", "suspended")


def summary(case: Application) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        number=case.number,
        item=CaseItemRef(code=case.item_code, name=case.item_name),
        status=case.status,
        status_text=STATUS_TEXT.get(case.status, case.status),
        submitted_at=case.submitted_at,
        deadline=case.deadline,
        warning=warning_of(case, clock.today()),
    )


def staff_summary(case: Application) -> StaffCaseSummary:
    return StaffCaseSummary(
        **summary(case).model_dump(),
        department_code=case.department_code,
        accepted_on=case.accepted_on,
        calendar_uncertain=case.calendar_uncertain,
        missing_count=len(case.missing or []),
    )


async def missing_of(case: Application) -> list[CaseMissing]:
    materials = await repo.materials_by_id(case.missing or [])
    return [
        CaseMissing(id=m.id, name=m.name, tolerable=m.necessity == "tolerated")
        for m in sorted(materials.values(), key=lambda m: (m.position, m.id))
    ]


async def timeline_of(case: Application) -> list[CaseTimelineEntry]:
    return [
        CaseTimelineEntry(
            status=entry.to_status,
            status_text=STATUS_TEXT.get(entry.to_status, entry.to_status),
            at=entry.at,
            note=entry.note,
            kind=entry.kind,
        )
        for entry in await repo.timeline(case.id)
    ]


async def materials_of(case: Application) -> list[CaseMaterialView]:
    grouped: dict[int, CaseMaterialView] = {}
    for row in await repo.submitted_materials(case.id):
        view = grouped.setdefault(
            row.material_id, CaseMaterialView(material_id=row.material_id, name=row.material.name, uploads=[])
        )
        view.uploads.append(
            CaseUploadRef(
                id=row.upload.id,
                filename=row.upload.filename,
                content_type=row.upload.content_type,
                size=row.upload.size,
            )
        )
    return list(grouped.values())


def delivery_of(case: Application, settings) -> CaseDeliveryView | None:
    if not case.delivery_address_enc and not case.delivery_channel:
        return None
    return CaseDeliveryView(
        address=address.masked(case.delivery_address_enc, settings),
        channel=case.delivery_channel,
        company=case.delivery_company,
        waybill=case.delivery_waybill,
    )


def citizen_actions(case: Application) -> list[str]:
    actions = [a for a in allowed_from(case.status, "citizen")]
    if case.missing and case.status in SUPPLEMENT_WITHOUT_TRANSITION and "supplement" not in actions:
        actions.append("supplement")
    return actions


async def detail_fields(case: Application, settings) -> dict:
    return dict(
        summary(case).model_dump(),
        department_code=case.department_code,
        accepted_on=case.accepted_on,
        calendar_uncertain=case.calendar_uncertain,
        missing=await missing_of(case),
        missing_due=case.missing_due,
        timeline=await timeline_of(case),
        materials=await materials_of(case),
        delivery=delivery_of(case, settings),
        rating=None,  # TODO(issue 7): the ratings domain fills this in
        decided_at=case.decided_at,
        finished_at=case.finished_at,
        actions=citizen_actions(case),
    )


async def detail(case: Application, settings) -> CaseDetail:
    return CaseDetail(**await detail_fields(case, settings))
