"""Admins keep the synonym list (俗称、简称 → 规范用语); every API process picks changes up.

The synonyms are catalog data (they travel in the catalog file); what a synonym must be to be of
use to the index (something left after normalising, not the canonical word itself) is checked here.
"""

from __future__ import annotations

from citizen_api.catalog import service as catalog
from citizen_api.catalog.schemas import SynonymIn, SynonymOut
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, endpoint
from citizen_api.search.text import normalise

ADMIN = {"admin"}
_TAGS = ["catalog-admin"]


def _show_after_commit(ctx: Ctx) -> None:
    index = ctx.state.search_index
    if index is not None:
        ctx.after_commit(index.refresh_after_edit)


async def list_synonyms(ctx: Ctx) -> list[SynonymOut]:
    """同义词、俗称列表"""
    return await catalog.list_synonyms()


async def add_synonym(ctx: Ctx) -> SynonymOut:
    """新增同义词（如 驾照 → 机动车驾驶证）"""
    body: SynonymIn = ctx.body
    if not normalise(body.term) or not normalise(body.canonical):
        raise ApiError(
            422, "VALIDATION_ERROR", "同义词不能只含标点或空格", {"fields": {"body.term": "取值无效"}}
        )
    if normalise(body.term) == normalise(body.canonical):
        raise ApiError(422, "SYNONYM_SAME_AS_TERM", "同义词与规范用语相同")
    synonym = await catalog.add_synonym(body.term, body.canonical, ctx.user)
    _show_after_commit(ctx)
    return synonym


async def delete_synonym(ctx: Ctx) -> None:
    """删除同义词"""
    await catalog.delete_synonym(ctx.path["id"], ctx.user)
    _show_after_commit(ctx)


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
