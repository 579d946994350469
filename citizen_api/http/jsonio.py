"""JSON rendering: UTF-8, dates as YYYY-MM-DD and every time with the +08:00 offset.

:func:`local_iso` is the one datetime format of every answer. Endpoints render through their
declared ``response=`` type (:class:`ResponseRenderer`, cached per endpoint): the handler's result
is validated against it (``from_attributes``: ORM objects and other models map onto it), so an
answer cannot drift from what the OpenAPI document says, then written to bytes by pydantic.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, TypeAdapter
from starlette.responses import Response

from citizen_api.clock import to_local


def local_iso(value: datetime) -> str:
    """The one datetime format of the API: China Standard Time, to the second (2026-03-01T10:00:00+08:00)."""
    return to_local(value).isoformat(timespec="seconds")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return local_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", by_alias=True)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python", by_alias=True)
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":")).encode()


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


# core-schema nodes whose JSON pydantic would write differently from local_iso (a datetime in UTC,
# or any value of an untyped field, which may be one)
_LOCAL_TIME_TYPES = frozenset({"datetime", "any"})


def _holds_times(schema: Any) -> bool:
    if isinstance(schema, dict):
        if schema.get("type") in _LOCAL_TIME_TYPES:
            return True
        return any(_holds_times(v) for k, v in schema.items() if k not in ("cls", "metadata", "ref"))
    if isinstance(schema, list | tuple):
        return any(_holds_times(v) for v in schema)
    return False


class ResponseRenderer:
    """Validate a handler's result against the declared type and write it as JSON bytes.

    A result that does not fit the declared type raises (a 500 in production, a failing test
    before that). Answers without datetimes are written by pydantic straight to bytes; the others
    go through :func:`local_iso` (pydantic itself would write UTC with microseconds)."""

    __slots__ = ("adapter", "exact", "straight")

    def __init__(self, annotation: Any) -> None:
        self.adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        # a handler returning exactly the declared model needs no second validation
        is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        self.exact = annotation if is_model else None
        self.straight = not _holds_times(self.adapter.core_schema)

    def validate(self, result: Any) -> Any:
        if self.exact is not None and type(result) is self.exact:
            return result
        return self.adapter.validate_python(result, from_attributes=True)

    def render(self, result: Any) -> bytes:
        value = self.validate(result)
        if self.straight:
            return self.adapter.dump_json(value, by_alias=True)
        return dumps(self.adapter.dump_python(value, by_alias=True))
