"""The served OpenAPI spec lists the statuses of shipments, complaints, appeals and rectifications as
enums taken from the domains' state lists, so a client can rely on them and they cannot drift."""

from __future__ import annotations

from citizen_api.complaints import transitions as complaints
from citizen_api.delivery import transitions as delivery
from citizen_api.ratings import models as ratings
from citizen_api.ratings import transitions as rating_tables
from citizen_api.ratings.vocabulary import RECTIFICATION_VERDICTS


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            found = [resolve(spec, s) for s in schema[key] if s.get("type") != "null"]
            if len(found) == 1:
                return found[0]
    return schema


def answer(spec: dict, path: str, method: str = "get", status: str = "200") -> dict:
    content = spec["paths"][f"/api/v1{path}"][method]["responses"][status]["content"]
    return resolve(spec, content["application/json"]["schema"])


def prop(spec: dict, schema: dict, name: str) -> dict:
    found = resolve(spec, schema["properties"][name])
    return resolve(spec, found["items"]) if found.get("type") == "array" else found


def enum(spec: dict, schema: dict, name: str) -> list[str]:
    return prop(spec, schema, name)["enum"]


def query_enum(spec: dict, path: str, name: str) -> list[str]:
    [param] = [p for p in spec["paths"][f"/api/v1{path}"]["get"]["parameters"] if p["name"] == name]
    return resolve(spec, param["schema"])["enum"]


async def test_shipment_statuses_are_enums(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    citizen_view = prop(spec, answer(spec, "/applications/{id}/delivery"), "shipments")
    mailed_in = answer(spec, "/applications/{id}/mail-in", "post", "201")
    staff_listed = prop(spec, answer(spec, "/staff/shipments"), "items")
    for schema in (citizen_view, mailed_in, staff_listed):
        assert enum(spec, schema, "status") == list(delivery.STATUSES)
        assert enum(spec, schema, "direction") == ["outbound", "inbound"]
    assert set(enum(spec, prop(spec, citizen_view, "events"), "state")) == set(delivery.STATES)
    assert query_enum(spec, "/staff/shipments", "status") == list(delivery.STATUSES)


async def test_complaint_appeal_and_rectification_statuses_are_enums(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    for schema in (
        answer(spec, "/complaints", "post", "201"),
        prop(spec, answer(spec, "/complaints"), "items"),
        prop(spec, answer(spec, "/staff/complaints"), "items"),
        answer(spec, "/staff/complaints/{id}/reply", "post"),
    ):
        assert enum(spec, schema, "status") == list(complaints.STATUSES) == ["open", "replied"]
    assert query_enum(spec, "/staff/complaints", "status") == list(complaints.STATUSES)

    staff_rating = answer(spec, "/staff/ratings/{id}")
    for schema in (
        answer(spec, "/staff/rating-appeals/{id}/decide", "post"),
        prop(spec, answer(spec, "/staff/rating-appeals"), "items"),
        prop(spec, staff_rating, "appeals"),
    ):
        assert enum(spec, schema, "status") == list(rating_tables.APPEAL_STATUSES)
    assert enum(spec, staff_rating, "kind") == list(ratings.KINDS)
    assert enum(spec, prop(spec, staff_rating, "notes"), "to_status") == list(
        rating_tables.RECTIFICATION_STATUSES
    )
    verdict = answer(spec, "/ratings/{id}/rectification/verdict", "post")
    assert enum(spec, verdict, "status") == list(rating_tables.RECTIFICATION_STATUSES)
    assert enum(spec, verdict, "verdict") == list(RECTIFICATION_VERDICTS)
