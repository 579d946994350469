"""What the citizen reads: keyword values within WeChat's limits, cut gracefully, never refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from notifications.config import TemplatesConfigError, _load, templates_for
from notifications.rendering import fill, keyword_value, render_text, variables

AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in China


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("thing2", "短名称", "短名称"),
        ("thing2", "一" * 25, "一" * 19 + "…"),
        ("thing2", "", "无"),
        ("thing5", "第一行\n第二行", "第一行 第二行"),
        ("phrase3", "已受理", "已受理"),
        ("phrase3", "审批通过（已盖章）", "审批通过已"),
        ("phrase3", "OK", "有更新"),
        ("character_string1", "A2026-0301/0001", "A2026-0301/0001"),
        ("character_string1", "编号A" + "9" * 40, "A" + "9" * 31),
        ("number3", "共 12.5 元", "12.5"),
        ("name4", "欧阳娜娜娜娜娜娜娜娜娜", "欧阳娜娜娜娜娜娜娜娜"),
        ("name4", "Alexander Hamilton-Washington", "Alexander Hamilton-W"),
        ("phone_number5", "电话 +86 138-0013-8000 转 123", "+86 138-0013-8000"),
        ("time4", "2026-03-02T01:30:00+00:00", "2026-03-02 09:30"),
        ("time4", "2026-03-02 09:00-09:40", "2026-03-02 09:00"),
        ("time4", "2026年3月2日 14:05", "2026-03-02 14:05"),
        ("time4", "不知道", "2026-03-02 09:30"),
        ("date4", "2026-03-20", "2026-03-20"),
        ("date4", "", "2026-03-02"),
        ("keyword1", "x" * 300, "x" * 199 + "…"),
    ],
)
def test_keyword_values_fit_their_type(key, raw, expected):
    assert keyword_value(key, raw, AT) == expected


def test_every_configured_keyword_renders_within_limits_for_hostile_payloads():
    from infra.simulators.wechat import KEYWORD_LIMITS

    config = templates_for(type("S", (), {"notify_templates": ""})())
    hostile = {
        "number": "号" * 80,
        "item_name": "名" * 80,
        "note": "注\x00\n" * 50,
        "date": "明天",
        "time": "?",
    }
    for event, spec in config.events.items():
        values = variables(spec, hostile, AT)
        for template in filter(None, (config.subscribe_for(event), config.official_for(event))):
            for key, expr in template.data.items():
                value = keyword_value(key, fill(expr, values), AT)
                kind = key.rstrip("0123456789")
                assert value.strip(), (event, key)
                assert len(value) <= KEYWORD_LIMITS.get(kind, 200), (event, key, value)


def test_fill_uses_defaults_and_labels():
    config = templates_for(type("S", (), {"notify_templates": ""})())
    values = variables(config.events["delivery.event"], {"number": "N1", "state": "3"}, AT)
    assert values["state_label"] == "已签收"
    assert fill("{note|请留意查收}", values) == "请留意查收"
    assert fill("{number} {missing}", values) == "N1"
    appointment = variables(config.events["appointment.booked"], {"start": "09:00", "end": "09:40"}, AT)
    assert appointment["time"] == "09:00-09:40"
    assert render_text("", {}) == "您有一条新的办事通知，请进入小程序查看。"


def test_configuration_is_merged_over_the_default_and_checked():
    merged = _load('{"subscribe": {"case_progress": {"template_id": "REAL-ID"}}}')
    assert merged.subscribe["case_progress"].template_id == "REAL-ID"
    assert merged.subscribe["case_progress"].data["thing2"] == "{item_name}"  # kept from the default
    assert merged.subscribe_ids_by_event()["case.accepted"] == "REAL-ID"
    with pytest.raises(TemplatesConfigError):
        _load('{"events": {"case.accepted": {"subscribe": "nope"}}}')
    with pytest.raises(TemplatesConfigError):
        _load("{not json")
