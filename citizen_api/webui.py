"""The staff workbench (``/workbench/``) and the hall TV (``/hall/{office_code}``): Vite's build in web/dist.

- ``/workbench/assets/*``: hashed file names, so cached for a year (``immutable``), gzipped when asked.
- Any other ``/workbench/...`` path without a file extension is a deep link of the single-page app: it gets
  ``index.html`` (``no-store``, so a new build is picked up at once). The server's idle-logout value is put
  into it as ``<meta name="onetrip-idle-minutes">`` (setting ``workbench_idle_minutes``).
- ``/hall/{office_code}``: the TV's own small entry page (``hall.html``), no login.
- Without a build (``web/dist`` missing) both answer 503 with a page that says how to build it.

The typed client's schema.d.ts is generated from ``python -m citizen_api.openapi_dump spec`` (``make
web-types``); the pages call only the public API (``/api/v1``), the TV its public feed and SSE stream.
"""

from __future__ import annotations

import gzip
import html
import mimetypes
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIST = REPO_ROOT / "web" / "dist"

ASSET_CACHE = "public, max-age=31536000, immutable"
OTHER_FILE_CACHE = "public, max-age=3600"
# Everything is served by this process: the policy makes the browser refuse any other origin (no CDN).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".txt": "text/plain; charset=utf-8",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
}
_COMPRESSIBLE = (".js", ".mjs", ".css", ".svg", ".json", ".map", ".html", ".txt")
_OFFICE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_IDLE_META = '<meta name="onetrip-idle-minutes" content="{minutes}">'

_NOT_BUILT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>工作台尚未构建</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.6}}
code{{background:#eee;padding:2px 4px}}</style>
</head><body>
<h1>工作台尚未构建</h1>
<p>未找到前端构建结果 <code>{dist}</code>。请在项目目录运行 <code>make install</code>
（或 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>），然后刷新本页。</p>
<p>The workbench is not built: run <code>make install</code> (needs Node.js 20 and npm).</p>
</body></html>"""


def webui_routes() -> list[BaseRoute]:
    return [
        Route("/workbench", _to_workbench, methods=["GET"], include_in_schema=False),
        Route("/workbench/{path:path}", _workbench, methods=["GET"], include_in_schema=False),
        Route("/hall/{office_code}", _hall, methods=["GET"], include_in_schema=False),
    ]


def dist_dir(request: Request) -> Path:
    configured = getattr(request.app.state.settings, "web_dist_dir", None)
    return Path(configured) if configured else DEFAULT_DIST


async def _to_workbench(request: Request) -> Response:
    return RedirectResponse("/workbench/", status_code=308)


async def _workbench(request: Request) -> Response:
    dist = dist_dir(request)
    if not (dist / "index.html").is_file():
        return _not_built(dist)
    path = request.path_params["path"]
    target = _inside(dist, path) if path else None
    if target is not None and target.is_file() and target.suffix != ".html":
        immutable = path.startswith("assets/")
        return _file(request, target, ASSET_CACHE if immutable else OTHER_FILE_CACHE)
    last = path.rsplit("/", 1)[-1]
    if "." in last and not last.endswith(".html"):
        # a missing asset (an old chunk after a redeploy) is a 404, not the app's HTML
        return PlainTextResponse("Not Found", status_code=404)
    return _page(dist / "index.html", idle_minutes=request.app.state.settings.workbench_idle_minutes)


async def _hall(request: Request) -> Response:
    dist = dist_dir(request)
    if not _OFFICE_CODE.match(request.path_params["office_code"]):
        return PlainTextResponse("Not Found", status_code=404)
    if not (dist / "hall.html").is_file():
        return _not_built(dist)
    return _page(dist / "hall.html")


def _inside(root: Path, relative: str) -> Path | None:
    """The file under ``root`` named by ``relative``, or None when the name leaves ``root``."""
    try:
        candidate = (root / relative).resolve()
        base = root.resolve()
    except (OSError, ValueError):
        return None
    return candidate if candidate.is_relative_to(base) and candidate != base else None


def _content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


_read_cache: dict[tuple[str, int, int, bool], bytes] = {}


def _read(path: Path, compressed: bool) -> bytes:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, compressed)
    cached = _read_cache.get(key)
    if cached is None:
        data = path.read_bytes()
        cached = gzip.compress(data, compresslevel=6, mtime=0) if compressed else data
        if len(_read_cache) > 256:
            _read_cache.clear()
        _read_cache[key] = cached
    return cached


def _file(request: Request, path: Path, cache_control: str) -> Response:
    headers = {"cache-control": cache_control, "x-content-type-options": "nosniff"}
    compressible = path.suffix.lower() in _COMPRESSIBLE
    wants_gzip = compressible and "gzip" in request.headers.get("accept-encoding", "")
    if compressible:
        headers["vary"] = "Accept-Encoding"
    if wants_gzip:
        headers["content-encoding"] = "gzip"
    return Response(_read(path, wants_gzip), media_type=_content_type(path), headers=headers)


def _page(path: Path, idle_minutes: float | None = None) -> Response:
    text = path.read_text(encoding="utf-8")
    if idle_minutes is not None:
        text = text.replace("</head>", _IDLE_META.format(minutes=f"{idle_minutes:g}") + "</head>", 1)
    return HTMLResponse(
        text, headers={"cache-control": "no-store", "content-security-policy": CSP}, media_type="text/html"
    )


def _not_built(dist: Path) -> Response:
    return HTMLResponse(_NOT_BUILT.format(dist=html.escape(str(dist))), status_code=503)
