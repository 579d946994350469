"""Filing a bundle (一件事一次办): one application, one check of the merged materials list, and each item
filed as a child case of its own department through the ordinary case submission, in one transaction.

The uploads of a shared material (one ID card for four items) are attached to every child that needs
it. Every missing material of the merged list is named in one answer (MATERIALS_MISSING).
"""

from __future__ import annotations

from contextvars import ContextVar

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.bundles import definitions, merge, notify
from citizen_api.bundles import repository as repo
from citizen_api.cases import service as cases
from citizen_api.cases.schemas import CaseSubmit
from citizen_api.cases.schemas_bundle import BundleChildCreated, BundleCreated
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error
from citizen_api.security.principal import Principal

NUMBER_PREFIX = "YJS"  # 一件事

# a bundle is being filed in this task: its children's "submitted" steps are told once, by the bundle
filing: ContextVar[bool] = ContextVar("bundle_filing", default=False)


def missing_error(missing: list[merge.MergedMaterial]) -> ApiError:
    names = "、".join(m.name for m in missing)
    return ApiError(
        422,
        "MATERIALS_MISSING",
        f"材料不齐，请一次补齐以下 {len(missing)} 项：{names[:300]}",
        {
            "missing": [
                {"id": m.id, "name": m.name, "tolerable": m.necessity == "tolerated"} for m in missing
            ],
            "can_tolerate": all(m.necessity == "tolerated" for m in missing),
        },
    )


def _check_materials(body: CaseSubmit, merged: list[merge.MergedMaterial]) -> None:
    known = {m.id for m in merged}
    unknown = sorted(set(body.materials) - known)
    if unknown:
        raise validation_error(
            {f"body.materials.{m}": "不是该一件事合并材料清单中的材料" for m in unknown},
            "提交的材料不属于该一件事",
        )
    provided = {m for m, uploads in body.materials.items() if uploads}
    blocking = [
        m
        for m in merged
        if m.id not in provided
        and m.necessity != "optional"
        and not (m.necessity == "tolerated" and body.tolerate_missing)
    ]
    if blocking:
        raise missing_error(blocking)


def child_materials(item_code: str, merged: list[merge.MergedMaterial], given: dict[int, list[int]]) -> dict:
    """The item's own material ids with the uploads handed in for their merged entries."""
    out: dict[int, list[int]] = {}
    for entry in merged:
        uploads = given.get(entry.id)
        if not uploads:
            continue
        for code, material_id in entry.members:
            if code == item_code:
                out[material_id] = list(uploads)
    return out


async def submit(principal: Principal, body: CaseSubmit, settings, request_id: str = "") -> BundleCreated:
    if body.item_code is not None:
        raise validation_error({"body": "item_code 与 bundle_code 只能填写一个"})
    resolved = await definitions.resolve(await definitions.published(body.bundle_code or ""))
    bundle, items, merged = resolved.bundle, resolved.items, resolved.merged
    _check_materials(body, merged)
    if body.delivery is not None and not any(item.deliverable for item in items):
        raise ApiError(409, "DELIVERY_NOT_OFFERED", "该一件事的事项均不提供免费邮寄")

    bodies = [
        CaseSubmit(
            item_code=item.code,
            materials=child_materials(item.code, merged, body.materials),
            tolerate_missing=body.tolerate_missing,
            delivery=body.delivery if item.deliverable else None,
        )
        for item in items
    ]
    # each child checked and recorded as the ordinary submission does, all of them at once
    checked = await cases.check_children(principal, bodies, settings, items)
    token = filing.set(True)
    try:
        filed = await cases.file_children(checked, request_id, NUMBER_PREFIX)
    finally:
        filing.reset(token)
    bundle_id, children = filed.parent_id, filed.cases
    application = await repo.create_application(
        application_id=bundle_id,
        number=filed.parent_number,
        applicant_id=principal.user_id,
        bundle_id=bundle.id,
        bundle_code=bundle.code,
        bundle_name=bundle.name,
        status="submitted",
        submitted_at=clock.now(),
    )
    await notify.tell(application, "bundle.submitted", f"共 {len(children)} 个事项，各部门同步办理", children)
    await audit.record(
        principal,
        "bundle.submit",
        "bundle_application",
        bundle_id,
        {"number": application.number, "bundle": bundle.code, "children": [c.number for c in children]},
        request_id=request_id,
    )
    return BundleCreated(
        id=bundle_id,
        number=application.number,
        status="submitted",
        bundle_code=bundle.code,
        children=[BundleChildCreated.model_validate(c) for c in children],
    )
