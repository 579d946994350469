"""Every query of the bundles domain (definitions and filings)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from citizen_api.bundles.models import Bundle, BundleApplication

# -- definitions


async def list_bundles(*, published_only: bool) -> list[Bundle]:
    query = Bundle.all()
    if published_only:
        query = query.filter(status="published")
    return await query.order_by("sort", "id")


async def bundle_by_code(code: str) -> Bundle | None:
    return await Bundle.get_or_none(code=code)


async def create_bundle(**values: Any) -> Bundle:
    return await Bundle.create(**values)


async def update_bundle(bundle: Bundle, **values: Any) -> Bundle:
    for name, value in values.items():
        setattr(bundle, name, value)
    await bundle.save()
    return bundle


async def bundle_count() -> int:
    return await Bundle.filter(status="published").count()


# -- filings


async def create_application(**values: Any) -> BundleApplication:
    return await BundleApplication.create(**values)


async def application_of_citizen(application_id: int, user_id: int) -> BundleApplication | None:
    return await BundleApplication.get_or_none(application_id=application_id, applicant_id=user_id)


async def application_by_id(application_id: int, *, lock: bool = False) -> BundleApplication | None:
    query = BundleApplication.filter(application_id=application_id)
    if lock:
        query = query.select_for_update()
    return await query.first()


async def citizen_applications(user_id: int, status: str | None, limit: int) -> list[BundleApplication]:
    query = BundleApplication.filter(applicant_id=user_id)
    if status:
        query = query.filter(status=status)
    return await query.order_by("-submitted_at", "-id").limit(limit)


async def set_status(application_id: int, **values: Any) -> None:
    await BundleApplication.filter(application_id=application_id).update(**values)


async def application_counts(lo, hi) -> tuple[int, int]:
    """(filed in [lo, hi), of which done): the 一件事 line of the statistics."""
    query = BundleApplication.filter(submitted_at__gte=lo, submitted_at__lt=hi)
    return await query.count(), await query.filter(done_at__isnull=False).count()


async def applications_by_id(ids: Iterable[int]) -> dict[int, BundleApplication]:
    ids = list(set(ids))
    found = await BundleApplication.filter(application_id__in=ids) if ids else []
    return {a.application_id: a for a in found}


async def bundle_by_id(bundle_id: int) -> Bundle | None:
    return await Bundle.get_or_none(id=bundle_id)
