"""The thin layer between Starlette and the domains: endpoints, validation, JSON, OpenAPI."""

import citizen_api.http.convertors  # noqa: F401  (registers {id:id})
from citizen_api.http.endpoint import Ctx, Endpoint, endpoint
from citizen_api.http.schemas import Page, PageQuery

API_PREFIX = "/api/v1"  # where the domains' ENDPOINTS are mounted (probes and callbacks are at /)

__all__ = ["API_PREFIX", "Ctx", "Endpoint", "Page", "PageQuery", "endpoint"]
