"""The keys of the staff's case search (``GET /staff/applications?q=``).

Names and phones are stored encrypted, so a case is found by keyed hashes written at submission:

- the applicant's full name, normalised (NFKC, no spaces, no middle dots, case-folded): a name matches
  whole, never in part;
- the phone's last four digits (the progress query's own index is bound to the case number and
  cannot be searched; four digits link nobody: one phone in 10,000 shares them).

``q`` tries the forms that fit it: four digits → a phone tail or a part of the number; a CJK
character → a name; anything else → a part of the number (case-insensitive).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from citizen_api.security.crypto import cipher_for

_DROPPED = re.compile(r"[\s·•‧・．.]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_TAIL = re.compile(r"^[0-9]{4}$")


def normalised_name(name: str) -> str:
    return _DROPPED.sub("", unicodedata.normalize("NFKC", name)).casefold()


def name_key(name: str | None, settings) -> str:
    """The blind index of a full name ("" when there is none)."""
    cleaned = normalised_name(name or "")
    return cipher_for(settings).blind_index(f"case-name:{cleaned}") if cleaned else ""


def tail_key(tail: str | None, settings) -> str:
    """The blind index of a phone tail ("" without four digits)."""
    if not _TAIL.match(tail or ""):
        return ""
    return cipher_for(settings).blind_index(f"case-tail:{tail}")


@dataclass(frozen=True)
class SearchTerms:
    """What one ``q`` may mean: any of these finds a case."""

    number_part: str | None = None  # a substring of the case number, upper-cased
    name: str | None = None  # the normalised full name
    tail: str | None = None  # four digits of the phone's end


def terms_of(q: str) -> SearchTerms:
    text = unicodedata.normalize("NFKC", q).strip()
    if _CJK.search(text):
        return SearchTerms(name=normalised_name(text))
    compact = re.sub(r"\s+", "", text).upper()
    if _TAIL.match(compact):
        return SearchTerms(number_part=compact, tail=compact)
    return SearchTerms(number_part=compact or None)
