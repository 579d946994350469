"""The route list: every domain's endpoints (from the registry) and where they are mounted."""

from __future__ import annotations

from citizen_api.domains import MOUNTED_ENDPOINTS
from citizen_api.http import API_PREFIX
from citizen_api.http.endpoint import Endpoint

__all__ = ["API_PREFIX", "mounted_endpoints"]


def mounted_endpoints() -> list[tuple[str, Endpoint]]:
    """(prefix, endpoint) pairs: probes and callbacks at the root, the API under /api/v1."""
    return list(MOUNTED_ENDPOINTS)
