"""The registry: every domain and the parts it brings, written as plain imports (composition root).

Nothing is discovered by name: a domain that adds endpoints, a start-up hook, a demo seeder or a
periodic job adds it here, and a typo fails at import. Its models module goes in
``citizen_api.registry_models`` (re-exported here as ``MODEL_MODULES``) and its command group in
``citizen_api.registry_commands``: the command line and the migrations import only those two, not
every route and service (a command starts in ~0.5 s, not 2 s).

- ``endpoints`` (mounted under /api/v1) and ``root_endpoints`` (at /)
- ``lifespan``: ``lifespan(state)``, an async context manager run at the API's start-up, in domain
  order; ``in_worker=True`` when ``onetrip worker``'s jobs need what it opens too (clients)
- ``seed``: ``async def seed(settings) -> str`` for ``onetrip seed-demo`` (idempotent)
- ``jobs``: ``PeriodicJob`` objects, run in-process by ``onetrip serve`` without Redis, else as arq
  cron jobs of ``onetrip worker``
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import bots.routes
import citizen_api.agents.routes
import citizen_api.appointments.routes
import citizen_api.audit.routes
import citizen_api.auth.routes
import citizen_api.bundles.routes
import citizen_api.cases.routes
import citizen_api.catalog.routes
import citizen_api.complaints.routes
import citizen_api.delivery.routes
import citizen_api.exports.routes
import citizen_api.licences.routes
import citizen_api.lockers.routes
import citizen_api.performance.routes
import citizen_api.points.routes
import citizen_api.publicity.routes
import citizen_api.ratings.routes
import citizen_api.search.routes
import citizen_api.staffing.routes
import citizen_api.uploads.routes
import citizen_api.users.routes
import citizen_api.visits.routes
import citizen_api.workdays.routes
import notifications.routes
from bots import lifecycle as bots_lifecycle
from bots.followers import fill_missing_unionids
from bots.store import purge_expired
from citizen_api import health
from citizen_api.appointments import lifecycle as appointments_lifecycle
from citizen_api.appointments import seed as appointments_seed
from citizen_api.appointments.lottery_draw import run_lottery_draws
from citizen_api.appointments.reminders import run_reminders
from citizen_api.auth import lifecycle as auth_lifecycle
from citizen_api.auth import ports as auth_ports
from citizen_api.bundles import seed as bundles_seed
from citizen_api.bundles import service as bundles_service
from citizen_api.cases import bundle_port as case_bundle_port
from citizen_api.cases import hooks as case_hooks
from citizen_api.cases import service as cases_service
from citizen_api.cases.reminders import run_supplement_reminders
from citizen_api.cases.stats_rollup import run_compaction
from citizen_api.cases.step_warnings import run_step_warnings
from citizen_api.cases.supervision import run_warnings
from citizen_api.catalog import seed as catalog_seed
from citizen_api.complaints import ports as complaints_ports
from citizen_api.complaints.jobs import run_complaint_jobs
from citizen_api.delivery import lifecycle as delivery_lifecycle
from citizen_api.delivery.jobs import run_delivery_checks
from citizen_api.delivery.service import record_post
from citizen_api.http import API_PREFIX
from citizen_api.http.endpoint import Endpoint
from citizen_api.jobs import PeriodicJob
from citizen_api.licences import service as licences_service
from citizen_api.lockers import seed as lockers_seed
from citizen_api.lockers.jobs import run_locker_expiry
from citizen_api.lockers.service import record_locker
from citizen_api.performance.jobs import run_monthly_scores
from citizen_api.points import seed as points_seed
from citizen_api.points import service as points_service
from citizen_api.publicity import service as publicity_service
from citizen_api.ratings import ports as ratings_ports
from citizen_api.ratings.jobs import run_rating_jobs
from citizen_api.registry_models import MODEL_MODULES
from citizen_api.search import lifecycle as search_lifecycle
from citizen_api.staffing import seed as staffing_seed
from citizen_api.state import AppState
from citizen_api.uploads import lifecycle as uploads_lifecycle
from citizen_api.uploads.service import clean_orphans
from citizen_api.users import ports as users_ports
from citizen_api.workdays import lifecycle as workdays_lifecycle
from notifications import lifecycle as notifications_lifecycle

Lifespan = Callable[[AppState], AbstractAsyncContextManager[None]]
Seeder = Callable[[Any], Awaitable[str]]


@dataclass(frozen=True)
class Domain:
    name: str
    endpoints: Sequence[Endpoint] = ()
    root_endpoints: Sequence[Endpoint] = ()
    lifespan: Lifespan | None = None
    in_worker: bool = False
    seed: Seeder | None = None
    jobs: Sequence[PeriodicJob] = ()


def _notifications_lifespan(state: AppState) -> AbstractAsyncContextManager[None]:
    # the in-process dispatcher runs the registry's periodic jobs (defined below)
    return notifications_lifecycle.lifespan(state, PERIODIC_JOBS)


# In order: start-up hooks run in this order (and stop in reverse), seeders too.
DOMAINS: list[Domain] = [
    Domain("users", citizen_api.users.routes.ENDPOINTS),
    Domain("auth", citizen_api.auth.routes.ENDPOINTS, lifespan=auth_lifecycle.lifespan),
    Domain("audit", citizen_api.audit.routes.ENDPOINTS),
    # search before catalog only for the mount order: its /items/suggest precedes /items/{code}
    Domain("search", citizen_api.search.routes.ENDPOINTS, lifespan=search_lifecycle.lifespan),
    Domain("catalog", citizen_api.catalog.routes.ENDPOINTS, seed=catalog_seed.seed),
    Domain("workdays", citizen_api.workdays.routes.ENDPOINTS, lifespan=workdays_lifecycle.lifespan),
    Domain(
        "uploads",
        citizen_api.uploads.routes.ENDPOINTS,
        lifespan=uploads_lifecycle.lifespan,
        in_worker=True,
        jobs=[PeriodicJob("upload_orphans", 3600, clean_orphans)],
    ),
    # 代办授权: below cases and appointments, which ask it before filing or booking for another
    Domain("agents", citizen_api.agents.routes.ENDPOINTS),
    Domain(
        "cases",
        citizen_api.cases.routes.ENDPOINTS,
        jobs=[
            PeriodicJob("supervision_warnings", 300, run_warnings),  # 电子监察
            PeriodicJob("supplement_reminders", 900, run_supplement_reminders),  # 补正
            PeriodicJob("case_stats_compact", 60, run_compaction),  # the statistics' rollup
            PeriodicJob("step_warnings", 300, run_step_warnings),  # 电子监察 per step
        ],
    ),
    Domain(
        "appointments",
        citizen_api.appointments.routes.ENDPOINTS,
        lifespan=appointments_lifecycle.lifespan,  # the hall TVs' broker (one Redis subscription)
        seed=appointments_seed.seed,
        jobs=[
            PeriodicJob("appointment_reminders", 120, run_reminders),
            PeriodicJob("lottery_draws", 60, run_lottery_draws),  # 摇号: each due day drawn once
        ],
    ),
    Domain(
        "delivery",
        citizen_api.delivery.routes.ENDPOINTS,
        lifespan=delivery_lifecycle.lifespan,
        in_worker=True,
        jobs=[PeriodicJob("delivery_checks", 1800, run_delivery_checks)],
    ),
    Domain(
        "lockers",  # 24-hour self-service pickup (自助取件)
        citizen_api.lockers.routes.ENDPOINTS,
        seed=lockers_seed.seed,
        jobs=[PeriodicJob("locker_expiry", 600, run_locker_expiry)],
    ),
    Domain("visits", citizen_api.visits.routes.ENDPOINTS),  # 上门服务 (issue 18)
    # AB角 (issue 18): above users, cases and appointments (hand-over of cases, the desk cover)
    Domain("staffing", citizen_api.staffing.routes.ENDPOINTS, seed=staffing_seed.seed),
    # 三级便民服务 (issue 18): the office hierarchy, village points' 代办员, results sent to a point
    Domain("points", citizen_api.points.routes.ENDPOINTS, seed=points_seed.seed),
    Domain("publicity", citizen_api.publicity.routes.ENDPOINTS),  # 许可公示 (above licences and cases)
    Domain(
        "ratings",
        citizen_api.ratings.routes.ENDPOINTS,
        jobs=[PeriodicJob("rating_jobs", 3600, run_rating_jobs)],
    ),
    Domain(
        "complaints",
        citizen_api.complaints.routes.ENDPOINTS,
        jobs=[PeriodicJob("complaint_overdue", 3600, run_complaint_jobs)],
    ),
    # 电子证照 (issue 17): above cases, joined to its workflow by the hooks below
    Domain("licences", citizen_api.licences.routes.ENDPOINTS),
    # 一件事一次办: bundles of items filed at once, each item a case of its own department (above cases)
    Domain("bundles", citizen_api.bundles.routes.ENDPOINTS, seed=bundles_seed.seed),
    # the supervision lists and statistics as .xlsx (reads cases, ratings, complaints through their services)
    Domain("exports", citizen_api.exports.routes.ENDPOINTS),
    # 效能考评 (issue 18): monthly scores from cases, ratings, complaints, desks (above them all)
    Domain(
        "performance",
        citizen_api.performance.routes.ENDPOINTS,
        jobs=[PeriodicJob("performance_monthly", 3600, run_monthly_scores)],  # last month, once it is over
    ),
    Domain("notifications", notifications.routes.ENDPOINTS, lifespan=_notifications_lifespan),
    Domain(
        "bots",
        root_endpoints=bots.routes.ROOT_ENDPOINTS,
        lifespan=bots_lifecycle.lifespan,
        jobs=[
            PeriodicJob("bot_housekeeping", 600, purge_expired),
            PeriodicJob("follower_unionids", 600, fill_missing_unionids),
        ],
    ),
]

PERIODIC_JOBS: list[PeriodicJob] = [job for d in DOMAINS for job in d.jobs]
LIFESPANS: list[Lifespan] = [d.lifespan for d in DOMAINS if d.lifespan is not None]
# what the worker's jobs need of those start-ups (clients; no dispatcher, no search index)
WORKER_LIFESPANS: list[Lifespan] = [d.lifespan for d in DOMAINS if d.lifespan is not None and d.in_worker]
SEEDERS: list[Seeder] = [d.seed for d in DOMAINS if d.seed is not None]
# (prefix, endpoint): probes and callbacks at the root, the API under /api/v1
MOUNTED_ENDPOINTS: list[tuple[str, Endpoint]] = [
    *(("", ep) for ep in health.ENDPOINTS),
    *(("", ep) for d in DOMAINS for ep in d.root_endpoints),
    *((API_PREFIX, ep) for d in DOMAINS for ep in d.endpoints),
]

__all__ = ["DOMAINS", "LIFESPANS", "MODEL_MODULES", "MOUNTED_ENDPOINTS", "PERIODIC_JOBS", "SEEDERS"]

# Cross-domain hooks, wired here rather than by importing a module for its side effect.
case_hooks.on_deliver(record_post)  # staff /deliver {channel: post} records the shipment (delivery)
case_hooks.on_deliver(record_locker)  # staff /deliver {channel: locker} opens a compartment (lockers)
# 电子证照 and 表单预填 (issue 17): issued on approval, used with consent, the form kept as sent
case_hooks.on_approve(licences_service.issue_licence)
case_hooks.on_submit_check(licences_service.check_submission)
case_hooks.on_submitted(licences_service.after_filing)
case_hooks.on_material_sources(licences_service.materials_shown_to_staff)
# 许可公示 (issue 18): after the licence is issued, so that its number is the decision's
case_hooks.on_approve(publicity_service.publish_approval)
case_hooks.on_reject(publicity_service.publish_rejection)
# ratings and complaints sit below cases: they read what they need of a case through these ports
ratings_ports.bind(cases_service.rating_port())
complaints_ports.bind(cases_service.complaint_port())
# bundles sit above cases and ratings: the /applications paths and the rating reach a bundle through these
case_bundle_port.bind(bundles_service.cases_port())
ratings_ports.bind_bundle_rater(bundles_service.rate_bundle)
# 三级便民服务 (issue 18): results sent to a village point, the consent shown to staff, agents' points
case_hooks.on_deliver(points_service.record_point)  # staff /deliver {channel: point}
case_hooks.on_point_consent(points_service.consent_of)
auth_ports.bind_village_point_check(points_service.is_village_point)
users_ports.bind_office_names(points_service.office_names)  # the staff directory names an agent's point

_names = [job.name for job in PERIODIC_JOBS]
if len(set(_names)) != len(_names):
    raise RuntimeError(f"two periodic jobs share a name: {_names}")
