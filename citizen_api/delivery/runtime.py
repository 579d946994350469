"""The running app's shared clients, for code that is not handed them (case hooks, periodic jobs).

Set by ``lifecycle.lifespan`` at start-up; one app per process (tests start one at a time).
"""

from __future__ import annotations

from typing import Any

_state: Any = None


def use_state(state: Any) -> None:
    global _state
    _state = state


def current_state() -> Any:
    return _state
