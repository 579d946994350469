"""Across processes: an edit published through one API process reaches search in another (real
uvicorn, same database), and ``onetrip catalog export`` / ``import`` round-trip the catalog."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.catalog_fixtures import (  # noqa: F401  (fixtures)
    admin_headers,
    api_process,
    content_of,
    full_item,
    seeded_sqlite_template,
)
from tests.conftest import assert_error

ROOT = Path(__file__).resolve().parent.parent
ONETRIP = str(Path(sys.executable).parent / "onetrip")
ADMIN = "/api/v1/admin/catalog"
ITEMS = "/api/v1/items"
DEPARTMENT = {
    "code": "GA",
    "name": "市公安局",
    "sort": 1,
    "phone": "0571-87280110",
    "address": "市民大道 100 号",
}


async def first_codes(other: httpx.AsyncClient, q: str) -> list[str]:
    resp = await other.get(ITEMS, params={"q": q, "size": 5})
    assert resp.status_code == 200, resp.text
    return [i["code"] for i in resp.json()["items"]]


async def wait_until(other: httpx.AsyncClient, q: str, check, seconds: float = 8.0) -> list[str]:
    """Poll the other process until ``check(codes)`` holds (it rebuilds within ~1 s of a change)."""
    deadline = time.monotonic() + seconds
    while True:
        codes = await first_codes(other, q)
        if check(codes) or time.monotonic() > deadline:
            return codes
        await asyncio.sleep(0.1)


async def test_a_published_edit_reaches_search_in_another_process(client, api, database_url, tmp_path):
    headers = await admin_headers(api)
    assert (await client.post(f"{ADMIN}/departments", json=DEPARTMENT, headers=headers)).status_code == 201
    var = tmp_path / "other"
    var.mkdir()
    # the in-test app answers through ASGI; the other process is a real uvicorn on the same database
    with api_process(database_url, var, ONETRIP_CATALOG_REFRESH_SECONDS="0.2") as base:
        async with httpx.AsyncClient(base_url=base, timeout=5) as other:
            assert await first_codes(other, "犬只免疫证明") == []

            # a new item: invisible while it is a draft, found once published
            item = full_item(code="GA-DOG-01", name="犬只免疫证明核发")
            assert (await client.post(f"{ADMIN}/items", json=item, headers=headers)).status_code == 201
            # another item published after the draft: once the other process finds it, its index
            # is newer than the draft, which it must still not show
            marker = full_item(
                code="GA-BOAT-01",
                name="渔业船舶登记证书核发",
                keywords=["渔船登记"],
                result={"name": "渔业船舶登记证书", "type": "证照"},
            )
            assert (await client.post(f"{ADMIN}/items", json=marker, headers=headers)).status_code == 201
            published = await client.post(f"{ADMIN}/items/GA-BOAT-01/publish", headers=headers)
            assert published.status_code == 200, published.text
            assert await wait_until(other, "渔业船舶登记", lambda c: "GA-BOAT-01" in c) == ["GA-BOAT-01"]
            assert await first_codes(other, "犬只免疫证明") == []
            assert_error(await other.get(f"{ITEMS}/GA-DOG-01"), 404, "NOT_FOUND")
            published = await client.post(f"{ADMIN}/items/GA-DOG-01/publish", headers=headers)
            assert published.status_code == 200, published.text
            codes = await wait_until(other, "犬只免疫证明", lambda c: c[:1] == ["GA-DOG-01"])
            assert codes[:1] == ["GA-DOG-01"], codes
            assert (await wait_until(other, "qzmyzm", lambda c: c[:1] == ["GA-DOG-01"]))[:1] == ["GA-DOG-01"]

            # renamed: the new name is found there, the old one no longer
            renamed = {
                "name": "宠物狂犬病疫苗接种登记",
                "keywords": ["打狂犬疫苗"],
                "result": {"name": "接种凭证", "type": "其他"},
            }
            edit = content_of(full_item(**renamed))
            drafted = await client.put(f"{ADMIN}/items/GA-DOG-01/draft", json=edit, headers=headers)
            assert drafted.status_code == 200, drafted.text
            assert (await client.post(f"{ADMIN}/items/GA-DOG-01/publish", headers=headers)).status_code == 200
            codes = await wait_until(other, "狂犬病疫苗", lambda c: c[:1] == ["GA-DOG-01"])
            assert codes[:1] == ["GA-DOG-01"], codes
            assert await first_codes(other, "犬只免疫证明") == []
            guide = (await other.get(f"{ITEMS}/GA-DOG-01")).json()
            assert guide["name"] == "宠物狂犬病疫苗接种登记" and guide["version"] == 2

            # unpublished: gone from the other process's search too
            assert (
                await client.post(f"{ADMIN}/items/GA-DOG-01/unpublish", headers=headers)
            ).status_code == 200
            assert await wait_until(other, "狂犬病疫苗", lambda c: c == []) == []


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ONETRIP, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)


def _env(url: str, var: Path) -> dict:
    return dict(os.environ, ONETRIP_DATABASE_URL=url, ONETRIP_VAR_DIR=str(var), ONETRIP_ENV="test")


def test_catalog_export_and_import_round_trip(tmp_path, seeded_sqlite_template, sqlite_template):
    """Export the demo catalog, import it into an empty database, export again: the same file."""
    from tests import databases

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    source = _env(databases.fresh_sqlite(seeded_sqlite_template, tmp_path / "a"), tmp_path)
    target = _env(databases.fresh_sqlite(sqlite_template, tmp_path / "b"), tmp_path)

    exported = _cli(source, "catalog", "export", str(tmp_path / "one.json"))
    assert exported.returncode == 0, exported.stderr
    assert "exported 214 items, 17 departments" in exported.stdout
    first = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert first["format"] == "onetrip-catalog/1" and len(first["items"]) == 214 and first["synonyms"]

    imported = _cli(target, "catalog", "import", str(tmp_path / "one.json"))
    assert imported.returncode == 0, imported.stderr
    assert "214 items created, 0 updated, 0 unchanged" in imported.stdout
    assert "导入事项" in imported.stdout  # the progress bar
    again = _cli(target, "catalog", "import", str(tmp_path / "one.json"))  # idempotent
    assert again.returncode == 0 and "0 items created, 0 updated, 214 unchanged" in again.stdout

    assert _cli(target, "catalog", "export", str(tmp_path / "two.json")).returncode == 0
    second = json.loads((tmp_path / "two.json").read_text(encoding="utf-8"))
    assert second == first

    # an edited file updates just that item; a broken one is refused whole, with every problem named
    first["items"][0]["name"] = "改过名字的事项"
    (tmp_path / "edit.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    edited = _cli(target, "catalog", "import", str(tmp_path / "edit.json"))
    assert edited.returncode == 0 and "0 items created, 1 updated, 213 unchanged" in edited.stdout
    first["items"][1]["promised_days"] = first["items"][1]["statutory_days"] + 1
    first["items"][2]["audience"] = "alien"
    (tmp_path / "bad.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    refused = _cli(target, "catalog", "import", str(tmp_path / "bad.json"))
    assert refused.returncode == 2
    assert "PROMISED_EXCEEDS_STATUTORY" in refused.stderr and "items[2]" in refused.stderr
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    assert _cli(target, "catalog", "import", str(tmp_path / "junk.json")).returncode == 2
