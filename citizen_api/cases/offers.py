"""What the citizen may do with a case now: the ``actions`` of the citizen's list and detail.

Each action is offered exactly when the endpoint that performs it would accept it (the rules are
read from the code that enforces them, never restated differently):

- ``supplement``, ``withdraw``: the citizen's transitions of the table (``transitions.py``), plus
  补交 of owed 容缺 materials without a status change (``citizen.supplement``);
- ``rate`` (``POST /applications/{id}/rating``, ``ratings.service.rate_case``): the case has its
  result (:func:`done_at`, handed to ratings through its port), is not rated yet (the automatic
  基本满意 counts), and the rating period has not run out;
- ``set_delivery`` (``PUT /applications/{id}/delivery``, ``delivery.service.put_address``): the
  item offers free post, the case is not closed, and the result has not been mailed;
- ``complain`` (``POST /complaints``, ``complaints.service.file``): any case of the citizen's own
  without a complaint still waiting for its answer (409 COMPLAINT_OPEN otherwise).

The facts a page needs (ratings, open complaints, the items' delivery flag, mailed results) are asked
once per page, not per case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from citizen_api import clock
from citizen_api.cases.models import Application
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.transitions import (
    CITIZEN,
    CITIZEN_ACTIONS,
    FINISHED,
    HAS_RESULT,
    OPEN,
    allowed_from,
    sources_of,
)
from citizen_api.catalog import service as catalog
from citizen_api.complaints import service as complaints
from citizen_api.ratings import service as ratings

# the citizen may add owed materials without a status change while the case is open (补正 itself, from
# ``supplement_required``, is the table's transition)
SUPPLEMENT_WITHOUT_TRANSITION = tuple(s for s in OPEN if s not in sources_of("supplement"))


def done_at(case: Application) -> datetime | None:
    """When the case's result came (the rated service's time); None while it has none."""
    if case.status not in HAS_RESULT:
        return None
    return case.decided_at or case.finished_at or case.submitted_at


@dataclass
class Facts:
    rated: set[int] = field(default_factory=set)  # case ids with a rating
    deliverable: set[int] = field(default_factory=set)  # item ids that offer free post
    mailed: set[int] = field(default_factory=set)  # case ids whose result was handed to the courier
    complained: set[int] = field(default_factory=set)  # case ids with an unanswered complaint


async def facts_for(cases: Sequence[Application]) -> Facts:
    ids = [case.id for case in cases]
    return Facts(
        rated=await ratings.rated_cases(ids),
        deliverable=await catalog.deliverable_items(sorted({case.item_id for case in cases})),
        mailed=await repo.mailed_cases(ids),
        complained=await complaints.open_complaint_cases(ids),
    )


def may_rate(case: Application, facts: Facts, settings, now: datetime) -> bool:
    done = done_at(case)
    return done is not None and case.id not in facts.rated and now <= ratings.rating_closes(done, settings)


def may_set_delivery(case: Application, facts: Facts) -> bool:
    return case.item_id in facts.deliverable and case.status not in FINISHED and case.id not in facts.mailed


def citizen_actions(case: Application, facts: Facts, settings, now: datetime | None = None) -> list[str]:
    now = now or clock.now()
    offered = set(allowed_from(case.status, CITIZEN))
    if case.missing and case.status in SUPPLEMENT_WITHOUT_TRANSITION:
        offered.add("supplement")
    if may_rate(case, facts, settings, now):
        offered.add("rate")
    if may_set_delivery(case, facts):
        offered.add("set_delivery")
    if case.id not in facts.complained:
        offered.add("complain")
    return [action for action in CITIZEN_ACTIONS if action in offered]
