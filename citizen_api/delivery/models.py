"""Shipments of free postal delivery (双向寄递) and the tracking events kuaidi100 reports."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from citizen_api.delivery.transitions import SUBSCRIBE_PENDING

OUTBOUND = "outbound"  # the result, from the centre to the citizen
INBOUND = "inbound"  # the citizen's paper materials, to the centre
DIRECTIONS = (OUTBOUND, INBOUND)


class Shipment(Model):
    id = fields.IntField(primary_key=True)
    application = fields.ForeignKeyField(
        "models.Application", related_name="shipments", on_delete=fields.RESTRICT
    )
    direction = fields.CharField(max_length=8)  # outbound | inbound
    department_code = fields.CharField(max_length=32, db_index=True)  # copied from the case
    company = fields.CharField(max_length=32)  # kuaidi100 company code (ems …)
    waybill = fields.CharField(max_length=32)
    status = fields.CharField(max_length=20, default=SUBSCRIBE_PENDING, db_index=True)  # transitions
    last_state = fields.CharField(max_length=8, null=True)  # kuaidi100 lastResult.state
    # rank of the furthest tracking state reached (transitions.STATES): a report never moves it back
    progress = fields.SmallIntField(default=0)
    last_context = fields.TextField(default="")
    last_event_at = fields.DatetimeField(null=True)  # time of the courier's latest scan
    # when kuaidi100 last told us something new (push or poll); the silence check runs from it
    last_heard_at = fields.DatetimeField(null=True)
    silence_checked_at = fields.DatetimeField(null=True)  # the silence since last_heard_at was handled
    subscribed_at = fields.DatetimeField(null=True)
    subscribe_attempts = fields.SmallIntField(default=0)
    subscribe_error = fields.CharField(max_length=200, default="")
    resubscribed = fields.BooleanField(default=False)  # after an abort: once, then warn staff
    created_by = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "delivery_shipments"
        # a number is registered once per direction: the hall's outbound mailing and a citizen's mail-in
        # claim never block each other; a push updates every shipment under its (company, number)
        unique_together = (("company", "waybill", "direction"),)
        indexes = (("status", "last_heard_at"),)


class ShipmentEvent(Model):
    """One tracking state as reported; the same report twice is one row (``dedupe_key``)."""

    id = fields.BigIntField(primary_key=True)
    shipment = fields.ForeignKeyField("models.Shipment", related_name="events", on_delete=fields.CASCADE)
    state = fields.CharField(max_length=8)  # kuaidi100 state code, or "abort"
    event_at = fields.DatetimeField(null=True)
    context = fields.TextField(default="")
    source = fields.CharField(max_length=8, default="push")  # push | poll
    # sha256 of company, waybill, state, event time and text: a repeated push changes nothing
    dedupe_key = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "delivery_events"
