"""The three levels (区 centre, 镇街 centres, 村/社区 points): each office's level and parent.

Rules, checked on every placement (422 HIERARCHY_INVALID): a district has no parent, a town's parent
is a district, a village point's parent is a town; the parent must be placed already. An office whose
children are placed under it keeps its level and cannot be removed from the hierarchy (409
HIERARCHY_HAS_CHILDREN): the children would hang from nothing. Moving a town to another district
keeps its villages under it.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.appointments import service as appointments
from citizen_api.audit.service import record
from citizen_api.errors import ApiError
from citizen_api.points import repository as repo
from citizen_api.points.schemas import DistrictNode, OfficePlaceOut, OfficeTree, PlaceIn, PointNode, TownNode
from citizen_api.points.transitions import DISTRICT, LEVEL_TEXT, PARENT_LEVEL, TOWN, VILLAGE
from citizen_api.security.principal import Principal


def _invalid(message: str, **details) -> ApiError:
    return ApiError(422, "HIERARCHY_INVALID", message, details)


async def _office_name(code: str) -> str:
    names = await appointments.office_names()
    if code not in names:
        raise ApiError(404, "NOT_FOUND", "未找到该大厅", {"office_code": code})
    return names[code]


async def place(principal: Principal, code: str, body: PlaceIn, request_id: str = "") -> OfficePlaceOut:
    name = await _office_name(code)
    current = await repo.place_of(code)
    if current is not None and current.level != body.level and await repo.has_children(code):
        raise _has_children()
    wanted_parent_level = PARENT_LEVEL[body.level]
    if wanted_parent_level is None and body.parent is not None:
        raise _invalid("区级政务服务中心没有上级", parent=body.parent)
    if wanted_parent_level is not None:
        if body.parent is None:
            raise _invalid(f"{LEVEL_TEXT[body.level]}须指定上级{LEVEL_TEXT[wanted_parent_level]}")
        if body.parent == code:
            raise _invalid("不能以自身为上级", parent=body.parent)
        parent = await repo.place_of(body.parent)
        if parent is None or parent.level != wanted_parent_level:
            raise _invalid(
                f"{LEVEL_TEXT[body.level]}的上级须是已纳入体系的{LEVEL_TEXT[wanted_parent_level]}",
                parent=body.parent,
            )
    await repo.save_place(
        code, level=body.level, parent_code=body.parent, placed_by=principal.user_id, placed_at=clock.now()
    )
    await record(
        principal, "points.place", "office", code, {"level": body.level, "parent": body.parent},
        request_id=request_id,
    )  # fmt: skip
    return OfficePlaceOut(
        code=code, name=name, level=body.level, level_text=LEVEL_TEXT[body.level], parent=body.parent
    )


async def unplace(principal: Principal, code: str, request_id: str = "") -> None:
    await _office_name(code)
    if await repo.place_of(code) is None:
        raise ApiError(404, "NOT_FOUND", "该大厅尚未纳入三级体系")
    if await repo.has_children(code):
        raise _has_children()
    await repo.remove_place(code)
    await record(principal, "points.unplace", "office", code, {}, request_id=request_id)


def _has_children() -> ApiError:
    return ApiError(409, "HIERARCHY_HAS_CHILDREN", "该中心下还有下级服务中心或服务点，请先调整下级")


async def tree() -> OfficeTree:
    names = await appointments.office_names()
    rows = [row for row in await repo.places() if row.office_code in names]
    placed = {row.office_code for row in rows}

    def node(code: str) -> PointNode:
        return PointNode(code=code, name=names[code])

    def under(parent: str, level: str) -> list[str]:
        return [r.office_code for r in rows if r.level == level and r.parent_code == parent]

    districts = [
        DistrictNode(
            **node(d.office_code).model_dump(),
            towns=[
                TownNode(**node(town).model_dump(), villages=[node(v) for v in under(town, VILLAGE)])
                for town in under(d.office_code, TOWN)
            ],
        )
        for d in rows
        if d.level == DISTRICT
    ]
    return OfficeTree(districts=districts, unplaced=[node(code) for code in names if code not in placed])


async def village_point(code: str) -> tuple[str, str, str | None] | None:
    """(code, name, town code) of a placed village point; None for any other code."""
    found = await repo.place_of(code)
    if found is None or found.level != VILLAGE:
        return None
    names = await appointments.office_names()
    return (code, names[code], found.parent_code) if code in names else None


async def office_names() -> dict[str, str]:
    """Every office's code → name (the staff directory names a 代办员's point by it)."""
    return await appointments.office_names()


async def office_name(code: str) -> str | None:
    return (await appointments.office_names()).get(code)


async def is_village_point(code: str) -> bool:
    return await village_point(code) is not None
