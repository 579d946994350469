"""The hall TV's live calls: one fan-out per API process, Redis between processes.

A call or recall is published once its transaction has committed (``ctx.after_commit``). With
Redis it goes to the channel of its hall; every API process holds ONE pattern subscription
(started by ``appointments.lifecycle``) and hands each message to its own SSE clients, so a call
made on any process reaches the TVs connected to every process. Without Redis the message goes
straight to this process's clients (one process: ``onetrip serve`` without Redis).

Each client has a bounded queue: a TV that stops reading is dropped (its stream ends, the
browser's EventSource reconnects) instead of slowing the others down or holding memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import structlog

log = structlog.get_logger("onetrip.hall")

CLIENT_QUEUE = 32  # events a TV may fall behind before it is dropped
_CLOSED = None  # the sentinel that ends a dropped client's stream


class Client:
    __slots__ = ("queue",)

    def __init__(self) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(CLIENT_QUEUE)


class HallBroker:
    def __init__(self, redis=None) -> None:
        self.redis = redis
        self._clients: dict[str, set[Client]] = {}
        self._pubsub = None
        self._task: asyncio.Task | None = None
        db = redis.connection_pool.connection_kwargs.get("db", 0) if redis is not None else 0
        # Redis channels are global (not per database): the database number keeps apart the
        # deployments (and test workers) sharing one server
        self.prefix = f"onetrip:{db}:hall:"

    # -- clients ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def client(self, office_code: str):
        client = Client()
        self._clients.setdefault(office_code, set()).add(client)
        try:
            yield client
        finally:
            clients = self._clients.get(office_code)
            if clients is not None:
                clients.discard(client)
                if not clients:
                    del self._clients[office_code]

    def clients(self, office_code: str) -> int:
        return len(self._clients.get(office_code, ()))

    def fan_out(self, office_code: str, data: str) -> None:
        for client in list(self._clients.get(office_code, ())):
            try:
                client.queue.put_nowait(data)
            except asyncio.QueueFull:
                self._drop(office_code, client)

    def _drop(self, office_code: str, client: Client) -> None:
        self._clients.get(office_code, set()).discard(client)
        while not client.queue.empty():
            client.queue.get_nowait()
        client.queue.put_nowait(_CLOSED)
        log.info("hall client dropped (not reading)", office=office_code)

    # -- publishing ------------------------------------------------------------------------------
    async def publish(self, office_code: str, event: dict) -> None:
        data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        if self.redis is None:
            self.fan_out(office_code, data)
            return
        try:
            await self.redis.publish(self.prefix + office_code, data)
        except Exception as exc:  # Redis down: this process's TVs still get it
            log.warning("hall call not published", office=office_code, error=str(exc))
            self.fan_out(office_code, data)

    # -- the process's one subscription ------------------------------------------------------------
    async def start(self) -> None:
        if self.redis is None:
            return
        try:
            await self._subscribe()
        except Exception as exc:
            log.warning("hall subscription failed; retrying in the background", error=str(exc))
        self._task = asyncio.create_task(self._listen(), name="hall-broker")

    async def _subscribe(self) -> None:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.psubscribe(self.prefix + "*")
        self._pubsub = pubsub

    async def _listen(self) -> None:
        delay = 0.2
        while True:
            try:
                if self._pubsub is None:
                    await self._subscribe()
                message = await self._pubsub.get_message(timeout=0.5)
                delay = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("hall subscription lost; reconnecting", error=str(exc))
                await self._close_pubsub()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if message and message.get("type") == "pmessage":
                channel = _text(message["channel"])
                self.fan_out(channel[len(self.prefix) :], _text(message["data"]))

    async def _close_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        await self._close_pubsub()
        for office_code, clients in list(self._clients.items()):
            for client in list(clients):
                self._drop(office_code, client)


# 延时服务: the windows serving late, published as ``{"late_windows": [...]}`` (routes_late)
LATE_EVENT_PREFIX = '{"late_windows":'


def event_name(data: str) -> str:
    """``late`` for the late windows' list, ``called`` for a call (the TV listens to both)."""
    return "late" if data.startswith(LATE_EVENT_PREFIX) else "called"


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def sse_events(broker: HallBroker, office_code: str, ping_seconds: float = 15.0) -> AsyncIterator[str]:
    """The SSE body of one TV: ``retry``, then one ``called`` event per call (``late`` when the windows
    serving late change), ``: ping`` when idle."""
    with broker.client(office_code) as client:
        yield "retry: 2000\n\n"
        while True:
            try:
                data = await asyncio.wait_for(client.queue.get(), timeout=ping_seconds)
            except TimeoutError:
                yield ": ping\n\n"
                continue
            if data is _CLOSED:
                return
            yield f"event: {event_name(data)}\ndata: {data}\n\n"
