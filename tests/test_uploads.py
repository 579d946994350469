"""Uploads: accepted kinds, sha256, spoofed types, path-like names, owner-only download."""

from __future__ import annotations

import hashlib
import os

import pytest

from citizen_api.uploads.models import Upload
from tests import uploads_fixtures as files
from tests.conftest import assert_error, create_staff

URL = "/api/v1/uploads"


async def send(client, headers, name: str, content: bytes):
    return await client.post(
        URL, files={"file": (name, content, "application/octet-stream")}, headers=headers
    )


async def send_raw(client, headers, body: bytes):
    return await client.post(URL, content=body, headers={**headers, "content-type": files.CONTENT_TYPE})


@pytest.fixture
async def alice(api) -> dict[str, str]:
    return await api.citizen_headers("alice")


async def test_upload_and_download_a_pdf(client, api, alice, settings):
    content = files.pdf(300_000) + os.urandom(700_000)
    resp = await send(client, alice, "身份证复印件.pdf", content)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    assert body["content_type"] == "application/pdf"
    assert body["filename"] == "身份证复印件.pdf"
    assert body["attached"] is False

    meta = await client.get(f"{URL}/{body['id']}", headers=alice)
    assert meta.status_code == 200 and meta.json() == body
    download = await client.get(f"{URL}/{body['id']}/content", headers=alice)
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''%E8%BA%AB" in download.headers["content-disposition"]

    # stored under a server-chosen name, nothing of the client's name on disk
    stored = files.stored_files(settings.storage_dir)
    assert len(stored) == 1 and "身份证" not in str(stored[0])
    assert stored[0].read_bytes() == content


ALLOWED = [
    ("photo.JPG", files.jpeg, "image/jpeg"),
    ("photo.jpeg", files.jpeg, "image/jpeg"),
    ("scan.png", files.png, "image/png"),
    ("photo.webp", files.webp, "image/webp"),
    ("IMG_0001.heic", files.heic, "image/heic"),
    ("电子证照.ofd", files.ofd, "application/ofd"),
    ("申请表.docx", files.docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("清单.xlsx", files.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
]


async def test_allowed_kinds_are_recognised_from_their_content(client, alice):
    for name, make, content_type in ALLOWED:
        content = make()
        resp = await send(client, alice, name, content)
        assert resp.status_code == 201, (name, resp.text)
        assert resp.json()["content_type"] == content_type, name
        assert resp.json()["sha256"] == hashlib.sha256(content).hexdigest()


SPOOFS = [
    ("scan.pdf", files.png, "png", ".pdf"),
    ("invoice.pdf", files.exe, "application/vnd.microsoft.portable-executable", ".pdf"),
    ("photo.jpg", files.html, "text/html", ".jpg"),
    ("table.xlsx", files.docx, "docx", ".xlsx"),
    ("form.docx", files.docm, "office-with-macros", ".docx"),
    ("archive.docx", lambda: files.zipped(["a.txt", "b/c.txt"]), "application/zip", ".docx"),
    ("license.ofd", files.xlsx, "xlsx", ".ofd"),
    ("setup.exe", files.exe, "application/vnd.microsoft.portable-executable", ".exe"),
    ("page.html", files.html, "text/html", ".html"),
    ("noextension", files.pdf, "pdf", None),
    ("notes.pdf", lambda: b"just some words, not a PDF at all", "unknown", ".pdf"),
    ("broken.docx", lambda: b"PK\x03\x04" + b"\x00" * 5000, "damaged zip", ".docx"),
]


async def test_spoofed_and_unlisted_types_are_415(client, alice, settings):
    for name, make, detected, claimed in SPOOFS:
        resp = await send(client, alice, name, make())
        error = assert_error(resp, 415, "UPLOAD_TYPE_REJECTED")
        assert (error["details"]["detected"], error["details"]["claimed"]) == (detected, claimed), name
        assert ".pdf" in error["details"]["allowed"]
    assert files.stored_files(settings.storage_dir) == []
    assert await Upload.all().count() == 0


ODD_NAMES = [
    (b"../../etc/passwd.pdf", "passwd.pdf"),
    (b"..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
    (b"C:\\Users\\alice\\Desktop\\\xe8\xaf\x81\xe6\x98\x8e.pdf", "证明.pdf"),
    (b"/etc/cron.d/../x.pdf", "x.pdf"),
    (b"a\x01b\x1fc\x7f.pdf", "abc.pdf"),
    (b"  ..hidden .pdf", "hidden .pdf"),
    (b"x" * 300 + b".pdf", "x" * 96 + ".pdf"),
    (b"\xff\xfe.pdf", "\ufffd\ufffd.pdf"),
]


async def test_path_like_and_odd_file_names_are_display_text_only(client, alice, settings):
    for raw, shown in ODD_NAMES:
        resp = await send_raw(client, alice, files.multipart(raw, files.pdf()))
        assert resp.status_code == 201, resp.text
        assert resp.json()["filename"] == shown
    stored = files.stored_files(settings.storage_dir)
    assert len(stored) == len(ODD_NAMES)
    for path in stored:
        assert path.parent.parent == settings.storage_dir  # root/ab/<32 hex>, whatever the name said
        assert len(path.name) == 32 and all(c in "0123456789abcdef" for c in path.name)
    assert not (settings.storage_dir.parent / "etc").exists()


async def test_right_to_left_override_cannot_disguise_an_exe(client, alice):
    raw = "invoice\u202efdp.exe".encode()
    resp = await send_raw(client, alice, files.multipart(raw, files.exe()))
    assert assert_error(resp, 415, "UPLOAD_TYPE_REJECTED")["details"]["claimed"] == ".exe"


async def test_malformed_requests_are_422(client, alice, settings):
    cases = [
        await client.post(URL, json={"file": "x"}, headers=alice),
        await send_raw(client, alice, files.multipart(b"a.pdf", files.pdf(), field="other")),
        await send_raw(client, alice, files.multipart(None, files.pdf())),
        await send_raw(client, alice, files.multipart(b"", files.pdf())),
        await send_raw(client, alice, files.multipart(b"a.pdf", b"")),
        await send_raw(client, alice, files.multipart(b"a.pdf", files.pdf(50_000), closed=False)),
        await send_raw(client, alice, b"garbage without any boundary"),
        await send_raw(
            client,
            alice,
            files.part(b"a.pdf", files.pdf()) + files.multipart(b"b.pdf", files.pdf()),
        ),
    ]
    for resp in cases:
        assert_error(resp, 422, "VALIDATION_ERROR")
    assert files.stored_files(settings.storage_dir) == []
    assert await Upload.all().count() == 0


async def test_only_the_owner_reads_an_upload(client, api, alice):
    created = (await send(client, alice, "a.png", files.png())).json()
    bob = await api.citizen_headers("bob")
    for path in (f"{URL}/{created['id']}", f"{URL}/{created['id']}/content"):
        assert_error(await client.get(path, headers=bob), 404, "NOT_FOUND")
        assert_error(await client.get(path), 401, "UNAUTHENTICATED")
    assert_error(await client.get(f"{URL}/999999999", headers=alice), 404, "NOT_FOUND")
    assert_error(await client.get(f"{URL}/9999999999", headers=alice), 404, "NOT_FOUND")

    await create_staff("clerk", "window", "GA")
    clerk = await api.staff_headers("clerk")
    assert_error(await send(client, clerk, "a.png", files.png()), 403, "FORBIDDEN")
    assert_error(await client.get(f"{URL}/{created['id']}", headers=clerk), 403, "FORBIDDEN")


async def test_an_admin_uploads_a_blank_form(client, api):
    await create_staff("boss", "admin", None)
    admin = await api.staff_headers("boss")
    form = files.docx()
    resp = await send(client, admin, "空白申请表.docx", form)
    assert resp.status_code == 201, resp.text
    download = await client.get(f"{URL}/{resp.json()['id']}/content", headers=admin)
    assert download.status_code == 200 and download.content == form


async def test_openapi_documents_uploads_and_the_calendar(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    upload = spec["paths"]["/api/v1/uploads"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"413", "415", "201"} <= set(upload["responses"])
    assert "put" in spec["paths"]["/api/v1/staff/calendar/{date}"]
