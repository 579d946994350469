"""The case page when things go wrong, in a real browser: a lost connection keeps what was typed and says
so; a case changed meanwhile (409) is said and reloaded; Esc closes a dialog; the applicant's full data
is shown only after a reason (audited); a password the admin set must be changed before work starts."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.hall_flow import PASSWORD, TUESDAY, book_and_submit, hall_with_staff, run_clock_from
from tests.browser.test_workbench_flow import log_in
from tests.cases_fixtures import department
from tests.conftest import create_staff


async def test_offline_keeps_the_reason_and_a_conflict_reloads_the_case(web_server, open_page, screenshot):
    setup = await hall_with_staff(web_server)
    _, case = await book_and_submit(web_server, setup)
    run_clock_from(TUESDAY)
    page = await open_page()
    await log_in(page, web_server, "wangfang")
    await page.goto(web_server.url(f"/workbench/cases/{case['id']}"))
    await expect(page.get_by_test_id("case-number")).to_have_text(case["number"])

    # the full data only with a reason
    await page.get_by_role("button", name="查看完整信息").click()
    await page.get_by_role("dialog").get_by_role("textbox").fill("核对申请人身份")
    await page.get_by_role("dialog").get_by_role("button", name="确定").click()
    await expect(page.get_by_text("王小明")).to_be_visible()

    # 不予受理 typed while the connection is gone: the banner, the dialog and the reason stay
    await page.get_by_role("button", name="不予受理").click()
    dialog = page.get_by_role("dialog")
    reason = "材料与申请事项不符，请改为申请其他事项"
    await dialog.get_by_role("textbox").fill(reason)
    await page.context.set_offline(True)
    await dialog.get_by_role("button", name="确定").click()
    await expect(page.get_by_text("网络连接已断开").first).to_be_visible()
    await expect(dialog.get_by_role("textbox")).to_have_value(reason)
    await screenshot(page, "offline-dialog")
    await page.context.set_offline(False)
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)

    # another clerk accepts the case meanwhile: 受理 here answers 409, said and reloaded
    await create_staff("liuyang", "window", "GA", PASSWORD)
    other = await web_server.api.staff_headers("liuyang", PASSWORD)
    accepted = await web_server.client.post(
        f"/api/v1/staff/applications/{case['id']}/accept", json={}, headers=other
    )
    assert accepted.status_code == 200, accepted.text
    await page.get_by_role("button", name="受理", exact=True).click()
    await page.get_by_role("dialog").get_by_role("button", name="确定").click()
    await expect(page.get_by_role("alert").filter(has_text="该办件已被他人更新")).to_be_visible()
    await expect(page.get_by_test_id("case-status")).to_have_text(accepted.json()["status_text"])
    await expect(page.get_by_role("button", name="受理", exact=True)).to_have_count(0)
    await expect(page.get_by_test_id("case-deadline")).to_have_text(accepted.json()["deadline"])
    await screenshot(page, "conflict-reloaded")


async def test_a_password_the_admin_set_must_be_changed_first(web_server, open_page, screenshot):
    await department("GA", "公安局")
    await create_staff("admin1", "admin", None, PASSWORD)
    admin = await web_server.api.staff_headers("admin1", PASSWORD)
    made = await web_server.client.post(
        "/api/v1/staff/users",
        json={"username": "sunli", "password": "Temp-pass-2026", "role": "approver", "department": "GA"},
        headers=admin,
    )
    assert made.status_code == 201, made.text

    page = await open_page()
    await page.goto(web_server.url("/workbench/"))
    await page.get_by_label("用户名").fill("sunli")
    await page.get_by_label("密码", exact=True).fill("Temp-pass-2026")
    await page.get_by_role("button", name="登录").click()
    dialog = page.get_by_role("dialog", name="请修改初始密码")
    await expect(dialog).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_visible()  # cannot be dismissed
    await screenshot(page, "change-password")
    await dialog.get_by_label("原密码").fill("Temp-pass-2026")
    await dialog.get_by_label("新密码", exact=True).fill("my-own-pass-77")
    await dialog.get_by_label("再次输入新密码").fill("my-own-pass-77")
    await dialog.get_by_label("再次输入新密码").press("Enter")
    await expect(dialog).to_have_count(0)
    await expect(page).to_have_url(re.compile(r"/workbench/approver$"))
    relogin = await web_server.client.post(
        "/api/v1/auth/staff", json={"username": "sunli", "password": "my-own-pass-77"}
    )
    assert relogin.status_code == 200 and not relogin.json()["user"].get("must_change_password")
