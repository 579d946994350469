"""Blank forms (空白表格) and samples (示例样表) of a published guide: public downloads, nothing else."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest

from citizen_api import clock
from citizen_api.catalog.models import Material
from citizen_api.uploads import service as uploads_service
from tests import uploads_fixtures as files
from tests.catalog_fixtures import admin_headers, content_of, full_item
from tests.conftest import assert_error
from tests.job_runs import run_job
from tests.test_uploads import send

ADMIN = "/api/v1/admin/catalog"
ITEMS = "/api/v1/items"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
async def admin(api, client):
    headers = await admin_headers(api)
    department = {"code": "GA", "name": "市公安局"}
    resp = await client.post(f"{ADMIN}/departments", json=department, headers=headers)
    assert resp.status_code == 201, resp.text
    return headers


async def staff_file(client, admin, name: str, content: bytes) -> int:
    resp = await send(client, admin, name, content)
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


def with_files(code: str, blank_form: int | None, sample: int | None) -> dict:
    item = full_item(code)
    item["materials"][0].update(blank_form_upload_id=blank_form, sample_upload_id=sample)
    return item


async def publish(client, admin, item: dict) -> None:
    resp = await client.post(f"{ADMIN}/items", json=item, headers=admin)
    assert resp.status_code == 201, resp.text
    resp = await client.post(f"{ADMIN}/items/{item['code']}/publish", headers=admin)
    assert resp.status_code == 200, resp.text


async def test_anyone_downloads_the_blank_form_and_sample_of_a_published_guide(client, api, admin):
    form, sample = files.docx(), files.png()
    form_id = await staff_file(client, admin, "空白申请表.docx", form)
    sample_id = await staff_file(client, admin, "填写示例.png", sample)
    await publish(client, admin, with_files("TEST-FILES", form_id, sample_id))

    guide = (await client.get(f"{ITEMS}/TEST-FILES")).json()  # anonymous
    first, second, _ = guide["materials"]
    assert first["blank_form_upload_id"] == form_id and first["sample_upload_id"] == sample_id
    assert first["blank_form"] == {
        "upload_id": form_id,
        "filename": "空白申请表.docx",
        "content_type": DOCX,
        "size": len(form),
        "url": f"/api/v1/items/TEST-FILES/materials/{first['id']}/blank-form",
    }
    assert first["sample"]["url"] == f"/api/v1/items/TEST-FILES/materials/{first['id']}/sample"
    assert second["blank_form"] is None and second["sample"] is None

    # no login at all, and a citizen's token changes nothing
    download = await client.get(first["blank_form"]["url"])
    assert download.status_code == 200, download.text
    assert download.content == form
    assert download.headers["content-type"] == DOCX
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('空白申请表.docx')}" in disposition
    assert download.headers["x-content-type-options"] == "nosniff"
    citizen = await api.citizen_headers("alice")
    image = await client.get(first["sample"]["url"], headers=citizen)
    assert image.status_code == 200 and image.content == sample
    assert image.headers["content-type"] == "image/png"
    assert f"filename*=UTF-8''{quote('填写示例.png')}" in image.headers["content-disposition"]

    # a client that has it already is told so
    again = await client.get(first["sample"]["url"], headers={"If-None-Match": image.headers["etag"]})
    assert again.status_code == 304 and again.content == b""

    # the owner-only route stays owner-only
    assert_error(await client.get(f"/api/v1/uploads/{form_id}/content", headers=citizen), 404, "NOT_FOUND")


async def test_files_outside_the_published_guide_stay_private(client, api, admin):
    old_form = await staff_file(client, admin, "旧表.docx", files.docx())
    await publish(client, admin, with_files("TEST-PRIV", old_form, None))
    old = (await client.get(f"{ITEMS}/TEST-PRIV")).json()["materials"]
    old_url = old[0]["blank_form"]["url"]
    assert (await client.get(old_url)).status_code == 200
    # a material without a sample, a material id that is not this item's, nonsense ids
    assert_error(await client.get(f"{ITEMS}/TEST-PRIV/materials/{old[0]['id']}/sample"), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ITEMS}/TEST-PRIV/materials/{old[1]['id']}/blank-form"), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ITEMS}/NO-SUCH/materials/{old[0]['id']}/blank-form"), 404, "NOT_FOUND")
    assert_error(await client.get(f"{ITEMS}/TEST-PRIV/materials/999999/blank-form"), 404, "NOT_FOUND")

    # a new draft with another form: the draft's file is not public, the published one still is
    new_form = await staff_file(client, admin, "新表.docx", files.docx())
    draft = content_of(with_files("TEST-PRIV", new_form, None))
    resp = await client.put(f"{ADMIN}/items/TEST-PRIV/draft", json=draft, headers=admin)
    assert resp.status_code == 200, resp.text
    draft_material = resp.json()["draft"]["materials"][0]
    assert draft_material["blank_form"]["filename"] == "新表.docx"
    assert draft_material["blank_form"]["url"] is None
    draft_url = f"{ITEMS}/TEST-PRIV/materials/{draft_material['id']}/blank-form"
    assert_error(await client.get(draft_url), 404, "NOT_FOUND")
    assert (await client.get(old_url)).status_code == 200

    # published: the new one is public, the retired version's file is not any more
    assert (await client.post(f"{ADMIN}/items/TEST-PRIV/publish", headers=admin)).status_code == 200
    new_url = (await client.get(f"{ITEMS}/TEST-PRIV")).json()["materials"][0]["blank_form"]["url"]
    assert new_url == draft_url and (await client.get(new_url)).status_code == 200
    assert_error(await client.get(old_url), 404, "NOT_FOUND")
    retired = (await client.get(f"{ITEMS}/TEST-PRIV/versions/1")).json()["materials"][0]
    assert retired["blank_form"]["filename"] == "旧表.docx" and retired["blank_form"]["url"] is None

    # taken offline: nothing of it is public
    assert (await client.post(f"{ADMIN}/items/TEST-PRIV/unpublish", headers=admin)).status_code == 200
    assert_error(await client.get(new_url), 404, "NOT_FOUND")


async def test_a_citizens_upload_cannot_be_made_a_public_form(client, api, admin):
    citizen = await api.citizen_headers("alice")
    scan = (await send(client, citizen, "身份证.png", files.png())).json()["id"]
    resp = await client.post(f"{ADMIN}/items", json=with_files("TEST-LEAK", scan, None), headers=admin)
    error = assert_error(resp, 422, "UNKNOWN_UPLOAD")
    assert error["details"]["missing"] == [scan]  # answered exactly like a missing file
    resp = await client.post(f"{ADMIN}/items", json=with_files("TEST-LEAK", None, 999_999), headers=admin)
    assert assert_error(resp, 422, "UNKNOWN_UPLOAD")["details"]["missing"] == [999_999]

    # a guide saved before this check that names a citizen's file still never shows or serves it
    form = await staff_file(client, admin, "表.docx", files.docx())
    await publish(client, admin, with_files("TEST-OLD", form, None))
    material = (await client.get(f"{ITEMS}/TEST-OLD")).json()["materials"][0]
    await Material.filter(id=material["id"]).update(blank_form_upload_id=scan)
    shown = (await client.get(f"{ITEMS}/TEST-OLD")).json()["materials"][0]
    assert shown["blank_form"] is None
    assert_error(await client.get(material["blank_form"]["url"]), 404, "NOT_FOUND")


async def test_published_forms_outlive_the_orphan_cleaner(client, admin, settings):
    form = files.docx()
    form_id = await staff_file(client, admin, "申请表.docx", form)
    stray = await staff_file(client, admin, "未使用.docx", files.docx())
    await publish(client, admin, with_files("TEST-KEEP", form_id, None))
    url = (await client.get(f"{ITEMS}/TEST-KEEP")).json()["materials"][0]["blank_form"]["url"]

    clock.advance(timedelta(hours=settings.upload_orphan_hours + 1))
    assert await run_job(uploads_service.clean_orphans, settings) == 1  # only the unused one
    clock.reset()

    download = await client.get(url)
    assert download.status_code == 200 and download.content == form
    assert stray not in await uploads_service.files_by_id([form_id, stray])


async def test_openapi_documents_the_public_downloads(client):
    spec = (await client.get("/api/v1/openapi.json")).json()
    for kind in ("blank-form", "sample"):
        op = spec["paths"][f"/api/v1/items/{{code}}/materials/{{id}}/{kind}"]["get"]
        assert not op.get("security")  # no login
        assert "Content-Disposition" in op["responses"]["200"]["headers"]
        assert "404" in op["responses"]
    material = spec["components"]["schemas"]["MaterialOut"]["properties"]
    assert {"blank_form", "sample"} <= set(material)
