"""Admin: halls, window groups and schedule templates."""

from __future__ import annotations

from citizen_api.appointments import admin, desks, hot, release_admin
from citizen_api.appointments.schemas_admin import (
    GroupFields,
    GroupIn,
    GroupOut,
    OfficeIn,
    OfficeOut,
    ReleaseRuleIn,
    ReleaseRuleOut,
    ReleaseRuleQuery,
    ScheduleIn,
    ScheduleOut,
)
from citizen_api.appointments.schemas_hall import DeskBody, DeskOut
from citizen_api.http import Ctx, endpoint

ADMIN = {"admin"}
TAGS = ["staff-appointments-admin"]


async def list_offices(ctx: Ctx) -> list[OfficeOut]:
    """办事大厅与窗口组"""
    return await admin.list_offices()


async def create_office(ctx: Ctx) -> OfficeOut:
    """新建办事大厅"""
    return await admin.create_office(ctx.user, ctx.body)


async def create_group(ctx: Ctx) -> GroupOut:
    """新建窗口组（可办事项、窗口、取号前缀）"""
    out = await admin.create_group(ctx.user, ctx.body)
    hot.forget(ctx.state)  # this process sees the change at once; others within seconds
    return out


async def update_group(ctx: Ctx) -> GroupOut:
    """修改窗口组"""
    out = await admin.update_group(ctx.user, ctx.path["id"], ctx.body)
    hot.forget(ctx.state)  # this process sees the change at once; others within seconds
    return out


async def get_schedule(ctx: Ctx) -> ScheduleOut:
    """窗口组的排班模板"""
    return await admin.get_schedule(ctx.path["id"])


async def put_schedule(ctx: Ctx) -> ScheduleOut:
    """设置排班模板：每周各天的时段（午休为两段之间的间隔）与节假日预约服务日模板"""
    out = await admin.put_schedule(ctx.user, ctx.path["id"], ctx.body)
    hot.forget(ctx.state)  # this process sees the change at once; others within seconds
    return out


async def set_desk(ctx: Ctx) -> DeskOut:
    """分配工作人员的窗口（管理员；window_id 为 null 取消分配）"""
    return await desks.set_desk(ctx.user, ctx.path["id"], ctx.body.window_id, ctx.settings)


async def list_release_rules(ctx: Ctx) -> list[ReleaseRuleOut]:
    """窗口组的放号规则（提前几天、几点放号；可按事项单独设置）"""
    return await release_admin.list_rules(ctx.path["id"])


async def put_release_rule(ctx: Ctx) -> list[ReleaseRuleOut]:
    """设置放号规则：某日的名额提前 days_before 天的 at 时刻放出（item_code 为空则为整个窗口组）"""
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await release_admin.put_rule(ctx.user, ctx.path["id"], ctx.body, ctx.state)


async def delete_release_rule(ctx: Ctx) -> list[ReleaseRuleOut]:
    """删除放号规则（item_code 为空则删除窗口组的规则）"""
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await release_admin.delete_rule(ctx.user, ctx.path["id"], ctx.query.item_code, ctx.state)


RULES = "/staff/window-groups/{id:id}/release-rules"

ENDPOINTS = [
    endpoint(
        "GET",
        RULES,
        list_release_rules,
        auth=ADMIN,
        response=list[ReleaseRuleOut],
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "PUT",
        RULES,
        put_release_rule,
        auth=ADMIN,
        body=ReleaseRuleIn,
        response=list[ReleaseRuleOut],
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (422, "UNKNOWN_ITEMS")],
    ),
    endpoint(
        "DELETE",
        RULES,
        delete_release_rule,
        auth=ADMIN,
        query=ReleaseRuleQuery,
        response=list[ReleaseRuleOut],
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (422, "UNKNOWN_ITEMS")],
    ),
    endpoint(
        "PUT",
        "/staff/users/{id:id}/window",
        set_desk,
        auth=ADMIN,
        body=DeskBody,
        response=DeskOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (422, "UNKNOWN_WINDOW"), (409, "WINDOW_OF_OTHER_DEPARTMENT")],
    ),
    endpoint("GET", "/staff/offices", list_offices, auth=ADMIN, response=list[OfficeOut], tags=TAGS),
    endpoint(
        "POST",
        "/staff/offices",
        create_office,
        auth=ADMIN,
        body=OfficeIn,
        response=OfficeOut,
        status=201,
        tags=TAGS,
        errors=[(409, "ALREADY_EXISTS")],
    ),
    endpoint(
        "POST",
        "/staff/window-groups",
        create_group,
        auth=ADMIN,
        body=GroupIn,
        response=GroupOut,
        status=201,
        tags=TAGS,
        errors=[(409, "ALREADY_EXISTS"), (422, "UNKNOWN_OFFICE"), (422, "UNKNOWN_ITEMS")],
    ),
    endpoint(
        "PUT",
        "/staff/window-groups/{id:id}",
        update_group,
        auth=ADMIN,
        body=GroupFields,
        response=GroupOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "ALREADY_EXISTS"), (422, "UNKNOWN_ITEMS")],
    ),
    endpoint(
        "GET",
        "/staff/window-groups/{id:id}/schedule",
        get_schedule,
        auth=ADMIN,
        response=ScheduleOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "PUT",
        "/staff/window-groups/{id:id}/schedule",
        put_schedule,
        auth=ADMIN,
        body=ScheduleIn,
        response=ScheduleOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
]
