"""Appointments: halls, window groups and their schedules, slots, bookings, waiting list, queue.

Quotas are counters changed by conditional UPDATEs (``booked < capacity``), never read-check-save,
and "one active booking per citizen per item per day" is a unique nullable ``active_key`` (NULL
once cancelled): the database refuses the second one even when two requests race.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.appointments.codes import new_check_in_code
from citizen_api.appointments.transitions import (
    APPOINTMENTS,
    LOTTERY_DRAWS,
    LOTTERY_ENTRIES,
    TICKETS,
    WAITLIST,
)

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
    # "<person>:<item>:<date>" while the booking counts (person: ``booking.person_of``, one per real
    # name across WeChat accounts); NULL once cancelled (unique: race-proof)
    active_key = fields.CharField(max_length=64, null=True, unique=True)
    source = fields.CharField(max_length=16, default="direct")  # direct | waitlist | staff (代约)
    queue_number = fields.CharField(max_length=16, null=True)
    # shown to the citizen as a QR code; the hall scans (or types) it to check the booking in
    check_in_code = fields.CharField(max_length=16, unique=True, default=new_check_in_code)
    created_at = fields.DatetimeField(auto_now_add=True)
    cancelled_at = fields.DatetimeField(null=True)
    checked_in_at = fields.DatetimeField(null=True)
    no_show_at = fields.DatetimeField(null=True)
    handled_by = fields.IntField(null=True)  # staff user who checked in or marked the no-show
    # 代办 / 代约 (appointments/agency.py): who booked it when not the citizen — an agent under an
    # authorisation (agents domain) or staff; ``user`` stays the citizen the booking counts for
    filed_by = fields.CharField(max_length=16, default="self")  # self | agent | staff_assisted
    actor_id = fields.IntField(null=True, db_index=True)
    authorisation_id = fields.IntField(null=True)

    class Meta:
        table = "appt_appointments"


class WeeklyQuota(Model):
    """Bookings (not cancelled) of one person in one ISO week, kept by conditional upserts.

    ``person`` is the real-name identity (``booking.person_of``: the ID number's blind index), so
    two WeChat accounts of one person share one limit; ``user_id`` is the account that booked first.
    """

    id = fields.IntField(primary_key=True)
    person = fields.CharField(max_length=40)
    user_id = fields.IntField()
    week = fields.DateField()  # the Monday
    booked = fields.IntField(default=0)

    class Meta:
        table = "appt_weekly_quotas"
        unique_together = (("person", "week"),)


class ReleaseRule(Model):
    """When the places of a day are released (放号): ``days_before`` days ahead at ``at`` (local HH:MM).

    Per window group; a rule naming an item overrides the group's own rule for that item. A group
    without a rule releases its days as soon as they enter the booking horizon.
    """

    id = fields.IntField(primary_key=True)
    group = fields.ForeignKeyField(
        "models.WindowGroup", related_name="release_rules", on_delete=fields.CASCADE
    )
    item = fields.ForeignKeyField(
        "models.ServiceItem", related_name="release_rules", null=True, on_delete=fields.CASCADE
    )
    days_before = fields.SmallIntField()
    at = fields.CharField(max_length=5)  # "08:00", Beijing time
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "appt_release_rules"
        unique_together = (("group", "item"),)


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
    # priority (60+ at check-in, called first) | booked | walk_in (``hall.TICKET_KINDS``)
    kind = fields.CharField(max_length=8)
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


class LotteryDraw(Model):
    """A lottery day (摇号) of a window group, or of one item of it: its places go by a public draw.

    ``seed`` is made at creation and kept secret until the draw; ``seed_hash`` (sha256 hex of the
    seed) is published from the start, so the seed cannot be changed once registrations are seen.
    At ``draw_at`` the job draws (``lottery_draw``): status ``open → drawn`` by one conditional
    UPDATE, ``entries_digest`` over the sorted registration ids, winners booked exactly to ``places``.
    """

    id = fields.IntField(primary_key=True)
    group = fields.ForeignKeyField(
        "models.WindowGroup", related_name="lottery_draws", on_delete=fields.RESTRICT
    )
    item = fields.ForeignKeyField(
        "models.ServiceItem", related_name="lottery_draws", null=True, on_delete=fields.RESTRICT
    )  # NULL: every item of the group
    date = fields.DateField()  # the day whose places are drawn
    scope_key = fields.CharField(max_length=48, unique=True)  # "<group>:<item or *>:<date>"
    registration_opens_at = fields.DatetimeField()
    registration_closes_at = fields.DatetimeField()
    draw_at = fields.DatetimeField(db_index=True)
    status = fields.CharField(max_length=8, default=LOTTERY_DRAWS.statuses[0])  # transitions
    seed = fields.CharField(max_length=64)  # hex; secret until drawn
    seed_hash = fields.CharField(max_length=64)
    entries_digest = fields.CharField(max_length=64, null=True)  # set at the draw
    entries = fields.IntField(default=0)  # registrations drawn over
    places = fields.IntField(null=True)  # the free places at the draw
    winners = fields.IntField(default=0)
    drawn_at = fields.DatetimeField(null=True)
    # losers told (and wait-listed) so far, in the draw's order: the job goes on where it stopped
    losers_done = fields.IntField(default=0)
    created_by = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appt_lottery_draws"


class LotteryEntry(Model):
    """One person's registration for a draw: unique per (draw, person) — the ID number's blind
    index — so two WeChat accounts of one person register once, even racing."""

    id = fields.IntField(primary_key=True)
    draw = fields.ForeignKeyField(
        "models.LotteryDraw", related_name="registrations", on_delete=fields.RESTRICT
    )
    user_id = fields.IntField(db_index=True)
    person = fields.CharField(max_length=64)
    item_id = fields.IntField()
    item_code = fields.CharField(max_length=64)
    waitlist = fields.BooleanField(default=False)  # a loser goes on the day's waiting list
    status = fields.CharField(max_length=12, default=LOTTERY_ENTRIES.statuses[0])  # transitions
    appointment_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appt_lottery_entries"
        unique_together = (("draw", "person"),)


class LateService(Model):
    """延时服务: a window serving past the hall's closing time, for the citizens still waiting.

    One open row per window and day (``ended_at`` NULL); started by the clerk (or by their first call
    after closing), ended once nobody waits any more (``appointments.late_service``).
    """

    id = fields.IntField(primary_key=True)
    window = fields.ForeignKeyField("models.Window", related_name="late_services", on_delete=fields.CASCADE)
    date = fields.DateField()
    started_at = fields.DatetimeField()
    started_by = fields.IntField()
    automatic = fields.BooleanField(default=False)  # started by a call after closing, not by the button
    ended_at = fields.DatetimeField(null=True)
    ended_by = fields.IntField(null=True)

    class Meta:
        table = "appt_late_services"
        unique_together = (("window", "date"),)


class DeskCover(Model):
    """AB角: while a clerk (A) is away their backup (B) covers A's desk — B's call-next also draws
    from A's window group. One open row per absent clerk (``ended_at`` NULL); ``appointments.covers``."""

    id = fields.IntField(primary_key=True)
    absent_user_id = fields.IntField(db_index=True)
    cover_user_id = fields.IntField(db_index=True)
    # A's desk group when the cover began (NULL: A had no desk, so there is no queue to draw from)
    group = fields.ForeignKeyField(
        "models.WindowGroup", related_name="covers", null=True, on_delete=fields.CASCADE
    )
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "appt_desk_covers"
