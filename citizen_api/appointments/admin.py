"""Admin: halls, window groups (which items their counters serve) and schedule templates."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from citizen_api.appointments.models import HOLIDAY_TEMPLATE, WindowGroup
from citizen_api.appointments.repository import halls as repo
from citizen_api.appointments.schedule import drop_unused_future_slots
from citizen_api.appointments.schemas_admin import (
    GroupFields,
    GroupIn,
    GroupOut,
    OfficeIn,
    OfficeOut,
    ScheduleIn,
    ScheduleOut,
    WindowOut,
)
from citizen_api.audit.service import record
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal


async def list_offices() -> list[OfficeOut]:
    groups = await repo.groups_with_details()
    return [
        OfficeOut(
            id=office.id,
            code=office.code,
            name=office.name,
            address=office.address,
            phone=office.phone,
            groups=[group_out(g) for g in groups if g.office_id == office.id],
        )
        for office in await repo.offices()
    ]


async def create_office(principal: Principal, body: OfficeIn) -> OfficeOut:
    if await repo.office_exists(body.code):
        raise ApiError(409, "ALREADY_EXISTS", "大厅编码已存在")
    office = await repo.create_office(body.model_dump())
    await record(principal, "appointments.office.create", "office", office.id, body.model_dump())
    return OfficeOut(id=office.id, **body.model_dump())


def group_out(group: WindowGroup) -> GroupOut:
    return GroupOut(
        id=group.id,
        code=group.code,
        name=group.name,
        prefix=group.prefix,
        office_code=group.office.code,
        department_code=group.department_code,
        item_codes=sorted(item.code for item in group.items),
        windows=[WindowOut.model_validate(w) for w in sorted(group.windows, key=lambda w: w.id)],
        is_active=group.is_active,
    )


async def _items(codes: list[str]) -> list:
    items = await catalog.items_by_codes(codes) if codes else []
    missing = sorted(set(codes) - {item.code for item in items})
    if missing:
        raise ApiError(422, "UNKNOWN_ITEMS", "有事项编码不存在", {"missing": missing})
    return items


async def _apply(group: WindowGroup, body: GroupFields) -> None:
    await repo.set_group_items(group.id, [item.id for item in await _items(body.item_codes)])
    await repo.replace_windows(group.id, [window.model_dump() for window in body.windows])


async def create_group(principal: Principal, body: GroupIn) -> GroupOut:
    office = await repo.office_by_code(body.office_code)
    if office is None:
        raise ApiError(422, "UNKNOWN_OFFICE", "大厅不存在", {"office_code": body.office_code})
    if await repo.group_code_or_prefix_taken(body.code, office.id, body.prefix):
        raise ApiError(409, "ALREADY_EXISTS", "窗口组编码或取号前缀已存在")
    fields = body.model_dump(exclude={"item_codes", "windows", "office_code"})
    try:
        group = await repo.create_group(office.id, fields)
    except IntegrityError:  # created by someone else a moment ago
        raise ApiError(409, "ALREADY_EXISTS", "窗口组编码或取号前缀已存在") from None
    await _apply(group, body)
    await record(principal, "appointments.group.create", "window_group", group.id, body.model_dump())
    return group_out(await repo.group_with_details(group.id))


async def update_group(principal: Principal, group_id: int, body: GroupFields) -> GroupOut:
    group = await repo.group_by_id(group_id)
    if group is None:
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    if await repo.prefix_taken_by_other(group.office_id, body.prefix, group.id):
        raise ApiError(409, "ALREADY_EXISTS", "取号前缀已被同一大厅的其他窗口组使用")
    await repo.update_group(group.id, body.model_dump(exclude={"item_codes", "windows"}))
    await _apply(group, body)
    await record(principal, "appointments.group.update", "window_group", group.id, body.model_dump())
    return group_out(await repo.group_with_details(group.id))


async def _existing_group(group_id: int) -> WindowGroup:
    group = await repo.group_by_id(group_id)
    if group is None:
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    return group


async def get_schedule(group_id: int) -> ScheduleOut:
    group = await _existing_group(group_id)
    templates = await repo.templates_of(group.id)
    weekly = {t.day: t.periods for t in templates if t.day != HOLIDAY_TEMPLATE and t.periods}
    holiday = next((t.periods for t in templates if t.day == HOLIDAY_TEMPLATE), [])
    return ScheduleOut(group=group.code, weekly=weekly, holiday_service=holiday)


async def put_schedule(principal: Principal, group_id: int, body: ScheduleIn) -> ScheduleOut:
    group = await _existing_group(group_id)
    days = {day: [p.model_dump() for p in periods] for day, periods in body.weekly.items()}
    days[HOLIDAY_TEMPLATE] = [p.model_dump() for p in body.holiday_service]
    await repo.replace_templates(group.id, days)
    dropped = await drop_unused_future_slots(group.id)
    await record(principal, "appointments.schedule.put", "window_group", group.id, body.model_dump())
    out = await get_schedule(group.id)
    out.dropped_slots = dropped
    return out
