"""Client addresses: X-Forwarded-For is believed only from ONETRIP_TRUSTED_PROXIES, over a real
``onetrip serve`` process (the per-address throttle of /progress shows whom the server counted)."""

from __future__ import annotations

import httpx
import pytest

from citizen_api.middleware import parse_trusted_proxies, real_client
from tests.auth_fixtures import onetrip_serve

PROGRESS = "/api/v1/progress"


def _query(i: int) -> dict[str, str]:
    return {"number": f"GA2026010100{i:04d}", "phone_tail": "5678"}


def _from(base: str, source: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base, transport=httpx.AsyncHTTPTransport(local_address=source), timeout=30
    )


async def test_forwarded_for_counts_only_from_a_trusted_proxy(tmp_path, database_url):
    env = {
        "ONETRIP_TRUSTED_PROXIES": "127.0.0.2, 10.9.0.0/16",
        "ONETRIP_PROGRESS_IP_LIMIT": "3",
        "ONETRIP_PROGRESS_IP_WINDOW_SECONDS": "600",
        "ONETRIP_PROGRESS_NUMBER_LIMIT": "1000",
    }
    with onetrip_serve(database_url, tmp_path / "serve", **env) as base:
        # a client on loopback itself (not a configured proxy) claims a new address every time
        async with _from(base, "127.0.0.1") as direct:
            for i in range(3):
                headers = {"X-Forwarded-For": f"198.51.100.{i}"}
                assert (await direct.get(PROGRESS, params=_query(i), headers=headers)).status_code == 404
            spoofed = await direct.get(
                PROGRESS, params=_query(9), headers={"X-Forwarded-For": "198.51.100.99"}
            )
            assert spoofed.status_code == 429, spoofed.text  # the real peer was counted
            assert spoofed.json()["error"]["code"] == "RATE_LIMITED" and spoofed.headers["Retry-After"]

        # the proxy (127.0.0.2) forwards many clients: each is counted as itself
        async with _from(base, "127.0.0.2") as proxy:
            for i in range(8):
                headers = {"X-Forwarded-For": f"203.0.113.{i}"}
                assert (await proxy.get(PROGRESS, params=_query(i), headers=headers)).status_code == 404
            # one client behind it: what it wrote itself (left of the proxy's entry) changes nothing,
            # and a second trusted hop (10.9.0.4) is skipped
            for i, chain in enumerate(
                ["203.0.113.50", "1.1.1.1, 203.0.113.50", "2.2.2.2, 203.0.113.50, 10.9.0.4"]
            ):
                resp = await proxy.get(PROGRESS, params=_query(20 + i), headers={"X-Forwarded-For": chain})
                assert resp.status_code == 404, resp.text
            fourth = await proxy.get(
                PROGRESS, params=_query(30), headers={"X-Forwarded-For": "9.9.9.9, 203.0.113.50"}
            )
            assert fourth.status_code == 429, fourth.text


def test_real_client_reads_the_chain_from_the_right():
    trusted = parse_trusted_proxies("10.0.0.0/8, 192.0.2.1, ::1")
    assert real_client("192.0.2.1", ["198.51.100.7"], trusted) == "198.51.100.7"
    assert real_client("192.0.2.1", ["6.6.6.6, 198.51.100.7, 10.1.2.3"], trusted) == "198.51.100.7"
    assert real_client("192.0.2.1", ["6.6.6.6", "198.51.100.7"], trusted) == "198.51.100.7"  # two headers
    assert real_client("::1", ["[2001:db8::5]:4711"], trusted) == "2001:db8::5"
    assert real_client("::ffff:192.0.2.1", ["198.51.100.7:80"], trusted) == "198.51.100.7"
    # an untrusted peer's header is ignored; garbage leaves the last proxy; all trusted: the leftmost
    assert real_client("198.51.100.7", ["1.2.3.4"], trusted) == "198.51.100.7"
    assert real_client("192.0.2.1", ["1.2.3.4, not-an-address"], trusted) == "192.0.2.1"
    assert real_client("192.0.2.1", ["10.0.0.9, 10.0.0.8"], trusted) == "10.0.0.9"
    assert real_client("192.0.2.1", [], trusted) == "192.0.2.1"
    # nothing configured: nobody is believed
    assert real_client("127.0.0.1", ["1.2.3.4"], parse_trusted_proxies("")) == "127.0.0.1"


def test_a_bad_proxy_entry_stops_the_server_with_its_name(tmp_path, sqlite_template):
    from tests import databases

    url = databases.fresh_sqlite(sqlite_template, tmp_path)
    with pytest.raises(ValueError, match=r"10\.0\.0\.300"):
        parse_trusted_proxies("10.0.0.1, 10.0.0.300")
    bad = onetrip_serve(url, tmp_path / "bad", ONETRIP_TRUSTED_PROXIES="10.0.0.300")
    with pytest.raises(RuntimeError, match="ONETRIP_TRUSTED_PROXIES"), bad:
        pass
