"""工作人员, 消息 and 大厅与窗口 in a real browser: an account created with a role and department must
change its password at first login; a window is assigned; dead letters are requeued."""

from __future__ import annotations

from playwright.async_api import expect

from notifications.models import Notification
from tests.appointments_fixtures import make_hall
from tests.browser.admin_flow import WIDE, admin_page, make_admin

NEW_PASSWORD = "Fresh-Start-2026"


async def test_create_an_account_assign_its_window_and_reset(web_server, open_page, screenshot):
    hall = await make_hall()
    await make_admin()
    admin = await web_server.api.staff_headers("admin1")
    group = {
        "name": hall.group.name,
        "prefix": hall.group.prefix,
        "department_code": "GA",
        "item_codes": [hall.item.code],
        "windows": [{"number": "5", "name": "户政", "opens_on_holiday_service": True}, {"number": "6"}],
    }
    resp = await web_server.client.put(
        f"/api/v1/staff/window-groups/{hall.group.id}", json=group, headers=admin
    )
    assert resp.status_code == 200, resp.text

    page = await admin_page(open_page, web_server, "/workbench/admin/staff")
    await page.get_by_role("button", name="新建账号").click()
    dialog = page.get_by_role("dialog", name="新建工作人员账号")
    await dialog.get_by_label("用户名").fill("zhangsan")
    await dialog.get_by_label("姓名").fill("张三")
    await dialog.get_by_label("初始密码").fill("short")
    await dialog.get_by_role("button", name="确定").click()
    # the API's password rule shows at the password field; nothing typed is lost
    await expect(dialog.locator(".el-form-item__error")).not_to_have_count(0)
    await expect(dialog.get_by_label("用户名")).to_have_value("zhangsan")
    await dialog.locator(".el-form-item").filter(has_text="部门").locator(".el-select").click()
    await page.get_by_role("option", name="公安局（GA）").click()
    await dialog.get_by_label("初始密码").fill(NEW_PASSWORD)
    await dialog.get_by_role("button", name="确定").click()
    await expect(page.get_by_role("status")).to_contain_text("首次登录须修改密码")
    row = page.get_by_test_id("staff-list").get_by_role("row").filter(has_text="zhangsan")
    await expect(row).to_contain_text("待首次改密")
    await screenshot(page, "staff-1366")

    await row.get_by_role("button", name="分配窗口").click()
    assign = page.get_by_role("dialog", name="分配 zhangsan 的窗口")
    await assign.locator(".el-select").click()
    await page.get_by_role("option").filter(has_text="5 号窗口").click()
    await assign.get_by_role("button", name="确定").click()
    await expect(page.get_by_role("status")).to_contain_text("已将 zhangsan 分配到")

    # the new account must change its password before anything else
    clerk = await open_page()
    await clerk.goto(web_server.url("/workbench/"))
    await clerk.get_by_label("用户名").fill("zhangsan")
    await clerk.get_by_label("密码", exact=True).fill(NEW_PASSWORD)
    await clerk.get_by_role("button", name="登录").click()
    await expect(clerk.get_by_role("dialog", name="请修改初始密码")).to_be_visible()
    tokens = await web_server.client.post(
        "/api/v1/auth/staff", json={"username": "zhangsan", "password": NEW_PASSWORD}
    )
    desk = await web_server.client.get(
        "/api/v1/staff/me/desk", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
    )
    assert desk.json()["window"]["number"] == "5", desk.text

    await row.get_by_role("button", name="停用").click()
    await page.get_by_role("dialog", name="停用账号").get_by_role("button", name="确定").click()
    await expect(row).to_contain_text("已停用")
    refused = await web_server.client.post(
        "/api/v1/auth/staff", json={"username": "zhangsan", "password": NEW_PASSWORD}
    )
    assert refused.status_code in (401, 403), refused.text

    wide = await admin_page(open_page, web_server, "/workbench/admin/staff", viewport=WIDE)
    await expect(wide.get_by_test_id("staff-list")).to_contain_text("zhangsan")
    await screenshot(wide, "staff-1920")

    # 大厅与窗口: the hall, its group and windows, and the schedule editor
    await page.goto(web_server.url("/workbench/admin/halls"))
    office = page.get_by_test_id("office-SMZX")
    await expect(office).to_contain_text("A区窗口")
    await expect(office).to_contain_text("5 户政")
    await screenshot(page, "halls-1366")
    # a window added in the group's form; window 5 (zhangsan's) stays with its id
    await office.get_by_role("button", name="编辑").click()
    group_form = page.get_by_role("dialog", name="编辑窗口组 A区窗口")
    await group_form.get_by_role("button", name="添加窗口").click()
    await group_form.get_by_label("窗口号 3").fill("7")
    await screenshot(page, "group-1366")
    await group_form.get_by_role("button", name="确定").click()
    await expect(page.get_by_role("status")).to_contain_text("已保存窗口组")
    await expect(office.locator(".el-tag").filter(has_text="7")).to_be_visible()
    offices = (await web_server.client.get("/api/v1/staff/offices", headers=admin)).json()
    assert [w["number"] for w in offices[0]["groups"][0]["windows"]] == ["5", "6", "7"]
    await office.get_by_role("button", name="排班").click()
    schedule = page.get_by_role("dialog").filter(has_text="排班模板")
    await expect(schedule).to_contain_text("节假日预约服务日")
    await screenshot(page, "schedule-1366")
    await schedule.get_by_role("button", name="确定").click()
    await expect(page.get_by_role("status")).to_contain_text("已保存排班模板")
    await wide.goto(web_server.url("/workbench/admin/halls"))
    await expect(wide.get_by_test_id("office-SMZX")).to_contain_text("A区窗口")
    await screenshot(wide, "halls-1920")


async def test_dead_letters_are_listed_with_their_error_and_requeued(web_server, open_page, screenshot):
    await make_admin()
    for n in range(3):
        await Notification.create(
            user_id=0,
            event="case.accepted",
            payload={"number": f"A{n}"},
            status="dead",
            attempts=5,
            channel="subscribe",
            last_error=f"HTTP 502 from WeChat (try {n})",
        )
    page = await admin_page(open_page, web_server, "/workbench/admin/notifications")
    table = page.get_by_test_id("outbox")
    await expect(table.get_by_role("row")).to_have_count(4)
    await expect(table).to_contain_text("HTTP 502 from WeChat (try 1)")
    await screenshot(page, "messages-1366")
    wide = await admin_page(open_page, web_server, "/workbench/admin/notifications", viewport=WIDE)
    await expect(wide.get_by_test_id("outbox").get_by_role("row")).to_have_count(4)
    await screenshot(wide, "messages-1920")

    await table.get_by_role("row").filter(has_text="try 0").locator(".el-checkbox").click()
    await page.get_by_role("button", name="重新发送所选（1）").click()
    await expect(page.get_by_role("status")).to_contain_text("已重新排队 1 条消息")
    await expect(table.get_by_role("row")).to_have_count(3)
    await page.get_by_role("button", name="全部重新发送").click()
    await expect(page.get_by_role("status")).to_contain_text("已重新排队 2 条消息")
    await expect(table).to_contain_text("没有死信")
    assert await Notification.filter(status="dead", last_error__startswith="HTTP 502").count() <= 3
