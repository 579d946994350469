"""24-hour self-service pickup (自助取件) end to end over HTTP: the clerk puts a decided case's result
into the hall's locker (the locker simulator on loopback opens a door), the citizen is told a pickup
code, types it at the locker (the simulator's signed call back to the app) and the case is delivered;
an expired code is refused and staff take the result back to the window. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from citizen_api import clock
from citizen_api.cases.models import Application
from citizen_api.jobs import JobContext
from citizen_api.lockers.jobs import run_locker_expiry
from citizen_api.lockers.models import LockerDeposit
from citizen_api.lockers.seed import seed as seed_lockers
from infra.simulators.locker import LockerSimulator
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import Live, citizen, locker_sim, make_case, outbox_rows, serve_live  # noqa: F401


@pytest.fixture
async def live(tmp_path, database_url, wechat_sim, locker_sim) -> AsyncIterator[Live]:
    """The app under uvicorn on a loopback port: it calls the locker simulator, which calls it back."""
    async with serve_live(
        tmp_path,
        database_url,
        wechat_sim,
        locker_api_base=locker_sim.base_url,
        locker_secret=locker_sim.secret,
    ) as running:
        locker_sim.callback_url = f"{running.base_url}/api/v1/callbacks/locker"
        await seed_lockers(running.settings)
        yield running


async def _clerk(live: Live) -> dict[str, str]:
    await create_staff("win1", "window", "GA")
    return await live.api.staff_headers("win1")


async def _deposit(
    live: Live, case_id: int, clerk: dict[str, str], locker: str = "SMZX-L1"
) -> httpx.Response:
    return await live.client.post(
        f"/api/v1/staff/applications/{case_id}/deliver",
        json={"channel": "locker", "locker": locker},
        headers=clerk,
    )


async def _pickup(sim: LockerSimulator, code: str, **extra) -> tuple[int, dict]:
    async with httpx.AsyncClient(base_url=sim.base_url) as http:
        answer = (await http.post("/_sim/pickup", json={"locker": "L1", "code": code, **extra})).json()
    return answer["status"], answer["answer"]


async def test_a_result_in_the_locker_is_picked_up_with_the_code(live, locker_sim):
    alice, alice_headers = await citizen(live.api, "alice")
    _, bob_headers = await citizen(live.api, "bob")
    clerk = await _clerk(live)
    case = await make_case(alice, status="approved")

    # the clerk sees the hall's lockers to choose from
    lockers = (await live.client.get("/api/v1/staff/lockers", headers=clerk)).json()
    assert [locker["code"] for locker in lockers] == ["SMZX-L1"]

    answer = await _deposit(live, case.id, clerk)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "approved"  # delivered only once the citizen has taken it out
    assert ("deposit", {"reference": case.number}) in locker_sim.calls
    assert (await Application.get(id=case.id)).delivery_channel == "locker"
    (told,) = await outbox_rows("locker.ready", user_id=alice)
    code = told.payload["code"]
    assert len(code) == 8 and told.payload["locker_name"] == "市民中心24小时自助取件柜"

    # the citizen's own view of the case shows the compartment and the code; nobody else's does
    mine = (await live.client.get(f"/api/v1/applications/{case.id}/locker", headers=alice_headers)).json()
    assert (mine["status"], mine["pickup_code"], mine["compartment"]) == ("deposited", code, "01")
    assert_error(
        await live.client.get(f"/api/v1/applications/{case.id}/locker", headers=bob_headers), 404, "NOT_FOUND"
    )
    staff_view = (await live.client.get("/api/v1/staff/locker-deposits", headers=clerk)).json()
    assert staff_view["total"] == 1 and staff_view["items"][0]["pickup_code"] is None
    # the same case cannot go in twice
    assert_error(await _deposit(live, case.id, clerk), 409, "ALREADY_IN_LOCKER")

    wrong = "0" * 8 if code != "0" * 8 else "1" * 8
    status, refused = await _pickup(locker_sim, wrong)
    assert (status, refused["error"]["code"]) == (404, "PICKUP_CODE_INVALID")
    status, forged = await _pickup(locker_sim, code, sign="bad")
    assert (status, forged["error"]["code"]) == (403, "SIGNATURE_INVALID")
    assert (await Application.get(id=case.id)).status == "approved"

    status, opened = await _pickup(locker_sim, code)
    assert status == 200 and opened == {"open": True, "compartment": "01", "number": case.number}
    assert (await Application.get(id=case.id)).status == "delivered"
    assert locker_sim.cabinets["L1"].compartments["01"] is None
    detail = (await live.client.get(f"/api/v1/applications/{case.id}", headers=alice_headers)).json()
    assert detail["status"] == "delivered" and "自助取件柜取件" in detail["timeline"][-1]["note"]
    # a code opens once
    status, again = await _pickup(locker_sim, code)
    assert (status, again["error"]["code"]) == (404, "PICKUP_CODE_INVALID")
    mine = (await live.client.get(f"/api/v1/applications/{case.id}/locker", headers=alice_headers)).json()
    assert (mine["status"], mine["pickup_code"]) == ("picked_up", None)


async def test_an_expired_code_is_refused_and_staff_take_the_result_back(live, locker_sim):
    alice, _ = await citizen(live.api, "alice")
    clerk = await _clerk(live)
    case = await make_case(alice, status="approved")
    assert (await _deposit(live, case.id, clerk)).status_code == 200
    code = (await outbox_rows("locker.ready", user_id=alice))[0].payload["code"]

    clock.set_now(clock.now() + timedelta(hours=live.settings.locker_pickup_hours, minutes=1))
    status, refused = await _pickup(locker_sim, code)
    assert (status, refused["error"]["code"]) == (410, "PICKUP_CODE_EXPIRED")
    assert (await Application.get(id=case.id)).status == "approved"
    assert len(await outbox_rows("locker.expired", user_id=alice)) == 1
    # the job finds nothing more to expire, and tells nobody twice
    assert await run_locker_expiry(JobContext.for_state(live.state)) == 0
    assert len(await outbox_rows("locker.expired", user_id=alice)) == 1

    clerk = await live.api.staff_headers("win1")  # three days later: a new shift, a new login
    listed = (await live.client.get("/api/v1/staff/locker-deposits?status=expired", headers=clerk)).json()
    (deposit,) = listed["items"]
    back = await live.client.post(f"/api/v1/staff/locker-deposits/{deposit['id']}/retrieve", headers=clerk)
    assert back.status_code == 200 and back.json()["status"] == "retrieved"
    assert locker_sim.cabinets["L1"].compartments["01"] is None
    handed = await live.client.post(
        f"/api/v1/staff/applications/{case.id}/deliver", json={"channel": "window"}, headers=clerk
    )
    assert handed.status_code == 200 and handed.json()["status"] == "delivered"


async def test_the_expiry_job_expires_a_deposit_once(live, locker_sim):
    alice, _ = await citizen(live.api, "alice")
    clerk = await _clerk(live)
    case = await make_case(alice, status="approved")
    assert (await _deposit(live, case.id, clerk)).status_code == 200
    later = JobContext.for_state(
        live.state, clock.now() + timedelta(hours=live.settings.locker_pickup_hours + 1)
    )
    assert await run_locker_expiry(later) == 1
    assert await run_locker_expiry(later) == 0
    assert (await LockerDeposit.get(application_id=case.id)).status == "expired"
    assert len(await outbox_rows("locker.expired", user_id=alice)) == 1


async def test_what_the_locker_cannot_take_changes_nothing(live, locker_sim):
    alice, _ = await citizen(live.api, "alice")
    clerk = await _clerk(live)
    cases = [await make_case(alice, status="approved") for _ in range(3)]
    running = await make_case(alice, status="accepted")

    assert_error(await _deposit(live, running.id, clerk), 409, "INVALID_TRANSITION")
    assert_error(await _deposit(live, cases[0].id, clerk, locker="NOPE"), 404, "LOCKER_NOT_FOUND")
    missing = await live.client.post(
        f"/api/v1/staff/applications/{cases[0].id}/deliver", json={"channel": "locker"}, headers=clerk
    )
    assert assert_error(missing, 422, "VALIDATION_ERROR")["details"]["fields"]["body.locker"]

    locker_sim.faults = 1  # the vendor's API fails: the clerk is told, nothing is stored
    assert_error(await _deposit(live, cases[0].id, clerk), 503, "LOCKER_UNAVAILABLE")
    assert await LockerDeposit.all().count() == 0
    assert (await Application.get(id=cases[0].id)).delivery_channel is None

    for case in cases[:2]:  # the simulator's locker has two compartments
        assert (await _deposit(live, case.id, clerk)).status_code == 200
    assert_error(await _deposit(live, cases[2].id, clerk), 409, "LOCKER_FULL")
    assert await LockerDeposit.filter(application_id=cases[2].id).count() == 0
