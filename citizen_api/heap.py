"""An API process's start-up heap, frozen out of the cyclic garbage collector.

Start-up leaves some hundred thousand long-lived objects (the models, the routes, the OpenAPI spec,
the search index, the imported libraries). Every full collection walked all of them: a 90–120 ms
pause in the middle of whatever request triggered it — with the dashboard's answers (thousands of
small objects each) about one request in sixty (bench/dashboard.py: p99 200 ms at a p50 of 110).
``gc.freeze()`` once start-up is done moves them to the permanent generation, which collections skip
(CPython's documented use); what requests allocate is collected as before.

Only the production entry (``asgi_app``) wraps its app: a test process starts many apps, and freezing
each would keep what every earlier test left alive for good.
"""

from __future__ import annotations

import gc

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class FreezeHeapAfterStartup:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_after_freezing(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                gc.collect()  # start-up's garbage first: frozen, it would never be freed
                gc.freeze()
            elif message["type"] == "lifespan.shutdown.complete":
                gc.unfreeze()
            await send(message)

        await self.app(scope, receive, send_after_freezing)
