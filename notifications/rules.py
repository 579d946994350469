"""Rules: should this event be told to this audience, and through which channels (Signalen-style:
rules decide, actions in ``notifications.actions`` render and send).

Channels, tried in order until one delivers:
- ``subscribe``: mini-program subscribe message, needs an unspent one-time grant for the template;
- ``template``: official-account template message, to a follower linked by unionid (or user id);
- ``custom``: official-account customer-service text, inside 48 h of the follower's last message;
- ``direct``: customer-service text to ``to_openid`` (the bot's slow answers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CITIZEN_CHANNELS = ("subscribe", "template", "custom")

# courier updates worth a message (by name, or kuaidi100's state number); "in transit" scans are not
DELIVERY_STATES_TOLD = frozenset(
    {"mailed", "picked_up", "out_for_delivery", "signed", "problem", "returned", "refused"}
    | {"1", "2", "3", "4", "5", "14"}
)


@dataclass(frozen=True)
class Rule:
    audiences: frozenset[str]
    channels: tuple[str, ...] = CITIZEN_CHANNELS
    when: Callable[[dict[str, Any]], bool] | None = None
    why_not: str = ""  # the reason recorded when ``when`` says no


def _citizen(**kwargs: Any) -> Rule:
    return Rule(audiences=frozenset({"citizen"}), **kwargs)


def _not_a_bundle_child(payload: dict[str, Any]) -> bool:
    """一件事一次办: a child case's own steps are told by its bundle's messages (``bundle.*``), once for
    the whole bundle, not once per department (citizen_api.bundles)."""
    return not payload.get("bundle_id")


_BUNDLE_CHILD = "a bundle child: the bundle's message tells the citizen"


RULES: dict[str, Rule] = {
    **{
        f"case.{status}": _citizen(when=_not_a_bundle_child, why_not=_BUNDLE_CHILD)
        for status in (
            "submitted",
            "accepted",
            "supplement_required",
            "not_accepted",
            "suspended",
            "resumed",
            "approved",
            "rejected",
            "delivered",
            "withdrawn",
        )
    },
    # the reminder before a 补正/容缺 due date (citizen_api.cases.reminders)
    "case.supplement_due": _citizen(),
    # 一件事一次办: the steps of a bundle that matter, one message each (citizen_api.bundles)
    **{
        f"bundle.{step}": _citizen()
        for step in ("submitted", "accepted", "supplement_required", "done", "withdrawn")
    },
    # 电子监察: yellow and red cards go to the responsible staff, by official-account template only
    "case.warning": Rule(
        audiences=frozenset({"staff"}),
        channels=("template",),
        # calendar_uncertain: a deadline over a year without a published schedule (supervisors)
        when=lambda p: str(p.get("level", "")) in ("yellow", "red", "calendar_uncertain"),
        why_not="warning level is neither yellow, red nor calendar_uncertain",
    ),
    # 电子监察 per step: a step's yellow and red cards, to its holder and their supervisors
    "case.step_warning": Rule(
        audiences=frozenset({"staff"}),
        channels=("template",),
        when=lambda p: str(p.get("level", "")) in ("yellow", "red"),
        why_not="step warning level is neither yellow nor red",
    ),
    **{
        f"appointment.{kind}": _citizen()
        for kind in (
            "booked",
            "cancelled",
            "reminder_day",
            "reminder_hour",
            "promoted",
            "lottery_won",  # 摇号中签: the booking the draw made
            "lottery_lost",  # 未中签 (and whether a waiting-list place was kept)
        )
    },
    "delivery.event": _citizen(
        when=lambda p: str(p.get("state", "")) in DELIVERY_STATES_TOLD,
        why_not="courier state not worth a message",
    ),
    "locker.ready": _citizen(),  # 自助取件: the pickup code
    "locker.expired": _citizen(),
    "visit.scheduled": _citizen(),  # 上门服务: the day, the window of time, who comes
    "visit.refused": _citizen(),
    # AB角: the backup told what they took over, and both told when the clerk is back
    **{
        f"staff.{event}": Rule(audiences=frozenset({"staff"}), channels=("template", "custom"))
        for event in ("cover_started", "cover_ended", "returned")
    },
    "point.arrived": _citizen(),  # 三级便民服务: the result is at the village point
    "point.handed_over": _citizen(),
    "rating.follow_up": _citizen(),
    "rating.rectified": _citizen(),
    "complaint.replied": _citizen(),
    "bot.followup": _citizen(channels=("direct",)),
}


def decide(event: str, audience: str, payload: dict[str, Any]) -> tuple[tuple[str, ...], str | None]:
    """(channels to try, None) when the event should be told; ((), reason) when not."""
    rule = RULES.get(event)
    if rule is None:
        return (), f"no rule for event {event}"
    if audience not in rule.audiences:
        return (), f"event {event} is not told to {audience}"
    if rule.when is not None and not rule.when(payload):
        return (), rule.why_not or "rule declined"
    return rule.channels, None
