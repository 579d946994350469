"""The three lifecycles of the appointment domain, each in one table: (from status, action) → (to, roles).

- an appointment: booked → checked_in | no_show | cancelled;
- a waiting-list entry: waiting → promoted | skipped (a cancellation hands the place over) | left;
- a queue ticket: waiting → called (→ called again: recall) → serving → finished, or called → skipped
  (过号) or straight to finished (办结).

Nothing else decides whether a status change is allowed: the repository's ``move_*`` functions
change a status only from a source the table lists (one conditional UPDATE, so two clerks or a
clerk and the citizen racing each other change it once), the schemas' status ``Literal``s and the
citizen's ``can_cancel`` are derived from the tables, and the endpoints' roles are the tables'.
tests/test_appointments_transitions.py walks every table.
"""

from __future__ import annotations

from citizen_api.lifecycles import Lifecycle, Refusal
from citizen_api.lifecycles import transition as _t
from citizen_api.security.principal import ADMIN, APPROVER, CITIZEN, WINDOW

SYSTEM = "system"  # a change the domain makes itself (the waiting list on a cancellation)
# supervisors only read (电子监察); every other staff role works the counters
COUNTER = frozenset({WINDOW, APPROVER, ADMIN})


# the table's building blocks are the core's (citizen_api.lifecycles): lockers and visits use them too


# -- appointments -----------------------------------------------------------------------------------
BOOKED, CHECKED_IN, NO_SHOW, CANCELLED = "booked", "checked_in", "no_show", "cancelled"

APPOINTMENTS = Lifecycle(
    statuses=(BOOKED, CHECKED_IN, NO_SHOW, CANCELLED),
    text={BOOKED: "已预约", CHECKED_IN: "已签到", NO_SHOW: "已爽约", CANCELLED: "已取消"},
    transitions={
        (BOOKED, "cancel"): _t(CANCELLED, {CITIZEN}),
        (BOOKED, "check_in"): _t(CHECKED_IN, COUNTER),
        (BOOKED, "no_show"): _t(NO_SHOW, COUNTER),
    },
    refusals={
        "cancel": Refusal("NOT_CANCELLABLE", "该预约当前不能取消"),
        "check_in": Refusal("NOT_CHECKABLE", "该预约已取消或已爽约"),
        "no_show": Refusal("NOT_BOOKED", "只有未签到的预约可以标记爽约"),
    },
)

# -- the waiting list of a full slot ----------------------------------------------------------------
WAITING, PROMOTED, SKIPPED, LEFT = "waiting", "promoted", "skipped", "left"

WAITLIST = Lifecycle(
    statuses=(WAITING, PROMOTED, LEFT, SKIPPED),
    text={WAITING: "候补中", PROMOTED: "已转为预约", LEFT: "已退出候补", SKIPPED: "未能转为预约"},
    transitions={
        (WAITING, "promote"): _t(PROMOTED, {SYSTEM}),
        (WAITING, "skip"): _t(SKIPPED, {SYSTEM}),  # no longer qualifies when a place frees up
        (WAITING, "leave"): _t(LEFT, {CITIZEN}),
    },
    refusals={"leave": Refusal("NOT_WAITING", "该候补已结束")},
)

# -- queue tickets at the hall ----------------------------------------------------------------------
CALLED, SERVING, FINISHED = "called", "serving", "finished"

TICKETS = Lifecycle(
    statuses=(WAITING, CALLED, SERVING, SKIPPED, FINISHED),
    text={WAITING: "等候中", CALLED: "已叫号", SERVING: "办理中", SKIPPED: "已过号", FINISHED: "已办结"},
    transitions={
        (WAITING, "call"): _t(CALLED, COUNTER),
        (CALLED, "recall"): _t(CALLED, COUNTER),  # called again at the same window (the TV shows it)
        (CALLED, "serve"): _t(SERVING, COUNTER),  # the citizen came to the counter
        (CALLED, "skip"): _t(SKIPPED, COUNTER),  # 过号: did not come
        (CALLED, "finish"): _t(FINISHED, COUNTER),
        (SERVING, "finish"): _t(FINISHED, COUNTER),  # 办结
    },
    refusals={
        # call-next only ever takes waiting tickets (409 QUEUE_EMPTY when there are none)
        "recall": Refusal("NOT_CALLED", "只有已叫号的号可以重新呼叫"),
        "serve": Refusal("NOT_CALLED", "只有已叫号的号可以开始办理"),
        "skip": Refusal("NOT_CALLED", "只有已叫号的号可以过号"),
        "finish": Refusal("NOT_IN_SERVICE", "只有已叫号或办理中的号可以办结"),
    },
)

# -- lottery days (摇号): the draw of a day, and each person's registration -------------------------
OPEN, DRAWN = "open", "drawn"

LOTTERY_DRAWS = Lifecycle(
    statuses=(OPEN, DRAWN),
    text={OPEN: "登记中", DRAWN: "已开奖"},
    transitions={
        # the periodic job at draw time; of two runners (two workers) exactly one wins this UPDATE
        (OPEN, "draw"): _t(DRAWN, {SYSTEM}),
    },
    refusals={"draw": Refusal("ALREADY_DRAWN", "该摇号已开奖")},
)

REGISTERED, WON, LOST, INELIGIBLE = "registered", "won", "lost", "ineligible"

LOTTERY_ENTRIES = Lifecycle(
    statuses=(REGISTERED, WON, LOST, INELIGIBLE),
    text={REGISTERED: "已登记，待开奖", WON: "已中签", LOST: "未中签", INELIGIBLE: "中签但不符合预约条件"},
    transitions={
        (REGISTERED, "win"): _t(WON, {SYSTEM}),  # drawn and booked
        (REGISTERED, "lose"): _t(LOST, {SYSTEM}),
        # drawn, but the booking was refused (already booked that day, weekly limit, suspended):
        # the place goes to the next in the draw's order
        (REGISTERED, "disqualify"): _t(INELIGIBLE, {SYSTEM}),
    },
    refusals={
        "win": Refusal("NOT_REGISTERED", "该登记已开奖"),
        "lose": Refusal("NOT_REGISTERED", "该登记已开奖"),
        "disqualify": Refusal("NOT_REGISTERED", "该登记已开奖"),
    },
)
