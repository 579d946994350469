"""A small hall for the staff case tests (tests/test_staff_cases_*.py): two departments, citizens
with their own names and phones, real uploads over the API, staff of each role."""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_api.security.identity import id_check_char
from tests import cases_fixtures as f
from tests import uploads_fixtures as files

LIST = "/api/v1/staff/applications"
ROLES = ("window", "approver", "supervisor", "admin")


async def person(api, client, login: str, name: str, phone: str, id_index: int = 0) -> f.Citizen:
    """A logged-in citizen whose real name and phone are ``name`` and ``phone``."""
    tokens = await api.login_citizen(login)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    base = f.ID_NUMBERS[id_index % len(f.ID_NUMBERS)][:17]
    resp = await client.put(
        "/api/v1/me/profile",
        json={"name": name, "id_number": base + id_check_char(base), "phone": phone},
        headers=headers,
    )
    assert resp.status_code == 200, resp.text
    return f.Citizen(tokens["user"]["id"], headers, phone)


async def upload(client, who: f.Citizen, name: str = "scan.png", content: bytes | None = None) -> int:
    """A real upload over the API (stored, sniffed), so previews serve real bytes."""
    resp = await client.post(
        "/api/v1/uploads",
        files={"file": (name, content if content is not None else files.png(), "application/octet-stream")},
        headers=who.headers,
    )
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def staff_of(settings, department: str, suffix: str = "") -> dict[str, dict[str, str]]:
    return {
        role: await f.staff(settings, f"{role}-{department.lower()}{suffix}", role, department)
        for role in ROLES
    }


@dataclass
class Hall:
    api: object
    client: object
    settings: object
    ga: f.Item | None = None
    rs: f.Item | None = None
    staff: dict[str, dict[str, str]] = field(default_factory=dict)  # GA's, and the supervisor
    rs_staff: dict[str, dict[str, str]] = field(default_factory=dict)

    async def setup(self) -> Hall:
        self.ga = await f.published_item()
        self.rs = await f.published_item("RS-SB-001", dept="RS", name="社保转移")
        self.staff = await staff_of(self.settings, "GA")
        self.rs_staff = await staff_of(self.settings, "RS")
        return self

    async def listing(self, headers, **params) -> dict:
        resp = await self.client.get(LIST, params=params, headers=headers)
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def numbers(self, headers, **params) -> list[str]:
        return [row["number"] for row in (await self.listing(headers, **params))["items"]]

    async def detail(self, headers, case_id: int) -> dict:
        resp = await self.client.get(f"{LIST}/{case_id}", headers=headers)
        assert resp.status_code == 200, resp.text
        return resp.json()

    async def act(self, role: str, case_id: int, action: str, body: dict | None = None, staff=None) -> dict:
        resp = await f.act(self.client, (staff or self.staff)[role], case_id, action, body)
        assert resp.status_code == 200, resp.text
        return resp.json()
