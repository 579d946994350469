"""Every query of 许可公示."""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError

from citizen_api.publicity.models import PublishedDecision


async def publish(**values: Any) -> bool:
    """One row per case: a decision published twice (a retried job) is kept once."""
    try:
        await PublishedDecision.create(**values)
    except IntegrityError:
        return False
    return True


async def page(q: str, offset: int, size: int) -> tuple[int, list[PublishedDecision]]:
    query = PublishedDecision.all()
    for word in q.lower().split():
        query = query.filter(search_text__contains=word)
    total = await query.count()
    rows = await query.order_by("-decided_on", "-id").offset(offset).limit(size)
    return total, rows
