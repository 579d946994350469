"""The citizen mix of issue 8: search 60 %, item detail 20 %, progress 10 %, booking 5 %, submission 5 %.

Setup (once per stack): citizens made directly in the database with tokens minted with the stack's
secret (a WeChat login per simulated citizen would only measure the simulator), profiles set
through the API, upload rows made directly (uploading is measured by bench/uploads.py), a few
cases submitted to query the progress of, and the demo schedules widened so that every booking
finds a place (a full slot is a business answer, not what this load measures). Every booking is
made by a different citizen, so none is refused as a second booking.

``Mix.request(session, i)`` makes request ``i`` and returns its status; ``Mix.stats`` counts the
answers per operation.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import random
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import aiohttp

from drills._stack import DATA_KEY, JWT_SECRET, Stack

WEIGHTS = {"search": 60, "detail": 20, "progress": 10, "booking": 5, "submission": 5}
EXPECTED = {"search": 200, "detail": 200, "progress": 200, "booking": 201, "submission": 201}
TERMS = [
    "身份证",
    "户口",
    "公积金",
    "护照",
    "不动产",
    "社保",
    "营业执照",
    "yyzz",
    "sfz",
    "结婚登记",
    "残疾人证",
    "出生",
]
CAPACITY = 100_000
PROGRESS_CASES = 20


def op_for(i: int) -> str:
    """Deterministic, well-mixed choice of operation ``i`` (the same for every run)."""
    roll = random.Random(i * 7919).randrange(100)
    for op, weight in WEIGHTS.items():
        if roll < weight:
            return op
        roll -= weight
    return "search"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Submitter:
    headers: dict[str, str]
    phone: str
    uploads: list[int] = field(default_factory=list)


@dataclass
class Mix:
    base: str
    item_codes: list[str]
    submit_item: str
    submit_materials: list[int]
    slots: list[tuple[int, str]]
    bookers: list[dict[str, str]]
    submitters: list[Submitter]
    cases: list[tuple[str, str]] = field(default_factory=list)  # (number, phone tail) to query
    stats: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self._bookers = iter(self.bookers)
        self._submit_turn = itertools.count()

    def errors(self) -> int:
        return sum(n for op, c in self.stats.items() for status, n in c.items() if status != EXPECTED[op])

    def reset_stats(self) -> None:
        self.stats = defaultdict(Counter)
        self.latencies = defaultdict(list)

    async def request(self, session: aiohttp.ClientSession, i: int) -> int:
        op = op_for(i)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            status = await getattr(self, op)(session, i)
        except (TimeoutError, aiohttp.ClientError):
            status = 599
        self.stats[op][status] += 1
        self.latencies[op].append((loop.time() - started) * 1000)
        return status

    async def search(self, session: aiohttp.ClientSession, i: int) -> int:
        params = {"q": TERMS[i % len(TERMS)], "page": 1 + i % 2}
        async with session.get(f"{self.base}/api/v1/items", params=params) as resp:
            await resp.read()
            return resp.status

    async def detail(self, session: aiohttp.ClientSession, i: int) -> int:
        async with session.get(
            f"{self.base}/api/v1/items/{self.item_codes[i % len(self.item_codes)]}"
        ) as resp:
            await resp.read()
            return resp.status

    async def progress(self, session: aiohttp.ClientSession, i: int) -> int:
        number, tail = self.cases[i % len(self.cases)]
        params = {"number": number, "phone_tail": tail}
        async with session.get(f"{self.base}/api/v1/progress", params=params) as resp:
            await resp.read()
            return resp.status

    async def booking(self, session: aiohttp.ClientSession, i: int) -> int:
        headers = next(self._bookers)  # StopIteration: plan more bookers
        slot_id, item_code = self.slots[i % len(self.slots)]
        body = {"slot_id": slot_id, "item_code": item_code}
        async with session.post(f"{self.base}/api/v1/appointments", json=body, headers=headers) as resp:
            await resp.read()
            return resp.status

    async def submission(self, session: aiohttp.ClientSession, i: int) -> int:
        person = self.submitters[next(self._submit_turn) % len(self.submitters)]
        return await submit(session, self, person)


async def submit(
    session: aiohttp.ClientSession, mix: Mix, person: Submitter, number_to: list | None = None
) -> int:
    materials = {str(m): [person.uploads.pop()] for m in mix.submit_materials}
    body = {"item_code": mix.submit_item, "materials": materials}
    async with session.post(f"{mix.base}/api/v1/applications", json=body, headers=person.headers) as resp:
        payload = await resp.json(content_type=None)
        if resp.status == 201 and number_to is not None:
            number_to.append((payload["number"], person.phone[-4:]))
        return resp.status


async def prepare(stack: Stack, *, bookings: int, submissions: int, grants: bool = False) -> Mix:
    """Data for a run with at most ``bookings`` bookings and ``submissions`` submissions."""
    from citizen_api.db import close_db, init_db
    from citizen_api.domains import MODEL_MODULES

    submitters = max(20, submissions // 10)
    await init_db(stack.url, MODEL_MODULES, max_pool=5)
    try:
        booker_ids, submitter_ids = await _citizens(bookings, submitters, grants)
        await _widen_schedules()
    finally:
        await close_db()
    tokens = _tokens(stack, booker_ids + submitter_ids)
    people = [Submitter(bearer(tokens[uid]), f"139{uid:08d}") for uid in submitter_ids]
    async with aiohttp.ClientSession() as http:
        codes, submit_item, materials = await _catalog(http, stack.base)
        await asyncio.gather(*(_profile(http, stack.base, p, n) for n, p in enumerate(people)))
        slots = await _slots(http, stack.base, codes)
    per_person = (submissions + PROGRESS_CASES) // len(people) + 2
    await init_db(stack.url, MODEL_MODULES, max_pool=5)
    try:
        for uid, person in zip(submitter_ids, people, strict=True):
            person.uploads = await _uploads(uid, per_person * len(materials))
    finally:
        await close_db()
    mix = Mix(
        stack.base, codes, submit_item, materials, slots, [bearer(tokens[u]) for u in booker_ids], people
    )
    async with aiohttp.ClientSession() as http:
        for n in range(PROGRESS_CASES):
            status = await submit(http, mix, people[n % len(people)], mix.cases)
            assert status == 201, f"setup submission answered {status}"
    return mix


async def _citizens(bookings: int, submitters: int, grants: bool) -> tuple[list[int], list[int]]:
    from citizen_api.users.models import User
    from notifications.models import SubscribeGrant

    total = bookings + submitters
    await User.bulk_create([User(role="citizen", openid=f"mix-citizen-{n:06d}") for n in range(total)])
    ids = list(
        await User.filter(openid__startswith="mix-citizen-").order_by("id").values_list("id", flat=True)
    )
    if grants:  # what POST /me/subscriptions records: every message then really goes out
        await SubscribeGrant.bulk_create(
            [
                SubscribeGrant(user_id=uid, template_id=template, available=1000, accepted_total=1000)
                for uid in ids
                for template in ("dev-mp-case-progress", "dev-mp-appointment")
            ]
        )
    return ids[:bookings], ids[bookings:]


async def _widen_schedules() -> None:
    from tortoise import connections

    from citizen_api.appointments.models import ScheduleTemplate

    for template in await ScheduleTemplate.all():
        template.periods = [{**p, "capacity": CAPACITY} for p in template.periods]
        await template.save(update_fields=["periods"])
    # slots already made from the old templates (the worker's jobs may have made some)
    await connections.get("default").execute_query("UPDATE appt_slots SET capacity = $1", [CAPACITY])


def _tokens(stack: Stack, ids: list[int]) -> dict[int, str]:
    from citizen_api.security.principal import Principal
    from citizen_api.security.tokens import issue_access_token
    from citizen_api.settings import Settings

    settings = Settings(database_url=stack.url, jwt_secret=JWT_SECRET, data_key=DATA_KEY,
                        access_token_ttl_seconds=86400)  # fmt: skip
    return {uid: issue_access_token(Principal(uid, "citizen"), settings) for uid in ids}


async def _catalog(http: aiohttp.ClientSession, base: str) -> tuple[list[str], str, list[int]]:
    """Published item codes, and an online item with required materials to submit to."""
    codes: list[str] = []
    for page in (1, 2, 3):
        async with http.get(f"{base}/api/v1/items", params={"size": 100, "page": page}) as resp:
            codes += [i["code"] for i in (await resp.json())["items"]]
    online = []
    for code in codes:
        async with http.get(f"{base}/api/v1/items/{code}") as resp:
            item = await resp.json()
        required = [m["id"] for m in item["materials"] if m["required"]]
        if item["online"] and required:
            online.append((code, required))
            break
    assert codes and online, "the demo catalog has no online item with materials"
    return codes, online[0][0], online[0][1]


async def _profile(http: aiohttp.ClientSession, base: str, person: Submitter, n: int) -> None:
    from citizen_api.security.identity import id_check_char

    body17 = f"11010519900101{n % 1000:03d}"
    profile = {"name": "张三", "id_number": body17 + id_check_char(body17), "phone": person.phone}
    async with http.put(f"{base}/api/v1/me/profile", json=profile, headers=person.headers) as resp:
        assert resp.status == 200, await resp.text()


async def _slots(http: aiohttp.ClientSession, base: str, codes: list[str]) -> list[tuple[int, str]]:
    """Every bookable slot of the first bookable items over the next days."""
    found: list[tuple[int, str]] = []
    for code in codes:
        async with http.get(f"{base}/api/v1/appointments/days", params={"item_code": code}) as resp:
            if resp.status != 200:
                continue
            days = [d["date"] for d in await resp.json() if d["available"]]
        for day in days[:3]:
            async with http.get(
                f"{base}/api/v1/appointments/slots", params={"item_code": code, "date": day}
            ) as r:
                found += [(s["id"], code) for s in await r.json() if s["remaining"] > 0]
        if len({c for _, c in found}) >= 5:
            break
    assert found, "no bookable slot in the demo hall"
    return found


async def _uploads(owner_id: int, count: int) -> list[int]:
    from citizen_api.uploads.models import Upload

    rows = []
    for _ in range(count):
        data = secrets.token_bytes(16)
        rows.append(
            Upload(owner_id=owner_id, filename="scan.pdf", storage_key=secrets.token_hex(16),
                   content_type="application/pdf", size=1024, sha256=hashlib.sha256(data).hexdigest())
        )  # fmt: skip
    await Upload.bulk_create(rows)
    return list(await Upload.filter(owner_id=owner_id).order_by("-id").values_list("id", flat=True))
