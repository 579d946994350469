"""The guide as citizens and admins read it: one version's whole guide with its materials and
their downloadable blank forms and samples (``ItemDetail``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from citizen_api.catalog.models import Department, ItemVersion, Material, ServiceItem
from citizen_api.catalog.schemas import ItemDetail, MaterialFile, MaterialOut
from citizen_api.clock import to_local
from citizen_api.http import API_PREFIX

ONLINE_DEPTH_LABELS = {
    0: "不支持网办",
    1: "一级：网上咨询",
    2: "二级：表格下载",
    3: "三级：网上预审",
    4: "四级：全程网办",
}

# path segment of each material file → the Material column holding its upload id
FILE_KINDS = {"blank-form": "blank_form_upload_id", "sample": "sample_upload_id"}


def file_ids(materials: list[Material]) -> set[int]:
    return {i for m in materials for i in (m.blank_form_upload_id, m.sample_upload_id) if i}


def material_file(
    item_code: str, m: Material, kind: str, files: Mapping[int, Any], public: bool
) -> MaterialFile | None:
    upload = files.get(getattr(m, FILE_KINDS[kind]) or 0)
    if upload is None:
        return None
    return MaterialFile(
        upload_id=upload.id,
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        url=f"{API_PREFIX}/items/{item_code}/materials/{m.id}/{kind}" if public else None,
    )


def material_out(
    m: Material, item_code: str = "", files: Mapping[int, Any] | None = None, public: bool = False
) -> MaterialOut:
    """``files``: the uploads by id (for names and sizes); ``public``: the published guide (URLs)."""
    files = files or {}
    forms = list(m.forms or [])
    return MaterialOut(
        id=m.id,
        name=m.name,
        required=m.necessity != "optional",
        form="、".join(forms),
        copies=m.copies,
        note=m.notes,
        necessity=m.necessity,
        tolerated=m.necessity == "tolerated",
        kind=m.kind,
        forms=forms,
        source=m.source,
        blank_form_upload_id=m.blank_form_upload_id,
        sample_upload_id=m.sample_upload_id,
        position=m.position,
        blank_form=material_file(item_code, m, "blank-form", files, public),
        sample=material_file(item_code, m, "sample", files, public),
        accepts_licence=m.accepts_licence,
    )


def is_public(item: ServiceItem, version: ItemVersion) -> bool:
    """The version citizens see now: its blank forms and samples are public files."""
    return item.is_published and item.published_version_id == version.id and version.status == "published"


def detail_of(
    item: ServiceItem,
    version: ItemVersion,
    department: Department,
    materials: list[Material],
    files: Mapping[int, Any] | None = None,
) -> ItemDetail:
    """The whole guide of one version (the item's own summary columns may belong to another).

    ``files``: the blank form and sample uploads by id; download URLs only on the public version.
    """
    public = is_public(item, version)
    guide = version.guide or {}
    return ItemDetail(
        code=item.code,
        basic_code=item.basic_code,
        name=version.name,
        department=department.code,
        department_name=department.name,
        department_phone=department.phone,
        department_address=department.address,
        audience=version.audience,
        item_type=version.item_type,
        trips=version.visits,
        online=version.online,
        deliverable=version.deliverable,
        bookable=version.bookable,
        promised_days=version.promised_days,
        legal_days=version.statutory_days,
        statutory_days=version.statutory_days,
        instant=version.processing_type == "instant",
        version=version.version,
        status=version.status,
        # as written by the editor; otherwise the day it was published
        effective_from=version.effective_from
        or (to_local(version.published_at).date() if version.published_at else None),
        published_at=version.published_at,
        time_unit=version.time_unit,
        processing_type=version.processing_type,
        processing_type_label="即办件" if version.processing_type == "instant" else "承诺件",
        visits_reason=version.visits_reason,
        online_depth=version.online_depth,
        online_depth_label=ONLINE_DEPTH_LABELS.get(version.online_depth, ""),
        charges_fee=version.charges_fee,
        fees=guide.get("fees", []),
        fee_exemptions=guide.get("fee_exemptions", ""),
        basis=guide.get("basis", []),
        conditions=guide.get("conditions", []),
        procedure=guide.get("procedure", []),
        steps=guide.get("steps", []),
        place=guide.get("place", ""),
        hours=guide.get("hours", ""),
        contact=guide.get("contact", ""),
        complaint=guide.get("complaint", ""),
        result=guide.get("result", {}),
        faqs=guide.get("faqs", []),
        keywords=guide.get("keywords", []),
        online_url=guide.get("online_url", ""),
        materials=[material_out(m, item.code, files, public) for m in materials],
        issues_licence=guide.get("issues_licence", ""),
        form_fields=guide.get("form_fields", []),
        home_visit=bool(guide.get("home_visit", False)),
        views=item.views,
        applications=item.applications,
    )
