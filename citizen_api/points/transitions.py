"""A point delivery's lifecycle, in one table: at_point (the result arrived at the village point) →
handed_over (the villager collected it from the point's 代办员; the case is delivered).

``repository.move`` changes a status only from a source listed here (one conditional UPDATE), so two
agents pressing 已领取 at once hand it over once (409 ALREADY_HANDED_OVER to the second).
"""

from __future__ import annotations

from citizen_api.lifecycles import Lifecycle, Refusal, transition
from citizen_api.security.principal import VILLAGE_AGENT

AT_POINT, HANDED_OVER = "at_point", "handed_over"

DELIVERIES = Lifecycle(
    statuses=(AT_POINT, HANDED_OVER),
    text={AT_POINT: "待领取", HANDED_OVER: "已领取"},
    transitions={(AT_POINT, "hand_over"): transition(HANDED_OVER, {VILLAGE_AGENT})},
    refusals={"hand_over": Refusal("ALREADY_HANDED_OVER", "该办理结果已由群众领取")},
)
STATUSES = DELIVERIES.statuses

# the levels of the hierarchy and whose child each is (a district has no parent)
DISTRICT, TOWN, VILLAGE = "district", "town", "village"
LEVELS = (DISTRICT, TOWN, VILLAGE)
LEVEL_TEXT = {DISTRICT: "区级政务服务中心", TOWN: "镇（街道）便民服务中心", VILLAGE: "村（社区）便民服务点"}
PARENT_LEVEL = {DISTRICT: None, TOWN: DISTRICT, VILLAGE: TOWN}
