"""Marking a clerk absent and back (AB角): what goes to the backup and what comes back.

A's and B's account rows are locked first, in id order (``users.lock_account``): two "absent" taps
for one clerk run one after the other and the second answers 409 ALREADY_ABSENT (the unique
``open_key`` is the database's own guard behind that), and A and B marked absent at once cannot
each leave the other as their cover (the second sees BACKUP_ABSENT). With them are locked the
colleagues of the chain (``chain``): those B covers (B away while covering A) and, on a return, those
who may hold what was handed over — so a return and a new absence along one chain run in turn.
"""

from __future__ import annotations

from citizen_api import clock
from citizen_api.appointments import service as appointments
from citizen_api.audit import service as audit
from citizen_api.cases import service as cases
from citizen_api.errors import ApiError
from citizen_api.security.principal import Principal
from citizen_api.staffing import chain
from citizen_api.staffing import repository as repo
from citizen_api.staffing.schemas import AbsenceBody, AbsenceOut
from citizen_api.staffing.service import absence_out, clerk, may_mark, staff_ref
from citizen_api.staffing.transitions import ABSENCES, ABSENT
from citizen_api.users import service as users
from notifications import outbox


def _now_text() -> str:
    return clock.to_local(clock.now()).strftime("%Y-%m-%d %H:%M")


async def mark_absent(principal: Principal, user_id: int, body: AbsenceBody) -> AbsenceOut:
    may_mark(principal, user_id)
    a = await clerk(principal, user_id)
    named = await repo.backup_of(a.id)
    covered = chain.covered_through(await repo.all_open_absences(), a.id)
    for locked in sorted({a.id, named.backup_user_id if named else a.id, *covered}):
        await users.lock_account(locked)
    if await repo.open_absence(a.id) is not None:
        raise ApiError(409, "ALREADY_ABSENT", "该工作人员已标记缺岗", {"status": ABSENT})
    pair = await repo.backup_of(a.id)
    b = await users.staff_account(pair.backup_user_id) if pair is not None else None
    if pair is None or b is None or not b.is_active:
        raise ApiError(409, "NO_BACKUP", "尚未指定在岗的 B 角，不能标记缺岗；请先指定 B 角",
                       {"backup_user_id": pair.backup_user_id if pair else None})  # fmt: skip
    if await repo.open_absence(b.id) is not None:
        raise ApiError(409, "BACKUP_ABSENT", f"B 角 {staff_ref(b).name} 也已缺岗，请先另行指定 B 角",
                       {"backup_user_id": b.id})  # fmt: skip
    absence = await repo.create_absence(
        user_id=a.id, backup_user_id=b.id, reason=body.reason, started_at=clock.now(),
        started_by=principal.user_id,
    )  # fmt: skip
    reason = f"AB角：{staff_ref(a).name} 缺岗（{body.reason}）"
    case_ids = sorted(await cases.hand_over(a.id, b.id, reason=reason, actor=principal))
    cover = await appointments.start_desk_cover(a.id, b.id)
    await repo.record_handover(absence.id, case_ids, cover.tickets, cover.group_name)
    passed = await chain.sync_desk_covers(a.id)  # the desks A covered (A's cases went with A's own)
    await audit.record(principal, "staff.absence", "user", a.id, {
        "absence_id": absence.id, "reason": body.reason, "backup_user_id": b.id,
        "case_ids": case_ids, "tickets": cover.tickets, "window_group": cover.group_code,
        "covers_passed": passed,
    })  # fmt: skip
    group = f"，代叫 {cover.group_name} 的号" if cover.group_name else ""
    note = f"代 {staff_ref(a).name} 办理：{len(case_ids)} 件、{len(cover.tickets)} 个号{group}"
    await outbox.enqueue(b.id, "staff.cover_started", {
        "absent_name": staff_ref(a).name, "cases": len(case_ids), "tickets": len(cover.tickets),
        "case_ids": case_ids, "window_group": cover.group_name or "", "at": _now_text(), "note": note[:20],
        "title": "AB角接办",
    }, audience="staff")  # fmt: skip
    fresh = await repo.get_absence(absence.id)
    assert fresh is not None  # written above, in this transaction
    return absence_out(fresh)


async def mark_returned(principal: Principal, user_id: int) -> AbsenceOut:
    may_mark(principal, user_id)
    a = await clerk(principal, user_id)
    seen = await repo.open_absence(a.id)
    named = await repo.all_open_absences()
    along = chain.holders(named, seen.backup_user_id) if seen is not None else []
    for locked in sorted({a.id, *along}):
        await users.lock_account(locked)
    absence = await repo.open_absence(a.id)
    if absence is None:
        raise ABSENCES.refuse("return", "on_duty")
    holders = chain.holders(await repo.all_open_absences(), absence.backup_user_id)
    back: list[int] = []
    returned_from: dict[str, list[int]] = {}
    reason = f"AB角：{staff_ref(a).name} 返岗"
    for holder in holders:  # B, and C when B went away too: what they hold of A's recorded cases
        left = sorted(set(absence.case_ids) - set(back))
        if not left:
            break
        moved = await cases.hand_over(holder, a.id, reason=reason, actor=principal, only_case_ids=left)
        if moved:
            returned_from[str(holder)] = sorted(moved)
            back = sorted({*back, *moved})
    await appointments.end_desk_cover(a.id)
    if not await repo.end_absence(absence.id, ended_at=clock.now(), ended_by=principal.user_id,
                                  returned_case_ids=back):  # fmt: skip
        raise ABSENCES.refuse("return", "changed")
    resumed = await chain.sync_desk_covers(a.id)  # the desks A covered before going away, if still away
    await audit.record(principal, "staff.return", "user", a.id, {
        "absence_id": absence.id, "backup_user_id": absence.backup_user_id, "returned_case_ids": back,
        "not_returned": sorted(set(absence.case_ids) - set(back)), "returned_from": returned_from,
        "covered_by": holders[-1], "covers_resumed": resumed,
    })  # fmt: skip
    name, at = staff_ref(a).name, _now_text()
    told = {"absent_name": name, "cases": len(back), "case_ids": back, "at": at, "title": "AB角返岗"}
    to_b = {**told, "note": f"{name} 已返岗，收回 {len(back)} 件"[:20]}
    await outbox.enqueue(holders[-1], "staff.cover_ended", to_b, audience="staff")  # who covered A last
    to_a = {**told, "note": f"已返岗，收回 {len(back)} 件"[:20]}
    await outbox.enqueue(a.id, "staff.returned", to_a, audience="staff")
    fresh = await repo.get_absence(absence.id)
    assert fresh is not None
    return absence_out(fresh)
