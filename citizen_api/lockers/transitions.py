"""A deposit's lifecycle, in one table: deposited → picked_up (the citizen's code at the locker) or
expired (not collected in time: the periodic job) → retrieved (staff took it back to the window).

``repository.move`` changes a status only from a source listed here (one conditional UPDATE), so a
pickup racing the expiry job, or two pickups with the same code, change it once.
"""

from __future__ import annotations

from dataclasses import dataclass

DEPOSITED, PICKED_UP, EXPIRED, RETRIEVED = "deposited", "picked_up", "expired", "retrieved"


@dataclass(frozen=True)
class DepositLifecycle:
    statuses: tuple[str, ...]  # the first is where every deposit starts
    text: dict[str, str]
    transitions: dict[tuple[str, str], str]  # (from, action) → to

    def sources(self, action: str) -> tuple[str, ...]:
        return tuple(source for source, name in self.transitions if name == action)

    def target(self, action: str) -> str:
        return next(to for (_, name), to in self.transitions.items() if name == action)


DEPOSITS = DepositLifecycle(
    statuses=(DEPOSITED, PICKED_UP, EXPIRED, RETRIEVED),
    text={DEPOSITED: "待取件", PICKED_UP: "已取件", EXPIRED: "逾期未取", RETRIEVED: "已取回窗口"},
    transitions={
        (DEPOSITED, "pick_up"): PICKED_UP,
        (DEPOSITED, "expire"): EXPIRED,
        (EXPIRED, "retrieve"): RETRIEVED,
        (DEPOSITED, "retrieve"): RETRIEVED,  # staff empty the compartment early (a wrong item, a complaint)
    },
)
