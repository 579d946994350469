"""Staff password hashing with argon2id (argon2-cffi's tuned defaults), and the rules for new ones.

argon2 costs ~0.1 s of CPU per check on purpose. Checks run in a small thread pool of their own
(:class:`PasswordVerifier`, ``ONETRIP_LOGIN_HASH_CONCURRENCY`` threads): a flood of logins queues
there instead of taking every core and the event loop with it.

A login for a username that does not exist checks nothing: it waits as long as a real check has
recently taken (:meth:`PasswordVerifier.imitate`), so it costs no CPU and its answer comes no
sooner or later than one for a real account (no timing oracle on usernames).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import heapq
import itertools
import random
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from prometheus_client import Counter

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A real hash to verify against for an unknown account, so timing does not tell (made on first
    use: hashing costs ~0.1 s, which every CLI command paid at import)."""
    return _hasher.hash("onetrip-dummy-password")


VERIFICATIONS = Counter(
    "onetrip_password_verifications_total", "argon2 password checks actually computed (staff logins)"
)

MIN_LENGTH = 8
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    VERIFICATIONS.inc()
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# Queue priorities: a username that last logged in from this very address (a known desk) first,
# then attempts with no failure behind them, then the rest (a flood's repeated guesses).
KNOWN_DESK, CLEAN, SUSPECT = 0, 1, 2


class _Slots:
    """A semaphore whose waiters are served by priority, then in order of arrival; ``reserved``
    slots are kept for attempts better than SUSPECT (a guessing run never takes the whole pool)."""

    def __init__(self, size: int, reserved: int = 0) -> None:
        self.free = size
        self.reserved = min(reserved, size - 1)
        self._waiters: list[tuple[int, int, asyncio.Future]] = []
        self._arrivals = itertools.count()

    async def acquire(self, priority: int) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._arrivals), future))
        self._wake()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed a slot while leaving: pass it on
            raise

    def release(self) -> None:
        self.free += 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.free > 0:
            priority, _, future = self._waiters[0]
            if future.done():  # cancelled while waiting
                heapq.heappop(self._waiters)
                continue
            if priority >= SUSPECT and self.free <= self.reserved:
                return
            heapq.heappop(self._waiters)
            self.free -= 1
            future.set_result(None)

    @contextlib.asynccontextmanager
    async def held(self, priority: int):
        await self.acquire(priority)
        try:
            yield
        finally:
            self.release()


class PasswordVerifier:
    """argon2 checks off the event loop, at most ``concurrency`` at a time; the others wait, served
    by priority (a flood's guesses queue behind a clerk at their usual desk), then in order. With
    two or more threads, one is kept free of guessing runs: a clerk never waits behind a flood."""

    def __init__(self, concurrency: int = 2) -> None:
        self.concurrency = max(1, concurrency)
        self._executor = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="argon2")
        self._slots = _Slots(self.concurrency, reserved=1)
        # how long recent real checks took, queueing included: what an imitation waits
        self._recent: deque[float] = deque(maxlen=64)

    async def verify(self, stored_hash: str, password: str, priority: int = CLEAN) -> bool:
        started = time.perf_counter()
        async with self._slots.held(priority):
            loop = asyncio.get_running_loop()
            ok = await loop.run_in_executor(self._executor, verify_password, stored_hash, password)
        self._recent.append(time.perf_counter() - started)
        return ok

    async def hash(self, password: str) -> str:
        """Hash a new password in the same pool (as costly as a check)."""
        async with self._slots.held(CLEAN):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, hash_password, password)

    async def imitate(self) -> None:
        """Take as long as a real check, without computing one (unknown usernames)."""
        if not self._recent:
            # nothing measured yet: measure once (one real check, at most once per process)
            await self.verify(_dummy_hash(), "onetrip-imitation")
            return
        await asyncio.sleep(random.choice(self._recent))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


async def verify_password_async(
    stored_hash: str | None, password: str, verifier=None, priority: int = CLEAN
) -> bool:
    """Check a password off the event loop; with no stored hash, only imitate a check."""
    if verifier is None:
        return await asyncio.to_thread(verify_password, stored_hash, password)
    if stored_hash is None:
        await verifier.imitate()
        return False
    return await verifier.verify(stored_hash, password, priority)


async def hash_password_async(password: str, verifier=None) -> str:
    if verifier is None:
        return await asyncio.to_thread(hash_password, password)
    return await verifier.hash(password)


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why a new staff password is refused (Chinese, for the field), or None when it is acceptable.

    等保 2.0 style: at least 8 characters, three of the four kinds (upper, lower, digit, symbol),
    no spaces or control characters, not containing the username."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    if len(password) > MAX_LENGTH:
        return f"密码不能超过 {MAX_LENGTH} 位"
    if any(ch.isspace() or not ch.isprintable() for ch in password):
        return "密码不能包含空格或控制字符"
    kinds = [
        any(ch.isascii() and ch.isupper() for ch in password),
        any(ch.isascii() and ch.islower() for ch in password),
        any(ch.isascii() and ch.isdigit() for ch in password),
        any(not (ch.isascii() and ch.isalnum()) for ch in password),
    ]
    if sum(kinds) < 3:
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类"
    if username and len(username) >= 3 and username.casefold() in password.casefold():
        return "密码不能包含用户名"
    return None


def checked_new_password(value):
    """A pydantic (before) validator: the rules of :func:`password_problem`; non-strings pass on
    to the type check (应为文字)."""
    if isinstance(value, str):
        problem = password_problem(value)
        if problem:
            raise ValueError(problem)
    return value
