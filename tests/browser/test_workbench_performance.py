"""效能考评 in a real browser at 1366×768: a supervisor opens October 2026 (tests/performance_fixtures),
computes it, reads the departments' ranking with its 红榜 marks and raw figures, the staff ranking with
its 黑榜, the cases behind a clerk's score; weights not adding up to 100 are refused in the server's
words; the month is exported as .xlsx; November, not over yet, cannot be computed."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from playwright.async_api import expect

from citizen_api import clock
from tests import cases_fixtures as f
from tests.browser.conftest import DESK
from tests.browser.hall_flow import PASSWORD
from tests.browser.test_workbench_flow import fits, log_in
from tests.conftest import create_staff
from tests.performance_fixtures import october


async def test_a_supervisor_computes_and_reads_the_month(web_server, open_page, screenshot):
    month = await october(web_server.client, web_server.api, web_server.settings)
    now = f.at(2026, 11, 2, 12)
    clock.set_now(now)
    await create_staff("zhangjian", "supervisor", None, password=PASSWORD)

    page = await open_page(DESK)
    await page.clock.set_fixed_time(now)  # the browser's today too: the picker starts on October
    await log_in(page, web_server, "zhangjian")
    await page.get_by_role("link", name="效能考评").click()
    await expect(page.get_by_test_id("perf-not-computed")).to_contain_text("2026-10 的效能考评尚未计算")
    await screenshot(page, "not-computed")

    await page.get_by_test_id("perf-compute").click()
    ranking = page.get_by_test_id("perf-ranking")
    rows = ranking.locator(".el-table__body tr")
    await expect(rows).to_have_count(3)
    await expect(rows.nth(0)).to_contain_text("人社局")
    await expect(rows.nth(0)).to_contain_text("红榜")
    await expect(rows.nth(1)).to_contain_text("61.1")
    await expect(rows.nth(1)).to_contain_text("2/3 按期办结")
    await expect(page.get_by_test_id("perf-used-weights")).to_contain_text("按期办结 40")
    await fits(page, DESK)
    await screenshot(page, "departments")

    await page.get_by_role("tab", name="工作人员").click()
    mz1 = ranking.locator("tr", has_text="mz1")
    await expect(mz1).to_contain_text("黑榜")
    await expect(mz1).to_contain_text("19.4")
    await fits(page, DESK)
    await screenshot(page, "staff")

    await ranking.locator("tr", has_text="ga1").get_by_role("button", name="2 件").click()
    cases = page.get_by_test_id("perf-cases")
    for key in ("c1", "c2"):
        await expect(cases).to_contain_text(month.cases[key]["number"])
    await expect(cases.locator("tr", has_text=month.cases["c2"]["number"])).to_contain_text("亮灯")
    await screenshot(page, "cases-behind")
    await page.keyboard.press("Escape")
    await expect(cases).to_be_hidden()

    await page.get_by_test_id("perf-weights").click()
    dialog = page.get_by_role("dialog", name="效能考评权重")
    rating = dialog.get_by_test_id("weight-rating").locator("input")
    await rating.fill("20")
    await rating.press("Tab")
    await dialog.get_by_test_id("weights-save").click()
    await expect(dialog.get_by_test_id("weights-refused")).to_contain_text("五项权重合计须为 100，现为 90")
    await screenshot(page, "weights-refused")
    on_time = dialog.get_by_test_id("weight-on_time").locator("input")
    await on_time.fill("50")
    await on_time.press("Tab")
    await dialog.get_by_test_id("weights-save").click()
    await expect(dialog).to_be_hidden()
    shown = await web_server.client.get("/api/v1/staff/performance/weights", headers=month.supervisor)
    assert shown.json()["weights"]["on_time"] == 50 and shown.json()["weights"]["rating"] == 20
    # October keeps the weights it was computed with
    await expect(page.get_by_test_id("perf-used-weights")).to_contain_text("按期办结 40")

    async with page.expect_download() as download_info:
        await page.get_by_test_id("export-performance").click()
    download = await download_info.value
    assert download.suggested_filename.startswith("效能考评-2026-10-")
    book = load_workbook(BytesIO((await download.path()).read_bytes()))
    assert book.sheetnames == ["2026-10 工作人员排名", "办件明细"]

    # November is not over on the service's clock: the server refuses, the page shows its words
    await page.get_by_label("考评月份").click()
    await page.locator(".el-month-table").get_by_text("十一月", exact=True).click()
    await expect(page.get_by_test_id("perf-not-computed")).to_contain_text("2026-11 的效能考评尚未计算")
    await page.get_by_test_id("perf-compute").click()
    await expect(page.get_by_role("alert")).to_contain_text("2026-11 尚未结束，2026-12-01 起方可计算")
    await screenshot(page, "month-not-over")
    assert page.foreign_requests == []
