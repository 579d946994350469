"""What a staff member may do with a rating now (``actions`` of the staff rating view), from the same
rules the endpoints answer by, so the workbench shows only the steps the API would take:

- ``reveal_contact`` and ``return_visit``: the department's staff, on a 差评 (it has a rectification),
  the visit while the table allows it (待回访);
- ``rectify``: once the return visit is recorded (the table's only way to 已整改: the national rule);
- ``appeal``: the department, on a rating a citizen gave (not the automatic one), not already
  excluded, with no appeal pending.
"""

from __future__ import annotations

from citizen_api.ratings import transitions as t
from citizen_api.ratings.models import Rating
from citizen_api.ratings.schemas import StaffAction
from citizen_api.security.principal import Principal

# who reveals the rater's contact: whoever makes the return visit (its endpoint's roles)
_VISITORS = {
    role for (_, name), step in t.RECTIFICATION.items() if name == "return_visit" for role in step.roles
}
_DEPARTMENT = {
    role for (_, name), step in t.RECTIFICATION.items() if name == "rectify" for role in step.roles
}


def staff_actions(principal: Principal, rating: Rating, appeal_pending: bool) -> list[StaffAction]:
    actions: list[StaffAction] = []
    rect = rating.rectification
    if rect is not None:
        if principal.role in _VISITORS:
            actions.append("reveal_contact")
        for step in ("return_visit", "rectify"):
            if t.target(t.RECTIFICATION, rect.status, step, principal.role) is not None:
                actions.append(step)  # type: ignore[arg-type]
    may_appeal = not (rating.excluded or rating.automatic or appeal_pending)
    if may_appeal and principal.role in _DEPARTMENT:
        actions.append("appeal")
    return actions
