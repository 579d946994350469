"""One person, one place: a real-name profile is required, the day's booking and the weekly limit
count per person (the ID number) across WeChat accounts, and attempts are throttled per citizen and
per client address."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta

from citizen_api import clock
from citizen_api.appointments.models import Appointment
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    citizens,
    make_hall,
    make_item,
    slots_on,
)
from tests.appointments_plugin import LONG_TOKENS, NO_WECHAT, _client
from tests.conftest import assert_error, make_settings

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings, pg_client, pg_settings

TUESDAY = date(2026, 9, 29)
WEDNESDAY = date(2026, 9, 30)
SAME_ID = "110101199001011237"


async def test_booking_needs_a_real_name_profile(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    slots = await slots_on(appt_client, hall.item.code, TUESDAY)
    _, anonymous = await citizen(appt_settings, "anon", profile=False)
    refused = await book(appt_client, anonymous, slots[0]["id"], hall.item.code)
    assert_error(refused, 409, "PROFILE_INCOMPLETE")
    assert "实名" in refused.json()["error"]["message"]
    # filling the profile in is all it takes
    profile = {"name": "李四", "id_number": "11010519491231002X", "phone": "13912345678"}
    assert (await appt_client.put("/api/v1/me/profile", json=profile, headers=anonymous)).status_code == 200
    assert (await book(appt_client, anonymous, slots[0]["id"], hall.item.code)).status_code == 201


async def test_the_profile_rule_can_be_switched_off(tmp_path, database_url):
    settings = make_settings(
        tmp_path,
        database_url,
        NO_WECHAT,
        access_token_ttl_seconds=LONG_TOKENS,
        booking_requires_profile=False,
    )
    async with _client(settings) as client:
        clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
        hall = await make_hall()
        slots = await slots_on(client, hall.item.code, TUESDAY)
        _, anonymous = await citizen(settings, "anon", profile=False)
        assert (await book(client, anonymous, slots[0]["id"], hall.item.code)).status_code == 201
        assert_error(await book(client, anonymous, slots[1]["id"], hall.item.code), 409, "ALREADY_BOOKED")


async def test_two_wechat_accounts_of_one_person_book_once(pg_client, pg_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall()
    slots = await slots_on(pg_client, hall.item.code, TUESDAY)
    _, phone = await citizen(pg_settings, "phone", id_number=SAME_ID)
    _, tablet = await citizen(pg_settings, "tablet", id_number=SAME_ID)

    # both accounts at once, for two different slots of the same day: the database gives one
    answers = await asyncio.gather(
        book(pg_client, phone, slots[0]["id"], hall.item.code),
        book(pg_client, tablet, slots[1]["id"], hall.item.code),
    )
    assert Counter(r.status_code for r in answers) == {201: 1, 409: 1}
    assert_error(next(r for r in answers if r.status_code == 409), 409, "ALREADY_BOOKED")
    assert await Appointment.filter(item_id=hall.item.id, date=TUESDAY, status="booked").count() == 1

    # the weekly limit (2) counts the person too: one more on Wednesday, then no third
    other = await make_item(hall.department)
    await hall.group.items.add(other)
    wednesday = await slots_on(pg_client, hall.item.code, WEDNESDAY)
    assert (await book(pg_client, tablet, wednesday[0]["id"], hall.item.code)).status_code == 201
    assert_error(await book(pg_client, phone, wednesday[1]["id"], other.code), 409, "BOOKING_LIMIT_REACHED")


async def test_attempts_are_throttled_per_citizen_and_per_address(tmp_path, database_url):
    await _throttled(tmp_path, database_url)


async def test_attempts_are_throttled_in_redis_for_every_process(tmp_path, redis_dsn, postgres_url):
    """The production path: both counters in one Redis script call, shared by every API process."""
    await _throttled(tmp_path, postgres_url, redis_url=redis_dsn)


async def _throttled(tmp_path, database_url, **overrides):
    settings = make_settings(
        tmp_path,
        database_url,
        NO_WECHAT,
        access_token_ttl_seconds=LONG_TOKENS,
        booking_attempts_per_minute=2,
        booking_attempts_per_minute_per_address=5,
        **overrides,
    )
    async with _client(settings) as client:
        clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
        hall = await make_hall()
        slots = await slots_on(client, hall.item.code, TUESDAY)
        first, *others = await citizens(settings, 5)
        for _ in range(2):
            await book(client, first, 999_999, hall.item.code)
        throttled = await book(client, first, 999_999, hall.item.code)
        assert_error(throttled, 429, "RATE_LIMITED")
        assert 1 <= int(throttled.headers["Retry-After"]) <= 60
        # other accounts from the same address: it has had 3 attempts, 2 more pass, the sixth is refused
        assert (await book(client, others[0], slots[0]["id"], hall.item.code)).status_code == 201
        assert_error(await book(client, others[1], 999_999, hall.item.code), 404, "NOT_FOUND")
        blocked = await book(client, others[2], slots[1]["id"], hall.item.code)
        assert_error(blocked, 429, "RATE_LIMITED")
        assert "Retry-After" in blocked.headers
        # behind a trusted proxy each client address is counted as itself (tests/test_proxy_headers.py);
        # here the next minute starts a new window
        clock.advance(timedelta(minutes=1))
        assert (await book(client, others[2], slots[1]["id"], hall.item.code)).status_code == 201
