"""Uploads: a citizen (or an admin, for blank forms and samples) sends one file; only the owner reads it."""

from __future__ import annotations

from starlette.responses import StreamingResponse

from citizen_api.http import Ctx, endpoint
from citizen_api.ratelimit import limiter
from citizen_api.uploads import preview, service
from citizen_api.uploads.schemas import (
    CONTENT_RESPONSE_DOC,
    PREVIEW_RESPONSE_DOC,
    UPLOAD_REQUEST_DOC,
    PreviewQuery,
    UploadOut,
)

UPLOADERS = {"citizen", "admin", "village_agent"}  # 代办员: the villager's materials and signature


async def post_upload(ctx: Ctx) -> UploadOut:
    """上传材料文件（multipart，字段 file；按内容识别类型）"""
    principal = ctx.user
    if principal.is_citizen:  # before reading a byte of the body
        await limiter.hit(
            ctx.state,
            f"upload:user:{principal.user_id}",
            limit=ctx.settings.upload_rate_limit,
            window_seconds=ctx.settings.upload_rate_window_seconds,
        )
    received = await service.receive(ctx.request, principal, ctx.state.storage, ctx.settings)
    try:
        async with ctx.atomic():
            return await service.record(received, principal)
    except BaseException:  # refused (quota), failed or cancelled: no file without its row
        await service.discard(ctx.state.storage, received)
        raise


async def get_upload(ctx: Ctx) -> UploadOut:
    """我上传的文件信息"""
    return UploadOut.model_validate(await service.get_own(ctx.path["id"], ctx.user))


async def get_upload_content(ctx: Ctx) -> StreamingResponse:
    """下载我上传的文件"""
    upload = await service.get_own(ctx.path["id"], ctx.user)
    return await service.content_response(ctx.state.storage, upload)


async def get_preview(ctx: Ctx) -> StreamingResponse:
    """预览办件材料文件（签名短时链接，无需登录令牌）"""
    query = ctx.query
    return await preview.serve(ctx.path["upload_id"], query.exp, query.sig, ctx.state.storage, ctx.settings)


ENDPOINTS = [
    endpoint(
        "POST",
        "/uploads",
        post_upload,
        auth=UPLOADERS,
        status=201,
        response=UploadOut,
        atomic="manual",  # the body streams to storage first; the row is written after
        raw_request_doc=UPLOAD_REQUEST_DOC,
        description="市民尚未用于办件的文件合计不得超过配额：超出为 413 UPLOAD_QUOTA_EXCEEDED，"
        "details 给出 quota_bytes 与 used_bytes（按声明长度在读取前拒绝，或在接收中途拒绝，不留残余文件）；"
        "每人上传次数限流，超出为 429 RATE_LIMITED，带 Retry-After 头（秒）。",
        tags=["uploads"],
        errors=[
            (413, "UPLOAD_TOO_LARGE"),
            (413, "UPLOAD_QUOTA_EXCEEDED"),
            (415, "UPLOAD_TYPE_REJECTED"),
            (429, "RATE_LIMITED"),
        ],
    ),
    endpoint("GET", "/uploads/{id:id}", get_upload, auth=UPLOADERS, response=UploadOut, tags=["uploads"]),
    endpoint(
        "GET",
        "/uploads/{id:id}/content",
        get_upload_content,
        auth=UPLOADERS,
        raw_response_doc=CONTENT_RESPONSE_DOC,
        tags=["uploads"],
    ),
    endpoint(
        "GET",
        "/files/{upload_id:id}/preview",
        get_preview,
        query=PreviewQuery,
        raw_response_doc=PREVIEW_RESPONSE_DOC,
        description="工作人员办件详情中每个文件的 preview_url：短时有效"
        "（默认 5 分钟，ONETRIP_PREVIEW_LINK_SECONDS）的签名链接，只对应一个文件，"
        "无需 Authorization（浏览器 <img>/PDF 直接加载，令牌从不出现在 URL 中）。"
        "签发即记入审计日志（每次查看详情一条）。链接过期或被篡改为 403 PREVIEW_LINK_INVALID。",
        tags=["uploads"],
        errors=[(403, "PREVIEW_LINK_INVALID"), (404, "NOT_FOUND")],
    ),
]
