"""Every query of the licences domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from citizen_api.licences.models import CaseForm, Licence, LicenceConsent


async def licence_of_case(application_id: int) -> Licence | None:
    return await Licence.get_or_none(application_id=application_id)


async def create_licence(**values: Any) -> Licence:
    return await Licence.create(**values)


async def licence_by_id(licence_id: int) -> Licence | None:
    return await Licence.get_or_none(id=licence_id)


async def held_licence(licence_id: int, holder_index: str) -> Licence | None:
    return await Licence.get_or_none(id=licence_id, holder_index=holder_index)


async def held_licences(holder_index: str, ids: Iterable[int]) -> dict[int, Licence]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    return {lic.id: lic for lic in await Licence.filter(holder_index=holder_index, id__in=wanted)}


async def page_of_holder(holder_index: str, offset: int, limit: int) -> tuple[int, list[Licence]]:
    query = Licence.filter(holder_index=holder_index)
    return await query.count(), await query.order_by("-issued_at", "-id").offset(offset).limit(limit)


async def all_of_holder(holder_index: str, limit: int = 200) -> list[Licence]:
    return await Licence.filter(holder_index=holder_index).order_by("-issued_at", "-id").limit(limit)


async def add_consents(rows: list[dict[str, Any]]) -> None:
    if rows:
        await LicenceConsent.bulk_create([LicenceConsent(**row) for row in rows])


async def consents_of_case(application_id: int) -> list[LicenceConsent]:
    return await LicenceConsent.filter(application_id=application_id).prefetch_related("licence")


async def page_of_consents(user_id: int, offset: int, limit: int) -> tuple[int, list[LicenceConsent]]:
    query = LicenceConsent.filter(user_id=user_id)
    total = await query.count()
    rows = await query.order_by("-granted_at", "-id").offset(offset).limit(limit).prefetch_related("licence")
    return total, rows


async def consent_of_user(consent_id: int, user_id: int) -> LicenceConsent | None:
    return await LicenceConsent.filter(id=consent_id, user_id=user_id).prefetch_related("licence").first()


async def revoke_consent(consent_id: int, at: datetime) -> bool:
    """One conditional UPDATE: False when it was revoked already (twice at once: one wins)."""
    return bool(await LicenceConsent.filter(id=consent_id, revoked_at__isnull=True).update(revoked_at=at))


async def create_form(**values: Any) -> CaseForm:
    return await CaseForm.create(**values)


async def form_of_case(application_id: int) -> CaseForm | None:
    return await CaseForm.get_or_none(application_id=application_id)


async def recent_forms(applicant_id: int, limit: int = 20) -> list[CaseForm]:
    return await CaseForm.filter(applicant_id=applicant_id).order_by("-created_at", "-id").limit(limit)
