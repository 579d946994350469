"""The demo catalog (``onetrip seed-demo``): 17 departments and about 210 items written for this
project, in the import format, so that the seed goes through the same checks as any import."""

from __future__ import annotations

from typing import Any

from citizen_api.catalog.demo import (
    items_business,
    items_housing,
    items_police,
    items_services,
    items_social,
    items_traffic,
    items_welfare,
)
from citizen_api.catalog.demo.builder import Spec, build_item
from citizen_api.catalog.demo.departments import DEPARTMENTS, HALL

SPECS: dict[str, list[Spec]] = {
    "GA": items_police.GA,
    "CRJ": items_police.CRJ,
    "JJ": items_traffic.JJ,
    "RS": items_social.RS,
    "YB": items_social.YB,
    "SCJG": items_business.SCJG,
    "SW": items_business.SW,
    "BDC": items_housing.BDC,
    "ZJ": items_housing.ZJ,
    "GJJ": items_housing.GJJ,
    "MZ": items_welfare.MZ,
    "WJ": items_services.WJ,
    "JT": items_traffic.JT,
    "JY": items_services.JY,
    "CL": items_welfare.CL,
    "TYJR": items_welfare.TYJR,
    "SF": items_services.SF,
}


def demo_catalog() -> dict[str, Any]:
    departments = []
    items = []
    for sort, dept in enumerate(DEPARTMENTS, start=1):
        departments.append(
            {
                "code": dept.code,
                "name": dept.name,
                "sort": sort,
                "phone": dept.phone,
                "address": f"{HALL} {dept.window}",
            }
        )
        items += [build_item(dept, spec, i) for i, spec in enumerate(SPECS[dept.code], start=1)]
    codes = [item["code"] for item in items]
    assert len(set(codes)) == len(codes), "demo item codes collide"
    return {"format": "onetrip-catalog/1", "departments": departments, "items": items, "synonyms": []}
