"""Admin: the release rules (放号规则) of a window group — list, set, remove (audited)."""

from __future__ import annotations

from citizen_api.appointments import release
from citizen_api.appointments.repository import halls
from citizen_api.appointments.repository import releases as repo
from citizen_api.appointments.schemas_admin import ReleaseRuleIn, ReleaseRuleOut
from citizen_api.audit.service import record
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal


async def _group(group_id: int):
    group = await halls.group_by_id(group_id)
    if group is None:
        raise ApiError(404, "NOT_FOUND", "未找到该窗口组")
    return group


async def _item_id(code: str | None) -> int | None:
    if code is None:
        return None
    found = await catalog.items_by_codes([code])
    if not found:
        raise ApiError(422, "UNKNOWN_ITEMS", "有事项编码不存在", {"missing": [code]})
    return found[0].id


async def list_rules(group_id: int) -> list[ReleaseRuleOut]:
    group = await _group(group_id)
    return [
        ReleaseRuleOut(
            group=group.code, item_code=r.item.code if r.item else None, days_before=r.days_before, at=r.at
        )
        for r in await repo.rules_of_group(group.id)
    ]


async def put_rule(principal: Principal, group_id: int, body: ReleaseRuleIn, state) -> list[ReleaseRuleOut]:
    group = await _group(group_id)
    await repo.put_rule(group.id, await _item_id(body.item_code), body.days_before, body.at)
    release.forget(state)
    await record(principal, "appointments.release_rule.put", "window_group", group.id, body.model_dump())
    return await list_rules(group.id)


async def delete_rule(
    principal: Principal, group_id: int, item_code: str | None, state
) -> list[ReleaseRuleOut]:
    group = await _group(group_id)
    if not await repo.delete_rule(group.id, await _item_id(item_code)):
        raise ApiError(404, "NOT_FOUND", "未找到该放号规则")
    release.forget(state)
    await record(
        principal, "appointments.release_rule.delete", "window_group", group.id, {"item_code": item_code}
    )
    return await list_rules(group.id)
