"""Issue 16's workbench pages in a real browser: the admin sets a window group's release rule and makes a
day a lottery day (the API's day listing then says so); a window clerk books a reserved place (the slot
full for citizens online) for a citizen by name, ID number and phone and reads out the check-in code;
the citizen then sees that booking in their own list as made by the staff."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

from playwright.async_api import expect

from citizen_api import clock
from citizen_api.appointments.models import Slot, Window
from citizen_api.catalog.repository.index import bump_revision
from citizen_api.security.identity import id_check_char
from tests.appointments_fixtures import make_hall
from tests.browser.admin_flow import WIDE, admin_page, log_in, make_admin
from tests.browser.hall_flow import PASSWORD, real_name, run_clock_from
from tests.cases_fixtures import published_item
from tests.conftest import create_staff

MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=clock.CST)
BOOK_DAY = "2026-11-18"  # released (3 days before: 11-15 08:00), first come
LOTTERY_DAY = "2026-11-19"
LATER_DAY = "2026-11-20"  # opens 11-17 08:00
# one slot of ten an hour: 10 % (one place) is kept for the staff
PERIODS = [{"start": "09:00", "end": "11:00", "slot_minutes": 60, "capacity": 10}]
ID_BASE = "11010519900307123"


async def _days(web_server, item_code: str) -> dict[str, dict]:
    params = {"item_code": item_code, "from": BOOK_DAY, "to": LATER_DAY}
    resp = await web_server.client.get("/api/v1/appointments/days", params=params)
    assert resp.status_code == 200, resp.text
    return {d["date"]: d for d in resp.json()}


async def _searchable(web_server, code: str) -> None:
    """The item is in the search index (rebuilt within catalog_refresh_seconds of the revision's move)."""
    await bump_revision()
    for _ in range(300):
        resp = await web_server.client.get("/api/v1/items", params={"bookable": "true"})
        if any(i["code"] == code for i in resp.json()["items"]):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{code} never reached the search index")


async def _pick_date(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    await field.fill(value)
    await field.press("Enter")


async def test_release_rule_lottery_day_and_booking_for_a_citizen(web_server, open_page, screenshot):
    run_clock_from(MONDAY)
    hall = await make_hall(weekday_periods=PERIODS)
    item = await published_item("GA-HJ-001", name="户口迁移")
    item.item.bookable = True
    await item.item.save()
    await hall.group.items.add(item.item)
    window = await Window.create(group=hall.group, number="5", name="5号窗口")
    await make_admin()
    clerk = await create_staff("wangfang", "window", "GA", PASSWORD)
    admin = await web_server.api.staff_headers("admin1", PASSWORD)
    seated = await web_server.client.put(
        f"/api/v1/staff/users/{clerk.id}/window", json={"window_id": window.id}, headers=admin
    )
    assert seated.status_code == 200, seated.text
    await _searchable(web_server, "GA-HJ-001")

    # ---- the admin: a release rule for the whole group, then a lottery day ----------------------
    page = await admin_page(open_page, web_server, "/workbench/admin/booking-rules")
    rules = page.get_by_test_id("release-rules")
    await expect(rules.get_by_role("row", name=hall.group.name)).to_contain_text("未设置")
    await rules.get_by_role("button", name="设置规则").click()
    dialog = page.get_by_role("dialog", name=f"放号规则：{hall.group.name}")
    await dialog.get_by_label("提前天数").fill("3")
    await dialog.get_by_label("放号时间").fill("8点")
    await dialog.get_by_role("button", name="确定").click()
    await expect(dialog.locator(".el-form-item__error")).to_be_visible()  # the API's 422, at its field
    await dialog.get_by_label("放号时间").fill("08:00")
    await dialog.get_by_role("button", name="确定").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_test_id(f"rule-{hall.group.code}-group")).to_contain_text("提前 3 天 08:00 放号")

    await page.get_by_role("button", name="新建摇号日").click()
    draw = page.get_by_role("dialog", name="新建摇号日")
    await _pick_date(draw, "摇号日期", LOTTERY_DAY)
    await _pick_date(draw, "登记开始", "2026-11-16 10:00")
    await _pick_date(draw, "登记截止", "2026-11-17 18:00")
    await _pick_date(draw, "开奖时间", "2026-11-18 09:00")
    await screenshot(page, "draw-dialog")
    await draw.get_by_role("button", name="确定").click()
    await expect(draw).to_be_hidden()
    row = page.get_by_test_id("lottery-draws").get_by_role("row", name=LOTTERY_DAY)
    await expect(row).to_contain_text("登记中")
    await expect(row).to_contain_text("2026-11-16 10:00")
    await expect(row).to_contain_text("2026-11-18 09:00")
    await expect(page.get_by_role("status")).to_contain_text(f"已设置 {LOTTERY_DAY} 为摇号日")
    await screenshot(page, "booking-rules-1366")

    days = await _days(web_server, "GA-HJ-001")
    assert days[LATER_DAY]["opens_at"] == "2026-11-17T08:00:00+08:00", days[LATER_DAY]
    assert days[LOTTERY_DAY]["allocation"] == "lottery", days[LOTTERY_DAY]
    assert days[BOOK_DAY]["opens_at"] is None and days[BOOK_DAY]["allocation"] == "first_come"
    draws = await web_server.client.get("/api/v1/staff/appointments/lottery-draws", headers=admin)
    [made] = draws.json()
    assert made["date"] == LOTTERY_DAY and made["status"] == "open" and len(made["seed_hash"]) == 64
    assert made["registration_opens_at"] == "2026-11-16T10:00:00+08:00"
    assert made["draw_at"] == "2026-11-18T09:00:00+08:00" and made["seed"] is None

    wide = await admin_page(open_page, web_server, "/workbench/admin/booking-rules", viewport=WIDE)
    await expect(wide.get_by_test_id("lottery-draws").get_by_role("row", name=LOTTERY_DAY)).to_be_visible()
    await screenshot(wide, "booking-rules-1920")

    # ---- the clerk books the staff's reserved place of a slot full online -------------------------
    citizen = await web_server.api.citizen_headers("alice")
    await real_name(web_server, citizen)  # 王小明, the ID number below, 13812345678
    slots = await web_server.client.get(
        "/api/v1/appointments/slots", params={"item_code": "GA-HJ-001", "date": BOOK_DAY}
    )
    first = slots.json()[0]
    assert first["capacity"] == 9, first
    await Slot.filter(id=first["id"]).update(booked=9)  # nine citizens booked online

    clerk_page = await open_page()
    await log_in(clerk_page, web_server, "wangfang", "/workbench/window/book-for")
    await expect(clerk_page.get_by_role("heading", name="窗口工作台")).to_be_visible()
    await expect(clerk_page.get_by_role("link", name="代约")).to_be_visible()
    await _pick_date(clerk_page, "日期", BOOK_DAY)
    slot = clerk_page.get_by_test_id(f"slot-{first['id']}")
    await expect(slot).to_contain_text("09:00–10:00")
    await expect(slot).to_contain_text("网上余 0/9")
    await slot.click()
    await clerk_page.get_by_label("姓名").fill("王小明")
    await clerk_page.get_by_label("身份证号").fill(ID_BASE + id_check_char(ID_BASE))
    await clerk_page.get_by_label("手机号").fill("13812345678")
    await screenshot(clerk_page, "book-for-form")
    await clerk_page.get_by_role("button", name="预约").click()
    code = clerk_page.get_by_test_id("check-in-code")
    await expect(code).to_have_text(re.compile(r"^\s*[0-9A-Z]{10}\s*$"))
    await expect(clerk_page.get_by_test_id("booked")).to_contain_text("09:00–10:00")
    await screenshot(clerk_page, "book-for-1366")
    shown = (await code.inner_text()).strip()

    mine = await web_server.client.get("/api/v1/appointments", headers=citizen)
    assert mine.status_code == 200, mine.text
    [booking] = mine.json()["items"]
    assert booking["source"] == "staff" and booking["check_in_code"] == shown, booking
    assert booking["date"] == BOOK_DAY and booking["slot"]["id"] == first["id"]
    assert (await Slot.get(id=first["id"])).booked == 10

    clerk_wide = await open_page(viewport=WIDE)
    await log_in(clerk_wide, web_server, "wangfang", "/workbench/window/book-for")
    await _pick_date(clerk_wide, "日期", BOOK_DAY)
    await expect(clerk_wide.get_by_test_id(f"slot-{first['id']}")).to_contain_text("网上余 0/9")
    await screenshot(clerk_wide, "book-for-1920")
    assert page.foreign_requests == [] and clerk_page.foreign_requests == []
