"""Issuing the e-licence of an approved case (the cases domain's ``on_approve`` hook).

Runs in the approval's unit of work: the licence exists exactly when the approval committed.
"""

from __future__ import annotations

import json

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import service as cases
from citizen_api.catalog import service as catalog
from citizen_api.licences import numbers
from citizen_api.licences import repository as repo
from citizen_api.security.crypto import cipher_for

BUSINESS_LICENCE = "business_licence"


async def _subject_name(case, cipher) -> str | None:
    """The company (or shop) name the applicant wrote on the case's form, if it asked for one."""
    form = await repo.form_of_case(case.id)
    if form is None:
        return None
    values = json.loads(cipher.decrypt(form.values_enc) or "{}")
    return values.get("company_name") or None


async def case_subject(case, settings) -> dict[str, str]:
    """The business a decided case was for, as the public may see it (许可公示): the company name and
    credit code from the case's form, else from the licence it issued, and that licence's number.
    Empty when the form named no company (a natural person's case: nothing of it is published)."""
    cipher = cipher_for(settings)
    form = await repo.form_of_case(case.id)
    values = json.loads(cipher.decrypt(form.values_enc) or "{}") if form is not None else {}
    licence = await repo.licence_of_case(case.id)
    company = values.get("company_name") or (licence.subject_name if licence else None) or ""
    if not company:
        return {}
    credit = values.get("credit_code") or (licence.credit_code if licence else None) or ""
    return {"company": company, "credit_code": credit, "licence_number": licence.number if licence else ""}


async def issue_licence(case, actor, settings) -> None:
    forms = await catalog.version_forms(case.item_version_id)
    kind = catalog.licence_type(forms.issues_licence) if forms.issues_licence else None
    if kind is None or await repo.licence_of_case(case.id) is not None:
        return
    cipher = cipher_for(settings)
    id_number = cipher.decrypt(case.applicant_id_number_enc) or ""
    today = clock.today()
    issuer = (await catalog.department_names()).get(case.department_code, case.department_code)
    credit_code = None
    if kind.code == BUSINESS_LICENCE:
        # 个体工商户 are natural persons' licences; the rest are companies' (cooperatives alike)
        individual = "个体" in (case.item_name or "")
        credit_code = numbers.credit_code(case.id, individual)
    licence = await repo.create_licence(
        licence_type=kind.code,
        type_name=kind.name,
        number=credit_code or numbers.licence_number(kind.prefix, case.number),
        holder_index=cipher.blind_index(id_number),
        holder_user_id=case.applicant_id,
        holder_name_enc=case.applicant_name_enc,
        subject_name=await _subject_name(case, cipher),
        credit_code=credit_code,
        issuer_code=case.department_code,
        issuer_name=issuer,
        valid_from=today,
        valid_until=numbers.valid_until(today, kind.validity_years),
        application_id=case.id,
        case_number=case.number,
        item_code=case.item_code,
        issued_at=clock.now(),
    )
    await cases.add_timeline_note(case, f"已核发电子证照：{kind.name}（{licence.number}）", kind="note")
    await audit.record(
        actor,
        "licence.issue",
        "licence",
        licence.id,
        {"number": licence.number, "type": kind.code, "case": case.number},
    )
