"""Liveness and readiness probes."""

from __future__ import annotations

import contextlib

from pydantic import BaseModel

from citizen_api.db import ping_db
from citizen_api.http import Ctx, endpoint
from citizen_api.http.jsonio import JsonResponse


class Health(BaseModel):
    status: str
    checks: dict[str, bool] = {}


async def healthz(ctx: Ctx) -> Health:
    """进程存活检查"""
    return Health(status="ok")


async def readyz(ctx: Ctx):
    """就绪检查：数据库（及已配置的 Redis）可达"""
    checks = {"database": await ping_db()}
    if ctx.state.redis is not None:
        try:
            checks["redis"] = bool(await ctx.state.redis.ping())
        except Exception:
            checks["redis"] = False
    ok = all(checks.values())
    body = Health(status="ok" if ok else "unavailable", checks=checks)
    return JsonResponse(body, status_code=200 if ok else 503)


async def metrics(ctx: Ctx):
    """Prometheus 指标"""
    from starlette.responses import Response

    from citizen_api.metrics import refresh_database_gauges, render

    # a scrape must still answer while the database is away
    with contextlib.suppress(Exception):
        await refresh_database_gauges()
    body, content_type = render()
    return Response(body, media_type=content_type)


ENDPOINTS = [
    endpoint("GET", "/healthz", healthz, response=Health, tags=["ops"]),
    endpoint(
        "GET",
        "/metrics",
        metrics,
        tags=["ops"],
        raw_response_doc={"description": "Prometheus text format", "content": {"text/plain": {}}},
    ),
    endpoint("GET", "/readyz", readyz, response=Health, tags=["ops"], errors=[(503, "SERVICE_UNAVAILABLE")]),
]
