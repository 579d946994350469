"""What the 三级便民服务 endpoints take and answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from citizen_api.cases.schemas import CaseDeliveryAddress, StatusName
from citizen_api.cases.schemas_staff import StaffFilingCitizen
from citizen_api.http.schemas import PageQuery
from citizen_api.points.transitions import LEVELS, STATUSES

Level = Literal[LEVELS]  # type: ignore[valid-type]
DeliveryStatus = Literal[STATUSES]  # type: ignore[valid-type]
DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]
OfficeCode = Annotated[str, Field(min_length=1, max_length=32)]


# -- the hierarchy
class PlaceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    level: Level = Field(description="district 区级中心；town 镇（街道）中心；village 村（社区）服务点")
    parent: OfficeCode | None = Field(
        None,
        description="上级编码：村（社区）服务点的上级是镇（街道）中心，镇（街道）中心的上级是区级中心，区级中心无上级",
    )


class OfficePlaceOut(BaseModel):
    code: str
    name: str
    level: Level
    level_text: str
    parent: str | None


class PointNode(BaseModel):
    code: str
    name: str


class TownNode(BaseModel):
    code: str
    name: str
    villages: list[PointNode] = Field(description="村（社区）便民服务点")


class DistrictNode(BaseModel):
    code: str
    name: str
    towns: list[TownNode] = Field(description="镇（街道）便民服务中心")


class OfficeTree(BaseModel):
    districts: list[DistrictNode] = Field(description="区级政务服务中心及其下级")
    unplaced: list[PointNode] = Field(description="尚未纳入三级体系的大厅")


# -- 村级代办: filing for a villager present
class PointFilingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    point: OfficeCode = Field(description="代办员所在的村（社区）便民服务点编码")
    item_code: str = Field(
        min_length=1, max_length=64, description="事项实施编码（办件交由事项的责任部门办理）"
    )
    villager: StaffFilingCitizen = Field(description="在场群众（按身份证填写）")
    materials: Annotated[dict[DbId, Annotated[list[DbId], Field(max_length=20)]], Field(max_length=100)] = (
        Field(default_factory=dict, description="材料编号 → 代办员扫描上传的文件编号列表")
    )
    tolerate_missing: bool = Field(False, description="容缺受理：容缺材料可后补")
    consent_signature: DbId | None = Field(
        None, description="群众签字确认的签名图片（代办员本人上传的 PNG 或 JPEG 文件编号）；必填"
    )
    delivery: CaseDeliveryAddress | None = Field(None, description="办理结果邮寄地址（可选）")


class PointFilingOut(BaseModel):
    id: int = Field(description="办件编号（内部 id）")
    number: str = Field(description="办件编号")
    item_name: str
    department_code: str = Field(description="承办部门")
    status: StatusName
    status_text: str
    applicant_name: str = Field(description="申请人（脱敏）")
    point_code: str
    agent_name: str
    consented_at: datetime
    delivery_status: DeliveryStatus | None = Field(
        None, description="结果送至本服务点后：at_point 待领取；handed_over 已领取"
    )


# -- results sent to the point
class PointDeliveriesQuery(PageQuery):
    status: DeliveryStatus | None = Field(None, description="at_point 待领取；handed_over 已领取")


class PointDeliveryOut(BaseModel):
    id: int
    application_id: int
    number: str
    item_name: str
    point_code: str
    point_name: str
    status: DeliveryStatus
    status_text: str
    applicant_name: str = Field(description="申请人（脱敏）")
    applicant_phone: str = Field(description="手机号（脱敏）")
    arrived_at: datetime
    handed_over_at: datetime | None
    actions: list[Literal["hand_over"]] = Field(description="代办员现在可做的操作：hand_over 群众已领取")


# -- the figures
class PointStatsQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    since: date = Field(alias="from", description="起始日期（含）")
    until: date = Field(alias="to", description="截止日期（含）")
    point: OfficeCode | None = Field(None, description="只看一个服务点（代办员只能看本服务点）")

    @model_validator(mode="after")
    def _ordered(self) -> PointStatsQuery:
        if self.until < self.since:
            raise ValueError("截止日期不能早于起始日期")
        if (self.until - self.since).days > 366:
            raise ValueError("统计期间最长一年")
        return self


class PointFigures(BaseModel):
    point_code: str
    point_name: str
    town_code: str | None = Field(description="所属镇（街道）中心")
    filed: int = Field(description="期间代办申请的办件数")
    done: int = Field(description="其中已办结（准予、不予或已送达）")
    awaiting_pickup: int = Field(description="现在送至本点、待群众领取的办理结果")
    handed_over: int = Field(description="期间在本点领取的办理结果")


class PointStats(BaseModel):
    since: date
    until: date
    points: list[PointFigures]


class MyPoint(BaseModel):
    code: str
    name: str
    town_code: str | None
    town_name: str | None
