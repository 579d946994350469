"""Official-account bot: 2,000 signed, safe-mode text messages through the real server.

The server runs with its own token, EncodingAESKey and appid and the demo catalog; the messages
(``指南 营业执照``, ``指南 身份证``, ``帮助``, unknown text, from 200 followers) are sealed by wechatpy's
``WeChatCrypto`` as WeChat seals them, each with its own nonce and MsgId, and sent with ~32 in flight.
Prints p50/p99 of the whole round trip (verify signature → decrypt → answer → encrypt → reply) and
requests/s. Every reply is opened with wechatpy (its signature checked) and compared with the
expected answer; exits 1 if any is missing, wrong or not 200.

``--redis`` keeps the bot's nonces and answers in Redis (``ONETRIP_REDIS_URL``) instead of
PostgreSQL; ``--workers N`` runs N uvicorn workers.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import secrets
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import aiohttp
from wechatpy.crypto import WeChatCrypto

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    bench_env,
    drop_pg_database,
    fresh_pg_database,
    load,
    run_cli,
    server_logging_to_file,
)
from bench._common import (
    run as run_event_loop,
)
from bots.answers import HELP

DB = "onetrip_bench_bot"
MESSAGES = 2_000
CONCURRENCY = 32
SINGLE = 300  # then one at a time: the round trip without queueing behind 31 others
FOLLOWERS = 200
TOKEN = "benchBotToken2026"
AES_KEY = base64.b64encode(hashlib.sha256(b"onetrip bench bot").digest()).decode()[:43]
APPID = "wxbench0000000001"
ACCOUNT = "gh_bench_account"
TEXTS = ["指南 营业执照", "帮助", "指南 身份证", "你好"]
GOAL_P99_MS = 50.0


def cdata(text: str) -> str:
    return f"<![CDATA[{text}]]>"


def fields(xml: str) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(xml)}


def build(crypto: WeChatCrypto, i: int) -> tuple[str, str, dict[str, str], bytes]:
    """(openid, text, query, body) of message ``i``, signed and sealed as WeChat does."""
    openid, text = f"o-bench-{i % FOLLOWERS:04d}", TEXTS[i % len(TEXTS)]
    ts, nonce = str(int(time.time())), str(secrets.randbelow(10**12))
    plain = (
        f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
        f"<CreateTime>{ts}</CreateTime><MsgType>{cdata('text')}</MsgType><Content>{cdata(text)}</Content>"
        f"<MsgId>{8_000_000_000_000_000_000 + i}</MsgId></xml>"
    )
    envelope = fields(crypto.encrypt_message(plain, nonce, ts))
    query = {
        "signature": hashlib.sha1("".join(sorted([TOKEN, ts, nonce])).encode()).hexdigest(),
        "timestamp": ts,
        "nonce": nonce,
        "openid": openid,
        "encrypt_type": "aes",
        "msg_signature": envelope["MsgSignature"],
    }
    body = (
        f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><Encrypt>{cdata(envelope['Encrypt'])}</Encrypt></xml>"
    )
    return openid, text, query, body.encode()


def check(crypto: WeChatCrypto, openid: str, text: str, status: int, raw: str, guides: dict[str, str]) -> str:
    """'' when the reply is right, else what is wrong with it."""
    if status != 200:
        return f"status {status}: {raw[:200]}"
    try:
        envelope = fields(raw)
        reply = fields(
            crypto.decrypt_message(raw, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
        )
    except Exception as exc:  # wechatpy's signature / appid / padding errors
        return f"reply does not open: {type(exc).__name__} {raw[:200]}"
    if (
        reply.get("ToUserName") != openid
        or reply.get("FromUserName") != ACCOUNT
        or reply.get("MsgType") != "text"
    ):
        return f"reply addressed wrongly: {reply}"
    content = reply.get("Content", "")
    if text.startswith("指南"):
        words = text.split()[1]
        ok = (
            content.startswith(f"与“{words}”相关的办事指南：")
            and content.count("pages/item/detail?code=") == 3
        )
        # the same answer for the same words every time
        ok = ok and guides.setdefault(words, content) == content
    else:
        ok = content == HELP
    return "" if ok else f"unexpected answer to {text!r}: {content[:200]!r}"


async def run(base: str) -> tuple[object, list[str]]:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)
    url = f"{base}/wechat/official"
    async with aiohttp.ClientSession() as http:  # warm-up: search index, connection pools
        for i in range(20):
            openid, text, query, body = build(crypto, MESSAGES + i)
            async with http.post(url, params=query, data=body) as resp:
                problem = check(crypto, openid, text, resp.status, await resp.text(), {})
                assert not problem, problem

    results, problems = [], []
    guides: dict[str, str] = {}
    for first, total, concurrency in ((0, MESSAGES, CONCURRENCY), (MESSAGES + 100, SINGLE, 1)):
        requests = [build(crypto, first + i) for i in range(total)]
        replies: list[tuple[int, str] | None] = [None] * total

        async def one(session: aiohttp.ClientSession, i: int, requests=requests, replies=replies) -> int:
            _, _, query, body = requests[i]
            headers = {"Content-Type": "text/xml"}
            async with session.post(url, params=query, data=body, headers=headers) as resp:
                replies[i] = (resp.status, await resp.text())
                return resp.status

        results.append(await load(one, total=total, concurrency=concurrency))
        for (openid, text, _, _), reply in zip(requests, replies, strict=True):
            problem = "no reply" if reply is None else check(crypto, openid, text, *reply, guides)
            if problem:
                problems.append(problem)
    return results, problems


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--redis", default="", help="a Redis URL for nonces and answers (default: PostgreSQL)"
    )
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    url = await fresh_pg_database(DB)
    env = bench_env(
        url,
        ONETRIP_OA_TOKEN=TOKEN,
        ONETRIP_OA_AES_KEY=AES_KEY,
        ONETRIP_OA_APPID=APPID,
        ONETRIP_REDIS_URL=args.redis,
        ONETRIP_WECHAT_API_BASE="http://127.0.0.1:9",  # text commands never call WeChat
    )
    try:
        run_cli(env, "migrate")
        run_cli(env, "seed-demo")
        with server_logging_to_file(env, workers=args.workers) as base:
            (result, single), problems = await run(base)
    finally:
        await drop_pg_database(DB)

    store = "Redis" if args.redis else "PostgreSQL"
    label = f"bot: {MESSAGES} safe-mode messages, {CONCURRENCY} in flight, {args.workers} worker(s), {store}"
    print(result.line(label))
    p99 = result.pct(99)
    print(f"  round trip p50 {result.pct(50):.1f} ms, p99 {p99:.1f} ms (goal p99 ≤ {GOAL_P99_MS:.0f} ms: "
          f"{'met' if p99 <= GOAL_P99_MS else 'NOT met'}), {result.rps:.0f} req/s")  # fmt: skip
    print(single.line("  one at a time"))
    verified = MESSAGES + SINGLE - len(problems)
    print(f"  replies verified (signature, decryption, addressee, answer): {verified}/{MESSAGES + SINGLE}")
    for problem in problems[:5]:
        print("  FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(run_event_loop(main()))
