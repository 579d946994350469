"""Recomputing a draw from what is published (``onetrip appointments verify-draw``, the public
entries list): the seed against its committed hash, the digest of the ids, and the winners."""

from __future__ import annotations

from dataclasses import dataclass, field

from citizen_api import clock
from citizen_api.appointments.lottery_rank import draw_order, entries_digest, expected_winners, seed_hash
from citizen_api.appointments.repository import lottery as repo
from citizen_api.appointments.schemas_lottery import DrawEntriesOut
from citizen_api.appointments.transitions import DRAWN, INELIGIBLE, WON
from citizen_api.errors import ApiError


@dataclass
class Verdict:
    match: bool
    lines: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> None:
        self.lines.append(f"{'ok' if ok else 'MISMATCH'}: {what}")
        self.match = self.match and ok


async def published_entries(draw_id: int) -> DrawEntriesOut:
    """What anyone needs to recompute a draw; only once it is drawn (before, the seed is secret)."""
    draw = await repo.draw_by_id(draw_id)
    if draw is None:
        raise ApiError(404, "NOT_FOUND", "未找到该摇号")
    if draw.status != DRAWN:
        at = clock.to_local(draw.draw_at)
        raise ApiError(409, "NOT_DRAWN", f"尚未开奖，开奖时间 {at:%m-%d %H:%M}", {"draw_at": at.isoformat()})
    outcome = await repo.outcome_ids(draw_id)
    won, order = set(outcome[WON]), draw_order(draw.seed, outcome["ids"])
    return DrawEntriesOut(
        draw_id=draw.id,
        seed=draw.seed,
        entries_digest=draw.entries_digest or "",
        places=draw.places or 0,
        ids=outcome["ids"],
        winners=[i for i in order if i in won],
        ineligible=outcome[INELIGIBLE],
    )


async def verify_stored(draw_id: int, seed: str | None = None, ids: list[int] | None = None) -> Verdict:
    """Recompute draw ``draw_id`` (from the given seed and ids, else the stored ones) and compare
    with the stored winners."""
    draw = await repo.draw_by_id(draw_id)
    verdict = Verdict(match=True)
    if draw is None:
        verdict.check(False, f"draw {draw_id} exists")
        return verdict
    if draw.status != DRAWN:
        verdict.check(
            False, f"draw {draw_id} is drawn (status {draw.status}, draw at {draw.draw_at.isoformat()})"
        )
        return verdict
    seed = seed if seed is not None else draw.seed
    verdict.check(seed_hash(seed) == draw.seed_hash, f"sha256(seed) = published seed_hash {draw.seed_hash}")
    outcome = await repo.outcome_ids(draw_id)
    ids = sorted(ids) if ids is not None else outcome["ids"]
    digest = entries_digest(ids)
    verdict.check(digest == draw.entries_digest, f"entries_digest of {len(ids)} ids = {digest}")
    verdict.check(ids == outcome["ids"], "the ids are the stored registrations")
    order = draw_order(seed, ids)
    ineligible = outcome[INELIGIBLE]
    expected = expected_winners(order, draw.winners, ineligible)
    verdict.check(
        set(expected) == set(outcome[WON]), f"the {draw.winners} winners are the first eligible in order"
    )
    last = order.index(expected[-1]) if expected else -1
    position = {entry_id: n for n, entry_id in enumerate(order)}
    verdict.check(
        all(position.get(i, len(order)) < last for i in ineligible),
        f"the {len(ineligible)} ineligible were drawn before the last winner",
    )
    eligible = len(ids) - len(ineligible)
    verdict.lines.append(
        f"places {draw.places}, winners {draw.winners}, registrations {len(ids)}"
        + ("" if draw.winners == min(draw.places or 0, eligible) else " (fewer winners than places)")
    )
    return verdict


def offline(seed: str, ids: list[int], places: int, ineligible: list[int] = ()) -> list[str]:
    """The draw of ``ids`` with ``seed``: digest, seed hash and winners in order (no database)."""
    order = draw_order(seed, ids)
    winners = expected_winners(order, places, ineligible)
    return [
        f"seed_hash {seed_hash(seed)}",
        f"entries_digest {entries_digest(ids)} ({len(ids)} ids)",
        f"winners {len(winners)}: " + " ".join(str(i) for i in winners),
    ]
