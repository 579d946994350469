"""Upload limits and lifecycle: the size cap while streaming, orphan cleanup, the helpers cases use."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import anyio
import pytest

from citizen_api import clock
from citizen_api.errors import ApiError
from citizen_api.uploads import service
from citizen_api.uploads.models import Upload
from citizen_api.uploads.storage import storage_for
from tests import uploads_fixtures as files
from tests.conftest import assert_error, make_settings
from tests.job_runs import run_job
from tests.test_uploads import URL, send

CAP = 256 * 1024


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    # a small cap keeps the oversized bodies small; the cap itself is what is under test
    return make_settings(
        tmp_path, database_url, wechat_sim.base_url, upload_max_bytes=CAP, upload_orphan_hours=24
    )


@pytest.fixture
async def alice(api) -> dict[str, str]:
    return await api.citizen_headers("alice")


async def test_a_file_of_exactly_the_cap_is_accepted(client, alice):
    content = files.pdf(CAP)
    resp = await send(client, alice, "a.pdf", content)
    assert resp.status_code == 201, resp.text
    assert resp.json()["size"] == CAP
    assert_error(await send(client, alice, "b.pdf", files.pdf(CAP + 1)), 413, "UPLOAD_TOO_LARGE")


async def test_a_streamed_oversized_upload_stops_early_and_leaves_nothing(client, alice, settings):
    # no Content-Length: the server only learns the size by counting while it streams
    body = files.StreamedBody("big.pdf", files.pdf(4096), total=50 * 1024 * 1024)
    resp = await client.post(URL, content=body, headers={**alice, "content-type": files.CONTENT_TYPE})
    error = assert_error(resp, 413, "UPLOAD_TOO_LARGE")
    assert error["details"] == {"max_bytes": CAP}
    assert body.pulled < CAP + 256 * 1024  # stopped right after the cap, not after 50 MB
    assert files.stored_files(settings.storage_dir) == []  # the partial file was removed
    assert await Upload.all().count() == 0


async def test_a_declared_oversized_upload_is_refused_before_reading(client, alice, settings):
    body = files.StreamedBody("big.pdf", files.pdf(4096), total=10 * 1024 * 1024)
    headers = {**alice, "content-type": files.CONTENT_TYPE, "content-length": str(10 * 1024 * 1024 + 300)}
    resp = await client.post(URL, content=body, headers=headers)
    assert_error(resp, 413, "UPLOAD_TOO_LARGE")
    assert body.pulled == 0
    assert files.stored_files(settings.storage_dir) == []


async def test_a_wrong_type_is_refused_from_the_first_bytes(client, alice, settings):
    body = files.StreamedBody("photo.jpg", files.html() + b" " * 8192, total=CAP - 100_000)
    resp = await client.post(URL, content=body, headers={**alice, "content-type": files.CONTENT_TYPE})
    assert assert_error(resp, 415, "UPLOAD_TYPE_REJECTED")["details"]["detected"] == "text/html"
    assert body.pulled < 200 * 1024  # refused after the first chunks
    assert files.stored_files(settings.storage_dir) == []


async def test_orphans_are_cleaned_after_the_configured_hours(client, alice, settings):
    kept = (await send(client, alice, "kept.pdf", files.pdf())).json()
    orphan = (await send(client, alice, "orphan.png", files.png())).json()
    fresh = (await send(client, alice, "fresh.png", files.png())).json()
    assert await service.mark_attached([kept["id"]]) == 1
    assert len(files.stored_files(settings.storage_dir)) == 3
    # "fresh" stands for one uploaded 23 h later (set directly: an access token cannot follow
    # the moved clock)
    await Upload.filter(id=fresh["id"]).update(created_at=clock.now() + timedelta(hours=23))

    clock.advance(timedelta(hours=23))
    assert await run_job(service.clean_orphans, settings) == 0
    clock.advance(timedelta(hours=2))
    assert await run_job(service.clean_orphans, settings) == 1

    clock.reset()  # back to now, where alice's access token is still valid

    assert_error(await client.get(f"{URL}/{orphan['id']}", headers=alice), 404, "NOT_FOUND")
    for upload in (kept, fresh):
        resp = await client.get(f"{URL}/{upload['id']}/content", headers=alice)
        assert resp.status_code == 200
    assert len(files.stored_files(settings.storage_dir)) == 2


async def test_clean_orphans_command(client, alice, settings, database_url, tmp_path):
    old = (await send(client, alice, "old.pdf", files.pdf())).json()
    await Upload.filter(id=old["id"]).update(created_at=clock.now() - timedelta(hours=30))
    env = dict(
        os.environ,
        ONETRIP_ENV="test",
        ONETRIP_DATABASE_URL=database_url,
        ONETRIP_VAR_DIR=str(tmp_path / "cli-var"),
        ONETRIP_STORAGE_DIR=str(settings.storage_dir),
    )
    onetrip = str(Path(sys.executable).parent / "onetrip")
    done = await anyio.to_thread.run_sync(
        lambda: subprocess.run(
            [onetrip, "uploads", "clean-orphans"], env=env, capture_output=True, text=True, timeout=60
        )
    )
    assert done.returncode == 0, done.stderr
    assert "removed 1 orphan uploads" in done.stdout
    assert await Upload.filter(id=old["id"]).count() == 0
    assert files.stored_files(settings.storage_dir) == []


async def test_helpers_for_cases(client, api, alice, settings):
    bob = await api.citizen_headers("bob")
    first = (await send(client, alice, "a.pdf", files.pdf(10_000))).json()
    second = (await send(client, alice, "b.png", files.png(5_000))).json()
    bobs = (await send(client, bob, "c.pdf", files.pdf())).json()

    alice_id = (await Upload.get(id=first["id"])).owner_id
    owned = await service.owned_uploads(alice_id, [first["id"], second["id"], bobs["id"], 424242])
    assert [(u.id, u.size) for u in owned] == [(first["id"], first["size"]), (second["id"], second["size"])]

    response = await service.staff_open(bobs["id"], storage_for(settings))
    chunks = [chunk async for chunk in response.body_iterator]
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == bobs["sha256"]
    with pytest.raises(ApiError) as missing:
        await service.staff_open(424242, storage_for(settings))
    assert (missing.value.status, missing.value.code) == (404, "NOT_FOUND")
