"""The inbox badges over HTTP: every status of the table (zeros included) and the warning colours,
within the caller's scope, matching the list's totals."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.cases.transitions import STATUSES
from tests import cases_fixtures as f
from tests.staff_cases_fixtures import Hall

COUNTS = "/api/v1/staff/applications/counts"


async def counts(hall: Hall, headers) -> dict[str, int]:
    resp = await hall.client.get(COUNTS, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def test_counts_match_the_list_and_stay_in_scope(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    clock.set_now(f.at(2026, 3, 2))
    alice = await f.citizen(api, client)
    ga = [(await f.submit(client, alice, hall.ga))["id"] for _ in range(5)]
    rs = [(await f.submit(client, alice, hall.rs))["id"] for _ in range(2)]
    for case_id in ga[:3]:
        await hall.act("window", case_id, "accept")  # due Mon 9 March
    await hall.act("approver", ga[2], "suspend", {"reason": "专家评审"})
    await hall.act("window", ga[3], "not-accept", {"reason": "不属于本部门受理范围"})
    await hall.act("window", rs[0], "accept", staff=hall.rs_staff)

    clerk = hall.staff["window"]
    seen = await counts(hall, clerk)
    assert set(seen) == {*STATUSES, "warning_yellow", "warning_red"}
    nonzero = {s: n for s, n in seen.items() if n}
    assert nonzero == {"accepted": 2, "suspended": 1, "not_accepted": 1, "submitted": 1}
    assert seen["approved"] == 0 and seen["warning_yellow"] == seen["warning_red"] == 0
    for status in STATUSES:
        assert (await hall.listing(clerk, status=status))["total"] == seen[status], status

    clock.set_now(f.at(2026, 3, 6))  # one working day left: the two running clocks are yellow
    assert (await counts(hall, clerk))["warning_yellow"] == 2
    clock.set_now(f.at(2026, 3, 10))  # past the deadline: the accepted two are red, the suspended one frozen
    late = await counts(hall, clerk)
    assert (late["warning_red"], late["warning_yellow"]) == (2, 0)
    for level in ("yellow", "red"):
        assert (await hall.listing(clerk, warning=level))["total"] == late[f"warning_{level}"]

    # another department's clerk counts only its own; the supervisor counts everything
    other = await counts(hall, hall.rs_staff["window"])
    assert {s: n for s, n in other.items() if n} == {"accepted": 1, "submitted": 1, "warning_red": 1}
    everything = await counts(hall, hall.staff["supervisor"])
    assert sum(everything[s] for s in STATUSES) == 7
    assert everything["warning_red"] == 3
    assert (await hall.listing(hall.staff["supervisor"]))["total"] == 7


async def test_counts_need_a_staff_token_and_are_documented(client, api):
    citizen = await api.citizen_headers("carol")
    assert (await client.get(COUNTS, headers=citizen)).status_code == 403
    assert (await client.get(COUNTS)).status_code == 401
    spec = (await client.get("/api/v1/openapi.json")).json()
    schema = spec["components"]["schemas"]["StaffCaseCounts"]
    assert set(schema["required"]) == {*STATUSES, "warning_yellow", "warning_red"}
    assert all(schema["properties"][s]["type"] == "integer" for s in schema["required"])
