"""What users needs of the domains above it, handed in by the composition root (``citizen_api.domains``).

The staff directory names a 代办员's village point (三级便民服务): the office names are the halls'
(appointments), a domain above users, so they come through this port, bound once at import of the
registry. Unbound (a unit of users alone), the directory shows the point's code only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

OfficeNames = Callable[[], Awaitable[dict[str, str]]]  # () → office code → name

_bound: list[OfficeNames] = []


def bind_office_names(names: OfficeNames) -> None:
    """Called by ``citizen_api.domains``; a second binding replaces the first."""
    _bound[:] = [names]


async def office_names() -> dict[str, str]:
    return await _bound[0]() if _bound else {}
