"""What complaints need of the cases domain, handed in by the composition root (``citizen_api.domains``).

Complaints sit below cases: a case offers ``complain`` while no complaint about it is open (cases
calls ``complaints.service``), so complaints never import cases. The citizen's own case and case
numbers come through this port, bound once at import of the registry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol


class ComplainedCase(Protocol):
    id: int
    number: str
    department_code: str


@dataclass(frozen=True)
class CasesPort:
    # the citizen's own case (None: unknown, or another citizen's)
    own_case: Callable[[int, int], Awaitable[ComplainedCase | None]]
    # case id → number
    numbers: Callable[[list[int]], Awaitable[dict[int, str]]]


_bound: list[CasesPort] = []


def bind(port: CasesPort) -> None:
    """Called by ``citizen_api.domains`` (the registry); a second binding replaces the first."""
    _bound[:] = [port]


def cases() -> CasesPort:
    if not _bound:
        raise RuntimeError("complaints: the cases port is not bound (citizen_api.domains binds it at import)")
    return _bound[0]
