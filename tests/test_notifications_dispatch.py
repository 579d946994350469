"""The claim is the guard: racing senders send once, a crashed sender's row is sent after its
lease, a late sender cannot overwrite; periodic jobs run once per interval."""

from __future__ import annotations

import asyncio
import inspect
from datetime import timedelta

import pytest

from citizen_api import clock
from citizen_api.db import atomic
from citizen_api.domains import PERIODIC_JOBS
from citizen_api.jobs import PeriodicJob
from notifications import dispatcher, outbox, periodic
from notifications.dispatcher import Runtime
from notifications.models import Notification, PeriodicRun
from tests import notifications_fixtures as nf
from tests.notifications_fixtures import *  # noqa: F403  (the napp and notify_overrides fixtures)
from tests.notifications_fixtures import CASE_TEMPLATE


async def _quiet_row(napp, name: str) -> tuple[int, Runtime]:
    """A due row with the app's own dispatcher stopped, so the test drives the senders."""
    await napp.state.dispatcher.stop()
    user_id, headers = await napp.citizen(name)
    await napp.grant(headers, CASE_TEMPLATE)
    async with atomic():
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
    assert await dispatcher._mark(crashed, "give_up", last_error="late") == "lost-lease"
    assert (await Notification.get(id=row_id)).status == "sent"
    assert len(napp.messages()) == 1


async def test_not_due_yet_is_left_alone(napp):
    row_id, runtime = await _quiet_row(napp, "carol")
    await Notification.filter(id=row_id).update(next_attempt_at=clock.now() + timedelta(minutes=5))
    assert await dispatcher.due_ids(100) == []
    assert await dispatcher.process(row_id, runtime) == "not-due"
    clock.advance(timedelta(minutes=6))
    assert await dispatcher.due_ids(100) == [row_id]


async def test_periodic_jobs_run_once_per_interval(napp):
    nf.SAMPLE_JOB_RUNS.clear()
    clock.set_now(clock.now())
    registry = [PeriodicJob("sample", 60, nf.sample_job)]
    first = await periodic.run_due(napp.state, registry)
    again = await periodic.run_due(napp.state, registry)  # a second process, or the next loop pass
    assert first == {"sample": 1} and again == {}
    clock.advance(timedelta(seconds=61))
    assert await periodic.run_due(napp.state, registry) == {"sample": 2}
    assert nf.SAMPLE_JOB_RUNS[1] == clock.now()  # the job ran for the time of its run
    assert len(await PeriodicRun.filter(name="sample")) == 1


def test_every_registered_job_takes_a_job_context_and_bad_declarations_fail():
    names = [job.name for job in PERIODIC_JOBS]
    assert len(set(names)) == len(names) >= 9
    for job in PERIODIC_JOBS:
        assert job.interval_seconds > 0
        assert inspect.iscoroutinefunction(job.run), job.name
        assert list(inspect.signature(job.run).parameters) == ["ctx"], job.name
    with pytest.raises(ValueError, match="name"):
        PeriodicJob("Supervision Warnings", 60, nf.sample_job)
    with pytest.raises(ValueError, match="interval"):
        PeriodicJob("sample", 0, nf.sample_job)
    assert periodic.cron_fields(30) == {"second": {0, 30}}
    assert periodic.cron_fields(300)["minute"] == set(range(0, 60, 5))


@pytest.mark.parametrize("notify_overrides", [{"periodic_jobs_enabled": True}], indirect=True)
async def test_the_in_process_loop_runs_the_registered_jobs(napp):
    """Without Redis the API process runs every job of the registry (the list the worker's cron uses)."""
    expected = {job.name for job in PERIODIC_JOBS}
    for _ in range(200):
        ran = {run.name for run in await PeriodicRun.filter(last_result__not_isnull=True)}
        if ran == expected:
            break
        await asyncio.sleep(0.05)
    assert ran == expected
    # an empty database: every job ran and found nothing to do (a failure is recorded as None)
    assert {run.last_result for run in await PeriodicRun.all()} == {"0"}
