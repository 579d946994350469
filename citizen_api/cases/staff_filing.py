"""帮办: a window clerk files a case for a citizen at the hall; 村级代办: a village point's 代办员 files
one for a villager present at the point. Both go through :func:`_file_for_person`.

The citizen is named as their ID card shows; the users domain finds the account of that ID number
or opens one without WeChat (as 代约 does, ``appointments/staff_booking.py``). The case is the
citizen's like any other (their profile, their messages), filed in person (``channel = window``) with
``filed_by = staff_assisted`` (or ``village_agent``) and the staff member as the actor; the materials
are the staff member's scans. A clerk files only for the items of their own department; a village
agent for any published item, the case going to the item's department (the points domain checks the
point and records the villager's consent).
"""

from __future__ import annotations

from citizen_api.cases import agency, submission
from citizen_api.cases.schemas import CaseCreated, CaseSubmit
from citizen_api.cases.schemas_staff import StaffCaseFiling
from citizen_api.catalog import service as catalog
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.users import service as users


async def file_for_citizen(
    clerk: Principal, body: StaffCaseFiling, settings, request_id: str = ""
) -> CaseCreated:
    item = await catalog.published_item(body.item_code)
    if not clerk.sees_all_departments and item.department.code != clerk.department:
        raise ApiError(403, "FORBIDDEN", "只能为本部门的事项帮办申请")
    return await _file_for_person(clerk, body, settings, request_id, "staff_assisted")


async def file_at_point(
    agent: Principal, body: StaffCaseFiling, settings, request_id: str = ""
) -> CaseCreated:
    """A village point's 代办员 files for the villager present (the points domain checked the point)."""
    return await _file_for_person(agent, body, settings, request_id, "village_agent")


async def _file_for_person(
    actor: Principal, body: StaffCaseFiling, settings, request_id: str, filed_by: str
) -> CaseCreated:
    person = body.citizen
    citizen_id = await users.citizen_for_identity(person.name, person.id_number, person.phone, settings)
    filing = await agency.staff_filing(actor, citizen_id, settings, filed_by)
    case_body = CaseSubmit(
        item_code=body.item_code,
        materials=body.materials,
        tolerate_missing=body.tolerate_missing,
        delivery=body.delivery,
    )
    return await submission.submit(actor, case_body, settings, request_id, filing=filing)
