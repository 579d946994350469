"""No input makes a 500: every operation of the served OpenAPI spec gets garbage, and every answer
is either a success or the contract's error shape.

This walks the spec, so each endpoint a domain adds is covered without writing a test for it.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.conftest import create_staff

HUGE_INT = 10**20
LONG = "长" * 5000


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    if "anyOf" in schema:
        non_null = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if non_null:
            return _resolve(non_null[0], spec)
    return schema


def _plausible(schema: dict, spec: dict, depth: int = 0) -> Any:
    schema = _resolve(schema, spec)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {k: _plausible(v, spec, depth + 1) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [_plausible(schema.get("items", {}), spec, depth + 1)] if depth < 3 else []
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-10-10"
    if schema.get("format") == "date-time":
        return "2026-10-10T09:00:00+08:00"
    return "测试"


def _wrong_values(schema: dict, spec: dict) -> list[Any]:
    schema = _resolve(schema, spec)
    kind = schema.get("type")
    values: list[Any] = [None, {"nested": [1]}, LONG]
    if kind in ("integer", "number"):
        values += [HUGE_INT, -HUGE_INT, "12abc", 1e308]
    elif kind == "string":
        values += [123, "", "../../etc/passwd", "'; DROP TABLE users; --", "9999-99-99", "\u202e\ufeff"]
    elif kind == "array":
        values += ["not-a-list", [None] * 3, [HUGE_INT], list(range(2000))]
    elif kind == "boolean":
        values += ["maybe", 2]
    else:
        values += [[], "x", HUGE_INT]
    return values


def _bodies(operation: dict, spec: dict) -> list[Any]:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return [None]
    schema = _resolve(content["application/json"]["schema"], spec)
    base = _plausible(schema, spec)
    bodies: list[Any] = [{}, [], "text", 42, base]
    if isinstance(base, dict):
        for name, prop in schema.get("properties", {}).items():
            for wrong in _wrong_values(prop, spec):
                bodies.append({**base, name: wrong})
    return bodies


def _queries(operation: dict, spec: dict) -> list[dict[str, str]]:
    params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    plausible = {p["name"]: str(_plausible(p.get("schema", {}), spec)) for p in params}
    queries = [{}, plausible]
    for p in params:
        for wrong in ("", "-1", str(HUGE_INT), "abc", "1e309", "2026-13-45", "x" * 3000, "%00"):
            queries.append({**plausible, p["name"]: wrong})
    return queries


def _paths(template: str) -> list[str]:
    names = [seg[1:-1] for seg in template.split("/") if seg.startswith("{")]
    if not names:
        return [template]
    choices = ["1", "999999999", "abc", "..%2F..%2Fetc", "测试"]
    paths = []
    for combo in (
        itertools.product(choices[:3], repeat=len(names)) if len(names) > 1 else ([c] for c in choices)
    ):
        path = template
        for name, value in zip(names, combo, strict=True):
            path = path.replace("{" + name + "}", value)
        paths.append(path)
    return paths


def _check(resp, where: str) -> None:
    assert resp.status_code < 500, f"{where} → {resp.status_code} {resp.text[:300]}"
    if resp.status_code >= 400 and resp.headers.get("content-type", "").startswith("application/json"):
        body = resp.json()
        assert set(body) == {"error"}, f"{where} → not the contract's error shape: {body}"
        assert {"code", "message", "details"} <= set(body["error"]), where


SKIP = {"/api/v1/docs", "/api/v1/openapi.json"}


def _calls(template: str, operation: dict, spec: dict):
    """(path, query, body) to send: every wrong path, query and body once, the other two plausible.

    One dimension wrong at a time: each garbage value still reaches every operation (as each
    caller the operation knows), without the product of all three (minutes per database)."""
    paths = _paths(template)
    queries = _queries(operation, spec)[:12]
    bodies = _bodies(operation, spec)[:40]
    plausible_query = queries[1] if len(queries) > 1 else queries[0]
    plausible_body = bodies[4] if len(bodies) > 4 else bodies[0]
    for path in paths:
        yield path, plausible_query, plausible_body
        yield path, {}, None  # no query, no body (and raw garbage bytes, below)
    for query in queries:
        yield paths[0], query, plausible_body
    for body in bodies:
        yield paths[0], plausible_query, body


async def test_no_input_makes_a_server_error(api, client):
    await create_staff("fuzz-admin", "admin", None)
    citizen = await api.citizen_headers("fuzzer")
    admin = await api.staff_headers("fuzz-admin")
    spec = (await client.get("/api/v1/openapi.json")).json()
    checked = 0
    for template, operations in spec["paths"].items():
        if template in SKIP:
            continue
        for method, operation in operations.items():
            headers_choices = [{}, citizen, admin] if operation.get("security") else [{}]
            for (path, query, body), headers in itertools.product(
                _calls(template, operation, spec), headers_choices
            ):
                kwargs: dict[str, Any] = {"headers": headers, "params": query}
                if body is not None:
                    kwargs["json"] = body
                resp = await client.request(method.upper(), path, **kwargs)
                _check(resp, f"{method.upper()} {path} {query} {str(body)[:80]}")
                checked += 1
                if body is None and not query:
                    # raw bodies: send garbage bytes too
                    garbage = await client.request(
                        method.upper(),
                        path,
                        headers={**headers, "content-type": "multipart/form-data; boundary=x"},
                        content=b"\x00\xff--x",
                    )
                    _check(garbage, f"{method.upper()} {path} garbage multipart")
    assert checked > 50
