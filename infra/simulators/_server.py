"""What both simulators share: an aiohttp application served on a loopback port."""

from __future__ import annotations

from aiohttp import web


class LoopbackServer:
    """``start()`` serves ``self.app`` (set by the subclass) on 127.0.0.1; port 0 picks a free one."""

    app: web.Application

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
