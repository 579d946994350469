"""双向寄递 over real HTTP: a citizen's mail-in claim of a number cannot block the hall's mailing under it
(nor the other way round), a number is still used once per direction, and the courier's pushes for a
number in both directions go to the hall's parcel — not to the claim."""

from __future__ import annotations

from citizen_api.cases.models import Application
from citizen_api.delivery.models import Shipment
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import ADDRESS, citizen, k100_sim, live, make_case, outbox_rows, s10  # noqa: F401

OK = (200, {"result": True, "returnCode": "200", "message": "成功"})
NEXT_HALL_WAYBILL = s10("50000001")  # the next label on the hall's EMS desk


async def _people(live):
    alice, alice_headers = await citizen(live.api, "alice")  # her result is to be posted
    _mallory, mallory_headers = await citizen(live.api, "mallory")  # has an open case of her own
    clerk = await create_staff("win1", "window", "GA")
    await create_staff("win2", "window", "MZ")
    result_case = await make_case(alice, status="approved", address=ADDRESS, settings=live.settings)
    open_case = await make_case(_mallory, status="submitted", department="MZ")
    return alice_headers, mallory_headers, clerk, result_case, open_case


async def _mail_in(live, case_id: int, waybill: str, headers):
    return await live.client.post(
        f"/api/v1/applications/{case_id}/mail-in",
        json={"company": "ems", "waybill": waybill},
        headers=headers,
    )


async def _deliver(live, case_id: int, waybill: str):
    return await live.client.post(
        f"/api/v1/staff/applications/{case_id}/deliver",
        json={"channel": "post", "company": "ems", "waybill": waybill},
        headers=await live.api.staff_headers("win1"),
    )


async def _views(live, case_id: int, headers) -> list[dict]:
    return (await live.client.get(f"/api/v1/applications/{case_id}/delivery", headers=headers)).json()[
        "shipments"
    ]


async def test_a_mail_in_claim_of_the_halls_next_number_does_not_block_its_mailing(live, k100_sim):
    alice_headers, mallory_headers, clerk, result_case, open_case = await _people(live)

    claimed = await _mail_in(live, open_case.id, NEXT_HALL_WAYBILL, mallory_headers)
    assert claimed.status_code == 201, claimed.text
    resp = await _deliver(live, result_case.id, NEXT_HALL_WAYBILL)
    assert resp.status_code == 200, resp.text  # was 409 WAYBILL_IN_USE
    stored = await Application.get(id=result_case.id)
    assert (stored.delivery_channel, stored.delivery_waybill) == ("post", NEXT_HALL_WAYBILL)
    assert len(await outbox_rows("delivery.shipped", user_id=result_case.applicant_id)) == 1
    both = await Shipment.filter(waybill=NEXT_HALL_WAYBILL).order_by("id")
    assert [(s.direction, s.application_id, s.status) for s in both] == [
        ("inbound", open_case.id, "tracking"),
        ("outbound", result_case.id, "tracking"),  # kuaidi100 answered 501 重复订阅: the tracking stands
    ]
    assert k100_sim.subscriptions[NEXT_HALL_WAYBILL].times == 2
    # the clash is flagged to both departments' staff, once
    clashes = [r for r in await outbox_rows("delivery.warning") if r.payload["state"] == "waybill_clash"]
    assert sorted(r.user_id for r in clashes) == sorted([clerk.id, (await _staff_id("win2"))])

    # the pushes are the hall's parcel: alice's result is signed and her case delivered …
    assert (
        await k100_sim.push(NEXT_HALL_WAYBILL, "1", context="【广州市】已收寄", time="2026-03-02 09:00:00")
        == OK
    )
    signed = await k100_sim.push(
        NEXT_HALL_WAYBILL, "3", context="已签收，签收人：张三", time="2026-03-03 11:00:00"
    )
    assert signed == OK
    assert (await Application.get(id=result_case.id)).status == "delivered"
    [mine] = await _views(live, result_case.id, alice_headers)
    assert (mine["direction"], mine["status"]) == ("outbound", "signed")
    assert [e["state_text"] for e in mine["events"]] == ["已签收", "已揽收"]
    # … and the claim learns nothing of it: no trace of alice's parcel, no false "materials arrived"
    [claim] = await _views(live, open_case.id, mallory_headers)
    assert (claim["direction"], claim["status"], claim["events"]) == ("inbound", "tracking", [])
    assert await outbox_rows("delivery.mail_in_arrived") == []
    assert (await Application.get(id=open_case.id)).status == "submitted"


async def test_the_hall_mailing_first_then_a_claim_of_its_number(live, k100_sim):
    alice_headers, mallory_headers, _clerk, result_case, open_case = await _people(live)
    assert (await _deliver(live, result_case.id, NEXT_HALL_WAYBILL)).status_code == 200
    claimed = await _mail_in(live, open_case.id, NEXT_HALL_WAYBILL.lower(), mallory_headers)
    assert claimed.status_code == 201, claimed.text

    assert (
        await k100_sim.push(
            NEXT_HALL_WAYBILL, "3", context="已签收，签收人：张三", time="2026-03-03 11:00:00"
        )
        == OK
    )
    assert await k100_sim.repeat(NEXT_HALL_WAYBILL) == OK
    assert (await Application.get(id=result_case.id)).status == "delivered"
    assert (await _views(live, result_case.id, alice_headers))[0]["status"] == "signed"
    assert (await _views(live, open_case.id, mallory_headers))[0]["events"] == []
    assert await outbox_rows("delivery.mail_in_arrived") == []


async def test_a_number_is_still_used_once_per_direction(live, k100_sim):
    alice_headers, mallory_headers, _clerk, result_case, open_case = await _people(live)
    assert (await _deliver(live, result_case.id, NEXT_HALL_WAYBILL)).status_code == 200
    assert (await _mail_in(live, open_case.id, NEXT_HALL_WAYBILL, mallory_headers)).status_code == 201

    # outbound again, for another case: refused
    other_result = await make_case(
        result_case.applicant_id, status="approved", address=ADDRESS, settings=live.settings
    )
    assert_error(await _deliver(live, other_result.id, NEXT_HALL_WAYBILL), 409, "WAYBILL_IN_USE")
    assert (await Application.get(id=other_result.id)).delivery_waybill is None
    # inbound again, by another citizen or for another case: refused
    other_open = await make_case(result_case.applicant_id, status="submitted")
    assert_error(await _mail_in(live, other_open.id, NEXT_HALL_WAYBILL, alice_headers), 409, "WAYBILL_IN_USE")
    # the same registration again is the same shipment
    again = await _mail_in(live, open_case.id, NEXT_HALL_WAYBILL, mallory_headers)
    assert again.status_code == 201
    assert await Shipment.filter(waybill=NEXT_HALL_WAYBILL).count() == 2


async def test_a_genuine_mail_in_alone_is_tracked_to_its_arrival(live, k100_sim):
    _alice_headers, mallory_headers, _clerk, _result_case, open_case = await _people(live)
    waybill = s10("77778888", "EB")
    assert (await _mail_in(live, open_case.id, waybill, mallory_headers)).status_code == 201
    assert await k100_sim.push(waybill, "3", context="中心收发室已签收", time="2026-03-03 11:00:00") == OK
    [claim] = await _views(live, open_case.id, mallory_headers)
    assert (claim["status"], [e["state_text"] for e in claim["events"]]) == ("signed", ["已签收"])
    assert len(await outbox_rows("delivery.mail_in_arrived")) == 1


async def _staff_id(username: str) -> int:
    from citizen_api.users.models import User

    return (await User.get(username=username)).id
