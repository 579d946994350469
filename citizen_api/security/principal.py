"""Who is calling: the roles of the contract and the department scope of staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

CITIZEN: Final = "citizen"
WINDOW: Final = "window"
APPROVER: Final = "approver"
SUPERVISOR: Final = "supervisor"
ADMIN: Final = "admin"
# 代办员: staff of one village service point (村/社区便民服务点), not of the hall. Their account is a
# staff account (username, password) but they are outside STAFF_ROLES, so that every hall endpoint
# ("staff" preset) keeps refusing them: they reach only the point endpoints, which name them.
VILLAGE_AGENT: Final = "village_agent"

# for pydantic schemas: the served OpenAPI lists the roles as an enum
StaffRole = Literal[WINDOW, APPROVER, SUPERVISOR, ADMIN]  # type: ignore[valid-type]
Role = Literal[CITIZEN, WINDOW, APPROVER, SUPERVISOR, ADMIN, VILLAGE_AGENT]  # type: ignore[valid-type]
# the roles of accounts that log in with a username and password (the hall's and the points')
StaffAccountRole = Literal[WINDOW, APPROVER, SUPERVISOR, ADMIN, VILLAGE_AGENT]  # type: ignore[valid-type]

STAFF_ROLES = frozenset(get_args(StaffRole))  # the hall's roles: the "staff" preset of the endpoints
STAFF_ACCOUNT_ROLES = frozenset(get_args(StaffAccountRole))
ALL_ROLES = frozenset(get_args(Role))
# The centre's oversight roles see every department; window clerks and approvers see their own.
CENTRE_WIDE_ROLES = frozenset({SUPERVISOR, ADMIN})


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    role: str
    department: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ACCOUNT_ROLES

    @property
    def is_citizen(self) -> bool:
        return self.role == CITIZEN

    @property
    def sees_all_departments(self) -> bool:
        return self.role in CENTRE_WIDE_ROLES

    def may_see_department(self, department_code: str | None) -> bool:
        return self.sees_all_departments or (
            department_code is not None and department_code == self.department
        )


def scope_to_department(queryset, principal: Principal, field: str = "department_code"):
    """Every staff query goes through this: window clerks and approvers see their department only."""
    if principal.sees_all_departments:
        return queryset
    return queryset.filter(**{field: principal.department or "\x00none"})
