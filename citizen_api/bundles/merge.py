"""The bundle's combined guide: its items' published versions read together, materials deduplicated.

A material several items need is asked once: materials with the same reuse key (``Material.kind``,
e.g. ``id_card``) become one entry of the merged list, whose id is the first such material's id (in
the bundle's item order), so the ids are the catalog's own and stable while the versions are. The
items' own application forms (kind ``application_form``) become the bundle's one merged form (一表申请).
A material without a kind is its item's own. The merged entry is as strict as its strictest member
(required over 容缺 over optional).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_api.catalog.schemas import CatalogMaterial

FORM_KIND = "application_form"
_RANK = {"required": 0, "tolerated": 1, "optional": 2}


@dataclass
class MergedMaterial:
    id: int
    name: str
    necessity: str
    kind: str
    forms: list[str]
    copies: int
    source: str
    notes: str
    # (item code, the item version's own material id) of every item that needs it
    members: list[tuple[str, int]] = field(default_factory=list)


def default_form_name(bundle_name: str) -> str:
    return f"《{bundle_name}联办申请表》"


def merge(tables: list[tuple[str, list[CatalogMaterial]]], form_name: str) -> list[MergedMaterial]:
    """``tables``: (item code, its version's materials) in the bundle's order → the merged list."""
    merged: list[MergedMaterial] = []
    by_kind: dict[str, MergedMaterial] = {}
    for item_code, materials in tables:
        for m in materials:
            entry = by_kind.get(m.kind) if m.kind else None
            if entry is None:
                entry = MergedMaterial(
                    m.id, m.name, m.necessity, m.kind, list(m.forms), m.copies, m.source, m.notes
                )
                if m.kind == FORM_KIND:
                    entry.name, entry.notes = form_name, "一表申请：一份申请表替代各事项的申请表，在线填写"
                merged.append(entry)
                if m.kind:
                    by_kind[m.kind] = entry
            elif _RANK.get(m.necessity, 0) < _RANK.get(entry.necessity, 0):
                entry.necessity = m.necessity
            if entry is not None and entry.kind != FORM_KIND and entry.id != m.id:
                entry.copies = max(entry.copies, m.copies)
                entry.forms = list(dict.fromkeys([*entry.forms, *m.forms]))
            entry.members.append((item_code, m.id))
    return merged


def member_map(merged: list[MergedMaterial]) -> dict[int, MergedMaterial]:
    """Every id a citizen may use for a merged material: the merged id and each member's own id."""
    ids: dict[int, MergedMaterial] = {}
    for entry in merged:
        ids[entry.id] = entry
        for _, material_id in entry.members:
            ids.setdefault(material_id, entry)
    return ids
