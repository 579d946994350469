"""Lottery days (摇号) over the API, on SQLite and PostgreSQL: the admin's day, one registration per
person, the window's refusals, a draw anyone can recompute, winners booked, losers told and
wait-listed; and the two lottery transition tables walked."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from citizen_api import clock
from citizen_api.appointments.models import Appointment, LotteryDraw, LotteryEntry, Slot, WaitlistEntry
from citizen_api.appointments.repository import lottery as lottery_repo
from citizen_api.appointments.transitions import LOTTERY_DRAWS, LOTTERY_ENTRIES
from notifications.models import Notification
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    make_hall,
    make_item,
    slots_on,
    staff,
)
from tests.conftest import assert_error
from tests.lottery_fixtures import (
    CLOSES,
    DRAWS,
    REGISTERING,
    TUESDAY,
    TWO_SLOTS_OF_TWO,
    WEDNESDAY,
    create_draw,
    recompute,
    register,
    run_draw_job,
    sha,
)

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings


async def test_a_lottery_day_from_creation_to_a_draw_anyone_can_recompute(appt_client, appt_settings):
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=TWO_SLOTS_OF_TWO)  # 2 slots of 2: 4 places on Tuesday
    code = hall.item.code
    admin = await staff(settings, "admin", "admin", None)

    created = await create_draw(client, admin, hall.group.code)
    assert created.status_code == 201, created.text
    draw = created.json()
    published_hash = draw["seed_hash"]
    assert draw["status"] == "open" and draw["seed"] is None and draw["entries_digest"] is None
    assert len(published_hash) == 64
    assert_error(await create_draw(client, admin, hall.group.code), 409, "ALREADY_EXISTS")
    late = await create_draw(
        client, admin, hall.group.code, date="2026-09-30", draw_at="2026-09-30T08:00:00+08:00"
    )
    assert_error(late, 422, "BAD_LOTTERY_WINDOW")  # the draw must come before the day
    far = await create_draw(client, admin, hall.group.code, draw_at="9999-12-31T23:00:00-12:00")
    assert_error(far, 422, "VALIDATION_ERROR")

    days = await client.get(
        "/api/v1/appointments/days", params={"item_code": code, "from": "2026-09-29", "to": "2026-09-30"}
    )
    assert [d["allocation"] for d in days.json()] == ["lottery", "first_come"]
    _, walker = await citizen(settings, "walker")
    (first_slot, _) = await slots_on(client, code, TUESDAY)
    assert_error(await book(client, walker, first_slot["id"], code), 409, "LOTTERY_DAY")

    # before the window, outside a lottery day, without a real name
    early = assert_error(await register(client, walker, code), 409, "NOT_YET_OPEN")
    assert early["details"]["opens_at"] == "2026-09-28T10:00+08:00"
    clock.set_now(REGISTERING)
    assert_error(await register(client, walker, code, day=WEDNESDAY), 409, "NOT_LOTTERY")
    _, anonymous = await citizen(settings, "anonymous", profile=False)
    assert_error(await register(client, anonymous, code), 409, "PROFILE_INCOMPLETE")

    people = [await citizen(settings, f"p{i}") for i in range(10)]
    entries: dict[int, tuple[int, dict]] = {}  # entry id → (user id, headers)
    for n, (user_id, headers) in enumerate(people):
        resp = await register(client, headers, code, waitlist=n % 3 == 0)
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["status"] == "registered" and body["draw"]["seed"] is None
        assert body["draw"]["seed_hash"] == published_hash
        entries[body["id"]] = (user_id, headers)

    listed = (await client.get(DRAWS, headers=admin)).json()
    assert [(d["id"], d["seed"]) for d in listed] == [(draw["id"], None)]
    detail = (await client.get(f"{DRAWS}/{draw['id']}", headers=admin)).json()
    assert detail["registrations"] == 10 and detail["seed"] is None  # secret from admins too
    assert (await client.get(DRAWS, headers=walker)).status_code == 403

    clock.set_now(CLOSES)
    closed = assert_error(await register(client, walker, code), 409, "LOTTERY_CLOSED")
    assert closed["details"]["closed_at"] == "2026-09-28T18:00+08:00"
    assert await run_draw_job(settings, CLOSES) == 0  # before draw_at nothing happens
    public = (await client.get(f"/api/v1/appointments/lottery/draws/{draw['id']}")).json()
    assert public["seed"] is None and public["status"] == "open"
    assert_error(
        await client.get(f"/api/v1/appointments/lottery/draws/{draw['id']}/entries"), 409, "NOT_DRAWN"
    )

    assert await run_draw_job(settings) == 1
    assert await run_draw_job(settings) == 0  # the job runs again: nothing twice
    public = (await client.get(f"/api/v1/appointments/lottery/draws/{draw['id']}")).json()
    seed = public["seed"]
    assert public["status"] == "drawn" and sha(seed) == published_hash  # the committed seed
    assert (public["entries"], public["places"], public["winners"]) == (10, 4, 4)
    published = (await client.get(f"/api/v1/appointments/lottery/draws/{draw['id']}/entries")).json()
    assert published["ids"] == sorted(entries)
    digest, winners = recompute(seed, published["ids"], 4)
    assert public["entries_digest"] == digest
    assert published["winners"] == winners and published["ineligible"] == []

    outcome = Counter()
    for entry_id, (_, headers) in entries.items():
        mine = (await client.get(f"/api/v1/appointments/lottery/{entry_id}", headers=headers)).json()
        outcome[mine["status"]] += 1
        assert mine["draw"]["seed"] == seed and mine["draw"]["entries_digest"] == digest
        if entry_id in winners:
            assert mine["status"] == "won"
            assert mine["appointment"]["status"] == "booked" and mine["appointment"]["source"] == "lottery"
        else:
            assert mine["status"] == "lost" and mine["appointment"] is None
    assert outcome == {"won": 4, "lost": 6}
    assert sum(s.booked for s in await Slot.filter(group_id=hall.group.id, date=TUESDAY)) == 4
    assert await Appointment.filter(source="lottery").count() == 4

    # every loser told once; those who asked wait on the day's slots in the draw's order
    won_to = await Notification.filter(event="appointment.lottery_won").values_list("user_id", flat=True)
    lost_to = await Notification.filter(event="appointment.lottery_lost").values_list("user_id", flat=True)
    assert sorted(won_to) == sorted(entries[i][0] for i in winners)
    assert sorted(lost_to) == sorted(entries[i][0] for i in entries if i not in winners)
    order = sorted(entries, key=lambda i: (sha(f"{seed}:{i}"), i))
    asked = {e.id for e in await LotteryEntry.filter(waitlist=True)}
    wanting = [i for i in order if i in asked and i not in winners]
    slots = await Slot.filter(group_id=hall.group.id, date=TUESDAY).order_by("starts_at")
    waits = {w.user_id: w.slot_id for w in await WaitlistEntry.all()}
    assert waits == {entries[i][0]: slots[k % len(slots)].id for k, i in enumerate(wanting)}
    await run_draw_job(settings)
    assert await Notification.filter(event__startswith="appointment.lottery_").count() == 10
    # drawn: the day is first come again for whatever is left (here: nothing)
    clock.advance(timedelta(seconds=3))  # past the per-process cache of lottery days
    days = await client.get(
        "/api/v1/appointments/days", params={"item_code": code, "from": "2026-09-29", "to": "2026-09-29"}
    )
    assert days.json()[0]["allocation"] == "first_come"


async def test_one_registration_per_person_across_wechat_accounts(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=TWO_SLOTS_OF_TWO)
    admin = await staff(appt_settings, "admin", "admin", None)
    assert (await create_draw(appt_client, admin, hall.group.code)).status_code == 201
    clock.set_now(REGISTERING)
    _, phone_one = await citizen(appt_settings, "zhang-wechat-1", id_number="110101198001011234")
    _, phone_two = await citizen(appt_settings, "zhang-wechat-2", id_number="110101198001011234")

    assert (await register(appt_client, phone_one, hall.item.code)).status_code == 201
    assert_error(await register(appt_client, phone_two, hall.item.code), 409, "ALREADY_REGISTERED")
    assert_error(await register(appt_client, phone_one, hall.item.code), 409, "ALREADY_REGISTERED")
    assert await LotteryEntry.all().count() == 1
    mine = (await appt_client.get("/api/v1/appointments/lottery", headers=phone_one)).json()
    assert [e["status"] for e in mine] == ["registered"]
    assert (await appt_client.get("/api/v1/appointments/lottery", headers=phone_two)).json() == []


async def test_a_winner_who_cannot_book_is_ineligible_and_the_next_one_takes_the_place(
    appt_client, appt_settings
):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=[{**TWO_SLOTS_OF_TWO[0], "end": "10:00", "capacity": 2}])
    code = hall.item.code
    _, early_bird = await citizen(appt_settings, "early", id_number="110101197001011234")
    (slot,) = await slots_on(appt_client, code, TUESDAY)
    assert (await book(appt_client, early_bird, slot["id"], code)).status_code == 201  # still first come
    admin = await staff(appt_settings, "admin", "admin", None)
    draw_id = (await create_draw(appt_client, admin, hall.group.code)).json()["id"]
    clock.set_now(REGISTERING)
    early_entry = (await register(appt_client, early_bird, code)).json()["id"]
    others = [
        (await register(appt_client, (await citizen(appt_settings, f"o{i}"))[1], code)).json()["id"]
        for i in range(3)
    ]
    # a seed under which the early bird (already booked that day) is drawn first
    seed = next(
        f"s{n}" for n in range(1000) if recompute(f"s{n}", [early_entry, *others], 1)[1] == [early_entry]
    )
    await LotteryDraw.filter(id=draw_id).update(seed=seed, seed_hash=sha(seed))

    assert await run_draw_job(appt_settings) == 1
    statuses = dict(await LotteryEntry.all().values_list("id", "status"))
    order = recompute(seed, [early_entry, *others], 4)[1]
    assert statuses[early_entry] == "ineligible"
    assert statuses[order[1]] == "won"  # the next in order took the one free place
    assert sorted(statuses.values()) == ["ineligible", "lost", "lost", "won"]
    assert (await Slot.get(id=slot["id"])).booked == 2
    published = (await appt_client.get(f"/api/v1/appointments/lottery/draws/{draw_id}/entries")).json()
    assert published["ineligible"] == [early_entry] and published["winners"] == [order[1]]


async def test_the_lottery_tables_allow_their_transitions_and_no_other(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    for status in LOTTERY_DRAWS.statuses:
        for action in LOTTERY_DRAWS.actions:
            draw = await LotteryDraw.create(
                group=hall.group,
                date=TUESDAY,
                scope_key=f"walk:{status}:{action}",
                status=status,
                registration_opens_at=clock.now(),
                registration_closes_at=clock.now(),
                draw_at=clock.now(),
                seed="s",
                seed_hash=sha("s"),
            )
            moved = await lottery_repo.claim_draw(draw.id, clock.now())
            assert moved == LOTTERY_DRAWS.allows(status, action), (status, action)
            expected = LOTTERY_DRAWS.target(action) if moved else status
            assert (await LotteryDraw.get(id=draw.id)).status == expected
    for n, status in enumerate(LOTTERY_ENTRIES.statuses):
        for action in LOTTERY_ENTRIES.actions:
            entry = await LotteryEntry.create(
                draw=draw,
                user_id=1,
                person=f"p{n}:{action}",
                item_id=hall.item.id,
                item_code=hall.item.code,
                status=status,
            )
            moved = await lottery_repo.move_entry(entry.id, action)
            assert moved == LOTTERY_ENTRIES.allows(status, action), (status, action)
            expected = LOTTERY_ENTRIES.target(action) if moved else status
            assert (await LotteryEntry.get(id=entry.id)).status == expected


async def test_a_draw_of_one_item_leaves_the_groups_other_items_first_come(appt_client, appt_settings):
    """A group serves two items; the admin's draw is for one of them only: its Tuesday is a lottery
    day, the other item's Tuesday at the same windows stays first come (listed and bookable)."""
    client, settings = appt_client, appt_settings
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=TWO_SLOTS_OF_TWO)
    other = await make_item(hall.department, code="GA-OTHER")
    await hall.group.items.add(other)  # before any listing: no cache to forget
    admin = await staff(settings, "admin", "admin", None)
    created = await create_draw(client, admin, hall.group.code, item_code=hall.item.code)
    assert created.status_code == 201, created.text
    assert created.json()["item_code"] == hall.item.code

    def allocations(item_code: str):
        params = {"item_code": item_code, "from": "2026-09-29", "to": "2026-09-30"}
        return client.get("/api/v1/appointments/days", params=params)

    assert [d["allocation"] for d in (await allocations(hall.item.code)).json()] == ["lottery", "first_come"]
    assert [d["allocation"] for d in (await allocations(other.code)).json()] == ["first_come", "first_come"]
    _, walker = await citizen(settings, "walker")
    (lottery_slot, _) = await slots_on(client, hall.item.code, TUESDAY)
    assert_error(await book(client, walker, lottery_slot["id"], hall.item.code), 409, "LOTTERY_DAY")
    (slot, _) = await slots_on(client, other.code, TUESDAY)
    assert (await book(client, walker, slot["id"], other.code)).status_code == 201
