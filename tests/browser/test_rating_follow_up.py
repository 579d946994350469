"""Issue 15, 差评整改 of the handling department in a real browser against the real app: a GA case and an
RS case, each rated 非常不满意 by its citizen. GA's window clerk opens 窗口工作台 → 差评整改: only GA's bad
rating is listed; 登记整改 is not offered before the return visit (the API refuses it: the national rule;
the page offers the rating's `actions`); 查看联系方式 shows the rater's name and phone, and the audit trail
records the reveal; 记录回访, then 登记整改, and the status reads 已整改 in the drawer, in the list and in
the API. GA's approver sees the same rating under 审批 → 差评整改 and appeals it (申诉, pending with the
supervisors). Screenshots at 1366×768 and 1920×1080. One served app for the module.
"""

from __future__ import annotations

import re

from playwright.async_api import expect

from citizen_api import clock
from tests import cases_fixtures as f
from tests.browser.conftest import DESK, TV
from tests.conftest import create_staff

PASSWORD = "correct-horse-9"
RATED = f.at(2026, 11, 18, 9)  # a Wednesday: the return visit is due the next working day
TODAY = f.at(2026, 11, 20, 9)  # the Friday after: the visit is late (red)
TAGS = ["态度差", "多次跑动"]
GA_PHONE, RS_PHONE = "13812345678", "13987654321"


async def _ok(resp, status: int = 200) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


async def bad_rating(web_server, person, item, approver: dict[str, str]) -> dict:
    """A case of ``item`` submitted, accepted, approved and rated 非常不满意 by ``person``."""
    client = web_server.client
    case = await f.submit(client, person, item)
    await _ok(await f.act(client, approver, case["id"], "accept"))
    await _ok(await f.act(client, approver, case["id"], "approve", {"note": "符合条件"}))
    url = f"/api/v1/applications/{case['id']}/rating"
    body = {"level": 1, "tags": TAGS, "comment": "窗口人员态度生硬，材料一次没说清"}
    await _ok(await client.post(url, json=body, headers=person.headers), 201)
    return case


async def log_in(page, web_server, username: str) -> None:
    await page.goto(web_server.url("/workbench/"))
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_test_id("staff-name")).to_have_text(username)


async def both_sizes(page, screenshot, label: str) -> None:
    """Screenshots at the hall PC's 1366×768 and at 1920×1080; nothing cut off at the right."""
    for width, height in (DESK, TV):
        await page.set_viewport_size({"width": width, "height": height})
        await page.wait_for_timeout(200)  # the table relayouts on resize (a frame), before the shot
        scroll = await page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= width, f"{label}: cut off at the right ({scroll} > {width})"
        await screenshot(page, f"{label}-{width}")
    await page.set_viewport_size({"width": DESK[0], "height": DESK[1]})


async def submit_dialog(page, text: str | None = None):
    dialog = page.get_by_test_id("follow-up-dialog")
    if text is not None:
        await dialog.get_by_role("textbox").fill(text)
    await dialog.get_by_role("button", name="确定").click()
    return dialog


async def test_the_ga_clerk_follows_up_its_bad_rating(web_server, open_page, screenshot):
    client, api, settings = web_server.client, web_server.api, web_server.settings
    clock.set_now(RATED)
    ga_item = await f.published_item("GA-HJ-001", name="户口迁移")
    rs_item = await f.published_item("RS-SB-001", dept="RS", name="社保登记")
    await create_staff("wangfang", "window", "GA", PASSWORD)
    await create_staff("lijing", "approver", "GA", PASSWORD)
    ga = await f.staff(settings, "ga-approver", "approver", "GA")
    rs = await f.staff(settings, "rs-approver", "approver", "RS")
    alice = await f.citizen(api, client, "alice", GA_PHONE, 0)
    bob = await f.citizen(api, client, "bob", RS_PHONE, 1)
    ga_case = await bad_rating(web_server, alice, ga_item, ga)
    rs_case = await bad_rating(web_server, bob, rs_item, rs)
    clock.set_now(TODAY)
    boss = await f.staff(settings, "boss", "supervisor", None)
    every = await _ok(await client.get("/api/v1/staff/ratings", params={"bad": "true"}, headers=boss))
    assert {r["application_number"] for r in every["items"]} == {ga_case["number"], rs_case["number"]}
    [rating] = [r for r in every["items"] if r["application_id"] == ga_case["id"]]
    assert rating["overdue"] and rating["visit_due"] < "2026-11-20" < rating["rectify_due"]
    clerk = await api.staff_headers("wangfang", PASSWORD)
    # what the API answers to 登记整改 before the return visit (a refusal changes nothing)
    refusal = await client.post(
        f"/api/v1/staff/ratings/{rating['id']}/rectify", json={"note": "已加强培训"}, headers=clerk
    )
    assert refusal.status_code == 409, refusal.text
    assert refusal.json()["error"]["code"] == "RETURN_VISIT_REQUIRED"

    page = await open_page()
    await log_in(page, web_server, "wangfang")
    await page.get_by_role("link", name="差评整改", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/workbench/window/ratings$"))
    await expect(page).to_have_title(re.compile("^差评整改"))
    listed = page.get_by_test_id("follow-up-list")
    rows = listed.locator("tbody tr")
    await expect(rows).to_have_count(1)  # GA's only: RS's bad rating is not the clerk's department's
    await expect(listed).to_contain_text(ga_case["number"])
    await expect(listed).not_to_contain_text(rs_case["number"])
    await expect(listed).to_contain_text("非常不满意")
    for tag in TAGS:
        await expect(listed).to_contain_text(tag)
    visit_due, rectify_due = listed.get_by_test_id("visit-due"), listed.get_by_test_id("rectify-due")
    await expect(visit_due).to_have_text(rating["visit_due"])
    await expect(visit_due).to_have_class(re.compile("sup-overdue"))  # late: red
    await expect(rectify_due).to_have_text(rating["rectify_due"])
    await expect(rectify_due).not_to_have_class(re.compile("sup-overdue"))
    await expect(listed.get_by_test_id("row-status")).to_have_text("待回访")
    await expect(rows.first).to_contain_text("已超期")
    await expect(listed.get_by_role("link", name=ga_case["number"])).to_have_attribute(
        "href", f"/workbench/cases/{ga_case['id']}"
    )
    await both_sizes(page, screenshot, "list")

    # before the return visit only 记录回访 is offered (the API would refuse 登记整改)
    await listed.get_by_role("button", name="处理").click()
    panel = page.get_by_test_id("follow-up-panel")
    await expect(panel.get_by_test_id("follow-up-status")).to_have_text("待回访")
    await expect(panel.get_by_role("button", name="记录回访")).to_have_count(1)
    await expect(panel.get_by_role("button", name="登记整改")).to_have_count(0)

    # 查看联系方式: a reason, the name and phone shown, the reveal on the audit trail
    await panel.get_by_role("button", name="查看联系方式").click()
    await submit_dialog(page)  # the reason is filled in: 差评回访
    contact = panel.get_by_test_id("rater-contact")
    await expect(contact.get_by_test_id("rater-phone")).to_have_text(GA_PHONE)
    await expect(contact).to_contain_text("张三丰")
    await expect(contact).to_contain_text("记入审计日志")
    await expect(panel.get_by_role("button", name="登记整改")).to_have_count(0)  # still not before the visit
    on_record = {"object_type": "rating", "object_id": str(rating["id"]), "action": "rating.reveal_contact"}
    trail = await _ok(await client.get("/api/v1/staff/audit", params=on_record, headers=boss))
    [entry] = trail["items"]
    assert entry["actor_name"] == "wangfang"
    assert entry["actor_role"] == "window"
    await both_sizes(page, screenshot, "contact")

    # 记录回访, then 登记整改: the status moves on, in the drawer, in the list and in the API
    await panel.get_by_role("button", name="记录回访").click()
    await submit_dialog(page, "11月20日电话回访评价人，已致歉并说明所需材料")
    await expect(panel.get_by_test_id("follow-up-status")).to_have_text("已回访")
    await expect(listed.get_by_test_id("visit-due")).not_to_have_class(re.compile("sup-overdue"))
    timeline = panel.get_by_test_id("follow-up-timeline")
    await expect(timeline).to_contain_text("记录回访")
    await expect(timeline).to_contain_text("已致歉并说明所需材料")
    await panel.get_by_role("button", name="登记整改").click()
    await submit_dialog(page, "已对窗口人员进行服务规范培训，一次性告知清单上墙")
    await expect(panel.get_by_test_id("follow-up-status")).to_have_text("已整改")
    await expect(timeline).to_contain_text("一次性告知清单上墙")
    await expect(panel.get_by_role("button", name="记录回访")).to_have_count(0)
    await expect(panel.get_by_role("button", name="登记整改")).to_have_count(0)
    await expect(listed.get_by_test_id("row-status")).to_have_text("已整改")
    detail = await _ok(await client.get(f"/api/v1/staff/ratings/{rating['id']}", headers=clerk))
    assert detail["rectification_status"] == "rectified"
    assert [n["to_status"] for n in detail["notes"]][-2:] == ["visited", "rectified"]
    await both_sizes(page, screenshot, "rectified")
    assert page.foreign_requests == []

    # GA's approver: the same page under 审批
    await page.keyboard.press("Escape")
    await page.get_by_role("button", name="退出").click()
    await log_in(page, web_server, "lijing")
    await page.get_by_role("link", name="差评整改", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/workbench/approver/ratings$"))
    await expect(listed.locator("tbody tr")).to_have_count(1)
    await expect(listed.get_by_test_id("row-status")).to_have_text("已整改")
    await both_sizes(page, screenshot, "approver")
    # 申诉: the reason goes to the supervisors; the page shows it pending and offers no second one
    await listed.get_by_role("button", name="处理").click()
    await panel.get_by_role("button", name="申诉").click()
    await submit_dialog(page, "评价人所述材料问题系政策规定，非窗口服务问题")
    await expect(panel.get_by_role("status")).to_contain_text("申诉已提交")
    await expect(panel.get_by_test_id("follow-up-appeals")).to_contain_text("待审核")
    await expect(panel.get_by_role("button", name="申诉")).to_have_count(0)
    appeals = await _ok(await client.get("/api/v1/staff/rating-appeals", headers=boss))
    [filed] = [a for a in appeals["items"] if a["rating_id"] == rating["id"]]
    assert filed["status"] == "pending" and "非窗口服务问题" in filed["reason"]
    await both_sizes(page, screenshot, "appealed")
