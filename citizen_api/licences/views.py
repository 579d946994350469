"""Rows → answers: the wallet's licences (the holder's name masked), consents, problems."""

from __future__ import annotations

from datetime import date
from typing import Any

from citizen_api.licences.models import Licence, LicenceConsent
from citizen_api.licences.schemas import ConsentView, LicenceView, VerifyResult
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_name

_REASONS = {
    "not_accepted": "该材料不能以电子证照代替",
    "not_found": "证照不存在或不是您本人的证照",
    "wrong_type": "证照类型与材料要求不符",
    "expired": "证照已过有效期",
}


def problem_text(problem: dict[str, Any]) -> str:
    return f"材料 {problem['material_id']}：{_REASONS[problem['reason']]}"


def is_valid(licence: Licence, today: date) -> bool:
    return licence.valid_from <= today and (licence.valid_until is None or today <= licence.valid_until)


def holder_name(licence: Licence, settings) -> str:
    return mask_name(cipher_for(settings).decrypt(licence.holder_name_enc)) or ""


def licence(row: Licence, settings, today: date) -> LicenceView:
    valid = is_valid(row, today)
    return LicenceView(
        id=row.id,
        licence_type=row.licence_type,
        type_name=row.type_name,
        number=row.number,
        holder=holder_name(row, settings),
        subject_name=row.subject_name,
        credit_code=row.credit_code,
        issuer=row.issuer_name,
        issuer_code=row.issuer_code,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        status="valid" if valid else "expired",
        status_text="有效" if valid else "已过期",
        case_number=row.case_number,
        item_code=row.item_code,
        result_upload_id=row.result_upload_id,
        issued_at=row.issued_at,
    )


def verified(row: Licence, settings, today: date) -> VerifyResult:
    return VerifyResult(
        valid=is_valid(row, today),
        licence_type=row.type_name,
        number=row.number,
        holder=holder_name(row, settings),
        issuer=row.issuer_name,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
    )


def consent(row: LicenceConsent) -> ConsentView:
    return ConsentView(
        id=row.id,
        licence_id=row.licence_id,
        licence_type=row.licence.type_name,
        licence_number=row.licence.number,
        application_id=row.application_id,
        case_number=row.case_number,
        material_id=row.material_id,
        material_name=row.material_name,
        granted_at=row.granted_at,
        revoked_at=row.revoked_at,
        status="revoked" if row.revoked_at else "granted",
        status_text="授权已撤回" if row.revoked_at else "已授权",
    )
