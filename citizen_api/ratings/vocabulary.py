"""The 好差评 scale (国办发〔2019〕51号) and the tags a citizen may pick for each level.

Positive tags go with 满意 and 非常满意, negative ones with 不满意 and 非常不满意; 基本满意 may carry
either (the citizen says what was good and what was not). The lists are data: a hall can extend them.
"""

from __future__ import annotations

LEVELS = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}
GOOD_LEVELS = (4, 5)
BAD_LEVELS = (1, 2)  # 差评: return visit and rectification
AUTOMATIC_LEVEL = 3  # not rated within the window → 基本满意 (as Guangdong does)

POSITIVE_TAGS = (
    "办事指南清晰",
    "流程便捷",
    "材料精简",
    "服务态度好",
    "办理速度快",
    "一次办成",
    "网上办理方便",
    "邮寄送达及时",
)
NEGATIVE_TAGS = (
    "指南不清晰",
    "流程繁琐",
    "材料繁琐",
    "多次跑动",
    "态度差",
    "超时办理",
    "网上办理不便",
    "邮寄送达慢",
)

TAGS_BY_LEVEL: dict[int, tuple[str, ...]] = {
    5: POSITIVE_TAGS,
    4: POSITIVE_TAGS,
    3: POSITIVE_TAGS + NEGATIVE_TAGS,
    2: NEGATIVE_TAGS,
    1: NEGATIVE_TAGS,
}

# the citizen's verdict on a rectification (整改结果评价)
RECTIFICATION_VERDICTS = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
}


def invalid_tags(level: int, tags: list[str]) -> list[str]:
    allowed = TAGS_BY_LEVEL.get(level, ())
    return [tag for tag in tags if tag not in allowed]
