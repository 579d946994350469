"""Appointments: halls, window groups and their schedules, slots, bookings, waiting list, queue.

Quotas are counters changed by conditional UPDATEs (``booked < capacity``), never read-check-save,
and "one active booking per citizen per item per day" is a unique nullable ``active_key`` (NULL
once cancelled): the database refuses the second one even when two requests race.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.appointments.codes import new_check_in_code
from citizen_api.appointments.transitions import APPOINTMENTS, TICKETS, WAITLIST

# the day mode of a slot made from the holiday-service template (the other mode is "workday")
MODE_HOLIDAY = "holiday_service"

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY_TEMPLATE = "holiday_service"


class Office(Model):
    """A service hall (政务服务大厅)."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=100)
    address = fields.CharField(max_length=200, default="")
    phone = fields.CharField(max_length=32, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appt_offices"


class WindowGroup(Model):
    """Counters that serve the same items and share one queue (queue numbers A001, A002 …)."""

    id = fields.IntField(primary_key=True)
    office = fields.ForeignKeyField("models.Office", related_name="groups", on_delete=fields.RESTRICT)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=64)
    prefix = fields.CharField(max_length=4)  # queue-number prefix; walk-ins get prefix + "W"
    # staff of this department run the group's counters; NULL = a general (综合) group
    department_code = fields.CharField(max_length=32, null=True)
    items = fields.ManyToManyField(
        "models.ServiceItem", related_name="window_groups", through="appt_group_items"
    )
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appt_window_groups"
        unique_together = (("office", "prefix"),)


class Window(Model):
    """One counter (窗口) of a group."""

    id = fields.IntField(primary_key=True)
    group = fields.ForeignKeyField("models.WindowGroup", related_name="windows", on_delete=fields.CASCADE)
    number = fields.CharField(max_length=16)  # painted above the counter, e.g. "12"
    name = fields.CharField(max_length=64, default="")
    opens_on_holiday_service = fields.BooleanField(default=False)

    class Meta:
        table = "appt_windows"
        unique_together = (("group", "number"),)


class StaffWindow(Model):
    """The counter a staff account works at (its desk): set by an admin, one window per account."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(unique=True)
    window = fields.ForeignKeyField("models.Window", related_name="desks", on_delete=fields.CASCADE)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "appt_staff_windows"


class ScheduleTemplate(Model):
    """Opening periods of a group for one weekday (mon … sun) or for holiday-service days.

    ``periods``: ``[{"start": "09:00", "end": "12:00", "slot_minutes": 30, "capacity": 3}, …]``;
    the gap between two periods is the lunch break.
    """

    id = fields.IntField(primary_key=True)
    group = fields.ForeignKeyField("models.WindowGroup", related_name="templates", on_delete=fields.CASCADE)
    day = fields.CharField(max_length=16)  # mon … sun | holiday_service
    periods = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "appt_schedule_templates"
        unique_together = (("group", "day"),)


class Slot(Model):
    """A bookable time of one group on one date, made from a template (idempotently)."""

    id = fields.IntField(primary_key=True)
    group = fields.ForeignKeyField("models.WindowGroup", related_name="slots", on_delete=fields.RESTRICT)
    date = fields.DateField(db_index=True)  # local (Asia/Shanghai) date
    mode = fields.CharField(max_length=16)  # workday | holiday_service: the template it came from
    starts_at = fields.DatetimeField()  # UTC
    ends_at = fields.DatetimeField()
    capacity = fields.IntField()
    booked = fields.IntField(default=0)  # only ever changed by conditional UPDATEs
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appt_slots"
        unique_together = (("group", "date", "mode", "starts_at"),)


class Appointment(Model):
    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("models.User", related_name="appointments", on_delete=fields.RESTRICT)
    item = fields.ForeignKeyField(
        "models.ServiceItem", related_name="appointments", on_delete=fields.RESTRICT
    )
    slot = fields.ForeignKeyField("models.Slot", related_name="appointments", on_delete=fields.RESTRICT)
    date = fields.DateField()  # the slot's local date (copied: limits and check-in use it)
    starts_at = fields.DatetimeField(db_index=True)  # copied from the slot: cut-off and reminders
    status = fields.CharField(max_length=16, default=APPOINTMENTS.statuses[0], db_index=True)  # transitions
    # "<user>:<item>:<date>" while the booking counts; NULL once cancelled (unique: race-proof)
    active_key = fields.CharField(max_length=64, null=True, unique=True)
    source = fields.CharField(max_length=16, default="direct")  # direct | waitlist
    queue_number = fields.CharField(max_length=16, null=True)
    # shown to the citizen as a QR code; the hall scans (or types) it to check the booking in
    check_in_code = fields.CharField(max_length=16, unique=True, default=new_check_in_code)
    created_at = fields.DatetimeField(auto_now_add=True)
    cancelled_at = fields.DatetimeField(null=True)
    checked_in_at = fields.DatetimeField(null=True)
    no_show_at = fields.DatetimeField(null=True)
    handled_by = fields.IntField(null=True)  # staff user who checked in or marked the no-show

    class Meta:
        table = "appt_appointments"


class WeeklyQuota(Model):
    """Bookings (not cancelled) of one citizen in one ISO week, kept by conditional upserts."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField()
    week = fields.DateField()  # the Monday
    booked = fields.IntField(default=0)

    class Meta:
        table = "appt_weekly_quotas"
        unique_together = (("user_id", "week"),)


class WaitlistEntry(Model):
    id = fields.IntField(primary_key=True)
    slot = fields.ForeignKeyField("models.Slot", related_name="waiters", on_delete=fields.RESTRICT)
    user = fields.ForeignKeyField("models.User", related_name="waits", on_delete=fields.RESTRICT)
    item = fields.ForeignKeyField("models.ServiceItem", related_name="waits", on_delete=fields.RESTRICT)
    status = fields.CharField(max_length=16, default=WAITLIST.statuses[0])  # transitions.WAITLIST
    active_key = fields.CharField(max_length=32, null=True, unique=True)  # "<slot>:<user>" while waiting
    appointment_id = fields.IntField(null=True)  # the booking it became
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "appt_waitlist"


class BookingSuspension(Model):
    """Booking refused until ``until`` (exclusive) after too many no-shows."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    starts = fields.DateField()
    until = fields.DateField()
    no_shows = fields.SmallIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appt_suspensions"


class QueueCounter(Model):
    """Last queue number given per group, day and kind; incremented by an atomic upsert."""

    id = fields.IntField(primary_key=True)
    group_id = fields.IntField()
    date = fields.DateField()
    kind = fields.CharField(max_length=8)  # booked | walk_in
    value = fields.IntField(default=0)  # the last number given

    class Meta:
        table = "appt_queue_counters"
        unique_together = (("group_id", "date", "kind"),)


class QueueTicket(Model):
    id = fields.IntField(primary_key=True)
    group = fields.ForeignKeyField("models.WindowGroup", related_name="tickets", on_delete=fields.RESTRICT)
    date = fields.DateField()
    kind = fields.CharField(max_length=8)  # booked (called first) | walk_in
    seq = fields.IntField()
    number = fields.CharField(max_length=16)
    appointment_id = fields.IntField(null=True, unique=True)
    status = fields.CharField(max_length=8, default=TICKETS.statuses[0])  # transitions.TICKETS
    created_at = fields.DatetimeField(auto_now_add=True)
    called_at = fields.DatetimeField(null=True)
    called_by = fields.IntField(null=True)
    window = fields.CharField(max_length=16, default="")  # the NUMBER of the window that called it

    class Meta:
        table = "appt_queue_tickets"
        indexes = (("date", "called_at"),)  # the hall feed: today's latest calls
        unique_together = (("group", "date", "number"),)
