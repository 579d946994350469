"""The appointment domain's three transition tables, walked over the API.

For each table (``citizen_api.appointments.transitions``): every (status, action) pair the table lists
works and lands where it says; every other pair is refused with the table's 409 and changes nothing;
every role the table does not list for an action is refused (403). The tests read the tables, so a
transition added to a table without its behaviour (or the reverse) fails here.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from citizen_api import clock
from citizen_api.appointments.transitions import APPOINTMENTS, COUNTER, SYSTEM, TICKETS, WAITLIST
from citizen_api.security.principal import CITIZEN, STAFF_ROLES
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, book, citizen, make_hall, slots_on, staff
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

TUESDAY = date(2026, 9, 29)
BEFORE_THE_DAY = MONDAY_BEFORE_NATIONAL_DAY  # cancelling is still allowed
MORNING_OF = datetime(2026, 9, 29, 8, 40, tzinfo=clock.CST)  # check-in day, before the slots start
EVENING_OF = datetime(2026, 9, 29, 17, 30, tzinfo=clock.CST)  # every slot has started: a no-show
ONE_PLACE = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": 1}]


class Desk:
    """The hall of one test: a citizen per booking, one counter clerk."""

    def __init__(self, client, settings, hall, clerk):
        self.client, self.settings, self.hall, self.clerk = client, settings, hall, clerk
        self.count = 0

    async def booking(self) -> tuple[int, dict]:
        clock.set_now(BEFORE_THE_DAY)
        self.count += 1
        _, headers = await citizen(self.settings, f"citizen{self.count}")
        slots = await slots_on(self.client, self.hall.item.code, TUESDAY)
        slot = slots[self.count % len(slots)]
        resp = await book(self.client, headers, slot["id"], self.hall.item.code)
        assert resp.status_code == 201, resp.text
        return resp.json()["id"], headers

    async def act(self, action: str, appointment_id: int, headers: dict, as_headers: dict | None = None):
        """POST the endpoint of ``action`` at the hour it would be allowed."""
        if action == "cancel":
            clock.set_now(BEFORE_THE_DAY)
            url = f"/api/v1/appointments/{appointment_id}/cancel"
            return await self.client.post(url, headers=as_headers or headers)
        clock.set_now(MORNING_OF if action == "check_in" else EVENING_OF)
        url = f"/api/v1/staff/appointments/{appointment_id}/{action.replace('_', '-')}"
        return await self.client.post(url, headers=as_headers or self.clerk)

    async def status(self, appointment_id: int, headers: dict) -> str:
        resp = await self.client.get(f"/api/v1/appointments/{appointment_id}", headers=headers)
        assert resp.status_code == 200, resp.text
        return resp.json()["status"]

    async def in_status(self, status: str) -> tuple[int, dict]:
        """A fresh appointment brought to ``status`` along the table (its first path from booked)."""
        appointment_id, headers = await self.booking()
        if status != APPOINTMENTS.statuses[0]:
            action = next(a for (s, a), t in APPOINTMENTS.transitions.items() if t.to == status)
            assert (await self.act(action, appointment_id, headers)).status_code == 200
        assert await self.status(appointment_id, headers) == status
        return appointment_id, headers


@pytest.fixture
async def desk(appt_client, appt_settings) -> Desk:
    clock.set_now(BEFORE_THE_DAY)
    hall = await make_hall()
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    return Desk(appt_client, appt_settings, hall, clerk)


async def test_every_appointment_transition_of_the_table_and_no_other(desk):
    walked = []
    for status in APPOINTMENTS.statuses:
        for action in APPOINTMENTS.actions:
            appointment_id, headers = await desk.in_status(status)
            resp = await desk.act(action, appointment_id, headers)
            if APPOINTMENTS.allows(status, action):
                assert resp.status_code == 200, (status, action, resp.text)
                assert await desk.status(appointment_id, headers) == APPOINTMENTS.target(action)
                walked.append((status, action))
            elif (status, action) == ("checked_in", "check_in"):
                # a second tap at the counter answers the same queue number, and changes nothing
                assert resp.status_code == 200, resp.text
                assert await desk.status(appointment_id, headers) == status
            else:
                refusal = APPOINTMENTS.refusals[action]
                error = assert_error(resp, 409, refusal.code)
                assert error["details"]["status"] == status
                assert await desk.status(appointment_id, headers) == status
    assert walked == list(APPOINTMENTS.transitions)


async def test_only_the_tables_roles_take_an_appointment_action(desk, appt_settings):
    for action in APPOINTMENTS.actions:
        allowed = APPOINTMENTS.roles_for(action)
        for role in sorted({CITIZEN, *STAFF_ROLES} - allowed):
            appointment_id, headers = await desk.booking()
            if role == CITIZEN:
                someone = headers  # the booking's own citizen, at a staff counter's endpoint
            else:
                someone = await staff(appt_settings, f"{role}-{action}", role, "GA")
            resp = await desk.act(action, appointment_id, headers, as_headers=someone)
            assert_error(resp, 403, "FORBIDDEN")
            assert await desk.status(appointment_id, headers) == "booked"


async def _join(client, headers, slot_id: int, item_code: str) -> dict:
    resp = await client.post(
        "/api/v1/appointments/waitlist", json={"slot_id": slot_id, "item_code": item_code}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


async def _wait_status(client, headers, entry_id: int) -> str:
    resp = await client.get("/api/v1/appointments/waitlist", headers=headers)
    assert resp.status_code == 200, resp.text
    return next(e["status"] for e in resp.json() if e["id"] == entry_id)


async def test_every_waiting_list_transition_of_the_table_and_no_other(appt_client, appt_settings):
    """leave (the citizen's) over its endpoint; promote and skip (the system's) by a cancellation,
    which hands the freed place to the first waiter who still qualifies and skips the others."""
    clock.set_now(BEFORE_THE_DAY)
    hall = await make_hall(weekday_periods=ONE_PLACE)
    code = hall.item.code
    [slot] = await slots_on(appt_client, code, TUESDAY)
    # a first booking takes the one place; three waiters queue behind it
    _, holder = await citizen(appt_settings, "holder")
    first = (await book(appt_client, holder, slot["id"], code)).json()
    entries = {}
    for name in ("left", "skipped", "promoted"):
        _, headers = await citizen(appt_settings, name)
        entries[name] = (await _join(appt_client, headers, slot["id"], code))["id"], headers
    assert all([await _wait_status(appt_client, h, e) == "waiting" for e, h in entries.values()])

    # leave: waiting → left; from left again: refused, unchanged
    entry_id, headers = entries["left"]
    url = f"/api/v1/appointments/waitlist/{entry_id}/leave"
    resp = await appt_client.post(url, headers=headers)
    assert resp.status_code == 200 and resp.json()["status"] == WAITLIST.target("leave")
    error = assert_error(await appt_client.post(url, headers=headers), 409, WAITLIST.refusals["leave"].code)
    assert error["details"]["status"] == "left"

    # skip: the next waiter no longer qualifies (meanwhile booked the item at another window group
    # the same day); promote: the one after them gets the place
    skipped_id, skipped_headers = entries["skipped"]
    hall_b = await make_hall(department_code="GA", prefix="B", weekday_periods=ONE_PLACE)
    # the admin lets group B serve the same item (over the API: the listings see it at once)
    admin = await staff(appt_settings, "admin", "admin", None)
    group_b = {"name": "B区窗口", "prefix": "B", "department_code": "GA"}
    group_b["item_codes"] = [hall_b.item.code, code]
    put = await appt_client.put(f"/api/v1/staff/window-groups/{hall_b.group.id}", json=group_b, headers=admin)
    assert put.status_code == 200, put.text
    slot_b = next(s for s in await slots_on(appt_client, code, TUESDAY) if s["id"] != slot["id"])
    assert (await book(appt_client, skipped_headers, slot_b["id"], code)).status_code == 201

    cancel = await appt_client.post(f"/api/v1/appointments/{first['id']}/cancel", headers=holder)
    assert cancel.status_code == 200, cancel.text
    assert await _wait_status(appt_client, skipped_headers, skipped_id) == WAITLIST.target("skip")
    promoted_id, promoted_headers = entries["promoted"]
    assert await _wait_status(appt_client, promoted_headers, promoted_id) == WAITLIST.target("promote")

    # every other pair is refused: the citizen cannot leave once promoted or skipped, and the next
    # cancellation touches no entry that is not waiting (the place goes back to the slot)
    for name in ("skipped", "promoted"):
        entry_id, headers = entries[name]
        resp = await appt_client.post(f"/api/v1/appointments/waitlist/{entry_id}/leave", headers=headers)
        assert_error(resp, 409, "NOT_WAITING")
    mine = (await appt_client.get("/api/v1/appointments", headers=promoted_headers)).json()["items"]
    [promoted_booking] = [a for a in mine if a["source"] == "waitlist"]
    resp = await appt_client.post(
        f"/api/v1/appointments/{promoted_booking['id']}/cancel", headers=promoted_headers
    )
    assert resp.status_code == 200, resp.text
    after = {name: await _wait_status(appt_client, h, e) for name, (e, h) in entries.items()}
    assert after == {"left": "left", "skipped": "skipped", "promoted": "promoted"}
    assert (await slots_on(appt_client, code, TUESDAY))[0]["remaining"] == 1
    assert {role for t in WAITLIST.transitions.values() for role in t.roles} == {SYSTEM, CITIZEN}


async def test_every_ticket_transition_of_the_table_and_no_other(desk, appt_settings):
    """Every (status, action) pair of TICKETS over the API: call by call-next, the others by
    /staff/queue/{id}/{action}; each allowed pair lands where the table says, every other pair is
    refused with the table's 409 and changes nothing; only the counters' roles act."""
    clock.set_now(MORNING_OF)
    group = desk.hall.group.code
    client, clerk = desk.client, desk.clerk

    async def ticket_in(status: str) -> dict:
        """A fresh walk-in ticket brought to ``status`` along the table (its first path)."""
        walk = await client.post("/api/v1/staff/queue/walk-in", json={"group": group}, headers=clerk)
        assert walk.status_code == 201 and walk.json()["status"] == TICKETS.statuses[0]
        ticket = walk.json()
        path = {TICKETS.statuses[0]: []}
        while status not in path:  # breadth-first over the table
            for (source, action), t in TICKETS.transitions.items():
                if source in path and t.to not in path:
                    path[t.to] = [*path[source], action]
        for action in path[status]:
            ticket = (await do(action, ticket)).json()
        assert ticket["status"] == status
        return ticket

    async def do(action: str, ticket: dict, headers: dict | None = None):
        if action == "call":
            # the walk-in is the only waiting ticket: call-next takes exactly it
            body = {"group": group, "window": "7"}
            return await client.post("/api/v1/staff/queue/call-next", json=body, headers=headers or clerk)
        url = f"/api/v1/staff/queue/{ticket['id']}/{action}"
        return await client.post(url, headers=headers or clerk)

    async def current(ticket: dict) -> str:
        queue = (await client.get("/api/v1/staff/queue", params={"group": group}, headers=clerk)).json()
        every = queue["waiting"] + queue["called"] + queue["serving"]
        found = [t["status"] for t in every if t["id"] == ticket["id"]]
        return found[0] if found else "gone"  # skipped and finished tickets leave the queue

    for role in sorted(STAFF_ROLES - COUNTER):
        someone = await staff(appt_settings, f"{role}-caller", role, "GA")
        for action in TICKETS.actions:
            ticket = await ticket_in(TICKETS.sources(action)[0])
            assert_error(await do(action, ticket, someone), 403, "FORBIDDEN")
            await _drain(client, group, clerk)

    for status in TICKETS.statuses:
        for action in TICKETS.actions:
            ticket = await ticket_in(status)
            resp = await do(action, ticket)
            if TICKETS.allows(status, action):
                assert resp.status_code == 200, (status, action, resp.text)
                landed = TICKETS.transitions[(status, action)].to
                assert resp.json()["status"] == landed and resp.json()["id"] == ticket["id"]
                assert resp.json()["window"] == "7"
            elif action == "call":
                # call-next never takes a ticket that is not waiting: nothing else waits
                assert_error(resp, 409, "QUEUE_EMPTY")
            else:
                error = assert_error(resp, 409, TICKETS.refusals[action].code)
                assert error["details"] == {"status": status}
                assert await current(ticket) == (
                    status if status in ("waiting", "called", "serving") else "gone"
                )
            await _drain(client, group, clerk)
    assert {role for t in TICKETS.transitions.values() for role in t.roles} == set(COUNTER)


async def _drain(client, group: str, clerk: dict) -> None:
    """Finish every ticket still in the queue, so the next step starts from an empty one."""
    queue = (await client.get("/api/v1/staff/queue", params={"group": group}, headers=clerk)).json()
    for _ticket in queue["waiting"]:
        await client.post(
            "/api/v1/staff/queue/call-next", json={"group": group, "window": "7"}, headers=clerk
        )
    queue = (await client.get("/api/v1/staff/queue", params={"group": group}, headers=clerk)).json()
    for ticket in queue["called"] + queue["serving"]:
        resp = await client.post(f"/api/v1/staff/queue/{ticket['id']}/finish", headers=clerk)
        assert resp.status_code == 200, resp.text
