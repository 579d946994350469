"""AB角: every window clerk and approver (A角) has a named backup (B角) of the same department and
role. When A is marked absent, A's held case steps go to B (``cases.service.hand_over``, the case
ids recorded), A's called and serving tickets go to B's window and B's call-next also draws from A's
window group (``appointments.service`` desk cover), and B is told by a staff message. When B is
away too, B's backup C takes over B's covers (``chain``). When A is back, the recorded cases come
back from whoever holds them along the chain (B or C; one re-assigned by hand stays), the cover
ends, and A and the one who covered are told. Every
change is audited. Services never commit: one transaction per request.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.staffing import chain
from citizen_api.staffing import repository as repo
from citizen_api.staffing.models import Absence
from citizen_api.staffing.schemas import AbsenceOut, BackupBody, BackupOut, StaffRef
from citizen_api.staffing.transitions import ABSENCES, CLERK_ROLES, MANAGERS
from citizen_api.users import service as users
from citizen_api.users.schemas import Account, StaffSummary


def _not_found() -> ApiError:
    return ApiError(404, "NOT_FOUND", "未找到该窗口工作人员")


def staff_ref(staff: Account | StaffSummary) -> StaffRef:
    department = staff.department_code if isinstance(staff, Account) else staff.department
    return StaffRef(
        id=staff.id,
        username=staff.username or "",
        name=staff.display_name or staff.username or "",
        role=staff.role,  # type: ignore[arg-type]
        department=department,
        is_active=staff.is_active,
    )


async def clerk(principal: Principal, user_id: int) -> Account:
    """A window clerk or approver the caller may see (a clerk sees their own department), else 404."""
    found = await users.staff_account(user_id)
    if found is None or found.role not in CLERK_ROLES:
        raise _not_found()
    if not principal.may_see_department(found.department_code):
        raise _not_found()
    return found


def _invalid(backup_user_id: int, reason: str, message: str) -> ApiError:
    return ApiError(422, "BACKUP_INVALID", message, {"backup_user_id": backup_user_id, "reason": reason})


async def set_backup(principal: Principal, user_id: int, body: BackupBody) -> BackupOut:
    a = await clerk(principal, user_id)
    b_id = body.backup_user_id
    b = await users.staff_account(b_id)
    if b is None:
        raise _invalid(b_id, "unknown", "未找到该工作人员，请从同部门的工作人员中选择 B 角")
    if b.id == a.id:
        raise _invalid(b_id, "self", "不能指定本人为自己的 B 角")
    if b.department_code != a.department_code:
        raise _invalid(b_id, "department", "B 角须与 A 角同一部门")
    if b.role != a.role:
        raise _invalid(b_id, "role", "B 角须与 A 角岗位相同（窗口人员对窗口人员，审批人员对审批人员）")
    if not b.is_active:
        raise _invalid(b_id, "inactive", "该工作人员账号已停用，不能担任 B 角")
    previous = await repo.backup_of(a.id)
    await repo.set_backup(a.id, b.id, principal.user_id, clock.now())
    await audit.record(principal, "staff.backup", "user", a.id, {
        "backup_user_id": b.id, "previous_backup_user_id": previous.backup_user_id if previous else None,
    })  # fmt: skip
    return await backup(principal, a.id)


async def backup(principal: Principal, user_id: int) -> BackupOut:
    return (await _rows(principal, [await clerk(principal, user_id)]))[0]


async def backups(principal: Principal, department: str | None) -> list[BackupOut]:
    rows = await users.clerks(department)
    return await _rows(principal, rows)


async def _rows(principal: Principal, clerks: list) -> list[BackupOut]:
    ids = [c.id for c in clerks]
    pairs = await repo.backups_of(ids)
    absences = await repo.open_absences(ids)
    covering: dict[int, list[int]] = {}  # who covers whom now, along the chain (C for A while B is away)
    for absent, coverer in sorted(chain.covers_now(await repo.all_open_absences()).items()):
        if coverer in ids:
            covering.setdefault(coverer, []).append(absent)
    wanted = set(pairs.values()) | {a for absent in covering.values() for a in absent}
    known = {c.id: staff_ref(c) for c in clerks}
    colleagues: dict[str | None, list[StaffRef]] = {}
    for department in {ref.department for ref in known.values()} - {None}:
        colleagues[department] = [staff_ref(c) for c in await users.clerks(department) if c.is_active]
    for other in wanted - set(known):
        found = await users.staff_account(other)
        if found is not None:
            known[other] = staff_ref(found)
    return [
        BackupOut(
            user=known[c.id],
            backup=known.get(pairs[c.id]) if c.id in pairs else None,
            absence=absence_out(absences[c.id]) if c.id in absences else None,
            covering=[known[a] for a in covering.get(c.id, []) if a in known],
            candidates=[
                other
                for other in colleagues.get(known[c.id].department, [])
                if other.role == known[c.id].role and other.id != c.id
            ],
        )
        for c in clerks
    ]


def absence_out(absence: Absence) -> AbsenceOut:
    summary = f"已转交 {len(absence.case_ids)} 件、{len(absence.tickets)} 个号"
    if absence.ended_at is not None:
        summary += f"；返岗收回 {len(absence.returned_case_ids)} 件"
    return AbsenceOut(
        id=absence.id,
        user_id=absence.user_id,
        backup_user_id=absence.backup_user_id,
        status=absence.status,  # type: ignore[arg-type]
        status_text=ABSENCES.text[absence.status],
        reason=absence.reason,
        started_at=absence.started_at,
        ended_at=absence.ended_at,
        case_ids=list(absence.case_ids),
        tickets=list(absence.tickets),
        window_group=absence.group_name,
        returned_case_ids=list(absence.returned_case_ids),
        summary=summary,
    )


def may_mark(principal: Principal, user_id: int) -> None:
    """Supervisors and admins mark anyone; a clerk marks only themself."""
    if principal.role not in MANAGERS and principal.user_id != user_id:
        raise ApiError(403, "FORBIDDEN", "只能标记本人缺岗或返岗；为他人标记请联系科室负责人")
