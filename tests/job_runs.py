"""Running a periodic job from a test as the process would: a ``JobContext`` on real clients.

With an ``AppState`` (a running app's, e.g. ``live.state`` or ``napp.state``) the job runs on it;
with ``Settings`` it runs on the clients ``onetrip worker`` opens for its jobs (the registry's
``WORKER_LIFESPANS``: storage, kuaidi100 …), in the database the test's app has open.
"""

from __future__ import annotations

from datetime import datetime

from citizen_api import db
from citizen_api.app import open_state
from citizen_api.domains import WORKER_LIFESPANS
from citizen_api.jobs import JobContext, JobFunction
from citizen_api.settings import Settings
from citizen_api.state import AppState


async def run_job(run: JobFunction, on: Settings | AppState, now: datetime | None = None) -> int:
    if isinstance(on, AppState):
        with db.bound_state(on):
            return await run(JobContext.for_state(on, now))
    async with open_state(on, WORKER_LIFESPANS) as state:
        with db.bound_state(state):
            return await run(JobContext.for_state(state, now))
