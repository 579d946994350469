"""Between the editor's ``ItemContent`` and the stored version (columns, guide document, materials)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from citizen_api.catalog.models import ItemVersion, Material
from citizen_api.catalog.schemas import ItemContent, MaterialIn

# ItemContent fields stored as ItemVersion columns; the rest of the guide goes in ``guide`` (JSON)
COLUMN_FIELDS = (
    "name",
    "item_type",
    "audience",
    "statutory_days",
    "promised_days",
    "time_unit",
    "processing_type",
    "visits",
    "visits_reason",
    "online",
    "online_depth",
    "deliverable",
    "bookable",
    "charges_fee",
    "effective_from",
)
GUIDE_FIELDS = (
    "fees",
    "fee_exemptions",
    "basis",
    "conditions",
    "procedure",
    "place",
    "hours",
    "contact",
    "complaint",
    "result",
    "faqs",
    "keywords",
    "online_url",
    "issues_licence",  # issue 17: the result's e-licence type and the application form's fields
    "form_fields",
    "home_visit",  # issue 18: 上门服务 may be asked for this item
    "steps",  # issue 18: 电子监察 per step (each step's limit in working days and its post)
)
# added after versions were stored: left out of the hash while unset, so old hashes still match
_NEW_GUIDE_DEFAULTS = {"issues_licence": "", "form_fields": [], "home_visit": False, "steps": []}
# ServiceItem keeps a copy of the published version's summary (lists never join versions)
SUMMARY_FIELDS = (
    "name",
    "audience",
    "online",
    "deliverable",
    "bookable",
    "promised_days",
    "statutory_days",
    "item_type",
)


def content_hash(content: ItemContent) -> str:
    data = content.model_dump(mode="json")
    for name, default in _NEW_GUIDE_DEFAULTS.items():
        if data.get(name) == default:
            data.pop(name, None)
    for material in data.get("materials", []):
        if not material.get("accepts_licence"):
            material.pop("accepts_licence", None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def version_columns(content: ItemContent) -> dict[str, Any]:
    data = content.model_dump(mode="python")
    columns = {name: data[name] for name in COLUMN_FIELDS}
    columns["guide"] = content.model_dump(mode="json", include=set(GUIDE_FIELDS))
    columns["content_hash"] = content_hash(content)
    return columns


def material_rows(content: ItemContent) -> list[dict[str, Any]]:
    return [{"position": i, **m.model_dump()} for i, m in enumerate(content.materials, start=1)]


def summary_columns(version: ItemVersion) -> dict[str, Any]:
    columns = {name: getattr(version, name) for name in SUMMARY_FIELDS}
    columns["trips"] = version.visits
    return columns


def content_of(version: ItemVersion, materials: list[Material]) -> ItemContent:
    """The editor's view of a stored version (export, and the re-check before publishing)."""
    data: dict[str, Any] = {name: getattr(version, name) for name in COLUMN_FIELDS}
    data.update({k: v for k, v in (version.guide or {}).items() if k in GUIDE_FIELDS})
    data["materials"] = [
        MaterialIn(
            name=m.name,
            necessity=m.necessity,
            kind=m.kind,
            forms=m.forms or ["原件"],
            copies=m.copies,
            source=m.source,
            blank_form_upload_id=m.blank_form_upload_id,
            sample_upload_id=m.sample_upload_id,
            notes=m.notes,
            accepts_licence=m.accepts_licence,
        )
        for m in materials
    ]
    return ItemContent.model_validate(data)
