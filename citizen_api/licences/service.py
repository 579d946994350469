"""The licences domain's public API: the wallet, consents, verification codes, pre-fill, and the
hooks the composition root registers on the cases domain (licences sits above cases).

- ``issue_licence``: ``cases.hooks.on_approve`` — an approved case whose item issues a licence;
- ``check_submission``: ``cases.hooks.on_submit_check`` — the chosen licences (and the form's fields);
- ``after_filing``: ``cases.hooks.on_submitted`` — the consents and the form, as sent;
- ``materials_shown_to_staff``: ``cases.hooks.on_material_sources`` — the clerk's materials table.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.errors import not_found
from citizen_api.http import Page
from citizen_api.licences import consents, holders, issuing, prefill, verification, views
from citizen_api.licences import repository as repo
from citizen_api.licences.schemas import LicenceCode, LicenceView
from citizen_api.security.principal import Principal

issue_licence = issuing.issue_licence
case_subject = issuing.case_subject  # 许可公示: the company a decided case was for
check_submission = consents.licence_materials
materials_shown_to_staff = consents.shown_to_staff
my_consents = consents.my_consents
revoke_consent = consents.revoke
prefill_for = prefill.prefill
my_case_form = prefill.my_case_form
staff_case_form = prefill.staff_case_form
verify_code = verification.verify


async def after_filing(case, body, principal: Principal, settings) -> None:
    await consents.record_consents(case, body, principal, settings)
    await prefill.record_form(case, body, principal, settings)


async def my_licences(principal: Principal, offset: int, limit: int, settings) -> Page:
    index = await holders.holder_index(principal.user_id, settings)
    if index is None:
        return Page(total=0, items=[])
    total, rows = await repo.page_of_holder(index, offset, limit)
    today = clock.today()
    return Page(total=total, items=[views.licence(row, settings, today) for row in rows])


async def _held(principal: Principal, licence_id: int, settings):
    index = await holders.holder_index(principal.user_id, settings)
    licence = await repo.held_licence(licence_id, index) if index else None
    if licence is None:
        raise not_found("未找到该证照")
    return licence


async def my_licence(principal: Principal, licence_id: int, settings) -> LicenceView:
    return views.licence(await _held(principal, licence_id, settings), settings, clock.today())


async def verification_code(principal: Principal, licence_id: int, settings) -> LicenceCode:
    """A code for the holder's own licence (an expired one verifies as ``valid: false``)."""
    licence = await _held(principal, licence_id, settings)
    return verification.issue(licence.id, settings)
