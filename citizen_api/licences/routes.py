"""电子证照 API: the citizen's wallet and consents, verification codes (public check), pre-fill,
and the filed form (the citizen's own; the staff's in scope, masked)."""

from __future__ import annotations

from citizen_api.http import Ctx, Page, PageQuery, endpoint
from citizen_api.licences import service
from citizen_api.licences.schemas import (
    CaseFormView,
    ConsentView,
    LicenceCode,
    LicenceView,
    PrefillView,
    VerifyQuery,
    VerifyResult,
)


async def my_licences(ctx: Ctx) -> Page[LicenceView]:
    """我的电子证照（证照夹）"""
    page = await service.my_licences(ctx.user, ctx.query.offset, ctx.query.size, ctx.settings)
    return Page[LicenceView](total=page.total, items=page.items)


async def my_licence(ctx: Ctx) -> LicenceView:
    """电子证照详情"""
    return await service.my_licence(ctx.user, ctx.path["id"], ctx.settings)


async def verification_code(ctx: Ctx) -> LicenceCode:
    """生成亮证核验码（短时有效，小程序显示为二维码）"""
    return await service.verification_code(ctx.user, ctx.path["id"], ctx.settings)


async def verify(ctx: Ctx) -> VerifyResult:
    """核验电子证照（扫码，无需登录）：只返回证照类型、编号、脱敏持证人、发证机关和有效期"""
    return await service.verify_code(ctx.query.code, ctx.settings)


async def my_consents(ctx: Ctx) -> Page[ConsentView]:
    """我的电子证照用证授权"""
    total, items = await service.my_consents(ctx.user, ctx.query.offset, ctx.query.size)
    return Page[ConsentView](total=total, items=items)


async def revoke_consent(ctx: Ctx) -> ConsentView:
    """撤回用证授权（工作人员此后只能看到“授权已撤回”）"""
    return await service.revoke_consent(ctx.user, ctx.path["id"], ctx.request_id)


async def prefill(ctx: Ctx) -> PrefillView:
    """申请表预填：该事项申请表的字段及本人数据中的预填值（标明来源），确认后随申请提交"""
    return await service.prefill_for(ctx.user, ctx.path["code"], ctx.settings)


async def my_case_form(ctx: Ctx) -> CaseFormView:
    """我提交的申请表"""
    return await service.my_case_form(ctx.user, ctx.path["id"], ctx.settings)


async def staff_case_form(ctx: Ctx) -> CaseFormView:
    """办件的申请表（个人信息脱敏；查看记入审计）"""
    return await service.staff_case_form(ctx.user, ctx.path["id"], ctx.settings, ctx.request_id)


_T = ["licences"]
_NF = [(404, "NOT_FOUND")]

ENDPOINTS = [
    endpoint(
        "GET",
        "/me/licences",
        my_licences,
        auth="citizen",
        query=PageQuery,
        response=Page[LicenceView],
        tags=_T,
    ),
    endpoint(
        "GET", "/me/licences/{id:id}", my_licence, auth="citizen", response=LicenceView, tags=_T, errors=_NF
    ),
    endpoint(
        "POST",
        "/me/licences/{id:id}/verification",
        verification_code,
        auth="citizen",
        response=LicenceCode,
        status=201,
        tags=_T,
        errors=_NF,
    ),
    endpoint(
        "GET",
        "/public/licences/verify",
        verify,
        query=VerifyQuery,
        response=VerifyResult,
        tags=_T,
        errors=[(400, "LICENCE_CODE_INVALID"), (410, "LICENCE_CODE_EXPIRED")],
    ),
    endpoint(
        "GET",
        "/me/licence-consents",
        my_consents,
        auth="citizen",
        query=PageQuery,
        response=Page[ConsentView],
        tags=_T,
    ),
    endpoint(
        "POST",
        "/me/licence-consents/{id:id}/revoke",
        revoke_consent,
        auth="citizen",
        response=ConsentView,
        tags=_T,
        errors=[*_NF, (409, "CONSENT_ALREADY_REVOKED")],
    ),
    endpoint(
        "GET", "/items/{code}/prefill", prefill, auth="citizen", response=PrefillView, tags=_T, errors=_NF
    ),
    endpoint(
        "GET",
        "/applications/{id:id}/form",
        my_case_form,
        auth="citizen",
        response=CaseFormView,
        tags=_T,
        errors=_NF,
    ),
    endpoint(
        "GET",
        "/staff/applications/{id:id}/form",
        staff_case_form,
        auth="staff",
        response=CaseFormView,
        tags=_T,
        errors=_NF,
    ),
]
