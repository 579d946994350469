"""Structured logs (JSON in production) with personal data masked wherever it would appear."""

from __future__ import annotations

import logging
import sys

import structlog

from citizen_api.security.masking import scrub

# values we generate ourselves (hex ids, timestamps) hold no personal data; scrubbing them would
# mask digit runs inside them and break log search by request id
_OWN_KEYS = frozenset({"request_id", "timestamp", "job_id", "trace_id"})


def _scrub_event(logger, method_name, event_dict):
    for key, value in list(event_dict.items()):
        if isinstance(value, str) and key not in _OWN_KEYS:
            event_dict[key] = scrub(value)
    return event_dict


def configure_logging(json_logs: bool = True, level: str = "INFO") -> None:
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json_logs
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=False),
            structlog.processors.format_exc_info,
            _scrub_event,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
