"""What ratings needs of the cases domain, handed in by the composition root (``citizen_api.domains``).

Ratings sits below cases: a case's detail shows its rating and offers ``rate`` (cases calls
``ratings.service``), so ratings never imports cases. The few case facts it needs — the citizen's own
case, case numbers, the rating's entry in the case timeline, the cases waiting for an automatic rating,
the cases done in a period — come through this port, bound once at import of the registry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class RatedCase(Protocol):
    """A case as ratings sees it."""

    id: int
    number: str
    status: str
    applicant_id: int
    department_code: str
    # when its result came (decided); None while the case is not done (not rateable yet)
    done_at: datetime | None


@dataclass(frozen=True)
class CasesPort:
    # the citizen's own case (None: unknown, or another citizen's)
    own_case: Callable[[int, int], Awaitable[RatedCase | None]]
    # case id → number
    numbers: Callable[[list[int]], Awaitable[dict[int, str]]]
    # (case id, note, actor id, actor role): the rating's entry in the case's timeline
    add_rating_entry: Callable[[int, str, int | None, str], Awaitable[None]]
    # (done before, limit): done cases never rated, oldest first (the automatic 基本满意)
    unrated_done: Callable[[datetime, int], Awaitable[list[RatedCase]]]
    # (from, to, department or None): cases done in [from, to), by department
    done_counts: Callable[[datetime, datetime, str | None], Awaitable[dict[str, int]]]


_bound: list[CasesPort] = []


def bind(port: CasesPort) -> None:
    """Called by ``citizen_api.domains`` (the registry); a second binding replaces the first."""
    _bound[:] = [port]


def cases() -> CasesPort:
    if not _bound:
        raise RuntimeError("ratings: the cases port is not bound (citizen_api.domains binds it at import)")
    return _bound[0]


# 一件事一次办 (citizen_api.bundles, above cases): ``POST /applications/{bundle id}/rating`` rates the
# bundle once, which rates each of its children (every child's rating exists exactly once, by the
# rules of :func:`ratings.service.rate_case`). (principal, id, RatingIn, settings) → RatingView, or None
# when the id is no bundle of this citizen.
BundleRater = Callable[[Any, int, Any, Any], Awaitable[Any | None]]

_bundle_rater: list[BundleRater] = []


def bind_bundle_rater(rater: BundleRater) -> None:
    _bundle_rater[:] = [rater]


def bundle_rater() -> BundleRater | None:
    return _bundle_rater[0] if _bundle_rater else None
