"""Browser tests: the real app under uvicorn serving web/dist, driven by Playwright through Debian's Chromium.

Needs ``/usr/bin/chromium`` (``apt-get install chromium fonts-noto-cjk``; Playwright's own browser download
cannot work here) and a build in web/dist (``make install``). Without them the tests skip with the reason,
except in CI (``CI=true``), where they fail. Screenshots go to var/screenshots/<test>.png.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from citizen_api.app import create_app
from citizen_api.settings import Settings
from tests import databases
from tests.conftest import LOOPBACK_LIMITS, Api, make_settings
from tests.delivery_fixtures import locker_sim  # noqa: F401 — the hall's pickup locker
from tests.services import IN_CI

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
DIST = WEB / "dist"
SCREENSHOTS = REPO / "var" / "screenshots"
CHROMIUM = os.environ.get("ONETRIP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESK = (1366, 768)  # a typical hall PC
TV = (1920, 1080)


def _missing(message: str) -> None:
    if IN_CI:
        pytest.fail(message + " (CI must run the browser tests)")
    pytest.skip(message)


def _web_sources() -> list[Path]:
    files = [WEB / "index.html", WEB / "hall.html", WEB / "package-lock.json"]
    # generated declarations (schema.d.ts, components.d.ts) change no built byte
    files += [p for p in (WEB / "src").rglob("*") if p.is_file() and not p.name.endswith(".d.ts")]
    return [p for p in files if p.exists()]


@pytest.fixture(scope="session")
def web_dist() -> Path:
    """web/dist, built and newer than every web source."""
    built = DIST / "index.html"
    if not built.is_file() or not (DIST / "hall.html").is_file():
        _missing(f"the workbench is not built ({DIST}): run `make install`")
    newest = max(_web_sources(), key=lambda p: p.stat().st_mtime)
    if newest.stat().st_mtime > built.stat().st_mtime:
        _missing(f"web/dist is older than {newest.relative_to(REPO)}: run `make web`")
    return DIST


@pytest.fixture(scope="session")
def chromium() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _missing(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("the playwright package is not installed: pip install -e '.[dev]'")
    return CHROMIUM


@dataclass
class WebServer:
    base_url: str
    settings: Settings
    client: httpx.AsyncClient

    @property
    def api(self) -> Api:
        return Api(self.client)

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture
async def web_server(tmp_path, sqlite_template, web_dist, wechat_sim, locker_sim) -> AsyncIterator[WebServer]:
    """The whole app (API + workbench) under uvicorn on a loopback port, on SQLite; citizens log in
    through the WeChat simulator (``web_server.api.login_citizen``); kuaidi100 is unreachable (its
    subscription is retried later, as in production when the courier is down)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = make_settings(
        tmp_path,
        databases.fresh_sqlite(sqlite_template, tmp_path),
        wechat_sim.base_url,
        public_base_url=base,
        kuaidi100_api_base="http://127.0.0.1:9",
        kuaidi100_timeout_seconds=1.0,
        locker_api_base=locker_sim.base_url,
        locker_secret=locker_sim.secret,
        web_dist_dir=web_dist,
    )
    locker_sim.callback_url = f"{base}/api/v1/callbacks/locker"
    server = uvicorn.Server(uvicorn.Config(create_app(settings), lifespan="on", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(6000):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "the app did not start"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=LOOPBACK_LIMITS) as client:
            yield WebServer(base, settings, client)
    finally:
        server.should_exit = True
        await task
        sock.close()


OpenPage = Callable[..., Awaitable[Any]]


@pytest.fixture
async def open_page(chromium, tmp_path) -> AsyncIterator[OpenPage]:
    """``await open_page()`` → a Playwright page (1366×768); ``open_page(viewport=TV)`` for the hall TV.

    Each page has a fresh Chromium profile; failed or non-local requests are recorded on
    ``page.foreign_requests`` (the workbench must load nothing from outside).
    """
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        contexts = []

        async def _open(viewport: tuple[int, int] = DESK, **options: Any):
            profile = tmp_path / f"chromium-profile-{len(contexts)}"
            context = await pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=chromium,
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": viewport[0], "height": viewport[1]},
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
                **options,
            )
            contexts.append(context)
            page = context.pages[0] if context.pages else await context.new_page()
            page.set_default_timeout(15_000)
            page.foreign_requests = []

            def _record(request) -> None:
                if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
                    page.foreign_requests.append(request.url)

            page.on("request", _record)
            return page

        try:
            yield _open
        finally:
            for context in contexts:
                await context.close()
            for profile in tmp_path.glob("chromium-profile-*"):
                shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def screenshot(request) -> Callable[[Any, str], Awaitable[Path]]:
    """``await screenshot(page, "login")`` → var/screenshots/<test>-login.png (kept after the run)."""
    test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")

    async def _shot(page, label: str = "") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / (f"{test}-{label}.png" if label else f"{test}.png")
        await page.screenshot(path=str(path), full_page=False, animations="disabled")
        return path

    return _shot
