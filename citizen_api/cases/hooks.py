"""Extension points for later domains, so they never edit the case workflow.

The registry (``citizen_api.domains``, the composition root) registers them explicitly at import,
before any request; delivery (issue 7) validates a waybill and subscribes to courier tracking::

    case_hooks.on_deliver(record_post)  # async def record_post(case, request, actor) -> dict | None

A hook raises ApiError to refuse, or returns extra Application columns to store. Hooks run inside
the request's unit of work, before the status changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

DeliverHook = Callable[[Any, Any, Any], Awaitable[dict[str, Any] | None]]

_deliver_hooks: list[DeliverHook] = []


def on_deliver(hook: DeliverHook) -> DeliverHook:
    if hook not in _deliver_hooks:
        _deliver_hooks.append(hook)
    return hook


async def run_deliver_hooks(case, request, actor) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for hook in _deliver_hooks:
        extra.update(await hook(case, request, actor) or {})
    return extra
