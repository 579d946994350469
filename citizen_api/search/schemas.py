from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SynonymIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    term: str = Field(min_length=1, max_length=32, description="市民的说法，如 驾照")
    canonical: str = Field(min_length=1, max_length=64, description="目录中的规范用语，如 机动车驾驶证")


class SynonymOut(BaseModel):
    id: int
    term: str
    canonical: str
