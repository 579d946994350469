"""How the app serves the workbench build (web/dist): deep links, caching, content types, a missing build.

These use a small stand-in build in a temporary directory (the real one is exercised by tests/browser)."""

from __future__ import annotations

import httpx
import pytest

from citizen_api.app import create_app
from tests.conftest import make_settings

INDEX = (
    '<!doctype html><html><head><title>工作台</title><script type="module" '
    'src="/workbench/assets/main-abc123.js"></script></head><body><div id="app"></div></body></html>'
)
HALL = "<!doctype html><html><head><title>叫号</title></head><body><div id=hall></div></body></html>"
SCRIPT = "console.log('工作台');" * 200


@pytest.fixture
def dist(tmp_path):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "hall.html").write_text(HALL, encoding="utf-8")
    (root / "assets" / "main-abc123.js").write_text(SCRIPT, encoding="utf-8")
    (root / "assets" / "main-abc123.css").write_text("body{color:red}", encoding="utf-8")
    (root / "assets" / "font-abc123.woff2").write_bytes(b"wOF2" + b"\0" * 60)
    (root / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the build", encoding="utf-8")
    return root


def _client(tmp_path, **overrides) -> httpx.AsyncClient:
    settings = make_settings(tmp_path, f"sqlite://{tmp_path}/unused.db", "http://127.0.0.1:9", **overrides)
    transport = httpx.ASGITransport(app=create_app(settings))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_deep_links_get_the_app_page_uncached_with_the_idle_setting(tmp_path, dist):
    async with _client(tmp_path, web_dist_dir=dist, workbench_idle_minutes=45) as client:
        for path in ("/workbench/", "/workbench/window", "/workbench/cases/GA2026000012", "/workbench/login"):
            resp = await client.get(path)
            assert resp.status_code == 200, path
            assert resp.headers["content-type"].startswith("text/html")
            assert resp.headers["cache-control"] == "no-store"
            assert '<meta name="onetrip-idle-minutes" content="45">' in resp.text
            assert "default-src 'self'" in resp.headers["content-security-policy"]
            assert '<div id="app">' in resp.text
        moved = await client.get("/workbench")
        assert moved.status_code == 308 and moved.headers["location"] == "/workbench/"


async def test_hashed_assets_are_cached_for_a_year_with_their_content_types(tmp_path, dist):
    async with _client(tmp_path, web_dist_dir=dist) as client:
        script = await client.get("/workbench/assets/main-abc123.js")
        assert script.status_code == 200
        assert script.headers["content-type"] == "text/javascript; charset=utf-8"
        assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert script.headers["x-content-type-options"] == "nosniff"
        assert script.text == SCRIPT
        css = await client.get("/workbench/assets/main-abc123.css")
        assert css.headers["content-type"] == "text/css; charset=utf-8"
        font = await client.get("/workbench/assets/font-abc123.woff2")
        assert font.headers["content-type"] == "font/woff2"
        icon = await client.get("/workbench/favicon.svg")
        assert icon.headers["content-type"] == "image/svg+xml"
        assert icon.headers["cache-control"] == "public, max-age=3600"


async def test_text_assets_are_gzipped_for_browsers_that_ask(tmp_path, dist):
    async with _client(tmp_path, web_dist_dir=dist) as client:
        raw = await client.get("/workbench/assets/main-abc123.js", headers={"accept-encoding": "gzip"})
        assert raw.headers["content-encoding"] == "gzip"
        assert raw.headers["vary"] == "Accept-Encoding"
        assert raw.text == SCRIPT  # httpx decodes it
        assert int(raw.headers["content-length"]) < len(SCRIPT.encode()) / 5
        plain = await client.get("/workbench/assets/main-abc123.js", headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.text == SCRIPT


async def test_missing_assets_and_paths_outside_the_build_are_404(tmp_path, dist):
    async with _client(tmp_path, web_dist_dir=dist) as client:
        gone = await client.get("/workbench/assets/old-chunk-999.js")
        assert gone.status_code == 404
        assert "text/html" not in gone.headers["content-type"]
        for path in (
            "/workbench/%2e%2e/secret.txt",
            "/workbench/..%2fsecret.txt",
            "/workbench/assets/%2e%2e/%2e%2e/secret.txt",
        ):
            resp = await client.get(path)
            assert resp.status_code == 404, path
            assert "outside the build" not in resp.text, path


async def test_the_hall_tv_page_needs_no_login(tmp_path, dist):
    async with _client(tmp_path, web_dist_dir=dist) as client:
        resp = await client.get("/hall/SMZX")
        assert resp.status_code == 200
        assert "<title>叫号</title>" in resp.text
        assert resp.headers["cache-control"] == "no-store"
        assert (await client.get("/hall/<script>")).status_code == 404


async def test_without_a_build_the_pages_say_how_to_build_it(tmp_path):
    async with _client(tmp_path, web_dist_dir=tmp_path / "nothing-here") as client:
        for path in ("/workbench/", "/workbench/window", "/hall/SMZX"):
            resp = await client.get(path)
            assert resp.status_code == 503, path
            assert resp.headers["content-type"].startswith("text/html")
            assert "工作台尚未构建" in resp.text and "make install" in resp.text
        # the API is unaffected
        assert (await client.get("/api/v1/openapi.json")).status_code == 200
