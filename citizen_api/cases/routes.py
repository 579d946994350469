"""Cases API: the citizen's applications and the public progress query (staff: routes_staff)."""

from __future__ import annotations

from citizen_api.cases import bundle_list, bundle_port, citizen, progress, submission
from citizen_api.cases.routes_staff import ENDPOINTS as STAFF_ENDPOINTS
from citizen_api.cases.routes_steps import ENDPOINTS as STEP_ENDPOINTS
from citizen_api.cases.schemas import (
    CaseCreated,
    CaseDetail,
    CaseListQuery,
    CaseReusable,
    CaseSubmit,
    CaseSummary,
    CaseSupplement,
    ProgressQuery,
    ProgressView,
    ReusableQuery,
)
from citizen_api.cases.schemas_bundle import BundleCreated, BundleDetail, BundleSummary
from citizen_api.errors import not_found
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.ratelimit import limiter


async def submit(ctx: Ctx) -> CaseCreated | BundleCreated:
    """提交申请（材料不齐时一次性告知全部缺少的材料；支持容缺受理；bundle_code：一件事一次办）"""
    if ctx.body.bundle_code is not None:
        return await bundle_port.required().submit(ctx.user, ctx.body, ctx.settings, ctx.request_id)
    return await submission.submit(ctx.user, ctx.body, ctx.settings, ctx.request_id)


async def my_cases(ctx: Ctx) -> Page[CaseSummary | BundleSummary]:
    """我的办件（一件事只列一次，子办件在其 children 中）"""
    port = bundle_port.bound()
    if port is None:
        return await citizen.my_cases(ctx.user, ctx.query, ctx.settings)
    return await bundle_list.my_applications(ctx.user, ctx.query, ctx.settings, port)


# a bundle application's id comes from the cases' sequence: an id that is no case of the citizen's
# may be one of their bundles (``cases.bundle_port``); neither is 404


async def my_case(ctx: Ctx) -> CaseDetail | BundleDetail:
    """办件详情：状态、时间线、期限、预警、待补材料及截止日期、评价、可进行的操作（一件事：各子办件）"""
    port = bundle_port.bound()
    found = await port.detail(ctx.user, ctx.path["id"], ctx.settings) if port else None
    return found or await citizen.my_case(ctx.user, ctx.path["id"], ctx.settings)


async def supplement(ctx: Ctx) -> CaseDetail | BundleDetail:
    """补正材料（回到待受理），或补交容缺材料（一件事：材料交给提出补正的部门的子办件）"""
    port = bundle_port.bound()
    found = (
        await port.supplement(ctx.user, ctx.path["id"], ctx.body, ctx.settings, ctx.request_id)
        if port
        else None
    )
    return found or await citizen.supplement(ctx.user, ctx.path["id"], ctx.body, ctx.settings, ctx.request_id)


async def withdraw(ctx: Ctx) -> CaseDetail | BundleDetail:
    """撤回申请（受理前；一件事：撤回全部子办件）"""
    port = bundle_port.bound()
    found = await port.withdraw(ctx.user, ctx.path["id"], ctx.settings, ctx.request_id) if port else None
    return found or await citizen.withdraw(ctx.user, ctx.path["id"], ctx.settings, ctx.request_id)


async def reusable_materials(ctx: Ctx) -> CaseReusable:
    """可复用的材料（数据跑路：此前已受理办件中同类材料，无需重新上传）"""
    return await citizen.reusable(ctx.user, ctx.query.item_code)


async def progress_query(ctx: Ctx) -> ProgressView:
    """办件进度查询（办件编号 + 手机号后四位，无需登录）"""
    settings = ctx.settings
    await limiter.hit(
        ctx.state,
        f"progress:ip:{ctx.client_ip}",
        settings.progress_ip_limit,
        settings.progress_ip_window_seconds,
    )
    number = ctx.query.number.strip().upper()
    await limiter.hit(
        ctx.state,
        f"progress:number:{number[:32]}",
        settings.progress_number_limit,
        settings.progress_number_window_seconds,
    )
    view = await progress.lookup(number, ctx.query.phone_tail, settings)
    if view is None:
        raise not_found("未找到该办件，请核对办件编号和手机号后四位")
    return ProgressView(**view)


_TAGS = ["cases"]
_ID = "/applications/{id:id}"

ENDPOINTS = [
    endpoint(
        "POST",
        "/applications",
        submit,
        auth="citizen",
        body=CaseSubmit,
        response=CaseCreated | BundleCreated,
        status=201,
        tags=_TAGS,
        errors=[
            (404, "NOT_FOUND"),
            (409, "BUNDLE_NOT_AVAILABLE"),
            (409, "PROFILE_INCOMPLETE"),
            (409, "DELIVERY_NOT_OFFERED"),
            (403, "AGENT_NOT_AUTHORISED"),  # on_behalf_of (代办): revoked, expired, item not covered
            (404, "NOT_FOUND"),
            (422, "MATERIALS_MISSING"),
            (422, "MATERIALS_TOO_LARGE"),
            (422, "LICENCE_NOT_USABLE"),  # issue 17: the licences domain's submission hook
            (409, "LICENCE_NOT_USABLE"),
        ],
    ),
    endpoint(
        "GET",
        "/applications",
        my_cases,
        auth="citizen",
        query=CaseListQuery,
        response=Page[CaseSummary | BundleSummary],
        tags=_TAGS,
    ),
    endpoint(
        "GET",
        "/applications/reusable-materials",
        reusable_materials,
        auth="citizen",
        query=ReusableQuery,
        response=CaseReusable,
        tags=_TAGS,
    ),
    endpoint("GET", _ID, my_case, auth="citizen", response=CaseDetail | BundleDetail, tags=_TAGS),
    endpoint(
        "POST",
        _ID + "/supplement",
        supplement,
        auth="citizen",
        body=CaseSupplement,
        response=CaseDetail | BundleDetail,
        tags=_TAGS,
        errors=[(409, "INVALID_TRANSITION"), (422, "MATERIALS_MISSING"), (422, "MATERIALS_TOO_LARGE")],
    ),
    endpoint(
        "POST",
        _ID + "/withdraw",
        withdraw,
        auth="citizen",
        response=CaseDetail | BundleDetail,
        tags=_TAGS,
        errors=[(409, "INVALID_TRANSITION")],
    ),
    endpoint(
        "GET",
        "/progress",
        progress_query,
        query=ProgressQuery,
        response=ProgressView,
        tags=_TAGS,
        errors=[(429, "RATE_LIMITED")],
    ),
    *STAFF_ENDPOINTS,
    *STEP_ENDPOINTS,
]
