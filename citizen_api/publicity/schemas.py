"""许可公示's public answer: the contract's fields, nothing of the person who applied."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from citizen_api.http.schemas import PageQuery


class DecisionsQuery(PageQuery):
    q: str = Field(
        "", max_length=100, description="企业名称、统一社会信用代码、事项名称或决定文号（空格分隔多个词）"
    )


class PublishedDecisionOut(BaseModel):
    item_code: str
    item_name: str
    company: str = Field(description="企业（或个体工商户）名称")
    credit_code: str = Field(description="统一社会信用代码（未登记时为空）")
    decision: Literal["approved", "rejected"]
    decision_text: str = Field(description="准予许可 | 不予许可")
    decided_on: date
    result_number: str = Field(description="决定文号：核发证照的编号，否则为办件编号")
