"""Registering a shipment (one per company, number and direction) and its tracking subscription.

The call to kuaidi100 happens after the registration has committed (never inside a transaction); a
call that fails leaves the shipment ``subscribe_pending`` and the periodic job
(``jobs.run_delivery_checks``) tries again.
"""

from __future__ import annotations

import structlog
from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.cases import service as cases
from citizen_api.delivery import repository as repo
from citizen_api.delivery.kuaidi100 import Kuaidi100Client, Kuaidi100Error
from citizen_api.delivery.models import OUTBOUND, Shipment
from citizen_api.delivery.staff_warnings import warn_staff
from citizen_api.delivery.transitions import SUBSCRIBE_PENDING
from citizen_api.delivery.waybill import WaybillError, normalise
from citizen_api.errors import ApiError

log = structlog.get_logger("onetrip.delivery")


def valid_waybill(company: str, waybill: str) -> str:
    try:
        return normalise(company, waybill or "")
    except WaybillError as exc:
        raise ApiError(422, "WAYBILL_INVALID", str(exc), {"company": company}) from None


async def create(case, direction: str, company: str, number: str, created_by: int) -> Shipment:
    """One shipment per (company, number, direction): the hall's mailing and a citizen's mail-in claim
    of the same number never block each other; the same number twice in one direction is 409."""
    existing = await repo.registered(company, number, direction)
    if existing is not None:
        if existing.application_id == case.id:
            return existing  # the same registration again
        raise ApiError(409, "WAYBILL_IN_USE", "该运单号已被登记")
    try:
        async with db.atomic():  # savepoint: a racing duplicate becomes 409, not a broken transaction
            shipment = await repo.create_shipment(
                application_id=case.id,
                direction=direction,
                department_code=case.department_code,
                company=company,
                waybill=number,
                created_by=created_by,
            )
    except IntegrityError:
        raise ApiError(409, "WAYBILL_IN_USE", "该运单号已被登记") from None
    await warn_if_clash(shipment, case)
    return shipment


async def warn_if_clash(shipment: Shipment, case) -> None:
    """The number is also registered the other way: one of the two is wrong; staff check both.

    Tracking follows the hall's outbound registration (``repository.shipment_for_report``)."""
    for other in await repo.same_number_other_direction(shipment):
        other_case = await cases.case_by_id(other.application_id)
        payload = {
            "application_id": case.id,
            "number": case.number,
            "direction": shipment.direction,
            "company": shipment.company,
            "waybill": shipment.waybill,
            "state": "waybill_clash",
            "state_text": "运单号与另一方向登记的邮件相同，请核实（物流轨迹归属本中心寄出的邮件）",
            "other_application_id": other_case.id,
            "other_number": other_case.number,
        }
        for department in dict.fromkeys((case.department_code, other_case.department_code)):
            await warn_staff(
                department,
                "delivery.warning",
                payload,
                dedupe_key=f"delivery.clash:{shipment.id}:{other.id}:{department}",
            )


async def subscribe_after_commit(state, shipment: Shipment) -> None:
    await db.after_commit(lambda: subscribe(state, shipment.id))


def client_of(state) -> Kuaidi100Client:
    return state.kuaidi100 or Kuaidi100Client(state.http, state.settings)


async def subscribe(state, shipment_id: int) -> bool:
    """Ask kuaidi100 to push this waybill's tracking. Never raises: a failure is retried later.

    Called outside any unit of work (after a commit, by the job): the outcome is one conditional UPDATE."""
    shipment = await repo.shipment_by_id(shipment_id)
    if state is None or shipment is None or shipment.status != SUBSCRIBE_PENDING:
        return False
    phone = None
    if shipment.direction == OUTBOUND:
        case = await cases.case_by_id(shipment.application_id)
        phone = (cases.delivery_address(case, state.settings) or {}).get("phone")
    try:
        result = await client_of(state).subscribe(shipment.company, shipment.waybill, phone)
        ok, error = result.ok, "" if result.ok else f"{result.code} {result.message}"
    except Kuaidi100Error as exc:
        ok, error = False, str(exc)
    if ok:
        await repo.move_shipment(shipment.id, "subscribed", subscribed_at=clock.now(), subscribe_error="")
    else:
        log.warning("kuaidi100 subscription failed", shipment=shipment_id, error=error)
        await repo.subscription_failed(shipment.id, shipment.subscribe_attempts + 1, error[:200])
    return ok
