"""电子监察 per step in a real browser at 1366×768: the window clerk sees the case's 办理环节 (受理 open,
yellow on its last day), completes it naming the approver for 审查; the step turns red past its limit,
the job tells the holder and the supervisors, and the supervisor finds it under 环节预警 on the 电子监察
dashboard, with the time spent per step and per post; the admin sees the steps in the item form."""

from __future__ import annotations

from playwright.async_api import expect

from citizen_api import clock
from citizen_api.cases.step_warnings import run_step_warnings
from citizen_api.security.principal import Principal
from citizen_api.security.tokens import issue_access_token
from citizen_api.users.models import User
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.browser.conftest import DESK
from tests.browser.hall_flow import PASSWORD
from tests.browser.test_workbench_flow import confirm, fits
from tests.case_steps_fixtures import stepped_item
from tests.conftest import create_staff
from tests.job_runs import run_job


async def _log_in(page, web_server, username: str) -> None:
    await page.goto(web_server.url("/workbench/"))
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_test_id("staff-name")).to_have_text(username)


async def _staff(username: str, role: str, department: str | None, name: str):
    account = await create_staff(username, role, department, password=PASSWORD)
    await User.filter(id=account.id).update(display_name=name)
    return account


async def test_steps_from_the_case_page_to_the_dashboard(web_server, open_page, screenshot):
    client, api = web_server.client, web_server.api
    clock.set_now(f.at(2026, 9, 7, 9))  # Monday
    item = await stepped_item(name="户口迁移")
    window = await _staff("wangfang", "window", "GA", "王芳")
    approver = await _staff("zhaolei", "approver", "GA", "赵磊")
    await _staff("boss", "supervisor", None, "监察室刘明")
    await _staff("root", "admin", None, "系统管理员")
    alice = await f.citizen(api, client)
    case = await f.submit(client, alice, item)
    token = issue_access_token(Principal(window.id, "window", "GA"), web_server.settings)
    accepted = await f.act(client, {"Authorization": f"Bearer {token}"}, case["id"], "accept")
    assert accepted.status_code == 200, accepted.text

    page = await open_page(DESK)
    await _log_in(page, web_server, "wangfang")
    await page.goto(web_server.url(f"/workbench/cases/{case['id']}"))
    panel = page.get_by_test_id("case-steps")
    await expect(panel.get_by_role("heading", name="办理环节")).to_be_visible()
    rows = panel.get_by_test_id("case-steps-table").locator("tbody tr")
    await expect(rows).to_have_count(4)
    await expect(rows.nth(0)).to_contain_text("受理")
    await expect(rows.nth(0)).to_contain_text("王芳")
    await expect(rows.nth(0).get_by_test_id("step-state")).to_have_text("办理中（黄灯）")
    await expect(rows.nth(1).get_by_test_id("step-state")).to_have_text("未开始")
    await panel.scroll_into_view_if_needed()
    await fits(page, DESK)
    await screenshot(page, "case-steps")

    await panel.get_by_role("button", name="完成本环节").click()
    dialog = page.get_by_role("dialog")
    await dialog.locator(".el-form-item").filter(has_text="下一环节承办人").locator(".el-select").click()
    await page.get_by_role("option", name="赵磊（审批）").click()
    await dialog.get_by_label("办理意见").fill("材料齐全，转审查")
    await screenshot(page, "complete-dialog")
    await confirm(page)
    await expect(rows.nth(0).get_by_test_id("step-state")).to_have_text("已完成")
    await expect(rows.nth(1)).to_contain_text("赵磊")
    await expect(rows.nth(1)).to_contain_text("2026-09-10")  # 审查: 3 working days
    await expect(panel.get_by_role("button", name="完成本环节")).to_have_count(0)  # 赵磊's step now
    await expect(page.get_by_test_id("case-deadline")).to_have_text("2026-09-20")  # the case deadline stays
    await screenshot(page, "case-steps-completed")

    # 09-11: 审查 is past its limit; the job tells the holder and the supervisors once
    clock.set_now(f.at(2026, 9, 11, 9))
    assert await run_job(run_step_warnings, web_server.settings) == 1
    told = await Notification.filter(event="case.step_warning").values_list("user_id", flat=True)
    assert approver.id in told and window.id not in told

    boss = await open_page(DESK)
    await _log_in(boss, web_server, "boss")
    await boss.goto(web_server.url("/workbench/supervisor?from=2026-09-01&to=2026-09-30&interval=week"))
    card = boss.get_by_test_id("step-supervision")
    await expect(card.get_by_role("tab", name="环节预警（1）")).to_be_visible()
    warning = card.get_by_test_id("step-warnings").locator("tbody tr")
    await expect(warning).to_have_count(1)
    await expect(warning.first).to_contain_text(case["number"])
    await expect(warning.first).to_contain_text("审查")
    await expect(warning.first).to_contain_text("赵磊")
    await expect(warning.first).to_contain_text("红灯")
    await fits(boss, DESK)
    await screenshot(boss, "step-warnings")

    await card.get_by_role("tab", name="环节用时").click()
    by_step = card.get_by_test_id("step-stats").locator("tbody tr")
    await expect(by_step.first).to_contain_text("受理")
    await expect(card.get_by_test_id("post-stats")).to_contain_text("审核岗")
    await screenshot(boss, "step-stats")

    # the warning leads to the case page, where the supervisor sees the steps without the buttons
    await card.get_by_role("tab", name="环节预警（1）").click()
    await warning.first.get_by_role("link", name=case["number"]).click()
    await expect(boss.get_by_test_id("case-steps")).to_contain_text("办理中（红灯）")
    await expect(boss.get_by_role("button", name="转交")).to_have_count(0)

    admin = await open_page(DESK)
    await _log_in(admin, web_server, "root")
    await admin.goto(web_server.url(f"/workbench/admin/items/{item.code}"))
    editor = admin.get_by_test_id("guide-steps")
    await expect(editor.get_by_test_id("steps-row")).to_have_count(4)
    await expect(editor.get_by_label("承办岗位 2")).to_have_value("审核岗")
    await editor.scroll_into_view_if_needed()
    await fits(admin, DESK)
    await screenshot(admin, "guide-steps")
