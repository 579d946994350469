"""Public progress query: number + phone tail, the same 404 for both mistakes, throttling (429)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from citizen_api import clock
from citizen_api.cases.progress import lookup
from citizen_api.errors import ApiError
from citizen_api.ratelimit import RateLimiter
from tests import cases_fixtures as f
from tests.conftest import assert_error, make_settings


@pytest.fixture
def settings(tmp_path, database_url, wechat_sim):
    return make_settings(
        tmp_path,
        database_url,
        wechat_sim.base_url,
        progress_number_limit=3,
        progress_number_window_seconds=600,
        progress_ip_limit=8,
        progress_ip_window_seconds=60,
        **f.LONG_TOKENS,
    )


async def _case(api, client, settings):
    item = await f.published_item()
    alice = await f.citizen(api, client, phone="13812345678")
    created = await f.submit(client, alice, item)
    window = await f.staff(settings, "w", "window")
    await f.act(client, window, created["id"], "accept")
    return created


async def test_right_pair_shows_progress_and_both_mistakes_look_the_same(database_url, settings, api, client):
    created = await _case(api, client, settings)
    number = created["number"]
    ok = await client.get("/api/v1/progress", params={"number": number.lower(), "phone_tail": "5678"})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["number"] == number and body["status"] == "accepted" and body["status_text"]
    assert [t["status"] for t in body["timeline"]] == ["submitted", "accepted"]
    assert body["deadline"] is not None
    # no personal data in the public view
    assert "13812345678" not in ok.text and "张三丰" not in ok.text

    wrong_tail = await client.get("/api/v1/progress", params={"number": number, "phone_tail": "1234"})
    other = number[:-1] + ("9" if number[-1] != "9" else "8")
    wrong_number = await client.get("/api/v1/progress", params={"number": other, "phone_tail": "5678"})
    assert_error(wrong_tail, 404, "NOT_FOUND")
    assert_error(wrong_number, 404, "NOT_FOUND")
    assert wrong_tail.json() == wrong_number.json()
    garbage = await client.get("/api/v1/progress", params={"number": "../x", "phone_tail": "ab"})
    assert garbage.json() == wrong_tail.json()

    # the bot's entry point answers the same
    assert (await lookup(number, "5678", settings))["status"] == "accepted"
    assert await lookup(number, "0000", settings) is None


async def test_throttled_per_number(database_url, settings, api, client):
    created = await _case(api, client, settings)
    number = created["number"]
    for tail in ("0001", "0002", "0003"):
        assert_error(
            await client.get("/api/v1/progress", params={"number": number, "phone_tail": tail}),
            404,
            "NOT_FOUND",
        )
    # guessing tails for this number is over, even with the right one
    blocked = await client.get("/api/v1/progress", params={"number": number, "phone_tail": "5678"})
    error = assert_error(blocked, 429, "RATE_LIMITED")
    assert int(blocked.headers["retry-after"]) > 0 and error["details"]["retry_after"] > 0
    # other numbers are not affected
    assert_error(
        await client.get("/api/v1/progress", params={"number": "GA20260101000001", "phone_tail": "5678"}),
        404,
        "NOT_FOUND",
    )
    clock.advance(timedelta(minutes=11))
    again = await client.get("/api/v1/progress", params={"number": number, "phone_tail": "5678"})
    assert again.status_code == 200, again.text


async def test_throttled_per_client(database_url, settings, client):
    statuses = []
    for i in range(10):
        resp = await client.get(
            "/api/v1/progress", params={"number": f"GA2026010100{i:04d}", "phone_tail": "5678"}
        )
        statuses.append(resp.status_code)
    assert statuses == [404] * 8 + [429] * 2


async def test_redis_limiter_is_shared_and_fails_open(redis_dsn):
    from redis.asyncio import Redis

    limiter = RateLimiter()
    redis = Redis.from_url(redis_dsn)
    # two "processes" (two states) share one count through Redis
    first, second = SimpleNamespace(redis=redis, extras={}), SimpleNamespace(redis=redis, extras={})
    try:
        assert await limiter.hit(first, "test:shared", 3, 60) == 1
        assert await limiter.hit(second, "test:shared", 3, 60) == 2
        assert await limiter.hit(first, "test:shared", 3, 60) == 3
        with pytest.raises(ApiError) as refused:
            await limiter.hit(second, "test:shared", 3, 60)
        assert refused.value.status == 429 and int(refused.value.headers["Retry-After"]) >= 1
        keys = await redis.keys("onetrip:rl:test:shared:*")
        assert len(keys) == 1 and 0 < await redis.ttl(keys[0]) <= 61
    finally:
        await redis.aclose()

    # Redis gone: requests pass rather than fail
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2, socket_timeout=0.2)
    broken = SimpleNamespace(redis=dead, extras={})
    for _ in range(5):
        assert await limiter.hit(broken, "test:dead", 1, 60) == 0
    await dead.aclose()


async def test_memory_limiter_windows_follow_the_clock():
    limiter = RateLimiter()
    state = SimpleNamespace(redis=None, extras={})
    clock.set_now(f.at(2026, 9, 1))
    for _ in range(2):
        await limiter.hit(state, "k", 2, 60)
    with pytest.raises(ApiError):
        await limiter.hit(state, "k", 2, 60)
    clock.advance(timedelta(seconds=61))
    assert await limiter.hit(state, "k", 2, 60) == 1
    # another app (state) counts on its own
    assert await limiter.hit(SimpleNamespace(redis=None, extras={}), "k", 2, 60) == 1
