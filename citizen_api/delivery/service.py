"""Free postal delivery: the citizen's address, shipments both ways, tracking subscriptions.

Services never commit. HTTP calls to kuaidi100 happen after the commit when the caller passes
``after_commit`` (the endpoint layer's ``ctx.after_commit``); a call that fails leaves the shipment
``subscribe_pending`` and the periodic job (``jobs.run_delivery_checks``) tries again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.cases import address as case_address
from citizen_api.cases.models import Application
from citizen_api.delivery import divisions, notify, states
from citizen_api.delivery import models as m
from citizen_api.delivery import repository as repo
from citizen_api.delivery.kuaidi100 import Kuaidi100Client, Kuaidi100Error
from citizen_api.delivery.models import Shipment
from citizen_api.delivery.schemas import (
    DeliveryAddress,
    DeliveryEventView,
    DeliveryView,
    MailIn,
    ShipmentView,
)
from citizen_api.delivery.waybill import COMPANIES, WaybillError, normalise
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error
from citizen_api.security.principal import Principal
from notifications import outbox

log = structlog.get_logger("onetrip.delivery")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DONE = ("approved", "rejected")
CLOSED = ("delivered", "withdrawn", "not_accepted")
AfterCommit = Callable[[Callable[[], Awaitable[None] | None]], None]


def checked_address(body: DeliveryAddress, field_prefix: str = "body") -> dict[str, Any]:
    """The address with canonical division names and its GB/T 2260 code; 422 naming the bad field."""
    try:
        found = divisions.resolve(body.province, body.city, body.district)
    except divisions.DivisionError as exc:
        raise validation_error({f"{field_prefix}.{exc.field}": exc.message}, "省市区不正确") from None
    return {
        "name": body.name,
        "phone": body.phone,
        "province": found.province,
        "city": found.city,
        "district": found.district,
        "address": body.address,
        "division_code": found.code,
    }


async def _own(principal: Principal, application_id: int, *, lock: bool = False) -> Application:
    application = await repo.own_application(application_id, principal.user_id, lock=lock)
    if application is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办件")
    return application


async def put_address(
    principal: Principal, application_id: int, body: DeliveryAddress, settings
) -> DeliveryView:
    """Free post of the result to this address (the item must offer delivery)."""
    application = await _own(principal, application_id, lock=True)
    if not await repo.item_deliverable(application.item_id):
        raise ApiError(409, "DELIVERY_NOT_OFFERED", "该事项不提供免费邮寄")
    if application.status in CLOSED:
        raise ApiError(409, "CASE_CLOSED", "办件已结束，不能再修改邮寄地址")
    if await Shipment.filter(application_id=application.id, direction=m.OUTBOUND).exists():
        raise ApiError(409, "ALREADY_SHIPPED", "办理结果已寄出，不能再修改邮寄地址")
    application.delivery_address_enc = case_address.store(checked_address(body), settings)
    await repo.save_address(application.id, application.delivery_address_enc)
    await repo.add_timeline(
        application, "已登记免费邮寄地址", actor_id=principal.user_id, actor_role="citizen"
    )
    return await _view(application, settings, offered=True)


async def delivery_view(principal: Principal, application_id: int, settings) -> DeliveryView:
    application = await _own(principal, application_id)
    return await _view(application, settings, offered=await repo.item_deliverable(application.item_id))


async def _view(application: Application, settings, *, offered: bool) -> DeliveryView:
    shipments = await repo.shipments_of(application.id)
    return DeliveryView(
        offered=offered,
        address=case_address.load(application.delivery_address_enc, settings),
        shipments=await shipment_views(shipments),
    )


def _newest_first(event) -> tuple:
    """Newest scan first; of scans at the same time the furthest state first (a signature above a
    transit scan of its minute); scans without a time last."""
    at = event.event_at
    return (at is not None, at or _EPOCH, states.rank(event.state) or 0, event.id)


async def shipment_views(shipments: list[Shipment]) -> list[ShipmentView]:
    events = sorted(await repo.events_of([s.id for s in shipments]), key=_newest_first, reverse=True)
    by_shipment: dict[int, list[DeliveryEventView]] = {}
    for event in events:
        if event.state in ("abort", "empty"):  # not scans: kuaidi100's abort, a push without scans
            continue
        by_shipment.setdefault(event.shipment_id, []).append(
            DeliveryEventView(
                state=event.state,
                state_text=states.state_text(event.state),
                at=event.event_at,
                context=event.context,
            )
        )
    return [
        ShipmentView(
            id=s.id,
            direction=s.direction,
            company=s.company,
            company_name=COMPANIES.get(s.company, s.company),
            waybill=s.waybill,
            status=s.status,
            status_text=states.SHIPMENT_STATUS_TEXT.get(s.status, s.status),
            last_event_at=s.last_event_at,
            events=by_shipment.get(s.id, []),
        )
        for s in shipments
    ]


async def mail_in(
    state, principal: Principal, application_id: int, body: MailIn, after_commit: AfterCommit | None = None
) -> ShipmentView:
    """The citizen posted paper materials to the centre: record the waybill and track it."""
    application = await _own(principal, application_id, lock=True)
    if not await repo.item_deliverable(application.item_id):
        raise ApiError(409, "DELIVERY_NOT_OFFERED", "该事项不提供邮寄材料办理")
    if application.status in CLOSED or application.status in DONE:
        raise ApiError(409, "CASE_CLOSED", "办件已办结，无需再寄送材料")
    number = _valid_waybill(body.company, body.waybill)
    shipment = await _create_shipment(application, m.INBOUND, body.company, number, principal.user_id)
    await repo.add_timeline(
        application,
        f"申请人已寄出纸质材料：{COMPANIES[body.company]} {number}",
        actor_id=principal.user_id,
        actor_role="citizen",
    )
    _subscribe_later(state, shipment, after_commit)
    return (await shipment_views([shipment]))[0]


async def record_post_delivery(
    state,
    application: Application,
    company: str,
    waybill: str,
    actor: Principal,
    *,
    after_commit: AfterCommit | None = None,
) -> Shipment:
    """Staff ``/deliver {channel: "post"}``: the result leaves the hall's EMS desk under ``waybill``.

    Validates the number (422 WAYBILL_INVALID), needs the citizen's address (409
    DELIVERY_ADDRESS_MISSING), stores the shipment and subscribes to tracking — after the commit when
    ``after_commit`` is given, else at once (a failure is retried by the periodic job). The case stays
    approved/rejected until the courier reports it signed; then it becomes ``delivered``.
    """
    company = (company or "").strip().lower()
    if application.status not in DONE:
        raise ApiError(409, "INVALID_TRANSITION", "办件尚未办结，不能寄递结果")
    number = _valid_waybill(company, waybill)
    if not application.delivery_address_enc:
        raise ApiError(409, "DELIVERY_ADDRESS_MISSING", "申请人尚未填写邮寄地址")
    shipment = await _create_shipment(application, m.OUTBOUND, company, number, actor.user_id)
    await Application.filter(id=application.id).update(
        delivery_channel="post", delivery_company=company, delivery_waybill=number
    )
    await repo.add_timeline(
        application,
        f"办理结果已交寄：{COMPANIES.get(company, company)} {number}",
        actor_id=actor.user_id,
        actor_role=actor.role,
    )
    await outbox.enqueue(
        application.applicant_id,
        "delivery.shipped",
        {
            "application_id": application.id,
            "number": application.number,
            "item_name": application.item_name,
            "company": company,
            "waybill": number,
        },
        dedupe_key=f"delivery.shipped:{shipment.id}",
    )
    if after_commit is not None:
        _subscribe_later(state, shipment, after_commit)
    else:
        await subscribe_shipment(state, shipment.id, in_caller_transaction=True)
    return shipment


def _valid_waybill(company: str, waybill: str) -> str:
    try:
        return normalise(company, waybill or "")
    except WaybillError as exc:
        raise ApiError(422, "WAYBILL_INVALID", str(exc), {"company": company}) from None


async def _create_shipment(
    application: Application, direction: str, company: str, number: str, created_by: int
) -> Shipment:
    """One shipment per (company, number, direction): the hall's mailing and a citizen's mail-in claim
    of the same number never block each other; the same number twice in one direction is 409."""
    existing = await repo.registered(company, number, direction)
    if existing is not None:
        if existing.application_id == application.id:
            return existing  # the same registration again
        raise ApiError(409, "WAYBILL_IN_USE", "该运单号已被登记")
    try:
        async with db.atomic():  # savepoint: a racing duplicate becomes 409, not a broken transaction
            shipment = await Shipment.create(
                application_id=application.id,
                direction=direction,
                department_code=application.department_code,
                company=company,
                waybill=number,
                status=m.SUBSCRIBE_PENDING,
                created_by=created_by,
            )
    except IntegrityError:
        raise ApiError(409, "WAYBILL_IN_USE", "该运单号已被登记") from None
    await warn_if_clash(shipment, application)
    return shipment


async def warn_if_clash(shipment: Shipment, application: Application) -> None:
    """The number is also registered the other way: one of the two is wrong; staff check both.

    Tracking follows the hall's outbound registration (``repository.shipment_for_report``)."""
    for other in await repo.same_number_other_direction(shipment):
        other_case = await Application.get(id=other.application_id)
        payload = {
            "application_id": application.id,
            "number": application.number,
            "direction": shipment.direction,
            "company": shipment.company,
            "waybill": shipment.waybill,
            "state": "waybill_clash",
            "state_text": "运单号与另一方向登记的邮件相同，请核实（物流轨迹归属本中心寄出的邮件）",
            "other_application_id": other_case.id,
            "other_number": other_case.number,
        }
        for department in dict.fromkeys((application.department_code, other_case.department_code)):
            await notify.warn_staff(
                department,
                "delivery.warning",
                payload,
                dedupe_key=f"delivery.clash:{shipment.id}:{other.id}:{department}",
            )


def _subscribe_later(state, shipment: Shipment, after_commit: AfterCommit | None) -> None:
    if after_commit is not None:
        after_commit(lambda: subscribe_shipment(state, shipment.id))


def client_of(state) -> Kuaidi100Client:
    return state.kuaidi100 or Kuaidi100Client(state.http, state.settings)


async def subscribe_shipment(state, shipment_id: int, *, in_caller_transaction: bool = False) -> bool:
    """Ask kuaidi100 to push this waybill's tracking. Never raises: a failure is retried later."""
    shipment = await Shipment.get_or_none(id=shipment_id)
    if state is None or shipment is None or shipment.status != m.SUBSCRIBE_PENDING:
        return False
    phone = None
    if shipment.direction == m.OUTBOUND:
        application = await Application.get(id=shipment.application_id)
        phone = (case_address.load(application.delivery_address_enc, state.settings) or {}).get("phone")
    try:
        result = await client_of(state).subscribe(shipment.company, shipment.waybill, phone)
        ok, error = result.ok, "" if result.ok else f"{result.code} {result.message}"
    except Kuaidi100Error as exc:
        ok, error = False, str(exc)
    now = clock.now()
    if ok:
        fields: dict[str, Any] = {"status": m.TRACKING, "subscribed_at": now, "subscribe_error": ""}
    else:
        log.warning("kuaidi100 subscription failed", shipment=shipment_id, error=error)
        fields = {"subscribe_attempts": shipment.subscribe_attempts + 1, "subscribe_error": error[:200]}
    if in_caller_transaction:
        await Shipment.filter(id=shipment_id, status=m.SUBSCRIBE_PENDING).update(**fields)
    else:
        async with db.atomic():
            await Shipment.filter(id=shipment_id, status=m.SUBSCRIBE_PENDING).update(**fields)
    return ok
