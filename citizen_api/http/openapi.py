"""OpenAPI 3.1 generated from the endpoints' pydantic schemas (never written by hand)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

import citizen_api.http.error_details  # noqa: F401  (registers the details of the shared codes)
from citizen_api.errors import ERROR_DETAILS, MESSAGES
from citizen_api.http.endpoint import Endpoint

REF = "#/components/schemas/{model}"
_PATH_PARAM = re.compile(r"{(\w+)(?::(\w+))?}")
_CONVERTOR_SCHEMA = {
    "int": {"type": "integer", "minimum": 0},
    "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999},
    "str": {"type": "string"},
    None: {"type": "string"},
}
_STATUS_TEXT = {200: "OK", 201: "Created", 204: "No Content"}


class ComponentNameClash(ValueError):
    """Two different schemas would be published under one component name (one would silently win)."""


class _Collector:
    """Collects component schemas across every endpoint, with stable $ref names."""

    def __init__(self) -> None:
        self.components: dict[str, Any] = {}
        self._origins: dict[str, str] = {}

    def add(self, name: str, definition: dict[str, Any], origin: str) -> None:
        known = self.components.get(name)
        if known is None:
            self.components[name] = definition
            self._origins[name] = origin
        elif known != definition:
            raise ComponentNameClash(
                f"OpenAPI component {name!r}: {origin} and {self._origins[name]} are different schemas "
                "with one name; rename one of the models"
            )

    def schema(self, annotation: Any, mode: str, origin: str = "") -> dict[str, Any]:
        adapter = TypeAdapter(annotation)
        schema = adapter.json_schema(ref_template=REF, mode=mode, schema_generator=GenerateJsonSchema)
        for name, definition in schema.pop("$defs", {}).items():
            self.add(name, definition, origin)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            name = annotation.__name__
            # generic models get names like Page[ItemSummary]: keep them valid as component keys
            name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
            self.add(name, schema, origin)
            return {"$ref": REF.format(model=name)}
        return schema

    def error_envelope(self, code: str) -> dict[str, Any]:
        """``Error_<CODE>``: the error body of one code, its ``details`` typed where it has a model."""
        name = f"Error_{code}"
        if name not in self.components:
            model = ERROR_DETAILS.get(code)
            details = (
                self.schema(model, "serialization", f"the details of {code}")
                if model is not None
                else {"type": "object", "description": "此错误码不带附加信息"}
            )
            message: dict[str, Any] = {"type": "string", "description": "给市民看的中文说明"}
            if code in MESSAGES:
                message["examples"] = [MESSAGES[code]]
            self.add(
                name,
                {
                    "type": "object",
                    "title": name,
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message", "details"],
                            "properties": {
                                "code": {"type": "string", "const": code},
                                "message": message,
                                "details": details,
                            },
                        }
                    },
                },
                f"the error code {code}",
            )
        return {"$ref": REF.format(model=name)}


def build_openapi(endpoints: list[tuple[str, Endpoint]], extra_paths: dict[str, Any] | None = None) -> dict:
    collector = _Collector()
    paths: dict[str, dict[str, Any]] = {}
    for prefix, ep in endpoints:
        if not ep.include_in_schema:
            continue
        path = _PATH_PARAM.sub(lambda m: "{" + m.group(1) + "}", prefix + ep.path)
        paths.setdefault(path, {})[ep.method.lower()] = _operation(prefix, ep, collector)
    for path, ops in (extra_paths or {}).items():
        paths.setdefault(path, {}).update(ops)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OneTrip 政务服务 API",
            "version": "1.0.0",
            "description": "零跑腿 / 只跑一次 政务服务小程序后端。错误统一为 "
            '`{"error": {"code", "message", "details"}}`；每个错误码的格式（含 details 的字段）'
            "见组件 `Error_<CODE>`，各接口的错误响应按状态码列出它可能返回的错误码。",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": collector.components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


def _operation(prefix: str, ep: Endpoint, collector: _Collector) -> dict[str, Any]:
    where = f"{ep.method} {prefix}{ep.path}"
    op: dict[str, Any] = {
        "operationId": f"{ep.method.lower()}_{ep.handler.__module__.split('.')[-2]}_{ep.handler.__name__}",
        "summary": ep.summary or ep.handler.__name__,
        "tags": list(ep.tags),
        "parameters": [],
        "responses": {},
    }
    if ep.description:
        op["description"] = ep.description
    for match in _PATH_PARAM.finditer(ep.path):
        op["parameters"].append(
            {
                "name": match.group(1),
                "in": "path",
                "required": True,
                "schema": _CONVERTOR_SCHEMA.get(match.group(2), {"type": "string"}),
            }
        )
    if ep.query is not None:
        op["parameters"].extend(_query_parameters(ep.query, collector))
    if ep.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": collector.schema(ep.body, "validation", f"{where} body")}
            },
        }
    elif ep.raw_request_doc is not None:
        op["requestBody"] = ep.raw_request_doc
    if ep.raw_response_doc is not None:
        op["responses"][str(ep.status)] = ep.raw_response_doc
    elif ep.status == 204:
        op["responses"]["204"] = {"description": "No Content"}
    elif ep.response is not None:
        op["responses"][str(ep.status)] = {
            "description": _STATUS_TEXT.get(ep.status, "OK"),
            "content": {
                "application/json": {
                    "schema": collector.schema(ep.response, "serialization", f"{where} response")
                }
            },
        }
    else:
        op["responses"][str(ep.status)] = {"description": _STATUS_TEXT.get(ep.status, "OK")}
    if ep.roles is not None:
        op["security"] = [{"bearer": []}]
    for status, codes in _error_statuses(ep).items():
        variants = [collector.error_envelope(code) for code in codes]
        op["responses"][str(status)] = {
            "description": "、".join(
                f"{c}（{MESSAGES.get(c, '')}）" if MESSAGES.get(c) else c for c in codes
            ),
            # one variant per code (``error.code`` tells them apart)
            "content": {
                "application/json": {"schema": variants[0] if len(variants) == 1 else {"oneOf": variants}}
            },
        }
    return op


def _error_statuses(ep: Endpoint) -> dict[int, list[str]]:
    statuses: dict[int, list[str]] = {422: ["VALIDATION_ERROR"], 404: ["NOT_FOUND"], 503: ["DB_UNAVAILABLE"]}
    if ep.roles is not None:
        statuses[401] = ["UNAUTHENTICATED", "TOKEN_EXPIRED"]
        statuses[403] = ["FORBIDDEN"]
    if ep.body is not None or ep.raw_request_doc is not None:
        statuses.setdefault(413, []).append("BODY_TOO_LARGE")
    for status, code in ep.errors:
        codes = statuses.setdefault(status, [])
        if code not in codes:
            codes.append(code)
    return dict(sorted(statuses.items()))


def _query_parameters(model: type[BaseModel], collector: _Collector) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    for def_name, definition in schema.pop("$defs", {}).items():
        collector.add(def_name, definition, f"the query of {model.__name__}")
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params
