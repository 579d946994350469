"""Staff ``/deliver {channel: "post"}`` (the cases workflow) records the shipment through this hook,
registered with the cases domain by the registry (``citizen_api.domains``).

The hook runs inside the workflow's unit of work before the status changes: it validates the
waybill (422 WAYBILL_INVALID), needs the address (409 DELIVERY_ADDRESS_MISSING), stores the shipment
and subscribes to tracking (a failed call is retried by the periodic job). Its clients (kuaidi100)
are those of the AppState the unit of work belongs to.
"""

from __future__ import annotations

from typing import Any

from citizen_api import db
from citizen_api.delivery import service


async def record_post(case, request, actor) -> dict[str, Any] | None:
    if getattr(request, "channel", None) != "post":
        return None
    state = db.current_state()
    if state is None:
        raise RuntimeError("the deliver hook runs inside a request's (or job's) unit of work")
    shipment = await service.record_post_delivery(
        state, case, request.company or "ems", request.waybill or "", actor
    )
    # the workflow stores these columns: keep the number as couriers print it
    return {"delivery_company": shipment.company, "delivery_waybill": shipment.waybill}
