"""The delivery address of a case: personal data, stored as encrypted JSON, shown masked.

The delivery domain (``PUT /applications/{id}/delivery``) writes through :func:`store`, and reads
the clear address with :func:`load` when it books the courier.
"""

from __future__ import annotations

import json
from typing import Any

from citizen_api.security.crypto import cipher_for
from citizen_api.security.masking import mask_address, mask_name, mask_phone


def store(address: dict[str, Any] | None, settings) -> str | None:
    if not address:
        return None
    return cipher_for(settings).encrypt(json.dumps(address, ensure_ascii=False, sort_keys=True))


def load(stored: str | None, settings) -> dict[str, Any] | None:
    if not stored:
        return None
    return json.loads(cipher_for(settings).decrypt(stored))


def masked(stored: str | None, settings) -> dict[str, Any] | None:
    address = load(stored, settings)
    if address is None:
        return None
    return {
        **address,
        "name": mask_name(address.get("name")),
        "phone": mask_phone(address.get("phone")),
        "address": mask_address(address.get("address")),
    }
