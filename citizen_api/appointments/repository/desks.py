"""Staff desks: the window (counter) each staff account works at (``StaffWindow``)."""

from __future__ import annotations

from citizen_api.appointments.models import StaffWindow, Window, WindowGroup


async def desk_of(user_id: int) -> Window | None:
    """The account's window, with its group and hall, or None when it has no desk."""
    desk = await StaffWindow.filter(user_id=user_id).select_related("window__group__office").first()
    return desk.window if desk is not None else None


async def window_by_id(window_id: int) -> Window | None:
    return await Window.filter(id=window_id).select_related("group__office").first()


async def desks_of(user_ids: list[int]) -> list[StaffWindow]:
    """The desks of these accounts, with their windows and groups loaded."""
    if not user_ids:
        return []
    return list(await StaffWindow.filter(user_id__in=user_ids).select_related("window__group"))


async def set_desk(user_id: int, window_id: int | None) -> None:
    """Seat the account at ``window_id`` (None: no desk); one desk per account (unique user_id)."""
    if window_id is None:
        await StaffWindow.filter(user_id=user_id).delete()
        return
    if not await StaffWindow.filter(user_id=user_id).update(window_id=window_id):
        await StaffWindow.create(user_id=user_id, window_id=window_id)


async def group_ids_of_department(department_code: str | None) -> list[int]:
    """The window groups a department's staff run (their scope when they have no desk)."""
    if not department_code:
        return []
    return list(await WindowGroup.filter(department_code=department_code).values_list("id", flat=True))


async def window_of_group(group_code: str, position: int) -> Window | None:
    """The group's ``position``-th window (0 = the first), in the order they were made."""
    return await Window.filter(group__code=group_code).order_by("id").offset(position).first()
