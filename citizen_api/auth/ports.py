"""What auth needs of the domains above it, handed in by the composition root (``citizen_api.domains``).

An admin creating a 代办员 (village_agent) account names the village service point they work for; the
points domain (三级便民服务) knows which offices are village points. It sits above auth (its routes
need staff logins), so the check comes through this port, bound once at import of the registry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

# office code → True when it is a placed village (村/社区) service point
VillagePointCheck = Callable[[str], Awaitable[bool]]

_bound: list[VillagePointCheck] = []


def bind_village_point_check(check: VillagePointCheck) -> None:
    """Called by ``citizen_api.domains``; a second binding replaces the first."""
    _bound[:] = [check]


async def is_village_point(office_code: str) -> bool:
    if not _bound:
        raise RuntimeError("auth: the village point check is not bound (citizen_api.domains binds it)")
    return await _bound[0](office_code)
