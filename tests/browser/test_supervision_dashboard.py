"""Issue 15, 电子监察 in a real browser against the real app: a month of cases (two departments, one
case late → red, one near its deadline → yellow, ratings incl. a bad one, a complaint, an appeal) seeded
over the API; the supervisor opens the dashboard: every chart draws on its canvas and its data table
shows exactly the figures GET /staff/stats/dashboard gives; a red warning leads to its case page (with
the audit trail); the bad ratings show their return-visit and rectification deadlines. Every page is
screenshot at 1366×768 and 1920×1080.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import openpyxl
from playwright.async_api import expect

from citizen_api import clock
from citizen_api.cases.supervision import run_warnings
from citizen_api.security.principal import Principal
from citizen_api.security.tokens import issue_access_token
from tests import cases_fixtures as f
from tests.browser.conftest import DESK, TV
from tests.conftest import create_staff
from tests.job_runs import run_job

PASSWORD = "correct-horse-9"
PERIOD = {"from": "2026-11-01", "to": "2026-11-30", "interval": "week"}
TODAY = f.at(2026, 11, 20)  # a Friday: the late case is red, the recent one yellow
CHARTS = ["on-time", "on-time-trend", "open-levels", "warnings", "ratings", "online", "working-days"]
LEVELS = ["5", "4", "3", "2", "1"]


@dataclass
class World:
    users: dict
    red_case: dict
    bad_case: dict


class Staff:
    """Bearer tokens issued at the moment of use (the clock jumps by days)."""

    def __init__(self, settings, users):
        self.settings, self.users = settings, users

    def __getitem__(self, name: str) -> dict[str, str]:
        user = self.users[name]
        token = issue_access_token(Principal(user.id, user.role, user.department_code), self.settings)
        return {"Authorization": f"Bearer {token}"}


async def _ok(resp, status: int = 200) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


async def at(web_server, moment, *people) -> None:
    """Move the clock; the citizens log in again (their tokens do not outlive the jump)."""
    clock.set_now(moment)
    for person, name in people:
        person.headers = await web_server.api.citizen_headers(name)


async def rate(client, person, case: dict, level: int) -> None:
    url = f"/api/v1/applications/{case['id']}/rating"
    resp = await client.post(url, json={"level": level}, headers=person.headers)
    await _ok(resp, 201)


async def seed_month(web_server) -> World:
    """November 2026: GA decides one case in time and leaves one past its deadline; RS decides one in
    time and has one accepted days before the 20th. The GA citizen rates 非常不满意, the RS one 非常满意."""
    client, api = web_server.client, web_server.api
    clock.set_now(f.at(2026, 11, 2, 9))
    ga_item = await f.published_item("GA-HJ-001", name="户口迁移", promised_days=5)
    rs_item = await f.published_item("RS-SB-001", dept="RS", name="社保登记", promised_days=5)
    users = {
        "boss": await create_staff("boss", "supervisor", None, PASSWORD),
        "wangfang": await create_staff("wangfang", "window", "GA", PASSWORD),
        "ga": await create_staff("ga-approver", "approver", "GA", PASSWORD),
        "rs": await create_staff("rs-approver", "approver", "RS", PASSWORD),
    }
    staff = Staff(web_server.settings, users)
    alice = await f.citizen(api, client, "alice", "13812345678", 0)
    bob = await f.citizen(api, client, "bob", "13987654321", 1)

    bad_case = await f.submit(client, alice, ga_item)
    red_case = await f.submit(client, alice, ga_item)
    for case in (bad_case, red_case):
        await _ok(await f.act(client, staff["ga"], case["id"], "accept"))
    people = ((alice, "alice"), (bob, "bob"))
    await at(web_server, f.at(2026, 11, 3, 9), *people)
    rs_done = await f.submit(client, bob, rs_item)
    await _ok(await f.act(client, staff["rs"], rs_done["id"], "accept"))
    await at(web_server, f.at(2026, 11, 4, 15), *people)
    await _ok(await f.act(client, staff["ga"], bad_case["id"], "approve", {"note": "符合条件"}))
    await _ok(await f.act(client, staff["rs"], rs_done["id"], "approve", {"note": "符合条件"}))
    await rate(client, alice, bad_case, 1)
    await rate(client, bob, rs_done, 5)
    complaint = {"application_id": red_case["id"], "content": "办件超期未办结，电话无人接听"}
    await _ok(await client.post("/api/v1/complaints", json=complaint, headers=alice.headers), 201)
    await at(web_server, f.at(2026, 11, 16, 9), *people)
    recent = await f.submit(client, bob, rs_item)
    await _ok(await f.act(client, staff["rs"], recent["id"], "accept"))

    clock.set_now(TODAY)
    assert await run_job(run_warnings, web_server.settings) >= 1
    ratings = await _ok(
        await client.get("/api/v1/staff/ratings", params={"bad": "true"}, headers=staff["wangfang"])
    )
    [bad] = ratings["items"]
    await _ok(
        await client.post(
            f"/api/v1/staff/ratings/{bad['id']}/appeal",
            json={"reason": "申请人对政策不满，非窗口服务问题"},
            headers=staff["wangfang"],
        ),
        201,
    )
    return World(users, red_case, bad_case)


def shown(value) -> str:
    """A figure as the page shows it (JavaScript's String(number); — for none)."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def expected_tables(data: dict) -> dict[str, list[list[str]]]:
    """Each chart's data table as GET /staff/stats/dashboard gives the figures."""
    departments, totals, series = data["departments"], data["totals"], data["series"]

    def per_department(*keys) -> list[list[str]]:
        rows = [[d["name"] or d["code"], *(shown(d[k]) for k in keys)] for d in departments]
        return [*rows, ["全中心", *(shown(totals[k]) for k in keys)]]

    def ratings(d: dict) -> list[str]:
        return [shown(d["ratings"].get(level)) for level in LEVELS] + [shown(d["good_rate"])]

    yellow = {p["period_start"]: p["value"] for p in series["warnings_yellow"]}
    red = {p["period_start"]: p["value"] for p in series["warnings_red"]}
    normal = totals["open"] - totals["open_red"] - totals["open_yellow"]
    return {
        "on-time": per_department("on_time_rate"),
        "on-time-trend": [[p["period_start"], shown(p["value"])] for p in series["on_time_rate"]],
        "open-levels": [
            ["红牌", shown(totals["open_red"])],
            ["黄牌", shown(totals["open_yellow"])],
            ["未预警", shown(normal)],
            ["合计", shown(totals["open"])],
        ],
        "warnings": [[start, shown(yellow.get(start)), shown(red.get(start))] for start in yellow or red],
        "ratings": [[d["name"] or d["code"], *ratings(d)] for d in departments]
        + [["全中心", *ratings(totals)]],
        "online": per_department("online_rate", "zero_trip_rate"),
        "working-days": per_department("avg_working_days"),
    }


async def table_rows(page, chart: str) -> list[list[str]]:
    table = page.get_by_test_id(f"chart-table-{chart}")
    return await table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


async def canvas_drawn(page, chart: str) -> bool:
    """The chart's canvas exists and has pixels that are not blank."""
    return (
        await page.get_by_test_id(f"chart-{chart}")
        .locator("canvas")
        .first.evaluate(
            """canvas => {
            if (!canvas.width || !canvas.height) return false
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true
            return false
        }"""
        )
    )


async def log_in(page, web_server, username: str) -> None:
    await page.goto(web_server.url("/workbench/"))
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_test_id("staff-name")).to_have_text(username)


async def both_sizes(page, screenshot, label: str, show=None) -> None:
    """Screenshots at the hall PC's 1366×768 and at 1920×1080 (``show`` scrolled into view); nothing
    cut off at the right."""
    for width, height in (DESK, TV):
        await page.set_viewport_size({"width": width, "height": height})
        await page.wait_for_timeout(300)  # ECharts redraws on resize (a frame), before the shot
        if show is not None:
            await show.evaluate("e => e.scrollIntoView({block: 'end'})")
        scroll = await page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{label}: cut off at the right ({scroll} > {width})"
        await screenshot(page, f"{label}-{width}")
    await page.set_viewport_size({"width": DESK[0], "height": DESK[1]})


async def test_the_supervisor_sees_the_month_as_the_api_counts_it(web_server, open_page, screenshot):
    world = await seed_month(web_server)
    staff = Staff(web_server.settings, world.users)
    client = web_server.client
    data = await _ok(await client.get("/api/v1/staff/stats/dashboard", params=PERIOD, headers=staff["boss"]))
    assert {d["code"] for d in data["departments"]} >= {"GA", "RS"}
    assert data["totals"]["open_red"] >= 1

    page = await open_page()
    await log_in(page, web_server, "boss")
    await expect(page).to_have_url(re.compile(r"/workbench/supervisor$"))
    query = "&".join(f"{k}={v}" for k, v in PERIOD.items())
    await page.goto(web_server.url(f"/workbench/supervisor?{query}"))
    await expect(page.get_by_test_id("dashboard-period")).to_have_text("2026-11-01 至 2026-11-30")

    expected = expected_tables(data)
    for chart in CHARTS:
        await expect(page.get_by_test_id(f"chart-{chart}").locator("canvas").first).to_be_visible()
        assert await canvas_drawn(page, chart), f"{chart}: the canvas is blank"
        assert await table_rows(page, chart) == expected[chart], chart
    assert page.foreign_requests == []
    await both_sizes(page, screenshot, "dashboard")

    # a click on a bar opens the list behind it: 人社局's on-time bar (both are at 100 %) → its warnings
    assert [row[0] for row in expected["on-time"]][:2] == ["公安局", "人社局"]
    canvas = page.get_by_test_id("chart-on-time").locator("canvas").first
    box = await canvas.bounding_box()
    await page.mouse.click(box["x"] + box["width"] * 0.72, box["y"] + box["height"] * 0.7)
    await expect(page).to_have_url(re.compile(r"/workbench/supervisor/warnings\?department=RS$"))
    await page.go_back()
    await expect(page.get_by_test_id("dashboard-period")).to_have_text("2026-11-01 至 2026-11-30")

    # the open red slice's row → the red warnings; the late case's number → its page
    await page.get_by_test_id("chart-table-open-levels").get_by_role("link", name="红牌").click()
    await expect(page).to_have_url(re.compile(r"/workbench/supervisor/warnings\?level=red"))
    warnings = page.get_by_test_id("warning-list")
    listed = await _ok(
        await client.get(
            "/api/v1/staff/supervision/warnings",
            params={"level": "red", "open_only": "true"},
            headers=staff["boss"],
        )
    )
    [red] = [w for w in listed["items"] if w["case_id"] == world.red_case["id"]]
    assert red["department_name"] == "公安局"  # the responsible department, by name
    await expect(warnings).to_contain_text("公安局")
    await expect(warnings).to_contain_text(f"{red['days_overdue']} 个工作日")
    await both_sizes(page, screenshot, "warnings")
    # 导出 Excel: the same rows as a workbook, fetched with the bearer token and saved by the browser
    async with page.expect_download() as download_info:
        await page.get_by_test_id("export-warnings").click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    content = (await download.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert world.red_case["number"] in cells
    await warnings.get_by_role("link", name=world.red_case["number"]).click()
    await expect(page).to_have_url(re.compile(rf"/workbench/cases/{world.red_case['id']}$"))
    await expect(page.get_by_test_id("case-number")).to_have_text(world.red_case["number"])
    await page.get_by_role("button", name="审计记录").click()
    trail = page.get_by_test_id("audit-trail")
    await expect(trail).to_contain_text("boss")  # this very view is on the record
    await both_sizes(page, screenshot, "case-audit", show=trail)

    # 差评整改: the deadlines as the API gives them; the phone through the audited reveal
    await page.goto(web_server.url("/workbench/supervisor/bad-ratings"))
    bad_list = page.get_by_test_id("bad-rating-list")
    [bad] = (
        await _ok(await client.get("/api/v1/staff/ratings", params={"bad": "true"}, headers=staff["boss"]))
    )["items"]
    due = bad.get("visit_due") or bad["rectification"]["visit_due"]
    rectify_due = bad.get("rectify_due") or bad["rectification"]["rectify_due"]
    await expect(bad_list.get_by_test_id("visit-due")).to_have_text(due)
    await expect(bad_list.get_by_test_id("rectify-due")).to_have_text(rectify_due)
    await expect(bad_list).to_contain_text(world.bad_case["number"])
    # 查看电话 asks the case's audited reveal; the API keeps it to the department that handles the
    # case, so the supervisor is told so in the dialog and the phone stays hidden
    refused = await client.post(
        f"/api/v1/staff/applications/{world.bad_case['id']}/reveal",
        json={"reason": "差评回访"},
        headers=staff["boss"],
    )
    assert refused.status_code == 403, refused.text
    await bad_list.get_by_role("button", name="查看电话").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_role("button", name="确定").click()
    await expect(dialog.get_by_role("alert")).to_have_text(refused.json()["error"]["message"])
    await dialog.get_by_role("button", name="取消").click()
    await expect(bad_list.get_by_test_id("revealed-phone")).to_have_count(0)
    assert "13812345678" not in await bad_list.inner_text()
    await both_sizes(page, screenshot, "bad-ratings")

    # 投诉 by reply deadline, 申诉审核 with the appeal to decide, the cases behind a department's rates
    await page.get_by_role("link", name="投诉", exact=True).click()
    await expect(page.get_by_test_id("complaint-list")).to_contain_text("办件超期未办结")
    await both_sizes(page, screenshot, "complaints")
    await page.get_by_role("link", name="申诉审核", exact=True).click()
    appeals = page.get_by_test_id("appeal-list")
    await expect(appeals).to_contain_text("非窗口服务问题")
    await appeals.get_by_role("button", name="审核").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_text("不成立", exact=True).click()
    await dialog.get_by_role("textbox").fill("回访记录显示服务确有不足")
    await screenshot(page, "appeal-dialog-1366")
    await dialog.get_by_role("button", name="确定").click()
    await expect(appeals).to_contain_text("申诉不成立")
    await both_sizes(page, screenshot, "appeals")
    await page.goto(web_server.url("/workbench/supervisor?" + query))
    await page.get_by_test_id("chart-table-online").get_by_role("link", name="人社局").click()
    await expect(page).to_have_url(re.compile(r"/workbench/supervisor/cases\?department=RS"))
    await expect(page.get_by_test_id("supervised-cases")).to_contain_text("社保登记")
    await expect(page.get_by_test_id("supervised-cases")).not_to_contain_text("户口迁移")
    await both_sizes(page, screenshot, "cases")


async def test_a_window_clerk_cannot_open_the_supervision_pages(web_server, open_page, screenshot):
    clock.set_now(TODAY)
    await create_staff("wangfang", "window", "GA", PASSWORD)
    await f.department("GA", "公安局")
    clerk = await web_server.api.staff_headers("wangfang", PASSWORD)
    for path in ("/api/v1/staff/stats/dashboard", "/api/v1/staff/audit?object_type=application&object_id=1"):
        resp = await web_server.client.get(path, headers=clerk)
        assert resp.status_code == 403, (path, resp.text)
        assert resp.json()["error"]["code"] == "FORBIDDEN"

    page = await open_page()
    await log_in(page, web_server, "wangfang")
    await page.goto(web_server.url("/workbench/supervisor"))
    await expect(page.get_by_text("无权访问")).to_be_visible()
    await expect(page.get_by_test_id("dashboard")).to_have_count(0)
    await page.goto(web_server.url("/workbench/supervisor/warnings"))
    await expect(page.get_by_text("无权访问")).to_be_visible()
    await expect(page.get_by_role("menuitem", name="电子监察")).to_have_count(0)
    await both_sizes(page, screenshot, "forbidden")
