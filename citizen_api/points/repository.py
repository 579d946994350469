"""Every query of 三级便民服务."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.functions import Count

from citizen_api.points.models import OfficePlace, PointDelivery, PointFiling
from citizen_api.points.transitions import DELIVERIES


# -- the hierarchy
async def places() -> list[OfficePlace]:
    return await OfficePlace.all().order_by("id")


async def place_of(office_code: str) -> OfficePlace | None:
    return await OfficePlace.get_or_none(office_code=office_code)


async def has_children(office_code: str) -> bool:
    return await OfficePlace.exists(parent_code=office_code)


async def save_place(office_code: str, **values: Any) -> None:
    updated = await OfficePlace.filter(office_code=office_code).update(**values)
    if not updated:
        await OfficePlace.create(office_code=office_code, **values)


async def remove_place(office_code: str) -> int:
    return await OfficePlace.filter(office_code=office_code).delete()


# -- filings
async def create_filing(**values: Any) -> PointFiling:
    return await PointFiling.create(**values)


async def filing_of_case(application_id: int) -> PointFiling | None:
    return await PointFiling.get_or_none(application_id=application_id)


async def filings_page(point_code: str, offset: int, size: int) -> tuple[int, list[PointFiling]]:
    query = PointFiling.filter(point_code=point_code)
    return await query.count(), await query.order_by("-id").offset(offset).limit(size)


async def filed_case_ids(lo: datetime, hi: datetime, point_code: str | None) -> list[tuple[str, int]]:
    """(point, case id) of every case filed at a point in [lo, hi)."""
    query = PointFiling.filter(consented_at__gte=lo, consented_at__lt=hi)
    if point_code:
        query = query.filter(point_code=point_code)
    return [(row[0], row[1]) for row in await query.values_list("point_code", "application_id")]


# -- deliveries
async def create_delivery(**values: Any) -> PointDelivery:
    return await PointDelivery.create(**values)


async def delivery(delivery_id: int) -> PointDelivery | None:
    return await PointDelivery.get_or_none(id=delivery_id)


async def waiting_delivery_of_case(application_id: int) -> PointDelivery | None:
    return await PointDelivery.get_or_none(application_id=application_id, status=DELIVERIES.statuses[0])


async def deliveries_page(
    point_code: str, status: str | None, offset: int, size: int
) -> tuple[int, list[PointDelivery]]:
    query = PointDelivery.filter(point_code=point_code)
    if status:
        query = query.filter(status=status)
    return await query.count(), await query.order_by("-id").offset(offset).limit(size)


async def move(delivery_id: int, action: str, **fields: Any) -> bool:
    changed = await PointDelivery.filter(id=delivery_id, status__in=list(DELIVERIES.sources(action))).update(
        status=DELIVERIES.target(action), **fields
    )
    return changed == 1


async def waiting_counts(point_code: str | None) -> dict[str, int]:
    """Results at each point now, not collected yet."""
    query = PointDelivery.filter(status=DELIVERIES.statuses[0])
    if point_code:
        query = query.filter(point_code=point_code)
    rows = await query.annotate(n=Count("id")).group_by("point_code").values("point_code", "n")
    return {row["point_code"]: int(row["n"]) for row in rows}


async def handed_over_counts(lo: datetime, hi: datetime, point_code: str | None) -> dict[str, int]:
    """Results collected at each point in [lo, hi)."""
    query = PointDelivery.filter(handed_over_at__gte=lo, handed_over_at__lt=hi)
    if point_code:
        query = query.filter(point_code=point_code)
    rows = await query.annotate(n=Count("id")).group_by("point_code").values("point_code", "n")
    return {row["point_code"]: int(row["n"]) for row in rows}


async def delivery_statuses(application_ids: list[int]) -> dict[int, str]:
    """Each case's latest point delivery status (cases never sent to a point are absent)."""
    if not application_ids:
        return {}
    rows = await PointDelivery.filter(application_id__in=application_ids).order_by("id")
    return {row.application_id: row.status for row in rows}
