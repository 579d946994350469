"""Search endpoints: the item list with search and filters, and the type-ahead (admins: ``routes_admin``).

Both are answered from this process's in-memory index (``state.search_index``), never the database.
"""

from __future__ import annotations

from starlette.responses import Response

from citizen_api.catalog.schemas import ItemSummary
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.search.routes_admin import ENDPOINTS as ADMIN_ENDPOINTS
from citizen_api.search.schemas import ItemQuery, Suggestion, Suggestions, SuggestQuery
from citizen_api.search.service import Filters, SearchService

_TAGS = ["catalog"]


def _index(ctx: Ctx) -> SearchService:
    if ctx.state.search_index is None:
        raise ApiError(503, "SERVICE_UNAVAILABLE", "搜索服务启动中，请稍后再试")
    return ctx.state.search_index


async def list_items(ctx: Ctx) -> Response:
    """事项列表与搜索：中文分词、拼音全拼与首字母、同义词俗称、错别字容错；按相关度再按热度排序"""
    query: ItemQuery = ctx.query
    filters = Filters(
        trips=query.trips,
        online=query.online,
        department=query.department.upper() if query.department else None,
        audience=query.audience,
        deliverable=query.deliverable,
        bookable=query.bookable,
    )
    body = _index(ctx).page_json(query.q, filters, query.page, query.size)
    return Response(body, media_type="application/json")


async def suggest(ctx: Ctx) -> Suggestions:
    """输入联想：边输入边提示事项名称（支持拼音首字母）"""
    top = _index(ctx).top(ctx.query.q, ctx.query.size)
    return Suggestions(items=[Suggestion.model_validate(summary) for summary in top])


ENDPOINTS = [
    endpoint("GET", "/items", list_items, query=ItemQuery, response=Page[ItemSummary], tags=_TAGS),
    # mounted before the catalog's /items/{code} (see citizen_api.domains): "suggest" is not an item code
    endpoint("GET", "/items/suggest", suggest, query=SuggestQuery, response=Suggestions, tags=_TAGS),
    *ADMIN_ENDPOINTS,
]
