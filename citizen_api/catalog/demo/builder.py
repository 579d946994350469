"""Turning the compact item lists into full guides in the import format (``onetrip-catalog/1``).

A spec says what differs between items (name, type, limits, trips, online depth, materials,
fees, search aliases); the builder writes what a real guide repeats (conditions, procedure,
place, hours, contact, FAQs) from the department and those facts.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

from citizen_api.catalog.demo.departments import COMPLAINT, HALL, HOURS, Dept
from citizen_api.catalog.demo.materials import MATERIALS

TYPES = {
    "许可": ("行政许可", "01"),
    "确认": ("行政确认", "07"),
    "给付": ("行政给付", "05"),
    "裁决": ("行政裁决", "08"),
    "奖励": ("行政奖励", "06"),
    "征收": ("行政征收", "04"),
    "备案": ("行政备案", "10"),
    "其他": ("其他行政权力", "09"),
    "服务": ("公共服务", "20"),
}
AUDIENCES = {"P": "personal", "B": "business", "PB": "both"}
EFFECTIVE_FROM = "2026-01-01"
# the e-licence that satisfies a material of this kind (电子证照免提交)
LICENCE_OF_KIND = {"business_license": "business_licence", "marriage_cert": "marriage_certificate"}
DEFAULT_REASONS = {1: "需到窗口现场核验申请人身份及材料原件", 2: "需现场提交申请，并现场领取办理结果"}


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str  # key of TYPES
    who: str  # P, B or PB
    days: tuple[int, int]  # (statutory, promised) in working days; promised 0 = 即办件
    trips: int
    depth: int  # online depth 0–4
    materials: str  # "id_card photo? residence_proof~ form:申请表名 kind=自定义名称"
    post: bool = True
    book: bool | None = None
    fee: tuple[str, str, str] | None = None
    kw: str = ""
    reason: str = ""
    result: tuple[str, str] = ("", "")
    conditions: tuple[str, ...] = field(default_factory=tuple)
    licence: str = ""  # the e-licence type its approval issues (catalog.vocabulary)
    form: str = ""  # the application form's fields, space-separated (表单预填)


def it(
    name: str, kind: str, who: str, days: tuple[int, int], trips: int, depth: int, materials: str, **extra
) -> Spec:
    return Spec(name, kind, who, days, trips, depth, materials, **extra)


def _code(dept: Dept, name: str) -> str:
    return f"{dept.code}{zlib.crc32(name.encode()) % 1_000_000:06d}"


def _basic_code(dept: Dept, spec: Spec, index: int) -> str:
    prefix = TYPES[spec.kind][1]
    dept_no = zlib.crc32(dept.code.encode()) % 1000
    return f"{prefix}{dept_no:03d}{zlib.crc32(spec.name.encode()) % 10000:04d}{index % 1000:03d}"


def _materials(spec: Spec) -> list[dict[str, Any]]:
    out = []
    for token in spec.materials.split():
        necessity = "required"
        if token.endswith("?"):
            necessity, token = "optional", token[:-1]
        elif token.endswith("~"):
            necessity, token = "tolerated", token[:-1]
        custom = ""
        if token.startswith("form:"):
            token, custom = "application_form", f"《{token[5:]}》"
        elif "=" in token:
            token, custom = token.split("=", 1)
        name, forms, copies, source, notes = MATERIALS[token]
        if necessity == "tolerated":
            notes = (notes + "；" if notes else "") + "容缺受理：可先受理，5 个工作日内补交"
        out.append(
            {
                "name": custom or name,
                "necessity": necessity,
                "kind": token,
                "forms": list(forms),
                "copies": copies,
                "source": source,
                "notes": notes,
                "accepts_licence": LICENCE_OF_KIND.get(token, ""),
            }
        )
    return out


def _procedure(spec: Spec, dept: Dept) -> list[dict[str, str]]:
    promised = spec.days[1]
    decide = "当场办结" if promised == 0 else f"{promised}个工作日内作出决定"
    deliver = "电子证照即时推送，纸质结果免费邮寄到家" if spec.post else "在窗口领取办理结果"
    if spec.trips == 0:
        apply = "在“一趟办”小程序填写申请、上传材料（可调用电子证照免交）"
        if spec.depth < 3:
            apply = "通过小程序预约邮寄，将纸质材料免费寄至窗口"
        steps = [("申请", apply, ""), ("受理", "材料齐全、符合法定形式的当即受理", "即时")]
    elif spec.trips == 1:
        steps = [
            ("预约申请", "网上填报并预约到窗口的时间段，材料网上预审", ""),
            ("现场核验", f"按预约时间到{dept.window}办理（只跑一次）", "当场"),
        ]
    else:
        steps = [
            ("现场申请", f"到{dept.window}提交申请并核验身份", "当场"),
            ("现场办理", spec.reason or DEFAULT_REASONS[2], ""),
        ]
    steps.append(("审查决定", f"审查申请材料，{decide}", "即办" if promised == 0 else f"{promised}个工作日"))
    if spec.trips < 2:
        steps.append(("送达", deliver, ""))
    return [{"name": n, "description": d, "time_limit": t} for n, d, t in steps]


def _faqs(spec: Spec, materials: list[dict[str, Any]]) -> list[dict[str, str]]:
    kinds = {m["kind"] for m in materials}
    faqs = [
        {
            "question": "办理进度在哪里查？",
            "answer": "在“一趟办”小程序“我的办件”查看，或在“进度查询”输入办件编号和手机号后四位查询。",
        }
    ]
    if "authorization" in kinds:
        faqs.append(
            {"question": "可以委托他人代办吗？", "answer": "可以，受托人携带授权委托书和本人身份证件办理。"}
        )
    if any(m["necessity"] == "tolerated" for m in materials):
        faqs.append(
            {"question": "材料不全能先受理吗？", "answer": "标注“容缺”的材料可先受理，5 个工作日内补交即可。"}
        )
    if spec.trips == 0:
        faqs.append(
            {"question": "需要到现场吗？", "answer": "不需要，全程网上办理，结果免费邮寄或推送电子证照。"}
        )
    return faqs


def build_item(dept: Dept, spec: Spec, index: int) -> dict[str, Any]:
    item_type = TYPES[spec.kind][0]
    statutory, promised = spec.days
    materials = _materials(spec)
    code = _code(dept, spec.name)
    online = spec.depth >= 3
    return {
        "code": code,
        "basic_code": _basic_code(dept, spec, index),
        "department": dept.code,
        "published": True,
        "name": spec.name,
        "item_type": item_type,
        "audience": AUDIENCES[spec.who],
        "statutory_days": statutory,
        "promised_days": promised,
        "time_unit": "working_day",
        "processing_type": "instant" if promised == 0 else "promised",
        "visits": spec.trips,
        "visits_reason": (spec.reason or DEFAULT_REASONS[spec.trips]) if spec.trips else "",
        "online": online,
        "online_depth": spec.depth,
        # zero trips without online service only works by post
        "deliverable": spec.post or (spec.trips == 0 and not online),
        "bookable": spec.book if spec.book is not None else spec.trips > 0,
        "charges_fee": spec.fee is not None,
        "fees": [{"name": n, "standard": s, "basis": b} for n, s, b in [spec.fee]] if spec.fee else [],
        "fee_exemptions": "城乡低保对象、特困人员凭有效证明免收" if spec.fee else "",
        "basis": list(dept.basis),
        "conditions": [*(spec.conditions or dept.conditions), "申请材料齐全、真实，符合法定形式"],
        "procedure": _procedure(spec, dept),
        "place": f"{HALL} {dept.window}",
        "hours": HOURS,
        "contact": f"{dept.name} 咨询电话 {dept.phone}",
        "complaint": COMPLAINT,
        "result": {"name": spec.result[0], "type": spec.result[1]},
        "faqs": _faqs(spec, materials),
        "keywords": spec.kw.split(),
        "online_url": f"/pages/item/apply?code={code}" if online else "",
        "effective_from": EFFECTIVE_FROM,
        "materials": materials,
        "issues_licence": spec.licence,
        "form_fields": spec.form.split(),
    }
