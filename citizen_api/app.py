"""``create_app(settings)``: the one factory used by production, ``make run`` and the tests."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import aiohttp
import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from citizen_api.db import DatabaseNotReady, close_db, ensure_migrated, init_db
from citizen_api.docs import docs_routes
from citizen_api.domains import LIFESPANS, MODEL_MODULES, Lifespan
from citizen_api.errors import EXCEPTION_HANDLERS
from citizen_api.http.openapi import build_openapi
from citizen_api.middleware import RequestContextMiddleware
from citizen_api.routes import API_PREFIX, mounted_endpoints
from citizen_api.settings import Settings
from citizen_api.state import AppState
from citizen_api.webui import webui_routes
from citizen_api.wechat.gateway import WeChatGateway

log = structlog.get_logger("onetrip.app")


@asynccontextmanager
async def open_state(
    settings: Settings, lifespans: Sequence[Lifespan], *, redis=None
) -> AsyncIterator[AppState]:
    """The process's shared clients, with the given start-up hooks entered in order (left in
    reverse). The API opens every domain's (``LIFESPANS``), the worker what its jobs need
    (``WORKER_LIFESPANS``) on arq's Redis connection. The database is opened by the caller."""
    http = aiohttp.ClientSession()
    own_redis = redis is None
    if own_redis:
        redis = _redis_client(settings)
    state = AppState(settings=settings, http=http, wechat=WeChatGateway(http, settings), redis=redis)
    try:
        async with contextlib.AsyncExitStack() as stack:
            for hook in lifespans:
                await stack.enter_async_context(hook(state))
            yield state
    finally:
        await http.close()
        if own_redis and redis is not None:
            await redis.aclose()


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
        await init_db(settings.database_url, MODEL_MODULES)
        try:
            await ensure_migrated(settings.database_url, MODEL_MODULES)
        except BaseException:
            await close_db()
            raise
        try:
            async with open_state(settings, LIFESPANS) as state:
                # the running app's state, for whoever holds the app (tests driving jobs, drills)
                app.state.running = state
                log.info("started", database=settings.database_url.split("@")[-1], redis=bool(state.redis))
                try:
                    yield {"app": state}
                finally:
                    app.state.running = None
        finally:
            await close_db()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(OneLineStartupFailure), Middleware(RequestContextMiddleware)],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.running = None
    app.state.openapi = _openapi_of(endpoints)
    return app


# The spec is built (and checked: a component-name clash fails here, at start-up) once per set of endpoints in
# a process: building it costs ~0.2 s, and the suite creates an app per test. The endpoints are module-level
# objects; the cached list keeps them alive, so their ids cannot be reused while cached. Read-only.
_SPECS: dict[tuple, tuple[list, dict]] = {}


def _openapi_of(endpoints: list) -> dict:
    key = tuple((prefix, id(ep)) for prefix, ep in endpoints)
    cached = _SPECS.get(key)
    if cached is None:
        if len(_SPECS) >= 8:
            _SPECS.clear()
        cached = _SPECS[key] = (list(endpoints), build_openapi(endpoints))
    return cached[1]


class OneLineStartupFailure:
    """A start-up refused for a reason the operator fixes (database not migrated, not reachable):
    the server prints that one line (the exception's message) instead of Starlette's traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_failure_in_one_line(message: Message) -> None:
            # Starlette sends startup.failed from inside its ``except`` block: the exception is current
            failure = sys.exc_info()[1]
            if message["type"] == "lifespan.startup.failed" and isinstance(failure, DatabaseNotReady):
                message = {**message, "message": str(failure)}
            await send(message)

        await self.app(scope, receive, send_failure_in_one_line)


def _redis_client(settings: Settings):
    if not settings.redis_url:
        return None
    from redis.asyncio import Redis

    # short timeouts: with Redis down the API keeps serving from the database
    return Redis.from_url(settings.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)


def asgi_app() -> ASGIApp:
    """Entry for ``uvicorn --factory citizen_api.app:asgi_app`` (settings from the environment)."""
    from citizen_api.heap import FreezeHeapAfterStartup
    from citizen_api.logging_setup import configure_logging

    settings = Settings()
    configure_logging(json_logs=settings.log_json)
    return FreezeHeapAfterStartup(create_app(settings))
