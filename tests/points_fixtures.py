"""Test data for 三级便民服务: a district centre, a town centre and two village points made and placed
through the admin API, a 代办员 of each point (created through the admin API), the department's clerk
and approver, real uploads over the API (the signature a PNG)."""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.security.principal import Principal
from citizen_api.security.tokens import issue_access_token
from tests import cases_fixtures as f
from tests import uploads_fixtures as files

STAFF = "/api/v1/staff"
OFFICES = [
    ("QZX", "城区政务服务中心", "district", None),
    ("HXZ", "河西镇便民服务中心", "town", "QZX"),
    ("DC", "东村便民服务点", "village", "HXZ"),
    ("XC", "西村便民服务点", "village", "HXZ"),
]
AGENT_PASSWORD = "Village#2026ok"
VILLAGER = {"name": "王秀英", "id_number": "11010519491231002X", "phone": "13700001111"}


@dataclass
class Points:
    admin: dict[str, str]
    supervisor: dict[str, str]
    window: dict[str, str]  # GA's clerk
    approver: dict[str, str]
    agent: dict[str, str]  # 东村's 代办员
    agent_id: int
    other_agent: dict[str, str]  # 西村's
    item: f.Item


async def make_office(client, admin: dict[str, str], code: str, name: str) -> None:
    resp = await client.post(f"{STAFF}/offices", json={"code": code, "name": name}, headers=admin)
    assert resp.status_code in (200, 201), resp.text


async def place(client, admin, code: str, level: str, parent: str | None):
    return await client.put(
        f"{STAFF}/offices/{code}/place", json={"level": level, "parent": parent}, headers=admin
    )


async def new_agent(client, admin, settings, username: str, point: str | None) -> tuple[int, dict[str, str]]:
    """A 代办员 created by the admin (POST /staff/users), with a bearer token of their own."""
    body = {"username": username, "password": AGENT_PASSWORD, "role": "village_agent",
            "display_name": f"{username}代办员", "office_code": point}  # fmt: skip
    resp = await client.post(f"{STAFF}/users", json=body, headers=admin)
    assert resp.status_code == 201, resp.text
    user_id = resp.json()["id"]
    token = issue_access_token(Principal(user_id, "village_agent"), settings)
    return user_id, {"Authorization": f"Bearer {token}"}


async def setup(client, settings) -> Points:
    admin = await f.staff(settings, "admin", "admin", None)
    for code, name, _, _ in OFFICES:
        await make_office(client, admin, code, name)
    for code, _, level, parent in OFFICES:
        placed = await place(client, admin, code, level, parent)
        assert placed.status_code == 200, placed.text
    agent_id, agent = await new_agent(client, admin, settings, "dongcun", "DC")
    _, other = await new_agent(client, admin, settings, "xicun", "XC")
    return Points(
        admin=admin,
        supervisor=await f.staff(settings, "supervisor", "supervisor", None),
        window=await f.staff(settings, "window-ga", "window", "GA"),
        approver=await f.staff(settings, "approver-ga", "approver", "GA"),
        agent=agent,
        agent_id=agent_id,
        other_agent=other,
        item=await f.published_item(),
    )


async def upload(
    client, headers: dict[str, str], name: str = "scan.png", content: bytes | None = None
) -> int:
    resp = await client.post(
        "/api/v1/uploads",
        files={"file": (name, content if content is not None else files.png(), "application/octet-stream")},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def scans(client, headers: dict[str, str], item: f.Item) -> dict[str, list[int]]:
    """One scan per required and tolerated material, uploaded by the agent."""
    wanted = [*item.by_necessity("required"), *item.by_necessity("tolerated")]
    return {str(m.id): [await upload(client, headers)] for m in wanted}


def filing(item: f.Item, materials: dict, signature: int | None, point: str = "DC", **extra) -> dict:
    return {"point": point, "item_code": item.code, "villager": VILLAGER, "materials": materials,
            "consent_signature": signature, **extra}  # fmt: skip
