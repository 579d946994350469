"""The in-memory index: an immutable snapshot of the published catalog, built in a worker thread
and swapped whole, so that a request always sees one consistent catalog."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from citizen_api.catalog.schemas import ItemSummary
from citizen_api.search import text as tx

CONTAINS_CACHE = 8192  # (field, token) → positions; query tokens repeat, so this stays hot


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One published item as the loader read it from the database."""

    item_id: int
    version_id: int
    code: str
    name: str
    department: str
    department_name: str
    audience: str
    item_type: str
    trips: int
    online: bool
    deliverable: bool
    bookable: bool
    promised_days: int
    legal_days: int
    keywords: tuple[str, ...] = ()
    result_name: str = ""
    popularity: int = 0

    @property
    def instant(self) -> bool:
        return self.promised_days == 0

    def summary(self) -> dict[str, Any]:
        """The contract's item summary (``ItemSummary``), rendered once per build, not per request."""
        return ItemSummary.model_validate(self).model_dump(mode="json")


@dataclass(frozen=True, slots=True)
class DocText:
    """The analysed text of one item: what queries are matched against."""

    name: str
    pinyin: str
    initials: str
    bigrams: frozenset[str]
    tokens: frozenset[str]
    keywords: frozenset[str]
    kw_text: str
    kw_pinyin: tuple[str, ...]
    kw_initials: tuple[str, ...]
    kw_tokens: frozenset[str]
    result: str
    sounds: tuple[str, ...]  # pinyin and initials of the keywords and the result's name
    other_text: str


def analyse(record: ItemRecord) -> DocText:
    """Segmentation and pinyin: the slow part of a build, cached per published version."""
    name = tx.normalise(record.name)
    full, initials = tx.pinyin(name)
    keywords = tuple(k for k in (tx.normalise(w) for w in record.keywords) if k)
    kw_sounds = [tx.pinyin(k) for k in keywords]
    kw_tokens: set[str] = set()
    for k in keywords:
        kw_tokens.update(tx.segment(k))
    result = tx.normalise(record.result_name)
    sounds = {s for pair in kw_sounds for s in pair}
    if result:
        sounds.update(tx.pinyin(result))
    other = "\n".join(tx.normalise(s) for s in (record.department_name, record.item_type, record.result_name))
    return DocText(
        name=name,
        pinyin=full,
        initials=initials,
        bigrams=tx.bigrams(name),
        tokens=frozenset(tx.segment(name)),
        keywords=frozenset(keywords),
        kw_text="\n".join(keywords),
        kw_pinyin=tuple(s[0] for s in kw_sounds),
        kw_initials=tuple(s[1] for s in kw_sounds),
        kw_tokens=frozenset(kw_tokens),
        result=result,
        sounds=tuple(sorted(sounds)),
        other_text=other,
    )


@dataclass(frozen=True, slots=True)
class Doc:
    record: ItemRecord
    text: DocText
    summary: dict[str, Any]


class Blob:
    """Many short strings in one, so that "which of them contain q" is one C-speed scan."""

    def __init__(self, strings: list[str], owners: list[int] | None = None) -> None:
        self.text = "\n".join(strings)
        self.owners = owners if owners is not None else list(range(len(strings)))
        self.starts: list[int] = []
        self.lengths: list[int] = []
        at = 0
        for s in strings:
            self.starts.append(at)
            self.lengths.append(len(s))
            at += len(s) + 1

    def find(self, needle: str) -> Iterator[tuple[int, bool, bool]]:
        """(position, at the start, the whole string) for every occurrence of ``needle``."""
        if not needle or "\n" in needle:
            return
        i = self.text.find(needle)
        while i != -1:
            pos = bisect_right(self.starts, i) - 1
            at_start = i == self.starts[pos]
            yield self.owners[pos], at_start, at_start and len(needle) == self.lengths[pos]
            i = self.text.find(needle, i + 1)


class SearchIndex:
    def __init__(self, docs: list[Doc], synonyms: list[tuple[str, str]], popularity: list[int]) -> None:
        self.docs = docs
        self.popularity = popularity
        self.by_code = {d.record.code.lower(): i for i, d in enumerate(docs)}
        self.postings: dict[str, list[int]] = {}
        bigram_lists: dict[str, list[int]] = {}
        keyword_lists: dict[str, list[int]] = {}
        self.kw_sound: dict[str, list[int]] = {}  # pinyin and initials of keywords → positions
        df: dict[str, int] = {}
        for pos, doc in enumerate(docs):
            t = doc.text
            for sound in {*t.kw_pinyin, *t.kw_initials}:
                self.kw_sound.setdefault(sound, []).append(pos)
            for token in t.tokens | t.kw_tokens | t.bigrams:
                self.postings.setdefault(token, []).append(pos)
            for pair in t.bigrams:
                bigram_lists.setdefault(pair, []).append(pos)
            for keyword in t.keywords:
                keyword_lists.setdefault(keyword, []).append(pos)
            for token in t.tokens | t.kw_tokens:
                df[token] = df.get(token, 0) + 1
        n = max(len(docs), 1)
        self._idf = {token: math.log(1 + n / (1 + count)) for token, count in df.items()}
        self._idf_unknown = math.log(1 + n)
        self.names = [d.text.name for d in docs]
        self.pinyins = [d.text.pinyin for d in docs]
        self.name_blob = Blob(self.names)
        self.name_bigrams = {pair: frozenset(p) for pair, p in bigram_lists.items()}
        self.keyword_docs = {keyword: frozenset(p) for keyword, p in keyword_lists.items()}
        char_lists: dict[str, list[int]] = {}
        for pos, name in enumerate(self.names):
            for ch in set(name):
                char_lists.setdefault(ch, []).append(pos)
        self.name_lengths = [len(name) for name in self.names]
        self.name_chars = {ch: tuple(p) for ch, p in char_lists.items()}
        self._blobs = {
            "name": self.name_blob,
            "kw": Blob([d.text.kw_text for d in docs]),
            "other": Blob([d.text.other_text for d in docs]),
        }
        self._contains: dict[tuple[str, str], frozenset[int]] = {}
        self.pinyin_blob = Blob(self.pinyins)
        self.initials_blob = Blob([d.text.initials for d in docs])
        owned = [(pos, sound) for pos, d in enumerate(docs) for sound in d.text.sounds]
        self.sound_blob = Blob([sound for _, sound in owned], [pos for pos, _ in owned])
        self.synonyms, self.syn_by_sound = _synonym_tables(synonyms)
        self.default_order = self._by_popularity()

    @classmethod
    def empty(cls) -> SearchIndex:
        return cls([], [], [])

    def __len__(self) -> int:
        return len(self.docs)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._idf_unknown)

    def containing(self, where: str, token: str) -> frozenset[int]:
        """Positions whose ``where`` ("name", "kw", "other" or "any" = name or keywords) contains
        ``token``: one C-speed scan the first time, then a dictionary hit (ranking's hot path)."""
        key = (where, token)
        found = self._contains.get(key)
        if found is None:
            if where == "any":
                found = self.containing("name", token) | self.containing("kw", token)
            else:
                found = frozenset(pos for pos, _, _ in self._blobs[where].find(token))
            if len(self._contains) >= CONTAINS_CACHE:
                self._contains.clear()  # rare: unbounded user input; rebuilt on demand
            self._contains[key] = found
        return found

    def near_names(self, query: str, cutoff: float) -> dict[int, str]:
        """The names that can reach ``cutoff`` (0–100) in ``fuzz.partial_ratio`` with ``query``, by
        position: the rest are skipped before the costly fuzzy pass (same answers, less work).

        A ratio r between the shorter string (length m) and a window of the longer one needs at
        least r·m/(2−r) characters in common, so a name sharing fewer of the query's characters
        (counted with repeats) cannot make it.
        """
        r = cutoff / 100
        need = r / (2 - r) - 1e-9
        shared: dict[int, int] = {}
        for ch in set(query):
            n = query.count(ch)
            for pos in self.name_chars.get(ch, ()):
                shared[pos] = shared.get(pos, 0) + n
        names = self.names
        size = len(query)
        lengths = self.name_lengths
        kept = sorted(pos for pos, n in shared.items() if n >= need * min(size, lengths[pos]))
        return {pos: names[pos] for pos in kept}

    def with_popularity(self, counts: dict[int, int]) -> SearchIndex:
        """The same index with fresh view/application counts (shares everything else)."""
        clone = object.__new__(SearchIndex)
        clone.__dict__.update(self.__dict__)
        clone.popularity = [
            counts.get(d.record.item_id, p) for d, p in zip(self.docs, self.popularity, strict=True)
        ]
        clone.default_order = clone._by_popularity()
        return clone

    def _by_popularity(self) -> list[int]:
        return sorted(range(len(self.docs)), key=lambda i: (-self.popularity[i], self.docs[i].record.code))


def _synonym_tables(pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """Synonyms longest term first (社保卡 before 社保), and by sound (jiazhao, jz → 机动车驾驶证)."""
    clean = sorted(
        {(tx.normalise(t), tx.normalise(c)) for t, c in pairs if tx.normalise(t) and tx.normalise(c)},
        key=lambda tc: (-len(tc[0]), tc),
    )
    by_sound: dict[str, list[str]] = {}
    for term, canonical in clean:
        if len(term) < 2 or not tx.has_han(term):
            continue
        full, initials = tx.pinyin(term)
        for key in {full, initials}:
            if len(key) >= 2 and canonical not in by_sound.setdefault(key, []):
                by_sound[key].append(canonical)
    return clean, by_sound


def build(records: list[ItemRecord], synonyms: list[tuple[str, str]], cache: dict) -> SearchIndex:
    """Build an index; ``cache`` keeps each version's analysis between builds (keyed by content)."""
    docs = []
    fresh: dict = {}
    for record in records:
        key = (record.version_id, record.name, record.keywords, record.department_name, record.result_name)
        analysed = cache.get(key) or analyse(record)
        fresh[key] = analysed
        docs.append(Doc(record=record, text=analysed, summary=record.summary()))
    cache.clear()
    cache.update(fresh)
    return SearchIndex(docs, synonyms, [r.popularity for r in records])
