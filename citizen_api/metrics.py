"""Prometheus metrics. With several API processes (``serve --workers N``) the client's
multiprocess mode aggregates every process (``PROMETHEUS_MULTIPROC_DIR``, set by ``onetrip serve``).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

REQUEST_LATENCY = Histogram(
    "onetrip_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route", "status_class"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10),
)
API_ERRORS = Counter("onetrip_api_errors_total", "Error answers by contract code", ["code"])
EXTERNAL_CALL_ERRORS = Counter(
    "onetrip_external_call_errors_total", "Failed calls to WeChat and kuaidi100", ["service", "kind"]
)
OUTBOX_ROWS = Gauge("onetrip_outbox_rows", "Outbox rows by status", ["status"], multiprocess_mode="livemax")
OPEN_CASES = Gauge(
    "onetrip_open_cases", "Open cases by 电子监察 warning", ["warning"], multiprocess_mode="livemax"
)


def registry() -> CollectorRegistry:
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
        return reg
    return REGISTRY


async def refresh_database_gauges() -> None:
    """Backlogs read from the database at scrape time (cheap grouped counts)."""
    from tortoise import connections

    conn = connections.get("default")
    rows = await conn.execute_query_dict("SELECT status, COUNT(*) AS n FROM notifications GROUP BY status")
    seen = set()
    for row in rows:
        OUTBOX_ROWS.labels(status=row["status"]).set(row["n"])
        seen.add(row["status"])
    for status in {"pending", "sending", "sent", "skipped", "dead"} - seen:
        OUTBOX_ROWS.labels(status=status).set(0)
    rows = await conn.execute_query_dict(
        "SELECT warning, COUNT(*) AS n FROM applications WHERE status IN ('accepted', 'suspended') "
        "GROUP BY warning"
    )
    counts = {row["warning"]: row["n"] for row in rows}
    for warning in ("none", "yellow", "red"):
        OPEN_CASES.labels(warning=warning).set(counts.get(warning, 0))


def render() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST
