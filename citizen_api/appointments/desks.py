"""Staff desks: the window a staff account works at, set by an admin (or ``onetrip seed-demo``).

The desk gives a clerk's calls their window number, and their default window group (queue,
call-next) and the hall's bookings they see: their desk's group, else their department's groups;
supervisors and admins see every group.
"""

from __future__ import annotations

from citizen_api.appointments.covers import covered_by
from citizen_api.appointments.models import Window
from citizen_api.appointments.repository import desks as repo
from citizen_api.appointments.schemas_hall import DeskCoverOut, DeskGroup, DeskOut, DeskWindow
from citizen_api.audit.service import record
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.users import service as users


def _desk_out(window: Window | None, settings) -> DeskOut:
    idle = settings.workbench_idle_minutes
    if window is None:
        return DeskOut(window=None, group=None, idle_minutes=idle)
    group = window.group
    return DeskOut(
        window=DeskWindow(id=window.id, number=window.number, name=window.name),
        group=DeskGroup(code=group.code, name=group.name, office_code=group.office.code),
        idle_minutes=idle,
    )


async def desk_window(principal: Principal) -> Window | None:
    return await repo.desk_of(principal.user_id)


async def my_desk(principal: Principal, settings) -> DeskOut:
    desk = _desk_out(await repo.desk_of(principal.user_id), settings)
    for cover in await covered_by(principal.user_id):  # AB角: the queue panel's banner
        absent = await users.staff_account(cover.absent_user_id)
        name = (absent.display_name or absent.username or "") if absent else ""
        desk.covering.append(
            DeskCoverOut(absent_user_id=cover.absent_user_id, absent_name=name,
                         group_code=cover.group_code, group_name=cover.group_name)
        )  # fmt: skip
    return desk


async def set_desk(admin: Principal, user_id: int, window_id: int | None, settings) -> DeskOut:
    staff = await users.staff_account(user_id)
    if staff is None:
        raise ApiError(404, "NOT_FOUND", "未找到该工作人员")
    window = None
    if window_id is not None:
        window = await repo.window_by_id(window_id)
        if window is None:
            raise ApiError(422, "UNKNOWN_WINDOW", "窗口不存在", {"window_id": window_id})
        group = window.group
        if group.department_code and staff.department_code not in (None, group.department_code):
            raise ApiError(
                409,
                "WINDOW_OF_OTHER_DEPARTMENT",
                "该窗口属于其他部门的窗口组",
                {"window_id": window_id, "department": group.department_code},
            )
    await repo.set_desk(staff.id, window_id)
    await record(admin, "staff.desk", "user", staff.id, {"window_id": window_id})
    return _desk_out(window, settings)


async def scope_group_ids(principal: Principal) -> list[int] | None:
    """The window groups whose bookings the caller sees (None: every group)."""
    if principal.sees_all_departments:
        return None
    window = await repo.desk_of(principal.user_id)
    if window is not None:
        return [window.group_id]
    return await repo.group_ids_of_department(principal.department)
