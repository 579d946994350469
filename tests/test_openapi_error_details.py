"""The served OpenAPI spec documents every error answer, with ``details`` typed per error code.

A client generated from the spec (the mini-program, the workbench) gets ``details.fields`` of a
422, the ``missing`` materials, ``retry_after`` and ``waitlist`` as typed fields; the answers the
server really gives validate against what the spec says for that operation and status.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
import jsonschema_rs
from asgi_lifespan import LifespanManager

from citizen_api import clock
from citizen_api.app import create_app
from tests import cases_fixtures
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, book, citizen, make_hall, slots_on
from tests.conftest import assert_error, create_staff, make_settings

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

SPEC_URL = "/api/v1/openapi.json"
ONE_PLACE = [{"start": "09:00", "end": "12:00", "slot_minutes": 60, "capacity": 1}]


async def served_spec(client: httpx.AsyncClient) -> dict:
    resp = await client.get(SPEC_URL)
    assert resp.status_code == 200
    return resp.json()


def resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def operations(spec: dict):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path, op


def error_variants(response: dict, spec: dict) -> dict[str, dict]:
    """``code → envelope schema`` of one documented error response."""
    schema = response["content"]["application/json"]["schema"]
    variants = schema.get("oneOf", [schema])
    out = {}
    for variant in variants:
        envelope = resolve(variant, spec)
        out[envelope["properties"]["error"]["properties"]["code"]["const"]] = envelope
    return out


def details_of(spec: dict, method: str, path: str, status: int, code: str) -> dict:
    op = spec["paths"][path][method.lower()]
    envelope = error_variants(op["responses"][str(status)], spec)[code]
    return resolve(envelope["properties"]["error"]["properties"]["details"], spec)


def assert_answer_documented(spec: dict, method: str, path: str, resp: httpx.Response) -> None:
    """The answer's status is documented for the operation and its body validates against it."""
    op = spec["paths"][path][method.lower()]
    documented = op["responses"].get(str(resp.status_code))
    assert documented is not None, f"{method} {path}: {resp.status_code} undocumented ({resp.text[:200]})"
    schema = {**documented["content"]["application/json"]["schema"], "components": spec["components"]}
    errors = [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(resp.json())]
    assert not errors, f"{method} {path} {resp.status_code} {resp.text[:300]}: {errors[:3]}"


async def test_every_error_response_has_a_schema_per_code(client):
    spec = await served_spec(client)
    checked = 0
    for method, path, op in operations(spec):
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            content = response.get("content", {}).get("application/json")
            assert content and content.get("schema"), f"{method} {path} {status} has no schema"
            variants = error_variants(response, spec)
            # each code listed in the description has its own envelope, and nothing else
            listed = re.findall(r"[A-Z][A-Z0-9_]+", response["description"])
            assert set(variants) == set(listed), f"{method} {path} {status}"
            for code, envelope in variants.items():
                error = envelope["properties"]["error"]
                assert envelope["required"] == ["error"]
                assert set(error["required"]) == {"code", "message", "details"}, code
                assert resolve(error["properties"]["details"], spec).get("type") == "object", code
            checked += 1
    assert checked > 300, checked  # the walk saw the whole API


async def test_details_of_the_listed_codes_are_typed(client):
    spec = await served_spec(client)

    validation = details_of(spec, "PUT", "/api/v1/me/profile", 422, "VALIDATION_ERROR")
    assert validation["required"] == ["fields"]
    fields = validation["properties"]["fields"]
    assert fields["type"] == "object" and fields["additionalProperties"] == {"type": "string"}

    missing = details_of(spec, "POST", "/api/v1/applications", 422, "MATERIALS_MISSING")
    assert set(missing["required"]) == {"missing", "can_tolerate"}
    entry = resolve(missing["properties"]["missing"]["items"], spec)
    assert entry["properties"]["id"]["type"] == "integer"
    assert entry["properties"]["name"]["type"] == "string"
    assert entry["properties"]["tolerable"]["type"] == "boolean"

    limited = details_of(spec, "GET", "/api/v1/progress", 429, "RATE_LIMITED")
    assert limited["required"] == ["retry_after"]
    assert limited["properties"]["retry_after"]["type"] == "integer"

    full = details_of(spec, "POST", "/api/v1/appointments", 409, "SLOT_FULL")
    assert full["required"] == ["waitlist"] and full["properties"]["waitlist"]["type"] == "boolean"

    # every operation's 422 refers to the one shared envelope (not a copy of it)
    for _, _, op in operations(spec):
        schema = op["responses"]["422"]["content"]["application/json"]["schema"]
        refs = [variant.get("$ref") for variant in schema.get("oneOf", [schema])]
        assert "#/components/schemas/Error_VALIDATION_ERROR" in refs


async def test_real_validation_and_materials_errors_match_the_spec(client, api):
    spec = await served_spec(client)
    item = await cases_fixtures.published_item()
    alice = await cases_fixtures.citizen(api, client)

    bad = await client.put(
        "/api/v1/me/profile", json={"name": "", "id_number": "1", "phone": "x"}, headers=alice.headers
    )
    error = assert_error(bad, 422, "VALIDATION_ERROR")
    assert {"body.id_number", "body.phone"} <= set(error["details"]["fields"])
    assert_answer_documented(spec, "PUT", "/api/v1/me/profile", bad)

    incomplete = await client.post(
        "/api/v1/applications", json={"item_code": item.code, "materials": {}}, headers=alice.headers
    )
    error = assert_error(incomplete, 422, "MATERIALS_MISSING")
    assert error["details"]["missing"] and isinstance(error["details"]["can_tolerate"], bool)
    assert_answer_documented(spec, "POST", "/api/v1/applications", incomplete)

    # the schema is not a formality: a body with details of the wrong type would not validate
    wrong = httpx.Response(422, json={"error": {**error, "details": {"missing": "户口簿"}}})
    schema = spec["paths"]["/api/v1/applications"]["post"]["responses"]["422"]["content"]["application/json"]
    validator = jsonschema_rs.validator_for({**schema["schema"], "components": spec["components"]})
    assert not validator.is_valid(wrong.json())


async def test_real_slot_full_matches_the_spec(appt_client, appt_settings):
    spec = await served_spec(appt_client)
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=ONE_PLACE)
    slot = (await slots_on(appt_client, hall.item.code, date(2026, 9, 29)))[0]
    _, alice = await citizen(appt_settings, "alice")
    _, bob = await citizen(appt_settings, "bob")
    assert (await book(appt_client, alice, slot["id"], hall.item.code)).status_code == 201
    full = await book(appt_client, bob, slot["id"], hall.item.code)
    assert assert_error(full, 409, "SLOT_FULL")["details"]["waitlist"] is True
    assert_answer_documented(spec, "POST", "/api/v1/appointments", full)


async def test_real_rate_limit_matches_the_spec(tmp_path, database_url):
    settings = make_settings(tmp_path, database_url, "http://127.0.0.1:9", progress_ip_limit=2)
    async with LifespanManager(create_app(settings), startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            spec = await served_spec(client)
            query = {"number": "GA20260101000001", "phone_tail": "0000"}
            answers = [await client.get("/api/v1/progress", params=query) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 429]
    error = assert_error(answers[2], 429, "RATE_LIMITED")
    assert error["details"]["retry_after"] == int(answers[2].headers["retry-after"])
    for answer in answers:
        assert_answer_documented(spec, "GET", "/api/v1/progress", answer)


def _fill(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "999999" if m.group(1) in ("id", "upload_id") else "NO-SUCH", path)


async def test_every_operation_answers_bad_calls_as_documented(client, api):
    """Anonymous, citizen and admin calls with empty and malformed bodies to every operation:
    each JSON error answer has its status documented and validates against that schema."""
    spec = await served_spec(client)
    await create_staff("spec-admin", "admin", None)
    callers: list[dict[str, str]] = [{}, await api.citizen_headers("spec-citizen")]
    callers.append(await api.staff_headers("spec-admin"))
    seen: dict[int, int] = {}
    for method, path, op in operations(spec):
        if path in (SPEC_URL, "/api/v1/docs"):
            continue
        takes_json = "application/json" in op.get("requestBody", {}).get("content", {})
        bodies: list[Any] = [{}, [], {"page": "x"}] if takes_json else [None]
        for headers in callers if op.get("security") else [{}]:
            for body in bodies:
                kwargs: dict[str, Any] = {"headers": headers, "params": {"page": "0", "date": "x"}}
                if body is not None:
                    kwargs["json"] = body
                resp = await client.request(method, _fill(path), **kwargs)
                if resp.status_code < 400 or not resp.headers.get("content-type", "").startswith(
                    "application/json"
                ):
                    continue
                assert_answer_documented(spec, method, path, resp)
                seen[resp.status_code] = seen.get(resp.status_code, 0) + 1
    assert {401, 403, 404, 422} <= set(seen), seen
