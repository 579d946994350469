"""The life of a case step (电子监察 per step), in one table: (from state, action) → to state.

Nothing else moves a step: ``steps.py`` applies an action with a conditional UPDATE on the step's
state read from here, so two clerks completing at once finish it once (the second gets 409).
"""

from __future__ import annotations

STEP_STATES = ("pending", "open", "done", "skipped")

STEP_TRANSITIONS: dict[tuple[str, str], str] = {
    ("pending", "start"): "open",  # acceptance (the first), the previous one done, or the decision (送达)
    ("pending", "skip"): "skipped",  # the decision came before it was reached
    ("open", "finish"): "done",  # 完成本环节, the decision, the delivery of the result (送达)
    ("open", "hand_over"): "open",  # 转交, AB角
    ("open", "freeze"): "open",  # suspended: its warning kept
    ("open", "extend"): "open",  # resumed: its limit moved by the working days suspended
}


def step_move(action: str) -> tuple[str, str]:
    """(the state ``action`` starts from, the state it leads to)."""
    return next((source, to) for (source, name), to in STEP_TRANSITIONS.items() if name == action)
