"""许可公示 over HTTP on SQLite and PostgreSQL: a decision on a business item is public (company, credit
code, decision, date, result number) as soon as it is made; a natural person never appears."""

from __future__ import annotations

from citizen_api.catalog.models import ItemVersion
from citizen_api.licences.numbers import credit_code
from tests import cases_fixtures as f
from tests.licences_fixtures import alice, desk, licence_item

PUBLIC = "/api/v1/public/decisions"
COMPANY = "广州市海珠区好味道餐饮有限公司"


async def _business(code: str, name: str, *, audience: str = "business", issues: str = "") -> f.Item:
    item = await licence_item(code, name, issues=issues, form_fields=("company_name", "credit_code"))
    await ItemVersion.filter(id=item.version.id).update(audience=audience)
    return item


async def _decide(client, staff, case_id: int, action: str, body: dict | None = None) -> None:
    assert (await f.act(client, staff.window, case_id, "accept")).status_code == 200
    resp = await f.act(client, staff.approver, case_id, action, body)
    assert resp.status_code == 200, resp.text


async def test_business_decisions_are_public_and_nobody_personal_is(database_url, api, client, settings):
    staff = await desk(settings)
    zhang = await alice(api, client)
    food = await _business("SC-SP-101", "食品经营许可（新办）", issues="food_business_licence")
    permit = await _business("SC-GG-101", "户外广告设置许可")
    personal = await licence_item("SC-GR-101", "个人事项")
    either = await _business("SC-BT-101", "个人或企业均可办理的事项", audience="both")
    code = credit_code(4242, individual=False)
    form = {"company_name": COMPANY, "credit_code": code}

    approved = await f.submit(client, zhang, food, form=form)
    await _decide(client, staff, approved["id"], "approve")
    refused = await f.submit(client, zhang, permit, form={"company_name": COMPANY})
    await _decide(client, staff, refused["id"], "reject", {"reason": "设置地点不符合规划"})
    for item in (personal, either):  # a person's own case, and a "both" item filed without a company
        case = await f.submit(client, zhang, item)
        await _decide(client, staff, case["id"], "approve")

    answer = await client.get(PUBLIC)  # no login
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["total"] == 2
    by_item = {d["item_code"]: d for d in page["items"]}
    assert set(by_item) == {"SC-SP-101", "SC-GG-101"}
    licensed = by_item["SC-SP-101"]
    assert (licensed["company"], licensed["credit_code"], licensed["decision"]) == (COMPANY, code, "approved")
    assert licensed["decision_text"] == "准予许可" and licensed["result_number"] != approved["number"]
    wallet = (await client.get("/api/v1/me/licences", headers=zhang.headers)).json()
    assert licensed["result_number"] == wallet["items"][0]["number"]  # the licence it issued
    assert by_item["SC-GG-101"]["decision"] == "rejected"
    assert by_item["SC-GG-101"]["result_number"] == refused["number"]
    assert by_item["SC-GG-101"]["credit_code"] == ""
    # nothing of the applicant: not her name, her ID number or her phone, in any form
    text = answer.text
    assert "张三丰" not in text and "张*丰" not in text
    assert f.ID_NUMBERS[0][:10] not in text and "13812345678" not in text and "5678" not in text

    # searchable (company, credit code, item, number) and paged
    assert (await client.get(PUBLIC, params={"q": code})).json()["total"] == 1
    assert (await client.get(PUBLIC, params={"q": "好味道 广告"})).json()["total"] == 1
    assert (await client.get(PUBLIC, params={"q": "不存在的公司"})).json()["total"] == 0
    first = (await client.get(PUBLIC, params={"page": 1, "size": 1})).json()
    second = (await client.get(PUBLIC, params={"page": 2, "size": 1})).json()
    assert first["total"] == second["total"] == 2
    assert {first["items"][0]["item_code"], second["items"][0]["item_code"]} == set(by_item)
    bad = await client.get(PUBLIC, params={"size": 1000})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "VALIDATION_ERROR"
