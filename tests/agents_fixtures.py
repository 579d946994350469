"""Test helpers for 代办授权: citizens with a real-name profile set through PUT /me/profile (so the
agent is recognised exactly as in production), authorisations given over the API.

Tokens are minted directly with a long lifetime (``appointments_plugin``): these tests move the
service clock past an authorisation's last day.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

import httpx

from citizen_api.security.identity import id_check_char
from citizen_api.users.models import User
from tests.appointments_fixtures import bearer

AUTHORISATIONS = "/api/v1/me/authorisations"
_serial = itertools.count(1)


def id_number(birth: str = "19900307") -> str:
    """A fresh GB 11643 ID number (a real check character) with the given birth date."""
    base = f"110105{birth}{next(_serial) % 1000:03d}"
    return base + id_check_char(base)


@dataclass
class Person:
    user_id: int
    headers: dict[str, str]
    name: str
    id_number: str
    phone: str
    uploads: list = field(default_factory=list)  # cases_fixtures.full_materials keeps them here


async def person(client: httpx.AsyncClient, settings, name: str, *, phone: str = "13812345678") -> Person:
    """A citizen account (no WeChat round trip) whose real-name profile is set over the API."""
    user = await User.create(role="citizen", openid=f"openid-agents-{next(_serial)}")
    headers = bearer(settings, user.id)
    number = id_number()
    resp = await client.put(
        "/api/v1/me/profile", json={"name": name, "id_number": number, "phone": phone}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    return Person(user.id, headers, name, number, phone)


async def authorise(
    client: httpx.AsyncClient,
    principal: Person,
    agent: Person,
    *,
    items: list[str] | None = None,
    until: date,
    name: str | None = None,
) -> dict:
    resp = await client.post(
        AUTHORISATIONS,
        json={
            "name": name or agent.name,
            "id_number": agent.id_number,
            "phone": agent.phone,
            "items": items,
            "until": until.isoformat(),
        },
        headers=principal.headers,
    )
    assert resp.status_code == 201, resp.text
    return resp.json()
