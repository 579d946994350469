"""One progress for the whole bundle: its detail and list entry from the children, the children's
changes followed (derived status, the bundle's messages), and the citizen's supplement and withdrawal
sent to the children they concern."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citizen_api import clock
from citizen_api.bundles import definitions, filing, merge, notify, status
from citizen_api.bundles import repository as repo
from citizen_api.bundles.models import BundleApplication
from citizen_api.cases import service as cases
from citizen_api.cases.schemas import CaseItemRef, CaseSupplement
from citizen_api.cases.schemas_bundle import (
    BundleChildBrief,
    BundleDetail,
    BundleMissing,
    BundleSummary,
    BundleTimelineEntry,
)
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error
from citizen_api.security.principal import Principal

LIST_LIMIT = 500  # bundles of one citizen read for the list (a citizen files a handful)


def _actions(application: BundleApplication, child_actions: Sequence[Sequence[str]], done: bool) -> list[str]:
    offered = []
    if any("supplement" in a for a in child_actions):
        offered.append("supplement")
    if child_actions and all("withdraw" in a for a in child_actions):
        offered.append("withdraw")
    if done and any("rate" in a for a in child_actions):
        offered.append("rate")
    return offered


def _common(application: BundleApplication, children: Sequence[Any], child_views: Sequence[Any]) -> dict:
    statuses = [c.status for c in children]
    derived = status.derive(statuses)
    done = status.is_done(statuses)
    deadlines = [v.deadline for v in child_views if v.deadline is not None]
    return {
        "id": application.application_id,
        "number": application.number,
        "bundle_code": application.bundle_code,
        "item": CaseItemRef(code=application.bundle_code, name=application.bundle_name),
        "status": derived,
        "status_text": cases.STATUS_TEXT.get(derived, derived),
        "done": done,
        "submitted_at": application.submitted_at,
        "deadline": max(deadlines) if deadlines else None,
        "warning": status.worst_warning([v.warning for v in child_views]),
        "actions": _actions(application, [v.actions for v in child_views], done),
    }


async def summaries(principal: Principal, wanted_status: str | None, settings) -> list[BundleSummary]:
    applications = await repo.citizen_applications(principal.user_id, wanted_status, LIST_LIMIT)
    if not applications:
        return []
    children = await cases.bundle_children([a.application_id for a in applications])
    views = dict(zip([c.id for c in children], await cases.child_summaries(children, settings), strict=True))
    out = []
    for application in applications:
        mine = [c for c in children if c.bundle_id == application.application_id]
        mine_views = [views[c.id] for c in mine]
        out.append(
            BundleSummary(
                **_common(application, mine, mine_views),
                children=[
                    BundleChildBrief.model_validate(
                        {
                            **v.model_dump(),
                            "item_code": c.item_code,
                            "item_name": c.item_name,
                            "department_code": c.department_code,
                        }
                    )
                    for c, v in zip(mine, mine_views, strict=True)
                ],
            )
        )
    return out


async def merged_of(application: BundleApplication, children: Sequence[Any]) -> list[merge.MergedMaterial]:
    """The merged list of the versions the children were filed under (stable for the application)."""
    bundle = await repo.bundle_by_id(application.bundle_id)
    form_name = (
        definitions.form_name_of(bundle) if bundle else merge.default_form_name(application.bundle_name)
    )
    tables = [(c.item_code, await catalog.version_materials(c.item_version_id)) for c in children]
    return merge.merge(tables, form_name)


async def detail_of(application: BundleApplication, settings) -> BundleDetail:
    children = await cases.bundle_children([application.application_id])
    details = await cases.child_details(children, settings)
    by_member = merge.member_map(await merged_of(application, children))
    timeline = sorted(
        (
            BundleTimelineEntry(**entry.model_dump(), child_id=d.id, item_name=d.item.name)
            for d in details
            for entry in d.timeline
        ),
        key=lambda e: e.at,
    )
    missing = [
        BundleMissing(
            id=by_member[m.id].id if m.id in by_member else m.id,
            name=by_member[m.id].name if m.id in by_member else m.name,
            tolerable=m.tolerable,
            child_id=d.id,
            item_name=d.item.name,
        )
        for d in details
        for m in d.missing
    ]
    common = _common(application, children, details)
    decided = [d.decided_at for d in details if d.decided_at is not None]
    return BundleDetail(
        **common,
        children=details,
        timeline=timeline,
        missing=missing,
        rating=next((d.rating for d in details if d.rating is not None), None),
        decided_at=max(decided) if common["done"] and decided else None,
    )


async def detail(principal: Principal, application_id: int, settings) -> BundleDetail | None:
    application = await repo.application_of_citizen(application_id, principal.user_id)
    return await detail_of(application, settings) if application else None


# -- the children's changes


async def child_changed(case: Any, event: str, note: str) -> None:
    """A child moved (in the transaction that moved it): derive the bundle's status again and tell the
    citizen the steps that matter, once. The bundle row is locked first, so two departments deciding
    two children at once derive in turn and exactly one of them sees "all accepted" or "all done"."""
    if filing.filing.get():
        return  # being filed: the bundle's own "submitted" message follows
    application = await repo.application_by_id(case.bundle_id, lock=True)
    if application is None:
        return
    children = await cases.bundle_children([application.application_id])
    statuses = [c.status for c in children]
    derived, done = status.derive(statuses), status.is_done(statuses)
    changes: dict[str, Any] = {}
    if derived != application.status:
        changes["status"] = application.status = derived
    newly_done = done and application.done_at is None
    if newly_done:
        changes["done_at"] = application.done_at = clock.now()
    if changes:
        await repo.set_status(application.application_id, **changes)
    if event == "case.supplement_required":
        await notify.tell(application, "bundle.supplement_required", f"{case.item_name}：{note}", children)
    elif derived in ("accepted", "suspended") and not done:
        await notify.tell(application, "bundle.accepted", "各部门均已受理", children, once=True)
    if newly_done and derived == "withdrawn":
        await notify.tell(application, "bundle.withdrawn", "", children, once=True)
    elif newly_done:
        outcome = "；".join(f"{c.item_name}{cases.STATUS_TEXT.get(c.status, c.status)}" for c in children)
        await notify.tell(application, "bundle.done", outcome, children, once=True)


# -- the citizen's supplement and withdrawal


async def supplement(
    principal: Principal, application_id: int, body: CaseSupplement, settings, request_id: str = ""
) -> BundleDetail | None:
    """Each material goes to the child that owes it (the department that asked); a child that gets any
    must get all it asked for (its 补正 is one hand-in), else MATERIALS_MISSING names every one."""
    application = await repo.application_of_citizen(application_id, principal.user_id)
    if application is None:
        return None
    children = await cases.bundle_children([application.application_id])
    merged = await merged_of(application, children)
    by_member = merge.member_map(merged)
    unknown = sorted(set(body.materials) - set(by_member))
    if unknown:
        raise validation_error({f"body.materials.{m}": "不是该一件事的申请材料" for m in unknown})
    given: dict[int, list[int]] = {}
    for material_id, uploads in body.materials.items():
        if uploads:
            given.setdefault(by_member[material_id].id, []).extend(uploads)
    plan, still_owed, used = [], [], set()
    for child in children:
        owed = [by_member[m] for m in child.missing or [] if m in by_member]
        if not owed or child.status not in cases.OPEN:
            continue
        handed = {e.id for e in owed if e.id in given}
        if not handed:
            continue
        used |= handed
        if child.status == "supplement_required":
            still_owed += [e for e in owed if e.id not in handed and e.necessity != "optional"]
        plan.append((child, child_materials_of(child.item_code, owed, given)))
    if not plan:
        raise ApiError(409, "INVALID_TRANSITION", "该一件事当前没有需要补正或补交的这些材料")
    if set(given) - used:
        raise validation_error(
            {f"body.materials.{m}": "该材料不在待补正之列" for m in sorted(set(given) - used)}
        )
    if still_owed:
        raise filing.missing_error(list({e.id: e for e in still_owed}.values()))
    for child, materials in plan:
        await cases.supplement_child(
            principal, child.id, CaseSupplement(materials=materials), settings, request_id
        )
    return await detail_of(application, settings)


def child_materials_of(item_code: str, owed: list[merge.MergedMaterial], given: dict[int, list[int]]) -> dict:
    return filing.child_materials(item_code, [e for e in owed if e.id in given], given)


async def withdraw(
    principal: Principal, application_id: int, settings, request_id: str = ""
) -> BundleDetail | None:
    application = await repo.application_of_citizen(application_id, principal.user_id)
    if application is None:
        return None
    children = await cases.bundle_children([application.application_id])
    if any(c.status not in ("submitted", "supplement_required") for c in children):
        raise ApiError(
            409,
            "INVALID_TRANSITION",
            "部分事项已受理或办结，一件事不能整体撤回",
            {"children": {c.id: c.status for c in children}},
        )
    for child in children:
        await cases.withdraw_child(principal, child.id, settings, request_id)
    return await detail_of(application, settings)
