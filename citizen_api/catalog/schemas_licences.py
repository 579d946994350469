"""What the catalog hands out for 电子证照 and 表单预填; re-exported by ``catalog.schemas``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class CatalogLicenceType(BaseModel):
    """A licence type of the catalog's dictionary (``catalog.vocabulary``)."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    prefix: str
    validity_years: int | None  # None: 长期有效


class CatalogFormField(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    label: str
    personal: bool


class CatalogVersionForms(BaseModel):
    """What a version's guide says of its result licence and its application form (issue 17)."""

    model_config = ConfigDict(frozen=True)

    issues_licence: str = ""
    home_visit: bool = False  # 上门服务 may be asked for (issue 18)
    form_fields: list[str] = []
