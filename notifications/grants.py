"""One-time subscribe-message grants: recorded when the mini-program reports them, spent one per
message by a conditional UPDATE (``available > 0``), so concurrent senders never share a grant."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from citizen_api import db
from notifications.models import SubscribeGrant


async def record(user_id: int, template_id: str, cap: int) -> int:
    """One more grant for ``template_id`` (at most ``cap`` kept); returns how many are available."""
    updated = await SubscribeGrant.filter(user_id=user_id, template_id=template_id, available__lt=cap).update(
        available=F("available") + 1, accepted_total=F("accepted_total") + 1
    )
    if not updated:
        try:
            # a savepoint, so a lost race does not abort the request's PostgreSQL transaction
            async with db.atomic():
                await SubscribeGrant.create(
                    user_id=user_id, template_id=template_id, available=1, accepted_total=1
                )
        except IntegrityError:
            # the row exists (at the cap, or created just now by a concurrent report)
            await SubscribeGrant.filter(user_id=user_id, template_id=template_id, available__lt=cap).update(
                available=F("available") + 1, accepted_total=F("accepted_total") + 1
            )
    return await available(user_id, template_id)


async def available(user_id: int, template_id: str) -> int:
    grant = await SubscribeGrant.get_or_none(user_id=user_id, template_id=template_id)
    return grant.available if grant else 0


async def available_by_template(user_id: int) -> dict[str, int]:
    rows = await SubscribeGrant.filter(user_id=user_id).values("template_id", "available")
    return {row["template_id"]: row["available"] for row in rows}


async def spend(user_id: int, template_id: str) -> bool:
    """Take one grant; False when none is left."""
    taken = await SubscribeGrant.filter(user_id=user_id, template_id=template_id, available__gt=0).update(
        available=F("available") - 1
    )
    return taken == 1


async def refund(user_id: int, template_id: str) -> None:
    """Give back a grant whose message WeChat never accepted (it is still valid on WeChat's side)."""
    await SubscribeGrant.filter(user_id=user_id, template_id=template_id).update(available=F("available") + 1)
