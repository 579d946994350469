"""Tracking reports (kuaidi100 pushes and polls) → shipment state, case timeline, messages.

A report is recorded once: its key is the shipment, the state and the latest scan (time and text),
so kuaidi100 repeating a push — which it does until it gets our answer — changes nothing.
Tracking only moves forward (``transitions.STATES`` / ``transitions.takes_over``): an older or lower report is
kept as history but changes neither the shipment's state nor the case. A push without any scan is
recorded as received (an ``empty`` event, never shown) and changes nothing else.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from tortoise.exceptions import IntegrityError

from citizen_api import clock, db
from citizen_api.cases import service as cases
from citizen_api.delivery import repository as repo
from citizen_api.delivery import transitions as t
from citizen_api.delivery.models import INBOUND, OUTBOUND, Shipment
from citizen_api.delivery.staff_warnings import warn_staff
from citizen_api.delivery.waybill import COMPANIES
from citizen_api.http.validation import validation_error
from notifications import outbox

log = structlog.get_logger("onetrip.delivery")


@dataclass(frozen=True)
class Report:
    company: str
    number: str
    state: str  # folded to the main state, or "abort"
    raw_state: str
    event_at: datetime | None
    context: str
    message: str = ""

    @property
    def empty(self) -> bool:
        """No scan at all (neither a time nor a text): nothing to learn about the parcel."""
        return self.state != t.ABORT and self.event_at is None and not self.context

    def dedupe_key(self, shipment_id: int) -> str:
        at = self.event_at.isoformat() if self.event_at else ""
        state = f"empty:{self.raw_state}:{self.message}" if self.empty else self.state
        raw = "\x1f".join((str(shipment_id), self.company, self.number, state, at, self.context))
        return hashlib.sha256(raw.encode()).hexdigest()


def _clean(value: Any) -> str:
    """Text for the database: PostgreSQL refuses NUL characters."""
    return str(value if value is not None else "").replace("\x00", "").strip()


EMPTY = "empty"  # the state of a recorded push that carried no scan


def parse_time(value: Any) -> datetime | None:
    """kuaidi100 writes China time as ``2024-05-01 10:00:00`` (some couriers only to the minute)."""
    if not isinstance(value, str):
        return None
    text = value.strip()[:19]
    for layout in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            parsed = datetime.strptime(text, layout)
            break
        except ValueError:
            continue
    else:
        return None
    # stored in UTC: SQLite compares the text, so every stored time must carry the same offset
    return parsed.replace(tzinfo=clock.CST).astimezone(UTC)


def report_from_result(
    result: dict[str, Any], *, company: str = "", number: str = "", message: str = ""
) -> Report:
    """A ``lastResult`` (push) or a realtime-query answer; the newest scan is the first ``data`` entry."""
    data = result.get("data") if isinstance(result.get("data"), list) else []
    scans = [d for d in data if isinstance(d, dict)]
    scans.sort(key=lambda d: str(d.get("ftime") or d.get("time") or ""), reverse=True)
    latest = scans[0] if scans else {}
    raw_state = _clean(result.get("state", "0"))[:8]
    return Report(
        company=_clean(result.get("com") or company)[:32],
        number=_clean(result.get("nu") or number)[:32].upper(),
        state=t.main_state(raw_state),
        raw_state=raw_state,
        event_at=parse_time(latest.get("ftime") or latest.get("time")),
        context=_clean(latest.get("context", ""))[:500],
        message=message,
    )


def parse_push(param: str) -> tuple[str, Report]:
    """(push status, report) from the ``param`` JSON kuaidi100 posts; 422 when it is not one."""
    try:
        body = json.loads(param)
    except (ValueError, RecursionError):
        raise validation_error({"param": "不是合法的 JSON"}) from None
    if not isinstance(body, dict) or not isinstance(body.get("lastResult", {}), dict):
        raise validation_error({"param": "缺少 lastResult"})
    status = str(body.get("status", "polling"))[:16]
    last = body.get("lastResult") or {}
    report = report_from_result(last, message=_clean(body.get("message", ""))[:200])
    if not report.number:
        raise validation_error({"param": "缺少运单号"})
    if status == t.ABORT:
        report = Report(report.company, report.number, t.ABORT, t.ABORT, None, report.message or t.ABORT)
    return status, report


async def apply_report(report: Report, source: str = "push") -> tuple[str, int | None]:
    """Record ``report`` (in the caller's transaction). Returns (outcome, shipment id).

    outcome: ``unknown`` (no such waybill), ``duplicate``, ``empty`` (no scan: receipt recorded, nothing
    else changed), ``recorded``, or ``resubscribe`` (an abort the caller should answer by subscribing
    again, after commit). The report goes to one shipment: see ``repository.shipment_for_report``.
    """
    shipment = await repo.shipment_for_report(report.company, report.number, lock=True)
    if shipment is None:
        log.info("report for unknown waybill", company=report.company)
        return "unknown", None
    key = report.dedupe_key(shipment.id)
    if report.state == t.ABORT:
        # the abort after a re-subscription is a new fact even when its text is the same
        key = hashlib.sha256(f"{key}:{shipment.resubscribed}".encode()).hexdigest()
    if await repo.event_exists(key):
        return "duplicate", shipment.id
    try:
        async with db.atomic():  # a savepoint: a racing twin loses quietly
            event = await repo.add_event(
                shipment_id=shipment.id,
                state=EMPTY if report.empty else report.state,
                event_at=report.event_at,
                context=report.context,
                source=source,
                dedupe_key=key,
            )
    except IntegrityError:
        return "duplicate", shipment.id
    if report.empty:
        log.info("push without scans recorded", shipment=shipment.id, state=report.raw_state)
        return "empty", shipment.id
    case = await cases.case_by_id(shipment.application_id)
    now = clock.now()
    if report.state == t.ABORT:
        return await _aborted(shipment, case, report), shipment.id
    if not await _advance(shipment, report, now):
        return "recorded", shipment.id  # history only: older, or behind what the shipment shows
    await cases.add_timeline_note(case, _timeline_note(shipment, report))
    if report.state == t.SIGNED_STATE:
        await _signed(shipment, case, report, now)
    elif report.state in t.TROUBLE:
        await _trouble(shipment, case, report, event.id)
    return "recorded", shipment.id


async def _advance(shipment: Shipment, report: Report, now: datetime) -> bool:
    """Move the shipment to the report's state if it takes over (never backwards); True if it did.

    Under the row lock ``apply_report`` took; a report that does not take over is still news."""
    if not t.takes_over(shipment.progress, shipment.last_event_at, report.state, report.event_at):
        if not await repo.move_shipment(shipment.id, "heard", last_heard_at=now):  # kuaidi100 does track it
            await repo.update_shipment(shipment.id, last_heard_at=now)
        return False
    reached = t.rank(report.state)
    await repo.update_shipment(
        shipment.id,
        last_heard_at=now,
        status=t.status_for(report.state),
        progress=max(shipment.progress, reached) if reached is not None else shipment.progress,
        last_state=report.raw_state,
        last_context=report.context,
        last_event_at=report.event_at or now,
    )
    return True


def _timeline_note(shipment: Shipment, report: Report) -> str:
    what = "办理结果邮件" if shipment.direction == OUTBOUND else "申请材料邮件"
    company = COMPANIES.get(shipment.company, shipment.company)
    return f"{what}【{t.state_text(report.raw_state)}】{company} {shipment.waybill}：{report.context}"[:500]


def _payload(shipment: Shipment, case, **extra: Any) -> dict[str, Any]:
    return {
        "application_id": case.id,
        "number": case.number,
        "item_name": case.item_name,
        "direction": shipment.direction,
        "company": shipment.company,
        "waybill": shipment.waybill,
        **extra,
    }


async def _signed(shipment: Shipment, case, report: Report, now: datetime) -> None:
    if shipment.direction == INBOUND:
        await warn_staff(
            case.department_code,
            "delivery.mail_in_arrived",
            _payload(shipment, case),
            dedupe_key=f"mailin.signed:{shipment.id}",
        )
        return
    if await cases.delivered_by_courier(case, now):
        await outbox.enqueue(
            case.applicant_id,
            "case.delivered",
            _payload(shipment, case, status="delivered", status_text="结果已送达"),
            dedupe_key=f"case.delivered:{case.id}",
        )
        return
    # The staff ``/deliver`` step of the cases workflow already closed the case as delivered when the
    # parcel was handed to the courier: the signature is still news to the citizen, told once a parcel.
    await outbox.enqueue(
        case.applicant_id,
        "delivery.event",
        _payload(
            shipment,
            case,
            state=t.SIGNED_STATE,
            state_text=t.state_text(report.raw_state),
            context=report.context,
        ),
        dedupe_key=f"delivery.signed:{shipment.id}",
    )


async def _trouble(shipment: Shipment, case, report: Report, event_id: int) -> None:
    text = t.state_text(report.raw_state)
    payload = _payload(shipment, case, state=report.state, state_text=text, context=report.context)
    await warn_staff(
        case.department_code, "delivery.warning", payload, dedupe_key=f"delivery.warn:{event_id}"
    )
    if shipment.direction == OUTBOUND:
        await outbox.enqueue(
            case.applicant_id, "delivery.event", payload, dedupe_key=f"delivery.event:{event_id}"
        )


async def _aborted(shipment: Shipment, case, report: Report) -> str:
    """kuaidi100 gave up tracking: subscribe again once; the second time, staff take over."""
    if not shipment.resubscribed and await repo.move_shipment(shipment.id, "resubscribe", resubscribed=True):
        return "resubscribe"
    await repo.move_shipment(shipment.id, "stop")  # no change once the parcel is signed or returned
    payload = _payload(shipment, case, state=t.ABORT, state_text=t.ABORT_TEXT, context=report.message)
    await warn_staff(
        case.department_code, "delivery.warning", payload, dedupe_key=f"delivery.abort:{shipment.id}"
    )
    return "recorded"
