"""The argon2 pool of staff logins: a guessing run queues, a clerk at their usual desk does not.

Order of completion, not time, is asserted: real argon2 checks in the real pool."""

from __future__ import annotations

import asyncio

from prometheus_client import REGISTRY

from citizen_api.security.passwords import (
    CLEAN,
    KNOWN_DESK,
    SUSPECT,
    PasswordVerifier,
    hash_password,
)


def _computed() -> float:
    return REGISTRY.get_sample_value("onetrip_password_verifications_total") or 0.0


async def test_a_guessing_run_never_takes_the_whole_pool():
    stored = hash_password("Right-Password-1")
    verifier = PasswordVerifier(concurrency=2)
    finished: list[str] = []

    async def check(label: str, password: str, priority: int) -> bool:
        ok = await verifier.verify(stored, password, priority)
        finished.append(label)
        return ok

    try:
        guesses = [asyncio.create_task(check(f"guess-{i}", f"guess-{i}", SUSPECT)) for i in range(6)]
        await asyncio.sleep(0)  # the run is queued first
        clerk = asyncio.create_task(check("clerk", "Right-Password-1", KNOWN_DESK))
        newcomer = asyncio.create_task(check("newcomer", "Right-Password-1", CLEAN))
        assert await clerk and await newcomer
        assert not any(await asyncio.gather(*guesses))
    finally:
        verifier.close()
    # guesses went one at a time through one thread; the clerk and the newcomer used the other
    assert finished.index("clerk") < finished.index("guess-1")
    assert finished.index("newcomer") < finished.index("guess-2")
    assert finished[-1] == "guess-5"


async def test_a_cancelled_waiter_gives_its_turn_away():
    stored = hash_password("Right-Password-1")
    verifier = PasswordVerifier(concurrency=1)
    before = _computed()
    try:
        first = asyncio.create_task(verifier.verify(stored, "wrong-1", SUSPECT))
        leaving = asyncio.create_task(verifier.verify(stored, "wrong-2", SUSPECT))
        await asyncio.sleep(0)
        leaving.cancel()
        assert await verifier.verify(stored, "Right-Password-1", CLEAN)
        assert not await first
        assert leaving.cancelled()
        assert _computed() == before + 2  # the cancelled one was never computed
    finally:
        verifier.close()
