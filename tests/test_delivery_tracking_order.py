"""Tracking only moves forward, over real HTTP (the kuaidi100 simulator pushes to the served app):
a signed parcel stays signed whatever correctly signed push follows — one without scans, one with a
scan of the same minute, an out-of-order older one — and the citizen's view stays as it was."""

from __future__ import annotations

from citizen_api.cases.models import Application, TimelineEntry
from citizen_api.delivery.models import Shipment, ShipmentEvent
from tests.conftest import create_staff
from tests.delivery_fixtures import ADDRESS, citizen, k100_sim, live, make_case, outbox_rows, s10  # noqa: F401

OK = (200, {"result": True, "returnCode": "200", "message": "成功"})


def scan(time: str, context: str) -> dict:
    return {"time": time, "ftime": time, "context": context}


async def _mailed(live, serial: str = "20262026"):
    """A window clerk posts alice's approved result over the staff API; kuaidi100 tracks it."""
    alice, headers = await citizen(live.api, "alice")
    clerk = await create_staff("win1", "window", "GA")
    case = await make_case(alice, status="approved", address=ADDRESS, settings=live.settings)
    waybill = s10(serial)
    resp = await live.client.post(
        f"/api/v1/staff/applications/{case.id}/deliver",
        json={"channel": "post", "company": "ems", "waybill": waybill},
        headers=await live.api.staff_headers("win1"),
    )
    assert resp.status_code == 200, resp.text
    return case, waybill, clerk, headers


async def _seen(live, case, headers) -> tuple:
    """What the citizen and the staff can see: the tracking view, the case, its timeline, messages."""
    view = (await live.client.get(f"/api/v1/applications/{case.id}/delivery", headers=headers)).json()
    stored = await Application.get(id=case.id)
    timeline = await TimelineEntry.filter(application_id=case.id).count()
    messages = [r.id for r in await outbox_rows()]
    return view["shipments"], stored.status, timeline, messages


async def _signed(live, k100_sim):
    case, waybill, clerk, headers = await _mailed(live)
    assert await k100_sim.push(waybill, "1", context="【广州市】已收寄", time="2026-03-02 09:00:00") == OK
    assert (
        await k100_sim.push(waybill, "5", context="派件员 王师傅 正在派件", time="2026-03-03 09:00:00") == OK
    )
    assert await k100_sim.push(waybill, "3", context="已签收，签收人：本人", time="2026-03-03 11:00:00") == OK
    assert (await Application.get(id=case.id)).status == "delivered"
    return case, waybill, clerk, headers


async def test_a_push_without_scans_changes_nothing_but_is_recorded(live, k100_sim):
    case, waybill, _clerk, headers = await _signed(live, k100_sim)
    before = await _seen(live, case, headers)
    assert before[0][0]["status"] == "signed"

    for state in ("0", "1", "3"):  # whatever state it claims, a push with no scan says nothing
        assert await k100_sim.push(waybill, state, scans=[]) == OK
    assert await k100_sim.repeat(waybill) == OK

    assert await _seen(live, case, headers) == before
    shipment = await Shipment.get(waybill=waybill)
    assert (shipment.status, shipment.last_state, shipment.last_context) == (
        "signed",
        "3",
        "已签收，签收人：本人",
    )
    # each distinct push is on record as received (a repeat of one is not a second receipt)
    assert await ShipmentEvent.filter(shipment_id=shipment.id, state="empty").count() == 3


async def test_a_scan_of_the_same_minute_after_the_signature_does_not_unsign(live, k100_sim):
    case, waybill, _clerk, headers = await _signed(live, k100_sim)
    before_shipments, *before_rest = await _seen(live, case, headers)

    # the same minute as the signature, to the second and to the minute only; then a later transit scan
    for time in ("2026-03-03 11:00:00", "2026-03-03 11:00"):
        pushed = await k100_sim.push(waybill, "0", scans=[scan(time, "快件已到达广州海珠揽投部")])
        assert pushed == OK
    assert await k100_sim.push(waybill, "0", scans=[scan("2026-03-03 12:00:00", "快件离开揽投部")]) == OK

    shipments, *rest = await _seen(live, case, headers)
    assert rest == before_rest  # the case stays delivered; no timeline entry, no message
    [shown] = shipments
    assert (shown["status"], shown["status_text"]) == ("signed", "已签收")
    assert shown["last_event_at"] == before_shipments[0]["last_event_at"] == "2026-03-03T11:00:00+08:00"
    shipment = await Shipment.get(waybill=waybill)
    assert (shipment.status, shipment.last_state) == ("signed", "3")
    # the scans are kept as the courier's history; at the signature's minute the signature comes first
    minute = [e["state_text"] for e in shown["events"] if e["at"] == "2026-03-03T11:00:00+08:00"]
    assert minute[0] == "已签收"


async def test_an_out_of_order_older_push_does_not_move_the_parcel_back(live, k100_sim):
    case, waybill, clerk, headers = await _mailed(live, "31415926")
    assert (
        await k100_sim.push(waybill, "5", context="派件员 王师傅 正在派件", time="2026-03-03 09:00:00") == OK
    )
    before_shipments, *before_rest = await _seen(live, case, headers)

    # kuaidi100 delivers an older snapshot late: a 疑难件 of the night before, then an older transit
    late = [scan("2026-03-02 22:00:00", "地址不详，联系收件人")]
    assert await k100_sim.push(waybill, "2", scans=late) == OK
    assert await k100_sim.push(waybill, "0", scans=[scan("2026-03-02 20:00:00", "到达广州处理中心")]) == OK

    shipments, *rest = await _seen(live, case, headers)
    assert rest == before_rest  # no staff warning, no message to the citizen, no timeline entry
    assert await outbox_rows("delivery.warning", user_id=clerk.id) == []
    [shown] = shipments
    assert shown["status"] == "tracking"
    assert shown["last_event_at"] == before_shipments[0]["last_event_at"] == "2026-03-03T09:00:00+08:00"
    assert shown["events"][0]["state_text"] == "派件中"  # still the newest news
    assert (await Shipment.get(waybill=waybill)).last_state == "5"

    # and the parcel still moves on: a newer 疑难件 warns, a newer scan takes it on, the signature ends it
    assert await k100_sim.push(waybill, "2", context="收件人电话无法接通", time="2026-03-03 10:00:00") == OK
    assert (await Shipment.get(waybill=waybill)).status == "problem"
    assert len(await outbox_rows("delivery.warning", user_id=clerk.id)) == 1
    assert await k100_sim.push(waybill, "5", context="再次派件", time="2026-03-03 14:00:00") == OK
    assert (await Shipment.get(waybill=waybill)).status == "tracking"
    assert await k100_sim.push(waybill, "3", context="已签收，签收人：本人", time="2026-03-03 15:00") == OK
    assert (await Shipment.get(waybill=waybill)).status == "signed"
    assert (await Application.get(id=case.id)).status == "delivered"
    assert len(await outbox_rows("case.delivered", user_id=case.applicant_id)) == 1


async def test_a_late_older_scan_never_moves_a_signed_parcel_back(live, k100_sim):
    case, waybill, _clerk, headers = await _signed(live, k100_sim)
    _shipments, *before_rest = await _seen(live, case, headers)
    older = [scan("2026-03-03 10:30:00", "派件员 王师傅 正在派件"), scan("2026-03-02 20:00:00", "到达广州")]
    assert await k100_sim.push(waybill, "5", scans=older) == OK
    assert await k100_sim.push(waybill, "14", scans=[scan("2026-03-03 10:45:00", "收件人拒收")]) == OK
    shipments, *rest = await _seen(live, case, headers)
    assert rest == before_rest
    assert shipments[0]["status"] == "signed" and shipments[0]["events"][0]["state_text"] == "已签收"
    assert (await Shipment.get(waybill=waybill)).status == "signed"
