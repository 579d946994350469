"""The contract's error shape: ``{"error": {"code", "message", "details"}}``.

Every failure the API answers goes through :class:`ApiError` or one of the handlers below, so
that no input, however malformed, gets a stack trace or a bare 500.
"""

from __future__ import annotations

from typing import Any

import structlog
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from citizen_api.metrics import API_ERRORS

log = structlog.get_logger("onetrip.errors")

# Default Chinese messages for the codes shared by every domain; domains pass their own message.
MESSAGES: dict[str, str] = {
    "VALIDATION_ERROR": "请求参数有误",
    "UNAUTHENTICATED": "请先登录",
    "TOKEN_EXPIRED": "登录已过期，请重新登录",
    "FORBIDDEN": "无权进行此操作",
    "NOT_FOUND": "未找到相关内容",
    "METHOD_NOT_ALLOWED": "不支持该请求方法",
    "BODY_TOO_LARGE": "请求内容过大",
    "UNSUPPORTED_MEDIA_TYPE": "请求内容格式不支持",
    "RATE_LIMITED": "操作过于频繁，请稍后再试",
    "CONFLICT": "操作与当前状态冲突",
    "INTERNAL_ERROR": "系统繁忙，请稍后再试",
    "DB_UNAVAILABLE": "系统维护中，请稍后再试",
    "SERVICE_UNAVAILABLE": "服务暂不可用，请稍后再试",
}


# Error code → the pydantic model of its ``details``, documented per code in the OpenAPI spec.
# Register with ``@details_model("CODE", ...)`` next to the model (see citizen_api/http/error_details.py).
ERROR_DETAILS: dict[str, type] = {}


def details_model(*codes: str):
    """Class decorator: ``model`` is the shape of ``details`` for each of ``codes``."""

    def register(model: type) -> type:
        for code in codes:
            ERROR_DETAILS[code] = model
        return model

    return register


class ApiError(Exception):
    """An answer with the contract's error shape. Raise it anywhere below a route."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message or MESSAGES.get(code, "请求失败")
        self.details = details or {}
        self.headers = headers


def not_found(message: str = "未找到相关内容") -> ApiError:
    return ApiError(404, "NOT_FOUND", message)


def forbidden(message: str = "无权进行此操作") -> ApiError:
    return ApiError(403, "FORBIDDEN", message)


def conflict(code: str, message: str, details: dict[str, Any] | None = None) -> ApiError:
    return ApiError(409, code, message, details)


def error_response(
    status: int,
    code: str,
    message: str | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {
        "error": {
            "code": code,
            "message": message or MESSAGES.get(code, "请求失败"),
            "details": details or {},
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


async def api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    API_ERRORS.labels(code=exc.code).inc()
    return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)


_HTTP_CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "BODY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
}


async def http_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "INTERNAL_ERROR" if exc.status_code >= 500 else "CONFLICT")
    return error_response(exc.status_code, code, headers=dict(exc.headers or {}))


def _is_db_outage(exc: BaseException) -> bool:
    """A lost or refused database connection, as opposed to a bug."""
    names = {type(e).__name__ for e in _chain(exc)}
    return bool(
        names
        & {
            "ConnectionRefusedError",
            "ConnectionDoesNotExistError",
            "CannotConnectNowError",
            "InterfaceError",
            "PostgresConnectionError",
            "ConnectionResetError",
            "DBConnectionError",
            "TooManyConnectionsError",
            "AdminShutdownError",
        }
    )


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


async def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    request_id = request.scope.get("request_id", "")
    if _is_db_outage(exc):
        API_ERRORS.labels(code="DB_UNAVAILABLE").inc()
        log.warning("database unavailable", request_id=request_id, error=type(exc).__name__)
        return error_response(503, "DB_UNAVAILABLE", headers={"Retry-After": "5"})
    log.error("unexpected error", request_id=request_id, path=request.url.path, exc_info=exc)
    return error_response(500, "INTERNAL_ERROR", details={"request_id": request_id})


def _outage_candidates() -> tuple[type[BaseException], ...]:
    """The exception classes a database outage surfaces as. Starlette hands a handler for
    ``Exception`` to its outermost middleware, which re-raises after answering: the request log
    and metrics would record a 500 and the server would print a traceback. Handlers for these
    concrete classes run inside the request middleware instead, and answer without re-raising."""
    import asyncpg
    from tortoise.exceptions import BaseORMException

    return (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, BaseORMException)


EXCEPTION_HANDLERS = {
    ApiError: api_error_handler,
    HTTPException: http_exception_handler,
    **dict.fromkeys(_outage_candidates(), unexpected_error_handler),
    Exception: unexpected_error_handler,
}
