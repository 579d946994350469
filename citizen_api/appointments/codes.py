"""Check-in codes: short, unguessable, one per booking (shown as a QR code, typed by a clerk if need be).

10 characters from a 32-letter alphabet without look-alikes (no 0/O, 1/I): 50 random bits, so a
code can be neither guessed nor derived from a booking's id; the column is unique.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10


def new_check_in_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
