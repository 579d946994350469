"""``outbox.enqueue`` wakes the dispatcher of the unit of work's AppState once the row is committed:
in-process the message goes out without waiting for the poll; with Redis an arq job is queued after
the commit (never for a rolled-back row), and a burst worker built from the worker's settings class
sends it."""

from __future__ import annotations

import asyncio

import pytest
from arq.constants import job_key_prefix

from citizen_api import db
from citizen_api.cli.serve import worker_wiring
from notifications import outbox
from notifications.arq_queue import job_id
from notifications.models import Notification
from notifications.worker import build_worker, worker_settings
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import APPOINTMENT_TEMPLATE, CASE_TEMPLATE

PAYLOAD = {"number": "U2026000001", "item_name": "居民身份证换领"}
SLOW_POLL = {"notify_poll_seconds": 120.0}  # a missed wake-up would leave the row for two minutes


async def _eventually(check, tries: int = 200):
    for _ in range(tries):
        outcome = await check()
        if outcome:
            return outcome
        await asyncio.sleep(0.05)
    return await check()


@pytest.fixture
def database_url(postgres_url) -> str:  # PostgreSQL: an uncommitted row is invisible to the dispatcher
    return postgres_url


@pytest.fixture
def notify_overrides(request) -> dict:
    values = dict(SLOW_POLL)
    if getattr(request, "param", "") == "redis":
        values["redis_url"] = request.getfixturevalue("redis_dsn")
    return values


async def test_a_committed_row_is_sent_without_waiting_for_the_poll(napp):
    user_id, headers = await napp.citizen("alice")
    await napp.grant(headers, CASE_TEMPLATE)

    with pytest.raises(RuntimeError):
        async with db.atomic(napp.state):
            await outbox.enqueue(user_id, "case.accepted", {**PAYLOAD, "number": "ROLLED-BACK"})
            raise RuntimeError("the change is refused")
    async with db.atomic(napp.state):
        row_id = await outbox.enqueue(user_id, "case.accepted", PAYLOAD)

    async def sent():
        return (await Notification.get(id=row_id)).status == "sent"

    assert await _eventually(sent), "the dispatcher was not woken after the commit"
    assert [m["data"]["character_string1"]["value"] for m in napp.messages()] == ["U2026000001"]
    assert await Notification.filter(user_id=user_id).count() == 1


@pytest.mark.parametrize("notify_overrides", ["redis"], indirect=True)
async def test_with_redis_the_job_is_queued_after_commit_and_a_burst_worker_sends_it(napp):
    user_id, headers = await napp.citizen("bob")
    await napp.grant(headers, CASE_TEMPLATE)
    redis = napp.state.redis

    with pytest.raises(RuntimeError):
        async with db.atomic(napp.state):
            await outbox.enqueue(user_id, "case.accepted", {**PAYLOAD, "number": "ROLLED-BACK"})
            raise RuntimeError("the change is refused")
    async with db.atomic(napp.state):
        row_id = await outbox.enqueue(user_id, "case.accepted", PAYLOAD)

    async def queued():
        return await redis.exists(job_key_prefix + job_id(row_id))

    assert await _eventually(queued), "no arq job after the commit"
    assert await Notification.filter(user_id=user_id).count() == 1  # the refused change left nothing

    options = {"burst": True, "cron_jobs": False, "sweep": False, "init_database": False}
    settings = worker_settings(napp.settings, worker_wiring(), **options)
    assert settings.queue_name == napp.settings.notify_queue_name and settings.burst is True
    worker = build_worker(napp.settings, worker_wiring(), handle_signals=False, **options)
    try:
        await worker.main()
    finally:
        await worker.close()
    row = await Notification.get(id=row_id)
    assert (row.status, row.attempts) == ("sent", 1)
    assert len(napp.messages()) == 1


async def test_many_messages_in_one_write_each_once_and_all_sent(napp):
    """``outbox.enqueue_many`` (a lottery's losers): one write for many rows, a dedupe key written before
    is skipped, and the dispatcher is woken once to send them all; the lottery's own wording."""
    people = [await napp.citizen(name) for name in ("alice", "bob", "carol")]
    for _, headers in people:
        await napp.grant(headers, APPOINTMENT_TEMPLATE)
    lost = {"item_name": "居民身份证换领", "date": "2026-12-08", "note": "已为您加入当天候补"}
    async with db.atomic(napp.state):
        await outbox.enqueue(people[0][0], "appointment.lottery_lost", lost, dedupe_key="lottery:lost:1")
    async with db.atomic(napp.state):
        await outbox.enqueue_many(
            (user_id, "appointment.lottery_lost", lost, f"lottery:lost:{k + 1}")
            for k, (user_id, _) in enumerate(people)
        )

    async def all_sent():
        rows = await Notification.filter(event="appointment.lottery_lost").values_list("status", flat=True)
        return len(rows) == 3 and set(rows) == {"sent"}

    assert await _eventually(all_sent), "not every row was written once and sent"
    sent = napp.messages()
    assert len(sent) == 3  # alice once, although her key was in both writes
    assert {m["data"]["phrase4"]["value"] for m in sent} == {"未中签"}
    assert {m["data"]["thing5"]["value"] for m in sent} == {"已为您加入当天候补"}
