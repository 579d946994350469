"""村级代办 in a real browser at 1366×768: the village point's 代办员 files for a villager present — the
API's refusal without a signature is shown as worded, then the villager signs on the pad and the case
goes to the department; the department's clerk sees the signed consent in the case and sends the result
to the point (送达 → 送至服务点); the agent sees it waiting and presses 已领取; 电子监察 counts it per
point. The admin's 三级便民服务 page shows the hierarchy."""

from __future__ import annotations

from playwright.async_api import expect

from citizen_api.cases.models import Application
from citizen_api.users.models import User
from notifications.models import Notification
from tests import cases_fixtures as f
from tests import uploads_fixtures as files
from tests.browser.conftest import DESK
from tests.browser.hall_flow import PASSWORD
from tests.browser.test_workbench_flow import confirm, fits, log_in
from tests.conftest import create_staff
from tests.points_fixtures import OFFICES, STAFF, make_office, place

PNG = {"mimeType": "image/png", "buffer": files.png()}


async def _hierarchy_and_agent(web_server) -> dict[str, str]:
    client, settings = web_server.client, web_server.settings
    admin = await f.staff(settings, "admin-api", "admin", None)
    for code, name, _, _ in OFFICES:
        await make_office(client, admin, code, name)
    for code, _, level, parent in OFFICES:
        assert (await place(client, admin, code, level, parent)).status_code == 200
    body = {"username": "dongcun", "password": PASSWORD, "role": "village_agent", "display_name": "李桂芳",
            "office_code": "DC"}  # fmt: skip
    assert (await client.post(f"{STAFF}/users", json=body, headers=admin)).status_code == 201
    # the agent changed the admin's initial password already (that dialog is tested elsewhere)
    await User.filter(username="dongcun").update(must_change_password=False)
    return admin


async def _sign(page) -> None:
    pad = page.get_by_test_id("signature-pad")
    box = await pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"] + box["height"] / 2
    await page.mouse.move(x + 40, y)
    await page.mouse.down()
    for step in range(1, 12):
        await page.mouse.move(x + 40 + step * 25, y + (18 if step % 2 else -18))
    await page.mouse.up()


async def test_a_village_agent_files_for_a_villager_and_hands_the_result_over(
    web_server, open_page, screenshot
):
    await _hierarchy_and_agent(web_server)
    item = await f.published_item()
    page = await open_page(DESK)
    await log_in(page, web_server, "dongcun")
    await expect(page.get_by_test_id("point-name")).to_have_text("东村便民服务点（河西镇便民服务中心）")

    await page.get_by_label("事项编码").fill(item.code)
    await page.get_by_role("button", name="查询事项").click()
    await expect(page.get_by_text("户口迁移 · 责任部门：公安局")).to_be_visible()
    await page.get_by_label("群众姓名").fill("王秀英")
    await page.get_by_label("身份证号").fill("11010519491231002X")
    await page.get_by_label("手机号").fill("13700001111")
    await page.get_by_label("上传居民身份证").set_input_files([{"name": "id.png", **PNG}])
    for material in ("户口簿", "近期免冠照片", "结婚证"):
        await page.get_by_label(f"上传{material}").set_input_files([{"name": "scan.png", **PNG}])
    await page.get_by_role("button", name="提交代办申请").click()
    await expect(page.get_by_role("alert")).to_contain_text("请先请群众在签字板上签名确认")
    assert await Application.all().count() == 0

    await _sign(page)
    await expect(page.get_by_text("已签名")).to_be_visible()
    await fits(page, DESK)
    await screenshot(page, "file-for-villager")
    await page.get_by_role("button", name="提交代办申请").click()
    await expect(page.get_by_role("status")).to_contain_text("已转公安局办理")
    case = await Application.get(filed_by="village_agent")
    await expect(page.get_by_role("status")).to_contain_text(case.number)
    await screenshot(page, "filed")

    await page.get_by_role("link", name="本点办件").click()
    row = page.locator("tr", has_text=case.number)
    await expect(row).to_contain_text("已提交，待受理")
    await expect(row).to_contain_text("王*英")
    await screenshot(page, "point-cases")

    # the department decides; its clerk sees the consent and sends the result to the point
    client, settings = web_server.client, web_server.settings
    for who, action in (("window", "accept"), ("approver", "approve")):
        decided = await f.act(client, await f.staff(settings, f"{who}-api", who, "GA"), case.id, action)
        assert decided.status_code == 200, decided.text
    await create_staff("wangli", "window", "GA", password=PASSWORD)
    desk = await open_page(DESK)
    await log_in(desk, web_server, "wangli")
    await desk.goto(web_server.url(f"/workbench/cases/{case.id}"))
    consent = desk.get_by_test_id("point-consent")
    await expect(consent).to_contain_text("东村便民服务点")
    await expect(consent).to_contain_text("李桂芳")
    # the signature the villager drew, served through its signed preview link (600×180 as drawn)
    await expect(consent.get_by_alt_text("群众签名")).to_have_js_property("naturalWidth", 600)
    await screenshot(desk, "case-with-consent")
    await desk.get_by_role("button", name="送达").click()
    dialog = desk.get_by_role("dialog")
    await dialog.get_by_text("送至服务点", exact=True).click()
    await expect(dialog.get_by_label("便民服务点")).to_be_visible()
    await screenshot(desk, "deliver-to-point")
    await confirm(desk)
    await expect(desk.get_by_text("送达：送至便民服务点")).to_be_visible()
    assert await Notification.filter(event="point.arrived").count() == 1

    await page.get_by_role("link", name="结果领取").click()
    waiting = page.locator("tr", has_text=case.number)
    await expect(waiting).to_contain_text("待领取")
    await expect(waiting).to_contain_text("137****1111")
    await fits(page, DESK)
    await screenshot(page, "awaiting-pickup")
    await waiting.get_by_role("button", name="已领取").click()
    await expect(page.locator("tr", has_text=case.number)).to_have_count(0)  # gone from 待领取
    await page.get_by_text("已领取", exact=True).first.click()  # the filter
    await expect(page.locator("tr", has_text=case.number)).to_contain_text("已领取")
    await screenshot(page, "handed-over")
    assert (await Application.get(id=case.id)).status == "delivered"

    # 电子监察 → 服务点统计: the point's figures for this month
    await create_staff("jiandu2", "supervisor", None, password=PASSWORD)
    watch = await open_page(DESK)
    await log_in(watch, web_server, "jiandu2")
    await watch.goto(web_server.url("/workbench/supervisor/points"))
    east = watch.get_by_test_id("point-stats").locator("tr", has_text="东村便民服务点")
    await expect(east.locator("td")).to_have_text(["东村便民服务点", "1", "1", "0", "1"])
    await fits(watch, DESK)
    await screenshot(watch, "point-stats")


async def test_the_admin_sees_and_edits_the_hierarchy(web_server, open_page, screenshot):
    admin = await _hierarchy_and_agent(web_server)
    await make_office(web_server.client, admin, "NC", "南村便民服务点")
    await create_staff("guanli", "admin", None, password=PASSWORD)
    page = await open_page(DESK)
    await log_in(page, web_server, "guanli")
    await page.goto(web_server.url("/workbench/admin/points"))
    tree = page.get_by_label("三级便民服务体系")
    await expect(tree).to_contain_text("河西镇便民服务中心")
    await expect(tree).to_contain_text("未纳入体系：南村便民服务点")
    # a village under the district: the API's refusal, as worded
    await page.get_by_role("combobox", name="大厅").click()
    await page.get_by_role("listbox", name="大厅").get_by_role("option", name="南村便民服务点").click()
    await page.get_by_role("combobox", name="上级").click()
    await page.get_by_role("listbox", name="上级").get_by_role("option", name="城区政务服务中心").click()
    await page.get_by_role("button", name="保存").click()
    await expect(page.get_by_role("alert")).to_contain_text("上级须是已纳入体系的镇（街道）便民服务中心")
    await page.get_by_role("combobox", name="上级").click()
    await page.get_by_role("listbox", name="上级").get_by_role("option", name="河西镇便民服务中心").click()
    await page.get_by_role("button", name="保存").click()
    await expect(page.get_by_role("status")).to_contain_text("已将「南村便民服务点」设为村（社区）便民服务点")
    await expect(tree).not_to_contain_text("未纳入体系")
    await fits(page, DESK)
    await screenshot(page, "hierarchy")
