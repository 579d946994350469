"""Free postal delivery (双向寄递): the citizen's address, shipments both ways, and the staff's post.

The public API: the endpoints' use cases and :func:`record_post`, the cases workflow's deliver hook
(registered by ``citizen_api.domains``). Services never commit; the kuaidi100 subscription is asked
for after the commit (``shipments.subscribe_after_commit``).
"""

from __future__ import annotations

from typing import Any

from citizen_api import db
from citizen_api.cases import service as cases
from citizen_api.cases.schemas import DeliveryAddress
from citizen_api.catalog import service as catalog
from citizen_api.delivery import repository as repo
from citizen_api.delivery import shipments
from citizen_api.delivery.models import INBOUND, OUTBOUND, Shipment
from citizen_api.delivery.schemas import DeliveryView, MailIn, ShipmentView
from citizen_api.delivery.views import shipment_views
from citizen_api.delivery.waybill import COMPANIES
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from notifications import outbox


async def _own(principal: Principal, application_id: int, *, lock: bool = False):
    case = await cases.citizen_case(application_id, principal.user_id, lock=lock)
    if case is None:
        raise ApiError(404, "NOT_FOUND", "未找到该办件")
    return case


async def _offers_post(case) -> bool:
    return case.item_id in await catalog.deliverable_items([case.item_id])


async def put_address(
    principal: Principal, application_id: int, body: DeliveryAddress, settings
) -> DeliveryView:
    """Free post of the result to this address (the item must offer delivery)."""
    case = await _own(principal, application_id, lock=True)
    if not await _offers_post(case):
        raise ApiError(409, "DELIVERY_NOT_OFFERED", "该事项不提供免费邮寄")
    if case.status in cases.FINISHED:
        raise ApiError(409, "CASE_CLOSED", "办件已结束，不能再修改邮寄地址")
    if await repo.has_outbound(case.id):
        raise ApiError(409, "ALREADY_SHIPPED", "办理结果已寄出，不能再修改邮寄地址")
    await cases.save_delivery_address(case, cases.checked_delivery_address(body), settings)
    await cases.add_timeline_note(case, "已登记免费邮寄地址", principal)
    return await _view(case, settings, offered=True)


async def delivery_view(principal: Principal, application_id: int, settings) -> DeliveryView:
    case = await _own(principal, application_id)
    return await _view(case, settings, offered=await _offers_post(case))


async def _view(case, settings, *, offered: bool) -> DeliveryView:
    return DeliveryView(
        offered=offered,
        address=cases.delivery_address(case, settings),
        shipments=await shipment_views(await repo.shipments_of(case.id)),
    )


async def mail_in(state, principal: Principal, application_id: int, body: MailIn) -> ShipmentView:
    """The citizen posted paper materials to the centre: record the waybill and track it."""
    case = await _own(principal, application_id, lock=True)
    if not await _offers_post(case):
        raise ApiError(409, "DELIVERY_NOT_OFFERED", "该事项不提供邮寄材料办理")
    if case.status in cases.FINISHED or case.status in cases.DECIDED:
        raise ApiError(409, "CASE_CLOSED", "办件已办结，无需再寄送材料")
    number = shipments.valid_waybill(body.company, body.waybill)
    shipment = await shipments.create(case, INBOUND, body.company, number, principal.user_id)
    await cases.add_timeline_note(
        case, f"申请人已寄出纸质材料：{COMPANIES[body.company]} {number}", principal
    )
    await shipments.subscribe_after_commit(state, shipment)
    return (await shipment_views([shipment]))[0]


async def record_post(case, request, actor: Principal) -> dict[str, Any] | None:
    """The cases workflow's deliver hook: staff ``/deliver {channel: "post"}`` records the shipment.

    Runs inside the request's unit of work, before the status would change; other channels are not
    ours (None). Its clients (kuaidi100) are those of the AppState the unit of work belongs to.
    """
    if getattr(request, "channel", None) != "post":
        return None
    state = db.current_state()
    if state is None:
        raise RuntimeError("the deliver hook runs inside a request's (or job's) unit of work")
    shipment = await record_post_delivery(state, case, request.company or "ems", request.waybill or "", actor)
    # the columns the workflow stores: the number as couriers print it
    return {"delivery_company": shipment.company, "delivery_waybill": shipment.waybill}


async def record_post_delivery(state, case, company: str, waybill: str, actor: Principal) -> Shipment:
    """The result leaves the hall's EMS desk under ``waybill``.

    Validates the number (422 WAYBILL_INVALID), needs the citizen's address (409
    DELIVERY_ADDRESS_MISSING), stores the shipment and subscribes to tracking after the commit (a
    failure is retried by the periodic job). The case stays approved/rejected until the courier
    reports it signed; then it becomes ``delivered``.
    """
    company = (company or "").strip().lower()
    if case.status not in cases.DECIDED:
        raise ApiError(409, "INVALID_TRANSITION", "办件尚未办结，不能寄递结果")
    number = shipments.valid_waybill(company, waybill)
    if not case.delivery_address_enc:
        raise ApiError(409, "DELIVERY_ADDRESS_MISSING", "申请人尚未填写邮寄地址")
    shipment = await shipments.create(case, OUTBOUND, company, number, actor.user_id)
    await cases.record_posted_result(case, company, number)
    await cases.add_timeline_note(case, f"办理结果已交寄：{COMPANIES.get(company, company)} {number}", actor)
    await outbox.enqueue(
        case.applicant_id,
        "delivery.shipped",
        {
            "application_id": case.id,
            "number": case.number,
            "item_name": case.item_name,
            "company": company,
            "waybill": number,
        },
        dedupe_key=f"delivery.shipped:{shipment.id}",
    )
    await shipments.subscribe_after_commit(state, shipment)
    return shipment
