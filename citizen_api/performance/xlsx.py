"""The 效能考评 workbook: the ranking (one row per department, window or staff member, each sub-score
with its raw figures) and a sheet of the cases behind the scores."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import save_workbook

from citizen_api.clock import to_local
from citizen_api.performance.scoring import PART_LABELS, PARTS

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 10_000  # the cases sheet: what a supervisor forwards, not a database dump
_BOARD = {"red": "红榜", "black": "黑榜"}
_RED = PatternFill("solid", fgColor="FDE2E2")
_GREY = PatternFill("solid", fgColor="E4E7ED")


def _yes(value: bool | None) -> str:
    return "" if value is None else "是" if value else "否"


def _sheet(sheet, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(len(h) * 2, 8) for h in headers]
    for row in rows:
        sheet.append(list(row))
        for column, value in enumerate(row):
            if isinstance(value, str):
                widths[column] = min(max(widths[column], len(value) * 2), 60)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def performance_workbook(ranking, level_text: str, cases: Sequence[tuple[str, Any]]) -> bytes:
    book = Workbook()
    ranked = book.active
    ranked.title = f"{ranking.month} {level_text}排名"
    weights = ranking.weights.model_dump()
    headers = ["名次", "红黑榜", level_text, "部门编码", "综合得分", "计入办件"]
    for name in PARTS:
        headers += [f"{PART_LABELS[name]}得分", f"{PART_LABELS[name]}原始数据（权重 {weights[name]}）"]
    lines = []
    for row in ranking.rows:
        line = [
            row.rank,
            _BOARD.get(row.board or "", ""),
            row.label,
            row.department_code,
            row.score,
            row.cases,
        ]
        for part in row.parts:
            line += [part.score, part.text]
        lines.append(line)
    _sheet(ranked, headers, lines)
    for index, row in enumerate(ranking.rows, start=2):
        fill = _RED if row.board == "red" else _GREY if row.board == "black" else None
        if fill is not None:
            for cell in ranked[index]:
                cell.fill = fill
    computed = to_local(ranking.computed_at).strftime("%Y-%m-%d %H:%M")
    ranked.append([])
    ranked.append(
        [
            f"计算时间 {computed}（北京时间）；权重："
            + "、".join(f"{PART_LABELS[n]} {weights[n]}" for n in PARTS)
        ]
    )

    behind = book.create_sheet("办件明细")
    _sheet(
        behind,
        [level_text, "办件编号", "事项", "计入办结", "按期办结", "曾亮黄灯或红灯", "评价等级", "投诉",
         "环节", "超期环节"],
        [
            [label, c.number, c.item_name, _yes(c.decided), _yes(c.on_time if c.decided else None),
             _yes(c.warned) if c.decided else "", c.rating, c.complaints, c.steps, c.steps_overdue]
            for label, c in cases
        ],
    )  # fmt: skip
    out = BytesIO()
    save_workbook(book, out)  # (not book.save: the house rules read .save() as an ORM call)
    return out.getvalue()


def disposition(filename: str, ascii_name: str) -> str:
    """``attachment`` with the Chinese name as RFC 5987 ``filename*`` and an ASCII fallback."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
