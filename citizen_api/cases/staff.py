"""The staff side: the scoped case list, the audited detail, and the actions of the table."""

from __future__ import annotations

from typing import Any

from starlette.responses import StreamingResponse

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import actions, address, staff_views, step_views, views, workflow
from citizen_api.cases.deadlines import warning_of
from citizen_api.cases.models import Application
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.repository import staff as staff_repo
from citizen_api.cases.schemas import CaseTransitioned
from citizen_api.cases.schemas_staff import (
    CaseApplicantView,
    CaseItemVersionRef,
    CaseRevealed,
    CaseRevealRequest,
    StaffCaseCounts,
    StaffCaseDetail,
    StaffCaseQuery,
)
from citizen_api.cases.transitions import STATUS_TEXT, STATUSES, allowed_from
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError, not_found
from citizen_api.http import Page
from citizen_api.http.schemas import Overlay
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_id_number, mask_name, mask_phone
from citizen_api.security.principal import APPROVER, WINDOW, Principal
from citizen_api.uploads import service as uploads_service

# who may see a case's personal data in full: the staff handling it, i.e. the window clerks and
# approvers of its department. Supervisors and admins oversee every department but handle no case
# (no transition of the table is theirs to take as handlers of the file): they see the masked detail.
HANDLER_ROLES = frozenset({WINDOW, APPROVER})
REVEALED_FIELDS = ["name", "id_number", "phone", "delivery_address"]


async def _scoped(principal: Principal, case_id: int, *, lock: bool = False) -> Application:
    case = await repo.find_case(case_id, lock=lock)
    # another department's case does not exist for this clerk
    if case is None or not principal.may_see_department(case.department_code):
        raise not_found("未找到该办件")
    return case


async def list_cases(principal: Principal, query: StaffCaseQuery, settings) -> Page:
    total, items = await staff_repo.staff_cases(principal, query, clock.today(), settings)
    return Page(total=total, items=await staff_views.summaries(items, settings))


async def counts(principal: Principal) -> StaffCaseCounts:
    """The inbox badges: every status of the table (0 included) and the warning colours, in scope."""
    per_status, yellow, red = await staff_repo.staff_counts(principal, clock.today())
    return StaffCaseCounts(
        **{status: per_status.get(status, 0) for status in STATUSES}, warning_yellow=yellow, warning_red=red
    )


def _applicant(case: Application, settings) -> CaseApplicantView:
    cipher = cipher_for(settings)
    return CaseApplicantView(
        name=cipher.decrypt(case.applicant_name_enc),
        id_number=cipher.decrypt(case.applicant_id_number_enc),
        phone=cipher.decrypt(case.applicant_phone_enc),
    )


async def _item_version(case: Application) -> CaseItemVersionRef:
    version = await catalog.version_info(case.item_version_id)
    return CaseItemVersionRef(id=case.item_version_id, version=version.version if version else 0)


async def case_detail(principal: Principal, case_id: int, settings, request_id: str = "") -> StaffCaseDetail:
    """The detail with the applicant masked for every role, like every other view (``reveal``); the
    materials table carries a signed preview link per file, issued once per view and on the record."""
    case = await _scoped(principal, case_id)
    full = _applicant(case, settings)
    await audit.record(
        principal,
        "case.read_detail",
        "application",
        case.id,
        {"number": case.number, "masked": True},
        request_id=request_id,
    )
    materials, previewed = await staff_views.materials_table(case, settings)
    consent = await staff_views.point_consent(case, settings)
    if consent is not None:
        previewed = [*previewed, consent.signature_upload_id]
    if previewed:
        await audit.record(
            principal,
            "case.issue_previews",
            "application",
            case.id,
            {"number": case.number, "upload_ids": previewed, "seconds": settings.preview_link_seconds},
            request_id=request_id,
        )
    actions_now = allowed_from(case.status, principal.role)
    values = {
        **await views.detail_values(case, settings),
        "materials": materials,
        "timeline": await staff_views.timeline(case),
        "steps": await step_views.step_views(case),
    }
    return StaffCaseDetail.model_validate(
        Overlay(
            case,
            **values,
            applicant=CaseApplicantView(
                name=mask_name(full.name),
                id_number=mask_id_number(full.id_number),
                phone=mask_phone(full.phone),
            ),
            delivery_address=address.masked(case.delivery_address_enc, settings),
            item_version=await _item_version(case),
            allowed_actions=actions_now,
            staff_actions=actions_now,
            point_consent=consent,
        )
    )


def handles(principal: Principal, case: Application) -> bool:
    return principal.role in HANDLER_ROLES and principal.department == case.department_code


async def reveal(
    principal: Principal, case_id: int, body: CaseRevealRequest, settings, request_id: str = ""
) -> CaseRevealed:
    """The applicant's full identity and the delivery address, to the staff handling the case;
    every reveal is on the record (who, which case, which fields, why)."""
    case = await _scoped(principal, case_id)
    if not handles(principal, case):
        raise ApiError(
            403,
            "FORBIDDEN",
            "仅承办本办件的窗口或审批工作人员可以查看完整的个人信息",
            {"role": principal.role},
        )
    full = _applicant(case, settings)
    await audit.record(
        principal,
        "case.reveal_personal_data",
        "application",
        case.id,
        {"number": case.number, "fields": REVEALED_FIELDS, "reason": body.reason},
        request_id=request_id,
    )
    return CaseRevealed(
        id=case.id,
        number=case.number,
        name=full.name,
        id_number=full.id_number,
        phone=full.phone,
        delivery_address=address.load(case.delivery_address_enc, settings),
    )


async def record_refused_reveal(
    principal: Principal, case_id: int, body: CaseRevealRequest, request_id: str = ""
) -> None:
    """A refused reveal of a case the staff member can see is on the record too."""
    case = await _scoped(principal, case_id)
    await audit.record(
        principal,
        "case.reveal_personal_data",
        "application",
        case.id,
        {"number": case.number, "refused": True, "reason": body.reason},
        request_id=request_id,
    )


async def material_content(
    principal: Principal, case_id: int, upload_id: int, storage, request_id: str = ""
) -> StreamingResponse:
    """One file handed in for a case in the clerk's scope; a material is personal data: audited."""
    case = await _scoped(principal, case_id)
    if not await repo.has_upload(case.id, upload_id):
        raise not_found("未找到该材料")
    await audit.record(
        principal,
        "case.read_material",
        "application",
        case.id,
        {"number": case.number, "upload_id": upload_id},
        request_id=request_id,
    )
    return await uploads_service.staff_open(upload_id, storage)


async def act(
    principal: Principal, case_id: int, action: str, body: Any, settings, request_id: str = ""
) -> CaseTransitioned:
    case = await _scoped(principal, case_id, lock=True)
    transition = workflow.check(case, action, principal)
    effect = await actions.EFFECTS[action](case, body, settings, principal)
    if effect.stays:
        await audit.record(
            principal, f"case.{action}", "application", case.id,
            {"number": case.number, "from": case.status, "to": case.status, "note": effect.note},
            request_id=request_id,
        )  # fmt: skip
        await repo.reload(case)  # the hooks changed its columns
    else:
        await workflow.commit(
            case, action, transition, principal, note=effect.note, changes=effect.changes,
            request_id=request_id,
        )  # fmt: skip
    for step in effect.after:
        await step()
    return CaseTransitioned.model_validate(
        Overlay(
            case,
            status_text=STATUS_TEXT.get(case.status, case.status),
            warning=warning_of(case, clock.today()),
        )
    )
