"""Using a licence for a case's material with the holder's consent (the cases domain's submission
hooks), showing it to the clerk, and revoking the consent.

POST /applications ``licences: {material_id: licence_id}`` is the consent: each pair is checked
(the citizen's own licence, of the type the material accepts, valid today), every problem named at
once; the filing then records one consent per pair (licence, case, material, time).
"""

from __future__ import annotations

from typing import Any

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import service as cases
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError, not_found
from citizen_api.http.validation import validation_error
from citizen_api.licences import holders, views
from citizen_api.licences import repository as repo
from citizen_api.licences.schemas import ConsentView
from citizen_api.security.principal import Principal

REVOKED_TEXT = "授权已撤回"
GRANTED_TEXT = "已授权使用电子证照"


def _unusable(problems: list[dict[str, Any]]) -> ApiError:
    # expired licences are a state conflict; a licence that is not the citizen's, or not what the
    # material takes, is a bad request (and never says whose licence an id is)
    status = 409 if all(p["reason"] == "expired" for p in problems) else 422
    return ApiError(
        status,
        "LICENCE_NOT_USABLE",
        "以下材料不能使用所选电子证照：" + "；".join(views.problem_text(p) for p in problems),
        {"problems": problems},
    )


async def _check_form(body, settings) -> None:
    if not body.form:
        return
    item = await catalog.published_item(body.item_code)
    asked = set((await catalog.version_forms(item.published_version_id)).form_fields)
    extra = [name for name in body.form if name not in asked]
    if extra:
        raise validation_error(
            {f"body.form.{name}": "该事项的申请表没有此字段" for name in extra}, "申请表字段不属于该事项"
        )


async def licence_materials(principal: Principal, body, table, settings) -> set[int]:
    """The materials the chosen licences satisfy (raises when any choice is not usable)."""
    await _check_form(body, settings)
    choices: dict[int, int] = getattr(body, "licences", None) or {}
    if not choices:
        return set()
    by_id = {m.id: m for m in table}
    unknown = [material_id for material_id in choices if material_id not in by_id]
    if unknown:
        raise validation_error(
            {f"body.licences.{m}": "不是该事项的申请材料" for m in unknown}, "所选材料不属于该事项"
        )
    index = await holders.holder_index(principal.user_id, settings)
    held = await repo.held_licences(index, choices.values()) if index else {}
    today = clock.today()
    problems = []
    for material_id, licence_id in choices.items():
        accepts = by_id[material_id].accepts_licence
        licence = held.get(licence_id)
        reason = None
        if not accepts:
            reason = "not_accepted"
        elif licence is None:
            reason = "not_found"
        elif licence.licence_type != accepts:
            reason = "wrong_type"
        elif licence.valid_until is not None and licence.valid_until < today:
            reason = "expired"
        if reason:
            problems.append({"material_id": material_id, "licence_id": licence_id, "reason": reason})
    if problems:
        raise _unusable(problems)
    return set(choices)


async def record_consents(case, body, principal: Principal, settings) -> None:
    """The filing's consents, one per (material, licence), and the audit record naming them."""
    choices: dict[int, int] = getattr(body, "licences", None) or {}
    if not choices:
        return
    names = await catalog.materials_by_id(choices)
    now = clock.now()
    await repo.add_consents(
        [
            {
                "licence_id": licence_id,
                "user_id": principal.user_id,
                "application_id": case.id,
                "case_number": case.number,
                "material_id": material_id,
                "material_name": names[material_id].name if material_id in names else "",
                "granted_at": now,
            }
            for material_id, licence_id in choices.items()
        ]
    )
    await audit.record(
        principal,
        "licence.consent",
        "application",
        case.id,
        {"number": case.number, "licences": {str(m): lic for m, lic in choices.items()}},
    )


async def shown_to_staff(case, settings) -> dict[int, dict[str, Any]]:
    """Per material, the licence used instead of files; after revocation only the status."""
    shown: dict[int, dict[str, Any]] = {}
    for consent in await repo.consents_of_case(case.id):
        entry: dict[str, Any] = {
            "status": "revoked" if consent.revoked_at else "granted",
            "status_text": REVOKED_TEXT if consent.revoked_at else GRANTED_TEXT,
            "consented_at": consent.granted_at,
            "revoked_at": consent.revoked_at,
        }
        if consent.revoked_at is None:
            licence = consent.licence
            entry.update(
                licence_type=licence.type_name,
                number=licence.number,
                issuer=licence.issuer_name,
                valid_from=licence.valid_from,
                valid_until=licence.valid_until,
            )
        shown[consent.material_id] = entry
    return shown


async def my_consents(principal: Principal, offset: int, limit: int) -> tuple[int, list[ConsentView]]:
    total, rows = await repo.page_of_consents(principal.user_id, offset, limit)
    return total, [views.consent(row) for row in rows]


async def revoke(principal: Principal, consent_id: int, request_id: str = "") -> ConsentView:
    consent = await repo.consent_of_user(consent_id, principal.user_id)
    if consent is None:
        raise not_found("未找到该授权")
    if consent.revoked_at is not None:
        raise ApiError(409, "CONSENT_ALREADY_REVOKED", "该授权已撤回")
    now = clock.now()
    if not await repo.revoke_consent(consent.id, now):
        raise ApiError(409, "CONSENT_ALREADY_REVOKED", "该授权已撤回")
    consent.revoked_at = now
    case = await cases.case_by_id(consent.application_id)
    await cases.add_timeline_note(
        case, f"申请人已撤回电子证照授权：{consent.material_name}（{REVOKED_TEXT}）", principal, kind="note"
    )
    await audit.record(
        principal,
        "licence.consent_revoke",
        "application",
        consent.application_id,
        {"number": consent.case_number, "consent": consent.id, "material": consent.material_id},
        request_id=request_id,
    )
    return views.consent(consent)
