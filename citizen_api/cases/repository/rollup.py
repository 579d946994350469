"""电子监察's rollup: every case's figures summed per (department, China-time day, key).

The series and the dashboard read a year of figures as a few thousand rollup rows instead of scanning
every case four times (bench/dashboard.py: 100,000 cases). A case's *contribution* is a pure function
of its row (:func:`contributions`, one source for both dialects); the database's own triggers on
``applications`` and ``supervision_warnings`` write, in the writing transaction, the new contribution
minus the old one as ``case_stats_deltas`` rows — so no write path (the services, a bulk update, COPY,
an operator's SQL) can leave the figures behind, and a reader sees exactly the committed cases.
The deltas are insert-only (concurrent cases never wait on a shared counter row); the
``case_stats_compact`` job folds them into ``case_stats_days``; a read sums both in one statement
(one snapshot), so it is exact whether or not the job has run. ``rebuild`` recomputes everything
from the cases (``onetrip cases stats-rebuild``).

On PostgreSQL only: SQLite (the small embedded database) reads the same contributions from the cases
at every call, see :func:`install_triggers` for why it keeps no rollup.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise import connections

from citizen_api import sql_days as sql

ALL_DAYS = (date(1970, 1, 1), date(9999, 12, 30))
FILED = ("submitted", "online", "zero_trip")
DECIDED = ("decided", "on_time", "days", "timed")
CARDS = ("warnings_yellow", "warnings_red")
INTERVALS = ("ys", "ye", "rs", "re")
KEYS = FILED + DECIDED + CARDS + INTERVALS


def contributions(source: str, sign: int, sqlite: bool) -> str:
    """(department_code, day, key, n) of every case in ``source`` (a table or a one-row subquery with
    :data:`CASE_COLUMNS`), times ``sign``. A case is yellow on [yellow_on, min(deadline + 1, done)) and
    red on [deadline + 1, done), done = its decision's day (never: no end event)."""
    filed_on = sql.local_day("submitted_at", sqlite)
    decided_on = sql.local_day("decided_at", sqlite)
    after = sql.next_day("deadline", sqlite)
    done = f"COALESCE({decided_on}, {sql.far(sqlite)})"
    yellow_end = sql.least(done, after, sqlite)
    accepted = "deadline IS NOT NULL AND accepted_on IS NOT NULL"
    yellow = f"{accepted} AND yellow_on IS NOT NULL AND yellow_on < {yellow_end}"
    red = f"{accepted} AND {after} < {done}"
    online = "CASE WHEN channel = 'online' THEN 1 ELSE 0 END"
    zero_trip = (
        "CASE WHEN item_trips = 0 AND (delivery_channel IS NULL OR delivery_channel <> 'window') "
        "THEN 1 ELSE 0 END"
    )
    branches = [
        (filed_on, "submitted", "1", "submitted_at IS NOT NULL"),
        (filed_on, "online", online, "submitted_at IS NOT NULL"),
        (filed_on, "zero_trip", zero_trip, "submitted_at IS NOT NULL"),
        (decided_on, "decided", "1", "decided_at IS NOT NULL"),
        (decided_on, "on_time", "CASE WHEN on_time THEN 1 ELSE 0 END", "decided_at IS NOT NULL"),
        (decided_on, "days", "COALESCE(working_days_used, 0)", "decided_at IS NOT NULL"),
        (decided_on, "timed", "CASE WHEN working_days_used IS NULL THEN 0 ELSE 1 END", "decided_at IS NOT NULL"),  # noqa: E501
        ("yellow_on", "ys", "1", yellow),
        (yellow_end, "ye", "1", yellow),
        (after, "rs", "1", red),
        (decided_on, "re", "1", f"{red} AND decided_at IS NOT NULL"),
    ]  # fmt: skip
    return " UNION ALL ".join(
        f"SELECT department_code, {day} AS day, '{key}' AS key, {sign} * ({n}) AS n "
        f"FROM {source} WHERE {where}"
        for day, key, n, where in branches
    )


def card_contributions(source: str, sign: int, sqlite: bool) -> str:
    """(department_code, day, key, n) of the yellow and red cards in ``source``."""
    day = sql.local_day("created_at", sqlite)
    return (
        f"SELECT department_code, {day} AS day, 'warnings_' || level AS key, {sign} AS n "
        f"FROM {source} WHERE level IN ('yellow', 'red')"
    )


def _delta_insert(parts: list[str]) -> str:
    """One INSERT of the netted contributions: an update that changes no figure writes no row."""
    union = " UNION ALL ".join(parts)
    return (
        "INSERT INTO case_stats_deltas (department_code, day, key, n) "
        f"SELECT department_code, day, key, SUM(n) FROM ({union}) AS parts "
        "GROUP BY department_code, day, key HAVING SUM(n) <> 0"
    )


def trigger_statements() -> list[str]:
    """The PostgreSQL DDL of the rollup's triggers (replaced when run again). Statement triggers over
    transition tables: a bulk write or a COPY is one INSERT of deltas."""
    out: list[str] = []
    for table, contribution in (
        ("applications", contributions),
        ("supervision_warnings", card_contributions),
    ):
        function = f"case_stats_{table}"
        inserted = _delta_insert([contribution("new_rows", 1, False)])
        updated = _delta_insert([contribution("old_rows", -1, False), contribution("new_rows", 1, False)])
        deleted = _delta_insert([contribution("old_rows", -1, False)])
        out.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {inserted}; ELSIF TG_OP = 'UPDATE' THEN {updated}; "
            f"ELSE {deleted}; END IF; RETURN NULL; END $$"
        )
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            name = f"{function}_{event.lower()}"
            out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            out.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    return out


def _is_sqlite(conn: Any) -> bool:
    return conn.capabilities.dialect == "sqlite"


async def install_triggers(conn: Any) -> None:
    """PostgreSQL only: Tortoise counts SQLite's changed rows by ``total_changes``, which would count
    a trigger's rows as updated cases (every ``UPDATE … WHERE status IN`` check would break). SQLite,
    the small embedded database, reads the same contributions from the cases directly (:func:`read`)."""
    if _is_sqlite(conn):
        return
    for statement in trigger_statements():
        await conn.execute_script(statement)


async def compact() -> int:
    """Fold the deltas into the days; the number of deltas folded (SQLite keeps none: 0). Safe to run
    twice at once: a delta is deleted and added in one statement, so a second run skips what the
    first took."""
    conn = connections.get("default")
    if _is_sqlite(conn):
        return 0
    moved = (
        "WITH moved AS (DELETE FROM case_stats_deltas RETURNING department_code, day, key, n), "
        "folded AS (INSERT INTO case_stats_days (department_code, day, key, n) "
        "SELECT department_code, day, key, SUM(n) FROM moved GROUP BY 1, 2, 3 "
        "ON CONFLICT (department_code, day, key) DO UPDATE SET n = case_stats_days.n + excluded.n) "
        "SELECT COUNT(*) AS n FROM moved"
    )
    rows = await conn.execute_query_dict(moved)
    return int(rows[0]["n"])


def _every(sqlite: bool) -> str:
    """Every case's and card's contribution, read from the cases themselves."""
    return " UNION ALL ".join(
        [contributions("applications", 1, sqlite), card_contributions("supervision_warnings", 1, sqlite)]
    )


async def rebuild() -> int:
    """Recompute the rollup from the cases and cards (after a restore that bypassed the triggers);
    the number of rollup rows written. In the caller's unit of work (three statements, one result)."""
    return await rebuild_on(connections.get("default"))


async def rebuild_on(conn: Any) -> int:
    """:func:`rebuild` on ``conn`` (the migration's connection), in the caller's transaction."""
    if _is_sqlite(conn):
        return 0
    await conn.execute_query("DELETE FROM case_stats_deltas")
    await conn.execute_query("DELETE FROM case_stats_days")
    await conn.execute_query(
        "INSERT INTO case_stats_days (department_code, day, key, n) "
        f"SELECT department_code, day, key, SUM(n) FROM ({_every(False)}) AS every "
        "GROUP BY department_code, day, key HAVING SUM(n) <> 0"
    )
    rows = await conn.execute_query_dict("SELECT COUNT(*) AS n FROM case_stats_days")
    return int(rows[0]["n"])


async def read(
    keys: tuple[str, ...],
    start: date,
    end: date,
    department: str | None,
    bucket: str,
    *,
    carry: tuple[str, ...] = (),
    from_cases: bool = False,
) -> list[dict]:
    """One row per (department_code, period) of the days in [start, end] by ``bucket``, with a column
    per key of ``keys`` (0 where none). The keys of ``carry`` (the interval events) count the days
    before ``start`` too, as period 1970-01-01 (what shows at the range's start). One statement over
    the rollup and its deltas on PostgreSQL (one snapshot); on SQLite, or ``from_cases`` (the check),
    the same contributions worked out from the cases."""
    conn = connections.get("default")
    sqlite = _is_sqlite(conn)
    mark = (lambda n: f"?{n}") if sqlite else (lambda n: f"${n}")  # numbered: reusable
    wanted = (*keys, *carry)
    args: list[Any] = [start, end, *wanted]
    marks = [mark(i + 3) for i in range(len(wanted))]
    where = f"day <= {mark(2)} AND key IN ({', '.join(marks)})"
    period = sql.bucket("day", bucket, sqlite)
    if carry:
        before = "'1970-01-01'" if sqlite else "DATE '1970-01-01'"
        period = f"CASE WHEN day < {mark(1)} THEN {before} ELSE {period} END"
        where += f" AND (day >= {mark(1)} OR key IN ({', '.join(marks[len(keys) :])}))"
    else:
        where += f" AND day >= {mark(1)}"
    if department is not None:
        args.append(department)
        where += f" AND department_code = {mark(len(args))}"
    if sqlite or from_cases:
        rolled = f"SELECT department_code, day, key, n FROM ({_every(sqlite)}) AS every WHERE {where}"
    else:
        rolled = (
            f"SELECT department_code, day, key, n FROM case_stats_days WHERE {where} UNION ALL "
            f"SELECT department_code, day, key, n FROM case_stats_deltas WHERE {where}"
        )
    if sqlite:
        args = [a.isoformat() if isinstance(a, date) else a for a in args]
    # PostgreSQL sums bigints into numeric (Decimal): the counts stay integers
    columns = ", ".join(
        f"CAST(SUM(CASE WHEN key = {marks[i]} THEN n ELSE 0 END) AS INTEGER) AS {key}"
        for i, key in enumerate(wanted)
    )
    statement = (
        f"SELECT department_code, {period} AS period, {columns} FROM ({rolled}) AS rolled GROUP BY 1, 2"
    )
    rows = await conn.execute_query_dict(statement, args)
    for row in rows:
        value = row["period"]
        row["period"] = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return rows
