"""The workbench's TypeScript types (web/src/api/schema.d.ts) match the OpenAPI document the server serves.

`npm run gen:api` (or `make web-types`) writes the document's digest to web/src/api/openapi.sha256 beside
the types; a backend change that alters the spec without regenerating them fails here — without node."""

from __future__ import annotations

from citizen_api.openapi_dump import TYPES_DIGEST, served_spec, spec_digest


def test_committed_web_types_match_the_served_openapi():
    assert TYPES_DIGEST.is_file(), f"{TYPES_DIGEST} is missing: run `make web-types`"
    committed = TYPES_DIGEST.read_text(encoding="utf-8").strip()
    current = spec_digest(served_spec())
    assert committed == current, (
        "web/src/api/schema.d.ts is stale: the served OpenAPI changed. "
        "Run `make web-types` and commit web/src/api/schema.d.ts and web/src/api/openapi.sha256."
    )


def test_the_digest_follows_the_spec_and_not_its_key_order():
    spec = served_spec()
    reordered = dict(reversed(list(spec.items())))
    assert spec_digest(reordered) == spec_digest(spec)
    changed = {**spec, "paths": {**spec["paths"], "/api/v1/new-thing": {"get": {}}}}
    assert spec_digest(changed) != spec_digest(spec)


def test_served_spec_is_what_the_running_app_serves(tmp_path):
    from citizen_api.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(tmp_path, "sqlite://:memory:", "http://127.0.0.1:9"))
    assert spec_digest(app.state.openapi) == spec_digest(served_spec())
