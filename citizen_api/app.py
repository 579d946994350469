"""``create_app(settings)``: the one factory used by production, ``make run`` and the tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import aiohttp
import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from citizen_api.db import close_db, init_db
from citizen_api.docs import docs_routes
from citizen_api.errors import EXCEPTION_HANDLERS
from citizen_api.http.openapi import build_openapi
from citizen_api.middleware import RequestContextMiddleware
from citizen_api.routes import API_PREFIX, mounted_endpoints
from citizen_api.settings import Settings
from citizen_api.state import AppState
from citizen_api.webui import webui_routes
from citizen_api.wechat.gateway import WeChatGateway

log = structlog.get_logger("onetrip.app")

LifespanHook = Callable[[AppState], AbstractAsyncContextManager[None]]


def lifespan_hooks() -> list[LifespanHook]:
    """Per-domain start-up/shut-down (search index, storage, outbox dispatcher …), in order."""
    from citizen_api.domains import modules

    return [module.lifespan for module in modules("lifecycle")]


def create_app(settings: Settings | None = None, *, extra_routes: list[BaseRoute] | None = None) -> Starlette:
    settings = settings or Settings()
    settings.check_production()
    endpoints = mounted_endpoints()
    routes: list[BaseRoute] = [ep.route(prefix) for prefix, ep in endpoints]
    routes += docs_routes(API_PREFIX)
    routes += extra_routes or []
    routes += webui_routes()  # /workbench/ and /hall/{office_code} (web/dist)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, AppState]]:
        await init_db(settings.database_url)
        http = aiohttp.ClientSession()
        redis = _redis_client(settings)
        state = AppState(settings=settings, http=http, wechat=WeChatGateway(http, settings), redis=redis)
        try:
            async with contextlib.AsyncExitStack() as stack:
                for hook in lifespan_hooks():
                    await stack.enter_async_context(hook(state))
                log.info("started", database=settings.database_url.split("@")[-1], redis=bool(redis))
                yield {"app": state}
        finally:
            await http.close()
            if redis is not None:
                await redis.aclose()
            await close_db()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestContextMiddleware)],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.openapi = build_openapi(endpoints)
    return app


def _redis_client(settings: Settings):
    if not settings.redis_url:
        return None
    from redis.asyncio import Redis

    # short timeouts: with Redis down the API keeps serving from the database
    return Redis.from_url(settings.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)


def asgi_app() -> ASGIApp:
    """Entry for ``uvicorn --factory citizen_api.app:asgi_app`` (settings from the environment)."""
    from citizen_api.logging_setup import configure_logging

    settings = Settings()
    configure_logging(json_logs=settings.log_json)
    return create_app(settings)
