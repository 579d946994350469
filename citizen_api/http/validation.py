"""Turning pydantic's errors into the contract's 422 with Chinese messages, field by field."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from citizen_api.errors import ApiError

_CHINESE = {
    "missing": "必填",
    "extra_forbidden": "不允许的字段",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "string_type": "应为文字",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "date_type": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "datetime_type": "应为时间",
    "datetime_parsing": "应为时间",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "too_short": "条目过少",
    "too_long": "条目过多",
    "value_error": "取值无效",
    "json_invalid": "不是合法的 JSON",
}


def field_errors(exc: ValidationError, prefix: str) -> dict[str, str]:
    """``{"body.phone": "手机号格式不正确", ...}`` — one entry per bad field."""
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in (prefix, *err["loc"]) if part != "")
        message = _CHINESE.get(err["type"], "取值无效")
        if err["type"] == "value_error":
            # our own validators raise ValueError with a Chinese message
            ctx_error = (err.get("ctx") or {}).get("error")
            message = str(ctx_error) if ctx_error else message
        fields.setdefault(loc or prefix, message)
    return fields


def validation_error(fields: dict[str, Any], message: str = "请求参数有误") -> ApiError:
    return ApiError(422, "VALIDATION_ERROR", message, {"fields": fields})
