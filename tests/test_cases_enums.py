"""The served OpenAPI spec lists the values of the cases answers' enums, taken from the transition
table, so a client can rely on them and they cannot drift from what the server does."""

from __future__ import annotations

from citizen_api.cases.transitions import CITIZEN, STATUSES, TRANSITIONS

CITIZEN_STEPS = ["supplement", "withdraw", "rate", "set_delivery", "complain"]  # the contract's list
WARNINGS = ["none", "yellow", "red"]


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            found = [resolve(spec, s) for s in schema[key] if s.get("type") != "null"]
            if len(found) == 1:
                return found[0]
            # a case or a bundle (一件事) answer: the case's schema is the one checked here
            cases = [f for f in found if _kind(spec, f) == "case"]
            if len(cases) == 1:
                return cases[0]
    return schema


def _kind(spec: dict, schema: dict) -> str | None:
    kind = schema.get("properties", {}).get("kind", {})
    return kind.get("const") or (kind.get("enum") or [None])[0] or kind.get("default")


def answer(spec: dict, path: str, method: str = "get", status: str = "200") -> dict:
    content = spec["paths"][f"/api/v1{path}"][method]["responses"][status]["content"]
    return resolve(spec, content["application/json"]["schema"])


def prop(spec: dict, schema: dict, name: str) -> dict:
    return resolve(spec, schema["properties"][name])


def enum(spec: dict, schema: dict, name: str) -> list[str]:
    found = prop(spec, schema, name)
    if found.get("type") == "array":
        found = resolve(spec, found["items"])
    return found["enum"]


async def test_status_warning_and_actions_are_enums_of_the_table(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    detail = answer(spec, "/applications/{id}")
    listed = resolve(spec, prop(spec, answer(spec, "/applications"), "items")["items"])
    staff = answer(spec, "/staff/applications/{id}")
    staff_listed = resolve(spec, prop(spec, answer(spec, "/staff/applications"), "items")["items"])
    moved = answer(spec, "/staff/applications/{id}/accept", "post")
    progress = answer(spec, "/progress")

    for schema in (detail, listed, staff, staff_listed, moved, progress):
        assert enum(spec, schema, "status") == list(STATUSES)
        assert enum(spec, schema, "warning") == WARNINGS
    timeline = resolve(spec, prop(spec, detail, "timeline")["items"])
    assert enum(spec, timeline, "status") == list(STATUSES)

    assert enum(spec, detail, "actions") == CITIZEN_STEPS
    assert enum(spec, listed, "actions") == CITIZEN_STEPS
    # the citizen's steps of the table are among them
    assert {a for (_, a), t in TRANSITIONS.items() if CITIZEN in t.roles} <= set(CITIZEN_STEPS)
    staff_steps = enum(spec, staff, "staff_actions")
    assert set(staff_steps) == {a for (_, a), t in TRANSITIONS.items() if t.roles - {CITIZEN}}
    assert "withdraw" not in staff_steps and "supplement" not in staff_steps

    # the rating of the detail is a typed object with its rectification, not a free dict
    rating = prop(spec, detail, "rating")
    assert {"level", "tags", "comment", "rectification"} <= set(rating["properties"])
    rectification = prop(spec, rating, "rectification")
    assert set(enum(spec, rectification, "status")) == {"open", "visited", "rectified", "closed"}
