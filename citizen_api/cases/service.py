"""The cases domain's public API: what other domains may ask of a case, and the changes they may make.

Other domains import this module (and ``cases.schemas``), never the models, the repository or the
workflow. Rows are returned for reading; every change goes through a function here.

Who calls what:
- delivery (above cases): the citizen's case, the address of the result, its timeline notes, the post
  and the courier's signature (``delivered_by_courier``, a transition of the table);
- bots: the public progress query;
- ratings and complaints sit below cases (a case's detail shows its rating and offers ``rate`` and
  ``complain``); they get what they need of a case through their ports, bound to the functions
  below by ``citizen_api.domains`` (:func:`rating_port`, :func:`complaint_port`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from citizen_api.cases import (
    address,
    batch_filing,
    citizen,
    numbers,
    offers,
    progress,
    staff_filing,
    stats,
    step_stats,
    steps,
    supervision,
    transitions,
    views,
    workflow,
)
from citizen_api.cases.address import DeliveryAddress
from citizen_api.cases.models import Application
from citizen_api.cases.repository import cases as repo
from citizen_api.cases.repository import performance as perf_repo
from citizen_api.complaints.ports import CasesPort as ComplaintCases
from citizen_api.ratings.ports import CasesPort as RatingCases
from citizen_api.security.principal import Principal

# -- for the delivery domain: free post of the result (双向寄递) and mail-in of paper materials ---------

DECIDED = transitions.DONE  # the result exists: it may be posted
WITH_RESULT = transitions.HAS_RESULT  # decided, delivered or not (村级代办's figures: done)
FINISHED = transitions.FINISHED  # nothing more happens to the case


# the 电子监察 lists and figures, for the exports (citizen_api.exports)
list_warnings = supervision.list_warnings  # (principal, WarningQuery) → Page[WarningView]
statistics = stats.stats  # (principal, StatsQuery) → Stats


async def citizen_case(case_id: int, user_id: int, *, lock: bool = False) -> Application | None:
    """The citizen's own case (row-locked until commit with ``lock``); None for anyone else's."""
    return await repo.case_of_citizen(case_id, user_id, lock=lock)


async def case_by_id(case_id: int) -> Application:
    return await repo.case_by_id(case_id)


async def cases_by_id(case_ids: Iterable[int]) -> dict[int, Application]:
    return await repo.cases_by_id(case_ids)


def checked_delivery_address(body: DeliveryAddress, field_prefix: str = "body") -> dict[str, Any]:
    """The address with canonical division names and code (422 VALIDATION_ERROR naming the field)."""
    return address.checked(body, field_prefix)


def delivery_address(case: Application, settings) -> dict[str, Any] | None:
    """The clear postal address of the case's result (for the citizen and the courier)."""
    return address.load(case.delivery_address_enc, settings)


def masked_delivery_address(case: Application, settings) -> dict[str, Any] | None:
    return address.masked(case.delivery_address_enc, settings)


async def save_delivery_address(case: Application, checked: dict[str, Any], settings) -> None:
    """Store ``checked`` (from :func:`checked_delivery_address`) encrypted on the case."""
    case.delivery_address_enc = address.store(checked, settings)
    await repo.set_delivery_address(case.id, case.delivery_address_enc)


async def add_timeline_note(
    case: Application, note: str, actor: Principal | None = None, *, kind: str = "delivery"
) -> None:
    """A timeline entry that does not change the status (``actor`` None: the system)."""
    await repo.add_timeline(case.id, actor, None, case.status, note, kind=kind)


async def record_posted_result(case: Application, company: str, waybill: str) -> None:
    """The result left the hall by post under ``waybill``; the case stays decided until signed for."""
    await repo.set_posted(case.id, company, waybill)
    case.delivery_channel, case.delivery_company, case.delivery_waybill = "post", company, waybill


async def record_locker_result(case: Application) -> None:
    """The result waits in a pickup locker; the case stays decided until the citizen opens it."""
    await repo.set_in_locker(case.id)
    case.delivery_channel, case.delivery_company, case.delivery_waybill = "locker", None, None


async def delivered_at_locker(case: Application, now: datetime) -> bool:
    """The citizen opened the compartment with the pickup code: the table's ``deliver``, as the
    courier's signature is. False when the case was not there any more."""
    moved = await workflow.commit_by_system(case, "deliver", "办理结果已在自助取件柜取件", finished_at=now)
    if moved:
        await steps.on_delivered(case, None)  # the 送达 step, if the guide has one
    return moved


async def record_point_result(case: Application) -> None:
    """The result went to a village service point; the case stays decided until it is handed over."""
    await repo.set_at_point(case.id)
    case.delivery_channel, case.delivery_company, case.delivery_waybill = "point", None, None


async def delivered_at_point(case: Application, point_name: str, now: datetime, agent: Principal) -> bool:
    """The point's 代办员 handed the result to the villager: the table's ``deliver``, as the courier's
    signature is (the agent named in the timeline). False when the case was not there any more."""
    return await workflow.commit_by_system(
        case, "deliver", f"办理结果已在{point_name}由申请人领取", by=agent, finished_at=now
    )


# -- for the points domain (三级便民服务): a village point's 代办员 files for a villager present ---------

file_at_point = staff_filing.file_at_point  # (agent, StaffCaseFiling, settings, request_id) → CaseCreated


async def delivered_by_courier(case: Application, now: datetime) -> bool:
    """The courier reports the posted result signed for: the table's ``deliver`` (approved | rejected →
    delivered), as one conditional UPDATE with its timeline entry. False when the case was not there
    (already delivered at the window, or by an earlier report)."""
    moved = await workflow.commit_by_system(case, "deliver", "办理结果已由收件人签收", finished_at=now)
    if moved:
        await steps.on_delivered(case, None)  # the 送达 step, if the guide has one
    return moved


# -- for the official account's bot (进度): the same public lookup as ``GET /progress`` ----------------


async def public_progress(number: str, phone_tail: str, settings) -> dict[str, Any] | None:
    """The public view of one case, or None when the number and phone tail do not match a case."""
    return await progress.lookup(number, phone_tail, settings)


# -- for ratings and complaints (their ports, bound by the registry) -----------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """A case as ratings and complaints see it."""

    id: int
    number: str
    status: str
    applicant_id: int
    department_code: str
    done_at: datetime | None  # when its result came; None while it has none (not rateable yet)


def _facts(case: Application) -> CaseFacts:
    return CaseFacts(
        case.id, case.number, case.status, case.applicant_id, case.department_code, offers.done_at(case)
    )


async def facts_of_citizen_case(case_id: int, user_id: int) -> CaseFacts | None:
    """The citizen's own case; None for an unknown id or another citizen's case."""
    case = await repo.case_of_citizen(case_id, user_id)
    return _facts(case) if case is not None else None


async def case_numbers(case_ids: Iterable[int]) -> dict[int, str]:
    return await repo.case_numbers(case_ids)


async def add_rating_entry(case_id: int, note: str, actor_id: int | None, actor_role: str) -> None:
    """The rating's entry in the case timeline (the status stays)."""
    case = await repo.case_by_id(case_id)
    await repo.add_entry(case.id, actor_id, actor_role, None, case.status, note, kind="rating")


async def unrated_done_cases(before: datetime, limit: int) -> list[CaseFacts]:
    """Cases decided before ``before`` that have their result and no rating, oldest first."""
    return [_facts(case) for case in await repo.unrated_done(transitions.HAS_RESULT, before, limit)]


async def done_counts(lo: datetime, hi: datetime, department: str | None) -> dict[str, int]:
    """Cases with their result, decided in [lo, hi), by department."""
    return await repo.done_counts(transitions.HAS_RESULT, lo, hi, department)


def rating_port() -> RatingCases:
    return RatingCases(
        own_case=facts_of_citizen_case,
        numbers=case_numbers,
        add_rating_entry=add_rating_entry,
        unrated_done=unrated_done_cases,
        done_counts=done_counts,
    )


def complaint_port() -> ComplaintCases:
    return ComplaintCases(own_case=facts_of_citizen_case, numbers=case_numbers)


# -- for 效能考评 (citizen_api.performance, above cases): the cases behind a month's scores -----------


@dataclass(frozen=True)
class PerformanceFact:
    """A case as 效能考评 counts it."""

    id: int
    number: str
    item_name: str
    department_code: str
    decided_in_period: bool  # False: a case only of the period's steps (decided another month, or open)
    on_time: bool | None  # decided on or before its deadline; None: no deadline (or not decided)
    warned: bool  # turned yellow or red at some time (a 电子监察 card)
    accepted_by: int | None  # the clerk whose acceptance the timeline records first


async def performance_facts(
    lo: datetime, hi: datetime, also_case_ids: Iterable[int] = ()
) -> list[PerformanceFact]:
    """The cases decided in [lo, hi) with their result, and the cases ``also_case_ids`` (steps of the
    period on cases decided in another month), by id."""
    rows = {row["id"]: row for row in await perf_repo.decided_between(transitions.HAS_RESULT, lo, hi)}
    decided = set(rows)
    extra = [i for i in also_case_ids if i not in rows]
    rows.update((row["id"], row) for row in await perf_repo.cases_with_ids(extra))
    warned = await perf_repo.warned_ids(rows, ("yellow", "red"))
    clerks = await perf_repo.accepting_clerks(rows)
    return [
        PerformanceFact(
            id=row["id"],
            number=row["number"],
            item_name=row["item_name"],
            department_code=row["department_code"],
            decided_in_period=row["id"] in decided,
            on_time=row["on_time"],
            warned=row["id"] in warned,
            accepted_by=clerks.get(row["id"]),
        )
        for row in sorted(rows.values(), key=lambda r: r["id"])
    ]


# -- for the bundles domain (一件事一次办, above cases): each child is a case of its own department ------

STATUS_TEXT = transitions.STATUS_TEXT
OPEN = transitions.OPEN  # a child still being handled (the bundle is not done)


async def reserve_application_id() -> int:
    """An id of the cases' sequence no case will take (a bundle application's id at /applications/{id})."""
    return await repo.reserve_application_id()


async def new_number(prefix: str, day) -> str:
    """A readable unique number of ``prefix`` (a department code, or the bundles' own) and day."""
    return await numbers.next_number(prefix, day)


async def check_children(principal: Principal, bodies: list, settings, items: list) -> batch_filing.Checked:
    """Every check of the ordinary submission for each child of a bundle (``CaseSubmit`` each, with its
    published ``CatalogItem``), in order; nothing is written (``MATERIALS_MISSING``, ``NOT_FOUND`` …)."""
    return await batch_filing.check(principal, bodies, settings, items)


async def file_children(
    checked: batch_filing.Checked, request_id: str, number_prefix: str
) -> batch_filing.Filed:
    """Write the checked children, each a case of its own department recorded as the ordinary submission
    records one (number, deadline rules, timeline, message, audit), together; the bundle application's
    id and number (of ``number_prefix``) are taken with theirs (``Filed.parent_id``, ``parent_number``)."""
    return await batch_filing.file(checked, request_id, parent_prefix=number_prefix)


async def bundle_children(bundle_ids: Iterable[int]) -> list[Application]:
    """The child cases of bundle applications (rows, for reading), in filing order."""
    return await repo.bundle_children(bundle_ids)


async def child_details(children: list[Application], settings) -> list:
    """Each child's full citizen detail (``CaseDetail``), as ``GET /applications/{child id}`` shows it."""
    return [await views.detail(case, settings) for case in children]


async def child_summaries(children: list[Application], settings) -> list:
    """Each child as the citizen's list shows a case (``CaseSummary``: status text, warning, actions)."""
    return await views.summaries(children, settings)


async def supplement_child(principal: Principal, case_id: int, body, settings, request_id: str = ""):
    return await citizen.supplement(principal, case_id, body, settings, request_id)


async def withdraw_child(principal: Principal, case_id: int, settings, request_id: str = ""):
    return await citizen.withdraw(principal, case_id, settings, request_id)


@dataclass(frozen=True)
class StepFact:
    """One procedure step of a case (电子监察 per step), as 效能考评 and AB角 read it.

    ``holder_id`` is the staff account that held (or holds) the step; ``overdue`` is true when the step
    was finished after its own limit, or is still open past it on ``end``.
    """

    case_id: int
    department_code: str
    step_code: str
    step_name: str
    post: str
    holder_id: int | None
    started_on: date
    finished_on: date | None
    limit_on: date | None
    overdue: bool
    warnings: int


async def step_facts(start: date, end: date) -> list[StepFact]:
    """Every case step started or finished in [start, end] (dates in China time); skipped steps (the
    decision came before them) are left out."""
    return [StepFact(**fact) for fact in await step_stats.facts(start, end)]


async def hand_over(
    from_user_id: int,
    to_user_id: int,
    *,
    reason: str,
    actor: Principal,
    only_case_ids: Iterable[int] | None = None,
) -> list[int]:
    """Give every open case step held by ``from_user_id`` to ``to_user_id``; the case ids moved.

    ``only_case_ids`` limits the move (an AB角 return moves back only what B still holds). Each case
    gets a timeline entry and an audit row (``case.step_holder``). Steps of a department other than
    ``to_user_id``'s stay; ``to_user_id`` not an active window clerk or approver: 422 HOLDER_INVALID.
    """
    return await steps.hand_over(
        from_user_id, to_user_id, reason=reason, actor=actor, only_case_ids=only_case_ids
    )
