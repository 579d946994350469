"""Test data for cases: a department, a published item with its materials table, uploads, people.

Catalog rows are created directly with the models (the catalog's own API is tested elsewhere);
citizens and staff go through the real API (login, profile) so tokens and profiles are real.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from citizen_api import clock
from citizen_api.catalog.models import Department, ItemVersion, Material, ServiceItem
from citizen_api.uploads.models import Upload

CST_MORNING = (10, 0)

# (name, necessity, kind)
DEFAULT_MATERIALS = [
    ("居民身份证", "required", "id_card"),
    ("户口簿", "required", "household_register"),
    ("近期免冠照片", "tolerated", "photo"),
    ("结婚证", "tolerated", "marriage_certificate"),
    ("其他说明材料", "optional", ""),
]


@dataclass
class Item:
    item: ServiceItem
    version: ItemVersion
    materials: list[Material]

    @property
    def code(self) -> str:
        return self.item.code

    def material(self, name: str) -> Material:
        return next(m for m in self.materials if m.name == name)

    def by_necessity(self, necessity: str) -> list[Material]:
        return [m for m in self.materials if m.necessity == necessity]


async def department(code: str = "GA", name: str = "公安局") -> Department:
    found = await Department.get_or_none(code=code)
    return found or await Department.create(code=code, name=name)


async def published_item(
    code: str = "GA-HJ-001",
    *,
    dept: str = "GA",
    name: str = "户口迁移",
    promised_days: int = 5,
    statutory_days: int = 20,
    visits: int = 0,
    materials: list[tuple[str, str, str]] | None = None,
    deliverable: bool = True,
) -> Item:
    department_row = await department(dept, {"GA": "公安局", "RS": "人社局"}.get(dept, dept))
    item = await ServiceItem.create(
        code=code,
        basic_code="000000000000",
        department=department_row,
        name=name,
        trips=visits,
        online=True,
        promised_days=promised_days,
        statutory_days=statutory_days,
        deliverable=deliverable,
    )
    version = await ItemVersion.create(
        item=item,
        version=1,
        status="published",
        name=name,
        item_type="公共服务",
        statutory_days=statutory_days,
        promised_days=promised_days,
        visits=visits,
        online=True,
        deliverable=deliverable,
        published_at=clock.now(),
    )
    rows = []
    for position, (material_name, necessity, kind) in enumerate(materials or DEFAULT_MATERIALS):
        rows.append(
            await Material.create(
                version=version, position=position, name=material_name, necessity=necessity, kind=kind
            )
        )
    item.published_version_id = version.id
    item.is_published = True
    await item.save()
    return Item(item, version, rows)


async def upload(owner_id: int, size: int = 1024, filename: str = "scan.pdf") -> Upload:
    data = secrets.token_bytes(16)
    return await Upload.create(
        owner_id=owner_id,
        filename=filename,
        storage_key=secrets.token_hex(16),
        content_type="application/pdf",
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


@dataclass
class Citizen:
    user_id: int
    headers: dict[str, str]
    phone: str
    uploads: list[Upload] = field(default_factory=list)


ID_NUMBERS = ["110105199003071239", "11010519491231002X", "440308198801010012"]


async def citizen(api, client, name: str = "alice", phone: str = "13812345678", id_index: int = 0) -> Citizen:
    """A logged-in citizen with a complete profile (name, ID number, phone)."""
    from citizen_api.security.identity import id_check_char

    login = await api.login_citizen(name)
    headers = {"Authorization": f"Bearer {login['access_token']}"}
    base = ID_NUMBERS[id_index % len(ID_NUMBERS)][:17]
    resp = await client.put(
        "/api/v1/me/profile",
        json={"name": "张三丰", "id_number": base + id_check_char(base), "phone": phone},
        headers=headers,
    )
    assert resp.status_code == 200, resp.text
    return Citizen(login["user"]["id"], headers, phone)


async def full_materials(person: Citizen, item: Item, *, skip: tuple[str, ...] = ()) -> dict[str, list[int]]:
    """One fresh upload per required and tolerated material (except ``skip``), as the API expects."""
    body = {}
    for material in item.materials:
        if material.necessity == "optional" or material.name in skip:
            continue
        row = await upload(person.user_id)
        person.uploads.append(row)
        body[str(material.id)] = [row.id]
    return body


async def submit(client, person: Citizen, item: Item, **extra) -> dict:
    materials = extra.pop("materials", None)
    if materials is None:
        materials = await full_materials(person, item)
    resp = await client.post(
        "/api/v1/applications",
        json={"item_code": item.code, "materials": materials, **extra},
        headers=person.headers,
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


async def staff(settings, username: str, role: str, department_code: str | None = "GA") -> dict[str, str]:
    """A staff member and a bearer token for them (login itself is tested in test_auth; argon2
    hashing for every clerk of every test would only slow the suite down)."""
    from citizen_api.security.principal import Principal
    from citizen_api.security.tokens import issue_access_token
    from citizen_api.users.repository import create_staff as create_staff_row

    department = department_code if role in ("window", "approver") else None
    user = await create_staff_row(username, "!unusable", role, department)
    token = issue_access_token(Principal(user.id, role, department), settings)
    return {"Authorization": f"Bearer {token}"}


# tests move the clock by weeks: tokens must outlive the jumps
LONG_TOKENS = {"access_token_ttl_seconds": 400 * 24 * 3600}


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A moment in China time, for clock.set_now."""
    return datetime(year, month, day, hour, 0, tzinfo=clock.CST)


async def act(client, headers, case_id: int, action: str, body: dict | None = None):
    return await client.post(
        f"/api/v1/staff/applications/{case_id}/{action}", json=body or {}, headers=headers
    )
