"""The guide editor in a real browser: a broken catalog rule is shown at its field; a blank form is
attached to a material; the edited guide is published and citizens' search finds the new wording."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.admin_flow import WIDE, admin_page, make_admin
from tests.catalog_fixtures import full_item
from tests.uploads_fixtures import pdf

ADMIN = "/api/v1/admin/catalog"
CODE = "GA-DOG-01"
NEW_WORDING = "狂犬疫苗接种登记"


async def _published_item(web_server) -> dict:
    headers = await web_server.api.staff_headers("admin1")
    department = {"code": "GA", "name": "市公安局", "sort": 1, "phone": "0571-1", "address": "市民大道 1 号"}
    assert (
        await web_server.client.post(f"{ADMIN}/departments", json=department, headers=headers)
    ).status_code == 201
    created = await web_server.client.post(f"{ADMIN}/items", json=full_item(CODE), headers=headers)
    assert created.status_code == 201, created.text
    published = await web_server.client.post(f"{ADMIN}/items/{CODE}/publish", headers=headers)
    assert published.status_code == 200, published.text
    return headers


def _field(page, label: str):
    """The form item holding the control labelled ``label`` (its error text shows inside it)."""
    return page.locator(".el-form-item").filter(has=page.get_by_label(label, exact=True)).last


async def test_edit_publish_and_search_finds_the_new_wording(web_server, open_page, screenshot, tmp_path):
    await make_admin()
    headers = await _published_item(web_server)
    assert (await web_server.client.get("/api/v1/items", params={"q": NEW_WORDING})).json()["total"] == 0

    page = await admin_page(open_page, web_server, "/workbench/admin")
    items = page.get_by_test_id("admin-items")
    await expect(items).to_contain_text(CODE)
    await page.get_by_label("事项名称或编码").fill("犬只")
    await page.get_by_role("button", name="查询").click()
    await expect(items.get_by_role("row").filter(has_text=CODE)).to_contain_text("已发布")
    await page.get_by_label("市民说法").fill("狗证")
    await page.get_by_label("规范用语").fill("犬只免疫证明")
    await page.get_by_role("button", name="添加").click()
    await expect(page.get_by_test_id("synonyms")).to_contain_text("狗证")
    await screenshot(page, "items-1366")

    await items.get_by_role("link", name="测试犬只免疫证明核发").click()
    await expect(page.get_by_text("当前发布：第 1 版")).to_be_visible()
    await screenshot(page, "editor-1366")

    # a broken rule (承诺 > 法定) comes back from the API and shows at the 承诺办结时限 field
    promised = page.get_by_label("承诺办结时限", exact=True)
    await promised.fill("30")
    await promised.blur()
    await page.get_by_role("button", name="保存草稿").click()
    await expect(page.get_by_role("alert").first).to_contain_text("承诺办结时限不能超过法定办结时限")
    await expect(_field(page, "承诺办结时限")).to_contain_text("承诺办结时限不能超过法定办结时限")
    await screenshot(page, "editor-rule-violation")
    await promised.fill("5")
    await promised.blur()

    # new wording, and a blank form for the first material
    name = page.locator(".el-form-item").filter(has_text="事项名称").first.locator("input")
    await name.fill(f"犬只免疫证明核发（{NEW_WORDING}）")
    blank = tmp_path / "申请表.pdf"
    blank.write_bytes(pdf(3000))
    await page.get_by_label("上传空白表格 1").set_input_files(str(blank))
    await expect(page.get_by_test_id("guide-materials")).to_contain_text("申请表.pdf")
    await page.get_by_test_id("guide-materials").scroll_into_view_if_needed()
    await screenshot(page, "editor-materials")
    await page.get_by_role("button", name="发布").click()
    await expect(page.get_by_role("status")).to_contain_text("已发布")
    await expect(page.get_by_text("当前发布：第 2 版")).to_be_visible()
    versions = page.get_by_test_id("versions")
    await expect(versions.get_by_role("row").filter(has_text="第 1 版")).to_contain_text("历史版本")
    await expect(versions.get_by_role("row").filter(has_text="第 2 版")).to_contain_text(NEW_WORDING)

    found = (await web_server.client.get("/api/v1/items", params={"q": NEW_WORDING})).json()
    assert [i["code"] for i in found["items"]] == [CODE]
    guide = (await web_server.client.get(f"/api/v1/items/{CODE}")).json()
    assert guide["promised_days"] == 5
    first = guide["materials"][0]
    assert first["blank_form"]["filename"] == "申请表.pdf" and first["blank_form"]["url"]
    download = await web_server.client.get(first["blank_form"]["url"])
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert page.foreign_requests == []

    # 下线: citizens no longer see it
    await page.get_by_role("button", name="下线").click()
    await expect(page.get_by_role("status")).to_contain_text("已下线")
    assert (await web_server.client.get(f"/api/v1/items/{CODE}")).status_code == 404
    detail = (await web_server.client.get(f"{ADMIN}/items/{CODE}", headers=headers)).json()
    assert detail["item"]["is_published"] is False

    wide = await admin_page(open_page, web_server, f"/workbench/admin/items/{CODE}", viewport=WIDE)
    await expect(wide.get_by_text("已下线（最后发布第 2 版）")).to_be_visible()
    await screenshot(wide, "editor-1920")
    await wide.goto(web_server.url("/workbench/admin"))
    await expect(wide.get_by_test_id("admin-items")).to_contain_text("已下线")
    await screenshot(wide, "items-1920")


async def test_a_new_item_starts_as_a_draft(web_server, open_page, screenshot):
    await make_admin()
    headers = await web_server.api.staff_headers("admin1")
    department = {"code": "RS", "name": "人社局", "sort": 2, "phone": "", "address": ""}
    assert (
        await web_server.client.post(f"{ADMIN}/departments", json=department, headers=headers)
    ).status_code == 201

    page = await admin_page(open_page, web_server, "/workbench/admin")
    await page.get_by_role("button", name="新建事项").click()
    dialog = page.get_by_role("dialog", name="新建事项")
    await dialog.get_by_label("实施编码").fill("RS-SB-01")
    await dialog.get_by_label("事项名称").fill("社会保障卡申领")
    await dialog.locator(".el-form-item").filter(has_text="部门").locator(".el-select").click()
    await page.get_by_role("option", name="人社局（RS）").click()
    await dialog.get_by_role("button", name="确定").click()
    # 到现场 1 次 without a reason: the API's rule, at that field
    reason = dialog.locator(".el-form-item").filter(has_text="到现场的理由")
    await expect(reason).to_contain_text("到办事现场次数大于 0 时必须说明理由")
    await screenshot(page, "new-item-rule")
    await dialog.get_by_label("到现场的理由").fill("需现场采集照片")
    await dialog.get_by_role("button", name="确定").click()

    await expect(page).to_have_url(web_server.url("/workbench/admin/items/RS-SB-01"))
    await expect(page.get_by_text("未发布", exact=True)).to_be_visible()
    await expect(page.get_by_text("草稿：第 1 版（未发布）")).to_be_visible()
    assert (await web_server.client.get("/api/v1/items/RS-SB-01")).status_code == 404
