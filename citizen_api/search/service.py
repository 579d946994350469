"""The search service each API process keeps in ``state.search_index``.

It holds the current index (one generation) and the answers computed from it, built from what the
catalog publishes (``catalog.service``). A change to the catalog bumps the catalog's revision in
the same transaction; the process that made the change rebuilds right after its commit
(:meth:`SearchService.refresh_after_edit`), and every other process notices the new revision within
``catalog_refresh_seconds`` (one tiny query per second, no Redis needed) and rebuilds too. The
build runs in a worker thread, so requests keep being answered from the previous generation.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import structlog

from citizen_api.catalog import service as catalog
from citizen_api.catalog.schemas import SearchTerms
from citizen_api.search import text as tx
from citizen_api.search.defaults import DEFAULT_TERMS
from citizen_api.search.index import ItemRecord, SearchIndex, build
from citizen_api.search.ranking import order, relevance

log = structlog.get_logger("onetrip.search")

APPLICATION_WEIGHT = 10  # one application says more about what citizens need than one view


def popularity_of(views: int, applications: int) -> int:
    return views + APPLICATION_WEIGHT * applications


@dataclass(frozen=True, slots=True)
class Filters:
    trips: int | None = None
    online: bool | None = None
    department: str | None = None
    audience: str | None = None
    deliverable: bool | None = None
    bookable: bool | None = None

    @property
    def active(self) -> bool:
        return self != NO_FILTERS

    def match(self, r: ItemRecord) -> bool:
        return (
            (self.trips is None or r.trips == self.trips)
            and (self.online is None or r.online == self.online)
            and (self.department is None or r.department == self.department)
            and (self.audience is None or r.audience in (self.audience, "both"))
            and (self.deliverable is None or r.deliverable == self.deliverable)
            and (self.bookable is None or r.bookable == self.bookable)
        )


NO_FILTERS = Filters()


class _Lru(OrderedDict):
    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def lookup(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def store(self, key: Any, value: Any) -> None:
        self[key] = value
        if len(self) > self.capacity:
            self.popitem(last=False)


class _Generation:
    """One index and the answers computed from it; replaced whole, never mutated after a swap."""

    def __init__(self, index: SearchIndex, number: int, capacity: int, relevance: _Lru | None = None) -> None:
        self.index = index
        self.number = number
        # relevance does not depend on popularity: a popularity reload keeps it (same items, same
        # positions), so that the minutely reload costs a re-sort per query, not a re-ranking
        self.relevance = relevance if relevance is not None else _Lru(capacity)
        self.ranked = _Lru(capacity)
        self.pages = _Lru(capacity)


class SearchService:
    def __init__(self, settings) -> None:
        self.settings = settings
        self.revision = -1
        self._capacity = max(16, int(settings.search_cache_entries))
        self._gen = _Generation(SearchIndex.empty(), 0, self._capacity)
        self._lock = asyncio.Lock()
        self._analysis: dict = {}  # per published version: segmentation and pinyin (see index.build)
        self._terms: dict[int, SearchTerms] = {}  # per published version (a version never changes)
        self._popularity_at = 0.0

    # ---- reading ---------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._gen.number

    def page_json(self, q: str | None, filters: Filters, page: int, size: int) -> bytes:
        """``{"total", "items"}`` of one page, rendered; cached per generation."""
        gen = self._gen
        query = tx.normalise(q or "")
        key = (query, filters, page, size)
        body = gen.pages.lookup(key)
        if body is None:
            hits = self._hits(gen, query, filters)
            start = (page - 1) * size
            docs = gen.index.docs
            answer = {"total": len(hits), "items": [docs[i].summary for i in hits[start : start + size]]}
            body = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()
            gen.pages.store(key, body)
        return body

    def top(self, q: str, limit: int = 5, filters: Filters | None = None) -> list[dict[str, Any]]:
        """The best ``limit`` summaries for a query (type-ahead, the official account's 指南 command)."""
        gen = self._gen
        hits = self._hits(gen, tx.normalise(q), filters or Filters())
        return [gen.index.docs[i].summary for i in hits[:limit]]

    def _hits(self, gen: _Generation, query: str, filters: Filters) -> list[int]:
        ranked = gen.ranked.lookup(query)
        if ranked is None:
            if not query:
                ranked = gen.index.default_order
            else:
                found = gen.relevance.lookup(query)
                if found is None:
                    found = relevance(gen.index, query)
                    gen.relevance.store(query, found)
                ranked = order(gen.index, found)
            gen.ranked.store(query, ranked)
        if not filters.active:
            return ranked
        docs = gen.index.docs
        return [i for i in ranked if filters.match(docs[i].record)]

    # ---- keeping it fresh ------------------------------------------------------------------

    async def refresh(self, force: bool = False) -> bool:
        """Rebuild if the catalog revision moved (or ``force``); True when a new index is live."""
        async with self._lock:
            revision = await catalog.current_revision()
            if revision == self.revision and not force:
                return False
            started = time.perf_counter()
            records = await self._records()
            synonyms = await catalog.synonym_pairs()
            index = await asyncio.to_thread(self._build, records, synonyms)
            self._swap(index)
            self.revision = revision
            self._popularity_at = time.monotonic()
            log.info(
                "search index built",
                items=len(index),
                revision=revision,
                generation=self.generation,
                ms=round((time.perf_counter() - started) * 1000),
            )
            return True

    async def _records(self) -> list[ItemRecord]:
        """Every published item with its keywords and result name (read once per version)."""
        items = await catalog.indexed_items()
        missing = [i.version_id for i in items if i.version_id not in self._terms]
        if missing:
            self._terms.update(await catalog.search_terms(missing))
        self._terms = {i.version_id: self._terms.get(i.version_id, SearchTerms()) for i in items}
        return [
            ItemRecord(
                item_id=i.item_id,
                version_id=i.version_id,
                code=i.code,
                name=i.name,
                department=i.department,
                department_name=i.department_name,
                audience=i.audience,
                item_type=i.item_type,
                trips=i.trips,
                online=i.online,
                deliverable=i.deliverable,
                bookable=i.bookable,
                promised_days=i.promised_days,
                legal_days=i.statutory_days,
                keywords=self._terms[i.version_id].keywords,
                result_name=self._terms[i.version_id].result_name,
                popularity=popularity_of(i.views, i.applications),
            )
            for i in items
        ]

    def _build(self, records: list[ItemRecord], synonyms: list[tuple[str, str]]) -> SearchIndex:
        tx.initialise()
        terms = {*DEFAULT_TERMS, *(word for pair in synonyms for word in pair)}
        terms.update(k for r in records for k in r.keywords)
        tx.add_user_words(sorted(terms))
        return build(records, synonyms, self._analysis)

    async def refresh_popularity(self) -> None:
        """Reload view and application counts into the ranking (no rebuild)."""
        counts = {
            item_id: popularity_of(views, applications)
            for item_id, (views, applications) in (await catalog.popularity_counts()).items()
        }
        async with self._lock:
            gen = self._gen
            self._swap(gen.index.with_popularity(counts), relevance=gen.relevance)
            self._popularity_at = time.monotonic()

    async def refresh_after_edit(self) -> None:
        """After an edit's commit: show it in this process at once (the others follow the revision)."""
        try:
            await self.refresh()
        except Exception as exc:  # the edit is committed; the watcher will retry
            log.warning("search refresh after edit failed", error=type(exc).__name__)

    def _swap(self, index: SearchIndex, relevance: _Lru | None = None) -> None:
        self._gen = _Generation(index, self._gen.number + 1, self._capacity, relevance)

    async def watch(self) -> None:
        """Every ``catalog_refresh_seconds``: rebuild if another process changed the catalog."""
        interval = max(0.05, float(self.settings.catalog_refresh_seconds))
        every = max(interval, float(self.settings.catalog_popularity_seconds))
        while True:
            await asyncio.sleep(interval)
            try:
                if not await self.refresh() and time.monotonic() - self._popularity_at >= every:
                    await self.refresh_popularity()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database away: keep answering from the current index
                log.warning("search index refresh failed", error=type(exc).__name__)
