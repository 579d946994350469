"""A month of work for 效能考评, made through the API on a controllable clock (October 2026, China time).

Three departments (公安局 GA, 人社局 RS, 民政局 MZ); four clerks, two of them seated at windows by the
admin; the cases (items of 5 working days):

- c1 GA, accepted by ga1, approved on time, rated 5;
- c2 GA, accepted by ga1, approved late after turning red (the 电子监察 job's card), not rated;
- c3 GA, accepted by ga2, approved on time, rated 1 and complained about;
- c4 RS, accepted by rs1, approved on time, rated 4;
- c5 MZ, accepted by mz1, approved late after turning red, rated 2;
- open: GA, accepted by ga2 and still being handled; november: GA, decided on 2026-11-02.

``october(..., with_steps=True)``: the GA item's guide lists 受理 (1 working day) and 审查 (15), so every GA
case gets real steps at acceptance (电子监察 per step, held by the accepting clerk); a decision closes the
open step and skips the rest:

- c1 (ga1), c3 (ga2): 受理 closed on time by the decision on 10-09;
- november (ga1): ga1 completes 受理 on time on 10-09 and keeps 审查 (limit 10-29), still open at the
  month's end and closed late by the decision on 11-02;
- c2 (ga1): ga1 completes 受理 late on 10-12 and hands 审查 to boss-GA (limit 11-02), closed on time by
  the decision on 10-26;
- open (ga2): 受理 stays open with ga2, past its limit (10-09) from then on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_api import clock
from citizen_api.appointments.models import Office, Window, WindowGroup
from citizen_api.cases.supervision import run_warnings
from citizen_api.catalog.models import ItemVersion
from citizen_api.security.principal import Principal
from citizen_api.security.tokens import issue_access_token
from citizen_api.users.repository import create_staff as create_staff_row
from tests import cases_fixtures as f
from tests.job_runs import run_job


@dataclass
class Clerk:
    id: int
    headers: dict[str, str]


@dataclass
class Month:
    supervisor: dict[str, str]
    admin: dict[str, str]
    clerks: dict[str, Clerk]
    windows: dict[str, int]  # clerk → window id
    cases: dict[str, dict] = field(default_factory=dict)  # c1 … → the case as filed


async def clerk(settings, username: str, role: str, department: str | None) -> Clerk:
    """A staff account and a token that outlives the month's clock jumps (whatever the app's settings)."""
    user = await create_staff_row(username, "!unusable", role, department)
    long_lived = settings.model_copy(update=f.LONG_TOKENS)
    token = issue_access_token(Principal(user.id, role, department), long_lived)
    return Clerk(user.id, {"Authorization": f"Bearer {token}"})


async def _window(department: str, number: str) -> int:
    office, _ = await Office.get_or_create(code="SMZX", defaults={"name": "市民中心政务服务大厅"})
    group = await WindowGroup.create(
        office=office,
        code=f"G-{department}",
        name="综合受理区",
        prefix=department[0],
        department_code=department,
    )
    return (await Window.create(group=group, number=number)).id


async def _ok(resp, status: int = 200):
    assert resp.status_code == status, resp.text
    return resp.json()


GA_STEPS = [
    {"code": "accept", "name": "受理", "days": 1, "post": "受理岗"},
    {"code": "review", "name": "审查", "days": 15, "post": "审核岗"},
]


async def october(client, api, settings, with_steps: bool = False) -> Month:
    clock.set_now(f.at(2026, 10, 8))
    await f.department("MZ", "民政局")
    items = {
        "GA": await f.published_item("GA-HJ-001", dept="GA"),
        "RS": await f.published_item("RS-SB-001", dept="RS", name="社保转移"),
        "MZ": await f.published_item("MZ-HY-001", dept="MZ", name="婚姻登记"),
    }
    clerks = {
        name: await clerk(settings, name, "window", dept)
        for name, dept in (("ga1", "GA"), ("ga2", "GA"), ("rs1", "RS"), ("mz1", "MZ"))
    }
    if with_steps:
        await ItemVersion.filter(id=items["GA"].version.id).update(guide={"steps": GA_STEPS})
    bosses = {dept: await clerk(settings, f"boss-{dept}", "approver", dept) for dept in items}
    month = Month(
        supervisor=(await clerk(settings, "sup", "supervisor", None)).headers,
        admin=(await clerk(settings, "root", "admin", None)).headers,
        clerks=clerks,
        windows={"ga1": await _window("GA", "1"), "rs1": await _window("RS", "2")},
    )
    for name, window_id in month.windows.items():
        url = f"/api/v1/staff/users/{clerks[name].id}/window"
        await _ok(await client.put(url, json={"window_id": window_id}, headers=month.admin))

    alice = await f.citizen(api, client)
    plan = [("c1", "GA", "ga1"), ("c2", "GA", "ga1"), ("c3", "GA", "ga2"), ("c4", "RS", "rs1"),
            ("c5", "MZ", "mz1"), ("open", "GA", "ga2"), ("november", "GA", "ga1")]  # fmt: skip
    for key, dept, by in plan:
        case = await f.submit(client, alice, items[dept])
        await _ok(await f.act(client, clerks[by].headers, case["id"], "accept"))
        month.cases[key] = case | {"dept": dept}
    month.clerks["boss-GA"] = bosses["GA"]

    async def complete_step(key: str, by: str, next_holder: str) -> None:
        url = f"/api/v1/staff/applications/{month.cases[key]['id']}/steps/complete"
        body = {"next_holder_id": month.clerks[next_holder].id}
        await _ok(await client.post(url, json=body, headers=month.clerks[by].headers))

    async def approve(key: str) -> None:
        case = month.cases[key]
        await _ok(await f.act(client, bosses[case["dept"]].headers, case["id"], "approve", {"note": "同意"}))

    async def rate(key: str, level: int) -> None:
        url = f"/api/v1/applications/{month.cases[key]['id']}/rating"
        await _ok(await client.post(url, json={"level": level}, headers=alice.headers), 201)

    async def at(moment) -> None:  # the citizen logs in again: her token does not outlive the jump
        clock.set_now(moment)
        alice.headers = await api.citizen_headers("alice")

    await at(f.at(2026, 10, 9))
    if with_steps:
        await complete_step("november", "ga1", "ga1")
    for key, level in (("c1", 5), ("c3", 1), ("c4", 4)):
        await approve(key)
        await rate(key, level)
    complaint = {"application_id": month.cases["c3"]["id"], "content": "窗口人员态度冷淡，解释不清"}
    await _ok(await client.post("/api/v1/complaints", json=complaint, headers=alice.headers), 201)

    if with_steps:
        clock.set_now(f.at(2026, 10, 12))
        await complete_step("c2", "ga1", "boss-GA")
    await at(f.at(2026, 10, 26))  # past the deadlines of c2 and c5: red cards, late decisions
    assert await run_job(run_warnings, settings) >= 1
    await approve("c2")
    await approve("c5")
    await rate("c5", 2)
    clock.set_now(f.at(2026, 11, 2))
    await approve("november")
    return month
