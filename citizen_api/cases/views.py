"""Rendering cases for the citizen, the staff and the public progress query."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.cases import address, offers
from citizen_api.cases import repository as repo
from citizen_api.cases.deadlines import warning_of
from citizen_api.cases.models import Application
from citizen_api.cases.offers import SUPPLEMENT_WITHOUT_TRANSITION
from citizen_api.cases.schemas import (
    CaseBrief,
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
from citizen_api.cases.transitions import OPEN, STATUS_TEXT

__all__ = ["SUPPLEMENT_WITHOUT_TRANSITION", "brief", "detail", "staff_summary", "summaries"]


def brief(case: Application) -> CaseBrief:
    return CaseBrief(
        id=case.id,
        number=case.number,
        item=CaseItemRef(code=case.item_code, name=case.item_name),
        status=case.status,
        status_text=STATUS_TEXT.get(case.status, case.status),
        submitted_at=case.submitted_at,
        deadline=case.deadline,
        warning=warning_of(case, clock.today()),
    )


def missing_overdue(case: Application, today: date) -> bool:
    """Owed materials (补正, 容缺) past their due date on a case still open (staff act on it)."""
    due = case.missing_due
    return bool(case.missing) and case.status in OPEN and due is not None and today > due


async def summaries(cases: list[Application], settings) -> list[CaseSummary]:
    """The citizen's list: each case with what the citizen may do now."""
    facts = await offers.facts_for(cases)
    now = clock.now()
    return [
        CaseSummary(**brief(case).model_dump(), actions=offers.citizen_actions(case, facts, settings, now))
        for case in cases
    ]


def staff_summary(case: Application) -> StaffCaseSummary:
    return StaffCaseSummary(
        **brief(case).model_dump(),
        department_code=case.department_code,
        accepted_on=case.accepted_on,
        calendar_uncertain=case.calendar_uncertain,
        missing_count=len(case.missing or []),
        missing_due=case.missing_due,
        missing_overdue=missing_overdue(case, clock.today()),
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


async def rating_of(case: Application):
    """The case's rating with its rectification, typed (the ratings domain renders it)."""
    from citizen_api.ratings.schemas import RatingView
    from citizen_api.ratings.service import rating_of_case

    found = await rating_of_case(case.id)
    return None if found is None else RatingView.model_validate(found)


def delivery_of(case: Application, settings) -> CaseDeliveryView | None:
    if not case.delivery_address_enc and not case.delivery_channel:
        return None
    return CaseDeliveryView(
        address=address.masked(case.delivery_address_enc, settings),
        channel=case.delivery_channel,
        company=case.delivery_company,
        waybill=case.delivery_waybill,
    )


async def detail_fields(case: Application, settings) -> dict:
    rating = await rating_of(case)
    facts = await offers.facts_for([case])
    return dict(
        brief(case).model_dump(),
        department_code=case.department_code,
        accepted_on=case.accepted_on,
        calendar_uncertain=case.calendar_uncertain,
        missing=await missing_of(case),
        missing_due=case.missing_due,
        missing_due_uncertain=case.missing_due_uncertain,
        missing_overdue=missing_overdue(case, clock.today()),
        timeline=await timeline_of(case),
        materials=await materials_of(case),
        delivery=delivery_of(case, settings),
        rating=rating,
        decided_at=case.decided_at,
        finished_at=case.finished_at,
        actions=offers.citizen_actions(case, facts, settings),
    )


async def detail(case: Application, settings) -> CaseDetail:
    return CaseDetail(**await detail_fields(case, settings))
