"""上门服务 in a real browser at 1366×768: the clerk of the department sees a 76-year-old's request
(eligible by the ID number), schedules the visit (the citizen is told the day, window and staff),
then records the case accepted on site; a request that needs confirming shows only 确认资格 and 驳回."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect

from citizen_api import clock
from citizen_api.catalog.models import ItemVersion
from notifications.models import Notification
from tests import cases_fixtures as f
from tests.browser.conftest import DESK
from tests.browser.hall_flow import PASSWORD
from tests.browser.test_workbench_flow import confirm, fits, log_in
from tests.conftest import create_staff
from tests.licences_fixtures import licence_item
from tests.test_visits import ADDRESS


async def test_the_clerk_schedules_a_home_visit_and_records_it(web_server, open_page, screenshot):
    client, api = web_server.client, web_server.api
    item = await licence_item("SC-SM-301", "个体工商户注销登记")
    await ItemVersion.filter(id=item.version.id).update(guide={"home_visit": True})
    elder = await f.citizen(api, client, "elder", id_index=1)  # born 1949
    young = await f.citizen(api, client, "young", id_index=0)
    day = (clock.today() + timedelta(days=3)).isoformat()
    ask = {"item_code": item.code, "address": ADDRESS, "preferred_days": [day]}
    assert (
        await client.post("/api/v1/visits", json={**ask, "reason": "age"}, headers=elder.headers)
    ).status_code == 201
    pending = {**ask, "reason": "illness", "reason_note": "术后卧床"}
    assert (await client.post("/api/v1/visits", json=pending, headers=young.headers)).status_code == 201
    await create_staff("chenjing", "window", "SC", password=PASSWORD)

    page = await open_page(DESK)
    await log_in(page, web_server, "chenjing")
    await page.get_by_role("link", name="上门服务").click()
    table = page.get_by_test_id("visits-table")
    elder_row = table.locator("tr", has_text="年满70周岁")
    sick_row = table.locator("tr", has_text="术后卧床")
    await expect(sick_row.get_by_role("button")).to_have_text(["确认资格", "驳回"])
    await fits(page, DESK)
    await screenshot(page, "visits-list")

    await elder_row.get_by_role("button", name="安排上门").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("上门工作人员（多人用顿号分隔）").fill("陈静、李明")
    await screenshot(page, "visit-schedule-dialog")
    await confirm(page)
    await expect(elder_row).to_contain_text(f"{day} 09:00–11:00 · 陈静、李明")
    (told,) = await Notification.filter(user_id=elder.user_id, event="visit.scheduled")
    assert told.payload["staff"] == "陈静、李明"

    await elder_row.get_by_role("button", name="登记结果").click()
    await dialog.get_by_role("button", name="确定").click()  # accepted on site needs the case number
    await expect(dialog.get_by_text("现场受理须填写办件编号")).to_be_visible()
    await dialog.get_by_label("现场受理的办件编号").fill("SC2026120300001")
    await confirm(page)
    await expect(elder_row).to_contain_text("现场受理 SC2026120300001")
    await screenshot(page, "visit-recorded")
