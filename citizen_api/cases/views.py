"""Rendering cases for the citizen and the staff: the case row maps onto the schemas
(``from_attributes``); what is computed — the warning of today, texts, the citizen's actions, the
timeline, the rating — is named explicitly beside it."""

from __future__ import annotations

from datetime import date
from typing import Any

from citizen_api import clock
from citizen_api.cases import address, agency, offers
from citizen_api.cases.deadlines import warning_of
from citizen_api.cases.models import Application
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.schemas import (
    CaseDeliveryView,
    CaseDetail,
    CaseItemRef,
    CaseMaterialView,
    CaseMissing,
    CaseSummary,
    CaseTimelineEntry,
    CaseUploadRef,
)
from citizen_api.cases.transitions import OPEN, STATUS_TEXT
from citizen_api.catalog import service as catalog
from citizen_api.http.schemas import Overlay
from citizen_api.ratings import service as ratings


def brief(case: Application, today: date) -> dict[str, Any]:
    """The computed part of ``CaseBrief`` (its other fields are the row's)."""
    return {
        "item": CaseItemRef(code=case.item_code, name=case.item_name),
        "status_text": STATUS_TEXT.get(case.status, case.status),
        "warning": warning_of(case, today),
    }


def missing_overdue(case: Application, today: date) -> bool:
    """Owed materials (补正, 容缺) past their due date on a case still open (staff act on it)."""
    due = case.missing_due
    return bool(case.missing) and case.status in OPEN and due is not None and today > due


async def summaries(cases: list[Application], settings) -> list[CaseSummary]:
    """The citizen's list: each case with what the citizen may do now."""
    facts = await offers.facts_for(cases)
    now = clock.now()
    today = clock.to_local(now).date()
    return [
        CaseSummary.model_validate(
            Overlay(
                case,
                **brief(case, today),
                actor=agency.actor_of(case, settings),
                actions=offers.citizen_actions(case, facts, settings, now),
            )
        )
        for case in cases
    ]


async def missing_of(case: Application) -> list[CaseMissing]:
    materials = await catalog.materials_by_id(case.missing or [])
    return [
        CaseMissing.model_validate(Overlay(m, tolerable=m.necessity == "tolerated"))
        for m in sorted(materials.values(), key=lambda m: (m.position, m.id))
    ]


async def timeline_of(case: Application) -> list[CaseTimelineEntry]:
    return [
        CaseTimelineEntry.model_validate(
            Overlay(entry, status_text=STATUS_TEXT.get(entry.to_status, entry.to_status))
        )
        for entry in await repo.timeline(case.id)
    ]


async def materials_of(case: Application) -> list[CaseMaterialView]:
    grouped: dict[int, CaseMaterialView] = {}
    for row in await repo.submitted_materials(case.id):
        view = grouped.setdefault(
            row.material_id, CaseMaterialView(material_id=row.material_id, name=row.material.name, uploads=[])
        )
        view.uploads.append(CaseUploadRef.model_validate(row.upload))
    return list(grouped.values())


def delivery_of(case: Application, settings) -> CaseDeliveryView | None:
    if not case.delivery_address_enc and not case.delivery_channel:
        return None
    return CaseDeliveryView.model_validate(
        Overlay(case, address=address.masked(case.delivery_address_enc, settings))
    )


async def detail_values(case: Application, settings) -> dict[str, Any]:
    """The computed part of ``CaseDetail`` (the staff detail adds its own to it)."""
    facts = await offers.facts_for([case])
    today = clock.today()
    return {
        **brief(case, today),
        "actions": offers.citizen_actions(case, facts, settings),
        "missing": await missing_of(case),
        "missing_overdue": missing_overdue(case, today),
        "timeline": await timeline_of(case),
        "materials": await materials_of(case),
        "delivery": delivery_of(case, settings),
        "rating": await ratings.rating_of_case(case.id),
        "actor": agency.actor_of(case, settings),  # who filed it for the applicant (代办 / 帮办)
    }


async def detail(case: Application, settings) -> CaseDetail:
    values = await detail_values(case, settings)
    return CaseDetail.model_validate(Overlay(case, **values, applicant=agency.applicant_of(case, settings)))
