"""Test data for e-licences and pre-fill: items that issue a licence (their guide says so), items whose
materials accept one, citizens with real profiles, a clerk and an approver of the department.

Catalog rows are created with the models (the catalog's own API is tested elsewhere); everything a
citizen or clerk does goes through the real API."""

from __future__ import annotations

from dataclasses import dataclass

from citizen_api import clock
from citizen_api.catalog.models import ItemVersion, Material, ServiceItem
from tests import cases_fixtures as f
from tests.staff_cases_fixtures import person

ME = "/api/v1/me"
APPLY = "/api/v1/applications"


async def licence_item(
    code: str,
    name: str,
    *,
    dept: str = "SC",
    issues: str = "",
    form_fields: tuple[str, ...] = (),
    materials: list[tuple[str, str, str]] | None = None,  # (name, necessity, accepts_licence)
) -> f.Item:
    department = await f.department(dept, {"SC": "市场监管局", "GA": "公安局"}.get(dept, dept))
    item = await ServiceItem.create(
        code=code, basic_code="000000000000", department=department, name=name, online=True, promised_days=5
    )
    version = await ItemVersion.create(
        item=item,
        version=1,
        status="published",
        name=name,
        item_type="行政许可",
        statutory_days=20,
        promised_days=5,
        visits=0,
        online=True,
        deliverable=True,
        published_at=clock.now(),
        guide={"issues_licence": issues, "form_fields": list(form_fields)},
    )
    rows = [
        await Material.create(
            version=version, position=i, name=m_name, necessity=necessity, accepts_licence=accepts
        )
        for i, (m_name, necessity, accepts) in enumerate(materials or [("居民身份证", "required", "")])
    ]
    item.published_version_id = version.id
    item.is_published = True
    await item.save()
    return f.Item(item, version, rows)


@dataclass
class Desk:
    """The department's window clerk and approver."""

    window: dict[str, str]
    approver: dict[str, str]


async def desk(settings, dept: str = "SC") -> Desk:
    return Desk(
        await f.staff(settings, f"window-{dept.lower()}", "window", dept),
        await f.staff(settings, f"approver-{dept.lower()}", "approver", dept),
    )


async def alice(api, client, login: str = "alice") -> f.Citizen:
    return await person(api, client, login, "张三丰", "13812345678", id_index=0)


async def bob(api, client) -> f.Citizen:
    return await person(api, client, "bob", "李四光", "13900001111", id_index=1)


async def uploads_for(who: f.Citizen, item: f.Item, *, skip: tuple[str, ...] = ()) -> dict[str, list[int]]:
    return await f.full_materials(who, item, skip=skip)


async def approved(client, who: f.Citizen, item: f.Item, staff: Desk, **extra) -> dict:
    """File a case for ``item`` (every material uploaded unless given) and have it accepted and approved."""
    created = await f.submit(client, who, item, **extra)
    for headers, action in ((staff.window, "accept"), (staff.approver, "approve")):
        resp = await f.act(client, headers, created["id"], action)
        assert resp.status_code == 200, resp.text
    return created


async def wallet(client, who: f.Citizen) -> dict:
    resp = await client.get(f"{ME}/licences", headers=who.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()
