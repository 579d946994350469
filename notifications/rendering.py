"""Payload → WeChat keyword values, always inside WeChat's limits (never a 47003 for length).

Keyword types come from the keyword's name (``thing2`` → ``thing``). Limits from WeChat's
subscribe-message rules: thing ≤ 20 characters, number/letter/character_string ≤ 32, symbol and
phrase ≤ 5, name ≤ 10 Chinese or 20 Latin, phone_number ≤ 17, car_number ≤ 8; time and date as
``YYYY-MM-DD HH:MM``. Values are cut, not refused: text gets "…", codes are cut to the limit.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from citizen_api import clock
from notifications.config import EventSpec

ELLIPSIS = "…"
CUSTOM_TEXT_MAX = 600  # WeChat allows 2048 bytes of text; a phone screen is the real limit
UNKNOWN_TYPE_MAX = 200  # legacy official-account keywords (keyword1, first …)

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}]*))?\}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DATE = re.compile(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})")
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def variables(event_spec: EventSpec | None, payload: dict[str, Any], at: datetime) -> dict[str, str]:
    """The values templates may use: the payload, the event's labels, and ``at`` (when it happened)."""
    values: dict[str, str] = {"at": format_time(at)}
    if event_spec is not None and event_spec.status_label:
        values["status_label"] = event_spec.status_label
    for key, value in payload.items():
        if isinstance(key, str) and value is not None and not isinstance(value, (dict, list)):
            values[key] = _plain(value)
    if event_spec is not None:
        for key, labels in event_spec.labels.items():
            code = values.get(key, "")
            values[f"{key}_label"] = labels.get(code, code)
    values.setdefault("status_label", values.get("status", ""))
    if "time" not in values and values.get("start"):
        # appointments send start/end ("09:00", "09:40"); templates speak of {time}
        values["time"] = values["start"] + (f"-{values['end']}" if values.get("end") else "")
    return values


def fill(expression: str, values: dict[str, str]) -> str:
    """``"{number}"`` and ``"{note|默认}"`` (default when absent or empty)."""

    def one(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "")
        return value if value.strip() else (match.group(2) or "")

    return _FIELD.sub(one, expression).strip()


def render_data(spec_data: dict[str, str], values: dict[str, str], at: datetime) -> dict[str, dict[str, str]]:
    return {key: {"value": keyword_value(key, fill(expr, values), at)} for key, expr in spec_data.items()}


def render_text(text: str, values: dict[str, str]) -> str:
    return cut(fill(text, values), CUSTOM_TEXT_MAX) or "您有一条新的办事通知，请进入小程序查看。"


def keyword_value(key: str, raw: str, at: datetime) -> str:
    kind = key.rstrip("0123456789")
    value = _CONTROL.sub(" ", raw).strip()
    if kind == "thing":
        return cut(value, 20) or "无"
    if kind == "phrase":
        return "".join(_CJK.findall(value))[:5] or "有更新"
    if kind == "character_string":
        return re.sub(r"[^\x21-\x7e]", "", value)[:32] or "-"
    if kind == "number":
        return (re.sub(r"[^0-9.]", "", value)[:32]).strip(".") or "0"
    if kind == "letter":
        return re.sub(r"[^A-Za-z]", "", value)[:32] or "N"
    if kind == "symbol":
        return value[:5] or "-"
    if kind == "name":
        if _CJK.search(value):
            return "".join(_CJK.findall(value))[:10]
        return value[:20] or "-"
    if kind == "phone_number":
        return re.sub(r"[^0-9+\-() ]", "", value).strip()[:17].strip() or "-"
    if kind == "car_number":
        return value.replace(" ", "")[:8] or "-"
    if kind in ("time", "date"):
        return normalise_time(value, at, with_time=kind == "time")
    return cut(value, UNKNOWN_TYPE_MAX) or "-"


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in "…" when something was cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def format_time(value: datetime) -> str:
    return clock.to_local(value).strftime("%Y-%m-%d %H:%M")


def normalise_time(value: str, at: datetime, *, with_time: bool) -> str:
    """``YYYY-MM-DD HH:MM`` (or ``YYYY-MM-DD`` / ``HH:MM`` when that is all there is), from ISO
    datetimes (converted to China time), ``2026-03-02 09:00-09:40``, ``2026年3月2日`` …; anything
    unreadable becomes the time of the event rather than a message WeChat would refuse."""
    if value:
        parsed = None
        if _ISO_DATETIME.match(value):  # with seconds: "09:00-09:40" is a slot, not a UTC offset
            try:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                parsed = None
        if parsed is not None:
            if parsed.tzinfo is not None:
                parsed = clock.to_local(parsed)
            return parsed.strftime("%Y-%m-%d %H:%M")
        found_date = _DATE.search(value)
        found_time = _TIME.search(value)
        day = None
        if found_date:
            try:
                day = date(*(int(part) for part in found_date.groups()))
            except ValueError:
                day = None
        hm = None
        if found_time and int(found_time.group(1)) < 24:
            hm = f"{int(found_time.group(1)):02d}:{found_time.group(2)}"
        if day and hm:
            return f"{day.isoformat()} {hm}"
        if day:
            return day.isoformat()
        if hm and with_time:
            return hm
    return format_time(at) if with_time else clock.to_local(at).date().isoformat()


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
