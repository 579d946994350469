"""Upload quota (unattached bytes per citizen) and upload throttle, over the real HTTP server (uvicorn)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import httpx
import uvicorn

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.settings import Settings
from citizen_api.uploads import service
from citizen_api.uploads.models import Upload
from tests import uploads_fixtures as files
from tests.conftest import Api, assert_error, make_settings

URL = "/api/v1/uploads"
CAP = 256 * 1024  # per file
QUOTA = 600 * 1024  # two files of the cap fit, a third does not


@dataclass
class Server:
    client: httpx.AsyncClient
    settings: Settings
    host: str
    port: int

    async def headers(self, name: str) -> dict[str, str]:
        return await Api(self.client).citizen_headers(name)

    async def send(self, headers: dict[str, str], name: str, content: bytes) -> httpx.Response:
        return await self.client.post(
            URL, files={"file": (name, content, "application/octet-stream")}, headers=headers
        )

    def stored(self) -> list:
        return files.stored_files(self.settings.storage_dir)


@asynccontextmanager
async def serve(tmp_path, database_url: str, wechat_base: str, **overrides) -> AsyncIterator[Server]:
    """The app under uvicorn on a loopback port, in this event loop (the test reads its database)."""
    values = dict(upload_max_bytes=CAP, upload_unattached_quota_bytes=QUOTA, upload_rate_limit=1000)
    settings = make_settings(tmp_path, database_url, wechat_base, **{**values, **overrides})
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(create_app(settings), lifespan="on", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(6000):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "the app did not start"
    try:
        async with httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=60) as client:
            yield Server(client, settings, host, port)
    finally:
        server.should_exit = True
        await task
        sock.close()


async def test_unattached_bytes_are_capped_per_citizen(tmp_path, database_url, wechat_sim):
    async with serve(tmp_path, database_url, wechat_sim.base_url) as srv:
        alice = await srv.headers("alice")
        first = await srv.send(alice, "a.pdf", files.pdf(CAP))
        assert first.status_code == 201, first.text
        assert (await srv.send(alice, "b.pdf", files.pdf(CAP))).status_code == 201

        error = assert_error(await srv.send(alice, "c.pdf", files.pdf(CAP)), 413, "UPLOAD_QUOTA_EXCEEDED")
        assert error["details"] == {"quota_bytes": QUOTA, "used_bytes": 2 * CAP}
        assert "上限" in error["message"]
        # streamed without a length: refused once the bytes pass what is left, the partial file gone
        body = files.StreamedBody("d.pdf", files.pdf(4096), total=150 * 1024)  # < CAP
        resp = await srv.client.post(URL, content=body, headers={**alice, "content-type": files.CONTENT_TYPE})
        assert_error(resp, 413, "UPLOAD_QUOTA_EXCEEDED")
        assert len(srv.stored()) == 2  # no partial write left in storage
        assert await Upload.all().count() == 2

        # what is left still takes a small file; another citizen has a quota of their own
        assert (await srv.send(alice, "small.png", files.png(50 * 1024))).status_code == 201
        bob = await srv.headers("bob")
        assert (await srv.send(bob, "bob.pdf", files.pdf(CAP))).status_code == 201

        # a file used by a case no longer counts
        await service.mark_attached([first.json()["id"]])
        assert (await srv.send(alice, "e.pdf", files.pdf(CAP))).status_code == 201
        assert_error(await srv.send(alice, "f.pdf", files.pdf(CAP)), 413, "UPLOAD_QUOTA_EXCEEDED")

        # nor does one past the orphan window (due for clean-orphans, which may run late)
        # (the files are made older: an access token cannot follow a moved clock)
        long_ago = clock.now() - timedelta(hours=srv.settings.upload_orphan_hours + 1)
        owner = (await Upload.get(id=first.json()["id"])).owner_id
        await Upload.filter(owner_id=owner).update(created_at=long_ago)
        assert (await srv.send(alice, "g.pdf", files.pdf(CAP))).status_code == 201


async def test_a_declared_length_over_the_quota_is_refused_before_the_body(
    tmp_path, database_url, wechat_sim
):
    async with serve(tmp_path, database_url, wechat_sim.base_url) as srv:
        alice = await srv.headers("alice")
        for name in ("a.pdf", "b.pdf"):
            assert (await srv.send(alice, name, files.pdf(CAP))).status_code == 201
        # declares a file within the per-file cap but over what is left of the quota, then sends
        # only the start: the answer comes without the rest (the server never waits for it)
        head = files.multipart(b"c.pdf", files.pdf(8 * 1024), closed=False)
        request = (
            f"POST {URL} HTTP/1.1\r\nHost: {srv.host}\r\n"
            f"Authorization: {alice['Authorization']}\r\n"
            f"Content-Type: {files.CONTENT_TYPE}\r\nContent-Length: {CAP + 300}\r\n\r\n"
        ).encode()
        reader, writer = await asyncio.open_connection(srv.host, srv.port)
        try:
            writer.write(request + head)
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), 60)
            assert status_line.startswith(b"HTTP/1.1 413"), status_line
            response = await asyncio.wait_for(reader.read(65536), 60)
            assert b"UPLOAD_QUOTA_EXCEEDED" in response
        finally:
            writer.close()
        assert len(srv.stored()) == 2


async def test_parallel_uploads_cannot_pass_the_quota_together(tmp_path, database_url, wechat_sim):
    async with serve(tmp_path, database_url, wechat_sim.base_url) as srv:
        alice = await srv.headers("alice")
        answers = await asyncio.gather(*(srv.send(alice, f"{n}.pdf", files.pdf(CAP)) for n in range(6)))
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [201, 201, 413, 413, 413, 413], [r.text for r in answers]
        for refused in (r for r in answers if r.status_code == 413):
            assert_error(refused, 413, "UPLOAD_QUOTA_EXCEEDED")
        assert sum(u.size for u in await Upload.all()) <= QUOTA
        assert len(srv.stored()) == 2  # the refused files were removed


async def test_uploads_are_throttled_per_citizen(tmp_path, database_url, wechat_sim):
    async with serve(
        tmp_path, database_url, wechat_sim.base_url, upload_rate_limit=3, upload_rate_window_seconds=60
    ) as srv:
        alice, bob = await srv.headers("alice"), await srv.headers("bob")
        for n in range(3):
            assert (await srv.send(alice, f"{n}.png", files.png())).status_code == 201
        resp = await srv.send(alice, "4.png", files.png())
        error = assert_error(resp, 429, "RATE_LIMITED")
        retry_after = int(resp.headers["retry-after"])
        assert 1 <= retry_after <= 60 and error["details"]["retry_after"] == retry_after
        assert await Upload.filter(filename="4.png").count() == 0 and len(srv.stored()) == 3

        assert (await srv.send(bob, "bob.png", files.png())).status_code == 201  # per citizen
        clock.advance(timedelta(seconds=61))  # the next window
        assert (await srv.send(alice, "5.png", files.png())).status_code == 201
