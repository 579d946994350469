"""Test data for 电子监察 per step: an item whose guide lists supervised steps, and staff with their ids."""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.catalog.models import ItemVersion
from tests import cases_fixtures as f

# 受理 1, 审查 3, 决定 1, 送达 1 working days (the item promises 10)
GUIDE_STEPS = [
    {"code": "accept", "name": "受理", "days": 1, "post": "受理岗"},
    {"code": "review", "name": "审查", "days": 3, "post": "审核岗"},
    {"code": "decide", "name": "决定", "days": 1, "post": "审批岗"},
    {"code": "deliver", "name": "送达", "days": 1, "post": "受理岗"},
]


@dataclass
class Member:
    id: int
    headers: dict[str, str]


async def member(settings, username: str, role: str, department: str | None = "GA") -> Member:
    """A staff account and a bearer token for it (as ``cases_fixtures.staff``, with the id)."""
    from citizen_api.security.principal import Principal
    from citizen_api.security.tokens import issue_access_token
    from citizen_api.users.repository import create_staff

    dept = department if role in ("window", "approver") else None
    user = await create_staff(username, "!unusable", role, dept)
    token = issue_access_token(Principal(user.id, role, dept), settings)
    return Member(user.id, {"Authorization": f"Bearer {token}"})


async def stepped_item(code: str = "GA-HJ-101", steps: list[dict] | None = None, **extra) -> f.Item:
    item = await f.published_item(code, promised_days=10, **extra)
    await ItemVersion.filter(id=item.version.id).update(
        guide={"steps": GUIDE_STEPS if steps is None else steps}
    )
    return item


async def hall(settings) -> dict[str, Member]:
    return {
        "window": await member(settings, "ga-window", "window"),
        "window2": await member(settings, "ga-window-2", "window"),
        "approver": await member(settings, "ga-approver", "approver"),
        "approver2": await member(settings, "ga-approver-2", "approver"),
        "rs": await member(settings, "rs-window", "window", "RS"),
        "supervisor": await member(settings, "boss", "supervisor"),
        "admin": await member(settings, "root", "admin"),
    }


def steps_url(case_id: int, tail: str = "") -> str:
    return f"/api/v1/staff/applications/{case_id}/steps{tail}"


async def steps(client, who: Member, case_id: int) -> dict:
    resp = await client.get(steps_url(case_id), headers=who.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


async def complete(client, who: Member, case_id: int, **body):
    return await client.post(steps_url(case_id, "/complete"), json=body, headers=who.headers)


async def give(client, who: Member, case_id: int, user_id: int, reason: str = ""):
    return await client.put(
        steps_url(case_id, "/current/holder"),
        json={"user_id": user_id, "reason": reason},
        headers=who.headers,
    )
