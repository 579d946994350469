"""上门服务: for items whose guide allows it, a citizen who cannot come — 70 or older by the real-name
ID number, or declaring a disability or serious illness that staff confirm — asks for a visit with an
address and preferred days; the item's department schedules it (a day, a window of time, the staff
going) and the citizen is told by message; the visit's outcome (accepted on site, materials taken,
nobody home) is recorded and counted (:func:`stats`).

Services never commit; every status change is ``repository.move`` (the table in ``transitions``).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import service as cases
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.http import Page
from citizen_api.http.validation import validation_error
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_address, mask_name, mask_phone
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from citizen_api.visits import repository as repo
from citizen_api.visits import transitions as t
from citizen_api.visits.models import HomeVisit
from citizen_api.visits.schemas import Record, Refusal, Schedule, VisitOut, VisitRequest, VisitStats
from notifications import outbox

AGE = 70  # the reports' threshold for a visit without further proof
HORIZON_DAYS = 30
CITIZEN_ACTIONS = ("cancel",)
STAFF_ACTIONS = ("confirm", "refuse", "schedule", "record")


def _not_found() -> ApiError:
    return ApiError(404, "NOT_FOUND", "未找到该上门服务申请")


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


async def request_visit(principal: Principal, body: VisitRequest, settings) -> VisitOut:
    applicant = await users.real_name_applicant(
        principal.user_id, settings, "申请上门服务需先完善实名信息（姓名、身份证号、手机号）"
    )
    item = await catalog.published_item(body.item_code)
    if not (await catalog.version_forms(item.published_version_id)).home_visit:
        raise ApiError(409, "VISIT_NOT_OFFERED", "该事项不提供上门服务")
    today = clock.today()
    late = [d for d in body.preferred_days if not today < d <= today + timedelta(days=HORIZON_DAYS)]
    if late:
        raise validation_error({"body.preferred_days": f"请选择明天起 {HORIZON_DAYS} 天内的日期"})
    birth = users.birth_date_of_id_number(applicant.profile["id_number"])
    if body.reason == "age" and (birth is None or age_on(birth, today) < AGE):
        raise ApiError(
            409, "VISIT_NOT_ELIGIBLE",
            f"按身份证号核验未满 {AGE} 周岁；行动不便的残疾人或重病患者请选择相应原因，由工作人员确认",
            {"age_required": AGE},
        )  # fmt: skip
    if await repo.open_of(principal.user_id, item.code) is not None:
        raise ApiError(409, "VISIT_ALREADY_REQUESTED", "您已申请该事项的上门服务，请等待安排")
    cipher = cipher_for(settings)
    address = cases.checked_delivery_address(body.address, "body.address")
    visit = await repo.create(
        user_id=principal.user_id,
        item_code=item.code,
        item_name=item.name,
        department_code=item.department.code,
        reason=body.reason,
        reason_note=body.reason_note,
        applicant_name_enc=applicant.name_enc,
        phone_enc=cipher.encrypt(address["phone"]),
        address_enc=cipher.encrypt(json.dumps(address, ensure_ascii=False)),
        preferred_days=[d.isoformat() for d in body.preferred_days],
        status=t.REQUESTED if body.reason == "age" else t.PENDING,
        requested_at=clock.now(),
    )
    await audit.record(
        principal, "visit.request", "home_visit", visit.id, {"item": item.code, "reason": body.reason}
    )
    return visit_out(visit, settings, staff=False)


async def my_visits(principal: Principal, offset: int, size: int, settings) -> Page[VisitOut]:
    total, rows = await repo.of_citizen(principal.user_id, offset, size)
    return Page[VisitOut](total=total, items=[visit_out(v, settings, staff=False) for v in rows])


async def _mine(principal: Principal, visit_id: int) -> HomeVisit:
    visit = await repo.get(visit_id)
    if visit is None or visit.user_id != principal.user_id:
        raise _not_found()
    return visit


async def my_visit(principal: Principal, visit_id: int, settings) -> VisitOut:
    return visit_out(await _mine(principal, visit_id), settings, staff=False)


async def cancel(principal: Principal, visit_id: int, settings) -> VisitOut:
    visit = await _mine(principal, visit_id)
    await _move(visit, "cancel")
    await audit.record(principal, "visit.cancel", "home_visit", visit.id, {})
    return visit_out(await repo.get(visit.id), settings, staff=False)


async def _move(visit: HomeVisit, action: str, **fields) -> None:
    if not await repo.move(visit.id, action, **fields):
        raise t.VISITS.refuse(action, visit.status)


async def _scoped(principal: Principal, visit_id: int) -> HomeVisit:
    visit = await repo.get(visit_id)
    if visit is None or (principal.department and visit.department_code != principal.department):
        raise _not_found()
    return visit


async def staff_visits(
    principal: Principal, status: str | None, offset: int, size: int, settings
) -> Page[VisitOut]:
    total, rows = await repo.page(status, principal.department, offset, size)
    return Page[VisitOut](total=total, items=[visit_out(v, settings, staff=True) for v in rows])


async def confirm(principal: Principal, visit_id: int, settings) -> VisitOut:
    visit = await _scoped(principal, visit_id)
    await _move(visit, "confirm", confirmed_by=principal.user_id)
    await audit.record(principal, "visit.confirm", "home_visit", visit.id, {"reason": visit.reason})
    return visit_out(await repo.get(visit.id), settings, staff=True)


async def refuse(principal: Principal, visit_id: int, body: Refusal, settings) -> VisitOut:
    visit = await _scoped(principal, visit_id)
    await _move(visit, "refuse", refusal_reason=body.reason)
    at = clock.to_local(clock.now()).strftime("%Y-%m-%d %H:%M")
    await _tell(visit, "visit.refused", {"reason": body.reason, "at": at, "note": body.reason[:20]})
    await audit.record(principal, "visit.refuse", "home_visit", visit.id, {"reason": body.reason})
    return visit_out(await repo.get(visit.id), settings, staff=True)


async def schedule(principal: Principal, visit_id: int, body: Schedule, settings) -> VisitOut:
    visit = await _scoped(principal, visit_id)
    if body.date < clock.today():
        raise validation_error({"body.date": "上门日期不能早于今天"})
    if body.start >= body.end:
        raise validation_error({"body.end": "结束时间须晚于开始时间"})
    await _move(visit, "schedule", scheduled_on=body.date, window_start=body.start, window_end=body.end,
                staff_names=body.staff, scheduled_by=principal.user_id)  # fmt: skip
    window = f"{body.start}–{body.end}"
    staff = "、".join(body.staff)
    await _tell(visit, "visit.scheduled", {
        "date": body.date.isoformat(), "window": window, "staff": staff,
        "at": f"{body.date.isoformat()} {body.start}", "note": f"{window} 上门：{staff}"[:20],
    })  # fmt: skip
    await audit.record(
        principal, "visit.schedule", "home_visit", visit.id, {"date": body.date.isoformat(), "window": window}
    )
    return visit_out(await repo.get(visit.id), settings, staff=True)


async def record(principal: Principal, visit_id: int, body: Record, settings) -> VisitOut:
    visit = await _scoped(principal, visit_id)
    if body.outcome == "accepted_on_site" and not body.case_number:
        raise validation_error({"body.case_number": "现场受理须填写办件编号"})
    await _move(visit, "record", outcome=body.outcome, materials_taken=body.materials_taken,
                case_number=body.case_number, outcome_note=body.note, recorded_by=principal.user_id,
                done_at=clock.now())  # fmt: skip
    await audit.record(principal, "visit.record", "home_visit", visit.id, {"outcome": body.outcome})
    return visit_out(await repo.get(visit.id), settings, staff=True)


async def _tell(visit: HomeVisit, event: str, extra: dict) -> None:
    payload = {"visit_id": visit.id, "item_name": visit.item_name, **extra}
    await outbox.enqueue(visit.user_id, event, payload)


async def stats(principal: Principal, since: date, until: date) -> VisitStats:
    lo = datetime.combine(since, time(), clock.CST)
    hi = datetime.combine(until, time(), clock.CST)
    # in UTC, as times are stored: SQLite compares them as text
    counts = await repo.counts(principal.department, lo.astimezone(UTC), hi.astimezone(UTC))

    def total(status: str | None = None, outcome: str | None = None) -> int:
        return sum(
            n
            for (s, o), n in counts.items()
            if (status is None or s == status) and (outcome is None or o == outcome)
        )

    return VisitStats(
        requested=total(),
        done=total(t.DONE),
        accepted_on_site=total(t.DONE, "accepted_on_site"),
        materials_taken=total(t.DONE, "materials_taken"),
        not_home=total(t.DONE, "not_home"),
        refused=total(t.REFUSED),
        cancelled=total(t.CANCELLED),
        open=total(t.PENDING) + total(t.REQUESTED) + total(t.SCHEDULED),
    )


def visit_out(visit: HomeVisit, settings, *, staff: bool) -> VisitOut:
    cipher = cipher_for(settings)
    address = json.loads(cipher.decrypt(visit.address_enc) or "{}")
    where = " ".join(address.get(k, "") for k in ("province", "city", "district", "address")).strip()
    name, phone = cipher.decrypt(visit.applicant_name_enc), cipher.decrypt(visit.phone_enc)
    # the staff who go need the address; the list masks what a screen across the hall should not show
    if staff and visit.status not in (t.SCHEDULED, t.REQUESTED, t.PENDING):
        where = mask_address(where) or ""
    actions = STAFF_ACTIONS if staff else CITIZEN_ACTIONS
    return VisitOut(
        id=visit.id,
        item_code=visit.item_code,
        item_name=visit.item_name,
        department_code=visit.department_code,
        status=visit.status,  # type: ignore[arg-type]
        status_text=t.VISITS.text[visit.status],
        reason=visit.reason,  # type: ignore[arg-type]
        reason_note=visit.reason_note,
        applicant_name=mask_name(name) if staff else name,
        phone=mask_phone(phone) if staff and visit.status != t.SCHEDULED else phone,
        address=where,
        preferred_days=[date.fromisoformat(d) for d in visit.preferred_days],
        requested_at=visit.requested_at,
        scheduled_on=visit.scheduled_on,
        window=f"{visit.window_start}–{visit.window_end}" if visit.window_start else None,
        staff=list(visit.staff_names),
        outcome=visit.outcome,  # type: ignore[arg-type]
        materials_taken=list(visit.materials_taken),
        case_number=visit.case_number,
        outcome_note=visit.outcome_note,
        refusal_reason=visit.refusal_reason,
        actions=[a for a in actions if t.VISITS.allows(visit.status, a)],
    )
