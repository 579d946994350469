"""Whose point: a 代办员 works for one village point (their account's office code) and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api.errors import ApiError
from citizen_api.points import hierarchy
from citizen_api.points.schemas import MyPoint
from citizen_api.security.principal import VILLAGE_AGENT, Principal
from citizen_api.users import service as users


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    town_code: str | None


def _outside(point: str | None = None) -> ApiError:
    return ApiError(
        403, "POINT_SCOPE", "只能办理本村（社区）便民服务点的业务", {"point": point} if point else {}
    )


async def point_of(principal: Principal) -> Point:
    """The caller's own village point (403 POINT_SCOPE when the account has none any more)."""
    code = await users.point_of_agent(principal.user_id) if principal.role == VILLAGE_AGENT else None
    found = await hierarchy.village_point(code) if code else None
    if found is None:
        raise _outside()
    return Point(*found)


async def my_point(principal: Principal) -> MyPoint:
    """The caller's point with its town, as the agent's desk shows it."""
    point = await point_of(principal)
    town = await hierarchy.office_name(point.town_code) if point.town_code else None
    return MyPoint(code=point.code, name=point.name, town_code=point.town_code, town_name=town)


async def own_point(principal: Principal, asked: str) -> Point:
    """The point named in a request, which must be the caller's own (403 POINT_SCOPE otherwise)."""
    point = await point_of(principal)
    if asked != point.code:
        raise _outside(asked)
    return point
