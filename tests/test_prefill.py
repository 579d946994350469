"""表单预填: an item's form fields pre-filled from the citizen's own profile, wallet and earlier cases,
each value with its source; the form stored exactly as sent; nobody else's data ever shows."""

from __future__ import annotations

from citizen_api import clock
from citizen_api.audit.models import AuditLog
from tests import cases_fixtures as f
from tests.conftest import assert_error
from tests.licences_fixtures import APPLY, alice, approved, bob, desk, licence_item, wallet

FIELDS = ("name", "id_number", "phone", "address", "company_name", "credit_code")


def prefill_url(code: str) -> str:
    return f"/api/v1/items/{code}/prefill"


async def items():
    setup = await licence_item(
        "SC-GT-001",
        "个体工商户设立登记",
        issues="business_licence",
        form_fields=("name", "company_name", "address"),
    )
    tax = await licence_item("SW-XB-001", "新办纳税人涉税事项确认", dept="SW", form_fields=FIELDS)
    return setup, tax


async def fields_of(client, who, code: str) -> dict[str, dict]:
    resp = await client.get(prefill_url(code), headers=who.headers)
    assert resp.status_code == 200, resp.text
    assert resp.json()["item_code"] == code
    return {row["field"]: row for row in resp.json()["fields"]}


async def test_prefill_from_profile_wallet_and_earlier_cases_each_with_its_source(
    database_url, api, client, settings
):
    clock.set_now(f.at(2026, 3, 2))
    setup, tax = await items()
    staff = await desk(settings)
    zhang = await alice(api, client)

    before = await fields_of(client, zhang, tax.code)
    assert list(before) == list(FIELDS)  # the item's fields, in its order
    assert before["name"] == {
        "field": "name",
        "label": "姓名",
        "value": "张三丰",
        "source": {"kind": "profile", "label": "实名信息"},
    }
    assert before["phone"]["value"] == "13812345678" and before["id_number"]["value"].startswith("110105")
    for name in ("address", "company_name", "credit_code"):
        assert before[name]["value"] is None and before[name]["source"] is None

    form = {"name": "张三丰", "company_name": "三丰便利店", "address": "北京市朝阳区建国路 1 号"}
    case = await approved(client, zhang, setup, staff, form=form)
    licence = (await wallet(client, zhang))["items"][0]

    after = await fields_of(client, zhang, tax.code)
    licence_source = {"kind": "licence", "label": f"营业执照 {licence['number']}"}
    assert (after["company_name"]["value"], after["company_name"]["source"]) == ("三丰便利店", licence_source)
    assert (after["credit_code"]["value"], after["credit_code"]["source"]) == (
        licence["number"],
        licence_source,
    )
    assert after["address"]["value"] == "北京市朝阳区建国路 1 号"
    assert after["address"]["source"] == {"kind": "case", "label": f"办件 {case['number']}"}
    assert after["name"]["source"]["kind"] == "profile"  # the profile comes first


async def test_the_form_is_stored_exactly_as_sent_and_never_filled_by_the_server(
    database_url, api, client, settings
):
    clock.set_now(f.at(2026, 3, 2))
    _, tax = await items()
    zhang = await alice(api, client)
    # the citizen saw the proposal, changed the phone and left the rest out
    sent = {"phone": "13700000000", "company_name": "三丰商贸有限公司"}
    created = await f.submit(client, zhang, tax, form=sent)
    stored = await client.get(f"{APPLY}/{created['id']}/form", headers=zhang.headers)
    assert stored.status_code == 200, stored.text
    assert stored.json() == {
        "application_id": created["id"],
        "item_code": tax.code,
        "fields": [
            {"field": "phone", "label": "手机号", "value": "13700000000"},
            {"field": "company_name", "label": "企业（个体户）名称", "value": "三丰商贸有限公司"},
        ],
    }
    # without a form, none is made up
    bare = await f.submit(client, zhang, tax)
    assert_error(await client.get(f"{APPLY}/{bare['id']}/form", headers=zhang.headers), 404, "NOT_FOUND")

    # fields the item does not ask for, or that are not in the dictionary, are refused by name
    for form, field in (
        ({"spouse_name": "某某"}, "body.form.spouse_name"),
        ({"shoe_size": "42"}, "body.form"),
    ):
        resp = await client.post(
            APPLY,
            json={"item_code": tax.code, "materials": await f.full_materials(zhang, tax), "form": form},
            headers=zhang.headers,
        )
        fields = assert_error(resp, 422, "VALIDATION_ERROR")["details"]["fields"]
        assert any(key.startswith(field) for key in fields), fields

    # the clerk sees the form with personal fields masked, and the read is on the record
    window = await f.staff(settings, "window-sw", "window", "SW")
    seen = await client.get(f"/api/v1/staff/applications/{created['id']}/form", headers=window)
    assert seen.status_code == 200, seen.text
    assert [row["value"] for row in seen.json()["fields"]] == ["137****0000", "三丰商贸有限公司"]
    assert await AuditLog.filter(action="case.read_form", object_id=str(created["id"])).count() == 1
    other_dept = await f.staff(settings, "window-sc", "window", "SC")
    gone = await client.get(f"/api/v1/staff/applications/{created['id']}/form", headers=other_dept)
    assert_error(gone, 404, "NOT_FOUND")


async def test_another_citizen_sees_none_of_it(database_url, api, client, settings):
    clock.set_now(f.at(2026, 3, 2))
    setup, tax = await items()
    staff = await desk(settings)
    zhang = await alice(api, client)
    form = {"name": "张三丰", "company_name": "三丰便利店", "address": "北京市朝阳区建国路 1 号"}
    case = await approved(client, zhang, setup, staff, form=form)

    li = await bob(api, client)
    theirs = await fields_of(client, li, tax.code)
    assert theirs["name"]["value"] == "李四光" and theirs["phone"]["value"] == "13900001111"
    for name in ("address", "company_name", "credit_code"):
        assert theirs[name]["value"] is None and theirs[name]["source"] is None
    resp = await client.get(prefill_url(tax.code), headers=li.headers)
    assert "三丰" not in resp.text and "建国路" not in resp.text
    assert_error(await client.get(f"{APPLY}/{case['id']}/form", headers=li.headers), 404, "NOT_FOUND")
    assert_error(await client.get(prefill_url("NO-SUCH-ITEM"), headers=li.headers), 404, "NOT_FOUND")
