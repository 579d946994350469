"""One-time subscribe-message grants: recorded when the mini-program reports them, spent one per
message by a conditional UPDATE (``available > 0``), so concurrent senders never share a grant."""

from __future__ import annotations

from notifications import repository as repo


async def record(user_id: int, template_id: str, cap: int) -> int:
    """One more grant for ``template_id`` (at most ``cap`` kept); returns how many are available."""
    await repo.add_grant(user_id, template_id, cap)
    return await available(user_id, template_id)


async def available(user_id: int, template_id: str) -> int:
    return await repo.grants_available(user_id, template_id)


async def available_by_template(user_id: int) -> dict[str, int]:
    return await repo.grants_by_template(user_id)


async def spend(user_id: int, template_id: str) -> bool:
    """Take one grant; False when none is left."""
    return await repo.spend_grant(user_id, template_id)


async def refund(user_id: int, template_id: str) -> None:
    """Give back a grant whose message WeChat never accepted (it is still valid on WeChat's side)."""
    await repo.refund_grant(user_id, template_id)
