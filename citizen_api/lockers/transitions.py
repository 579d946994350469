"""A deposit's lifecycle, in one table: deposited → picked_up (the citizen's code at the locker) or
expired (not collected in time: the periodic job) → retrieved (staff took it back to the window).

``repository.move`` changes a status only from a source listed here (one conditional UPDATE), so a
pickup racing the expiry job, or two pickups with the same code, change it once.
"""

from __future__ import annotations

from citizen_api.lifecycles import Lifecycle, Refusal, transition
from citizen_api.security.principal import ADMIN, APPROVER, WINDOW

DEPOSITED, PICKED_UP, EXPIRED, RETRIEVED = "deposited", "picked_up", "expired", "retrieved"
LOCKER, SYSTEM = "locker", "system"  # the code typed at the locker; the expiry job
COUNTER = {WINDOW, APPROVER, ADMIN}

DEPOSITS = Lifecycle(
    statuses=(DEPOSITED, PICKED_UP, EXPIRED, RETRIEVED),
    text={DEPOSITED: "待取件", PICKED_UP: "已取件", EXPIRED: "逾期未取", RETRIEVED: "已取回窗口"},
    transitions={
        (DEPOSITED, "pick_up"): transition(PICKED_UP, {LOCKER}),
        (DEPOSITED, "expire"): transition(EXPIRED, {SYSTEM}),
        (EXPIRED, "retrieve"): transition(RETRIEVED, COUNTER),
        # staff empty the compartment early (a wrong item, a complaint)
        (DEPOSITED, "retrieve"): transition(RETRIEVED, COUNTER),
    },
    refusals={"retrieve": Refusal("INVALID_TRANSITION", "该格口已取件或已取回")},
)
