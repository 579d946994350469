"""Appointment test helpers: a hall made directly with the models, citizens and staff with tokens.

Tokens are minted directly (no WeChat round trip). The fixtures are in ``appointments_plugin``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime

import httpx

from citizen_api import clock
from citizen_api.appointments.models import HOLIDAY_TEMPLATE, Office, ScheduleTemplate, WindowGroup
from citizen_api.catalog.models import Department, ServiceItem
from citizen_api.security.crypto import cipher_for
from citizen_api.security.principal import Principal
from citizen_api.security.tokens import issue_access_token
from citizen_api.settings import Settings
from citizen_api.users.models import User

WEEKDAY_PERIODS = [
    {"start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 3},
    {"start": "13:30", "end": "17:00", "slot_minutes": 30, "capacity": 3},
]
HOLIDAY_PERIODS = [{"start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 1}]

# Monday 2026-09-28, 09:00 in Beijing: 国庆 (10-01 … 10-07) and the 调休 Saturday 10-10 ahead
MONDAY_BEFORE_NATIONAL_DAY = datetime(2026, 9, 28, 9, 0, tzinfo=clock.CST)


@dataclass
class Hall:
    department: Department
    item: ServiceItem
    office: Office
    group: WindowGroup


_codes = itertools.count(1)


async def make_item(department: Department, code: str | None = None, bookable: bool = True) -> ServiceItem:
    number = next(_codes)
    return await ServiceItem.create(
        code=code or f"{department.code}-ITEM-{number}",
        basic_code=f"{number:012d}",
        department=department,
        is_published=True,
        name=f"测试事项{number}",
        bookable=bookable,
    )


async def make_hall(
    *,
    department_code: str = "GA",
    prefix: str = "A",
    weekday_periods: list[dict] | None = None,
    holiday_periods: list[dict] | None = None,
) -> Hall:
    department, _ = await Department.get_or_create(code=department_code, defaults={"name": "公安局"})
    item = await make_item(department)
    office, _ = await Office.get_or_create(code="SMZX", defaults={"name": "市民中心政务服务大厅"})
    group = await WindowGroup.create(
        office=office,
        code=f"G-{prefix}",
        name=f"{prefix}区窗口",
        prefix=prefix,
        department_code=department_code,
    )
    await group.items.add(item)
    for day in ("mon", "tue", "wed", "thu", "fri"):
        await ScheduleTemplate.create(group=group, day=day, periods=weekday_periods or WEEKDAY_PERIODS)
    await ScheduleTemplate.create(
        group=group, day=HOLIDAY_TEMPLATE, periods=holiday_periods or HOLIDAY_PERIODS
    )
    return Hall(department, item, office, group)


def bearer(settings: Settings, user_id: int, role: str = "citizen", department: str | None = None) -> dict:
    # minted on the wall clock: PyJWT refuses an ``iat`` later than the real now, and these tests
    # may move the service clock past it (the long lifetime keeps the token valid for the service)
    saved = clock._fixed, clock._offset
    clock.reset()
    try:
        token = issue_access_token(Principal(user_id, role, department), settings)
    finally:
        clock._fixed, clock._offset = saved
    return {"Authorization": f"Bearer {token}"}


_id_numbers = itertools.count(1)


def real_name(settings: Settings, id_number: str | None = None) -> dict:
    """The encrypted profile fields of a citizen (booking needs a real-name profile); a fresh ID
    number unless one is given (two accounts of one person share it)."""
    cipher = cipher_for(settings)
    id_number = id_number or f"1101011990{next(_id_numbers):08d}"
    return {
        "name_enc": cipher.encrypt("张三"),
        "id_number_enc": cipher.encrypt(id_number),
        "id_number_index": cipher.blind_index(id_number),
        "phone_enc": cipher.encrypt("13800000000"),
        "phone_index": cipher.blind_index("13800000000"),
    }


async def citizen(
    settings: Settings, name: str, *, profile: bool = True, id_number: str | None = None
) -> tuple[int, dict]:
    fields = real_name(settings, id_number) if profile else {}
    user = await User.create(role="citizen", openid=f"openid-{name}", **fields)
    return user.id, bearer(settings, user.id)


async def citizens(settings: Settings, count: int, prefix: str = "c") -> list[dict]:
    users = [User(role="citizen", openid=f"openid-{prefix}-{i}", **real_name(settings)) for i in range(count)]
    await User.bulk_create(users)
    ids = (
        await User.filter(openid__startswith=f"openid-{prefix}-").order_by("id").values_list("id", flat=True)
    )
    return [bearer(settings, uid) for uid in ids]


async def staff(settings: Settings, username: str, role: str, department: str | None = "GA") -> dict:
    user = await User.create(role=role, username=username, department_code=department)
    return bearer(settings, user.id, role, department)


async def slots_on(client: httpx.AsyncClient, item_code: str, day: date) -> list[dict]:
    resp = await client.get(
        "/api/v1/appointments/slots", params={"item_code": item_code, "date": day.isoformat()}
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


async def book(client: httpx.AsyncClient, headers: dict, slot_id: int, item_code: str) -> httpx.Response:
    return await client.post(
        "/api/v1/appointments", json={"slot_id": slot_id, "item_code": item_code}, headers=headers
    )
