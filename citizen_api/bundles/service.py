"""The bundles domain's public API: what the composition root binds into the cases' and ratings'
ports (``cases.bundle_port``, ``ratings.ports.bind_bundle_rater``), and the figures for the statistics.

一件事一次办 sits above cases: each item of a filed bundle is a case of its own department, filed,
moved and counted like any other (电子监察 and the statistics count the children already).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from citizen_api import clock
from citizen_api.bundles import filing, progress, rating
from citizen_api.bundles import repository as repo
from citizen_api.bundles.schemas import BundleStats
from citizen_api.cases.bundle_port import BundlesPort
from citizen_api.http.schemas import PeriodQuery

rate_bundle = rating.rate  # (principal, id, RatingIn, settings) → RatingView | None


def cases_port() -> BundlesPort:
    return BundlesPort(
        submit=filing.submit,
        detail=progress.detail,
        summaries=progress.summaries,
        supplement=progress.supplement,
        withdraw=progress.withdraw,
        child_changed=progress.child_changed,
    )


async def statistics(query: PeriodQuery) -> BundleStats:
    """Bundle applications filed in the period (China-time days, both ends included)."""
    start, end = query.period(clock.today())
    lo = datetime(start.year, start.month, start.day, tzinfo=clock.CST)
    hi = datetime(end.year, end.month, end.day, tzinfo=clock.CST) + timedelta(days=1)
    # in UTC, as times are stored: SQLite compares them as text
    filed, done = await repo.application_counts(lo.astimezone(UTC), hi.astimezone(UTC))
    return BundleStats(filed=filed, done=done, published=await repo.bundle_count())
