"""一件事一次办: what the cases API asks of the bundles domain (``citizen_api.bundles``, above cases).

A bundle application shares the citizen's ``/applications`` paths with cases: ``POST /applications
{bundle_code}``, ``GET /applications`` (a bundle listed once, its children inside it),
``GET /applications/{id}``, ``/supplement`` and ``/withdraw`` on the bundle's id. Cases knows no
bundle: the registry (``citizen_api.domains``) binds this port to ``citizen_api.bundles.service``.
Unbound, a bundle id is simply unknown (404) and ``bundle_code`` is refused.

Every change of a child case reaches the bundles domain through :func:`child_changed` (called
where the case's citizen message is written, in the same transaction), so the bundle's own
messages and its derived status follow its children.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal


@dataclass(frozen=True)
class BundlesPort:
    # (principal, CaseSubmit with bundle_code, settings, request id) → BundleCreated
    submit: Callable[[Principal, Any, Any, str], Awaitable[Any]]
    # (principal, id, settings) → BundleDetail, None when the id is no bundle of this citizen
    detail: Callable[[Principal, int, Any], Awaitable[Any | None]]
    # (principal, status or None, settings) → the citizen's bundles as BundleSummary, newest first
    summaries: Callable[[Principal, str | None, Any], Awaitable[list[Any]]]
    # (principal, id, CaseSupplement, settings, request id) → BundleDetail, None: no bundle of theirs
    supplement: Callable[[Principal, int, Any, Any, str], Awaitable[Any | None]]
    # (principal, id, settings, request id) → BundleDetail, None: no bundle of theirs
    withdraw: Callable[[Principal, int, Any, str], Awaitable[Any | None]]
    # (child case row, outbox event, note): a child moved (its own message is suppressed by the rules)
    child_changed: Callable[[Any, str, str], Awaitable[None]]


_bound: list[BundlesPort] = []


def bind(port: BundlesPort) -> None:
    """Called by ``citizen_api.domains``; a second binding replaces the first."""
    _bound[:] = [port]


def bound() -> BundlesPort | None:
    return _bound[0] if _bound else None


def required() -> BundlesPort:
    port = bound()
    if port is None:
        raise ApiError(404, "NOT_FOUND", "未找到该一件事")
    return port


async def child_changed(case: Any, event: str, note: str) -> None:
    port = bound()
    if port is not None and case.bundle_id is not None:
        await port.child_changed(case, event, note)
