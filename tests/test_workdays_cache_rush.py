"""A rush of requests after a calendar write asks PostgreSQL for the calendar's token once, not once
per request (each process checks its calendar cache at most once a second; concurrent lookups
answer from the snapshot they had meanwhile)."""

from __future__ import annotations

import asyncio

import asyncpg.connection
import pytest

from tests.appointments_fixtures import staff

pytest_plugins = ["tests.appointments_plugin"]  # pg_client, pg_settings


@pytest.fixture
def token_reads(monkeypatch) -> list[str]:
    """The statements of this process that read the calendar's token."""
    seen: list[str] = []
    do_execute = asyncpg.connection.Connection._do_execute

    async def counted(self, query, *args, **kwargs):
        if "calendar_state" in query and query.lstrip().upper().startswith("SELECT"):
            seen.append(query)
        return await do_execute(self, query, *args, **kwargs)

    monkeypatch.setattr(asyncpg.connection.Connection, "_do_execute", counted)
    return seen


async def test_forty_lookups_after_a_write_read_the_token_once(pg_client, pg_settings, token_reads):
    admin = await staff(pg_settings, "admin", "admin", None)
    params = {"from": "2027-05-01", "to": "2027-05-07"}
    first = await pg_client.get("/api/v1/staff/calendar", params=params, headers=admin)
    assert first.status_code == 200, first.text
    day = {"kind": "workday", "note": "调休上班"}
    put = await pg_client.put("/api/v1/staff/calendar/2027-05-02", json=day, headers=admin)
    assert put.status_code == 200, put.text

    token_reads.clear()
    answers = await asyncio.gather(
        *(pg_client.get("/api/v1/staff/calendar", params=params, headers=admin) for _ in range(40))
    )
    assert {a.status_code for a in answers} == {200}
    assert len(token_reads) == 1
    # and every one of them already shows the write this process made
    for answer in answers:
        [sunday] = [d for d in answer.json()["items"] if d["date"] == "2027-05-02"]
        assert sunday["kind"] == "makeup_workday"
