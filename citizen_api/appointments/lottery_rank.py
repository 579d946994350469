"""The lottery's arithmetic, public and deterministic, so that anyone can recompute a draw.

Exactly, with every string UTF-8 (ASCII here) and every hash SHA-256 in lower-case hex:

1. At the draw's creation the server makes ``seed`` = 32 random bytes as 64 hex characters
   (``secrets.token_hex(32)``) and publishes ``seed_hash = sha256(seed)``; the seed itself is shown
   only once the draw is made.
2. At the draw: ``ids`` = the registration ids, integers sorted ascending;
   ``entries_digest = sha256("\\n".join(str(id) for id in ids))`` (no trailing newline).
3. Each id gets the key ``sha256(seed + ":" + str(id))``; the draw's order is the ids sorted by
   (key, id) ascending.
4. Walking that order, each registration is booked until ``places`` bookings are made (``places``:
   the day's free places at the draw). A registration whose booking the rules refuse (already
   booked that item that day, weekly limit, suspended) is ``ineligible`` and the walk goes on; every
   registration after the last winner has ``lost``. Winners take the day's slots in start order.
5. The losers who asked for the waiting list join it in the draw's order: the k-th of them
   (k = 0, 1, …) on slot ``k mod S`` of the day's S slots, in start order.

``onetrip appointments verify-draw`` recomputes 2–4 from the published seed and ids.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_seed() -> str:
    return secrets.token_hex(32)


def seed_hash(seed: str) -> str:
    return sha256_hex(seed)


def entries_digest(ids: Iterable[int]) -> str:
    return sha256_hex("\n".join(str(i) for i in sorted(ids)))


def draw_order(seed: str, ids: Iterable[int]) -> list[int]:
    """Every id, in the draw's order (step 3)."""
    prefix = (seed + ":").encode()
    keyed = [(hashlib.sha256(prefix + str(i).encode()).hexdigest(), i) for i in ids]
    keyed.sort()
    return [i for _, i in keyed]


def expected_winners(order: list[int], places: int, ineligible: Iterable[int] = ()) -> list[int]:
    """The winners of step 4: the first ``places`` of ``order`` that were not ineligible."""
    skip = set(ineligible)
    winners: list[int] = []
    for entry_id in order:
        if len(winners) >= places:
            break
        if entry_id not in skip:
            winners.append(entry_id)
    return winners


def read_ids(text: str) -> list[int]:
    """Registration ids from a file: integers separated by newlines, commas or spaces."""
    return [int(token) for token in text.replace(",", " ").split()]
