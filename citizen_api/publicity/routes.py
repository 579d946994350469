"""许可公示's public endpoint (no login)."""

from __future__ import annotations

from citizen_api.http import Ctx, Page, endpoint
from citizen_api.publicity import service
from citizen_api.publicity.schemas import DecisionsQuery, PublishedDecisionOut


async def public_decisions(ctx: Ctx) -> Page[PublishedDecisionOut]:
    """许可公示：涉企事项的办理决定（企业名称、信用代码、决定、日期、文号；不含自然人信息）"""
    q = ctx.query
    return await service.decisions(q.q, q.offset, q.size)


ENDPOINTS = [
    endpoint(
        "GET",
        "/public/decisions",
        public_decisions,
        query=DecisionsQuery,
        response=Page[PublishedDecisionOut],
        tags=["public"],
    ),
]
