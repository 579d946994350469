"""The explicit route list: every domain's endpoints and where they are mounted."""

from __future__ import annotations

from citizen_api.http.endpoint import Endpoint

API_PREFIX = "/api/v1"


def mounted_endpoints() -> list[tuple[str, Endpoint]]:
    """(prefix, endpoint) pairs. A domain adds its list here."""
    from citizen_api.auth.routes import ENDPOINTS as auth
    from citizen_api.health import ENDPOINTS as health
    from citizen_api.users.routes import ENDPOINTS as users

    api = [*auth, *users]
    return [("", ep) for ep in health] + [(API_PREFIX, ep) for ep in api]
