"""Demo hall for ``onetrip seed-demo``: one window group per department with bookable items.

Runs after the catalog seed in the same transaction; with no bookable items yet it still makes
the hall and a general group, and links items on a later run. Idempotent.
"""

from __future__ import annotations

import string

from citizen_api.appointments.models import HOLIDAY_TEMPLATE, Office, ScheduleTemplate, Window, WindowGroup
from citizen_api.appointments.repository import desks, halls
from citizen_api.catalog import service as catalog
from citizen_api.users import service as users

OFFICE = {"code": "SMZX", "name": "市民中心 政务服务大厅", "address": "市民中心一楼", "phone": "12345"}
WEEKDAY_PERIODS = [
    {"start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 3},
    {"start": "13:30", "end": "17:00", "slot_minutes": 30, "capacity": 3},
]
HOLIDAY_PERIODS = [{"start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 1}]
# the demo window clerks (citizen_api.seed.DEMO_STAFF): the group and which of its windows (0 = the first)
DEMO_DESKS = {"chuangkou": ("SMZX-GA", 0), "chuangkou2": ("SMZX-GA", 1)}


async def seed(settings) -> str:
    office, _ = await Office.get_or_create(code=OFFICE["code"], defaults=OFFICE)
    items = await catalog.bookable_items()  # with their departments, by department
    by_department: dict[int, list] = {}
    for item in items:
        by_department.setdefault(item.department_id, []).append(item)
    departments = {item.department_id: item.department for item in items}
    plans = [
        (
            f"SMZX-{departments[dep_id].code}",
            f"{departments[dep_id].name}窗口",
            departments[dep_id].code,
            linked,
        )
        for dep_id, linked in by_department.items()
    ] or [("SMZX-GENERAL", "综合窗口", None, [])]
    created = 0
    for index, (code, name, department_code, linked) in enumerate(plans[: len(string.ascii_uppercase)]):
        group = await WindowGroup.get_or_none(code=code)
        if group is None:
            group = await WindowGroup.create(
                office=office,
                code=code,
                name=name,
                prefix=await _free_prefix(office, index),
                department_code=department_code,
            )
            await Window.create(group=group, number=f"{index * 2 + 1}", opens_on_holiday_service=True)
            await Window.create(group=group, number=f"{index * 2 + 2}")
            created += 1
        await halls.add_group_items(group.id, [item.id for item in linked])
        for day in ("mon", "tue", "wed", "thu", "fri"):
            await ScheduleTemplate.get_or_create(group=group, day=day, defaults={"periods": WEEKDAY_PERIODS})
        await ScheduleTemplate.get_or_create(
            group=group, day=HOLIDAY_TEMPLATE, defaults={"periods": HOLIDAY_PERIODS}
        )
    seated = await _seat_demo_clerks()
    note = "" if items else " (no bookable items in the catalog yet)"
    return (
        f"appointments: {office.name}, {created} window groups created, {len(items)} bookable items, "
        f"{seated} demo clerks at a window{note}"
    )


async def _seat_demo_clerks() -> int:
    """Each demo clerk at their window of their group (when both exist; a desk set by an admin
    since is kept)."""
    seated = 0
    for username, (group_code, position) in DEMO_DESKS.items():
        clerk = await users.account_by_username(username)
        window = await desks.window_of_group(group_code, position)
        if clerk is None or window is None:
            continue
        if await desks.desk_of(clerk.id) is None:
            await desks.set_desk(clerk.id, window.id)
        seated += 1
    return seated


async def _free_prefix(office: Office, index: int) -> str:
    taken = set(await WindowGroup.filter(office=office).values_list("prefix", flat=True))
    letters = string.ascii_uppercase[index:] + string.ascii_uppercase[:index]
    return next((letter for letter in letters if letter not in taken), "Z")
