"""The explicit route list: every domain's ``ENDPOINTS`` and where they are mounted."""

from __future__ import annotations

from citizen_api.domains import modules
from citizen_api.http.endpoint import Endpoint

API_PREFIX = "/api/v1"


def mounted_endpoints() -> list[tuple[str, Endpoint]]:
    """(prefix, endpoint) pairs: probes and callbacks at the root, the API under /api/v1."""
    from citizen_api.health import ENDPOINTS as health

    mounted = [("", ep) for ep in health]
    for module in modules("routes"):
        mounted += [("", ep) for ep in getattr(module, "ROOT_ENDPOINTS", [])]
        mounted += [(API_PREFIX, ep) for ep in getattr(module, "ENDPOINTS", [])]
    return mounted
