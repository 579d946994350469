"""Lottery days (摇号): the admin's draws, citizens' registrations, the published results."""

from __future__ import annotations

from citizen_api.appointments import hot, lottery, lottery_verify, throttle
from citizen_api.appointments.schemas_lottery import (
    DrawAdminOut,
    DrawEntriesOut,
    DrawIn,
    DrawPublic,
    DrawsQuery,
    EntryOut,
    RegisterBody,
)
from citizen_api.http import Ctx, endpoint

ADMIN = {"admin"}
TAGS = ["appointments"]
ADMIN_TAGS = ["staff-appointments-admin"]


async def register(ctx: Ctx) -> EntryOut:
    """登记摇号（每人一次：同一身份证号的多个微信账号只能登记一次）"""
    await throttle.booking_attempt(ctx.state, ctx.user.user_id, ctx.client_ip)
    return await lottery.register(ctx.user, ctx.body, ctx.state, ctx.atomic)


async def my_entries(ctx: Ctx) -> list[EntryOut]:
    """我的摇号登记"""
    return await lottery.my_entries(ctx.user, ctx.settings)


async def my_entry(ctx: Ctx) -> EntryOut:
    """摇号登记与结果：registered 待开奖、won 中签（含预约）、lost 未中签；开奖后公布种子与登记摘要"""
    return await lottery.my_entry(ctx.user, ctx.path["id"], ctx.settings)


async def public_draw(ctx: Ctx) -> DrawPublic:
    """摇号公示：种子哈希（创建时公布）、开奖后的种子与登记摘要（无需登录）"""
    return await lottery.public_draw(ctx.path["id"])


async def draw_entries(ctx: Ctx) -> DrawEntriesOut:
    """开奖结果复核数据：全部登记号、中签号、不符合条件号与种子（开奖后公布，无需登录）"""
    return await lottery_verify.published_entries(ctx.path["id"])


async def create_draw(ctx: Ctx) -> DrawAdminOut:
    """设置某日为摇号分配：登记时间段与开奖时间（创建时生成种子，只公布其哈希）"""
    ctx.after_commit(lambda: hot.changed(ctx.state))  # this process's listings show it at once
    return await lottery.create_draw(ctx.user, ctx.body)


async def list_draws(ctx: Ctx) -> list[DrawPublic]:
    """摇号日列表"""
    return await lottery.list_draws(ctx.query.from_)


async def get_draw(ctx: Ctx) -> DrawAdminOut:
    """摇号详情与登记数（种子开奖前对管理员也不公开）"""
    return await lottery.draw_admin(ctx.path["id"])


REGISTER_ERRORS = [
    (404, "NOT_FOUND"),
    (409, "NOT_BOOKABLE"),
    (409, "NOT_LOTTERY"),
    (409, "NOT_YET_OPEN"),
    (409, "LOTTERY_CLOSED"),
    (409, "PROFILE_INCOMPLETE"),
    (409, "ALREADY_REGISTERED"),
    (403, "BOOKING_SUSPENDED"),
    (429, "RATE_LIMITED"),
]

LOTTERY_ENDPOINTS = [
    endpoint(
        "POST",
        "/appointments/lottery",
        register,
        auth="citizen",
        body=RegisterBody,
        response=EntryOut,
        status=201,
        atomic="manual",  # the checks only read; the INSERT runs in ctx.atomic (lottery.register)
        tags=TAGS,
        errors=REGISTER_ERRORS,
    ),
    endpoint("GET", "/appointments/lottery", my_entries, auth="citizen", response=list[EntryOut], tags=TAGS),
    endpoint(
        "GET",
        "/appointments/lottery/{id:id}",
        my_entry,
        auth="citizen",
        response=EntryOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "GET",
        "/appointments/lottery/draws/{id:id}",
        public_draw,
        response=DrawPublic,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "GET",
        "/appointments/lottery/draws/{id:id}/entries",
        draw_entries,
        response=DrawEntriesOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_DRAWN")],
    ),
    endpoint(
        "POST",
        "/staff/appointments/lottery-draws",
        create_draw,
        auth=ADMIN,
        body=DrawIn,
        response=DrawAdminOut,
        status=201,
        tags=ADMIN_TAGS,
        errors=[
            (404, "NOT_FOUND"),
            (422, "UNKNOWN_ITEM"),
            (422, "BAD_LOTTERY_WINDOW"),
            (409, "DAY_CLOSED"),
            (409, "ALREADY_EXISTS"),
        ],
    ),
    endpoint(
        "GET",
        "/staff/appointments/lottery-draws",
        list_draws,
        auth=ADMIN,
        query=DrawsQuery,
        response=list[DrawPublic],
        tags=ADMIN_TAGS,
    ),
    endpoint(
        "GET",
        "/staff/appointments/lottery-draws/{id:id}",
        get_draw,
        auth=ADMIN,
        response=DrawAdminOut,
        tags=ADMIN_TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
]
