"""Filing a case (申请): the materials check, the number, the records of a new case."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import actions, address, deadlines, materials, ports
from citizen_api.cases import repository as repo
from citizen_api.cases.models import Application
from citizen_api.cases.numbers import next_number
from citizen_api.cases.schemas import CaseCreated, CaseSubmit
from citizen_api.cases.workflow import notify_citizen
from citizen_api.catalog.models import Department, ItemVersion
from citizen_api.errors import ApiError
from citizen_api.security.crypto import cipher_for
from citizen_api.security.principal import Principal
from citizen_api.users.models import User
from citizen_api.users.service import decrypt_profile


async def applicant_profile(principal: Principal, settings) -> tuple[User, dict]:
    user = await User.get_or_none(id=principal.user_id, is_active=True)
    if user is None:
        raise ApiError(401, "UNAUTHENTICATED", "账号不存在或已停用，请重新登录")
    profile = decrypt_profile(user, settings)
    if not all(profile.values()):
        raise ApiError(
            409,
            "PROFILE_INCOMPLETE",
            "请先完善实名信息（姓名、身份证号、手机号）再申请",
            {"missing": [name for name, value in profile.items() if not value]},
        )
    return user, profile


def phone_tail_index(number: str, tail: str, settings) -> str:
    """Keyed hash of the phone's last four digits, bound to the case number (no cross-case linking)."""
    return cipher_for(settings).blind_index(f"progress:{number}:{tail}")


async def _department_code(item) -> str:
    department = getattr(item, "department", None)
    if isinstance(department, Department):
        return department.code
    return (await Department.get(id=item.department_id)).code


def _checked_delivery(body: CaseSubmit, version: ItemVersion) -> dict | None:
    """The same rules as ``PUT /applications/{id}/delivery``: a deliverable item, a real division."""
    if body.delivery is None:
        return None
    if not version.deliverable:
        raise ApiError(409, "DELIVERY_NOT_OFFERED", "该事项不提供免费邮寄")
    # imported here: the delivery domain builds on cases, not the other way round
    from citizen_api.delivery.service import checked_address

    return checked_address(body.delivery, "body.delivery")


async def submit(principal: Principal, body: CaseSubmit, settings, request_id: str = "") -> CaseCreated:
    user, profile = await applicant_profile(principal, settings)
    item = await ports.published_item(body.item_code)
    version = await ItemVersion.get(id=item.published_version_id)
    table = await ports.version_materials(version.id)
    materials.unknown_materials(body.materials, table)
    provided = {material_id for material_id, ids in body.materials.items() if ids}
    blocking, tolerated = materials.split_missing(table, provided, body.tolerate_missing)
    if blocking:
        raise materials.missing_error(blocking)
    pairs, size, upload_ids = await materials.check_uploads(
        user.id, body.materials, 0, settings.case_max_total_upload_bytes
    )
    delivery = _checked_delivery(body, version)

    today = clock.today()
    department = await _department_code(item)
    number = await next_number(department, today)
    due_columns = {}
    if tolerated:
        due = await deadlines.materials_due(
            today, settings.tolerated_days, settings.supplement_reminder_working_days
        )
        due_columns = actions.due_columns(due)
    case = await Application.create(
        number=number,
        applicant_id=user.id,
        item_id=item.id,
        item_version_id=version.id,
        department_code=department,
        status="submitted",
        submitted_at=clock.now(),  # the service clock (auto_now_add would take the wall clock)
        item_code=item.code,
        item_name=version.name,
        promised_days=version.promised_days,
        time_unit=getattr(version, "time_unit", "working_day") or "working_day",
        item_trips=version.visits,
        channel="online",
        applicant_name_enc=user.name_enc,
        applicant_id_number_enc=user.id_number_enc,
        applicant_phone_enc=user.phone_enc,
        phone_tail_index=phone_tail_index(number, profile["phone"][-4:], settings),
        tolerate_missing=bool(tolerated),
        missing=[m.id for m in tolerated],
        **due_columns,
        total_upload_bytes=size,
        delivery_address_enc=address.store(delivery, settings),
    )
    await repo.add_materials(case.id, pairs)
    await ports.mark_attached(upload_ids)
    note = ""
    if tolerated:
        note = f"容缺受理：{len(tolerated)} 项材料待补交，截止日期 {case.missing_due.isoformat()}"
        if case.missing_due_uncertain:
            note += "（跨越尚未公布节假日安排的年度，按双休日推算，待日历公布后核对）"
    await repo.add_timeline(case.id, principal, None, "submitted", note)
    await notify_citizen(case, "case.submitted", note)
    await audit.record(
        principal,
        "case.submit",
        "application",
        case.id,
        {"number": number, "item": item.code, "tolerated": [m.id for m in tolerated]},
        request_id=request_id,
    )
    await ports.record_application(item.id)
    return CaseCreated(id=case.id, number=number, status=case.status)
