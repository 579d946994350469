"""Fixtures for the catalog and search tests: databases that already hold the demo catalog, an
admin, a complete item payload, and a real second API process (uvicorn) for cross-process tests.

Import the fixtures a module needs by name (``from tests.catalog_fixtures import ...``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citizen_api.db import atomic, close_db, init_db
from citizen_api.domains import MODEL_MODULES
from tests import databases
from tests.conftest import create_staff

ROOT = Path(__file__).resolve().parent.parent


async def seed_demo_catalog(url: str) -> None:
    from citizen_api.catalog.seed import seed

    await init_db(url, MODEL_MODULES, max_pool=2)
    try:
        async with atomic():
            await seed(None)
    finally:
        await close_db()


@pytest.fixture(scope="session")
def seeded_sqlite_template(sqlite_template, tmp_path_factory) -> Path:
    """The migrated SQLite template plus the demo catalog, made once per session."""
    target = tmp_path_factory.mktemp("catalog-template") / "seeded.db"
    shutil.copyfile(sqlite_template, target)
    asyncio.run(seed_demo_catalog(f"sqlite://{target}"))
    return target


@pytest.fixture(params=["sqlite", "postgres"])
def seeded_url(request, tmp_path, seeded_sqlite_template) -> str:
    """A database holding the demo catalog (214 items, 17 departments), on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return databases.fresh_sqlite(seeded_sqlite_template, tmp_path)
    request.getfixturevalue("postgres_url")  # skips with its reason when PostgreSQL is absent
    return databases.pg_with("demo-catalog", seed_demo_catalog)


async def admin_headers(api, username: str = "catalog-admin") -> dict[str, str]:
    await create_staff(username, "admin", None)
    return await api.staff_headers(username)


def full_item(code: str = "TEST-0001", **overrides) -> dict:
    """An item with every element of the guide filled in (and consistent)."""
    item = {
        "code": code,
        "basic_code": "000123456789",
        "department": "GA",
        "name": "测试犬只免疫证明核发",
        "item_type": "行政确认",
        "audience": "personal",
        "statutory_days": 20,
        "promised_days": 5,
        "time_unit": "working_day",
        "processing_type": "promised",
        "visits": 1,
        "visits_reason": "需携犬到指定点植入电子标识",
        "online": True,
        "online_depth": 3,
        "deliverable": True,
        "bookable": True,
        "charges_fee": True,
        "fees": [{"name": "工本费", "standard": "10元/证", "basis": "测试收费文件〔2026〕1号"}],
        "fee_exemptions": "低保对象免收",
        "basis": ["《测试条例》第十条"],
        "conditions": ["申请人年满 18 周岁", "犬只已免疫"],
        "procedure": [
            {"name": "申请", "description": "网上申请", "time_limit": ""},
            {"name": "核验", "description": "到窗口核验", "time_limit": "当场"},
        ],
        "place": "市政务服务中心 A 区 3 号窗口",
        "hours": "工作日 9:00-17:00",
        "contact": "0571-00000000",
        "complaint": "12345",
        "result": {"name": "犬只免疫证明", "type": "证照"},
        "faqs": [{"question": "可以代办吗？", "answer": "可以。"}],
        "keywords": ["狗狗免疫证"],
        "online_url": "/pages/item/apply?code=TEST-0001",
        "effective_from": "2026-03-01",
        "materials": [
            {
                "name": "居民身份证",
                "necessity": "required",
                "kind": "id_card",
                "forms": ["原件"],
                "copies": 1,
                "source": "公安机关",
                "notes": "核验后退还",
            },
            {
                "name": "犬只照片",
                "necessity": "tolerated",
                "kind": "photo",
                "forms": ["电子"],
                "copies": 2,
                "source": "申请人自备",
                "notes": "正面照",
            },
            {
                "name": "授权委托书",
                "necessity": "optional",
                "kind": "authorization",
                "forms": ["原件", "复印件"],
            },
        ],
    }
    item.update(overrides)
    return item


def content_of(item: dict) -> dict:
    """The draft body (PUT …/draft) of a create payload."""
    return {k: v for k, v in item.items() if k not in ("code", "basic_code", "department")}


# ---- a second API process --------------------------------------------------------------------


@contextlib.contextmanager
def api_process(database_url: str, var_dir: Path, **env_extra: str) -> Iterator[str]:
    """The real app under uvicorn in its own process, on the same database; yields its base URL."""
    # bind here and hand uvicorn the socket: a port picked free and bound later can be taken by another
    # test's server meanwhile (seen in CI: /healthz answered by the wrong process)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    env = dict(os.environ)
    env.update(
        {
            "ONETRIP_ENV": "test",
            "ONETRIP_DATABASE_URL": database_url,
            "ONETRIP_VAR_DIR": str(var_dir),
            "ONETRIP_STORAGE_DIR": str(var_dir / "uploads"),
            "ONETRIP_LOG_JSON": "true",
            **env_extra,
        }
    )
    command = [sys.executable, "-m", "uvicorn", "citizen_api.app:asgi_app", "--factory"]
    command += ["--fd", str(listener.fileno()), "--log-level", "warning", "--no-access-log"]
    log = open(var_dir / "api-process.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, pass_fds=(listener.fileno(),)
    )
    listener.close()  # the child holds its own copy
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError("API process exited: " + (var_dir / "api-process.log").read_text()[-2000:])
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("API process did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
