"""Staff ``/deliver {channel: "post"}`` over HTTP, through the cases workflow, to the courier's signature."""

from __future__ import annotations

from citizen_api.cases.models import Application, TimelineEntry
from citizen_api.delivery.models import Shipment
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import ADDRESS, citizen, k100_sim, live, make_case, outbox_rows, s10  # noqa: F401

OK = {"result": True, "returnCode": "200", "message": "成功"}


def deliver_url(case_id: int) -> str:
    return f"/api/v1/staff/applications/{case_id}/deliver"


async def test_staff_post_delivery_through_the_workflow_to_the_signature(live, k100_sim):
    alice, headers = await citizen(live.api, "alice")
    await create_staff("win1", "window", "GA")
    win = await live.api.staff_headers("win1")
    case = await make_case(alice, status="approved", address=ADDRESS, settings=live.settings)
    waybill = s10("13572468")

    # a mistyped number is refused before anything changes
    wrong = waybill[:10] + str((int(waybill[10]) + 1) % 10) + "CN"
    assert_error(
        await live.client.post(
            deliver_url(case.id), json={"channel": "post", "company": "ems", "waybill": wrong}, headers=win
        ),
        422,
        "WAYBILL_INVALID",
    )
    assert (await Application.get(id=case.id)).status == "approved"
    assert await Shipment.all().count() == 0 and k100_sim.subscriptions == {}

    resp = await live.client.post(
        deliver_url(case.id), json={"channel": "post", "company": "ems", "waybill": waybill}, headers=win
    )
    assert resp.status_code == 200, resp.text
    sub = k100_sim.subscriptions[waybill]
    assert sub.callbackurl == f"{live.base_url}/api/v1/callbacks/kuaidi100" and sub.phone == ADDRESS["phone"]
    shipment = await Shipment.get(waybill=waybill)
    assert (shipment.status, shipment.direction) == ("tracking", "outbound")
    stored = await Application.get(id=case.id)
    assert (stored.delivery_channel, stored.delivery_company, stored.delivery_waybill) == (
        "post",
        "ems",
        waybill,
    )
    assert len(await outbox_rows("delivery.shipped", user_id=alice)) == 1

    assert await k100_sim.push(waybill, "1", context="【广州市】已收寄", time="2026-03-02 09:00:00") == (
        200,
        OK,
    )

    async def told_signed() -> int:
        """Messages about the signature: the case delivered, or (already delivered) the parcel signed."""
        signed = [r for r in await outbox_rows("delivery.event", user_id=alice) if r.payload["state"] == "3"]
        return len(signed) + len(await outbox_rows("case.delivered", user_id=alice))

    before = await told_signed()
    signed = await k100_sim.push(waybill, "3", context="已签收，签收人：本人", time="2026-03-03 11:00:00")
    assert signed == (200, OK)
    await k100_sim.repeat(waybill)
    assert await told_signed() == before + 1  # exactly one, repeats included
    assert (await Application.get(id=case.id)).status == "delivered"
    assert (await Shipment.get(waybill=waybill)).status == "signed"
    notes = [
        t.note for t in await TimelineEntry.filter(application_id=case.id, kind="delivery").order_by("id")
    ]
    assert any("已收寄" in n for n in notes) and any("已签收" in n for n in notes)

    view = (await live.client.get(f"/api/v1/applications/{case.id}/delivery", headers=headers)).json()
    assert [e["state_text"] for e in view["shipments"][0]["events"]] == ["已签收", "已揽收"]


async def test_staff_post_delivery_refusals_over_http(live, k100_sim):
    alice, _headers = await citizen(live.api, "alice")
    await create_staff("win1", "window", "GA")
    win = await live.api.staff_headers("win1")
    no_address = await make_case(alice, status="approved")
    body = {"channel": "post", "company": "ems", "waybill": s10("11112222")}
    assert_error(
        await live.client.post(deliver_url(no_address.id), json=body, headers=win),
        409,
        "DELIVERY_ADDRESS_MISSING",
    )
    assert_error(
        await live.client.post(deliver_url(no_address.id), json={"channel": "post"}, headers=win),
        422,
        "VALIDATION_ERROR",
    )
    assert (await Application.get(id=no_address.id)).status == "approved"

    # collected at the window: no shipment, no courier subscription
    resp = await live.client.post(deliver_url(no_address.id), json={"channel": "window"}, headers=win)
    assert resp.status_code == 200 and resp.json()["status"] == "delivered"
    assert await Shipment.all().count() == 0 and k100_sim.subscriptions == {}
