"""Extension points for later domains, so they never edit the case workflow.

The registry (``citizen_api.domains``, the composition root) registers them explicitly at import,
before any request; delivery (issue 7) validates a waybill and subscribes to courier tracking::

    case_hooks.on_deliver(record_post)  # async def record_post(case, request, actor) -> dict | None

A hook raises ApiError to refuse, or returns extra Application columns to store. Hooks run inside
the request's unit of work, before the status changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

DeliverHook = Callable[[Any, Any, Any], Awaitable[dict[str, Any] | None]]

_deliver_hooks: list[DeliverHook] = []


def on_deliver(hook: DeliverHook) -> DeliverHook:
    if hook not in _deliver_hooks:
        _deliver_hooks.append(hook)
    return hook


async def run_deliver_hooks(case, request, actor) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for hook in _deliver_hooks:
        extra.update(await hook(case, request, actor) or {})
    return extra


# -- issue 17 (电子证照, 表单预填): the licences domain registers these ---------------------------------
#
#     case_hooks.on_approve(issue_licence)         # async def (case, actor, settings) -> None
#     case_hooks.on_submit_check(licence_materials)  # async def (principal, body, materials, settings)
#                                                    #   -> ids of materials satisfied without an upload
#     case_hooks.on_submitted(record_consents)     # async def (case, body, principal, settings) -> None
#     case_hooks.on_material_sources(shown)        # async def (case, settings) -> {material_id: {...}}
#
# on_approve runs right after the case became approved, in the same unit of work (a hook that
# raises undoes the approval); the submit hooks run inside the filing's unit of work.

ApproveHook = Callable[[Any, Any, Any], Awaitable[None]]
SubmitCheckHook = Callable[[Any, Any, Any, Any], Awaitable[set[int]]]
SubmittedHook = Callable[[Any, Any, Any, Any], Awaitable[None]]
MaterialSourceHook = Callable[[Any, Any], Awaitable[dict[int, dict[str, Any]]]]

_approve_hooks: list[ApproveHook] = []
_reject_hooks: list[ApproveHook] = []  # 许可公示: a refusal is a decision too
_submit_checks: list[SubmitCheckHook] = []
_submitted_hooks: list[SubmittedHook] = []
_material_sources: list[MaterialSourceHook] = []


def _add(hooks: list, hook):
    if hook not in hooks:
        hooks.append(hook)
    return hook


def on_approve(hook: ApproveHook) -> ApproveHook:
    return _add(_approve_hooks, hook)


def on_reject(hook: ApproveHook) -> ApproveHook:
    """Right after the case became rejected, in the same unit of work (as ``on_approve``)."""
    return _add(_reject_hooks, hook)


def on_submit_check(hook: SubmitCheckHook) -> SubmitCheckHook:
    return _add(_submit_checks, hook)


def on_submitted(hook: SubmittedHook) -> SubmittedHook:
    return _add(_submitted_hooks, hook)


def on_material_sources(hook: MaterialSourceHook) -> MaterialSourceHook:
    return _add(_material_sources, hook)


async def run_approve_hooks(case, actor, settings) -> None:
    for hook in _approve_hooks:
        await hook(case, actor, settings)


async def run_reject_hooks(case, actor, settings) -> None:
    for hook in _reject_hooks:
        await hook(case, actor, settings)


async def run_submit_checks(principal, body, materials, settings) -> set[int]:
    satisfied: set[int] = set()
    for hook in _submit_checks:
        satisfied |= await hook(principal, body, materials, settings)
    return satisfied


async def run_submitted_hooks(case, body, principal, settings) -> None:
    for hook in _submitted_hooks:
        await hook(case, body, principal, settings)


async def material_sources(case, settings) -> dict[int, dict[str, Any]]:
    shown: dict[int, dict[str, Any]] = {}
    for hook in _material_sources:
        shown.update(await hook(case, settings))
    return shown


# -- 三级便民服务 (points): the villager's consent to a case a village point's 代办员 filed -----------------
#
#     case_hooks.on_point_consent(consent_of)  # async def (case) -> {point_code, point_name, agent_name,
#                                              #   consented_at, signature_upload_id} | None
#
# the staff detail shows it (with a signed preview link of the signature image, like the materials').

PointConsentHook = Callable[[Any], Awaitable[dict[str, Any] | None]]

_point_consents: list[PointConsentHook] = []


def on_point_consent(hook: PointConsentHook) -> PointConsentHook:
    return _add(_point_consents, hook)


async def point_consent(case) -> dict[str, Any] | None:
    for hook in _point_consents:
        found = await hook(case)
        if found is not None:
            return found
    return None
