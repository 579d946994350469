"""The admin's calendar in a real browser: a weekend opened for appointment service is bookable by a
citizen over the API; a day's setting is undone; the year's schedule file is previewed, then applied."""

from __future__ import annotations

import json
from datetime import datetime

from playwright.async_api import expect

from citizen_api import clock
from tests.appointments_fixtures import make_hall
from tests.browser.admin_flow import WIDE, admin_page, make_admin
from tests.browser.hall_flow import real_name, run_clock_from

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=clock.CST)
SATURDAY = "2026-11-21"


async def _bookable_days(web_server, item_code: str, day: str) -> dict:
    resp = await web_server.client.get(
        "/api/v1/appointments/days", params={"item_code": item_code, "from": day, "to": day}
    )
    assert resp.status_code == 200, resp.text
    return resp.json()[0]


async def test_a_weekend_opened_for_service_can_be_booked(web_server, open_page, screenshot):
    run_clock_from(MONDAY)
    hall = await make_hall()
    await make_admin()
    before = await _bookable_days(web_server, hall.item.code, SATURDAY)
    assert before["available"] is False and before["kind"] == "closed"

    page = await admin_page(open_page, web_server, "/workbench/admin/calendar")
    await expect(page.get_by_test_id("calendar-month")).to_have_text("2026 年 11 月")
    cell = page.locator(f'[data-date="{SATURDAY}"]')
    await expect(cell).to_have_attribute("data-kind", "weekend")
    await screenshot(page, "calendar-1366")
    await cell.click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("现在：周末")
    await dialog.locator(".el-radio").filter(has_text="节假日预约服务").click()
    await dialog.get_by_label("说明").fill("周末预约服务")
    await screenshot(page, "calendar-dialog")
    await dialog.get_by_role("button", name="确定").click()
    await expect(dialog).to_be_hidden()
    await expect(cell).to_have_attribute("data-kind", "holiday_service")
    await expect(cell).to_contain_text("周末预约服务")

    # a citizen (over the API) now sees the day open and books it
    day = await _bookable_days(web_server, hall.item.code, SATURDAY)
    assert day["kind"] == "holiday_service" and day["available"] is True, day
    citizen = await web_server.api.citizen_headers("alice")
    await real_name(web_server, citizen)
    slots = await web_server.client.get(
        "/api/v1/appointments/slots", params={"item_code": hall.item.code, "date": SATURDAY}
    )
    assert slots.status_code == 200 and slots.json(), slots.text
    booked = await web_server.client.post(
        "/api/v1/appointments",
        json={"slot_id": slots.json()[0]["id"], "item_code": hall.item.code},
        headers=citizen,
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["slot"]["start"].startswith(SATURDAY)

    # the admin undoes another day's setting: a Sunday closed, then 撤销 restores the weekend
    sunday = page.locator('[data-date="2026-11-22"]')
    await sunday.click()
    await dialog.locator(".el-radio").filter(has_text="闭厅").click()
    await dialog.get_by_role("button", name="确定").click()
    await expect(sunday).to_have_attribute("data-kind", "closed")
    await sunday.click()
    await dialog.get_by_role("button", name="撤销").click()
    await expect(sunday).to_have_attribute("data-kind", "weekend")
    assert page.foreign_requests == []

    wide = await admin_page(open_page, web_server, "/workbench/admin/calendar", viewport=WIDE)
    await expect(wide.locator(f'[data-date="{SATURDAY}"]')).to_have_attribute("data-kind", "holiday_service")
    await screenshot(wide, "calendar-1920")


async def test_the_year_schedule_is_previewed_then_applied(web_server, open_page, screenshot, tmp_path):
    run_clock_from(MONDAY)
    await make_admin()
    schedule = {
        "year": 2027,
        "holidays": [
            {"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]},
            {"name": "春节", "dates": [f"2027-02-{d:02d}" for d in range(6, 14)]},
        ],
        "workdays": ["2027-02-14", "2027-02-20"],
    }
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")

    page = await admin_page(open_page, web_server, "/workbench/admin/calendar")
    await page.get_by_label("选择年度安排文件").set_input_files(str(path))
    preview = page.get_by_test_id("import-preview")
    await expect(preview).to_contain_text("2027 年：节假日 11 天，调休上班 2 天")
    await expect(preview.get_by_role("row", name="2027-02-14")).to_contain_text("调休上班")
    await preview.scroll_into_view_if_needed()
    await screenshot(page, "import-preview")
    # nothing applied yet
    resp = await web_server.client.get(
        "/api/v1/staff/calendar",
        params={"from": "2027-02-14", "to": "2027-02-14"},
        headers=await web_server.api.staff_headers("admin1"),
    )
    assert resp.json()["items"][0]["kind"] != "makeup_workday"

    await preview.get_by_role("button", name="确定").click()
    await expect(page.get_by_role("status")).to_contain_text("已导入 2027 年安排")
    await expect(page.get_by_test_id("calendar-month")).to_have_text("2027 年 1 月")
    await expect(page.locator('[data-date="2027-01-01"]')).to_have_attribute("data-kind", "holiday")
    resp = await web_server.client.get(
        "/api/v1/staff/calendar",
        params={"from": "2027-02-14", "to": "2027-02-14"},
        headers=await web_server.api.staff_headers("admin1"),
    )
    assert resp.json()["items"][0]["kind"] == "makeup_workday"
