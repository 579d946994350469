"""How long the answers the tests check only as behaviour take: the bot's reply budget, and the API
with Redis down.

The tests assert what a user sees (the bot answers "success" and follows up, a retry is answered
"success" and fetches nothing again; with Redis killed every request is still answered); how long
that takes depends on the machine, so it is measured here, against the real server:

1. bot over budget — WeChat's ``user/info`` answers in ``SLOW`` s, the reply budget is ``BUDGET`` s
   (``ONETRIP_BOT_REPLY_BUDGET_SECONDS``): time to "success" for a subscribe event, then for WeChat's
   retry of the same request while the first is still waiting (2 API processes: a retry may reach
   the other one). Goal: the first at about the budget, the retry at once (well under it).
2. Redis down — the same citizen requests (login, search, a guide as a citizen, /readyz) with a
   private Redis up, then killed (SIGKILL): p50/p99 of each phase. Goal: no request waits for a
   Redis timeout (p99 with Redis down within ``TIMEOUT_GOAL_MS``).

Exits 1 if an answer is wrong (not "success", not 200, /readyz not 503 with Redis down).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import aiohttp
from wechatpy.crypto import WeChatCrypto

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    PY,
    ROOT,
    bench_env,
    drop_pg_database,
    free_port,
    fresh_pg_database,
    load,
    run,
    run_cli,
    server,
)
from citizen_api.settings import DEV_OA_AES_KEY, DEV_OA_APPID, DEV_OA_TOKEN

DB = "onetrip_bench_waits"
BUDGET = 0.3
SLOW = 1.5
EVENTS = 20
REQUESTS = 400  # per Redis phase
CONCURRENCY = 8
TIMEOUT_GOAL_MS = 500.0  # the app's Redis socket timeouts are 1 s: a request waiting for one shows


def wait_port(port: int, proc: subprocess.Popen, what: str) -> None:
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()


def cdata(text: str) -> str:
    return f"<![CDATA[{text}]]>"


def sealed_subscribe(crypto: WeChatCrypto, openid: str) -> tuple[dict[str, str], bytes]:
    """A subscribe event as WeChat pushes it in safe mode: (query, body)."""
    ts, nonce = str(int(time.time())), str(secrets.randbelow(10**12))
    plain = (
        f"<xml><ToUserName>{cdata('gh_onetrip')}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
        f"<CreateTime>{ts}</CreateTime><MsgType>{cdata('event')}</MsgType>"
        f"<Event>{cdata('subscribe')}</Event><EventKey>{cdata('')}</EventKey></xml>"
    )
    envelope = {c.tag: c.text or "" for c in ElementTree.fromstring(crypto.encrypt_message(plain, nonce, ts))}
    query = {
        "signature": hashlib.sha1("".join(sorted([DEV_OA_TOKEN, ts, nonce])).encode()).hexdigest(),
        "timestamp": ts,
        "nonce": nonce,
        "openid": openid,
        "encrypt_type": "aes",
        "msg_signature": envelope["MsgSignature"],
    }
    sealed = cdata(envelope["Encrypt"])
    body = f"<xml><ToUserName>{cdata('gh_onetrip')}</ToUserName><Encrypt>{sealed}</Encrypt></xml>"
    return query, body.encode()


def ms(values: list[float]) -> str:
    data = sorted(values)
    return f"p50 {statistics.median(data):.0f} ms, max {data[-1]:.0f} ms"


async def bot_over_budget(base: str, sim: str) -> list[str]:
    crypto = WeChatCrypto(DEV_OA_TOKEN, DEV_OA_AES_KEY, DEV_OA_APPID)
    first, retry, problems = [], [], []
    async with aiohttp.ClientSession() as http:
        for i in range(EVENTS):
            async with http.post(f"{sim}/_sim/followers", json={"name": f"bench-wait-{i}"}) as resp:
                openid = (await resp.json())["openid"]
            fault = {"path": "/cgi-bin/user/info", "delay": SLOW, "times": 1}
            async with http.post(f"{sim}/_sim/faults", json=fault):
                pass
            query, body = sealed_subscribe(crypto, openid)
            for timings in (first, retry):
                started = time.perf_counter()
                async with http.post(f"{base}/wechat/official", params=query, data=body) as resp:
                    text = await resp.text()
                timings.append((time.perf_counter() - started) * 1000)
                if resp.status != 200 or text != "success":
                    problems.append(f"event {i}: {resp.status} {text[:100]!r} instead of 'success'")
            await asyncio.sleep(SLOW)  # let the slow work finish before the next event's fault
    print(f"bot over budget ({EVENTS} subscribe events, user/info {SLOW} s, budget {BUDGET} s, 2 processes):")
    print(f"  first answer ('success'): {ms(first)} (about the budget)")
    print(f"  WeChat's retry meanwhile ('success'): {ms(retry)} (at once)")
    return problems


async def redis_down(base: str, redis: subprocess.Popen) -> list[str]:
    problems: list[str] = []
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/api/v1/auth/wechat", json={"code": "dev-bench-wait"}) as resp:
            token = (await resp.json())["access_token"]
        async with http.get(f"{base}/api/v1/items", params={"q": "身份证", "size": 1}) as resp:
            code = (await resp.json())["items"][0]["code"]
    citizen = {"Authorization": f"Bearer {token}"}

    async def citizen_request(session: aiohttp.ClientSession, i: int) -> int:
        kind = i % 3
        if kind == 0:
            request = session.post(f"{base}/api/v1/auth/wechat", json={"code": f"dev-bench-wait-{i % 50}"})
        elif kind == 1:
            request = session.get(f"{base}/api/v1/items", params={"q": "营业执照"})
        else:
            request = session.get(f"{base}/api/v1/items/{code}", headers=citizen)
        async with request as resp:
            await resp.read()
            return resp.status

    async with aiohttp.ClientSession() as http:
        for phase in ("up", "down"):
            if phase == "down":
                stop(redis)
            async with http.get(f"{base}/readyz") as resp:
                ready = resp.status
            result = await load(citizen_request, total=REQUESTS, concurrency=CONCURRENCY)
            print(result.line(f"  Redis {phase}: /readyz {ready}; citizen requests"))
            if set(result.statuses) != {200}:
                problems.append(f"Redis {phase}: answers {result.statuses}")
            if ready != (200 if phase == "up" else 503):
                problems.append(f"Redis {phase}: /readyz answered {ready}")
            if phase == "down":
                p99 = result.pct(99)
                met = "met" if p99 <= TIMEOUT_GOAL_MS else "NOT met"
                print(f"  with Redis down p99 {p99:.0f} ms (goal ≤ {TIMEOUT_GOAL_MS:.0f} ms: {met})")
    return problems


def start_services(redis_port: int, sim_port: int) -> tuple[subprocess.Popen, subprocess.Popen]:
    """A private Redis (killed in phase 2; never the shared one) and the WeChat simulator."""
    redis_args = ["--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    redis = subprocess.Popen(["redis-server", *redis_args], **quiet)
    sim = subprocess.Popen([PY, "-m", "infra.simulators.wechat", "--port", str(sim_port)], cwd=ROOT, **quiet)
    try:
        wait_port(redis_port, redis, "redis-server")
        wait_port(sim_port, sim, "WeChat simulator")
    except RuntimeError:
        stop(sim)
        stop(redis)
        raise
    return redis, sim


async def main() -> int:
    url = await fresh_pg_database(DB)
    redis_port, sim_port = free_port(), free_port()
    redis, sim = start_services(redis_port, sim_port)
    sim_base = f"http://127.0.0.1:{sim_port}"
    problems: list[str] = []
    try:
        env = bench_env(url, ONETRIP_WECHAT_API_BASE=sim_base)
        run_cli(env, "migrate")
        run_cli(env, "seed-demo")
        bot_env = dict(env, ONETRIP_BOT_REPLY_BUDGET_SECONDS=str(BUDGET))
        with server(bot_env, workers=2) as base:
            problems += await bot_over_budget(base, sim_base)
        print(f"API with Redis down ({REQUESTS} requests per phase, {CONCURRENCY} in flight, 1 process):")
        with server(dict(env, ONETRIP_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")) as base:
            problems += await redis_down(base, redis)
    finally:
        stop(sim)
        stop(redis)
        await drop_pg_database(DB)
    for problem in problems[:5]:
        print("  FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(run(main()))
