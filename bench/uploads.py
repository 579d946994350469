"""A 100 MB upload (and its download) through the real server: RSS growth of the API process, MB/s.

Goal: the API process grows by at most 16 MB while a 100 MB file streams through it.
The client streams the body from a generator, so it never holds the file either.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import bench_env, rss_mb, run_cli, server

SIZE = 100 * 1024 * 1024
CHUNK = 256 * 1024
BOUNDARY = "onetrip-bench-boundary"
GOAL_MB = 16.0


class Body:
    """A multipart body with one PDF of SIZE bytes, produced chunk by chunk; hashes what it sends."""

    def __init__(self) -> None:
        self.sha256 = hashlib.sha256()
        self.block = os.urandom(CHUNK)

    async def chunks(self):
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        sent = 0
        while sent < SIZE:
            data = (head + self.block)[:CHUNK] if sent == 0 else self.block
            data = data[: SIZE - sent]
            self.sha256.update(data)
            sent += len(data)
            yield data
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


def hwm_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM): catches spikes between samples."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, rss_mb(self.pid))
            await asyncio.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self.peak = rss_mb(self.pid)
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc) -> None:
        assert self._task is not None
        self._task.cancel()
        self.peak = max(self.peak, rss_mb(self.pid))


async def run(base: str, pid: int) -> bool:
    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        login = await session.post(
            f"{base}/api/v1/auth/staff", json={"username": "bench", "password": "bench-pass-123"}
        )
        token = (await login.json())["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        content_type = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}

        # warm up every code path once so imports and pools are not counted as growth
        warm = Body()
        small = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="w.pdf"\r\n\r\n'.encode()
            + b"%PDF-1.7\n"
            + warm.block
            + f"\r\n--{BOUNDARY}--\r\n".encode()
        )
        resp = await session.post(f"{base}/api/v1/uploads", data=small, headers={**headers, **content_type})
        warm_id = (await resp.json())["id"]
        await (await session.get(f"{base}/api/v1/uploads/{warm_id}/content", headers=headers)).read()
        await asyncio.sleep(0.5)

        body = Body()
        baseline = rss_mb(pid)
        hwm_before = hwm_mb(pid)
        with RssSampler(pid) as upload_rss:
            started = time.perf_counter()
            resp = await session.post(
                f"{base}/api/v1/uploads", data=body.chunks(), headers={**headers, **content_type}
            )
            answer = await resp.json()
            upload_s = time.perf_counter() - started
        if resp.status != 201:
            print(f"upload failed: {resp.status} {answer}")
            return False
        ok_hash = answer["sha256"] == body.sha256.hexdigest() and answer["size"] == SIZE
        hwm_growth = max(0.0, hwm_mb(pid) - max(hwm_before, baseline))

        download_base = rss_mb(pid)
        with RssSampler(pid) as download_rss:
            started = time.perf_counter()
            resp = await session.get(f"{base}/api/v1/uploads/{answer['id']}/content", headers=headers)
            digest = hashlib.sha256()
            received = 0
            async for chunk in resp.content.iter_chunked(CHUNK):
                digest.update(chunk)
                received += len(chunk)
            download_s = time.perf_counter() - started
        ok_download = received == SIZE and digest.hexdigest() == answer["sha256"]

    # growth over the baseline by the sampled peak or by the kernel's high-water mark, whichever is larger
    upload_growth = max(upload_rss.peak - baseline, hwm_growth)
    download_growth = download_rss.peak - download_base
    mb = SIZE / 1024 / 1024
    print(
        f"upload 100 MB: {upload_s:.2f}s = {mb / upload_s:.1f} MB/s; API RSS {baseline:.1f} MB → peak "
        f"{upload_rss.peak:.1f} MB, growth {upload_growth:.1f} MB (goal ≤ {GOAL_MB:.0f} MB); "
        f"sha256 ok: {ok_hash}"
    )
    print(
        f"download 100 MB: {download_s:.2f}s = {mb / download_s:.1f} MB/s; API RSS growth "
        f"{download_growth:.1f} MB; bytes and sha256 ok: {ok_download}"
    )
    return ok_hash and ok_download


def main() -> int:
    var = Path(tempfile.mkdtemp(prefix="onetrip-bench-uploads-"))
    env = bench_env(f"sqlite://{var}/bench.db", ONETRIP_UPLOAD_MAX_BYTES=str(SIZE + 1024 * 1024))
    run_cli(env, "migrate")
    run_cli(env, "staff", "add", "bench", "--role", "admin", stdin="bench-pass-123\n")
    with server(env) as base:
        ok = asyncio.run(run(base, server.pid))  # type: ignore[attr-defined]
    # the stored 100 MB lives under the bench's temporary var dir: remove it
    for path in sorted(Path(env["ONETRIP_STORAGE_DIR"]).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
