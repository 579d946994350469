"""The 电子监察 lists and the statistics as ``.xlsx``: the same queries (and scope) as their JSON
endpoints, every matching row (up to ``xlsx.MAX_ROWS``), personal data masked, each export audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from citizen_api.audit import service as audit
from citizen_api.audit.service import without_personal_data
from citizen_api.cases import service as cases
from citizen_api.complaints import service as complaints
from citizen_api.exports.xlsx import MAX_ROWS, workbook
from citizen_api.ratings import service as ratings
from citizen_api.ratings.schemas import StatsQuery as RatingStatsQuery
from citizen_api.security.principal import Principal

PAGE = 100
_KIND = {"case": "一事一评", "visit": "一次一评"}
_LEVEL = {"none": "无", "yellow": "黄灯", "red": "红灯", "calendar_uncertain": "期限依据未知年度日历"}
_COMPLAINT = {"open": "待答复", "replied": "已答复"}

WARNING_HEADERS = [
    "办件编号",
    "事项",
    "责任部门",
    "预警",
    "当前预警",
    "办理期限",
    "超期工作日",
    "办件状态",
    "预警时间",
]
RATING_HEADERS = [
    "评价编号",
    "类型",
    "办件编号",
    "责任部门",
    "评价等级",
    "评价",
    "标签",
    "评价内容",
    "评价时间",
    "回访期限",
    "回访时间",
    "整改期限",
    "整改状态",
    "是否超期",
]
COMPLAINT_HEADERS = [
    "投诉编号",
    "办件编号",
    "部门",
    "投诉内容",
    "首问工作人员",
    "状态",
    "答复期限",
    "是否超期",
    "答复内容",
    "答复时间",
    "投诉时间",
]
STATS_HEADERS = [
    "部门编码",
    "部门",
    "提交件数",
    "办结件数",
    "按期办结件数",
    "按期办结率(%)",
    "平均办结工作日",
    "网办率(%)",
    "零跑动率(%)",
    "在办",
    "黄灯",
    "红灯",
    "好评率(%)",
    "满意度",
]


async def _every(fetch: Callable[[Any], Awaitable[tuple[int, list]]], query: Any) -> list:
    """Every row of a paged list query (``page``/``size`` of the query are ignored)."""
    rows: list = []
    page = 1
    while len(rows) < MAX_ROWS:
        _, items = await fetch(query.model_copy(update={"page": page, "size": PAGE}))
        rows.extend(items)
        if len(items) < PAGE:
            break
        page += 1
    return rows[:MAX_ROWS]


def _masked(text: str | None) -> str:
    return without_personal_data(text or "")


async def _audit(principal: Principal, name: str, query: Any, rows: int, request_id: str) -> None:
    filters = {
        k: v for k, v in query.model_dump(mode="json", exclude={"page", "size"}).items() if v is not None
    }
    await audit.record(
        principal, "export.download", "export", name, {"rows": rows, "filters": filters}, request_id
    )


async def warnings(principal: Principal, query: Any, request_id: str = "") -> bytes:
    async def fetch(q):
        page = await cases.list_warnings(principal, q)
        return page.total, page.items

    rows = await _every(fetch, query)
    await _audit(principal, "warnings", query, len(rows), request_id)
    return workbook(
        "预警清单",
        WARNING_HEADERS,
        (
            [
                w.number,
                w.item_name,
                w.department_name or w.department_code,
                _LEVEL.get(w.level, w.level),
                _LEVEL.get(w.warning, w.warning),
                w.deadline,
                w.days_overdue,
                w.status,
                w.created_at,
            ]
            for w in rows
        ),
    )


async def bad_ratings(principal: Principal, query: Any, request_id: str = "") -> bytes:
    query = query.model_copy(update={"bad": True})
    rows = await _every(lambda q: ratings.staff_ratings(principal, q), query)
    await _audit(principal, "bad-ratings", query, len(rows), request_id)
    return workbook(
        "差评清单",
        RATING_HEADERS,
        (
            [
                r.id,
                _KIND.get(r.kind, r.kind),
                r.application_number,
                r.department_name or r.department_code,
                r.level,
                r.level_text,
                "、".join(r.tags),
                _masked(r.comment),
                r.created_at,
                r.visit_due,
                r.visited_at,
                r.rectify_due,
                r.rectification_status_text,
                r.overdue,
            ]
            for r in rows
        ),
    )


async def complaints_list(principal: Principal, query: Any, request_id: str = "") -> bytes:
    async def fetch(q):
        return await complaints.for_staff(q.status, q.department, q.offset, q.size)

    rows = await _every(fetch, query)
    await _audit(principal, "complaints", query, len(rows), request_id)
    return workbook(
        "投诉清单",
        COMPLAINT_HEADERS,
        (
            [
                c.id,
                c.application_number,
                c.department_code,
                _masked(c.content),
                _masked(c.first_contact_staff),
                _COMPLAINT.get(c.status, c.status),
                c.due_on,
                c.overdue,
                _masked(c.reply),
                c.replied_at,
                c.created_at,
            ]
            for c in rows
        ),
    )


async def statistics(principal: Principal, query: Any, request_id: str = "") -> bytes:
    figures = await cases.statistics(principal, query)
    rating_query = RatingStatsQuery.model_validate(
        {"from": figures.from_, "to": figures.to, "department": query.department}
    )
    rated = await ratings.staff_statistics(rating_query, principal)
    by_department = {row.department: row for row in rated.departments}
    await _audit(principal, "stats", query, len(figures.departments), request_id)

    def row(d, rates):
        opens = d.open_by_warning
        return [
            d.department_code,
            d.department_name,
            d.submitted,
            d.decided,
            d.on_time,
            d.on_time_rate,
            d.average_working_days,
            d.online_share,
            d.zero_trip_share,
            opens.none + opens.yellow + opens.red,
            opens.yellow,
            opens.red,
            rates.good_rate if rates else None,
            rates.satisfaction if rates else None,
        ]

    lines = [row(d, by_department.get(d.department_code)) for d in figures.departments]
    lines.append(row(figures.total, rated.overall))
    title = f"统计 {figures.from_.isoformat()} 至 {figures.to.isoformat()}"
    return workbook(title, STATS_HEADERS, lines)
