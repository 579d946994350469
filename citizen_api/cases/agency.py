"""代办 and 帮办 on cases: who files a case, for whom, and who may see it.

- By oneself (``filed_by = self``): the caller is the applicant.
- As an agent (``agent``): ``on_behalf_of`` names an authorisation the agents domain checks
  (``agents.service.acting_for``); the case is the principal's — applicant, personal data, messages
  — and the agent (``actor_id``, their name as authorised) is kept beside it. The materials are the
  agent's uploads. The agent sees the case while the authorisation is in force (not after it is
  revoked or expired: then the principal alone does), read-only: supplementing, withdrawing and
  rating stay the principal's. The records keep who acted either way.
- At the hall (``staff_assisted``, 帮办): a window clerk files for a citizen found by ID number
  (``staff_filing.py``); the clerk is the actor.
- At a village point (``village_agent``, 村级代办): the point's 代办员 files for a villager present, the
  same way (``staff_filing.file_at_point``); the agent is the actor, the points domain keeps the consent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citizen_api.agents import service as agents
from citizen_api.agents.schemas import ActingGrant
from citizen_api.audit import service as audit
from citizen_api.cases.models import Application
from citizen_api.cases.repository import agency as repo
from citizen_api.cases.repository import cases as case_repo
from citizen_api.cases.schemas import CaseListQuery, CaseParty
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_id_number, mask_name, mask_phone
from citizen_api.security.principal import CITIZEN, Principal
from citizen_api.users import service as users

STAFF_NAME = "窗口工作人员"
POINT_AGENT_NAME = "村级代办员"


@dataclass(frozen=True)
class Filing:
    """Who a new case belongs to and who filed it."""

    applicant: Principal  # whose case it is
    uploads_owner: int  # whose uploads the materials must be: whoever filed it
    channel: str = "online"  # online (mini-program) | window (at the hall)
    columns: dict[str, Any] = field(default_factory=dict)  # filed_by, actor_id, … of the case row
    grant: ActingGrant | None = None


async def citizen_filing(principal: Principal, on_behalf_of: int | None, item_code: str, settings) -> Filing:
    """The citizen's own case, or (``on_behalf_of``) the principal's, checked by the agents domain."""
    grant = await agents.acting_for(principal, on_behalf_of, item_code, settings)
    if grant is None:
        return Filing(principal, principal.user_id)
    return Filing(
        Principal(grant.principal_id, CITIZEN),
        principal.user_id,
        columns={
            "filed_by": "agent",
            "actor_id": principal.user_id,
            "actor_name_enc": grant.agent_name_enc,
            "authorisation_id": grant.authorisation_id,
        },
        grant=grant,
    )


async def staff_filing(
    clerk: Principal, citizen_id: int, settings, filed_by: str = "staff_assisted"
) -> Filing:
    """帮办 at the window, or (``filed_by="village_agent"``) 代办 at a village point: the staff member
    files for the person present, in person (channel ``window``: not online)."""
    account = await users.staff_account(clerk.user_id)
    name = account.display_name if account is not None else None
    return Filing(
        Principal(citizen_id, CITIZEN),
        clerk.user_id,
        channel="window",
        columns={
            "filed_by": filed_by,
            "actor_id": clerk.user_id,
            "actor_name_enc": cipher_for(settings).encrypt(name) if name else None,
        },
    )


async def after_filing(
    filing: Filing, actor: Principal, case: Application, settings, request_id: str
) -> None:
    """The act on someone's behalf: audited, and an agent's told to the principal (WeChat)."""
    if filing.grant is not None:
        payload = {"number": case.number, "item_name": case.item_name, "status": case.status}
        await agents.record_act(
            filing.grant,
            actor,
            "case.submit",
            "application",
            case.id,
            "agent.filed",
            payload,
            settings,
            request_id,
        )
    elif filing.columns.get("filed_by") in ("staff_assisted", "village_agent"):
        details = {"number": case.number, "citizen_id": filing.applicant.user_id}
        action = f"case.{filing.columns['filed_by']}"  # case.staff_assisted | case.village_agent
        await audit.record(actor, action, "application", case.id, details, request_id=request_id)


# -- who sees a case


async def my_cases(
    principal: Principal,
    query: CaseListQuery,
    settings,
    *,
    window: tuple[int, int] | None = None,
    standalone: bool = False,
) -> tuple[int, list[Application]]:
    """My cases and, while their authorisations are in force, those I filed as an agent; ``window``
    (offset, limit) instead of the query's page; ``standalone``: without bundle children."""
    offset, limit = window or (query.offset, query.size)
    ids = await agents.live_authorisation_ids(principal, settings)
    if not ids:
        return await case_repo.citizen_cases(
            principal.user_id, query.status, offset, limit, standalone=standalone
        )
    return await repo.citizen_and_agent_cases(
        principal.user_id, ids, query.status, offset, limit, standalone=standalone
    )


async def visible_case(principal: Principal, case_id: int, settings) -> Application | None:
    """My own case, or one I filed as an agent under an authorisation in force; None otherwise."""
    case = await case_repo.case_of_citizen(case_id, principal.user_id)
    if case is not None:
        return case
    ids = await agents.live_authorisation_ids(principal, settings)
    return await repo.case_filed_as_agent(case_id, principal.user_id, ids) if ids else None


def applicant_of(case: Application, settings) -> CaseParty:
    """The applicant as filed, masked (the citizen's detail; the staff detail has its own)."""
    cipher = cipher_for(settings)
    return CaseParty(
        kind="applicant",
        name=mask_name(cipher.decrypt(case.applicant_name_enc)),
        id_number=mask_id_number(cipher.decrypt(case.applicant_id_number_enc)),
        phone=mask_phone(cipher.decrypt(case.applicant_phone_enc)),
    )


def actor_of(case: Application, settings) -> CaseParty | None:
    """Who filed the case for the applicant, masked; None when they filed it themselves."""
    cipher = cipher_for(settings)
    if case.filed_by == "agent":
        return CaseParty(kind="agent", name=mask_name(cipher.decrypt(case.actor_name_enc)))
    if case.filed_by == "staff_assisted":
        return CaseParty(kind="staff", name=cipher.decrypt(case.actor_name_enc) or STAFF_NAME)
    if case.filed_by == "village_agent":
        return CaseParty(kind="village_agent", name=cipher.decrypt(case.actor_name_enc) or POINT_AGENT_NAME)
    return None


def filed_for_applicant(case: Application, actor_id: int | None) -> bool:
    """A timeline entry of a citizen other than the applicant: the agent who filed it."""
    return case.filed_by == "agent" and actor_id is not None and actor_id != case.applicant_id
