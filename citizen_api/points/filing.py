"""村级代办: a village point's 代办员 files a case for a villager present, with the villager's consent.

The case is filed as the window's 帮办 files one (``cases.service.file_at_point``: the same account
lookup, materials check, number, deadline rules, messages), to the item's responsible department,
``filed_by = village_agent`` with the agent as the actor. The consent is a signature image the
villager drew on the agent's tablet (uploaded by the agent, PNG or JPEG), kept with the time and the
agent beside the case and shown in the staff case detail.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.appointments import service as appointments
from citizen_api.audit import service as audit
from citizen_api.cases import service as cases
from citizen_api.cases.schemas import CaseCreated
from citizen_api.cases.schemas_staff import StaffCaseFiling
from citizen_api.errors import ApiError
from citizen_api.points import repository as repo
from citizen_api.points.schemas import PointFilingIn, PointFilingOut
from citizen_api.points.scope import Point, own_point, point_of
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_name
from citizen_api.security.principal import Principal
from citizen_api.uploads import service as uploads
from citizen_api.users import service as users

SIGNATURE_TYPES = frozenset({"image/png", "image/jpeg"})


async def _checked_signature(agent: Principal, upload_id: int | None) -> int:
    if upload_id is None:
        raise ApiError(422, "CONSENT_REQUIRED", "请先请群众在签字板上签名确认，再提交代办申请")
    owned = await uploads.owned_uploads(agent.user_id, [upload_id])
    if not owned or owned[0].content_type not in SIGNATURE_TYPES:
        raise ApiError(
            422,
            "CONSENT_SIGNATURE_INVALID",
            "签名确认须是代办员本人上传的签名图片（PNG 或 JPEG）",
            {"consent_signature": upload_id},
        )
    return upload_id


async def file(agent: Principal, body: PointFilingIn, settings, request_id: str = "") -> CaseCreated:
    point = await own_point(agent, body.point)
    signature = await _checked_signature(agent, body.consent_signature)
    filing = StaffCaseFiling(
        item_code=body.item_code,
        citizen=body.villager,
        materials=body.materials,
        tolerate_missing=body.tolerate_missing,
        delivery=body.delivery,
    )
    created = await cases.file_at_point(agent, filing, settings, request_id)
    now = clock.now()
    await repo.create_filing(
        application_id=created.id,
        case_number=created.number,
        point_code=point.code,
        agent_id=agent.user_id,
        signature_upload_id=signature,
        consented_at=now,
    )
    await uploads.mark_attached([signature])  # the consent is kept as long as the case
    await audit.record(
        agent,
        "points.consent",
        "application",
        created.id,
        {"number": created.number, "point": point.code, "signature_upload_id": signature},
        request_id=request_id,
    )
    return created


async def _agent_names(ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for agent_id in ids:
        account = await users.staff_account(agent_id)
        names[agent_id] = (account.display_name or account.username or "") if account else ""
    return names


async def filings(agent: Principal, offset: int, size: int, settings) -> tuple[int, list[PointFilingOut]]:
    """The cases filed at the agent's own point, newest first, with their status now."""
    point: Point = await point_of(agent)
    total, rows = await repo.filings_page(point.code, offset, size)
    found = await cases.cases_by_id(row.application_id for row in rows)
    names = await _agent_names({row.agent_id for row in rows})
    deliveries = await repo.delivery_statuses([row.application_id for row in rows])
    cipher = cipher_for(settings)
    items = []
    for row in rows:
        case = found.get(row.application_id)
        if case is None:
            continue
        items.append(
            PointFilingOut(
                id=case.id,
                number=case.number,
                item_name=case.item_name,
                department_code=case.department_code,
                status=case.status,
                status_text=cases.STATUS_TEXT.get(case.status, case.status),
                applicant_name=mask_name(cipher.decrypt(case.applicant_name_enc)) or "",
                point_code=row.point_code,
                agent_name=names.get(row.agent_id, ""),
                consented_at=row.consented_at,
                delivery_status=deliveries.get(case.id),
            )
        )
    return total, items


async def consent_of(case) -> dict | None:
    """The staff detail's consent block (the cases hook ``on_point_consent``)."""
    row = await repo.filing_of_case(case.id)
    if row is None:
        return None
    names = await _agent_names({row.agent_id})
    office_names = await appointments.office_names()
    return {
        "point_code": row.point_code,
        "point_name": office_names.get(row.point_code, row.point_code),
        "agent_name": names.get(row.agent_id, ""),
        "consented_at": row.consented_at,
        "signature_upload_id": row.signature_upload_id,
    }
