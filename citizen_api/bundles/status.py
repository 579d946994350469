"""A bundle application's status, derived from its children's (in the cases' own vocabulary, so a
client that shows cases shows a bundle unchanged)."""

from __future__ import annotations

from collections.abc import Sequence

from citizen_api.cases.service import OPEN

HAS_RESULT = ("approved", "rejected", "delivered")
_WARNINGS = ("none", "yellow", "red")


def derive(statuses: Sequence[str]) -> str:
    """The citizen's next step first: a supplement owed anywhere, then acceptance, then the handling;
    once nothing is open, the outcome (approved when any item was granted)."""
    if "supplement_required" in statuses:
        return "supplement_required"
    if "submitted" in statuses:
        return "submitted"
    running = [s for s in statuses if s in ("accepted", "suspended")]
    if running:
        return "suspended" if all(s == "suspended" for s in running) else "accepted"
    results = [s for s in statuses if s in HAS_RESULT]
    if results:
        if all(s == "delivered" for s in results):
            return "delivered"
        return "approved" if any(s in ("approved", "delivered") for s in results) else "rejected"
    return "not_accepted" if "not_accepted" in statuses else "withdrawn"


def is_done(statuses: Sequence[str]) -> bool:
    """Done when no child is open any more (each decided, or closed without a decision)."""
    return bool(statuses) and not any(s in OPEN for s in statuses)


def worst_warning(levels: Sequence[str]) -> str:
    return max(levels, key=lambda w: _WARNINGS.index(w) if w in _WARNINGS else 0, default="none")
