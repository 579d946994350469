"""The queries of filing several cases at once (a bundle's children, ``cases/batch_filing.py``): their ids,
their numbers and their rows, each kind in one statement whatever the number of cases."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Sequence

from tortoise import connections
from tortoise.models import Model

from citizen_api.cases.models import Application, ApplicationMaterial, TimelineEntry

_ROWS_PER_STATEMENT = 200  # SQLite allows 32,766 parameters; an application row has about 55


def _postgres(conn) -> bool:
    return getattr(conn.capabilities, "dialect", "") == "postgres"


def _placeholders(conn, start: int, count: int) -> str:
    if _postgres(conn):
        return ", ".join(f"${n}" for n in range(start + 1, start + count + 1))
    return ", ".join("?" * count)


async def reserve_application_ids(count: int) -> list[int]:
    """``count`` ids of the cases' sequence, taken in one statement: the caller inserts its rows with
    them (a bundle application's own id among them), so every row's id is known before it is written."""
    conn = connections.get("default")
    if _postgres(conn):
        rows = await conn.execute_query_dict(
            "SELECT nextval(pg_get_serial_sequence('applications', 'id')) AS id "
            "FROM generate_series(1, $1::int)",
            [count],
        )
        return sorted(int(row["id"]) for row in rows)
    # SQLite: the table is AUTOINCREMENT, so ids come from sqlite_sequence and are never reused
    await conn.execute_query(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'applications', "
        "(SELECT COALESCE(MAX(id), 0) FROM applications) "
        "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'applications')"
    )
    rows = await conn.execute_query_dict(
        "UPDATE sqlite_sequence SET seq = seq + ? WHERE name = 'applications' RETURNING seq", [count]
    )
    last = int(rows[0]["seq"])
    return list(range(last - count + 1, last + 1))


_UPSERT = (
    "INSERT INTO case_number_counters (prefix, day, value) VALUES {rows} "
    "ON CONFLICT (prefix, day) DO UPDATE SET value = case_number_counters.value + excluded.value "
    "RETURNING prefix, value"
)


async def next_sequences(counts: dict[str, int], day: str) -> dict[str, int]:
    """``counts`` more numbers of each prefix on ``day`` in one upsert: ``{prefix: last value}`` (the
    prefix's new numbers are the ``counts[prefix]`` values up to it). Prefixes in sorted order, so two
    filings lock their counter rows in the same order and never deadlock."""
    conn = connections.get("default")
    prefixes = sorted(counts)
    rows, values = [], []
    for prefix in prefixes:
        rows.append(f"({_placeholders(conn, len(values), 3)})")
        values += [prefix, day, counts[prefix]]
    found = await conn.execute_query_dict(_UPSERT.format(rows=", ".join(rows)), values)
    return {row["prefix"]: int(row["value"]) for row in found}


async def next_sequences_apart(counts: dict[str, int], day: str) -> dict[str, int]:
    """:func:`next_sequences` committed on its own at once (PostgreSQL): the counter rows are locked for
    that one statement, not until the filing commits — every bundle of the day shares the ``YJS``
    row and every filing of a department its department's, so holding them queued all filings one
    behind the other (bench/bundle_submit.py). The price: a filing that fails after taking its
    numbers leaves a gap. SQLite (one connection, one writer) takes them in the filing's transaction.

    The statement runs in a task with an empty context: no unit of work and no Tortoise transaction
    of the caller's, so the pool gives it a connection of its own (autocommit)."""
    if not _postgres(connections.get("default")):
        return await next_sequences(counts, day)
    task = asyncio.get_running_loop().create_task(next_sequences(counts, day), context=contextvars.Context())
    return await task


async def _insert_rows(model: type[Model], instances: Sequence[Model]) -> None:
    """One multi-row ``INSERT`` of ``instances`` (ids given or generated), converted by Tortoise's own
    fields as ``Model.create`` converts them; nothing is returned."""
    if not instances:
        return
    conn = connections.get("default")
    meta = model._meta
    given = instances[0].pk is not None
    names = [
        name
        for name in meta.fields_db_projection
        if name in meta.fields_map and (given or name != meta.pk_attr)
    ]
    columns = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    for start in range(0, len(instances), _ROWS_PER_STATEMENT):
        rows, values = [], []
        for instance in instances[start : start + _ROWS_PER_STATEMENT]:
            rows.append(f"({_placeholders(conn, len(values), len(names))})")
            values += [meta.fields_map[name].to_db_value(getattr(instance, name), instance) for name in names]
        await conn.execute_query(
            f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {", ".join(rows)}', values
        )
    for instance in instances:
        instance._saved_in_db = True  # read afterwards like a row Tortoise wrote (hooks, answers)


async def create_cases(rows: list[dict]) -> list[Application]:
    """Cases whose ``id`` is given (:func:`reserve_application_ids`), in one statement: the database's
    statement-level triggers (``rollup.py``) see them together."""
    cases = [Application(**row) for row in rows]
    await _insert_rows(Application, cases)
    return cases


async def add_first_materials(pairs_by_case: dict[int, list[tuple[int, int]]]) -> None:
    """The files handed in with the submission of new cases (batch 0 each: nothing before them)."""
    await _insert_rows(
        ApplicationMaterial,
        [
            ApplicationMaterial(application_id=case_id, material_id=material, upload_id=upload, batch=0)
            for case_id, pairs in pairs_by_case.items()
            for material, upload in pairs
        ],
    )


async def add_entries(entries: list[dict]) -> None:
    """Timeline entries of several cases (the columns of ``cases.add_entry`` each)."""
    await _insert_rows(TimelineEntry, [TimelineEntry(**entry) for entry in entries])
