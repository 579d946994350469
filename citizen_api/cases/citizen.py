"""The citizen's side of a case: my cases, supplement (补正 / 容缺补交), withdraw, material reuse."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import agency, materials, views, workflow
from citizen_api.cases.models import Application
from citizen_api.cases.offers import SUPPLEMENT_WITHOUT_TRANSITION
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.schemas import (
    CaseDetail,
    CaseListQuery,
    CaseReusable,
    CaseReusableMaterial,
    CaseReusableUpload,
    CaseSupplement,
)
from citizen_api.cases.transitions import sources_of
from citizen_api.catalog import service as catalog
from citizen_api.errors import not_found
from citizen_api.http import Page
from citizen_api.http.schemas import Overlay
from citizen_api.http.validation import validation_error
from citizen_api.security.principal import Principal
from citizen_api.uploads import service as uploads

_NOT_FOUND = "未找到该办件"


async def _own(principal: Principal, case_id: int, *, lock: bool = False) -> Application:
    case = await repo.case_of_citizen(case_id, principal.user_id, lock=lock)
    if case is None:
        raise not_found(_NOT_FOUND)
    return case


async def my_cases(principal: Principal, query: CaseListQuery, settings) -> Page:
    """My cases, and those I filed as an agent while the authorisation is in force (agency.py)."""
    total, items = await agency.my_cases(principal, query, settings)
    summaries = await views.summaries(items, settings)
    for case, summary in zip(items, summaries, strict=True):
        if case.applicant_id != principal.user_id:
            summary.actions = []  # the agent reads; the applicant acts
    return Page(total=total, items=summaries)


async def my_case(principal: Principal, case_id: int, settings) -> CaseDetail:
    case = await agency.visible_case(principal, case_id, settings)
    if case is None:
        raise not_found(_NOT_FOUND)
    detail = await views.detail(case, settings)
    if case.applicant_id != principal.user_id:
        detail.actions = []  # the agent reads; the applicant acts
    return detail


async def withdraw(principal: Principal, case_id: int, settings, request_id: str = "") -> CaseDetail:
    case = await _own(principal, case_id)
    transition = workflow.check(case, "withdraw", principal)
    await workflow.commit(
        case,
        "withdraw",
        transition,
        principal,
        note="申请人撤回申请",
        changes={"finished_at": clock.now()},
        request_id=request_id,
    )
    return await views.detail(case, settings)


async def supplement(
    principal: Principal, case_id: int, body: CaseSupplement, settings, request_id: str = ""
) -> CaseDetail:
    """补正 (supplement_required → submitted) or 容缺补交 (owed materials, no status change)."""
    case = await _own(principal, case_id, lock=True)
    if case.status in sources_of("supplement"):
        transition = workflow.check(case, "supplement", principal)
    elif case.missing and case.status in SUPPLEMENT_WITHOUT_TRANSITION:
        transition = None
    else:
        raise workflow.invalid_transition(case.status, "supplement")

    table = await catalog.version_materials(case.item_version_id)
    materials.unknown_materials(body.materials, table)
    provided = {material_id for material_id, ids in body.materials.items() if ids}
    if not provided:
        raise validation_error({"body.materials": "请至少提交一项材料"})
    if transition is None and provided - set(case.missing):
        raise validation_error(
            {f"body.materials.{m}": "该材料不在待补交之列" for m in sorted(provided - set(case.missing))}
        )
    remaining = [m for m in case.missing if m not in provided]
    if transition is not None:
        owed = {m.id: m for m in table}
        blocking = [
            owed[m]
            for m in remaining
            if m in owed and not (owed[m].necessity == "tolerated" and case.tolerate_missing)
        ]
        if blocking:
            raise materials.missing_error(blocking)
    pairs, size, upload_ids = await materials.check_uploads(
        principal.user_id, body.materials, case.total_upload_bytes, settings.case_max_total_upload_bytes
    )
    await repo.add_materials(case.id, pairs)
    if upload_ids:
        await uploads.mark_attached(upload_ids)
    names = "、".join(m.name for m in table if m.id in provided)
    changes = {"missing": remaining, "total_upload_bytes": case.total_upload_bytes + size}
    if not remaining:  # nothing owed any more: no due date, no reminder
        changes.update(missing_due=None, missing_due_uncertain=False, missing_remind_on=None)
    if transition is not None:
        await workflow.commit(
            case,
            "supplement",
            transition,
            principal,
            note=f"补正材料：{names}",
            changes=changes,
            request_id=request_id,
        )
    else:
        await repo.update_case(case.id, **changes)
        for name, value in changes.items():
            setattr(case, name, value)
        await repo.add_timeline(
            case.id, principal, case.status, case.status, f"补交容缺材料：{names}", "materials"
        )
        await audit.record(
            principal,
            "case.supplement_materials",
            "application",
            case.id,
            {"number": case.number, "materials": sorted(provided), "remaining": remaining},
            request_id=request_id,
        )
    return await views.detail(case, settings)


async def reusable(principal: Principal, item_code: str) -> CaseReusable:
    """数据跑路: for each material of the item, the citizen's accepted uploads of the same kind."""
    item = await catalog.published_item(item_code)
    table = await catalog.version_materials(item.published_version_id)
    kinds = sorted({m.kind for m in table if m.kind})
    found = await repo.reusable_uploads(principal.user_id, kinds)
    return CaseReusable(
        item_code=item.code,
        materials=[
            CaseReusableMaterial(
                material_id=m.id,
                name=m.name,
                kind=m.kind,
                uploads=[
                    CaseReusableUpload.model_validate(Overlay(row.upload, case_number=row.application.number))
                    for row in found.get(m.kind, [])
                ],
            )
            for m in table
            if m.kind
        ],
    )
