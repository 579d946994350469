"""An absence's lifecycle, in one table (from, action) → (to, roles): absent → returned (return), by
the clerk themself, a supervisor or an admin. ``repository.end_absence`` moves it only from a source
listed here (one conditional UPDATE), so two returns end an absence once.
"""

from __future__ import annotations

from citizen_api.lifecycles import Lifecycle, Refusal, transition
from citizen_api.security.principal import ADMIN, APPROVER, SUPERVISOR, WINDOW

ABSENT, RETURNED = "absent", "returned"
MANAGERS = frozenset({SUPERVISOR, ADMIN})  # set backups, mark anyone absent or back
CLERK_ROLES = frozenset({WINDOW, APPROVER})  # the posts with a backup

ABSENCES = Lifecycle(
    statuses=(ABSENT, RETURNED),
    text={ABSENT: "缺岗", RETURNED: "已返岗"},
    transitions={(ABSENT, "return"): transition(RETURNED, MANAGERS | CLERK_ROLES)},
    refusals={"return": Refusal("NOT_ABSENT", "该工作人员当前未缺岗")},
)
STATUSES = ABSENCES.statuses
