"""The citizen's list with bundle applications: each bundle once, its children inside it, not beside it.

A citizen who filed 出生一件事 thinks of one application, not four; the children stay reachable
through the bundle's entry (``children``) and their own ``/applications/{id}``. The list is one order
(newest first by submission) over two tables: the citizen's standalone cases (paged by the database)
and their bundles (few per citizen, all read). For a page [o, o + s) it reads the cases from
o - |bundles| on: a case's position in the merged order is its index among cases plus the number of
bundles newer than it, so every position of the page is known exactly.
"""

from __future__ import annotations

from typing import Any

from citizen_api.cases import agency, views
from citizen_api.cases.bundle_port import BundlesPort
from citizen_api.cases.schemas import CaseListQuery
from citizen_api.http import Page
from citizen_api.security.principal import Principal


def _key(entry: Any) -> tuple:
    return (entry.submitted_at, entry.id)


async def my_applications(principal: Principal, query: CaseListQuery, settings, port: BundlesPort) -> Page:
    bundles = await port.summaries(principal, query.status, settings)
    offset, size = query.offset, query.size
    start = max(0, offset - len(bundles))
    total, cases = await agency.my_cases(  # with those I filed as an agent (代办)
        principal, query, settings, window=(start, size + len(bundles)), standalone=True
    )
    if start and cases:
        # the bundles newer than the first case read all lie before it, on earlier pages
        newest = _key(cases[0])
        before = sum(1 for b in bundles if _key(b) > newest)
        tail = [b for b in bundles if _key(b) <= newest]
        first_position = start + before
    elif start:  # past the last case (offset >= every case + every bundle): an empty page
        tail, first_position = [], offset
    else:
        tail, first_position = bundles, 0
    summaries = await views.summaries(cases, settings)
    for case, summary in zip(cases, summaries, strict=True):
        if case.applicant_id != principal.user_id:
            summary.actions = []  # the agent reads; the applicant acts
    merged = sorted([*summaries, *tail], key=_key, reverse=True)
    page = merged[offset - first_position : offset - first_position + size]
    return Page(total=total + len(bundles), items=page)
