"""File previews over HTTP: the staff detail hands out short-lived signed links that work without the
bearer token, inline only for safe types (JPEG, PNG, PDF), nosniff, privately cached no longer than
they live; expired, tampered or moved to another file they answer 403 PREVIEW_LINK_INVALID."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from citizen_api import clock
from citizen_api.uploads.models import Upload
from citizen_api.uploads.storage import LocalStorage
from tests import cases_fixtures as f
from tests import uploads_fixtures as files
from tests.conftest import assert_error
from tests.staff_cases_fixtures import Hall, person, upload

KINDS = {  # material → (file name, bytes)
    "居民身份证": ("id.png", files.png()),
    "户口簿": ("hukou.pdf", files.pdf()),
    "近期免冠照片": ("photo.jpg", files.jpeg()),
    "结婚证": ("marriage.webp", files.webp()),
}


async def world(hall: Hall) -> tuple[dict, dict[str, dict]]:
    clock.set_now(f.at(2026, 3, 2))
    who = await person(hall.api, hall.client, "zhang", "张三丰", "13812345678")
    body = {}
    for material, (name, content) in KINDS.items():
        body[str(hall.ga.material(material).id)] = [await upload(hall.client, who, name, content)]
    created = await f.submit(hall.client, who, hall.ga, materials=body)
    detail = await hall.detail(hall.staff["window"], created["id"])
    return created, {row["name"]: row["files"][0] for row in detail["materials"] if row["files"]}


async def test_a_preview_link_works_without_a_token_inline_and_nosniff(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    _, shown = await world(hall)
    for material, content_type in (("居民身份证", "image/png"), ("户口簿", "application/pdf")):
        link = shown[material]
        resp = await client.get(link["preview_url"])  # no Authorization header
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"] == content_type
        assert resp.content == KINDS[material][1]
        assert resp.headers["content-disposition"].startswith("inline;")
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in resp.headers["content-security-policy"]
        # the workbench frames the preview (PDF): only its own origin may, never another site
        assert "frame-ancestors 'self'" in resp.headers["content-security-policy"]
        assert resp.headers["x-frame-options"] == "SAMEORIGIN"
        cache = resp.headers["cache-control"]
        assert cache.startswith("private, max-age=") and 0 < int(cache.split("=")[1]) <= 300
    photo = await client.get(shown["近期免冠照片"]["preview_url"])
    assert (
        photo.headers["content-type"] == "image/jpeg"
        and "sandbox" in photo.headers["content-security-policy"]
    )
    # an allowed upload type that is not safe to render inline is a download of opaque bytes
    webp = await client.get(shown["结婚证"]["preview_url"])
    assert webp.status_code == 200
    assert webp.headers["content-type"] == "application/octet-stream"
    assert webp.headers["content-disposition"].startswith("attachment;")


async def test_a_link_expires_and_cannot_be_forged_or_moved(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    _, shown = await world(hall)
    link = shown["居民身份证"]
    url = urlsplit(link["preview_url"])
    query = parse_qs(url.query)
    exp, sig = query["exp"][0], query["sig"][0]
    other = shown["户口簿"]["upload_id"]

    forged = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    for bad in (
        f"{url.path}?exp={exp}&sig={forged}",  # tampered signature
        f"{url.path}?exp={int(exp) + 3600}&sig={sig}",  # a longer life
        f"/api/v1/files/{other}/preview?exp={exp}&sig={sig}",  # another file
    ):
        error = assert_error(await client.get(bad), 403, "PREVIEW_LINK_INVALID")
        assert "预览链接" in error["message"]
    missing = await client.get(f"{url.path}?exp={exp}")
    assert "query.sig" in assert_error(missing, 422, "VALIDATION_ERROR")["details"]["fields"]

    assert (await client.get(link["preview_url"])).status_code == 200
    clock.advance(timedelta(seconds=settings.preview_link_seconds + 1))
    assert_error(await client.get(link["preview_url"]), 403, "PREVIEW_LINK_INVALID")
    # a fresh detail view hands out a fresh link
    fresh = await hall.detail(
        hall.staff["window"], (await hall.listing(hall.staff["window"]))["items"][0]["id"]
    )
    again = next(row for row in fresh["materials"] if row["name"] == "居民身份证")["files"][0]
    assert again["preview_url"] != link["preview_url"]
    assert (await client.get(again["preview_url"])).status_code == 200


async def test_html_is_never_served_inline(database_url, api, client, settings):
    hall = await Hall(api, client, settings).setup()
    _, shown = await world(hall)
    # uploads are sniffed and HTML is refused at the door; should a row ever say text/html
    # (an older import, a bug), its preview is still an opaque download
    link = shown["居民身份证"]
    row = await Upload.get(id=link["upload_id"])
    page = files.html()
    LocalStorage(settings.storage_dir).path(row.storage_key).write_bytes(page)
    await Upload.filter(id=row.id).update(content_type="text/html", filename="page.html", size=len(page))
    resp = await client.get(link["preview_url"])
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/octet-stream"
    assert resp.headers["content-disposition"].startswith("attachment;")
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in resp.headers["content-security-policy"]


async def test_the_preview_route_is_documented(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    op = spec["paths"]["/api/v1/files/{upload_id}/preview"]["get"]
    assert "security" not in op or op["security"] == []
    assert "403" in op["responses"]
    file = spec["components"]["schemas"]["StaffMaterialFile"]["properties"]
    assert {"preview_url", "preview_expires_at", "replaced", "uploaded_at"} <= set(file)
