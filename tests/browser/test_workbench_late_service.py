"""延时服务 in a real browser at 1366×768: after the hall closes the clerk's queue says so, a new
number is refused with the reason, the waiting are still called, the window is marked as serving
late, and the hall TV names it; the clerk cannot end it while somebody still waits."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect

from tests.browser.conftest import TV
from tests.browser.hall_flow import TUESDAY, hall_with_staff, run_clock_from
from tests.browser.test_workbench_flow import fits, log_in

CLOSING = TUESDAY.replace(hour=17, minute=0)  # the demo group's weekday hours end at 17:00


async def test_the_clerk_serves_the_waiting_after_closing(web_server, open_page, screenshot):
    await hall_with_staff(web_server)
    clerk_headers = await web_server.api.staff_headers("wangfang", "correct-horse-9")
    run_clock_from(CLOSING - timedelta(minutes=10))
    for _ in range(2):
        walk = await web_server.client.post("/api/v1/staff/queue/walk-in", json={}, headers=clerk_headers)
        assert walk.status_code == 201, walk.text
    run_clock_from(CLOSING + timedelta(minutes=3))

    tv = await open_page(viewport=TV)
    await tv.goto(web_server.url("/hall/SMZX"))
    await expect(tv.get_by_role("heading", name="叫号", exact=True)).to_be_visible()
    await expect(tv.get_by_test_id("late-windows")).to_have_count(0)

    clerk = await open_page()
    await log_in(clerk, web_server, "wangfang")
    bar = clerk.get_by_test_id("late-service")
    await expect(bar).to_contain_text("已过下班时间（17:00），停止取号")
    await expect(bar).to_contain_text("仍有 2 位群众等候")

    await clerk.get_by_role("button", name="取号", exact=True).click()
    await expect(clerk.get_by_role("alert").first).to_contain_text("停止取号")

    await clerk.get_by_role("button", name="叫号", exact=True).click()
    await expect(clerk.get_by_test_id("current-number")).to_have_text("AW001")
    await expect(bar).to_contain_text("本窗口延时服务中")
    await expect(bar).to_contain_text("仍有 1 位群众等候")
    await expect(tv.get_by_test_id("late-windows")).to_have_text(
        "延时服务：5 号窗口继续为已取号的群众办理", timeout=2000
    )
    await fits(clerk, (1366, 768))
    await screenshot(clerk, "queue-after-closing")
    await screenshot(tv, "hall-tv-late-windows")

    await bar.get_by_role("button", name="结束延时服务").click()
    await expect(bar.get_by_role("alert")).to_contain_text("仍有 1 位群众在等候")
    await expect(bar).to_contain_text("本窗口延时服务中")
    await screenshot(clerk, "late-service-cannot-end")
