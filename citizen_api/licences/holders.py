"""Who holds a licence: the blind index of the real-name ID number, never the account."""

from __future__ import annotations

from citizen_api.security.crypto import cipher_for
from citizen_api.users import service as users


async def holder_index(user_id: int, settings) -> str | None:
    """The citizen's holder key (None without a real-name ID number: such a citizen holds none)."""
    applicant = await users.applicant(user_id, settings)
    id_number = applicant.profile.get("id_number") if applicant else None
    return cipher_for(settings).blind_index(id_number) if id_number else None
