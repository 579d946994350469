"""电子监察 series: the statistics' counts grouped by (department, period), read from the rollup.

A period is a ``bucket`` of China-time days: ``week`` (from Monday), ``month`` (from the 1st) or ``all``
(the whole range, for ``GET /staff/stats``); every row names the period's first day (``all``: 1970-01-01).
The figures come from ``case_stats_days`` and its deltas (``rollup.py``: a few rows per department and
day, kept by the database's triggers), one row per (department, period) with a column per figure.
The service folds periods into departments and totals, so the series, the dashboard and
``GET /staff/stats`` read the same rows (see ``cases/stats_series.py``).
"""

from __future__ import annotations

from datetime import date

from citizen_api.cases.repository import rollup

ALL = date(1970, 1, 1)  # the period of bucket "all", and of the interval events before a range


async def figures(
    start: date, end: date, department: str | None, bucket: str, *, warnings: bool
) -> list[dict]:
    """One row per (department_code, period): the cases filed (``submitted``, ``online``,
    ``zero_trip``) and decided (``decided``, ``on_time``, ``days``, ``timed``) on the days [start, end];
    with ``warnings``, the yellow and red cards written (``warnings_yellow``, ``warnings_red``) and the
    interval events ``ys``/``ye`` (a yellow interval starts/ends, exclusive) and ``rs``/``re`` (a red
    one), each in the period of its day (``rollup.contributions``). The events before ``start`` come in
    period 1970-01-01 (what they leave showing at the start); events after ``end`` are left out (they
    count for no period end)."""
    keys = rollup.FILED + rollup.DECIDED + (rollup.CARDS if warnings else ())
    carry = rollup.INTERVALS if warnings else ()
    return await rollup.read(keys, start, end, department, bucket, carry=carry)
