"""Accounts disabled after their access tokens were issued, refused at once.

An access token is checked by its signature alone (no database read per request), so a disabled
account's token would stay good until it expires (``ONETRIP_ACCESS_TOKEN_TTL_SECONDS``, 15 minutes).
Each API process instead keeps the ids of every disabled account in memory: the process that
disables one adds it at once, and every process reloads the list every
``ONETRIP_DISABLED_POLL_SECONDS`` (the auth domain's start-up hook runs the loop), so a disabled
clerk's open workbench is refused within that time everywhere. The list is small (disabled staff
and closed citizen accounts); a frozenset makes the per-request check a lookup.
"""

from __future__ import annotations

from collections.abc import Iterable

from citizen_api.security.principal import Principal


class DisabledAccounts:
    def __init__(self) -> None:
        self._ids: frozenset[int] = frozenset()

    def refuses(self, principal: Principal) -> bool:
        return principal.user_id in self._ids

    def replace(self, ids: Iterable[int]) -> None:
        self._ids = frozenset(ids)

    def add(self, user_id: int) -> None:
        self._ids = self._ids | {user_id}

    def discard(self, user_id: int) -> None:
        self._ids = self._ids - {user_id}
