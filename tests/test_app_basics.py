"""Errors in the contract's shape, probes, OpenAPI and the self-hosted docs page."""

from __future__ import annotations

from tests.conftest import assert_error


async def test_unknown_route_and_wrong_method(client):
    assert_error(await client.get("/api/v1/nothing-here"), 404, "NOT_FOUND")
    assert_error(await client.delete("/api/v1/auth/wechat"), 405, "METHOD_NOT_ALLOWED")


async def test_validation_errors_name_each_field(client):
    resp = await client.post("/api/v1/auth/staff", json={"username": "", "extra": 1})
    err = assert_error(resp, 422, "VALIDATION_ERROR")
    fields = err["details"]["fields"]
    assert "body.username" in fields and "body.password" in fields and "body.extra" in fields

    resp = await client.post(
        "/api/v1/auth/wechat", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(resp, 422, "VALIDATION_ERROR")
    resp = await client.post("/api/v1/auth/wechat", json=[1, 2, 3])
    assert_error(resp, 422, "VALIDATION_ERROR")
    resp = await client.post("/api/v1/auth/wechat", json={"code": "a\u0000b"})
    assert_error(resp, 422, "VALIDATION_ERROR")


async def test_oversized_json_body_is_413(client):
    big = b'{"code": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    resp = await client.post("/api/v1/auth/wechat", content=big, headers={"content-type": "application/json"})
    assert_error(resp, 413, "BODY_TOO_LARGE")


async def test_request_id_and_security_headers(client):
    resp = await client.get("/healthz", headers={"X-Request-ID": "abcdef123456"})
    assert resp.status_code == 200
    assert resp.headers["x-request-id"] == "abcdef123456"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "server-timing" in resp.headers
    other = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert other.headers["x-request-id"] != "bad id with spaces"


async def test_readyz_reports_database(client):
    resp = await client.get("/readyz")
    assert resp.status_code == 200
    assert resp.json()["checks"]["database"] is True


async def test_openapi_and_local_docs(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/auth/wechat" in spec["paths"]
    op = spec["paths"]["/api/v1/auth/wechat"]["post"]
    assert "requestBody" in op and "401" in op["responses"]
    page = await client.get("/api/v1/docs")
    assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from the internet
    asset = await client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000


async def test_unexpected_errors_answer_the_contract_shape_with_request_id(settings):
    import httpx
    from asgi_lifespan import LifespanManager
    from starlette.routing import Route

    from citizen_api.app import create_app

    async def broken(request):
        raise RuntimeError("bug: 13800138000")

    app = create_app(settings, extra_routes=[Route("/boom", broken)])
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            resp = await c.get("/boom", headers={"X-Request-ID": "req-12345678"})
    err = assert_error(resp, 500, "INTERNAL_ERROR")
    assert err["details"]["request_id"] == "req-12345678"
    assert "RuntimeError" not in resp.text and "13800138000" not in resp.text


async def test_metrics_expose_latency_by_route_and_error_codes(client):
    await client.get("/healthz")
    await client.post("/api/v1/auth/wechat", json={"code": "bogus"})
    text = (await client.get("/metrics")).text
    assert (
        'onetrip_http_request_duration_seconds_count{method="GET",route="/healthz",status_class="2xx"}'
        in text
    )
    assert 'onetrip_api_errors_total{code="WECHAT_CODE_INVALID"}' in text
    assert 'onetrip_outbox_rows{status="pending"}' in text


async def _ready(settings) -> tuple[int, dict]:
    import httpx
    from asgi_lifespan import LifespanManager

    from citizen_api.app import create_app

    app = create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://t") as c,
    ):
        resp = await c.get("/readyz")
    return resp.status_code, resp.json()


async def test_readyz_checks_redis_when_configured(tmp_path, sqlite_template, wechat_sim, redis_dsn):
    from tests import databases
    from tests.conftest import make_settings

    url = databases.fresh_sqlite(sqlite_template, tmp_path)
    status, body = await _ready(make_settings(tmp_path, url, wechat_sim.base_url, redis_url=redis_dsn))
    assert status == 200 and body["checks"] == {"database": True, "redis": True}

    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    status, body = await _ready(
        make_settings(tmp_path, url, wechat_sim.base_url, redis_url=f"redis://127.0.0.1:{dead_port}/0")
    )
    assert status == 503 and body["checks"]["redis"] is False and body["checks"]["database"] is True


def test_logs_mask_personal_data_but_keep_request_ids(monkeypatch):
    import io
    import json
    import sys

    import structlog

    from citizen_api.logging_setup import configure_logging

    previous = structlog.get_config()
    buffer = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buffer)
    configure_logging(json_logs=True)
    try:
        request_id = "596fc40d1e034ea4b1e13812345678ee"  # hex that happens to hold a mobile-like run
        note = "手机 13812345678 身份证 11010519491231002X"
        structlog.get_logger().info("profile saved", request_id=request_id, note=note)
    finally:
        structlog.configure(**previous)  # later tests log through the default logger again
    line = json.loads(buffer.getvalue().strip().splitlines()[-1])
    assert line["request_id"] == request_id
    assert "13812345678" not in line["note"] and "138****5678" in line["note"]
    assert "11010519491231002X" not in line["note"]
