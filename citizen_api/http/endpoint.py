"""Endpoints: one declaration gives the Starlette route, the validation and the OpenAPI entry.

A handler takes a :class:`Ctx` and returns a pydantic model, a dict/list, or a Response:

    async def get_item(ctx: Ctx) -> ItemDetail: ...
    endpoint("GET", "/items/{code}", get_item, response=ItemDetail, tags=["catalog"])

Writes (non-GET) run in one unit of work per request (``citizen_api.db.atomic``; services never
commit); callbacks registered with ``ctx.after_commit`` (or on the unit, as the outbox does) run
once it has committed. An endpoint that must call out before it writes (WeChat, kuaidi100, a
streamed body) declares ``atomic="manual"`` and opens ``async with ctx.atomic():`` around its writes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from citizen_api import db
from citizen_api.errors import ApiError
from citizen_api.http.jsonio import JsonResponse, ResponseRenderer
from citizen_api.http.validation import field_errors, validation_error
from citizen_api.security.principal import ALL_ROLES, CITIZEN, STAFF_ROLES, Principal
from citizen_api.state import AppState

AUTH_PRESETS: dict[str, frozenset[str] | None] = {
    "public": None,
    "user": ALL_ROLES,
    "citizen": frozenset({CITIZEN}),
    "staff": STAFF_ROLES,
}


@dataclass
class Ctx:
    """Everything a handler needs, parsed and checked."""

    request: Request
    state: AppState
    principal: Principal | None
    path: dict[str, Any]
    query: Any = None
    body: Any = None
    _after_commit: list[Callable[[], Awaitable[None] | None]] = field(default_factory=list)

    @property
    def settings(self):
        return self.state.settings

    @property
    def user(self) -> Principal:
        """The authenticated principal (endpoints with auth != public always have one)."""
        if self.principal is None:
            raise ApiError(401, "UNAUTHENTICATED")
        return self.principal

    @property
    def request_id(self) -> str:
        return self.request.scope.get("request_id", "")

    @property
    def client_ip(self) -> str:
        return self.request.client.host if self.request.client else "unknown"

    def atomic(self) -> AbstractAsyncContextManager[db.UnitOfWork]:
        """The request's unit of work, for ``atomic="manual"`` endpoints (after their call-outs)."""
        return db.atomic(self.state)

    def after_commit(self, callback: Callable[[], Awaitable[None] | None]) -> None:
        """Run ``callback`` once the current unit of work has committed (outside any: once the
        handler has returned, its writes being committed already)."""
        unit = db.current_unit()
        if unit is not None:
            unit.after_commit(callback)
        else:
            self._after_commit.append(callback)


Handler = Callable[[Ctx], Awaitable[Any]]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    roles: frozenset[str] | None = None
    # "auto": a non-GET handler runs in one unit of work; "manual": it opens ``ctx.atomic()`` itself
    atomic: Literal["auto", "manual"] = "auto"
    errors: tuple[tuple[int, str], ...] = ()
    # For handlers that read the request themselves (multipart, XML, signed callbacks).
    raw_request_doc: dict[str, Any] | None = None
    raw_response_doc: dict[str, Any] | None = None
    max_body_bytes: int | None = None
    include_in_schema: bool = True

    def route(self, prefix: str = "") -> Route:
        return Route(
            prefix + self.path, self._asgi_handler, methods=[self.method], name=self.handler.__name__
        )

    async def _asgi_handler(self, request: Request) -> Response:
        state: AppState = request.state.app
        principal = authenticate(request, state, self.roles)
        ctx = Ctx(request=request, state=state, principal=principal, path=dict(request.path_params))
        if self.query is not None:
            ctx.query = parse_query(request, self.query)
        if self.body is not None:
            cap = self.max_body_bytes or state.settings.max_json_body_bytes
            ctx.body = parse_body(await read_capped(request, cap), self.body)
        with db.bound_state(state):  # units the handler's services open belong to this app
            if self.atomic == "auto" and self.method != "GET":
                async with db.atomic(state):
                    # rendered inside the unit: an answer that breaks its schema rolls the writes back
                    response = self._respond(await self.handler(ctx))
            else:
                response = self._respond(await self.handler(ctx))
            for callback in ctx._after_commit:
                outcome = callback()
                if outcome is not None:
                    await outcome
        return response

    @cached_property
    def _renderer(self) -> ResponseRenderer | None:
        # built on first use (every schema module is imported by then), then kept for the process
        return ResponseRenderer(self.response) if self.response is not None else None

    def _respond(self, result: Any) -> Response:
        if isinstance(result, Response):
            return result
        if result is None and self.status == 204:
            return Response(status_code=204)
        renderer = self._renderer
        if renderer is None:
            return JsonResponse(result, status_code=self.status)
        return Response(renderer.render(result), status_code=self.status, media_type="application/json")


def endpoint(
    method: str,
    path: str,
    handler: Handler,
    *,
    auth: str | Iterable[str] = "public",
    tags: Iterable[str] = (),
    errors: Iterable[tuple[int, str]] = (),
    **options: Any,
) -> Endpoint:
    """Declare an endpoint. ``auth`` is a preset (public, user, citizen, staff) or a set of roles."""
    roles = AUTH_PRESETS[auth] if isinstance(auth, str) else frozenset(auth)
    summary = options.pop("summary", None) or (handler.__doc__ or "").strip().split("\n")[0]
    return Endpoint(
        method=method.upper(),
        path=path,
        handler=handler,
        roles=roles,
        tags=tuple(tags),
        errors=tuple(errors),
        summary=summary,
        **options,
    )


def authenticate(request: Request, state: AppState, roles: frozenset[str] | None) -> Principal | None:
    from citizen_api.security.tokens import decode_access_token

    header = request.headers.get("authorization", "")
    if roles is None:
        # public endpoints still know who calls when a token is given (e.g. view counts)
        if header.lower().startswith("bearer "):
            try:
                principal = decode_access_token(header[7:].strip(), state.settings)
            except ApiError:
                return None
            return None if state.disabled_accounts.refuses(principal) else principal
        return None
    if not header.lower().startswith("bearer "):
        raise ApiError(401, "UNAUTHENTICATED", headers={"WWW-Authenticate": "Bearer"})
    principal = decode_access_token(header[7:].strip(), state.settings)
    if state.disabled_accounts.refuses(principal):
        raise ApiError(401, "UNAUTHENTICATED", "账号已停用，请重新登录")
    if principal.role not in roles:
        raise ApiError(403, "FORBIDDEN")
    return principal


def parse_query(request: Request, model: type[BaseModel]) -> BaseModel:
    raw: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if get_origin(info.annotation) is list or info.annotation is list:
            values = request.query_params.getlist(key)
            if values:
                raw[key] = values
        elif key in request.query_params:
            raw[key] = request.query_params[key]
    for value in request.query_params.values():
        if "\x00" in value:
            raise validation_error({"query": "包含非法字符"})
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(field_errors(exc, "query")) from None


async def read_capped(request: Request, cap: int) -> bytes:
    """Read a body, refusing it as soon as it passes ``cap`` bytes (413 BODY_TOO_LARGE)."""
    declared = request.headers.get("content-length", "")
    too_large = ApiError(413, "BODY_TOO_LARGE", details={"max_bytes": cap})
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def parse_body(raw: bytes, model: type[BaseModel]) -> BaseModel:
    if not raw.strip():
        data: Any = {}
    else:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise validation_error({"body": "不是合法的 JSON"}, "请求内容不是合法的 JSON") from None
    if _has_nul(data):
        raise validation_error({"body": "包含非法字符"})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(field_errors(exc, "body")) from None
    except RecursionError:
        raise validation_error({"body": "嵌套过深"}) from None


def _has_nul(value: Any, depth: int = 0) -> bool:
    """PostgreSQL text cannot hold NUL: refuse it up front instead of failing in the database."""
    if depth > 64:
        return False
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v, depth + 1) for v in value)
    return False
