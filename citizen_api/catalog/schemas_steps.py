"""电子监察 per step: the supervised steps of an item's procedure (受理, 审查, 决定, 送达 …), in the guide.

Each step has its own limit in working days and the post (岗位) that handles it; a case of the item
gets one record per step when it is accepted (``citizen_api.cases.steps``). An item without steps has
no per-step supervision: the case deadline works alone.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MAX_STEPS = 12
STEP_CODE_PATTERN = r"^[a-z_]{1,32}$"
# the step the result's delivery closes: it starts at the decision and ends when the result is delivered
DELIVERY_STEP_CODE = "deliver"


class SupervisedStepIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(
        min_length=1,
        max_length=32,
        pattern=STEP_CODE_PATTERN,
        description=f"环节代码（小写字母、下划线），如 accept、review；{DELIVERY_STEP_CODE} 为送达环节",
    )
    name: str = Field(min_length=1, max_length=32, description="环节名称，如 受理、审查、决定、送达")
    days: int = Field(ge=0, le=60, description="环节时限（工作日，0 为当日办结）")
    post: str = Field(min_length=1, max_length=32, description="承办岗位，如 受理岗、审核岗")


def _unique_codes(steps: list[SupervisedStepIn]) -> list[SupervisedStepIn]:
    codes = [step.code for step in steps]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise ValueError("环节代码不能重复：" + "、".join(twice))
    return steps


SupervisedSteps = Annotated[
    list[SupervisedStepIn],
    AfterValidator(_unique_codes),
    Field(max_length=MAX_STEPS, description=f"电子监察环节（最多 {MAX_STEPS} 个，代码不重复），按办理顺序"),
]


class CatalogStep(BaseModel):
    """A supervised step of one version, as the cases domain copies it onto an accepted case."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    days: int
    post: str
