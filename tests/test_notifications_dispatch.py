"""The claim is the guard: racing senders send once, a crashed sender's row is sent after its
lease, a late sender cannot overwrite; periodic jobs run once per interval."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tortoise.transactions import in_transaction

from citizen_api import clock
from notifications import dispatcher, jobs, outbox
from notifications.dispatcher import Runtime
from notifications.models import Notification
from tests import notifications_fixtures as nf
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import CASE_TEMPLATE


async def _quiet_row(napp, name: str) -> tuple[int, Runtime]:
    """A due row with the app's own dispatcher stopped, so the test drives the senders."""
    await napp.state.dispatcher.stop()
    user_id, headers = await napp.citizen(name)
    await napp.grant(headers, CASE_TEMPLATE)
    async with in_transaction():
        row_id = await outbox.enqueue(user_id, "case.accepted", {"number": "R1", "item_name": "并发"})
    return row_id, Runtime.for_state(napp.state)


async def test_racing_senders_send_once(napp):
    row_id, runtime = await _quiet_row(napp, "alice")
    results = await asyncio.gather(*(dispatcher.process(row_id, runtime) for _ in range(8)))
    assert sorted(results) == ["not-due"] * 7 + ["sent"]
    assert len(napp.messages()) == 1
    row = await Notification.get(id=row_id)
    assert (row.status, row.attempts) == ("sent", 1)


async def test_crashed_sender_row_is_sent_after_its_lease_and_the_late_sender_cannot_mark(napp):
    row_id, runtime = await _quiet_row(napp, "bob")
    crashed = await dispatcher.claim(row_id, napp.settings)  # claimed, then the process died
    assert crashed is not None

    assert await dispatcher.process(row_id, runtime) == "not-due"  # its lease still holds
    clock.advance(timedelta(seconds=napp.settings.notify_lease_seconds + 1))
    assert await dispatcher.process(row_id, runtime) == "sent"

    row = await Notification.get(id=row_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert row.attempt_id != crashed.attempt_id
    # the first sender waking up late is refused: the row keeps its successor's outcome
    assert await dispatcher._mark(crashed, "dead", last_error="late") == "lost-lease"
    assert (await Notification.get(id=row_id)).status == "sent"
    assert len(napp.messages()) == 1


async def test_not_due_yet_is_left_alone(napp):
    row_id, runtime = await _quiet_row(napp, "carol")
    await Notification.filter(id=row_id).update(next_attempt_at=clock.now() + timedelta(minutes=5))
    assert await dispatcher.due_ids(100) == []
    assert await dispatcher.process(row_id, runtime) == "not-due"
    clock.advance(timedelta(minutes=6))
    assert await dispatcher.due_ids(100) == [row_id]


async def test_periodic_jobs_run_once_per_interval_and_skip_missing_targets(napp):
    nf.SAMPLE_JOB_RUNS.clear()
    registry = [
        ("sample", 60, "tests.notifications_fixtures:sample_job"),
        ("not_yet_written", 60, "citizen_api.no_such_domain.jobs:run"),
    ]
    first = await jobs.run_due(jobs=registry)
    again = await jobs.run_due(jobs=registry)  # a second process, or the next loop pass
    assert first == {"sample": 1} and again == {}
    clock.advance(timedelta(seconds=61))
    assert await jobs.run_due(jobs=registry) == {"sample": 2}
    assert len(nf.SAMPLE_JOB_RUNS) == 2


def test_every_registered_job_imports_or_is_skipped():
    for name, interval, path in jobs.PERIODIC_JOBS:
        assert interval > 0 and name
        target = jobs.resolve(path)
        assert target is None or asyncio.iscoroutinefunction(target), path
    assert jobs.cron_fields(30) == {"second": {0, 30}}
    assert jobs.cron_fields(300)["minute"] == set(range(0, 60, 5))


@pytest.mark.parametrize("notify_overrides", [{"periodic_jobs_enabled": True}], indirect=True)
async def test_the_in_process_loop_runs_periodic_jobs(napp, monkeypatch):
    nf.SAMPLE_JOB_RUNS.clear()
    monkeypatch.setattr(jobs, "PERIODIC_JOBS", [("sample", 3600, "tests.notifications_fixtures:sample_job")])
    for _ in range(100):
        if nf.SAMPLE_JOB_RUNS:
            break
        await asyncio.sleep(0.1)
    assert len(nf.SAMPLE_JOB_RUNS) == 1
