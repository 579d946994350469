"""适老化: a share of each slot is kept for staff booking for a citizen (代约); citizens cannot take it."""

from __future__ import annotations

from datetime import date

from citizen_api import clock
from citizen_api.appointments.models import Appointment, Slot
from citizen_api.audit.models import AuditLog
from citizen_api.users.models import User
from tests.appointments_fixtures import (
    MONDAY_BEFORE_NATIONAL_DAY,
    book,
    citizen,
    citizens,
    make_hall,
    slots_on,
    staff,
)
from tests.conftest import assert_error

pytest_plugins = ["tests.appointments_plugin"]  # appt_client, appt_settings

TUESDAY = date(2026, 9, 29)
TEN = [{"start": "09:00", "end": "10:00", "slot_minutes": 60, "capacity": 10}]
ELDER = {"name": "王秀英", "id_number": "110105194001010018", "phone": "13700001111"}


async def test_the_reserved_share_is_bookable_only_by_staff(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=TEN)  # 10 places, 10 % (1) kept for staff
    (slot,) = await slots_on(appt_client, hall.item.code, TUESDAY)
    assert (slot["capacity"], slot["remaining"]) == (9, 9)
    for headers in await citizens(appt_settings, 9):
        assert (await book(appt_client, headers, slot["id"], hall.item.code)).status_code == 201
    _, late = await citizen(appt_settings, "late")
    assert_error(await book(appt_client, late, slot["id"], hall.item.code), 409, "SLOT_FULL")
    assert (await slots_on(appt_client, hall.item.code, TUESDAY))[0]["remaining"] == 0
    assert (await Slot.get(id=slot["id"])).booked == 9

    clerk = await staff(appt_settings, "clerk", "window", "GA")
    body = {"slot_id": slot["id"], "item_code": hall.item.code, **ELDER}
    resp = await appt_client.post("/api/v1/staff/appointments", json=body, headers=clerk)
    assert resp.status_code == 201, resp.text
    booked = resp.json()
    assert booked["source"] == "staff" and booked["status"] == "booked"
    assert (await Slot.get(id=slot["id"])).booked == 10
    # the citizen's account was opened with their real name (no WeChat), and the booking audited
    appointment = await Appointment.get(id=booked["id"])
    elder = await User.get(id=appointment.user_id)
    assert elder.role == "citizen" and elder.openid is None and elder.id_number_index
    entry = await AuditLog.get(action="appointments.staff_book")
    assert entry.object_id == str(booked["id"]) and "110105194001010018" not in str(entry.details)

    # the slot is now full for staff too
    other = {**body, "name": "赵大爷", "id_number": "11010519491231002X", "phone": "13700002222"}
    assert_error(
        await appt_client.post("/api/v1/staff/appointments", json=other, headers=clerk), 409, "SLOT_FULL"
    )
    assert (await Slot.get(id=slot["id"])).booked == 10


async def test_staff_booking_checks_identity_and_scope(appt_client, appt_settings):
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=TEN)
    (slot,) = await slots_on(appt_client, hall.item.code, TUESDAY)
    url = "/api/v1/staff/appointments"
    clerk = await staff(appt_settings, "clerk", "window", "GA")
    bad = {"slot_id": slot["id"], "item_code": hall.item.code, **ELDER, "id_number": "110105194001010019"}
    assert_error(await appt_client.post(url, json=bad, headers=clerk), 422, "VALIDATION_ERROR")
    elsewhere = await staff(appt_settings, "tax-clerk", "window", "SW")
    body = {"slot_id": slot["id"], "item_code": hall.item.code, **ELDER}
    assert_error(await appt_client.post(url, json=body, headers=elsewhere), 404, "NOT_FOUND")
    _, someone = await citizen(appt_settings, "someone")
    assert_error(await appt_client.post(url, json=body, headers=someone), 403, "FORBIDDEN")
    first = await appt_client.post(url, json=body, headers=clerk)
    assert first.status_code == 201, first.text
    # one place per person and day, staff booking included, and the person's own WeChat account too
    assert_error(await appt_client.post(url, json=body, headers=clerk), 409, "ALREADY_BOOKED")
    _, wechat = await citizen(appt_settings, "elder-wechat", id_number=ELDER["id_number"])
    assert_error(await book(appt_client, wechat, slot["id"], hall.item.code), 409, "ALREADY_BOOKED")
    assert await User.filter(id_number_index__not_isnull=True, openid__isnull=True).count() == 1
