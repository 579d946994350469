"""The staff inbox over HTTP: search by number part, full name and phone tail; several statuses; sort
by deadline; the masked name, deadline, warning and working days left of each row; scope."""

from __future__ import annotations

import pytest

from citizen_api import clock
from tests import cases_fixtures as f
from tests.calendar_years import FAR_TOKENS, KNOWN, import_known_year
from tests.conftest import assert_error, make_settings
from tests.staff_cases_fixtures import Hall, person


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    # tokens minted on the wall clock outlive the jump to the calendar tests' years
    return make_settings(tmp_path, database_url, wechat_sim.base_url, **FAR_TOKENS)


async def cases(hall: Hall) -> dict[str, dict]:
    """Three GA cases (张三丰 twice — once as a short item —, 欧阳娜娜) and one RS case of 张三丰."""
    clock.set_now(f.at(2026, 3, 2))  # a Monday of a known year
    zhang = await person(hall.api, hall.client, "zhang", "张三丰", "13812345678")
    ouyang = await person(hall.api, hall.client, "ouyang", "欧阳娜娜", "13900001111", id_index=1)
    quick = await f.published_item("GA-HJ-002", name="户籍证明", promised_days=2)
    return {
        "zhang": await f.submit(hall.client, zhang, hall.ga),
        "ouyang": await f.submit(hall.client, ouyang, hall.ga),
        "quick": await f.submit(hall.client, zhang, quick),
        "rs": await f.submit(hall.client, zhang, hall.rs),
    }


async def test_search_by_number_part_name_and_phone_tail(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    made = await cases(hall)
    clerk = hall.staff["window"]
    zhang, ouyang = made["zhang"]["number"], made["ouyang"]["number"]
    ga_cases = {zhang, ouyang, made["quick"]["number"]}

    # a part of the number, in any case: the department prefix and the date match every GA case
    assert set(await hall.numbers(clerk, q=zhang[:10].lower())) == ga_cases
    assert await hall.numbers(clerk, q=zhang[-7:]) == [zhang]  # the sequence part
    assert await hall.numbers(clerk, q=zhang) == [zhang]  # the whole number
    assert await hall.numbers(clerk, q="XYZ999") == []

    # the full name, normalised (spaces do not count); a part of a name or another name finds nothing
    assert await hall.numbers(clerk, q="欧阳娜娜") == [ouyang]
    assert await hall.numbers(clerk, q=" 欧阳 娜娜 ") == [ouyang]
    assert set(await hall.numbers(clerk, q="张三丰")) == {zhang, made["quick"]["number"]}
    assert await hall.numbers(clerk, q="欧阳") == []
    assert await hall.numbers(clerk, q="张三") == []
    assert await hall.numbers(clerk, q="李四") == []

    # four digits: the phone's tail (or a part of a number)
    assert await hall.numbers(clerk, q="1111") == [ouyang]
    assert set(await hall.numbers(clerk, q="5678")) == {zhang, made["quick"]["number"]}
    assert await hall.numbers(clerk, q="4321") == []

    # the RS clerk finds only the RS case of the same person; the supervisor finds all of them
    assert await hall.numbers(hall.rs_staff["window"], q="张三丰") == [made["rs"]["number"]]
    assert await hall.numbers(hall.rs_staff["window"], q="5678") == [made["rs"]["number"]]
    assert await hall.numbers(hall.rs_staff["window"], q=zhang) == []
    everyone = await hall.numbers(hall.staff["supervisor"], q="张三丰")
    assert set(everyone) == {zhang, made["quick"]["number"], made["rs"]["number"]}


async def test_rows_show_the_masked_name_deadline_warning_and_working_days_left(
    database_url, api, client, settings
):
    hall = await Hall(api, client, settings).setup()
    made = await cases(hall)
    await hall.act("window", made["zhang"]["id"], "accept")  # 5 working days: due Mon 9 March
    rows = {row["number"]: row for row in (await hall.listing(hall.staff["window"]))["items"]}
    accepted, waiting = rows[made["zhang"]["number"]], rows[made["ouyang"]["number"]]
    # the same mask as the detail and the hall list (first and last character)
    assert accepted["applicant_name"] == "张*丰" and waiting["applicant_name"] == "欧**娜"
    shown = (accepted["deadline"], accepted["warning"], accepted["working_days_left"])
    assert shown == ("2026-03-09", "none", 5)
    assert (waiting["deadline"], waiting["working_days_left"]) == (None, None)
    for row in rows.values():
        assert "张三丰" not in str(row) and "欧阳娜娜" not in str(row) and "13812345678" not in str(row)

    clock.set_now(f.at(2026, 3, 6))  # Friday: one working day left, yellow
    row = (await hall.listing(hall.staff["window"], q=made["zhang"]["number"]))["items"][0]
    assert (row["warning"], row["working_days_left"]) == ("yellow", 1)
    clock.set_now(f.at(2026, 3, 11))  # Wednesday after the deadline: two working days over, red
    row = (await hall.listing(hall.staff["window"], q=made["zhang"]["number"]))["items"][0]
    assert (row["warning"], row["working_days_left"]) == ("red", -2)


async def test_working_days_left_is_null_when_the_calendar_does_not_know_the_year(
    database_url, api, client, settings
):
    hall = await Hall(api, client, settings).setup()
    zhang = await person(api, client, "zhang", "张三丰", "13812345678")  # tokens before the clock jumps
    await import_known_year()
    clock.set_now(f.at(KNOWN, 11, 2))
    long = await f.published_item("GA-HJ-045", name="户籍迁移（跨省）", promised_days=45)
    into_unknown = await f.submit(client, zhang, long)  # 45 working days reach into the next year
    within = await f.submit(client, zhang, hall.ga)
    for case in (into_unknown, within):
        await hall.act("window", case["id"], "accept")
    rows = {row["id"]: row for row in (await hall.listing(hall.staff["window"]))["items"]}
    assert rows[into_unknown["id"]]["deadline"] is not None
    assert rows[into_unknown["id"]]["calendar_uncertain"] is True
    assert rows[into_unknown["id"]]["working_days_left"] is None  # not guessed
    assert rows[within["id"]]["working_days_left"] == 5


async def test_several_statuses_and_a_bad_one(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    made = await cases(hall)
    clerk = hall.staff["window"]
    await hall.act("window", made["zhang"]["id"], "accept")
    missing = [hall.ga.material("户口簿").id]
    await hall.act("window", made["ouyang"]["id"], "request-supplement", {"missing": missing})

    both = await hall.numbers(clerk, status="accepted,supplement_required")
    assert set(both) == {made["zhang"]["number"], made["ouyang"]["number"]}
    assert await hall.numbers(clerk, status="supplement_required") == [made["ouyang"]["number"]]
    assert await hall.numbers(clerk, status="submitted, accepted", q="5678") == [
        made["quick"]["number"],
        made["zhang"]["number"],
    ]  # newest first by default
    # with a warning filter too (a calm accepted case; a case awaiting a supplement is calm as well)
    calm = await hall.numbers(clerk, status="accepted,supplement_required", warning="none")
    assert set(calm) == {made["zhang"]["number"], made["ouyang"]["number"]}
    assert await hall.numbers(clerk, status="supplement_required", warning="red") == []

    error = assert_error(
        await client.get("/api/v1/staff/applications", params={"status": "submitted,lost"}, headers=clerk),
        422,
        "VALIDATION_ERROR",
    )
    assert "lost" in error["details"]["fields"]["query.status"]
    sort = await client.get("/api/v1/staff/applications", params={"sort": "oldest"}, headers=clerk)
    assert "query.sort" in assert_error(sort, 422, "VALIDATION_ERROR")["details"]["fields"]


async def test_sort_by_deadline_soonest_first_then_cases_without_one(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    made = await cases(hall)
    await hall.act("window", made["zhang"]["id"], "accept")  # due 9 March
    await hall.act("window", made["quick"]["id"], "accept")  # 2 working days: due 4 March
    clerk = hall.staff["window"]
    order = await hall.numbers(clerk, sort="deadline")
    assert order == [made["quick"]["number"], made["zhang"]["number"], made["ouyang"]["number"]]
    rows = (await hall.listing(clerk, sort="deadline", status="submitted,accepted"))["items"]
    assert [row["deadline"] for row in rows] == ["2026-03-04", "2026-03-09", None]
    # pages follow the same order
    assert await hall.numbers(clerk, sort="deadline", size=1, page=2) == [made["zhang"]["number"]]
    assert (await hall.listing(clerk, sort="deadline", size=1, page=2))["total"] == 3


async def test_the_served_openapi_documents_the_search(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    op = spec["paths"]["/api/v1/staff/applications"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert "整名匹配" in params["q"]["description"]
    assert params["sort"]["schema"]["enum"] == ["newest", "deadline"]
    assert "submitted,supplement_required" in params["status"]["description"]
    row = spec["components"]["schemas"]["StaffCaseSummary"]["properties"]
    assert {"applicant_name", "deadline", "warning", "working_days_left"} <= set(row)
