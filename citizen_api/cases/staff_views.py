"""Rendering cases for the staff: the inbox row (masked name, working days left) and the parts of the
detail only staff see (the version's materials table beside the files, the timeline's actors)."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.cases import agency, hooks, views
from citizen_api.cases.models import Application, ApplicationMaterial
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.schemas_staff import (
    StaffCaseSummary,
    StaffMaterialFile,
    StaffMaterialRow,
    StaffPointConsent,
    StaffTimelineActor,
    StaffTimelineEntry,
)
from citizen_api.cases.transitions import OPEN, STATUS_TEXT
from citizen_api.catalog import service as catalog
from citizen_api.http.schemas import Overlay
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_name
from citizen_api.security.principal import CITIZEN, STAFF_ACCOUNT_ROLES
from citizen_api.uploads import service as uploads
from citizen_api.uploads.schemas import UploadPreview
from citizen_api.users import service as users
from citizen_api.workdays import service as workdays

CITIZEN_NAME = "申请人"
AGENT_NAME = "代办人"  # a citizen acting for the applicant under an authorisation (cases/agency.py)
SYSTEM_NAME = "系统"


async def working_days_left(case: Application, today: date) -> int | None:
    """Working days until the deadline (negative once past it) while the clock runs; while suspended,
    the days that were left when it stopped. None without a running clock or on an unknown calendar."""
    if case.deadline is None or case.status not in ("accepted", "suspended"):
        return None
    start = case.suspended_on if case.status == "suspended" and case.suspended_on else today
    if case.deadline >= start:
        left, uncertain = await workdays.working_days_between(start, case.deadline)
    else:
        over, uncertain = await workdays.working_days_between(case.deadline, start)
        left = -over
    return None if uncertain else left


async def summaries(cases: list[Application], settings) -> list[StaffCaseSummary]:
    today = clock.today()
    cipher = cipher_for(settings)
    rows = []
    for case in cases:
        rows.append(
            StaffCaseSummary.model_validate(
                Overlay(
                    case,
                    **views.brief(case, today),
                    missing_count=len(case.missing or []),
                    missing_overdue=views.missing_overdue(case, today),
                    applicant_name=mask_name(cipher.decrypt(case.applicant_name_enc)),
                    working_days_left=await working_days_left(case, today),
                )
            )
        )
    return rows


async def _actor_names(entries) -> dict[int, str]:
    names: dict[int, str] = {}
    for actor_id in {e.actor_id for e in entries if e.actor_id and e.actor_role in STAFF_ACCOUNT_ROLES}:
        account = await users.staff_account(actor_id)
        if account is not None:
            names[actor_id] = account.display_name or account.username or ""
    return names


def _actor(entry, names: dict[int, str], case: Application) -> StaffTimelineActor:
    if entry.actor_role == CITIZEN:
        name = AGENT_NAME if agency.filed_for_applicant(case, entry.actor_id) else CITIZEN_NAME
        return StaffTimelineActor(role=CITIZEN, name=name)
    if entry.actor_role in STAFF_ACCOUNT_ROLES:
        return StaffTimelineActor(role=entry.actor_role, name=names.get(entry.actor_id) or entry.actor_role)
    return StaffTimelineActor(role="system", name=SYSTEM_NAME)


async def timeline(case: Application) -> list[StaffTimelineEntry]:
    entries = await repo.timeline(case.id)
    names = await _actor_names(entries)
    return [
        StaffTimelineEntry.model_validate(
            Overlay(
                entry,
                status_text=STATUS_TEXT.get(entry.to_status, entry.to_status),
                actor=_actor(entry, names, case),
            )
        )
        for entry in entries
    ]


def _files(rows: list[ApplicationMaterial], links: dict[int, UploadPreview]) -> list[StaffMaterialFile]:
    latest = max((row.batch for row in rows), default=0)
    return [
        StaffMaterialFile(
            upload_id=row.upload_id,
            filename=row.upload.filename,
            content_type=row.upload.content_type,
            size=row.upload.size,
            uploaded_at=row.upload.created_at,
            replaced=row.batch < latest,  # a later supplement handed in this material again
            preview_url=links[row.upload_id].url,
            preview_expires_at=links[row.upload_id].expires_at,
        )
        for row in sorted(rows, key=lambda r: (r.batch, r.id))
    ]


async def materials_table(case: Application, settings) -> tuple[list[StaffMaterialRow], list[int]]:
    """The materials of the version the case was filed under, each with its files; and the upload
    ids that got a preview link (for the audit record)."""
    table = await catalog.version_materials(case.item_version_id)
    handed_in: dict[int, list[ApplicationMaterial]] = {}
    for row in await repo.submitted_materials(case.id):
        handed_in.setdefault(row.material_id, []).append(row)
    upload_ids = [row.upload_id for rows in handed_in.values() for row in rows]
    links = uploads.preview_links(upload_ids, settings)
    owed = set(case.missing or [])
    due = case.missing_due if case.status in OPEN else None
    by_licence = await hooks.material_sources(case, settings)  # issue 17: e-licences used instead
    rows = [
        StaffMaterialRow(
            material_id=m.id,
            name=m.name,
            requirement=m.necessity if m.necessity in ("required", "tolerated") else "optional",
            form="、".join(m.forms or []),
            copies=m.copies,
            note=m.notes,
            missing=m.id in owed,
            due=due if m.id in owed else None,
            files=_files(handed_in.get(m.id, []), links),
            licence=by_licence.get(m.id),
        )
        for m in table
    ]
    return rows, list(dict.fromkeys(upload_ids))


async def point_consent(case: Application, settings) -> StaffPointConsent | None:
    """村级代办: the villager's signed consent (the points domain keeps it), with a preview link of the
    signature image; None for every other case."""
    if case.filed_by != "village_agent":
        return None
    found = await hooks.point_consent(case)
    if found is None:
        return None
    link = uploads.preview_links([found["signature_upload_id"]], settings)[found["signature_upload_id"]]
    return StaffPointConsent(**found, signature_url=link.url, signature_expires_at=link.expires_at)
