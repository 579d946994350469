"""The OpenAPI document and a Swagger UI page whose assets the app serves itself (no CDN)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

# swagger-ui-py ships Swagger UI 5 (OpenAPI 3.1); only its static files are used, not its code
ASSETS = Path(next(iter(importlib.util.find_spec("swagger_ui").submodule_search_locations))) / "static"

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>OneTrip API 文档</title>
<link rel="stylesheet" href="{prefix}/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{prefix}/docs/assets/swagger-ui-bundle.js"></script>
<script src="{prefix}/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="{prefix}/docs/init.js"></script>
</body></html>"""

_INIT = """window.ui = SwaggerUIBundle({url: "%s/openapi.json", dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});"""


def docs_routes(prefix: str) -> list:
    async def openapi_json(request: Request) -> JSONResponse:
        return JSONResponse(request.app.state.openapi)

    async def docs_page(request: Request) -> HTMLResponse:
        return HTMLResponse(_PAGE.format(prefix=prefix))

    async def init_js(request: Request):
        from starlette.responses import Response

        return Response(_INIT % prefix, media_type="application/javascript")

    return [
        Route(prefix + "/openapi.json", openapi_json, methods=["GET"]),
        Route(prefix + "/docs", docs_page, methods=["GET"]),
        Route(prefix + "/docs/init.js", init_js, methods=["GET"]),
        Mount(prefix + "/docs/assets", app=StaticFiles(directory=ASSETS), name="docs-assets"),
    ]
