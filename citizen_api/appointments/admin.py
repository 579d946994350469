"""Admin: halls, window groups (which items their counters serve) and schedule templates."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from citizen_api.appointments.admin_schemas import (
    GroupFields,
    GroupIn,
    GroupOut,
    OfficeIn,
    OfficeOut,
    ScheduleIn,
    ScheduleOut,
    WindowIn,
)
from citizen_api.appointments.models import HOLIDAY_TEMPLATE, Office, ScheduleTemplate, Window, WindowGroup
from citizen_api.appointments.schedule import drop_unused_future_slots
from citizen_api.audit.service import record
from citizen_api.catalog.models import ServiceItem
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal


async def list_offices() -> list[OfficeOut]:
    offices = await Office.all().order_by("id")
    groups = await WindowGroup.all().prefetch_related("items", "windows", "office").order_by("id")
    out = []
    for office in offices:
        mine = [group_out(g) for g in groups if g.office_id == office.id]
        out.append(
            OfficeOut(
                id=office.id,
                code=office.code,
                name=office.name,
                address=office.address,
                phone=office.phone,
                groups=mine,
            )
        )
    return out


async def create_office(principal: Principal, body: OfficeIn) -> OfficeOut:
    if await Office.exists(code=body.code):
        raise ApiError(409, "ALREADY_EXISTS", "大厅编码已存在")
    office = await Office.create(**body.model_dump())
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
        windows=[
            WindowIn(number=w.number, name=w.name, opens_on_holiday_service=w.opens_on_holiday_service)
            for w in sorted(group.windows, key=lambda w: w.id)
        ],
        is_active=group.is_active,
    )


async def _items(codes: list[str]) -> list[ServiceItem]:
    items = await ServiceItem.filter(code__in=codes) if codes else []
    missing = sorted(set(codes) - {item.code for item in items})
    if missing:
        raise ApiError(422, "UNKNOWN_ITEMS", "有事项编码不存在", {"missing": missing})
    return items


async def _apply(group: WindowGroup, body: GroupFields) -> None:
    items = await _items(body.item_codes)
    await group.items.clear()
    if items:
        await group.items.add(*items)
    await Window.filter(group_id=group.id).delete()
    for window in body.windows:
        await Window.create(group_id=group.id, **window.model_dump())


async def _loaded(group_id: int) -> GroupOut:
    group = await WindowGroup.get(id=group_id).prefetch_related("items", "windows", "office")
    return group_out(group)


async def create_group(principal: Principal, body: GroupIn) -> GroupOut:
    office = await Office.get_or_none(code=body.office_code)
    if office is None:
        raise ApiError(422, "UNKNOWN_OFFICE", "大厅不存在", {"office_code": body.office_code})
    if await WindowGroup.exists(code=body.code) or await WindowGroup.exists(
        office=office, prefix=body.prefix
    ):
        raise ApiError(409, "ALREADY_EXISTS", "窗口组编码或取号前缀已存在")
    fields = body.model_dump(exclude={"item_codes", "windows", "office_code"})
    try:
        group = await WindowGroup.create(office=office, **fields)
    except IntegrityError:  # created by someone else a moment ago
        raise ApiError(409, "ALREADY_EXISTS", "窗口组编码或取号前缀已存在") from None
    await _apply(group, body)
    await record(principal, "appointments.group.create", "window_group", group.id, body.model_dump())
    return await _loaded(group.id)


async def update_group(principal: Principal, group_id: int, body: GroupFields) -> GroupOut:
    group = await WindowGroup.get_or_none(id=group_id)
    if group is None:
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    clash = (
        await WindowGroup.filter(office_id=group.office_id, prefix=body.prefix).exclude(id=group.id).exists()
    )
    if clash:
        raise ApiError(409, "ALREADY_EXISTS", "取号前缀已被同一大厅的其他窗口组使用")
    await WindowGroup.filter(id=group.id).update(**body.model_dump(exclude={"item_codes", "windows"}))
    await _apply(group, body)
    await record(principal, "appointments.group.update", "window_group", group.id, body.model_dump())
    return await _loaded(group.id)


async def get_schedule(group_id: int) -> ScheduleOut:
    group = await WindowGroup.get_or_none(id=group_id)
    if group is None:
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    templates = await ScheduleTemplate.filter(group_id=group.id)
    weekly = {t.day: t.periods for t in templates if t.day != HOLIDAY_TEMPLATE and t.periods}
    holiday = next((t.periods for t in templates if t.day == HOLIDAY_TEMPLATE), [])
    return ScheduleOut(group=group.code, weekly=weekly, holiday_service=holiday)


async def put_schedule(principal: Principal, group_id: int, body: ScheduleIn) -> ScheduleOut:
    group = await WindowGroup.get_or_none(id=group_id)
    if group is None:
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    await ScheduleTemplate.filter(group_id=group.id).delete()
    days = {day: [p.model_dump() for p in periods] for day, periods in body.weekly.items()}
    days[HOLIDAY_TEMPLATE] = [p.model_dump() for p in body.holiday_service]
    for day, periods in days.items():
        if periods:
            await ScheduleTemplate.create(group_id=group.id, day=day, periods=periods)
    dropped = await drop_unused_future_slots(group.id)
    await record(principal, "appointments.schedule.put", "window_group", group.id, body.model_dump())
    out = await get_schedule(group.id)
    out.dropped_slots = dropped
    return out
