"""Staff ``/deliver {channel: "post"}`` (the cases workflow) records the shipment through this hook.

The hook runs inside the workflow's transaction before the status changes: it validates the waybill
(422 WAYBILL_INVALID), needs the address (409 DELIVERY_ADDRESS_MISSING), stores the shipment and
subscribes to tracking (a failed call is retried by the periodic job).
"""

from __future__ import annotations

from typing import Any

from citizen_api.delivery import runtime, service


async def record_post(case, request, actor) -> dict[str, Any] | None:
    if getattr(request, "channel", None) != "post":
        return None
    state = runtime.current_state()
    shipment = await service.record_post_delivery(
        state, case, request.company or "ems", request.waybill or "", actor
    )
    # the workflow stores these columns: keep the number as couriers print it
    return {"delivery_company": shipment.company, "delivery_waybill": shipment.waybill}


def register() -> None:
    try:
        from citizen_api.cases.hooks import on_deliver
    except ImportError:  # the cases workflow is not there: record_post_delivery is called directly
        return
    on_deliver(record_post)
