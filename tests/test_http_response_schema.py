"""Answers go out through their declared ``response=`` type: ORM objects and other shapes are mapped
onto it, keys it does not declare are not sent, times carry +08:00, and an answer that does not fit
its schema fails (rolling back the request's writes) instead of reaching the client."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import BaseModel, ValidationError
from starlette.responses import PlainTextResponse

from citizen_api.app import create_app
from citizen_api.catalog.models import Department
from citizen_api.http import Ctx, Page, endpoint
from citizen_api.http.jsonio import local_iso

AT = datetime(2026, 3, 1, 2, 30, 15, 123456, tzinfo=UTC)


class DepartmentCard(BaseModel):
    code: str
    name: str
    created_at: datetime


class Stamp(BaseModel):
    label: str
    at: datetime


async def _orm_object(ctx: Ctx) -> DepartmentCard:
    """ORM 对象按声明的结构输出"""
    return await Department.get(code=ctx.path["code"])


async def _orm_page(ctx: Ctx) -> Page[DepartmentCard]:
    """分页"""
    rows = await Department.filter(code__startswith="RS").order_by("code")
    return {"total": len(rows), "items": rows}


async def _extra_keys(ctx: Ctx) -> Stamp:
    """多余的键不输出"""
    return {"label": "盖章", "at": AT, "internal_note": "不给市民看"}


async def _breaks_schema(ctx: Ctx) -> Stamp:
    """不符合声明结构的答复"""
    await Department.create(code=ctx.path["code"], name="不应保存")
    return {"label": "缺少时间"}


async def _raw(ctx: Ctx) -> PlainTextResponse:
    """原样返回"""
    return PlainTextResponse("原样")


@pytest.fixture
async def schema_client(settings):
    routes = [
        endpoint("GET", "/t/dept/{code}", _orm_object, response=DepartmentCard).route(),
        endpoint("GET", "/t/depts", _orm_page, response=Page[DepartmentCard]).route(),
        endpoint("GET", "/t/stamp", _extra_keys, response=Stamp).route(),
        endpoint("POST", "/t/broken/{code}", _breaks_schema, response=Stamp).route(),
        endpoint("GET", "/t/raw", _raw, response=Stamp).route(),
    ]
    application = create_app(settings, extra_routes=routes)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def test_orm_objects_map_onto_the_declared_schema(schema_client):
    dept = await Department.create(code="RS1", name="人社局", phone="0571-0000", created_at=AT)
    await Department.create(code="RS2", name="人社二处", created_at=AT)
    resp = await schema_client.get("/t/dept/RS1")
    assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
    # only what the schema declares (not phone, address, id …), the time in China Standard Time
    assert resp.json() == {"code": "RS1", "name": "人社局", "created_at": "2026-03-01T10:30:15+08:00"}
    assert local_iso(dept.created_at) == "2026-03-01T10:30:15+08:00"
    page = (await schema_client.get("/t/depts")).json()
    assert page["total"] == 2 and [d["code"] for d in page["items"]] == ["RS1", "RS2"]
    assert set(page["items"][0]) == {"code", "name", "created_at"}


async def test_keys_the_schema_does_not_declare_are_not_sent(schema_client):
    resp = await schema_client.get("/t/stamp")
    assert resp.json() == {"label": "盖章", "at": "2026-03-01T10:30:15+08:00"}


async def test_an_answer_that_breaks_its_schema_fails_and_rolls_back(schema_client):
    with pytest.raises(ValidationError, match="at"):
        await schema_client.post("/t/broken/BROKEN")
    assert not await Department.exists(code="BROKEN")


async def test_a_response_object_is_passed_through(schema_client):
    resp = await schema_client.get("/t/raw")
    assert (resp.status_code, resp.text) == (200, "原样")
