"""AB角 API: a clerk's backup, the department's list, marking a clerk absent and back."""

from __future__ import annotations

from citizen_api.http import Ctx, endpoint
from citizen_api.staffing import absence, service
from citizen_api.staffing.schemas import AbsenceBody, AbsenceOut, BackupBody, BackupOut, BackupsQuery
from citizen_api.staffing.transitions import CLERK_ROLES, MANAGERS

TAGS = ["staff-backups"]
_USER = "/staff/users/{id:id}"


async def list_backups(ctx: Ctx) -> list[BackupOut]:
    """AB角一览：各窗口、审批人员的 B 角与缺岗情况（可按部门）"""
    return await service.backups(ctx.user, ctx.query.department)


async def get_backup(ctx: Ctx) -> BackupOut:
    """某工作人员的 B 角与缺岗情况（窗口、审批人员只能查看本部门）"""
    return await service.backup(ctx.user, ctx.path["id"])


async def set_backup(ctx: Ctx) -> BackupOut:
    """指定 B 角（同部门、同岗位、在岗；记入审计）"""
    return await service.set_backup(ctx.user, ctx.path["id"], ctx.body)


async def mark_absent(ctx: Ctx) -> AbsenceOut:
    """标记缺岗：办件与已叫的号转给 B 角，B 角代叫其窗口组（及其所代同事的窗口组）的号，并通知 B 角"""
    return await absence.mark_absent(ctx.user, ctx.path["id"], ctx.body)


async def mark_returned(ctx: Ctx) -> AbsenceOut:
    """返岗：收回仍由 B 角（或其缺岗时的 B 角）持有的办件，结束代叫，通知本人与代办者"""
    return await absence.mark_returned(ctx.user, ctx.path["id"])


ENDPOINTS = [
    endpoint(
        "GET",
        "/staff/backups",
        list_backups,
        auth=MANAGERS,
        query=BackupsQuery,
        response=list[BackupOut],
        tags=TAGS,
    ),
    endpoint(
        "GET",
        f"{_USER}/backup",
        get_backup,
        auth=MANAGERS | CLERK_ROLES,
        response=BackupOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND")],
    ),
    endpoint(
        "PUT",
        f"{_USER}/backup",
        set_backup,
        auth=MANAGERS,
        body=BackupBody,
        response=BackupOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (422, "BACKUP_INVALID")],
    ),
    endpoint(
        "POST",
        f"{_USER}/absence",
        mark_absent,
        auth=MANAGERS | CLERK_ROLES,
        body=AbsenceBody,
        response=AbsenceOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NO_BACKUP"), (409, "BACKUP_ABSENT"), (409, "ALREADY_ABSENT")],
    ),
    endpoint(
        "POST",
        f"{_USER}/absence/end",
        mark_returned,
        auth=MANAGERS | CLERK_ROLES,
        response=AbsenceOut,
        tags=TAGS,
        errors=[(404, "NOT_FOUND"), (409, "NOT_ABSENT"), (422, "HOLDER_INVALID")],
    ),
]
