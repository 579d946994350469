"""Uploads: a citizen (or an admin, for blank forms and samples) sends one file; only the owner reads it."""

from __future__ import annotations

from starlette.responses import StreamingResponse

from citizen_api.http import Ctx, endpoint
from citizen_api.uploads import service
from citizen_api.uploads.schemas import CONTENT_RESPONSE_DOC, UPLOAD_REQUEST_DOC, UploadOut

UPLOADERS = {"citizen", "admin"}


async def post_upload(ctx: Ctx) -> UploadOut:
    """上传材料文件（multipart，字段 file；按内容识别类型）"""
    upload = await service.receive(ctx.request, ctx.user, ctx.state.storage, ctx.settings)
    return UploadOut.of(upload)


async def get_upload(ctx: Ctx) -> UploadOut:
    """我上传的文件信息"""
    return UploadOut.of(await service.get_own(ctx.path["id"], ctx.user))


async def get_upload_content(ctx: Ctx) -> StreamingResponse:
    """下载我上传的文件"""
    upload = await service.get_own(ctx.path["id"], ctx.user)
    return await service.content_response(ctx.state.storage, upload)


ENDPOINTS = [
    endpoint(
        "POST",
        "/uploads",
        post_upload,
        auth=UPLOADERS,
        status=201,
        response=UploadOut,
        transaction=False,  # the body streams to storage first; the row is written after
        raw_request_doc=UPLOAD_REQUEST_DOC,
        tags=["uploads"],
        errors=[(413, "UPLOAD_TOO_LARGE"), (415, "UPLOAD_TYPE_REJECTED")],
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
]
