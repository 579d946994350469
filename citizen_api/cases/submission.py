"""Filing a case (申请): the materials check, the number, the records of a new case."""

from __future__ import annotations

from typing import Any

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import actions, address, agency, deadlines, hooks, materials, search_keys
from citizen_api.cases.numbers import next_number
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.schemas import CaseCreated, CaseSubmit
from citizen_api.cases.transitions import INITIAL
from citizen_api.cases.workflow import notify_citizen
from citizen_api.catalog import service as catalog
from citizen_api.catalog.schemas import CatalogVersion
from citizen_api.errors import ApiError
from citizen_api.security.crypto import cipher_for
from citizen_api.security.principal import Principal
from citizen_api.uploads import service as uploads
from citizen_api.users import service as users
from citizen_api.users.schemas import Applicant


async def applicant_profile(principal: Principal, settings) -> Applicant:
    return await users.real_name_applicant(
        principal.user_id, settings, "请先完善实名信息（姓名、身份证号、手机号）再申请"
    )


def phone_tail_index(number: str, tail: str, settings) -> str:
    """Keyed hash of the phone's last four digits, bound to the case number (no cross-case linking)."""
    return cipher_for(settings).blind_index(f"progress:{number}:{tail}")


def checked_delivery(body: CaseSubmit, version: CatalogVersion) -> dict | None:
    """The same rules as ``PUT /applications/{id}/delivery``: a deliverable item, a real division."""
    if body.delivery is None:
        return None
    if not version.deliverable:
        raise ApiError(409, "DELIVERY_NOT_OFFERED", "该事项不提供免费邮寄")
    return address.checked(body.delivery, "body.delivery")


async def submit(
    principal: Principal,
    body: CaseSubmit,
    settings,
    request_id: str = "",
    filing: agency.Filing | None = None,
) -> CaseCreated:
    """File a case: the caller's own, an agent's for the principal (``body.on_behalf_of``), or a
    clerk's for a citizen at the hall (``filing``, from ``agency.staff_filing``). A bundle's children
    are filed together by ``batch_filing`` with the same checks, row and note (below)."""
    filing = filing or await agency.citizen_filing(principal, body.on_behalf_of, body.item_code, settings)
    applicant = await applicant_profile(filing.applicant, settings)
    item = await catalog.published_item(body.item_code)
    version = await catalog.version_info(item.published_version_id)
    table = await catalog.version_materials(version.id)
    owned = await materials.owned_among(filing.uploads_owner, body.materials)
    tolerated, pairs, size, upload_ids = await checked_materials(principal, body, table, owned, settings)
    delivery = checked_delivery(body, version)

    today = clock.today()
    department = item.department.code
    number = await next_number(department, today)
    due_columns = {}
    if tolerated:
        due = await deadlines.materials_due(
            today, settings.tolerated_days, settings.supplement_reminder_working_days
        )
        due_columns = actions.due_columns(due)
    row = case_row(number, applicant, item, version, filing, tolerated, size, delivery, due_columns, settings)
    case = await repo.create_case(**row)
    await repo.add_materials(case.id, pairs)
    if upload_ids:
        await uploads.mark_attached(upload_ids)
    note = tolerated_note(case)
    await repo.add_timeline(case.id, principal, None, INITIAL, note)
    await hooks.run_submitted_hooks(case, body, principal, settings)  # issue 17: consents, the form
    await notify_citizen(case, "case.submitted", note)
    await audit.record(
        principal,
        "case.submit",
        "application",
        case.id,
        {"number": number, "item": item.code, "tolerated": [m.id for m in tolerated]},
        request_id=request_id,
    )
    await catalog.record_application(item.id)
    await agency.after_filing(filing, principal, case, settings, request_id)
    return CaseCreated.model_validate(case)


async def checked_materials(
    principal: Principal, body: CaseSubmit, table: list, owned: dict[int, Any], settings
) -> tuple[list, list[tuple[int, int]], int, list[int]]:
    """The materials check of one case, in its order: unknown materials, what is provided (an upload,
    or an e-licence the citizen consents to use), what is missing (one answer naming every one), the
    filer's own uploads (``owned``: theirs among the ids) and the size cap. (tolerated materials,
    (material, upload) pairs, bytes, upload ids)."""
    materials.unknown_materials(body.materials, table)
    provided = {material_id for material_id, ids in body.materials.items() if ids}
    # issue 17: materials satisfied otherwise (an e-licence the citizen consents to use)
    provided |= await hooks.run_submit_checks(principal, body, table, settings)
    blocking, tolerated = materials.split_missing(table, provided, body.tolerate_missing)
    if blocking:
        raise materials.missing_error(blocking)
    pairs, size, upload_ids = materials.checked_uploads(
        body.materials, owned, 0, settings.case_max_total_upload_bytes
    )
    return tolerated, pairs, size, upload_ids


def case_row(
    number: str, applicant: Applicant, item, version, filing, tolerated: list, size: int,
    delivery: dict | None, due_columns: dict[str, Any], settings,
) -> dict[str, Any]:  # fmt: skip
    """The columns of a new case (one filed alone, or a bundle's child)."""
    return {
        "number": number,
        "applicant_id": applicant.id,
        "item_id": item.id,
        "item_version_id": version.id,
        "department_code": item.department.code,
        "status": INITIAL,
        "submitted_at": clock.now(),  # the service clock (auto_now_add would take the wall clock)
        "item_code": item.code,
        "item_name": version.name,
        "promised_days": version.promised_days,
        "time_unit": version.time_unit or "working_day",
        "item_trips": version.visits,
        "channel": filing.channel,
        "applicant_name_enc": applicant.name_enc,
        "applicant_id_number_enc": applicant.id_number_enc,
        "applicant_phone_enc": applicant.phone_enc,
        "phone_tail_index": phone_tail_index(number, applicant.profile["phone"][-4:], settings),
        "applicant_name_index": search_keys.name_key(applicant.profile["name"], settings),
        "phone_tail_search": search_keys.tail_key(applicant.profile["phone"][-4:], settings),
        "tolerate_missing": bool(tolerated),
        "missing": [m.id for m in tolerated],
        **(due_columns if tolerated else {}),
        "total_upload_bytes": size,
        "delivery_address_enc": address.store(delivery, settings),
        **filing.columns,  # 代办 / 帮办: who filed it for the applicant
    }


def tolerated_note(case) -> str:
    """The filing's timeline note of a case accepted with materials owed (容缺), else empty."""
    if not case.missing:
        return ""
    note = f"容缺受理：{len(case.missing)} 项材料待补交，截止日期 {case.missing_due.isoformat()}"
    if case.missing_due_uncertain:
        note += "（跨越尚未公布节假日安排的年度，按双休日推算，待日历公布后核对）"
    return note
