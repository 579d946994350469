"""The consistency rules of the national item schema, checked on every write (API, import, seed).

Each rule has its own error code so that an editor (or an import script) knows exactly what to
fix; all violations are listed in ``details.violations``, the first one gives the answer's code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from citizen_api.catalog.schemas import ItemContent
from citizen_api.errors import ApiError, details_model

FULLY_ONLINE_DEPTH = 4  # 四级：全程网办
ONLINE_MIN_DEPTH = 3  # 三级（网上预审）起才算“可网办”


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    broken: Callable[[ItemContent], bool]
    field: str  # the guide field an editor fixes (the editor shows the message there)


RULES: tuple[Rule, ...] = (
    Rule(
        "PROMISED_EXCEEDS_STATUTORY",
        "承诺办结时限不能超过法定办结时限",
        lambda c: c.promised_days > c.statutory_days,
        "promised_days",
    ),
    Rule(
        "INSTANT_ITEM_MISMATCH",
        "即办件的承诺时限必须为 0，承诺时限为 0 的事项必须是即办件",
        lambda c: (c.processing_type == "instant") != (c.promised_days == 0),
        "processing_type",
    ),
    Rule(
        "VISITS_REASON_REQUIRED",
        "到办事现场次数大于 0 时必须说明理由",
        lambda c: c.visits > 0 and not c.visits_reason.strip(),
        "visits_reason",
    ),
    Rule(
        "DELIVERY_REQUIRED",
        "零跑腿且不能网办的事项必须支持物流快递",
        lambda c: c.visits == 0 and not c.online and not c.deliverable,
        "deliverable",
    ),
    Rule(
        "ONLINE_ITEM_HAS_VISITS",
        "全程网办的事项到现场次数必须为 0",
        lambda c: c.online_depth >= FULLY_ONLINE_DEPTH and c.visits > 0,
        "visits",
    ),
    Rule(
        "ONLINE_DEPTH_MISMATCH",
        "可网办的事项网上办理深度至少为三级，三级及以上的事项必须标记为可网办",
        lambda c: c.online != (c.online_depth >= ONLINE_MIN_DEPTH),
        "online_depth",
    ),
    Rule(
        "FEES_MISMATCH",
        "收费事项必须列出收费项目和标准，不收费的事项不能列出收费项目",
        lambda c: c.charges_fee != bool(c.fees),
        "fees",
    ),
    Rule(
        "STEP_DAYS_EXCEED_PROMISED",
        "各环节时限之和不能超过承诺办结时限（工作日）",
        lambda c: c.time_unit == "working_day" and sum(s.days for s in c.steps) > c.promised_days,
        "steps",
    ),
)

RULE_CODES: tuple[str, ...] = tuple(rule.code for rule in RULES)


class ErrRuleViolation(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    code: str
    message: str
    field: str = Field(description="规则涉及的指南字段，如 promised_days")


@details_model(*RULE_CODES)  # the spec documents each rule's code with these details
class RuleViolationsDetails(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    violations: list[ErrRuleViolation] = Field(description="办事指南违反的每一条规则；错误码是第一条")
    fields: dict[str, str] = Field(
        default_factory=dict, description="按字段（body.<字段>）列出的规则说明，编辑页显示在该字段旁"
    )


def violations(content: ItemContent) -> list[dict[str, str]]:
    return [
        {"code": rule.code, "message": rule.message, "field": rule.field}
        for rule in RULES
        if rule.broken(content)
    ]


def check(content: ItemContent) -> None:
    """Raise 422 with the first broken rule's code; ``details.violations`` lists every one."""
    found = violations(content)
    if found:
        first = found[0]
        fields: dict[str, str] = {}
        for broken in found:  # one message per field: the first rule that concerns it
            fields.setdefault(f"body.{broken['field']}", broken["message"])
        raise ApiError(422, first["code"], first["message"], {"violations": found, "fields": fields})
