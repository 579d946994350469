"""Pure ASGI middleware: the real client address, request ids, timing and access logs, security headers.

The client address (``scope["client"]``, what throttles count) is the TCP peer unless that peer is
one of ``ONETRIP_TRUSTED_PROXIES``: only then is ``X-Forwarded-For`` read, from the right, and the
first address that is not a trusted proxy is the client (entries further left were written by the
client itself and prove nothing). ``onetrip serve`` turns uvicorn's own proxy-header handling off,
so this is the one place forwarded headers are believed, however the app is served.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from citizen_api.metrics import REQUEST_LATENCY

log = structlog.get_logger("onetrip.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=16)
def parse_trusted_proxies(text: str) -> tuple[Network, ...]:
    """``"10.0.0.5, 172.16.0.0/12, ::1"`` → networks; a bad entry is a ValueError naming it."""
    networks = []
    for entry in (part.strip() for part in (text or "").split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"ONETRIP_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR") from None
    return tuple(networks)


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def real_client(peer: str | None, forwarded_for: list[str], networks: tuple[Network, ...]) -> str | None:
    """The client address: the peer, or when the peer is a trusted proxy, the rightmost
    untrusted X-Forwarded-For entry. Garbage in the header leaves the last proxy as the client."""
    if not networks or peer is None:
        return peer
    current = _ip(peer)
    if current is None or not _trusted(current, networks):
        return peer
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops[-32:]):
        address = _ip(hop)
        if address is None:
            break  # unusable: keep the proxy that handed it over
        current = address
        if not _trusted(address, networks):
            break
    return str(current)


def apply_forwarded(scope: Scope, trusted_proxies: str) -> None:
    """Rewrite ``scope["client"]`` (and ``scheme``) from a trusted proxy's forwarded headers."""
    networks = parse_trusted_proxies(trusted_proxies)
    client = scope.get("client")
    if not networks or not client:
        return
    forwarded_for: list[str] = []
    proto = None
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            forwarded_for.append(value.decode("latin-1"))
        elif name == b"x-forwarded-proto":
            proto = value.decode("latin-1").strip().lower()
    host = real_client(client[0], forwarded_for, networks)
    if host != client[0]:
        scope["client"] = (host, 0)
    if proto in ("http", "https") and _trusted_peer(client[0], networks):
        scope["scheme"] = proto if scope.get("type") == "http" else proto.replace("http", "ws")


def _trusted_peer(peer: str, networks: tuple[Network, ...]) -> bool:
    address = _ip(peer)
    return address is not None and _trusted(address, networks)


def _settings_of(scope: Scope):
    app = scope.get("app")
    return getattr(getattr(app, "state", None), "settings", None)


class RequestContextMiddleware:
    """Gives every request an id (kept from ``X-Request-ID`` when sane), times it and logs it.

    First of all it settles the client address from trusted proxies' headers (see the module)."""

    def __init__(self, app: ASGIApp, trusted_proxies: str | None = None) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        trusted = self.trusted_proxies
        if trusted is None:
            settings = _settings_of(scope)
            trusted = getattr(settings, "trusted_proxies", "") if settings is not None else ""
        apply_forwarded(scope, trusted)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = ""
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        scope["request_id"] = request_id
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"server-timing", f"app;dur={elapsed_ms:.1f}".encode()))
                present = {name for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                elapsed_ms = (time.perf_counter() - started) * 1000
                route = scope.get("route")
                REQUEST_LATENCY.labels(
                    method=scope.get("method", ""),
                    # the template (/applications/{id:id}), never the raw path: bounded label values
                    route=getattr(route, "path", "unmatched"),
                    status_class=f"{status_holder['status'] // 100}xx",
                ).observe(elapsed_ms / 1000)
                log.info(
                    "request",
                    method=scope.get("method"),
                    path=scope.get("path"),
                    status=status_holder["status"],
                    ms=round(elapsed_ms, 1),
                )
