"""Admins keep the synonym list (俗称、简称 → 规范用语); every API process picks changes up."""

from __future__ import annotations

from citizen_api.audit.service import record as audit
from citizen_api.catalog.routes import ADMIN, refresh_search_after_commit
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, endpoint
from citizen_api.search import repository as repo
from citizen_api.search.schemas import SynonymIn, SynonymOut
from citizen_api.search.text import normalise

_TAGS = ["catalog-admin"]


async def list_synonyms(ctx: Ctx) -> list[SynonymOut]:
    """同义词、俗称列表"""
    return [SynonymOut(id=s.id, term=s.term, canonical=s.canonical) for s in await repo.list_synonyms()]


async def add_synonym(ctx: Ctx) -> SynonymOut:
    """新增同义词（如 驾照 → 机动车驾驶证）"""
    body: SynonymIn = ctx.body
    if not normalise(body.term) or not normalise(body.canonical):
        raise ApiError(
            422, "VALIDATION_ERROR", "同义词不能只含标点或空格", {"fields": {"body.term": "取值无效"}}
        )
    if normalise(body.term) == normalise(body.canonical):
        raise ApiError(422, "SYNONYM_SAME_AS_TERM", "同义词与规范用语相同")
    if await repo.synonym_exists(body.term, body.canonical):
        raise ApiError(409, "SYNONYM_EXISTS", "该同义词已存在")
    synonym = await repo.add_synonym(body.term, body.canonical)
    await repo.bump_revision()
    await audit(ctx.user, "search.synonym.add", "synonym", synonym.id, body.model_dump())
    refresh_search_after_commit(ctx)
    return SynonymOut(id=synonym.id, term=synonym.term, canonical=synonym.canonical)


async def delete_synonym(ctx: Ctx) -> None:
    """删除同义词"""
    if not await repo.delete_synonym(ctx.path["id"]):
        raise ApiError(404, "NOT_FOUND", "未找到该同义词")
    await repo.bump_revision()
    await audit(ctx.user, "search.synonym.delete", "synonym", ctx.path["id"])
    refresh_search_after_commit(ctx)


ENDPOINTS = [
    endpoint(
        "GET", "/admin/catalog/synonyms", list_synonyms, auth=ADMIN, response=list[SynonymOut], tags=_TAGS
    ),
    endpoint(
        "POST",
        "/admin/catalog/synonyms",
        add_synonym,
        auth=ADMIN,
        body=SynonymIn,
        response=SynonymOut,
        status=201,
        tags=_TAGS,
        errors=[(409, "SYNONYM_EXISTS"), (422, "SYNONYM_SAME_AS_TERM")],
    ),
    endpoint(
        "DELETE",
        "/admin/catalog/synonyms/{id:id}",
        delete_synonym,
        auth=ADMIN,
        status=204,
        tags=_TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
]
