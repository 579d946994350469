"""送至服务点: a decided case's result goes to a village point, where the villager collects it.

- staff ``/deliver {channel: "point", point?}``: :func:`record_point`, the cases workflow's deliver
  hook (registered by ``citizen_api.domains``) — the point defaults to the one that filed the case
  (422 POINT_REQUIRED when there is none), must be a placed village point (404 POINT_NOT_FOUND); the
  citizen is told (``point.arrived``, with the point's name); the case stays decided;
- the point's 代办员 hands it over (:func:`hand_over`): the delivery is closed (409 ALREADY_HANDED_OVER
  the second time), the case delivered, the citizen told (``point.handed_over``).
"""

from __future__ import annotations

from typing import Any

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import service as cases
from citizen_api.errors import ApiError
from citizen_api.points import hierarchy
from citizen_api.points import repository as repo
from citizen_api.points.models import PointDelivery
from citizen_api.points.schemas import PointDeliveryOut
from citizen_api.points.scope import point_of
from citizen_api.points.transitions import DELIVERIES
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_name, mask_phone
from citizen_api.security.principal import Principal
from notifications import outbox


async def record_point(case, request, actor: Principal) -> dict[str, Any] | None:
    """The deliver hook for ``channel: "point"`` (inside the request's unit of work)."""
    if getattr(request, "channel", None) != "point":
        return None
    if case.status not in cases.DECIDED:
        raise ApiError(409, "INVALID_TRANSITION", "办件尚未办结，不能送至服务点")
    code = request.point
    if code is None:
        filed = await repo.filing_of_case(case.id)
        if filed is None:
            raise ApiError(422, "POINT_REQUIRED", "该办件不是服务点代办的，请选择送达的便民服务点")
        code = filed.point_code
    point = await hierarchy.village_point(code)
    if point is None:
        raise ApiError(404, "POINT_NOT_FOUND", "未找到该村（社区）便民服务点", {"point": code})
    if await repo.waiting_delivery_of_case(case.id) is not None:
        raise ApiError(409, "ALREADY_AT_POINT", "办理结果已送至服务点，待群众领取")
    _, name, _ = point
    delivery = await repo.create_delivery(
        application_id=case.id,
        case_number=case.number,
        item_name=case.item_name,
        user_id=case.applicant_id,
        department_code=case.department_code,
        point_code=code,
        arrived_at=clock.now(),
        sent_by=actor.user_id,
    )
    await cases.record_point_result(case)
    await cases.add_timeline_note(case, f"办理结果已送至{name}，请到服务点领取", actor)
    await outbox.enqueue(
        case.applicant_id,
        "point.arrived",
        {
            "application_id": case.id,
            "number": case.number,
            "item_name": case.item_name,
            "state_label": "待领取",  # a phrase: at most five characters
            "point_name": name,
            "note": "请携带身份证到服务点领取",
        },
        dedupe_key=f"point.arrived:{delivery.id}",
    )
    return {}


async def hand_over(agent: Principal, delivery_id: int, settings, request_id: str = "") -> PointDeliveryOut:
    """The villager collected the result at the agent's own point: close the delivery, deliver the case."""
    point = await point_of(agent)
    delivery = await repo.delivery(delivery_id)
    if delivery is None or delivery.point_code != point.code:
        raise ApiError(404, "NOT_FOUND", "未找到本服务点的该件办理结果")
    now = clock.now()
    if delivery.status not in DELIVERIES.sources("hand_over") or not await repo.move(
        delivery.id, "hand_over", handed_over_at=now, handed_over_by=agent.user_id
    ):
        raise DELIVERIES.refuse("hand_over", delivery.status)
    case = await cases.case_by_id(delivery.application_id)
    await cases.delivered_at_point(case, point.name, now, agent)
    await audit.record(
        agent, "points.hand_over", "application", case.id, {"delivery_id": delivery.id}, request_id=request_id
    )
    await outbox.enqueue(
        delivery.user_id,
        "point.handed_over",
        {
            "application_id": case.id,
            "number": case.number,
            "item_name": case.item_name,
            "state_label": "已领取",
            "point_name": point.name,
            "note": "已在服务点领取",
        },
        dedupe_key=f"point.handed_over:{delivery.id}",
    )
    found = await repo.delivery(delivery.id)
    assert found is not None
    return (await _out([found], {point.code: point.name}, settings))[0]


async def deliveries(
    agent: Principal, status: str | None, offset: int, size: int, settings
) -> tuple[int, list[PointDeliveryOut]]:
    point = await point_of(agent)
    total, rows = await repo.deliveries_page(point.code, status, offset, size)
    return total, await _out(rows, {point.code: point.name}, settings)


async def _out(rows: list[PointDelivery], names: dict[str, str], settings) -> list[PointDeliveryOut]:
    found = await cases.cases_by_id(row.application_id for row in rows)
    cipher = cipher_for(settings)
    out = []
    for row in rows:
        case = found.get(row.application_id)
        name = mask_name(cipher.decrypt(case.applicant_name_enc)) if case else None
        phone = mask_phone(cipher.decrypt(case.applicant_phone_enc)) if case else None
        out.append(
            PointDeliveryOut(
                id=row.id,
                application_id=row.application_id,
                number=row.case_number,
                item_name=row.item_name,
                point_code=row.point_code,
                point_name=names.get(row.point_code, row.point_code),
                status=row.status,
                status_text=DELIVERIES.text[row.status],
                applicant_name=name or "",
                applicant_phone=phone or "",
                arrived_at=row.arrived_at,
                handed_over_at=row.handed_over_at,
                actions=["hand_over"] if DELIVERIES.allows(row.status, "hand_over") else [],
            )
        )
    return out
