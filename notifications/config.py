"""Template ids and keyword mapping, from configuration.

The shipped default is ``notifications/templates.json``; ``ONETRIP_NOTIFY_TEMPLATES`` (JSON text,
or a path to a JSON file) is merged over it, so production sets only its real template ids:
``{"subscribe": {"case_progress": {"template_id": "AbC…"}}}``.

- ``subscribe``: mini-program subscribe-message templates: ``template_id``, ``page`` and ``data``
  (keyword → expression such as ``"{number}"`` or ``"{note|默认文字}"``; the keyword's type comes from
  its name, ``thing2`` is a ``thing``).
- ``official``: official-account template messages, same shape.
- ``events``: per event, which template of each kind to use, the customer-service ``text``,
  a constant ``status_label`` and ``labels`` that turn payload codes into words.
- ``request_sets``: which subscribe templates the mini-program asks for together (≤ 3 per ask).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

DEFAULT_FILE = Path(__file__).with_name("templates.json")


class TemplateSpec(BaseModel):
    template_id: str = Field(min_length=1, max_length=64)
    title: str = ""
    page: str | None = None
    data: dict[str, str]


class EventSpec(BaseModel):
    subscribe: str | None = None
    official: str | None = None
    text: str = ""
    status_label: str = ""
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)


class TemplatesConfig(BaseModel):
    subscribe: dict[str, TemplateSpec] = Field(default_factory=dict)
    official: dict[str, TemplateSpec] = Field(default_factory=dict)
    events: dict[str, EventSpec] = Field(default_factory=dict)
    request_sets: dict[str, list[str]] = Field(default_factory=dict)

    def subscribe_for(self, event: str) -> TemplateSpec | None:
        spec = self.events.get(event)
        return self.subscribe.get(spec.subscribe) if spec and spec.subscribe else None

    def official_for(self, event: str) -> TemplateSpec | None:
        spec = self.events.get(event)
        return self.official.get(spec.official) if spec and spec.official else None

    def subscribe_ids_by_event(self) -> dict[str, str]:
        return {
            event: self.subscribe[spec.subscribe].template_id
            for event, spec in self.events.items()
            if spec.subscribe and spec.subscribe in self.subscribe
        }

    def known_subscribe_ids(self) -> set[str]:
        return {spec.template_id for spec in self.subscribe.values()}


class TemplatesConfigError(ValueError):
    pass


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return override


@lru_cache(maxsize=8)
def _load(override: str) -> TemplatesConfig:
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    override = override.strip()
    if override:
        try:
            text = override if override.startswith("{") else Path(override).read_text(encoding="utf-8")
            data = _merge(data, json.loads(text))
        except (OSError, ValueError) as exc:
            raise TemplatesConfigError(f"ONETRIP_NOTIFY_TEMPLATES is not readable JSON: {exc}") from exc
    try:
        config = TemplatesConfig.model_validate(data)
    except ValidationError as exc:
        raise TemplatesConfigError(f"notification templates are malformed: {exc}") from exc
    for event, spec in config.events.items():
        if spec.subscribe and spec.subscribe not in config.subscribe:
            raise TemplatesConfigError(f"event {event} names unknown subscribe template {spec.subscribe}")
        if spec.official and spec.official not in config.official:
            raise TemplatesConfigError(f"event {event} names unknown official template {spec.official}")
    return config


def templates_for(settings) -> TemplatesConfig:
    return _load(getattr(settings, "notify_templates", "") or "")
