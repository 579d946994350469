"""Checking what a citizen hands in against the item version's materials table.

一次性告知: every missing material is named in one answer, never one per attempt.
容缺受理: with ``tolerate_missing``, materials marked ``tolerated`` may follow later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from citizen_api.catalog.schemas import CatalogMaterial as Material
from citizen_api.errors import ApiError
from citizen_api.http.validation import validation_error
from citizen_api.uploads import service as uploads


def _entry(material: Material) -> dict:
    return {"id": material.id, "name": material.name, "tolerable": material.necessity == "tolerated"}


def missing_error(missing: list[Material]) -> ApiError:
    names = "、".join(m.name for m in missing)
    if len(names) > 300:
        names = names[:300] + "……"
    return ApiError(
        422,
        "MATERIALS_MISSING",
        f"材料不齐，请一次补齐以下 {len(missing)} 项：{names}",
        {
            "missing": [_entry(m) for m in missing],
            # all of them 容缺: the citizen may resubmit with tolerate_missing
            "can_tolerate": all(m.necessity == "tolerated" for m in missing),
        },
    )


def split_missing(
    materials: Iterable[Material], provided: set[int], tolerate: bool
) -> tuple[list[Material], list[Material]]:
    """(blocking, tolerated): what stops the submission, and what may follow later (容缺)."""
    blocking, tolerated = [], []
    for material in materials:
        if material.necessity == "optional" or material.id in provided:
            continue
        if material.necessity == "tolerated" and tolerate:
            tolerated.append(material)
        else:
            blocking.append(material)
    return blocking, tolerated


def unknown_materials(requested: dict[int, list[int]], materials: Iterable[Material]) -> None:
    known = {m.id for m in materials}
    unknown = sorted(set(requested) - known)
    if unknown:
        raise validation_error(
            {f"body.materials.{material_id}": "不是该事项的申请材料" for material_id in unknown},
            "提交的材料不属于该事项",
        )


async def check_uploads(
    owner_id: int, requested: dict[int, list[int]], already_bytes: int, cap: int
) -> tuple[list[tuple[int, int]], int, list[int]]:
    """(material, upload) pairs, bytes added, upload ids — only the citizen's own uploads.

    An id that is not the citizen's answers exactly like one that does not exist (404).
    """
    return checked_uploads(requested, await owned_among(owner_id, requested), already_bytes, cap)


async def owned_among(owner_id: int, requested: dict[int, list[int]]) -> dict[int, Any]:
    """The owner's own uploads among those ``requested`` (by id), for :func:`checked_uploads`."""
    wanted = requested_uploads(requested)
    return {u.id: u for u in await uploads.owned_uploads(owner_id, wanted)} if wanted else {}


def requested_uploads(requested: dict[int, list[int]]) -> set[int]:
    return {upload_id for ids in requested.values() for upload_id in ids}


def checked_uploads(
    requested: dict[int, list[int]], owned: dict[int, Any], already_bytes: int, cap: int
) -> tuple[list[tuple[int, int]], int, list[int]]:
    """:func:`check_uploads` against ``owned`` (the owner's uploads among the ids, read once for several
    cases filed together)."""
    pairs = [
        (material_id, upload_id) for material_id, ids in requested.items() for upload_id in dict.fromkeys(ids)
    ]
    wanted = {upload_id for _, upload_id in pairs}
    absent = sorted(wanted - set(owned))
    if absent:
        raise ApiError(404, "NOT_FOUND", "所选文件不存在，请重新上传", {"upload_ids": absent})
    added = sum(owned[upload_id].size for upload_id in wanted)
    if already_bytes + added > cap:
        raise ApiError(
            422,
            "MATERIALS_TOO_LARGE",
            f"本件材料总大小超过上限（{cap // (1024 * 1024)} MB）",
            {"max_bytes": cap, "total_bytes": already_bytes + added},
        )
    return pairs, added, sorted(wanted)
