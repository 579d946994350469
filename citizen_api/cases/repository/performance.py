"""The queries 效能考评 (citizen_api.performance) asks through ``cases.service.performance_facts``:
the cases decided in a period, whether each ever turned yellow or red, and the clerk who accepted it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from citizen_api.cases.models import Application, SupervisionWarning, TimelineEntry

_CHUNK = 500  # ids per IN (…): far below SQLite's and PostgreSQL's parameter limits
_FIELDS = ("id", "number", "item_name", "department_code", "decided_at", "on_time")


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


async def decided_between(statuses: Iterable[str], lo: datetime, hi: datetime) -> list[dict[str, Any]]:
    query = Application.filter(decided_at__gte=lo, decided_at__lt=hi, status__in=list(statuses))
    return list(await query.order_by("id").values(*_FIELDS))


async def cases_with_ids(ids: Iterable[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(set(ids))):
        rows.extend(await Application.filter(id__in=chunk).order_by("id").values(*_FIELDS))
    return rows


async def warned_ids(ids: Iterable[int], levels: Iterable[str]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(sorted(set(ids))):
        query = SupervisionWarning.filter(application_id__in=chunk, level__in=list(levels))
        found.update(await query.values_list("application_id", flat=True))
    return found


async def accepting_clerks(ids: Iterable[int]) -> dict[int, int]:
    """case id → the account of the first acceptance of the case (its timeline's submitted → accepted)."""
    clerks: dict[int, int] = {}
    for chunk in _chunks(sorted(set(ids))):
        rows = await (
            TimelineEntry.filter(application_id__in=chunk, from_status="submitted", to_status="accepted")
            .exclude(actor_id=None)
            .order_by("id")
            .values("application_id", "actor_id")
        )
        for row in rows:
            clerks.setdefault(row["application_id"], row["actor_id"])
    return clerks
