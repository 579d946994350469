"""投诉: a citizen complains about a case or the hall, a supervisor answers within a working-day deadline,
the answer reaches the citizen as a message, and the staff member first asked (首问负责) is on record."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from citizen_api import clock
from citizen_api.complaints.jobs import run_complaint_jobs
from citizen_api.complaints.models import Complaint
from tests.conftest import assert_error, create_staff
from tests.delivery_fixtures import citizen, make_case, outbox_rows
from tests.job_runs import run_job

# Thursday before the 2026 May Day holiday (May 1–5 off, Saturday May 9 a make-up workday)
FILED_AT = datetime(2026, 4, 30, 10, 0, tzinfo=clock.CST)
# 5 working days after 04-30: May 6, 7, 8, 9 (make-up Saturday), 11
DUE = "2026-05-11"
URL = "/api/v1/complaints"
STAFF_URL = "/api/v1/staff/complaints"


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00+08:00")


async def _people(api):
    clock.set_now(FILED_AT)
    alice, headers = await citizen(api, "alice")
    clerk = await create_staff("win1", "window", "GA")
    boss = await create_staff("boss", "supervisor", None)
    return alice, headers, clerk, boss


async def test_complaint_about_a_case_goes_to_the_supervisor_and_the_reply_to_the_citizen(api, client):
    alice, headers, clerk, boss = await _people(api)
    case = await make_case(alice, status="accepted", department="GA")
    resp = await client.post(
        URL,
        json={
            "application_id": case.id,
            "content": "窗口让我跑了三趟还没受理",
            "first_contact_staff": "win1",
        },
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    filed = resp.json()
    assert (filed["status"], filed["due_on"], filed["department_code"]) == ("open", DUE, "GA")
    assert (filed["application_id"], filed["application_number"]) == (case.id, case.number)
    assert filed["first_contact_staff"] == "win1" and filed["reply"] == "" and filed["replied_at"] is None
    # 首问负责: the name the citizen gave is linked to the staff account
    assert (await Complaint.get(id=filed["id"])).first_contact_staff_id == clerk.id

    # the supervisors hear of it at once, with the deadline
    [told] = await outbox_rows("complaint.filed", audience="staff")
    assert told.user_id == boss.id
    assert (told.payload["number"], told.payload["due_on"]) == (case.number, DUE)

    boss_headers = await api.staff_headers("boss")
    listed = (await client.get(STAFF_URL, headers=boss_headers)).json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert (item["first_contact_staff_id"], item["overdue"], item["due_on"]) == (clerk.id, False, DUE)

    # a window clerk neither lists nor answers complaints (they may be about them)
    win = await api.staff_headers("win1")
    assert_error(await client.get(STAFF_URL, headers=win), 403, "FORBIDDEN")
    reply_url = f"{STAFF_URL}/{filed['id']}/reply"
    assert_error(await client.post(reply_url, json={"reply": "已处理"}, headers=win), 403, "FORBIDDEN")

    clock.set_now(at("2026-05-06"))  # tokens follow the clock: sign in again
    boss_headers, headers = await api.staff_headers("boss"), await api.citizen_headers("alice")
    reply = "已核实，窗口未一次性告知所需材料，已对责任人批评教育并当场受理"
    resp = await client.post(reply_url, json={"reply": reply}, headers=boss_headers)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["status"], resp.json()["reply"], resp.json()["overdue"]) == ("replied", reply, False)
    assert_error(
        await client.post(reply_url, json={"reply": "再答复一次"}, headers=boss_headers),
        409,
        "ALREADY_REPLIED",
    )
    assert (await Complaint.get(id=filed["id"])).reply == reply  # the second answer changed nothing

    # the reply reaches the citizen: one message row, in the citizen's own list too
    [message] = await outbox_rows("complaint.replied", user_id=alice)
    assert message.audience == "citizen"
    assert (message.payload["number"], message.payload["reply"]) == (case.number, reply)
    mine = (await client.get(URL, headers=headers)).json()
    assert mine["total"] == 1
    assert (mine["items"][0]["status"], mine["items"][0]["reply"]) == ("replied", reply)
    assert mine["items"][0]["replied_at"].startswith("2026-05-06T09:00:00")
    assert "first_contact_staff_id" not in mine["items"][0]  # staff-only detail

    assert (await client.get(f"{STAFF_URL}?status=open", headers=boss_headers)).json()["total"] == 0
    assert (await client.get(f"{STAFF_URL}?status=replied", headers=boss_headers)).json()["total"] == 1


async def test_complaint_about_the_hall_keeps_the_first_contact_as_written(api, client):
    _alice, headers, _clerk, _boss = await _people(api)
    resp = await client.post(
        URL,
        json={"content": "大厅取号机坏了一上午无人处理", "first_contact_staff": " 3号窗口 李四 "},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert (body["application_id"], body["application_number"], body["department_code"]) == (None, None, None)
    assert body["first_contact_staff"] == "3号窗口 李四"
    stored = await Complaint.get(id=body["id"])
    assert stored.first_contact_staff_id is None  # not a staff username: kept as the citizen wrote it
    assert stored.due_on.isoformat() == DUE


async def test_no_supervisor_means_the_admins_are_told(api, client):
    clock.set_now(FILED_AT)
    _alice, headers = await citizen(api, "alice")
    admin = await create_staff("root", "admin", None)
    assert (await client.post(URL, json={"content": "无人接听咨询电话"}, headers=headers)).status_code == 201
    assert [r.user_id for r in await outbox_rows("complaint.filed")] == [admin.id]
    admin_headers = await api.staff_headers("root")
    assert (await client.get(STAFF_URL, headers=admin_headers)).json()["total"] == 1


async def test_another_citizens_case_and_complaints_stay_hidden(api, client):
    alice, headers, _clerk, _boss = await _people(api)
    _bob, bob_headers = await citizen(api, "bob")
    case = await make_case(alice)
    assert_error(
        await client.post(
            URL, json={"application_id": case.id, "content": "冒名投诉别人的办件"}, headers=bob_headers
        ),
        404,
        "NOT_FOUND",
    )
    assert_error(
        await client.post(URL, json={"application_id": 999_999, "content": "不存在的办件"}, headers=headers),
        404,
        "NOT_FOUND",
    )
    assert await Complaint.all().count() == 0
    assert (await client.post(URL, json={"content": "服务态度很差劲"}, headers=headers)).status_code == 201
    assert (await client.get(URL, headers=bob_headers)).json() == {"total": 0, "items": []}


async def test_only_citizens_file_and_only_signed_in(api, client):
    _alice, _headers, _clerk, _boss = await _people(api)
    win = await api.staff_headers("win1")
    assert_error(await client.post(URL, json={"content": "员工自己投诉自己"}, headers=win), 403, "FORBIDDEN")
    assert_error(await client.post(URL, json={"content": "匿名投诉一下"}), 401, "UNAUTHENTICATED")
    assert_error(await client.get(URL), 401, "UNAUTHENTICATED")
    assert await Complaint.all().count() == 0


BAD_COMPLAINTS = [
    ({}, "body.content"),
    ({"content": "太差"}, "body.content"),  # too short to act on
    ({"content": "差" * 2001}, "body.content"),
    ({"content": "     短     "}, "body.content"),  # spaces do not count
    ({"content": "窗口服务态度差", "application_id": 0}, "body.application_id"),
    ({"content": "窗口服务态度差", "application_id": 99_999_999_999}, "body.application_id"),
    ({"content": "窗口服务态度差", "application_id": "abc"}, "body.application_id"),
    ({"content": "窗口服务态度差", "first_contact_staff": "张" * 51}, "body.first_contact_staff"),
    ({"content": "窗口服务态度差", "anonymous": True}, "body.anonymous"),
]


async def test_bad_complaints_are_422(api, client):
    headers = await api.citizen_headers("alice")
    for payload, field in BAD_COMPLAINTS:
        err = assert_error(await client.post(URL, json=payload, headers=headers), 422, "VALIDATION_ERROR")
        assert field in err["details"]["fields"], payload
    assert await Complaint.all().count() == 0


async def test_bad_replies_and_queries(api, client):
    _alice, headers, _clerk, _boss = await _people(api)
    cid = (await client.post(URL, json={"content": "叫号系统一直不叫号"}, headers=headers)).json()["id"]
    boss = await api.staff_headers("boss")
    for payload in ({}, {"reply": ""}, {"reply": "x" * 2001}, {"reply": "好的", "extra": 1}):
        assert_error(
            await client.post(f"{STAFF_URL}/{cid}/reply", json=payload, headers=boss), 422, "VALIDATION_ERROR"
        )
    assert_error(
        await client.post(f"{STAFF_URL}/999999/reply", json={"reply": "已答复"}, headers=boss),
        404,
        "NOT_FOUND",
    )
    for query in ("status=closed", "department=" + "x" * 33, "page=0", "size=100000"):
        assert_error(await client.get(f"{STAFF_URL}?{query}", headers=boss), 422, "VALIDATION_ERROR")
    assert (await Complaint.get(id=cid)).status == "open"


async def test_staff_list_by_department_and_deadline(api, client):
    alice, headers, _clerk, _boss = await _people(api)
    ga = await make_case(alice, department="GA")
    mz = await make_case(alice, department="MZ")
    await client.post(
        URL, json={"application_id": mz.id, "content": "民政窗口材料要求反复变"}, headers=headers
    )
    clock.set_now(at("2026-05-06"))  # filed later: due later (May 7 8 9 11 12)
    headers = await api.citizen_headers("alice")
    await client.post(URL, json={"application_id": ga.id, "content": "公安窗口午休无人值守"}, headers=headers)
    await client.post(URL, json={"content": "大厅空调太冷了一点"}, headers=headers)
    boss = await api.staff_headers("boss")
    everything = (await client.get(STAFF_URL, headers=boss)).json()
    assert [i["due_on"] for i in everything["items"]] == [DUE, "2026-05-12", "2026-05-12"]  # nearest first
    ga_only = (await client.get(f"{STAFF_URL}?department=GA", headers=boss)).json()
    assert [i["application_number"] for i in ga_only["items"]] == [ga.number]
    page = (await client.get(f"{STAFF_URL}?page=2&size=2", headers=boss)).json()
    assert page["total"] == 3 and len(page["items"]) == 1


async def test_overdue_complaints_are_flagged_and_the_supervisors_told_once(api, client, settings):
    alice, headers, _clerk, boss = await _people(api)
    late = (await client.post(URL, json={"content": "预约了却说没有号"}, headers=headers)).json()["id"]
    answered = (await client.post(URL, json={"content": "收费标准不公开透明"}, headers=headers)).json()["id"]
    clock.set_now(at("2026-05-08"))
    boss_headers = await api.staff_headers("boss")
    resp = await client.post(
        f"{STAFF_URL}/{answered}/reply", json={"reply": "收费标准已公示"}, headers=boss_headers
    )
    assert resp.status_code == 200

    # on the due day itself nothing is overdue yet
    assert await run_job(run_complaint_jobs, settings, at(DUE)) == 0
    assert await outbox_rows("complaint.overdue") == []

    # the day after: flagged in the list, and the supervisors hear of it once (jobs may run again)
    clock.set_now(at("2026-05-12"))
    boss_headers = await api.staff_headers("boss")
    assert await run_job(run_complaint_jobs, settings, at("2026-05-12")) == 1
    assert await run_job(run_complaint_jobs, settings, at("2026-05-12") + timedelta(hours=1)) == 0
    await run_job(run_complaint_jobs, settings, at("2026-05-13"))  # the next day's run: not told again
    [told] = await outbox_rows("complaint.overdue")
    assert (told.user_id, told.payload["complaint_id"], told.payload["due_on"]) == (boss.id, late, DUE)
    listed = {
        i["id"]: i["overdue"] for i in (await client.get(STAFF_URL, headers=boss_headers)).json()["items"]
    }
    assert listed == {late: True, answered: False}

    # answered late, it is no longer overdue
    resp = await client.post(
        f"{STAFF_URL}/{late}/reply", json={"reply": "已补发预约号"}, headers=boss_headers
    )
    assert resp.status_code == 200 and resp.json()["overdue"] is False
    assert len(await outbox_rows("complaint.replied", user_id=alice)) == 2


async def test_racing_replies_answer_once(api, client):
    _alice, headers, _clerk, _boss = await _people(api)
    await create_staff("boss2", "supervisor", None)
    cid = (await client.post(URL, json={"content": "窗口工作人员玩手机"}, headers=headers)).json()["id"]
    first, second = await api.staff_headers("boss"), await api.staff_headers("boss2")
    answers = await asyncio.gather(
        client.post(f"{STAFF_URL}/{cid}/reply", json={"reply": "答复甲"}, headers=first),
        client.post(f"{STAFF_URL}/{cid}/reply", json={"reply": "答复乙"}, headers=second),
    )
    assert sorted(r.status_code for r in answers) == [200, 409]
    assert len(await outbox_rows("complaint.replied")) == 1
    winner = next(r for r in answers if r.status_code == 200).json()["reply"]
    assert (await Complaint.get(id=cid)).reply == winner
