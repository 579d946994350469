"""Defining bundles (admin) and reading their combined guides (everyone).

A bundle is made from items of the catalog; it can be published only when every item is published,
and a published bundle whose item went offline since is not offered (``BUNDLE_NOT_AVAILABLE``) until
the item is back or the admin changes the bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.bundles import merge
from citizen_api.bundles import repository as repo
from citizen_api.bundles.models import Bundle
from citizen_api.bundles.schemas import (
    BundleAdminView,
    BundleGuide,
    BundleIn,
    BundleItemOut,
    BundleMaterialOut,
    BundleOut,
    BundleUpdate,
)
from citizen_api.catalog import service as catalog
from citizen_api.catalog.schemas import CatalogItem
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error
from citizen_api.security.principal import Principal

NOT_FOUND = "未找到该一件事或尚未发布"


@dataclass
class Resolved:
    """A published bundle with its published items and the merged materials of their versions."""

    bundle: Bundle
    items: list[CatalogItem]
    merged: list[merge.MergedMaterial]


def form_name_of(bundle: Bundle) -> str:
    return bundle.form_name or merge.default_form_name(bundle.name)


async def _items(codes: list[str]) -> dict[str, CatalogItem]:
    return {item.code: item for item in await catalog.items_by_codes(codes)}


async def published(code: str) -> Bundle:
    bundle = await repo.bundle_by_code(code)
    if bundle is None or bundle.status != "published":
        raise ApiError(404, "NOT_FOUND", NOT_FOUND)
    return bundle


async def resolve(bundle: Bundle) -> Resolved:
    """The bundle as a citizen may file it now (409 BUNDLE_NOT_AVAILABLE when an item is offline)."""
    found = await _items(bundle.item_codes)
    items = [found.get(code) for code in bundle.item_codes]
    offline = [
        code
        for code, item in zip(bundle.item_codes, items, strict=True)
        if item is None or not item.is_published
    ]
    if offline:
        raise ApiError(
            409,
            "BUNDLE_NOT_AVAILABLE",
            "该一件事所含的部分事项暂停办理，请稍后再试或分别申请",
            {"items": offline},
        )
    # published versions never change: the catalog reads each once per process
    filed = await catalog.filed_versions(item.published_version_id for item in items)
    no_version = (None, [])
    tables = [(item.code, filed.get(item.published_version_id, no_version)[1]) for item in items]
    return Resolved(bundle, items, merge.merge(tables, form_name_of(bundle)))


def _out(bundle: Bundle, items: list[CatalogItem]) -> dict:
    return {
        "code": bundle.code,
        "name": bundle.name,
        "items": list(bundle.item_codes),
        "description": bundle.description,
        "departments": list(dict.fromkeys(item.department.code for item in items)),
        "promised_days": max((item.promised_days for item in items), default=0),
    }


async def list_published() -> list[BundleOut]:
    bundles = await repo.list_bundles(published_only=True)
    found = await _items([code for b in bundles for code in b.item_codes])
    return [
        BundleOut(**_out(b, [found[c] for c in b.item_codes if c in found and found[c].is_published]))
        for b in bundles
    ]


def material_out(entry: merge.MergedMaterial) -> BundleMaterialOut:
    return BundleMaterialOut(
        id=entry.id,
        name=entry.name,
        required=entry.necessity != "optional",
        necessity=entry.necessity,
        tolerated=entry.necessity == "tolerated",
        kind=entry.kind,
        form="、".join(entry.forms),
        forms=entry.forms,
        copies=entry.copies,
        source=entry.source,
        note=entry.notes,
        items=list(dict.fromkeys(code for code, _ in entry.members)),
    )


async def guide(code: str) -> BundleGuide:
    resolved = await resolve(await published(code))
    bundle, items = resolved.bundle, resolved.items
    return BundleGuide(
        **_out(bundle, items),
        form_name=form_name_of(bundle),
        status=bundle.status,
        guide_items=[
            BundleItemOut(
                code=i.code,
                name=i.name,
                department=i.department.code,
                department_name=i.department.name,
                promised_days=i.promised_days,
                legal_days=i.statutory_days,
                trips=i.trips,
                online=i.online,
                deliverable=i.deliverable,
            )
            for i in items
        ],
        materials=[material_out(entry) for entry in resolved.merged],
    )


# -- admin


async def _check_items(codes: list[str], field: str) -> None:
    found = await _items(codes)
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise validation_error({f"body.{field}": f"未知事项：{'、'.join(unknown)}"}, "所选事项不存在")


def admin_view(bundle: Bundle) -> BundleAdminView:
    return BundleAdminView.model_validate(bundle)


async def admin_list() -> list[BundleAdminView]:
    return [admin_view(b) for b in await repo.list_bundles(published_only=False)]


async def _admin_bundle(code: str) -> Bundle:
    bundle = await repo.bundle_by_code(code)
    if bundle is None:
        raise ApiError(404, "NOT_FOUND", "未找到该一件事")
    return bundle


async def create(body: BundleIn, actor: Principal | None, request_id: str = "") -> BundleAdminView:
    if await repo.bundle_by_code(body.code) is not None:
        raise ApiError(409, "BUNDLE_EXISTS", "该一件事编码已存在")
    await _check_items(body.items, "items")
    bundle = await repo.create_bundle(
        code=body.code,
        name=body.name,
        description=body.description,
        form_name=body.form_name,
        item_codes=body.items,
        sort=body.sort,
    )
    await audit.record(
        actor, "bundle.create", "bundle", bundle.id, {"code": bundle.code}, request_id=request_id
    )
    return admin_view(bundle)


async def update(
    code: str, body: BundleUpdate, actor: Principal | None, request_id: str = ""
) -> BundleAdminView:
    bundle = await _admin_bundle(code)
    changes = body.model_dump(exclude_none=True)
    if "items" in changes:
        await _check_items(changes["items"], "items")
        changes["item_codes"] = changes.pop("items")
        if bundle.status == "published":
            # a published bundle stays filable: its new items must be published too
            await _require_published(changes["item_codes"])
    bundle = await repo.update_bundle(bundle, **changes)
    await audit.record(
        actor, "bundle.update", "bundle", bundle.id, {"fields": sorted(changes)}, request_id=request_id
    )
    return admin_view(bundle)


async def _require_published(codes: list[str]) -> None:
    found = await _items(codes)
    unpublished = [code for code in codes if not found[code].is_published]
    if unpublished:
        raise ApiError(
            409,
            "ITEMS_NOT_PUBLISHED",
            "一件事所含事项须均已发布：" + "、".join(unpublished),
            {"items": unpublished},
        )


async def publish(code: str, actor: Principal | None, request_id: str = "") -> BundleAdminView:
    bundle = await _admin_bundle(code)
    await _require_published(bundle.item_codes)
    bundle = await repo.update_bundle(bundle, status="published", published_at=clock.now())
    await audit.record(actor, "bundle.publish", "bundle", bundle.id, {"code": code}, request_id=request_id)
    return admin_view(bundle)


async def unpublish(code: str, actor: Principal | None, request_id: str = "") -> BundleAdminView:
    bundle = await _admin_bundle(code)
    bundle = await repo.update_bundle(bundle, status="draft")
    await audit.record(actor, "bundle.unpublish", "bundle", bundle.id, {"code": code}, request_id=request_id)
    return admin_view(bundle)
