"""The unit of work (citizen_api.db.atomic): after-commit callbacks run once the data is committed,
in order, never after a rollback; a nested unit is a savepoint that joins the outer one. Requests:
a non-GET endpoint is one unit, an ``atomic="manual"`` one opens ``ctx.atomic()`` itself."""

from __future__ import annotations

import httpx
import pytest
from asgi_lifespan import LifespanManager
from tortoise.exceptions import IntegrityError

from citizen_api import db
from citizen_api.app import create_app
from citizen_api.catalog.models import Department
from citizen_api.errors import ApiError
from citizen_api.http import Ctx, endpoint


async def test_callbacks_run_in_order_after_the_commit(client):
    seen: list = []

    async def second() -> None:
        # a query of its own, outside the transaction: the row is committed
        seen.append(("second", db.current_unit(), await Department.exists(code="UOW1")))

    async with db.atomic() as unit:
        await Department.create(code="UOW1", name="单元一")
        unit.after_commit(lambda: seen.append(("first", db.current_unit())))
        unit.after_commit(second)
        unit.after_commit(lambda: seen.append(("once",)), key="wake")
        unit.after_commit(lambda: seen.append(("twice",)), key="wake")  # same key: ignored
        assert seen == []
    assert seen == [("first", None), ("second", None, True), ("once",)]


async def test_a_rolled_back_unit_runs_no_callback(client):
    seen: list[str] = []
    with pytest.raises(ApiError):
        async with db.atomic() as unit:
            await Department.create(code="UOW2", name="单元二")
            unit.after_commit(lambda: seen.append("ran"))
            raise ApiError(409, "CONFLICT_FOR_TEST", "测试")
    assert seen == []
    assert not await Department.exists(code="UOW2")


async def test_a_nested_unit_joins_the_outer_one_and_a_failed_savepoint_drops_its_callbacks(client):
    seen: list[str] = []
    await Department.create(code="UOW3", name="已有")
    async with db.atomic() as outer:
        outer.after_commit(lambda: seen.append("outer"))
        async with db.atomic() as inner:
            inner.after_commit(lambda: seen.append("inner"))
            assert db.current_unit() is inner
        assert seen == []  # the inner unit waits for the outer commit
        with pytest.raises(IntegrityError):
            async with db.atomic() as failing:
                failing.after_commit(lambda: seen.append("rolled back"))
                await Department.create(code="UOW3", name="重复")  # unique code: the savepoint fails
        await Department.create(code="UOW4", name="之后")  # the outer transaction goes on
        assert seen == []
    assert seen == ["outer", "inner"]
    assert await Department.exists(code="UOW4")

    with pytest.raises(RuntimeError):
        async with db.atomic():
            async with db.atomic() as inner:
                inner.after_commit(lambda: seen.append("late"))
                await Department.create(code="UOW5", name="回滚")
            raise RuntimeError("the outer unit fails after the inner one succeeded")
    assert seen == ["outer", "inner"]
    assert not await Department.exists(code="UOW5")


async def test_a_failing_callback_does_not_stop_the_others(client):
    seen: list[str] = []

    def broken() -> None:
        raise ValueError("a cache refresh that failed")

    async with db.atomic() as unit:
        unit.after_commit(broken)
        unit.after_commit(lambda: seen.append("still ran"))
    assert seen == ["still ran"]


# -- the endpoint wrapper ----------------------------------------------------------------------------
async def _write_then_refuse(ctx: Ctx) -> None:
    """写入后拒绝"""
    await Department.create(code=ctx.path["code"], name="请求")
    ctx.after_commit(lambda: ctx.state.extras.setdefault("after", []).append(ctx.path["code"]))
    raise ApiError(409, "CONFLICT_FOR_TEST", "测试")


async def _write(ctx: Ctx) -> dict:
    """写入"""
    await Department.create(code=ctx.path["code"], name="请求")
    ctx.after_commit(lambda: ctx.state.extras.setdefault("after", []).append(ctx.path["code"]))
    return {"ok": True}


async def _call_out_then_write(ctx: Ctx) -> dict:
    """先调用外部服务，再写入"""
    committed_before = await Department.exists(code=ctx.path["code"] + "-A")
    async with ctx.atomic():
        await Department.create(code=ctx.path["code"] + "-A", name="手动")
        ctx.after_commit(lambda: ctx.state.extras.setdefault("after", []).append(ctx.path["code"]))
    await Department.create(code=ctx.path["code"] + "-B", name="手动")  # autocommit
    raise ApiError(409, "CONFLICT_FOR_TEST", f"已提交: {committed_before}")


@pytest.fixture
async def uow_app(settings):
    routes = [
        endpoint("POST", "/t/refuse/{code}", _write_then_refuse).route(),
        endpoint("POST", "/t/write/{code}", _write).route(),
        endpoint("POST", "/t/manual/{code}", _call_out_then_write, atomic="manual").route(),
    ]
    application = create_app(settings, extra_routes=routes)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, manager._state["app"]


async def test_a_write_request_is_one_unit_of_work(uow_app):
    client, state = uow_app
    assert (await client.post("/t/refuse/REQ1")).status_code == 409
    assert not await Department.exists(code="REQ1")  # rolled back with the refusal
    assert (await client.post("/t/write/REQ2")).status_code == 200
    assert await Department.exists(code="REQ2")
    assert state.extras["after"] == ["REQ2"]  # the refused request's callback never ran


async def test_a_manual_endpoint_commits_its_own_unit(uow_app):
    client, state = uow_app
    assert (await client.post("/t/manual/MAN")).status_code == 409
    # the refusal came after the handler's own unit committed: nothing of it is rolled back
    assert await Department.exists(code="MAN-A") and await Department.exists(code="MAN-B")
    assert state.extras["after"] == ["MAN"]
