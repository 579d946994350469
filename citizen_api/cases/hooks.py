"""Extension points for later domains, so they never edit the case workflow.

Delivery (issue 7) registers a hook to validate a waybill and subscribe to courier tracking::

    from citizen_api.cases.hooks import on_deliver

    @on_deliver
    async def check_waybill(case, request, actor) -> dict | None:
        ...  # raise ApiError to refuse; return extra Application columns to store

Hooks run inside the request's transaction, before the status changes.
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
