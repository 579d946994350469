"""送达 to the hall's 24-hour pickup locker (自助取件) in a real browser at 1366×768: the clerk chooses
自助柜取件 in the 送达 dialog, the locker simulator opens a compartment, the citizen is sent the code;
the code typed at the locker (the simulator's signed call) delivers the case, which the clerk sees
on reload. A full locker is said at its field."""

from __future__ import annotations

import httpx
from playwright.async_api import expect

from citizen_api.lockers.seed import seed as seed_lockers
from tests.browser.conftest import DESK
from tests.browser.hall_flow import PASSWORD
from tests.browser.test_workbench_flow import confirm, fits, log_in
from tests.conftest import create_staff
from tests.delivery_fixtures import citizen, make_case, outbox_rows


async def test_the_clerk_puts_the_result_into_the_locker(web_server, locker_sim, open_page, screenshot):
    await seed_lockers(web_server.settings)
    await create_staff("wangfang", "window", "GA", password=PASSWORD)
    alice, _ = await citizen(web_server.api, "alice")
    case = await make_case(alice, status="approved")
    full = await make_case(alice, status="approved")
    for number in list(locker_sim.cabinets["L1"].compartments)[1:]:
        locker_sim.cabinets["L1"].compartments[number] = "held"  # one compartment left

    page = await open_page(DESK)
    await log_in(page, web_server, "wangfang")
    await page.goto(web_server.url(f"/workbench/cases/{case.id}"))
    await expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    await page.get_by_role("button", name="送达").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_text("自助柜取件", exact=True).click()
    await expect(dialog.get_by_label("自助取件柜")).to_be_visible()
    await screenshot(page, "deliver-to-locker")
    await confirm(page)
    await expect(page.get_by_text("市民中心24小时自助取件柜（01 号格口）").first).to_be_visible()
    await expect(page.get_by_text("送达：自助柜取件")).to_be_visible()
    await fits(page, DESK)
    await screenshot(page, "case-in-locker")
    (told,) = await outbox_rows("locker.ready", user_id=alice)

    # the citizen types the code at the locker: the case is delivered
    async with httpx.AsyncClient(base_url=locker_sim.base_url) as http:
        opened = (await http.post("/_sim/pickup", json={"locker": "L1", "code": told.payload["code"]})).json()
    assert opened["status"] == 200 and opened["answer"]["open"] is True
    await page.reload()
    await expect(page.get_by_text("办理结果已在自助取件柜取件").first).to_be_visible()
    await expect(page.get_by_role("button", name="送达")).to_have_count(0)
    await screenshot(page, "case-picked-up")

    # the last compartment was taken by the first case: the second is refused at the locker's field
    for number in locker_sim.cabinets["L1"].compartments:
        locker_sim.cabinets["L1"].compartments[number] = "held"
    await page.goto(web_server.url(f"/workbench/cases/{full.id}"))
    await page.get_by_role("button", name="送达").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_text("自助柜取件", exact=True).click()
    await dialog.get_by_role("button", name="确定").click()
    item = dialog.locator(".el-form-item", has=page.get_by_label("自助取件柜"))
    await expect(item.locator(".el-form-item__error")).to_contain_text("已无空闲格口")
    await screenshot(page, "locker-full")


async def test_the_clerk_sees_the_e_licence_instead_of_an_upload(web_server, open_page, screenshot):
    """电子证照 (issue 17): a material the citizen covered with their e-licence shows the licence in the
    clerk's materials table; once the citizen revokes the consent only 授权已撤回 remains."""
    from tests import cases_fixtures as f
    from tests.licences_fixtures import alice, approved, desk, licence_item, wallet

    client, api = web_server.client, web_server.api
    shop = await licence_item("SC-GT-001", "个体工商户设立登记", issues="business_licence")
    seal = await licence_item(
        "SC-GZ-001", "公章刻制备案",
        materials=[("营业执照", "required", "business_licence"), ("法定代表人身份证件", "required", "")],
    )  # fmt: skip
    zhang = await alice(api, client)
    await approved(client, zhang, shop, await desk(web_server.settings))
    (licence,) = (await wallet(client, zhang))["items"]
    by_licence = next(m for m in seal.materials if m.name == "营业执照")
    uploads = await f.full_materials(zhang, seal, skip=("营业执照",))
    case = await f.submit(
        client, zhang, seal, materials=uploads, licences={str(by_licence.id): licence["id"]}
    )
    await create_staff("chenjing", "window", "SC", password=PASSWORD)

    page = await open_page(DESK)
    await log_in(page, web_server, "chenjing")
    await page.goto(web_server.url(f"/workbench/cases/{case['id']}"))
    shown = page.get_by_test_id("material-licence")
    await expect(shown).to_contain_text("已授权使用电子证照")
    await expect(shown).to_contain_text(licence["number"])
    await fits(page, DESK)
    await screenshot(page, "case-material-by-licence")

    consents = (await client.get("/api/v1/me/licence-consents", headers=zhang.headers)).json()
    revoke = f"/api/v1/me/licence-consents/{consents['items'][0]['id']}/revoke"
    assert (await client.post(revoke, headers=zhang.headers)).status_code == 200
    await page.reload()
    await expect(shown).to_contain_text("授权已撤回")
    await expect(shown).not_to_contain_text(licence["number"])
    await screenshot(page, "case-licence-consent-revoked")
