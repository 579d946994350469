"""Building the OpenAPI document refuses two different schemas under one component name (before,
the first one silently won and the other endpoint was documented with a foreign schema)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from citizen_api.http import endpoint
from citizen_api.http.openapi import ComponentNameClash, build_openapi
from citizen_api.routes import mounted_endpoints


async def _handler(ctx):
    """测试"""


def _catalog_step():
    class StepIn(BaseModel):
        title: str = Field(max_length=64)

    return StepIn


def _ratings_step():
    class StepIn(BaseModel):
        note: str = Field(min_length=1)

    return StepIn


def test_two_models_with_one_name_refuse_to_build():
    first, second = _catalog_step(), _ratings_step()
    endpoints = [
        ("", endpoint("POST", "/a", _handler, body=first)),
        ("", endpoint("POST", "/b", _handler, body=second)),
    ]
    with pytest.raises(ComponentNameClash, match=r"'StepIn'.*POST /b body.*POST /a body"):
        build_openapi(endpoints)


def test_a_clash_between_nested_models_is_refused_too():
    first, second = _catalog_step(), _ratings_step()

    class Guide(BaseModel):
        steps: list[first]  # type: ignore[valid-type]

    class Rectification(BaseModel):
        step: second  # type: ignore[valid-type]

    endpoints = [
        ("", endpoint("GET", "/guide", _handler, response=Guide)),
        ("", endpoint("GET", "/rectification", _handler, response=Rectification)),
    ]
    with pytest.raises(ComponentNameClash, match="StepIn"):
        build_openapi(endpoints)


def test_one_model_used_twice_is_one_component():
    model = _catalog_step()
    spec = build_openapi([("", endpoint("POST", "/a", _handler, body=model, response=model))])
    assert spec["components"]["schemas"]["StepIn"]["properties"] == {
        "title": {"maxLength": 64, "title": "Title", "type": "string"}
    }


def test_the_served_document_documents_each_body_with_its_own_schema():
    spec = build_openapi(mounted_endpoints())
    schemas = spec["components"]["schemas"]
    visit = spec["paths"]["/api/v1/staff/ratings/{id}/return-visit"]["post"]["requestBody"]
    ref = visit["content"]["application/json"]["schema"]["$ref"]
    assert set(schemas[ref.rsplit("/", 1)[1]]["properties"]) == {"note"}
