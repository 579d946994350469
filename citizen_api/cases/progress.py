"""The public progress query (办件进度查询): a case number plus the applicant's phone tail.

No login: the mini-program's public page, the official account bot (``进度 <number> <tail>``) and
the hall's kiosk use it. The answer is the same for a wrong number and a wrong tail (no oracle
telling which numbers exist); callers throttle per client and per number (see ``routes``).
"""

from __future__ import annotations

import hmac
import re

from citizen_api import clock
from citizen_api.cases.deadlines import warning_of
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.submission import phone_tail_index
from citizen_api.cases.transitions import STATUS_TEXT
from citizen_api.security.identity import normalise_phone_tail

NUMBER_RE = re.compile(r"^[A-Z0-9]{8,32}$")


async def lookup(number: str, phone_tail: str, settings) -> dict | None:
    """The public view of one case, or None when the pair does not match a case."""
    number = (number or "").strip().upper()
    # full-width digits (a Chinese input method) count as ASCII ones; other scripts' digits do not
    phone_tail = normalise_phone_tail(phone_tail or "")
    if not NUMBER_RE.match(number) or phone_tail is None:
        return None
    case = await repo.case_by_number(number)
    # compare against a computed value even when the number is unknown: similar timing either way
    expected = case.phone_tail_index if case else "0" * 64
    if not hmac.compare_digest(expected, phone_tail_index(number, phone_tail, settings)) or not case:
        return None
    return {
        "number": case.number,
        "item_name": case.item_name,
        "status": case.status,
        "status_text": STATUS_TEXT.get(case.status, case.status),
        "submitted_at": case.submitted_at,
        "deadline": case.deadline,
        "warning": warning_of(case, clock.today()),
        "timeline": [
            {
                "status": entry.to_status,
                "status_text": STATUS_TEXT.get(entry.to_status, entry.to_status),
                "at": entry.at,
                "note": entry.note,
            }
            for entry in await repo.timeline(case.id)
        ],
    }
