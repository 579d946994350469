"""三级便民服务 end to end over HTTP on SQLite and PostgreSQL: the admin places offices in the district–
town–village hierarchy; a village point's 代办员 files a case for a villager present, with the villager's
signature as consent; the department sees the consent in its case detail, decides and sends the result
to the point; the agent hands it over and the figures count it. Bad inputs are refused with their codes:
a 代办员 cannot file outside their point, without a consent, or with someone else's signature."""

from __future__ import annotations

from datetime import datetime

from citizen_api import clock
from notifications.models import Notification
from tests import cases_fixtures as f
from tests import uploads_fixtures as files
from tests.conftest import assert_error
from tests.points_fixtures import (
    AGENT_PASSWORD,
    STAFF,
    VILLAGER,
    filing,
    make_office,
    new_agent,
    place,
    scans,
    setup,
    upload,
)


async def test_the_hierarchy_and_its_rules(database_url, client, settings):
    p = await setup(client, settings)
    tree = (await client.get(f"{STAFF}/offices/tree", headers=p.window)).json()
    (district,) = tree["districts"]
    assert (district["name"], [t["name"] for t in district["towns"]]) == (
        "城区政务服务中心",
        ["河西镇便民服务中心"],
    )
    assert [v["name"] for v in district["towns"][0]["villages"]] == ["东村便民服务点", "西村便民服务点"]

    await make_office(client, p.admin, "NC", "南村便民服务点")
    assert [
        o["code"] for o in (await client.get(f"{STAFF}/offices/tree", headers=p.admin)).json()["unplaced"]
    ] == ["NC"]
    wrong = [
        ("village", "QZX"),  # a village's parent is a town
        ("village", None),
        ("town", "DC"),  # a town's is a district
        ("district", "QZX"),  # a district has none
        ("village", "NOPE"),
        ("village", "NC"),  # itself
    ]
    for level, parent in wrong:
        refused = assert_error(await place(client, p.admin, "NC", level, parent), 422, "HIERARCHY_INVALID")
        assert "上级" in refused["message"]
    assert_error(await place(client, p.admin, "NOPE", "district", None), 404, "NOT_FOUND")
    assert (await place(client, p.admin, "NC", "village", "HXZ")).status_code == 200

    # an office with children keeps its level and stays in the hierarchy
    assert_error(await place(client, p.admin, "HXZ", "village", "HXZ"), 409, "HIERARCHY_HAS_CHILDREN")
    assert_error(await place(client, p.admin, "HXZ", "district", None), 409, "HIERARCHY_HAS_CHILDREN")
    assert_error(
        await client.delete(f"{STAFF}/offices/HXZ/place", headers=p.admin), 409, "HIERARCHY_HAS_CHILDREN"
    )
    assert (await client.delete(f"{STAFF}/offices/NC/place", headers=p.admin)).status_code == 204
    # only the admin places offices
    assert_error(await place(client, p.window, "NC", "village", "HXZ"), 403, "FORBIDDEN")


async def test_a_village_agent_account_needs_a_village_point(database_url, client, api, settings):
    p = await setup(client, settings)
    body = {"username": "nancun", "password": AGENT_PASSWORD, "role": "village_agent"}
    for point in (None, "HXZ", "QZX", "NOPE"):  # none, a town, a district, no such office
        extra = {"office_code": point} if point else {}
        resp = await client.post(f"{STAFF}/users", json={**body, **extra}, headers=p.admin)
        assert (
            assert_error(resp, 422, "VILLAGE_POINT_REQUIRED")["message"]
            == "代办员须指定所在的村（社区）便民服务点"
        )
    # the agent logs in with the password the admin gave, and reaches the point endpoints only
    login = await client.post("/api/v1/auth/staff", json={"username": "dongcun", "password": AGENT_PASSWORD})
    assert login.status_code == 200 and login.json()["user"]["role"] == "village_agent", login.text
    mine = await client.get(f"{STAFF}/points/me", headers=p.agent)
    assert mine.json() == {
        "code": "DC",
        "name": "东村便民服务点",
        "town_code": "HXZ",
        "town_name": "河西镇便民服务中心",
    }
    for url in ("/staff/applications", "/staff/offices/tree", "/staff/visits", "/staff/locker-deposits"):
        assert_error(await client.get(f"/api/v1{url}", headers=p.agent), 403, "FORBIDDEN")
    # hall roles do not reach the agent's endpoints
    for headers in (p.window, p.admin):
        assert_error(await client.get(f"{STAFF}/point-filings", headers=headers), 403, "FORBIDDEN")


async def test_filing_for_a_villager_to_the_result_handed_over_at_the_point(
    database_url, client, api, settings
):
    # just after midnight in China (still the day before in UTC): the day's figures count the filing
    clock.set_now(datetime(2026, 12, 4, 0, 10, tzinfo=clock.CST))
    filed_on = clock.today()
    p = await setup(client, settings)
    materials = await scans(client, p.agent, p.item)
    signature = await upload(client, p.agent, "signature.png")

    # refusals first: nothing is filed by any of them
    assert_error(
        await client.post(
            f"{STAFF}/point-filings", json=filing(p.item, materials, signature, "XC"), headers=p.agent
        ),
        403,
        "POINT_SCOPE",
    )
    no_consent = await client.post(
        f"{STAFF}/point-filings", json=filing(p.item, materials, None), headers=p.agent
    )
    assert "签名" in assert_error(no_consent, 422, "CONSENT_REQUIRED")["message"]
    citizen = await f.citizen(api, client, "bystander")
    someone_elses = await upload(client, citizen.headers, "signature.png")
    a_pdf = await upload(client, p.agent, "signature.pdf", files.pdf())
    for bad in (someone_elses, a_pdf, 999_999):
        resp = await client.post(
            f"{STAFF}/point-filings", json=filing(p.item, materials, bad), headers=p.agent
        )
        assert_error(resp, 422, "CONSENT_SIGNATURE_INVALID")
    missing = await client.post(f"{STAFF}/point-filings", json=filing(p.item, {}, signature), headers=p.agent)
    assert_error(missing, 422, "MATERIALS_MISSING")
    assert (await client.get(f"{STAFF}/point-filings", headers=p.agent)).json()["total"] == 0

    filed = await client.post(
        f"{STAFF}/point-filings", json=filing(p.item, materials, signature), headers=p.agent
    )
    assert filed.status_code == 201, filed.text
    case = filed.json()
    listed = (await client.get(f"{STAFF}/point-filings", headers=p.agent)).json()
    (row,) = listed["items"]
    shown = [row[k] for k in ("number", "status_text", "department_code", "applicant_name", "agent_name")]
    assert shown == [case["number"], "已提交，待受理", "GA", "王*英", "dongcun代办员"]
    # the other point's agent sees none of it
    assert (await client.get(f"{STAFF}/point-filings", headers=p.other_agent)).json()["total"] == 0

    # the responsible department sees who filed it and the villager's signed consent
    detail = (await client.get(f"{STAFF}/applications/{case['id']}", headers=p.window)).json()
    assert detail["filed_by"] == "village_agent"
    assert (detail["actor"]["kind"], detail["actor"]["name"]) == ("village_agent", "dongcun代办员")
    consent = detail["point_consent"]
    assert (consent["point_name"], consent["agent_name"], consent["signature_upload_id"]) == (
        "东村便民服务点", "dongcun代办员", signature,
    )  # fmt: skip
    image = await client.get(consent["signature_url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert detail["applicant"]["name"] == "王*英"

    for headers, action in ((p.window, "accept"), (p.approver, "approve")):
        assert (await f.act(client, headers, case["id"], action)).status_code == 200
    # a point that does not exist, then the filing point by default
    unknown = await f.act(client, p.window, case["id"], "deliver", {"channel": "point", "point": "HXZ"})
    assert_error(unknown, 404, "POINT_NOT_FOUND")
    sent = await f.act(client, p.window, case["id"], "deliver", {"channel": "point"})
    assert sent.status_code == 200 and sent.json()["status"] == "approved", sent.text
    user_id = (await Notification.filter(event="case.submitted").first()).user_id
    (told,) = await Notification.filter(user_id=user_id, event="point.arrived")
    assert told.payload["point_name"] == "东村便民服务点"

    waiting = (await client.get(f"{STAFF}/point-deliveries?status=at_point", headers=p.agent)).json()
    (parcel,) = waiting["items"]
    assert (parcel["number"], parcel["status_text"], parcel["applicant_phone"]) == (
        case["number"], "待领取", "137****1111",
    )  # fmt: skip
    url = f"{STAFF}/point-deliveries/{parcel['id']}/hand-over"
    assert_error(await client.post(url, headers=p.other_agent), 404, "NOT_FOUND")
    handed = await client.post(url, headers=p.agent)
    assert handed.status_code == 200 and handed.json()["status"] == "handed_over", handed.text
    assert_error(await client.post(url, headers=p.agent), 409, "ALREADY_HANDED_OVER")
    after = (await client.get(f"{STAFF}/applications/{case['id']}", headers=p.window)).json()
    assert (after["status"], after["delivery"]["channel"]) == ("delivered", "point")
    (collected,) = [entry for entry in after["timeline"] if entry["status"] == "delivered"]
    assert collected["note"] == "办理结果已在东村便民服务点由申请人领取"
    assert collected["actor"] == {"role": "village_agent", "name": "dongcun代办员"}
    assert await Notification.filter(user_id=user_id, event="point.handed_over").count() == 1
    assert (await client.get(f"{STAFF}/point-filings", headers=p.agent)).json()["items"][0][
        "delivery_status"
    ] == ("handed_over")

    period = {"from": filed_on.isoformat(), "to": clock.today().isoformat()}
    figures = (await client.get(f"{STAFF}/points/stats", params=period, headers=p.supervisor)).json()
    by_point = {row["point_code"]: row for row in figures["points"]}
    assert {k: by_point["DC"][k] for k in ("filed", "done", "awaiting_pickup", "handed_over")} == {
        "filed": 1, "done": 1, "awaiting_pickup": 0, "handed_over": 1,
    }  # fmt: skip
    assert by_point["XC"]["filed"] == 0
    own = (await client.get(f"{STAFF}/points/stats", params=period, headers=p.agent)).json()
    assert [row["point_code"] for row in own["points"]] == ["DC"]
    assert_error(
        await client.get(f"{STAFF}/points/stats", params={**period, "point": "DC"}, headers=p.other_agent),
        403,
        "POINT_SCOPE",
    )
    backwards = await client.get(
        f"{STAFF}/points/stats",
        params={"from": filed_on.isoformat(), "to": "2020-01-01"},
        headers=p.supervisor,
    )
    assert_error(backwards, 422, "VALIDATION_ERROR")


async def test_a_case_not_filed_at_a_point_needs_the_point_named(database_url, client, api, settings):
    p = await setup(client, settings)
    alice = await f.citizen(api, client, "alice")
    case = await f.submit(client, alice, p.item)
    for headers, action in ((p.window, "accept"), (p.approver, "approve")):
        assert (await f.act(client, headers, case["id"], action)).status_code == 200
    assert_error(
        await f.act(client, p.window, case["id"], "deliver", {"channel": "point"}), 422, "POINT_REQUIRED"
    )
    sent = await f.act(client, p.window, case["id"], "deliver", {"channel": "point", "point": "XC"})
    assert sent.status_code == 200, sent.text
    (told,) = await Notification.filter(user_id=alice.user_id, event="point.arrived")
    assert told.payload["point_name"] == "西村便民服务点"
    # the result waits at 西村: 西村's agent sees it, 东村's does not
    assert (await client.get(f"{STAFF}/point-deliveries", headers=p.agent)).json()["total"] == 0
    assert (await client.get(f"{STAFF}/point-deliveries", headers=p.other_agent)).json()["total"] == 1
    again = await f.act(client, p.window, case["id"], "deliver", {"channel": "point", "point": "DC"})
    assert_error(again, 409, "ALREADY_AT_POINT")


async def test_an_agent_whose_point_left_the_hierarchy_is_out_of_scope(database_url, client, settings):
    p = await setup(client, settings)
    assert (await client.delete(f"{STAFF}/offices/DC/place", headers=p.admin)).status_code == 204
    assert_error(await client.get(f"{STAFF}/point-filings", headers=p.agent), 403, "POINT_SCOPE")
    _, stray = await new_agent(client, p.admin, settings, "nanc", "XC")
    assert (await client.get(f"{STAFF}/point-filings", headers=stray)).status_code == 200
    assert VILLAGER["name"] == "王秀英"
