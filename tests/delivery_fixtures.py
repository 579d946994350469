"""Fixtures for delivery, ratings and complaints tests: cases made directly with the models, the
kuaidi100 simulator, and the real app served over loopback HTTP (so the simulator can push to it)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import uvicorn

from citizen_api import clock
from citizen_api.app import create_app
from citizen_api.settings import Settings
from infra.simulators.kuaidi100 import Kuaidi100Simulator
from infra.simulators.locker import LockerSimulator
from tests.conftest import LOOPBACK_LIMITS, Api, make_settings

_numbers = itertools.count(1)

ADDRESS = {
    "name": "张三",
    "phone": "13800138000",
    "province": "广东省",
    "city": "广州市",
    "district": "海珠区",
    "address": "新港中路 397 号 2 栋 301",
}


def s10(serial: str, prefix: str = "EA") -> str:
    """A valid UPU S10 number, computed here from the published rule (independent of the app's code)."""
    weights = (8, 6, 4, 2, 3, 5, 9, 7)
    check = 11 - sum(int(d) * w for d, w in zip(serial, weights, strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{serial}{check}CN"


async def make_department(code: str = "GA", name: str = "公安局"):
    from citizen_api.catalog.models import Department

    department, _ = await Department.get_or_create(code=code, defaults={"name": name})
    return department


async def make_item(department_code: str = "GA", *, deliverable: bool = True, code: str | None = None):
    from citizen_api.catalog.models import ItemVersion, ServiceItem

    department = await make_department(department_code)
    code = code or f"{department_code}-ITEM-{next(_numbers)}"
    item = await ServiceItem.create(
        code=code,
        basic_code="000000000000",
        department=department,
        name="居民身份证换领",
        is_published=True,
        deliverable=deliverable,
        promised_days=5,
        statutory_days=20,
    )
    version = await ItemVersion.create(
        item=item,
        version=1,
        status="published",
        name=item.name,
        item_type="行政确认",
        statutory_days=20,
        promised_days=5,
        visits=0,
        deliverable=deliverable,
    )
    item.published_version_id = version.id
    await item.save()
    return item, version


async def make_case(
    applicant_id: int,
    *,
    status: str = "approved",
    department: str = "GA",
    deliverable: bool = True,
    decided_at: datetime | None = None,
    address: dict[str, Any] | None = None,
    settings: Settings | None = None,
):
    """An Application row as the cases workflow would leave it (decided cases get ``decided_at``)."""
    from citizen_api.cases import address as case_address
    from citizen_api.cases.models import Application

    item, version = await make_item(department, deliverable=deliverable)
    if decided_at is None and status in ("approved", "rejected", "delivered"):
        decided_at = clock.now()
    decided_at = decided_at.astimezone(UTC) if decided_at else None
    return await Application.create(
        number=f"{department}{clock.today():%Y%m%d}{next(_numbers):05d}",
        applicant_id=applicant_id,
        item=item,
        item_version=version,
        department_code=department,
        status=status,
        item_code=item.code,
        item_name=item.name,
        decided_at=decided_at,
        delivery_address_enc=case_address.store(address, settings) if address and settings else None,
    )


async def citizen(api: Api, name: str) -> tuple[int, dict[str, str]]:
    tokens = await api.login_citizen(name)
    return tokens["user"]["id"], {"Authorization": f"Bearer {tokens['access_token']}"}


async def outbox_rows(event: str | None = None, **filters) -> list:
    from notifications.models import Notification

    query = Notification.filter(**filters)
    if event:
        query = query.filter(event=event)
    return await query.order_by("id")


@pytest.fixture
async def k100_sim() -> AsyncIterator[Kuaidi100Simulator]:
    sim = Kuaidi100Simulator()
    await sim.start()
    yield sim
    await sim.stop()


@dataclass
class Live:
    client: httpx.AsyncClient
    settings: Settings
    base_url: str
    app: Any

    @property
    def api(self) -> Api:
        return Api(self.client)

    @property
    def state(self):
        return self.app.state.running  # the running app's AppState (set by its lifespan)


@contextlib.asynccontextmanager
async def serve_live(tmp_path, database_url, wechat_sim, **overrides) -> AsyncIterator[Live]:
    """The app under uvicorn on a loopback port (``overrides``: settings; ``public_base_url`` is the
    server's own address), with an HTTP client to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = make_settings(tmp_path, database_url, wechat_sim.base_url, public_base_url=base, **overrides)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(6000):  # a cold start under CI load may take a while (as the other live servers)
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "the app did not start"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=LOOPBACK_LIMITS) as client:
            yield Live(client, settings, base, app)
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture
async def live(tmp_path, database_url, wechat_sim, k100_sim) -> AsyncIterator[Live]:
    """The app under uvicorn on a loopback port; kuaidi100 calls go to the simulator, which pushes back."""
    async with serve_live(
        tmp_path, database_url, wechat_sim, kuaidi100_api_base=k100_sim.base_url
    ) as running:
        yield running


@pytest.fixture
async def locker_sim() -> AsyncIterator[LockerSimulator]:
    """The hall's pickup locker (two compartments), calling back whoever sets ``callback_url``."""
    sim = LockerSimulator(secret="test-locker-secret", size=2)
    await sim.start()
    yield sim
    await sim.stop()
