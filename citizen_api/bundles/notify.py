"""The bundle's messages: one per step that matters — filed, every child accepted, a supplement asked
for (by whichever department), all done — instead of one per child (the notification rules hold the
children's own ``case.*`` messages back: ``notifications.rules``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citizen_api.bundles.models import BundleApplication
from citizen_api.cases.service import STATUS_TEXT
from notifications import outbox


def _deadline(children: Sequence[Any]) -> str | None:
    days = [c.deadline for c in children if c.deadline is not None]
    return max(days).isoformat() if days else None


async def tell(
    application: BundleApplication,
    event: str,
    note: str,
    children: Sequence[Any],
    *,
    once: bool = False,
) -> None:
    """``once``: at most one such message per bundle application (a step reached again stays quiet)."""
    await outbox.enqueue(
        application.applicant_id,
        event,
        {
            "number": application.number,
            "item_name": application.bundle_name,
            "status": application.status,
            "status_text": STATUS_TEXT.get(application.status, application.status),
            "note": note,
            "deadline": _deadline(children),
            "children": len(children),
        },
        audience="citizen",
        dedupe_key=f"bundle:{application.application_id}:{event}" if once else None,
    )
