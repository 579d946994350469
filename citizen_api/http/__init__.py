"""The thin layer between Starlette and the domains: endpoints, validation, JSON, OpenAPI."""

import citizen_api.http.convertors  # noqa: F401  (registers {id:id})
from citizen_api.http.endpoint import Ctx, Endpoint, endpoint
from citizen_api.http.schemas import Page, PageQuery

__all__ = ["Ctx", "Endpoint", "Page", "PageQuery", "endpoint"]
