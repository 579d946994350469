"""The queries of 代办: the cases a citizen sees as applicant, and those they filed as an agent
under authorisations still in force."""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.expressions import Q

from citizen_api.cases.models import Application


def _as_agent(user_id: int, authorisation_ids: Iterable[int]) -> Q:
    return Q(filed_by="agent", actor_id=user_id, authorisation_id__in=list(authorisation_ids))


async def citizen_and_agent_cases(
    user_id: int,
    authorisation_ids: list[int],
    status: str | None,
    offset: int,
    limit: int,
    *,
    standalone: bool = False,
) -> tuple[int, list[Application]]:
    """My cases, and the cases I filed for others under ``authorisation_ids`` (newest first);
    ``standalone``: without bundle children (listed in their bundle)."""
    query = Application.filter(Q(applicant_id=user_id) | _as_agent(user_id, authorisation_ids))
    if standalone:
        query = query.filter(bundle_id__isnull=True)
    if status:
        query = query.filter(status=status)
    total = await query.count()
    return total, await query.order_by("-submitted_at", "-id").offset(offset).limit(limit)


async def case_filed_as_agent(case_id: int, user_id: int, authorisation_ids: list[int]) -> Application | None:
    return await Application.filter(_as_agent(user_id, authorisation_ids), id=case_id).first()
