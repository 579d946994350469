"""kuaidi100 pushes, over real HTTP from the simulator to the app: signatures, duplicates, each state."""

from __future__ import annotations

import pytest

from citizen_api.cases.models import Application, TimelineEntry
from citizen_api.db import atomic
from citizen_api.delivery import service
from citizen_api.delivery.models import Shipment, ShipmentEvent
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import (  # noqa: F401
    ADDRESS,
    citizen,
    k100_sim,
    live,
    make_case,
    outbox_rows,
    s10,
)

OK = {"result": True, "returnCode": "200", "message": "成功"}


async def _shipped(live, k100_sim, *, status: str = "approved", serial: str = "12345678"):
    """A decided case with an address, its result handed to EMS by a window clerk."""
    alice, headers = await citizen(live.api, "alice")
    case = await make_case(alice, status=status, address=ADDRESS, settings=live.settings)
    clerk = await create_staff("win1", "window", "GA")
    waybill = s10(serial)
    async with atomic():
        await service.record_post_delivery(
            live.state, case, "ems", waybill, Principal(clerk.id, "window", "GA")
        )
    return case, waybill, clerk, headers


async def _delivery_timeline(case_id: int) -> list[TimelineEntry]:
    return await TimelineEntry.filter(application_id=case_id, kind="delivery").order_by("id")


async def test_post_delivery_subscribes_with_our_callback(live, k100_sim):
    case, waybill, _clerk, _headers = await _shipped(live, k100_sim)
    sub = k100_sim.subscriptions[waybill]
    assert sub.callbackurl == f"{live.base_url}/api/v1/callbacks/kuaidi100"
    assert sub.salt == live.settings.kuaidi100_salt
    assert sub.phone == "13800138000"  # EMS tracking of the recipient
    shipment = await Shipment.get(waybill=waybill)
    assert shipment.status == "tracking"
    refreshed = await Application.get(id=case.id)
    assert (refreshed.delivery_channel, refreshed.delivery_waybill) == ("post", waybill)
    shipped = await outbox_rows("delivery.shipped", user_id=case.applicant_id)
    assert len(shipped) == 1 and shipped[0].payload["waybill"] == waybill


async def test_unsigned_and_badly_signed_pushes_are_refused(live, k100_sim):
    case, waybill, _clerk, _headers = await _shipped(live, k100_sim)
    status, answer = await k100_sim.push(waybill, "3", context="已签收", sign="none")
    assert status == 403 and answer["error"]["code"] == "SIGNATURE_INVALID"
    status, answer = await k100_sim.push(waybill, "3", context="已签收", sign="bad")
    assert status == 403 and answer["error"]["code"] == "SIGNATURE_INVALID"
    assert await ShipmentEvent.all().count() == 0
    assert (await Application.get(id=case.id)).status == "approved"
    resp = await live.client.post("/api/v1/callbacks/kuaidi100", data={"param": "{}"})
    assert_error(resp, 403, "SIGNATURE_INVALID")
    # bytes that are not UTF-8 and a non-ASCII sign (found by schemathesis): refused, not a 500
    resp = await live.client.post(
        "/api/v1/callbacks/kuaidi100",
        content=b"param=%F1%A2%B9%A4&sign=%C3%A4%C3%85",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_error(resp, 403, "SIGNATURE_INVALID")


async def test_transit_push_is_recorded_once_and_shown_to_the_citizen(live, k100_sim):
    case, waybill, _clerk, headers = await _shipped(live, k100_sim)
    status, answer = await k100_sim.push(
        waybill, "1", context="【广州市】EMS 已收寄", time="2026-03-02 09:00:00"
    )
    assert (status, answer) == (200, OK)
    status, answer = await k100_sim.push(waybill, "0", context="到达广州处理中心", time="2026-03-02 18:00:00")
    assert (status, answer) == (200, OK)
    before = (await ShipmentEvent.all().count(), len(await _delivery_timeline(case.id)), await outbox_rows())

    # kuaidi100 repeats a push until it hears from us: the second copy changes nothing
    status, answer = await k100_sim.repeat(waybill)
    assert (status, answer) == (200, OK)
    after = (await ShipmentEvent.all().count(), len(await _delivery_timeline(case.id)), await outbox_rows())
    assert after[:2] == before[:2]
    assert [r.id for r in after[2]] == [r.id for r in before[2]]

    view = (await live.client.get(f"/api/v1/applications/{case.id}/delivery", headers=headers)).json()
    [shipment] = view["shipments"]
    assert shipment["status"] == "tracking"
    assert [e["state_text"] for e in shipment["events"]] == ["运输中", "已揽收"]
    assert shipment["events"][0]["at"] == "2026-03-02T18:00:00+08:00"
    notes = [t.note for t in await _delivery_timeline(case.id)]
    assert any("已揽收" in n for n in notes) and any("到达广州处理中心" in n for n in notes)


async def test_signed_push_delivers_the_case_once(live, k100_sim):
    case, waybill, _clerk, _headers = await _shipped(live, k100_sim)
    await k100_sim.push(waybill, "5", context="派件员 王师傅 正在派件", time="2026-03-03 09:00:00")
    assert (await Application.get(id=case.id)).status == "approved"
    status, answer = await k100_sim.push(
        waybill, "3", context="已签收，签收人：本人", time="2026-03-03 11:00:00"
    )
    assert (status, answer) == (200, OK)
    delivered = await Application.get(id=case.id)
    assert delivered.status == "delivered" and delivered.finished_at is not None
    entry = await TimelineEntry.get(application_id=case.id, kind="status", to_status="delivered")
    assert entry.from_status == "approved"
    assert len(await outbox_rows("case.delivered", user_id=case.applicant_id)) == 1
    await k100_sim.repeat(waybill)
    assert len(await outbox_rows("case.delivered", user_id=case.applicant_id)) == 1
    assert (
        await TimelineEntry.filter(application_id=case.id, to_status="delivered", kind="status").count() == 1
    )
    assert (await Shipment.get(waybill=waybill)).status == "signed"


@pytest.mark.parametrize(("state", "status"), [("2", "problem"), ("4", "returned"), ("14", "refused")])
async def test_trouble_warns_staff_and_tells_the_citizen(live, k100_sim, state, status):
    case, waybill, clerk, _headers = await _shipped(live, k100_sim)
    result = await k100_sim.push(waybill, state, context="收件人电话无法接通", time="2026-03-03 10:00:00")
    assert result == (200, OK)
    assert (await Shipment.get(waybill=waybill)).status == status
    warnings = await outbox_rows("delivery.warning", user_id=clerk.id, audience="staff")
    assert len(warnings) == 1 and warnings[0].payload["waybill"] == waybill
    told = await outbox_rows("delivery.event", user_id=case.applicant_id, audience="citizen")
    assert len(told) == 1 and told[0].payload["state"] == state
    assert (await Application.get(id=case.id)).status == "approved"
    await k100_sim.repeat(waybill)
    assert len(await outbox_rows("delivery.warning")) == 1


async def test_abort_resubscribes_once_then_warns(live, k100_sim):
    _case, waybill, clerk, _headers = await _shipped(live, k100_sim)
    assert await k100_sim.push(waybill, status="abort", message="3天查询无记录") == (200, OK)
    sub = k100_sim.subscriptions[waybill]
    assert sub.times == 2 and not sub.aborted  # subscribed again
    assert (await Shipment.get(waybill=waybill)).status == "tracking"
    assert await outbox_rows("delivery.warning") == []

    assert await k100_sim.push(waybill, status="abort", message="3天查询无记录") == (200, OK)
    assert k100_sim.subscriptions[waybill].times == 2  # not a third time
    assert (await Shipment.get(waybill=waybill)).status == "aborted"
    warnings = await outbox_rows("delivery.warning", user_id=clerk.id)
    assert len(warnings) == 1 and warnings[0].payload["state"] == "abort"


async def test_malformed_and_unknown_pushes(live, k100_sim):
    from citizen_api.delivery.kuaidi100 import push_sign

    salt = live.settings.kuaidi100_salt
    url = "/api/v1/callbacks/kuaidi100"
    not_json = "{not json"
    assert_error(
        await live.client.post(url, data={"param": not_json, "sign": push_sign(not_json, salt)}),
        422,
        "VALIDATION_ERROR",
    )
    unknown = '{"status":"polling","lastResult":{"state":"0","com":"ems","nu":"EA000000000CN","data":[]}}'
    resp = await live.client.post(url, data={"param": unknown, "sign": push_sign(unknown, salt)})
    assert resp.status_code == 200 and resp.json() == OK
    weird = '{"status":"polling","lastResult":{"state":[1],"nu":"\\u0000x","data":[{"context":"\\u0000"}]}}'
    resp = await live.client.post(url, data={"param": weird, "sign": push_sign(weird, salt)})
    assert resp.status_code == 200


async def test_record_post_delivery_refusals(live, k100_sim):
    alice, _headers = await citizen(live.api, "alice")
    clerk = Principal(1, "window", "GA")
    no_address = await make_case(alice, status="approved")
    with_address = await make_case(alice, status="approved", address=ADDRESS, settings=live.settings)
    open_case = await make_case(alice, status="accepted", address=ADDRESS, settings=live.settings)
    good = s10("87654321")
    bad = good[:10] + str((int(good[10]) + 1) % 10) + good[11:]
    with pytest.raises(ApiError) as caught:
        await service.record_post_delivery(live.state, with_address, "ems", bad, clerk)
    assert (caught.value.status, caught.value.code) == (422, "WAYBILL_INVALID")
    with pytest.raises(ApiError) as caught:
        await service.record_post_delivery(live.state, with_address, "ems", "12345", clerk)
    assert caught.value.code == "WAYBILL_INVALID"
    with pytest.raises(ApiError) as caught:
        await service.record_post_delivery(live.state, no_address, "ems", good, clerk)
    assert (caught.value.status, caught.value.code) == (409, "DELIVERY_ADDRESS_MISSING")
    with pytest.raises(ApiError) as caught:
        await service.record_post_delivery(live.state, open_case, "ems", good, clerk)
    assert caught.value.code == "INVALID_TRANSITION"
    async with atomic():
        await service.record_post_delivery(live.state, with_address, "ems", "1234567890123", clerk)
    other = await make_case(alice, status="approved", address=ADDRESS, settings=live.settings)
    with pytest.raises(ApiError) as caught:
        async with atomic():
            await service.record_post_delivery(live.state, other, "ems", "1234567890123", clerk)
    assert caught.value.code == "WAYBILL_IN_USE"
    assert await Shipment.all().count() == 1


async def test_mail_in_is_tracked_and_its_arrival_tells_staff(live, k100_sim):
    alice, headers = await citizen(live.api, "alice")
    _bob, bob_headers = await citizen(live.api, "bob")
    clerk = await create_staff("win1", "window", "GA")
    case = await make_case(alice, status="submitted")
    url = f"/api/v1/applications/{case.id}/mail-in"
    waybill = s10("24681357", "EB")

    assert_error(
        await live.client.post(url, json={"company": "ems", "waybill": waybill}, headers=bob_headers),
        404,
        "NOT_FOUND",
    )
    wrong = waybill[:10] + str((int(waybill[10]) + 3) % 10) + "CN"
    assert_error(
        await live.client.post(url, json={"company": "ems", "waybill": wrong}, headers=headers),
        422,
        "WAYBILL_INVALID",
    )
    assert_error(
        await live.client.post(url, json={"company": "dhl-x", "waybill": waybill}, headers=headers),
        422,
        "VALIDATION_ERROR",
    )
    resp = await live.client.post(url, json={"company": "ems", "waybill": waybill.lower()}, headers=headers)
    assert resp.status_code == 201, resp.text
    assert resp.json()["direction"] == "inbound" and resp.json()["waybill"] == waybill
    assert waybill in k100_sim.subscriptions  # subscribed after the commit

    assert await k100_sim.push(waybill, "3", context="中心收发室已签收") == (200, OK)
    arrived = await outbox_rows("delivery.mail_in_arrived", user_id=clerk.id, audience="staff")
    assert len(arrived) == 1
    assert (await Application.get(id=case.id)).status == "submitted"  # materials in: the case goes on
    assert await outbox_rows("case.delivered") == []
