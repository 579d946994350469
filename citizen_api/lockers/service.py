"""24-hour self-service pickup (自助取件): a decided case's result goes into a locker at the hall, the
citizen gets a pickup code by message, the code opens the compartment and closes the delivery.

- staff ``/deliver {channel: "locker", locker}``: :func:`record_locker`, the cases workflow's deliver
  hook (registered by ``citizen_api.domains``) — the locker opens a free door over its HTTP API, the
  deposit is stored with the code's HMAC (and the code encrypted, for the owner's own view), the
  citizen is told the code; the case stays decided;
- the locker's signed call when a code is typed: :func:`pick_up` — the code must be live (410
  PICKUP_CODE_EXPIRED after ``locker_pickup_hours``), then the case is delivered;
- the periodic job :func:`expire_due` tells the citizen a deposit expired; staff take it back
  (:func:`retrieve`) and hand it over at the window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from citizen_api import clock, db, ratelimit
from citizen_api.cases import service as cases
from citizen_api.errors import ApiError
from citizen_api.lockers import client
from citizen_api.lockers import repository as repo
from citizen_api.lockers.models import Locker, LockerDeposit
from citizen_api.lockers.schemas import DepositOut, LockerOut, PickupAnswer
from citizen_api.lockers.transitions import DEPOSITED, DEPOSITS, EXPIRED
from citizen_api.security.crypto import cipher_for
from citizen_api.security.principal import Principal
from notifications import outbox

CODE_DIGITS = 8  # a locker holds tens of live codes: guessing one takes millions of tries (throttled)


def _digest(settings, locker_id: int, code: str) -> str:
    return hmac.new(
        settings.locker_secret.encode(), f"{locker_id}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _used(deposit_id: int) -> str:
    # a finished deposit gives its code back: the digest is unique among live deposits only
    return f"done:{deposit_id}"


async def lockers(office_code: str | None) -> list[LockerOut]:
    return [_locker_out(locker) for locker in await repo.active_lockers(office_code)]


def _locker_out(locker: Locker) -> LockerOut:
    return LockerOut(code=locker.code, name=locker.name, place=locker.place, office_code=locker.office_code)


async def record_locker(case, request, actor: Principal) -> dict[str, Any] | None:
    """The deliver hook for ``channel: "locker"`` (inside the request's unit of work)."""
    if getattr(request, "channel", None) != "locker":
        return None
    state = db.current_state()
    if state is None:
        raise RuntimeError("the deliver hook runs inside a request's (or job's) unit of work")
    settings = state.settings
    if case.status not in cases.DECIDED:
        raise ApiError(409, "INVALID_TRANSITION", "办件尚未办结，不能存入自助柜")
    locker = await repo.locker_by_code(request.locker or "")
    if locker is None:
        raise ApiError(404, "LOCKER_NOT_FOUND", "未找到该自助取件柜", {"locker": request.locker})
    if await repo.open_deposit_of_case(case.id) is not None:
        raise ApiError(409, "ALREADY_IN_LOCKER", "办理结果已存入自助柜，待申请人取件")
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    compartment = await client.open_for_deposit(state, locker.vendor_id, case.number)
    now = clock.now()
    expires_at = now + timedelta(hours=settings.locker_pickup_hours)
    deposit = await repo.create_deposit(
        application_id=case.id,
        case_number=case.number,
        user_id=case.applicant_id,
        department_code=case.department_code,
        locker=locker,
        compartment=compartment,
        code_digest=_digest(settings, locker.id, code),
        code_enc=cipher_for(settings).encrypt(code),
        deposited_at=now,
        expires_at=expires_at,
        deposited_by=actor.user_id,
    )
    await cases.record_locker_result(case)
    until = clock.to_local(expires_at).strftime("%m月%d日 %H:%M")
    await cases.add_timeline_note(
        case, f"办理结果已存入{locker.name}（{compartment} 号格口），请凭取件码于 {until} 前取件", actor
    )
    await outbox.enqueue(
        case.applicant_id,
        "locker.ready",
        {
            "application_id": case.id,
            "number": case.number,
            "item_name": case.item_name,
            "state_label": "已存入自助柜",
            "waybill": code,  # the delivery template's code field shows the pickup code
            "code": code,
            "locker_name": locker.name,
            "place": locker.place,
            "until": until,
            "note": f"凭取件码到{locker.place or locker.name}取件",
        },
        dedupe_key=f"locker.ready:{deposit.id}",
    )
    return {}


async def pick_up(state, vendor_id: str, code: str) -> PickupAnswer | ApiError:
    """A citizen typed ``code`` at the locker ``vendor_id``: open the compartment, or say why not —
    an expired code's refusal is returned, not raised, so that the unit commits the expiry (and the
    citizen's message) before the locker is answered."""
    settings = state.settings
    locker = await repo.locker_by_vendor_id(vendor_id)
    if locker is None:
        raise ApiError(404, "LOCKER_NOT_FOUND", "未找到该自助取件柜")
    await ratelimit.hit(state, f"locker:pickup:{locker.id}", settings.locker_pickup_attempts_per_minute, 60)
    deposit = await repo.deposit_by_digest(_digest(settings, locker.id, code.strip()))
    if deposit is None:
        raise ApiError(404, "PICKUP_CODE_INVALID", "取件码不正确")
    now = clock.now()
    if deposit.status == EXPIRED or deposit.expires_at <= now:
        await _expire(deposit)
        return ApiError(
            410, "PICKUP_CODE_EXPIRED", "取件码已过期，请到窗口领取", {"expired_at": _iso(deposit.expires_at)}
        )
    if not await repo.move(deposit.id, "pick_up", picked_up_at=now, code_digest=_used(deposit.id)):
        raise ApiError(409, "PICKUP_CODE_USED", "该取件码已使用")
    case = await cases.case_by_id(deposit.application_id)
    await cases.delivered_at_locker(case, now)
    return PickupAnswer(open=True, compartment=deposit.compartment, number=deposit.case_number)


async def _expire(deposit: LockerDeposit) -> bool:
    """Mark a deposit past its time expired and tell the citizen once."""
    if not await repo.move(deposit.id, "expire", code_digest=_used(deposit.id)):
        return False
    await outbox.enqueue(
        deposit.user_id,
        "locker.expired",
        {
            "application_id": deposit.application_id,
            "number": deposit.case_number,
            "state_label": "逾期未取",
            "note": "已退回窗口，请到窗口领取",
        },
        dedupe_key=f"locker.expired:{deposit.id}",
    )
    return True


async def expire_due(now, limit: int = 200) -> int:
    """The periodic job's pass: every deposit past its time, expired once (idempotent)."""
    expired = 0
    for deposit in await repo.due_to_expire(now, limit):
        expired += await _expire(deposit)
    return expired


async def retrieve(state, principal: Principal, deposit_id: int) -> DepositOut:
    """Staff emptied the compartment (expired, or taken back early): the result is at the window."""
    deposit = await _staff_deposit(principal, deposit_id)
    if deposit.status not in DEPOSITS.sources("retrieve"):
        raise DEPOSITS.refuse("retrieve", deposit.status)
    await client.release(state, deposit.locker.vendor_id, deposit.compartment)
    now = clock.now()
    if not await repo.move(deposit.id, "retrieve", retrieved_at=now, retrieved_by=principal.user_id,
                           code_digest=_used(deposit.id)):  # fmt: skip
        raise ApiError(409, "INVALID_TRANSITION", "该格口已取件或已取回")
    case = await cases.case_by_id(deposit.application_id)
    await cases.add_timeline_note(case, "自助柜中的办理结果已取回窗口，请到窗口领取", principal)
    return deposit_out(await repo.deposit(deposit.id), state.settings, reveal_code=False)


async def _staff_deposit(principal: Principal, deposit_id: int) -> LockerDeposit:
    deposit = await repo.deposit(deposit_id)
    if deposit is None or (principal.department and deposit.department_code != principal.department):
        raise ApiError(404, "NOT_FOUND", "未找到该存件")
    return deposit


async def staff_deposits(principal: Principal, status: str | None, offset: int, size: int, settings):
    total, rows = await repo.deposits_page(status, principal.department or None, offset, size)
    return total, [deposit_out(row, settings, reveal_code=False) for row in rows]


async def citizen_deposit(principal: Principal, application_id: int, settings) -> DepositOut:
    """The citizen's own deposit of the case (with the code while it is live), else 404."""
    case = await cases.citizen_case(application_id, principal.user_id)
    deposit = await repo.latest_deposit_of_case(application_id) if case is not None else None
    if deposit is None:
        raise ApiError(404, "NOT_FOUND", "该办件没有存入自助柜的结果")
    return deposit_out(deposit, settings, reveal_code=deposit.status == DEPOSITED)


def deposit_out(deposit: LockerDeposit, settings, *, reveal_code: bool) -> DepositOut:
    code = cipher_for(settings).decrypt(deposit.code_enc) if reveal_code and deposit.code_enc else None
    return DepositOut(
        id=deposit.id,
        application_id=deposit.application_id,
        number=deposit.case_number,
        locker=_locker_out(deposit.locker),
        compartment=deposit.compartment,
        status=deposit.status,
        status_text=DEPOSITS.text[deposit.status],
        deposited_at=deposit.deposited_at,
        expires_at=deposit.expires_at,
        picked_up_at=deposit.picked_up_at,
        retrieved_at=deposit.retrieved_at,
        pickup_code=code,
    )


def _iso(moment) -> str:
    return clock.to_local(moment).isoformat(timespec="minutes")
