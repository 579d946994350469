"""三级便民服务's public API: what other domains and the registry ask of it.

- auth (its port): whether an office is a village point, for a 代办员's new account;
- users (its port): the offices' names, for a 代办员's point in the staff directory;
- cases (its hooks): the deliver hook of ``channel: "point"`` and the consent shown in the staff detail.
"""

from __future__ import annotations

from citizen_api.points import deliveries, filing, hierarchy

is_village_point = hierarchy.is_village_point  # (office code) → bool
office_names = hierarchy.office_names  # () → office code → name
record_point = deliveries.record_point  # the cases deliver hook (case, Deliver body, actor)
consent_of = filing.consent_of  # the cases staff-detail hook (case) → the consent block | None
