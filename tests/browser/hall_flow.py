"""Data for the workbench flow: a hall with a window, a bookable item with a materials table, staff,
and a citizen who logs in through the WeChat simulator, books, uploads real files and submits.

Everything a user does goes through the HTTP API; only the catalog and the hall's furniture (an
office, a window group, a window) are created with the models, as the catalog's own tests do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from citizen_api import clock
from citizen_api.appointments.models import Window
from citizen_api.security.identity import id_check_char
from tests.appointments_fixtures import Hall, make_hall
from tests.cases_fixtures import Item, department, published_item
from tests.conftest import create_staff
from tests.delivery_fixtures import ADDRESS
from tests.uploads_fixtures import png, readable_pdf

PASSWORD = "correct-horse-9"
# an ordinary week: Monday the booking, Tuesday the hall day
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=clock.CST)
TUESDAY = datetime(2026, 11, 17, 9, 5, tzinfo=clock.CST)
PHOTO = "近期免冠照片"


def run_clock_from(moment: datetime) -> None:
    """The service clock runs from ``moment`` (it keeps ticking: the TV's calls get real times)."""
    clock.reset()
    clock.advance(moment - datetime.now(UTC))


@dataclass
class Setup:
    hall: Hall
    item: Item
    window: Window


async def hall_with_staff(web_server) -> Setup:
    """Hall SMZX, group A (公安局 GA) with window 5; clerk ``wangfang`` seated there by the admin;
    approver ``liqiang`` (GA); clerk ``zhaolei`` of 人社局 (RS)."""
    hall = await make_hall()
    item = await published_item("GA-HJ-001", name="户口迁移", promised_days=5)
    item.item.bookable = True
    await item.item.save()
    await hall.group.items.add(item.item)
    window = await Window.create(group=hall.group, number="5", name="5号窗口")
    await department("RS", "人社局")

    clerk = await create_staff("wangfang", "window", "GA", PASSWORD)
    await create_staff("liqiang", "approver", "GA", PASSWORD)
    await create_staff("zhaolei", "window", "RS", PASSWORD)
    await create_staff("admin1", "admin", None, PASSWORD)
    admin = await web_server.api.staff_headers("admin1", PASSWORD)
    seated = await web_server.client.put(
        f"/api/v1/staff/users/{clerk.id}/window", json={"window_id": window.id}, headers=admin
    )
    assert seated.status_code == 200, seated.text
    return Setup(hall, item, window)


async def citizen_headers(web_server, name: str = "alice") -> dict[str, str]:
    """A fresh login through the WeChat simulator (the same person each time)."""
    return await web_server.api.citizen_headers(name)


async def real_name(web_server, headers: dict[str, str], phone: str = "13812345678") -> None:
    base = "11010519900307123"
    body = {"name": "王小明", "id_number": base + id_check_char(base), "phone": phone}
    resp = await web_server.client.put("/api/v1/me/profile", json=body, headers=headers)
    assert resp.status_code == 200, resp.text


async def upload(web_server, headers: dict[str, str], name: str, content: bytes, kind: str) -> int:
    resp = await web_server.client.post(
        "/api/v1/uploads", files={"file": (name, content, kind)}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def files_for(web_server, headers, item: Item, names: list[str]) -> dict[str, list[int]]:
    """One real file per material: the photo a PNG (an <img> preview), the rest PDFs (an <iframe>)."""
    out = {}
    for position, name in enumerate(names):
        if name == PHOTO:
            upload_id = await upload(web_server, headers, "photo.png", png(position), "image/png")
        else:
            upload_id = await upload(
                web_server,
                headers,
                f"scan-{position}.pdf",
                readable_pdf(f"scan {position}"),
                "application/pdf",
            )
        out[str(item.material(name).id)] = [upload_id]
    return out


async def book_and_submit(web_server, setup: Setup) -> tuple[dict, dict]:
    """Monday: the citizen books Tuesday 09:00 and submits the application online (with a postal
    address for the result). Returns (booking, case)."""
    run_clock_from(MONDAY)
    headers = await citizen_headers(web_server)
    await real_name(web_server, headers)
    code = setup.item.code
    slots = await web_server.client.get(
        "/api/v1/appointments/slots", params={"item_code": code, "date": TUESDAY.date().isoformat()}
    )
    assert slots.status_code == 200, slots.text
    booked = await web_server.client.post(
        "/api/v1/appointments", json={"slot_id": slots.json()[0]["id"], "item_code": code}, headers=headers
    )
    assert booked.status_code == 201, booked.text
    booking = (
        await web_server.client.get(f"/api/v1/appointments/{booked.json()['id']}", headers=headers)
    ).json()

    names = [m.name for m in setup.item.materials if m.necessity != "optional"]
    materials = await files_for(web_server, headers, setup.item, names)
    submitted = await web_server.client.post(
        "/api/v1/applications",
        json={"item_code": code, "materials": materials, "delivery": ADDRESS},
        headers=headers,
    )
    assert submitted.status_code == 201, submitted.text
    return booking, submitted.json()


async def supplement(web_server, setup: Setup, case_id: int, names: list[str]) -> None:
    headers = await citizen_headers(web_server)
    materials = await files_for(web_server, headers, setup.item, names)
    resp = await web_server.client.post(
        f"/api/v1/applications/{case_id}/supplement", json={"materials": materials}, headers=headers
    )
    assert resp.status_code == 200, resp.text


def days_later(days: int) -> None:
    clock.advance(timedelta(days=days))
