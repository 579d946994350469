"""Lottery days on PostgreSQL, where races really happen: registrations racing per person, two draw
runs racing on two connections (exactly the places given, once), and the real `onetrip appointments
verify-draw` command saying match, then mismatch once a result is tampered with."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from citizen_api import clock, db
from citizen_api.appointments.lottery_draw import draw_due
from citizen_api.appointments.models import Appointment, LotteryEntry, Slot
from notifications.models import Notification
from tests.appointments_fixtures import MONDAY_BEFORE_NATIONAL_DAY, citizen, make_hall, staff
from tests.lottery_fixtures import AFTER_DRAW, REGISTERING, TUESDAY, create_draw, recompute, register

pytest_plugins = ["tests.appointments_plugin"]  # pg_client, pg_settings

ROOT = Path(__file__).resolve().parent.parent
ONETRIP = str(Path(sys.executable).parent / "onetrip")
THREE_SLOTS = [{"start": "09:00", "end": "12:00", "slot_minutes": 60, "capacity": 2}]  # 6 places


async def _lottery_with(client, settings, people: int) -> tuple[object, int, list[int]]:
    """A lottery Tuesday with ``people`` persons registered, each from two WeChat accounts at once."""
    clock.set_now(MONDAY_BEFORE_NATIONAL_DAY)
    hall = await make_hall(weekday_periods=THREE_SLOTS)
    admin = await staff(settings, "admin", "admin", None)
    draw_id = (await create_draw(client, admin, hall.group.code)).json()["id"]
    clock.set_now(REGISTERING)
    accounts = []
    for n in range(people):
        id_number = f"11010119800101{n:04d}"
        accounts += [
            (await citizen(settings, f"p{n}-a", id_number=id_number))[1],
            (await citizen(settings, f"p{n}-b", id_number=id_number))[1],
        ]
    answers = await asyncio.gather(*(register(client, h, hall.item.code, waitlist=True) for h in accounts))
    statuses = Counter(r.status_code for r in answers)
    assert statuses == {201: people, 409: people}, statuses
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} == {"ALREADY_REGISTERED"}
    return hall, draw_id, sorted(r.json()["id"] for r in answers if r.status_code == 201)


async def test_two_draw_runs_racing_give_exactly_the_places_once(pg_client, pg_settings):
    hall, draw_id, ids = await _lottery_with(pg_client, pg_settings, 30)
    clock.set_now(AFTER_DRAW)

    runs = await asyncio.gather(*(draw_due(clock.now(), pg_settings, db.atomic) for _ in range(2)))
    assert sorted(runs) == [0, 1]  # one runner drew, the other found it drawn
    assert sum(s.booked for s in await Slot.filter(group_id=hall.group.id, date=TUESDAY)) == 6
    assert await Appointment.filter(source="lottery", status="booked").count() == 6
    statuses = Counter(await LotteryEntry.all().values_list("status", flat=True))
    assert statuses == {"won": 6, "lost": 24}
    public = (await pg_client.get(f"/api/v1/appointments/lottery/draws/{draw_id}")).json()
    digest, winners = recompute(public["seed"], ids, 6)
    assert public["entries_digest"] == digest
    won = await LotteryEntry.filter(status="won").values_list("id", flat=True)
    assert sorted(won) == sorted(winners)
    events = Counter(
        await Notification.filter(event__startswith="appointment.lottery_").values_list("event", flat=True)
    )
    assert events == {"appointment.lottery_won": 6, "appointment.lottery_lost": 24}
    assert (
        await Notification.filter(
            event="appointment.lottery_lost", payload__contains={"waitlist": True}
        ).count()
        == 24
    )


def _verify(settings, *args: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        ONETRIP_DATABASE_URL=settings.database_url,
        ONETRIP_VAR_DIR=str(settings.var_dir),
        ONETRIP_DATA_KEY=settings.data_key,
        ONETRIP_JWT_SECRET=settings.jwt_secret,
        ONETRIP_ENV="test",
    )
    return subprocess.run(
        [ONETRIP, "appointments", "verify-draw", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_verify_draw_recomputes_a_draw_and_catches_a_tampered_result(pg_client, pg_settings, tmp_path):
    _, draw_id, ids = await _lottery_with(pg_client, pg_settings, 10)
    clock.set_now(AFTER_DRAW)
    assert await draw_due(clock.now(), pg_settings, db.atomic) == 1

    ok = await asyncio.to_thread(_verify, pg_settings, str(draw_id))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"draw {draw_id}: match" in ok.stdout

    published = (await pg_client.get(f"/api/v1/appointments/lottery/draws/{draw_id}/entries")).json()
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(str(i) for i in published["ids"]) + "\n")
    offline = await asyncio.to_thread(
        _verify, pg_settings, "--seed", published["seed"], "--ids-file", str(ids_file), "--places", "6"
    )
    assert offline.returncode == 0, offline.stderr
    assert f"winners 6: {' '.join(str(i) for i in published['winners'])}" in offline.stdout
    wrong_seed = await asyncio.to_thread(_verify, pg_settings, str(draw_id), "--seed", "0" * 64)
    assert wrong_seed.returncode == 1 and "MISMATCH: sha256(seed)" in wrong_seed.stdout

    # a loser's registration marked won (and a winner's lost): the stored result no longer matches
    loser = next(i for i in ids if i not in published["winners"])
    await LotteryEntry.filter(id=loser).update(status="won")
    await LotteryEntry.filter(id=published["winners"][0]).update(status="lost")
    tampered = await asyncio.to_thread(_verify, pg_settings, str(draw_id))
    assert tampered.returncode == 1
    assert f"draw {draw_id}: MISMATCH" in tampered.stdout
