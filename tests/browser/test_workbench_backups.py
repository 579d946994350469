"""AB角 in a real browser at 1366×768: a supervisor names 陈静 as 王芳's backup, marks 王芳 absent
(the reason required; the result "已转交 1 件、1 个号" shown: the case whose 受理 王芳 holds, and her
called number); 陈静's queue panel says 正代 王芳 办理 with 王芳's called number at her window and
王芳's group's waiting number next, and the case page shows 陈静 holding 受理; 王芳 cannot call;
after 返岗 the case is hers again ("返岗收回 1 件") and the banner is gone."""

from __future__ import annotations

from playwright.async_api import expect

from citizen_api.appointments.models import Window
from citizen_api.users.models import User
from tests import cases_fixtures as f
from tests.appointments_fixtures import make_hall
from tests.browser.conftest import DESK
from tests.browser.hall_flow import PASSWORD, TUESDAY, hall_with_staff, run_clock_from
from tests.browser.test_workbench_flow import fits, log_in
from tests.case_steps_fixtures import stepped_item
from tests.conftest import create_staff

QUEUE = "/api/v1/staff/queue"


async def test_a_supervisor_hands_an_absent_clerks_queue_to_the_backup(web_server, open_page, screenshot):
    client, api = web_server.client, web_server.api
    await hall_with_staff(web_server)  # 王芳 (wangfang) at window 5 of group A
    hall_b = await make_hall(prefix="B")
    window_b = await Window.create(group=hall_b.group, number="7", name="7号窗口")
    chen = await create_staff("chenjing", "window", "GA", PASSWORD)
    await create_staff("jiancha", "supervisor", None, PASSWORD)
    await User.filter(username="wangfang").update(display_name="王芳")
    await User.filter(username="chenjing").update(display_name="陈静")
    admin = await api.staff_headers("admin1", PASSWORD)
    seated = await client.put(
        f"/api/v1/staff/users/{chen.id}/window", json={"window_id": window_b.id}, headers=admin
    )
    assert seated.status_code == 200, seated.text
    run_clock_from(TUESDAY)
    wang = await api.staff_headers("wangfang", PASSWORD)
    for _ in range(2):
        assert (await client.post(f"{QUEUE}/walk-in", json={}, headers=wang)).status_code == 201
    called = await client.post(f"{QUEUE}/call-next", json={}, headers=wang)
    assert called.json()["number"] == "AW001", called.text
    # a case 王芳 accepted: she holds its first step (受理), which goes to her backup while she is away
    item = await stepped_item("GA-HJ-909", name="户口迁移")
    case = await f.submit(client, await f.citizen(api, client), item)
    assert (await f.act(client, wang, case["id"], "accept")).status_code == 200

    page = await open_page(DESK)
    await log_in(page, web_server, "jiancha")
    await page.get_by_role("link", name="AB角").click()
    table = page.get_by_test_id("backup-list")
    wang_row = table.locator("tr", has=page.get_by_test_id("clerk-name").get_by_text("王芳", exact=True))
    chen_row = table.locator("tr", has=page.get_by_test_id("clerk-name").get_by_text("陈静", exact=True))
    await wang_row.locator(".el-select").click()
    await page.get_by_role("option", name="陈静").click()
    notice = page.get_by_test_id("backup-notice")
    await expect(notice).to_have_text("已指定 王芳 的 B 角：陈静")

    # 陈静 has no backup: the server's refusal is shown in the dialog
    await chen_row.get_by_role("button", name="标记缺岗").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("缺岗原因").fill("外出培训")
    await dialog.get_by_role("button", name="确定缺岗").click()
    await expect(dialog.get_by_role("alert")).to_contain_text("尚未指定在岗的 B 角")
    await screenshot(page, "no-backup-refused")
    await dialog.get_by_role("button", name="取消").click()
    await expect(dialog).to_be_hidden()

    await wang_row.get_by_role("button", name="标记缺岗").click()
    await dialog.get_by_role("button", name="确定缺岗").click()  # no reason: the field says so
    await expect(dialog.locator(".el-form-item__error")).to_be_visible()
    await dialog.get_by_label("缺岗原因").fill("病假")
    await dialog.get_by_role("button", name="确定缺岗").click()
    await expect(dialog).to_be_hidden()
    await expect(notice).to_have_text("王芳 已标记缺岗，由 陈静 接办：已转交 1 件、1 个号")
    await expect(wang_row).to_contain_text("缺岗")
    await expect(wang_row).to_contain_text("病假 · 已转交 1 件、1 个号")
    await expect(chen_row).to_contain_text("正代 王芳 办理")
    await fits(page, DESK)
    await screenshot(page, "backups-absent")

    # 陈静's queue panel: the banner, 王芳's called number at window 7, her group's next number
    clerk = await open_page(DESK)
    await log_in(clerk, web_server, "chenjing")
    await expect(clerk.get_by_test_id("cover-banner")).to_contain_text("正代 王芳 办理（A区窗口）")
    await expect(clerk.get_by_test_id("current-number")).to_have_text("AW001")
    await expect(clerk.get_by_test_id("waiting-list")).to_contain_text("AW002")
    await clerk.get_by_role("button", name="办结").click()
    await clerk.get_by_role("button", name="叫号", exact=True).click()
    await expect(clerk.get_by_test_id("current-number")).to_have_text("AW002")
    await fits(clerk, DESK)
    await screenshot(clerk, "backup-queue-panel")

    # the transferred case: 陈静 holds its 受理 now
    held = await open_page(DESK)
    await log_in(held, web_server, "chenjing")
    await held.goto(web_server.url(f"/workbench/cases/{case['id']}"))
    steps_table = held.get_by_test_id("case-steps").get_by_test_id("case-steps-table")
    first_step = steps_table.locator("tbody tr").first
    await expect(first_step).to_contain_text("受理")
    await expect(first_step).to_contain_text("陈静")
    await fits(held, DESK)
    await screenshot(held, "backup-holds-the-case")

    # 王芳 herself cannot call until she is back
    absent = await open_page(DESK)
    await log_in(absent, web_server, "wangfang")
    await absent.get_by_role("button", name="叫号", exact=True).click()
    await expect(absent.get_by_role("alert").first).to_contain_text("您已被标记为缺岗")
    await screenshot(absent, "absent-clerk-cannot-call")

    await wang_row.get_by_role("button", name="返岗").click()
    await expect(notice).to_have_text("王芳 已返岗：已转交 1 件、1 个号；返岗收回 1 件")
    await expect(wang_row).to_contain_text("在岗")
    await screenshot(page, "backups-returned")
    await clerk.reload()
    await expect(clerk.get_by_test_id("current-number")).to_be_visible()
    await expect(clerk.get_by_test_id("cover-banner")).to_have_count(0)
    await held.reload()
    await expect(first_step).to_contain_text("王芳")
    await screenshot(held, "case-back-with-the-clerk")
