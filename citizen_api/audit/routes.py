"""Audit trail API (prefix /staff): who read personal data, who moved what, newest first."""

from __future__ import annotations

from citizen_api.audit import service
from citizen_api.audit.schemas import AuditEntry, AuditQuery
from citizen_api.http import Ctx, Page, endpoint


async def audit_trail(ctx: Ctx) -> Page[AuditEntry]:
    """审计日志：谁在何时做了什么（查看个人信息、办件流转等），最新的在前；仅监察、管理员"""
    return await service.trail(ctx.query)


ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/audit",
        audit_trail,
        auth={"supervisor", "admin"},
        query=AuditQuery,
        response=Page[AuditEntry],
        tags=["supervision"],
        errors=[(403, "FORBIDDEN")],
    ),
]
