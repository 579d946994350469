"""Issue 14's whole flow in a real browser, against the real app: a citizen books and submits (over the
API); the clerk checks them in by the scanned code and calls the number, which the hall TV shows
within 2 s; the clerk finds the case by its number, asks for two materials at once, the citizen
supplements, the clerk accepts; the approver suspends, resumes (the deadline moves) and approves; the
clerk mails the result with an EMS waybill; a clerk of another department finds nothing; an expired
session returns to the login page. Every page is screenshot at 1366×768 (the TV also at 1920×1080).
"""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import DESK, TV
from tests.browser.hall_flow import (
    PASSWORD,
    TUESDAY,
    book_and_submit,
    citizen_headers,
    days_later,
    hall_with_staff,
    run_clock_from,
    supplement,
)

TWO_MISSING = ["户口簿", "结婚证"]


async def log_in(page, web_server, username: str) -> None:
    await page.goto(web_server.url("/workbench/"))
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_test_id("staff-name")).to_have_text(username)


async def seen_by_citizen(web_server, case_id: int) -> dict:
    headers = await citizen_headers(web_server)
    resp = await web_server.client.get(f"/api/v1/applications/{case_id}", headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def fits(page, size: tuple[int, int]) -> None:
    scroll = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll[0] <= size[0], f"cut off at the right: {scroll}"


async def fill_dialog(page, text: str) -> None:
    """Type into the open dialog's text box and see it kept before 确定.

    Under a loaded two-worker run the text typed at once into a just-opened dialog was twice found
    gone a moment later (the box empty, 422 on 确定); not reproduced alone or by hand, and a person
    does not type within milliseconds of the dialog opening. Open question (noted on issue 14):
    until it is understood the test types again once when the first text did not stay."""
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    box = dialog.get_by_role("textbox")
    await box.fill(text)
    try:
        await expect(box).to_have_value(text, timeout=1500)
    except AssertionError:
        await box.fill(text)
        await expect(box).to_have_value(text)


async def confirm(page):
    dialog = page.get_by_role("dialog")
    await dialog.get_by_role("button", name="确定").click()
    await expect(dialog).to_have_count(0)


async def test_the_hall_day_from_booking_to_the_mailed_result(web_server, open_page, screenshot):
    setup = await hall_with_staff(web_server)
    booking, case = await book_and_submit(web_server, setup)
    number, case_id = case["number"], case["id"]
    run_clock_from(TUESDAY)

    # the hall TV, on its own screen, before anything is called
    tv = await open_page(viewport=TV)
    await tv.goto(web_server.url("/hall/SMZX"))
    await expect(tv.get_by_role("heading", name="叫号", exact=True)).to_be_visible()
    await expect(tv.get_by_text("市民中心政务服务大厅")).to_be_visible()

    # the clerk: log in, check the citizen in by the scanned code (typed + Enter)
    clerk = await open_page()
    await clerk.goto(web_server.url("/workbench/"))
    await screenshot(clerk, "login")
    await log_in(clerk, web_server, "wangfang")
    await expect(clerk).to_have_url(re.compile(r"/workbench/window$"))
    await expect(clerk.get_by_text("5 号窗口")).to_be_visible()
    await expect(clerk.get_by_test_id("today-appointments")).to_contain_text(re.compile(r"王\*"))  # masked
    code_box = clerk.get_by_label("预约签到")
    await expect(code_box).to_be_focused()
    await code_box.fill(booking["check_in_code"])
    await code_box.press("Enter")
    checked_in = clerk.get_by_test_id("check-in-number")
    await expect(checked_in).to_contain_text("签到成功")
    queue_number = re.search(r"[A-Z]\d+", await checked_in.inner_text()).group(0)
    await expect(clerk.get_by_test_id("waiting-list")).to_contain_text(queue_number)
    await screenshot(clerk, "queue-checked-in")

    # 叫号: the clerk's screen and, within 2 s, the TV
    await clerk.get_by_role("button", name="叫号", exact=True).click()
    await expect(clerk.get_by_test_id("current-number")).to_have_text(queue_number)
    await expect(clerk.get_by_text(f"请 {queue_number} 号到 5 号窗口")).to_be_visible()
    await expect(tv.get_by_test_id("latest-number")).to_have_text(queue_number, timeout=2000)
    await expect(tv.get_by_text("请到 5 号窗口")).to_be_visible()
    await fits(tv, TV)
    assert tv.foreign_requests == [] and clerk.foreign_requests == []
    assert "王" not in await tv.locator("body").inner_text()  # no personal data on the TV
    await screenshot(clerk, "queue-called")
    await screenshot(tv, "hall-tv-1920")
    await tv.set_viewport_size({"width": DESK[0], "height": DESK[1]})
    await expect(tv.get_by_test_id("latest-number")).to_have_text(queue_number)
    await fits(tv, DESK)
    await screenshot(tv, "hall-tv-1366")

    # the inbox: the case by its number (search box 办件编号), then its page
    await clerk.get_by_role("link", name="办件", exact=True).click()
    search = clerk.get_by_placeholder("办件编号")
    await search.fill(number[-6:])  # a part of the number finds it too
    await search.press("Enter")
    await expect(clerk.get_by_role("link", name=number)).to_be_visible()
    await expect(clerk.get_by_test_id("case-list")).to_contain_text(re.compile(r"王\*"))  # masked
    await expect(clerk.get_by_test_id("case-list")).not_to_contain_text("王小明")
    await fits(clerk, DESK)
    await screenshot(clerk, "inbox-search")
    await clerk.get_by_role("link", name=number).click()
    await expect(clerk.get_by_test_id("case-number")).to_have_text(number)
    await expect(clerk.get_by_test_id("materials-table")).to_contain_text("居民身份证")
    await expect(clerk.locator("iframe.materials__frame")).to_have_count(1)  # the first file, a PDF
    await clerk.get_by_role("button", name="photo.png").click()
    photo = clerk.get_by_role("img", name="photo.png")
    await expect(photo).to_be_visible()
    assert await photo.evaluate("img => img.complete && img.naturalWidth > 0")  # the signed link, no token
    await fits(clerk, DESK)
    await screenshot(clerk, "case-submitted")

    # 一次性告知补正: two materials ticked at once, with a note
    await clerk.get_by_role("button", name="一次性告知补正").click()
    dialog = clerk.get_by_role("dialog")
    for name in TWO_MISSING:
        await dialog.get_by_text(name, exact=True).click()
    await dialog.get_by_role("textbox").fill("户口簿须为最新版本，结婚证请提供原件扫描件")
    await screenshot(clerk, "case-supplement-dialog")
    await confirm(clerk)
    seen = await seen_by_citizen(web_server, case_id)
    assert seen["status"] == "supplement_required"
    assert sorted(m["name"] for m in seen["missing"]) == sorted(TWO_MISSING)
    await expect(clerk.get_by_test_id("case-status")).to_have_text(seen["status_text"])

    # the citizen supplements; the clerk reloads (the session comes back from the refresh cookie) and accepts
    await supplement(web_server, setup, case_id, TWO_MISSING)
    await clerk.reload()
    await expect(clerk.get_by_test_id("case-status")).to_have_text(
        (await seen_by_citizen(web_server, case_id))["status_text"]
    )
    await clerk.get_by_role("button", name="受理", exact=True).click()
    await confirm(clerk)
    accepted = await seen_by_citizen(web_server, case_id)
    assert accepted["status"] == "accepted"
    await expect(clerk.get_by_test_id("case-status")).to_have_text(accepted["status_text"])
    await expect(clerk.get_by_test_id("case-deadline")).to_have_text(accepted["deadline"])
    await screenshot(clerk, "case-accepted")

    # the approver: the inbox of accepted cases, 暂停计时, three days later 恢复办理 (deadline moves), 准予
    approver = await open_page()
    await log_in(approver, web_server, "liqiang")
    await expect(approver).to_have_url(re.compile(r"/workbench/approver$"))
    await expect(approver.get_by_role("link", name=number)).to_be_visible()
    await screenshot(approver, "approver-inbox")
    await approver.get_by_role("link", name=number).click()
    before = accepted["deadline"]
    await expect(approver.get_by_test_id("case-deadline")).to_have_text(before)
    await approver.get_by_role("button", name="暂停计时").click()
    await fill_dialog(approver, "需组织听证")
    await confirm(approver)
    suspended = await seen_by_citizen(web_server, case_id)
    assert suspended["status"] == "suspended"
    await expect(approver.get_by_test_id("case-status")).to_have_text(suspended["status_text"])
    await screenshot(approver, "case-suspended")

    days_later(3)  # the approver's access token runs out meanwhile: the next call refreshes it by cookie
    await approver.get_by_role("button", name="恢复办理").click()
    await confirm(approver)
    resumed = await seen_by_citizen(web_server, case_id)
    assert resumed["status"] == "accepted" and resumed["deadline"] > before
    await expect(approver.get_by_test_id("case-deadline")).to_have_text(resumed["deadline"])
    await approver.get_by_role("button", name="准予").click()
    await fill_dialog(approver, "符合迁移条件")
    await confirm(approver)
    approved = await seen_by_citizen(web_server, case_id)
    assert approved["status"] == "approved"
    await expect(approver.get_by_test_id("case-status")).to_have_text(approved["status_text"])
    await expect(approver.get_by_test_id("timeline")).to_contain_text("liqiang")
    await fits(approver, DESK)
    await screenshot(approver, "case-approved")

    # the clerk mails the result: a bad waybill is refused at its field, a good one is registered
    await clerk.reload()
    await clerk.get_by_role("button", name="送达").click()
    dialog = clerk.get_by_role("dialog")
    await dialog.get_by_text("邮寄", exact=True).click()
    waybill = dialog.get_by_label("EMS 运单号")
    await waybill.fill("12345")
    await dialog.get_by_role("button", name="确定").click()
    item = dialog.locator(".el-form-item", has=clerk.get_by_label("EMS 运单号"))
    await expect(item.locator(".el-form-item__error")).to_contain_text("运单号")
    await expect(waybill).to_have_value("12345")
    await screenshot(clerk, "case-deliver-bad-waybill")
    await waybill.fill("1234567890123")
    await confirm(clerk)
    await expect(clerk.get_by_text("邮寄 EMS 1234567890123")).to_be_visible()
    mailed = await seen_by_citizen(web_server, case_id)
    assert mailed["delivery"]["waybill"] == "1234567890123"
    await screenshot(clerk, "case-mailed")

    # a clerk of another department finds nothing of it
    other = await open_page()
    await log_in(other, web_server, "zhaolei")
    await other.get_by_role("link", name="办件", exact=True).click()
    await other.get_by_placeholder("办件编号").fill(number)
    await other.get_by_placeholder("办件编号").press("Enter")
    await expect(other.get_by_text("没有符合条件的办件")).to_be_visible()
    await expect(other.get_by_role("link", name=number)).to_have_count(0)
    await screenshot(other, "other-department-inbox")
    await other.goto(web_server.url(f"/workbench/cases/{case_id}"))
    await expect(other.get_by_role("alert")).to_be_visible()
    await expect(other.get_by_test_id("materials-table")).to_have_count(0)

    # a month later the refresh token is gone too: the next call returns to the login page
    days_later(31)
    await clerk.get_by_role("menuitem", name="窗口工作台").click()
    await expect(clerk).to_have_url(re.compile(r"/workbench/login"))
    await expect(clerk.get_by_text("登录已过期，请重新登录")).to_be_visible()
    await screenshot(clerk, "session-expired")
