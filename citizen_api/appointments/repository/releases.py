"""Release rules (放号): when a window group's places for a day open, per group or per item."""

from __future__ import annotations

from citizen_api.appointments.models import ReleaseRule


async def all_rules() -> list[ReleaseRule]:
    """Every rule with its item's code (a few rows per group: loaded whole and cached)."""
    return await ReleaseRule.all().select_related("item").order_by("group_id", "id")


async def rules_of_group(group_id: int) -> list[ReleaseRule]:
    return await ReleaseRule.filter(group_id=group_id).select_related("item").order_by("id")


async def put_rule(group_id: int, item_id: int | None, days_before: int, at: str) -> ReleaseRule:
    """Create or replace the group's rule (for ``item_id``, or the group's own when None)."""
    found = await ReleaseRule.filter(group_id=group_id, item_id=item_id).first()
    if found is None:
        return await ReleaseRule.create(group_id=group_id, item_id=item_id, days_before=days_before, at=at)
    found.days_before, found.at = days_before, at
    await found.save(update_fields=["days_before", "at", "updated_at"])
    return found


async def delete_rule(group_id: int, item_id: int | None) -> int:
    return await ReleaseRule.filter(group_id=group_id, item_id=item_id).delete()
