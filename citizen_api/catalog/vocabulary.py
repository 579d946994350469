"""The catalog's two dictionaries for 电子证照 and 表单预填 (issue 17).

- Licence types: what an item's result is (``issues_licence`` in its guide) and what licence
  satisfies a material (``accepts_licence``). Validity in years; None = 长期有效.
- Form fields: the fields an item's application form asks for (``form_fields`` in its guide), each
  with its label and whether it is personal data (stored encrypted, masked to the staff).

An item or material without them (the default, "" and []) behaves exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class LicenceType:
    code: str
    name: str
    prefix: str  # of the licence number
    validity_years: int | None  # None: 长期有效


LICENCE_TYPES: dict[str, LicenceType] = {
    t.code: t
    for t in (
        LicenceType("business_licence", "营业执照", "YYZZ", None),
        LicenceType("food_business_licence", "食品经营许可证", "JY", 5),
        LicenceType("marriage_certificate", "结婚证", "JH", None),
        LicenceType("divorce_certificate", "离婚证", "LH", None),
        LicenceType("special_trade_licence", "特种行业许可证", "TH", 3),
        LicenceType("real_estate_certificate", "不动产权证书", "BDC", None),
    )
}


@dataclass(frozen=True)
class FormField:
    code: str
    label: str
    personal: bool  # personal data: masked in the staff's view like the applicant's own


FORM_FIELDS: dict[str, FormField] = {
    f.code: f
    for f in (
        FormField("name", "姓名", False),
        FormField("id_number", "身份证号", True),
        FormField("phone", "手机号", True),
        FormField("address", "住址", True),
        FormField("company_name", "企业（个体户）名称", False),
        FormField("credit_code", "统一社会信用代码", False),
        FormField("legal_representative", "法定代表人（经营者）", False),
        FormField("business_address", "经营场所", False),
        FormField("business_scope", "经营范围", False),
        FormField("spouse_name", "配偶姓名", False),
        FormField("email", "电子邮箱", True),
    )
}

LicenceTypeCode = Literal[("", *LICENCE_TYPES)]  # type: ignore[valid-type]
FormFieldName = Literal[tuple(FORM_FIELDS)]  # type: ignore[valid-type]
LICENCE_DOC = "电子证照类型（空 = 无）：" + "、".join(f"{t.code} {t.name}" for t in LICENCE_TYPES.values())
FORM_FIELDS_DOC = "申请表字段：" + "、".join(f"{f.code} {f.label}" for f in FORM_FIELDS.values())
