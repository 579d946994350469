"""代办授权: the public API of the agents domain.

A principal (a citizen with a real-name profile) names an agent (name, ID number, phone) for some
items or all until a day; they may revoke it at any time. The agent is recognised when their own
account's real-name profile has the same ID number (its person key) and the same name. Cases and
appointments (above this domain) ask :func:`acting_for` before filing or booking for the principal,
then :func:`record_act`: the act is audited and the principal gets a WeChat message.

Expiry is by the clock: an active authorisation whose ``until`` day has passed is ``expired``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from citizen_api import clock
from citizen_api.agents import repository as repo
from citizen_api.agents.models import Authorisation
from citizen_api.agents.schemas import (
    ActingGrant,
    AgentPerson,
    AuthorisationIn,
    AuthorisationView,
    PrincipalView,
)
from citizen_api.agents.transitions import ACTIVE, REVOKED, sources_of
from citizen_api.audit import service as audit
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError, not_found
from citizen_api.http import Page, PageQuery
from citizen_api.http.validation import validation_error
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_id_number, mask_name, mask_phone
from citizen_api.security.principal import Principal
from citizen_api.users import service as users
from notifications import outbox

MAX_ACTIVE = 20  # authorisations in force per principal
_NOT_FOUND = "未找到该代办授权"


def _same_name(a: str | None, b: str | None) -> bool:
    def norm(name: str | None) -> str:
        return "".join((name or "").split()).casefold()

    return bool(a and b) and norm(a) == norm(b)


def standing(row: Authorisation, today: date | None = None) -> str:
    """``active``, ``revoked`` or ``expired`` (active, but its last day has passed)."""
    if row.status == REVOKED:
        return REVOKED
    return "expired" if row.until < (today or clock.today()) else ACTIVE


async def _real_name(principal: Principal, settings, message: str) -> dict[str, str]:
    """The caller's real-name profile in clear (409 PROFILE_INCOMPLETE without a complete one)."""
    me = await users.real_name_applicant(principal.user_id, settings, message)
    return {k: v for k, v in me.profile.items() if v}


# -- the principal's side ---------------------------------------------------------------------------


async def authorise(
    principal: Principal, body: AuthorisationIn, settings, request_id: str = ""
) -> AuthorisationView:
    me = await _real_name(
        principal, settings, "授权他人代办前，请先完善本人实名信息（姓名、身份证号、手机号）"
    )
    if body.id_number == me["id_number"]:
        raise validation_error({"body.id_number": "不能授权给本人"}, "不能授权给本人")
    if body.items is not None:
        known = {item.code for item in await catalog.items_by_codes(body.items)}
        unknown = [i for i, code in enumerate(body.items) if code not in known]
        if unknown:
            raise validation_error(
                {f"body.items.{i}": f"事项 {body.items[i]} 不存在" for i in unknown}, "授权的事项不存在"
            )
    today = clock.today()
    if await repo.active_count(principal.user_id, today) >= MAX_ACTIVE:
        raise ApiError(
            409,
            "TOO_MANY_AUTHORISATIONS",
            f"有效的代办授权最多 {MAX_ACTIVE} 个，请先撤销不再需要的授权",
            {"limit": MAX_ACTIVE},
        )
    cipher = cipher_for(settings)
    row = await repo.create(
        principal_id=principal.user_id,
        agent_name_enc=cipher.encrypt(body.name),
        agent_id_number_enc=cipher.encrypt(body.id_number),
        agent_phone_enc=cipher.encrypt(body.phone),
        agent_person_key=users.person_key_of_id_number(body.id_number, settings),
        items=body.items,
        until=body.until,
        status=ACTIVE,
        created_at=clock.now(),
    )
    await audit.record(
        principal,
        "agent.authorise",
        "authorisation",
        row.id,
        {
            "agent_id_number": mask_id_number(body.id_number),
            "items": body.items,
            "until": body.until.isoformat(),
        },
        request_id=request_id,
    )
    return _view(row, settings, today)


def _agent(row: Authorisation, settings) -> AgentPerson:
    cipher = cipher_for(settings)
    return AgentPerson(
        name=mask_name(cipher.decrypt(row.agent_name_enc)),
        id_number=mask_id_number(cipher.decrypt(row.agent_id_number_enc)),
        phone=mask_phone(cipher.decrypt(row.agent_phone_enc)),
    )


def _view(row: Authorisation, settings, today: date) -> AuthorisationView:
    return AuthorisationView(
        id=row.id,
        agent=_agent(row, settings),
        items=row.items,
        until=row.until,
        status=standing(row, today),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


async def given(principal: Principal, query: PageQuery, settings) -> Page[AuthorisationView]:
    total, rows = await repo.given_by(principal.user_id, query.offset, query.size)
    today = clock.today()
    return Page[AuthorisationView](total=total, items=[_view(row, settings, today) for row in rows])


async def revoke(
    principal: Principal, authorisation_id: int, settings, request_id: str = ""
) -> AuthorisationView:
    row = await repo.by_id(authorisation_id, lock=True)
    if row is None or row.principal_id != principal.user_id:
        raise not_found(_NOT_FOUND)
    now = clock.now()
    if not await repo.move(row.id, sources_of("revoke"), status=REVOKED, revoked_at=now):
        raise ApiError(409, "AUTHORISATION_REVOKED", "该授权已撤销")
    row.status, row.revoked_at = REVOKED, now
    await audit.record(principal, "agent.revoke", "authorisation", row.id, {}, request_id=request_id)
    return _view(row, settings, clock.today())


# -- the agent's side -------------------------------------------------------------------------------


async def _naming_me(principal: Principal, settings, *, in_force: bool) -> list[Authorisation]:
    """The authorisations that name the caller (same ID number and name); [] without a profile."""
    me = await users.applicant(principal.user_id, settings)
    if me is None or not all(me.profile.values()):
        return []
    key = users.person_key_of_id_number(me.profile["id_number"], settings)
    rows = await repo.naming(key, in_force_on=clock.today() if in_force else None)
    cipher = cipher_for(settings)
    return [
        row
        for row in rows
        if row.principal_id != principal.user_id
        and _same_name(cipher.decrypt(row.agent_name_enc), me.profile["name"])
    ]


async def principals(principal: Principal, query: PageQuery, settings) -> Page[PrincipalView]:
    """Those who authorised me (newest first), in force or not: the status says."""
    rows = await _naming_me(principal, settings, in_force=False)
    page = rows[query.offset : query.offset + query.size]
    contacts = await users.masked_contacts({row.principal_id for row in page}, settings)
    today = clock.today()
    return Page[PrincipalView](
        total=len(rows),
        items=[
            PrincipalView(
                id=row.id,
                principal=AgentPerson(
                    name=contacts.get(row.principal_id, (None, None))[0],
                    phone=contacts.get(row.principal_id, (None, None))[1],
                ),
                items=row.items,
                until=row.until,
                status=standing(row, today),
                created_at=row.created_at,
            )
            for row in page
        ],
    )


async def live_authorisation_ids(principal: Principal, settings) -> list[int]:
    """The authorisations in force today under which the caller acts (what they may still see)."""
    return [row.id for row in await _naming_me(principal, settings, in_force=True)]


def _refused(reason: str, message: str, **details: Any) -> ApiError:
    return ApiError(403, "AGENT_NOT_AUTHORISED", message, {"reason": reason, **details})


async def acting_for(
    actor: Principal, authorisation_id: int | None, item_code: str, settings
) -> ActingGrant | None:
    """May ``actor`` file or book ``item_code`` for the principal of ``authorisation_id``? None when
    they act for themselves (no id). The row is locked until commit: a revocation waits for the act,
    or the act sees the revocation. 404 for an authorisation that names someone else."""
    if authorisation_id is None:
        return None
    me = await _real_name(actor, settings, "代办前请先完善本人实名信息（姓名、身份证号、手机号）")
    row = await repo.by_id(authorisation_id, lock=True)
    if row is None:
        raise not_found(_NOT_FOUND)
    if row.principal_id == actor.user_id:
        raise _refused("not_agent", "这是您本人给出的授权，为自己办理无需代办")
    if row.agent_person_key != users.person_key_of_id_number(me["id_number"], settings):
        raise not_found(_NOT_FOUND)  # another person's authorisation: not even its existence shows
    agent_name = cipher_for(settings).decrypt(row.agent_name_enc)
    if not _same_name(agent_name, me["name"]):
        raise _refused("identity_mismatch", "您的实名姓名与授权的代办人不符，不能代办")
    state = standing(row)
    if state == REVOKED:
        raise _refused("revoked", "委托人已撤销该授权，不能继续代办")
    if state == "expired":
        raise _refused(
            "expired", f"该授权已于 {row.until.isoformat()} 到期，不能继续代办", until=row.until.isoformat()
        )
    if row.items is not None and item_code not in row.items:
        raise _refused("item_not_covered", "该授权不包括此事项，不能代办", item_code=item_code)
    return ActingGrant(row.id, row.principal_id, actor.user_id, row.agent_name_enc)


async def record_act(
    grant: ActingGrant,
    actor: Principal,
    act: str,
    object_type: str,
    object_id: int,
    event: str,
    payload: dict[str, Any],
    settings,
    request_id: str = "",
) -> None:
    """An act on the principal's behalf: audited on the object, and the principal told (WeChat)."""
    await audit.record(
        actor,
        "agent.act",
        object_type,
        object_id,
        {"act": act, "authorisation_id": grant.authorisation_id, "principal_id": grant.principal_id},
        request_id=request_id,
    )
    agent_name = mask_name(cipher_for(settings).decrypt(grant.agent_name_enc))
    await outbox.enqueue(grant.principal_id, event, {**payload, "agent_name": agent_name})
