"""表单预填: an item's form fields with values from the citizen's own data, each with its source;
and the form as filed.

Sources, first found wins: the real-name profile (users), the wallet (the newest valid licence
that carries the field, e.g. company_name / credit_code of a 营业执照), then the citizen's earlier
forms, newest first. Only the citizen's own data is read. The answer is a proposal: the citizen
confirms or edits it and sends ``form`` with the application, which is stored exactly as sent —
the server never fills a submitted form itself.
"""

from __future__ import annotations

import json

from citizen_api import clock
from citizen_api.audit import service as audit
from citizen_api.cases import service as cases
from citizen_api.catalog import service as catalog
from citizen_api.errors import not_found
from citizen_api.licences import holders, views
from citizen_api.licences import repository as repo
from citizen_api.licences.models import CaseForm, Licence
from citizen_api.licences.schemas import (
    CaseFormView,
    FormValueView,
    PrefillField,
    PrefillSource,
    PrefillView,
)
from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_id_number, mask_phone
from citizen_api.security.principal import Principal
from citizen_api.users import service as users

PROFILE_FIELDS = ("name", "id_number", "phone")


def _licence_values(licence: Licence) -> dict[str, str]:
    values = {"company_name": licence.subject_name, "credit_code": licence.credit_code}
    return {k: v for k, v in values.items() if v}


def _form_values(form: CaseForm, cipher) -> dict[str, str]:
    return json.loads(cipher.decrypt(form.values_enc) or "{}")


async def prefill(principal: Principal, item_code: str, settings) -> PrefillView:
    item = await catalog.published_item(item_code)
    wanted = (await catalog.version_forms(item.published_version_id)).form_fields
    dictionary = catalog.form_fields()
    cipher = cipher_for(settings)
    found: dict[str, tuple[str, PrefillSource]] = {}

    def offer(values: dict[str, str], source: PrefillSource) -> None:
        for name, value in values.items():
            if name in wanted and name not in found and value:
                found[name] = (value, source)

    applicant = await users.applicant(principal.user_id, settings)
    profile = applicant.profile if applicant else {}
    offer({k: profile.get(k) or "" for k in PROFILE_FIELDS}, PrefillSource(kind="profile", label="实名信息"))
    index = await holders.holder_index(principal.user_id, settings)
    today = clock.today()
    for licence in await repo.all_of_holder(index) if index else []:
        if views.is_valid(licence, today):
            label = f"{licence.type_name} {licence.number}"
            offer(_licence_values(licence), PrefillSource(kind="licence", label=label))
    for form in await repo.recent_forms(principal.user_id):
        label = f"办件 {await _case_number(form)}"
        offer(_form_values(form, cipher), PrefillSource(kind="case", label=label))
    fields = []
    for name in wanted:
        value, source = found.get(name, (None, None))
        label = dictionary[name].label if name in dictionary else name
        fields.append(PrefillField(field=name, label=label, value=value, source=source))
    return PrefillView(item_code=item.code, fields=fields)


async def _case_number(form: CaseForm) -> str:
    numbers = await cases.case_numbers([form.application_id])
    return numbers.get(form.application_id, "")


async def record_form(case, body, principal: Principal, settings) -> None:
    """The form exactly as sent (nothing added, nothing derived)."""
    form: dict[str, str] = getattr(body, "form", None) or {}
    if not form:
        return
    await repo.create_form(
        application_id=case.id,
        applicant_id=case.applicant_id,
        item_code=case.item_code,
        field_names=list(form),
        values_enc=cipher_for(settings).encrypt(json.dumps(form, ensure_ascii=False)),
        created_at=clock.now(),
    )


def _view(form: CaseForm, settings, *, masked: bool) -> CaseFormView:
    values = _form_values(form, cipher_for(settings))
    dictionary = catalog.form_fields()
    maskers = {"id_number": mask_id_number, "phone": mask_phone}
    rows = []
    for name in form.field_names:
        value = values.get(name, "")
        spec = dictionary.get(name)
        if masked and spec is not None and spec.personal:
            value = (maskers.get(name) or _mask_rest)(value) or ""
        rows.append(FormValueView(field=name, label=spec.label if spec else name, value=value))
    return CaseFormView(application_id=form.application_id, item_code=form.item_code, fields=rows)


def _mask_rest(value: str) -> str:
    return value[:3] + "*" * max(0, len(value) - 3) if value else value


async def my_case_form(principal: Principal, case_id: int, settings) -> CaseFormView:
    case = await cases.citizen_case(case_id, principal.user_id)
    form = await repo.form_of_case(case.id) if case is not None else None
    if form is None:
        raise not_found("未找到该办件的申请表")
    return _view(form, settings, masked=False)


async def staff_case_form(principal: Principal, case_id: int, settings, request_id: str = "") -> CaseFormView:
    """The form of a case in the clerk's scope, personal fields masked like the rest of the detail."""
    case = (await cases.cases_by_id([case_id])).get(case_id)
    if case is None or not principal.may_see_department(case.department_code):
        raise not_found("未找到该办件")
    form = await repo.form_of_case(case.id)
    if form is None:
        raise not_found("该办件没有在线填写的申请表")
    await audit.record(
        principal, "case.read_form", "application", case.id, {"number": case.number}, request_id=request_id
    )
    return _view(form, settings, masked=True)
