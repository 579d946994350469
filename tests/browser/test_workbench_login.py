"""The workbench in a real browser: log in, see who you are, wrong passwords, bad input, a lost connection,
deep links, 退出 and the idle logout."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.conftest import create_staff

PASSWORD = "correct-horse-9"


async def _fill_login(page, username: str, password: str) -> None:
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(password)


async def _log_in(page, web_server, username: str, password: str = PASSWORD) -> None:
    await page.goto(web_server.url("/workbench/"))
    await _fill_login(page, username, password)
    await page.get_by_role("button", name="登录").click()


async def test_login_lands_on_the_window_desk_and_shows_the_name(web_server, open_page, screenshot):
    await create_staff("wangfang", "window", "GA")
    page = await open_page()
    await page.goto(web_server.url("/workbench/"))
    await expect(page).to_have_url(re.compile(r"/workbench/login"))
    await expect(page.get_by_role("button", name="登录")).to_be_visible()
    await screenshot(page, "login")

    await _fill_login(page, "wangfang", PASSWORD)
    await page.get_by_role("button", name="登录").click()

    await expect(page).to_have_url(re.compile(r"/workbench/window$"))
    await expect(page.get_by_test_id("staff-name")).to_have_text("wangfang")
    await expect(page.get_by_test_id("staff-role")).to_have_text("窗口人员")
    await expect(page.get_by_role("heading", name="窗口工作台")).to_be_visible()
    await expect(page.get_by_role("menuitem", name="窗口工作台")).to_be_visible()
    await expect(page.get_by_role("menuitem", name="系统管理")).to_have_count(0)
    await screenshot(page, "window-desk")
    # the access token lives in memory only: nothing in web storage or script-readable cookies
    stored = await page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
    assert stored == [0, 0, ""]
    assert page.foreign_requests == []


async def test_each_role_gets_its_own_section(web_server, open_page):
    await create_staff("liqiang", "approver", "GA")
    page = await open_page()
    await _log_in(page, web_server, "liqiang")
    await expect(page).to_have_url(re.compile(r"/workbench/approver$"))
    await expect(page.get_by_role("heading", name="审批")).to_be_visible()
    await expect(page.get_by_test_id("staff-role")).to_have_text("审批人员")
    await expect(page.get_by_role("menuitem", name="窗口工作台")).to_have_count(0)


async def test_a_wrong_password_shows_the_apis_chinese_message(web_server, open_page, screenshot):
    await create_staff("wangfang", "window", "GA")
    answer = await web_server.client.post(
        "/api/v1/auth/staff", json={"username": "wangfang", "password": "not-the-password"}
    )
    assert answer.status_code == 401
    message = answer.json()["error"]["message"]

    page = await open_page()
    await _log_in(page, web_server, "wangfang", "not-the-password-either")

    await expect(page.get_by_role("alert")).to_contain_text(message)
    await expect(page).to_have_url(re.compile(r"/workbench/login"))
    await expect(page.get_by_label("用户名")).to_have_value("wangfang")
    await screenshot(page, "wrong-password")


async def test_bad_input_shows_the_apis_message_at_each_field(web_server, open_page, screenshot):
    answer = await web_server.client.post("/api/v1/auth/staff", json={"username": "", "password": ""})
    assert answer.status_code == 422
    fields = answer.json()["error"]["details"]["fields"]

    page = await open_page()
    await page.goto(web_server.url("/workbench/login"))
    await page.get_by_role("button", name="登录").click()

    username_item = page.locator(".el-form-item", has=page.get_by_label("用户名"))
    password_item = page.locator(".el-form-item", has=page.get_by_label("密码", exact=True))
    await expect(username_item.locator(".el-form-item__error")).to_have_text(fields["body.username"])
    await expect(password_item.locator(".el-form-item__error")).to_have_text(fields["body.password"])
    await screenshot(page, "field-errors")


async def test_a_lost_connection_says_so_and_keeps_what_was_typed(web_server, open_page, screenshot):
    page = await open_page()
    await page.goto(web_server.url("/workbench/login"))
    await _fill_login(page, "wangfang", PASSWORD)
    await page.context.set_offline(True)
    await page.get_by_role("button", name="登录").click()

    await expect(page.get_by_role("alert")).to_contain_text("网络连接已断开")
    await expect(page.get_by_label("用户名")).to_have_value("wangfang")
    await expect(page.get_by_label("密码", exact=True)).to_have_value(PASSWORD)
    await screenshot(page, "offline")

    await create_staff("wangfang", "window", "GA")
    await page.context.set_offline(False)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_test_id("staff-name")).to_have_text("wangfang")


async def test_a_deep_link_asks_for_login_then_opens_the_page(web_server, open_page):
    await create_staff("admin1", "admin", None)
    page = await open_page()
    await page.goto(web_server.url("/workbench/admin"))
    await expect(page).to_have_url(re.compile(r"/workbench/login\?redirect=(/|%2F)admin"))
    await _fill_login(page, "admin1", PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page).to_have_url(re.compile(r"/workbench/admin$"))
    await expect(page.get_by_role("heading", name="系统管理")).to_be_visible()


async def test_logout_returns_to_the_login_page(web_server, open_page):
    await create_staff("wangfang", "window", "GA")
    page = await open_page()
    await _log_in(page, web_server, "wangfang")
    await expect(page.get_by_test_id("staff-name")).to_have_text("wangfang")
    await page.get_by_role("button", name="退出").click()
    await expect(page).to_have_url(re.compile(r"/workbench/login"))
    await expect(page.get_by_text("已退出登录")).to_be_visible()
    await expect(page.get_by_label("用户名")).to_have_value("")
    # the session is gone: the desk asks for a login again
    await page.goto(web_server.url("/workbench/window"))
    await expect(page).to_have_url(re.compile(r"/workbench/login\?redirect="))


async def test_thirty_idle_minutes_log_out(web_server, open_page, screenshot):
    assert web_server.settings.workbench_idle_minutes == 30
    await create_staff("wangfang", "window", "GA")
    page = await open_page()
    await page.clock.install()
    await _log_in(page, web_server, "wangfang")
    await expect(page.get_by_test_id("staff-name")).to_have_text("wangfang")

    await page.clock.fast_forward("29:00")
    await expect(page.get_by_test_id("staff-name")).to_be_visible()
    await page.clock.fast_forward("01:05")

    await expect(page).to_have_url(re.compile(r"/workbench/login\?.*reason=idle"))
    await expect(page.get_by_text("长时间未操作，已自动退出")).to_be_visible()
    await screenshot(page, "idle-logout")
