"""Ranking: relevance first (in tiers a citizen would agree with), then popularity.

Relevance is the best of several signals, each on the same 0–100 scale:
exact name 100 › name starts with the query 96 › name contains it 92 › keyword (俗称) hits ›
pinyin / initials hits › word coverage (jieba, weighted by rarity) › same sound (homophone typo) ›
shared character pairs and fuzzy ratio (one-character typos). Scores are rounded, so that items
equally relevant to a citizen are ordered by popularity (views and applications).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from citizen_api.search import text as tx
from citizen_api.search.index import SearchIndex

MIN_SCORE = 45.0
RELATIVE_FLOOR = 0.7  # drop hits far weaker than the best one
CODE_MATCH = 200.0
HOMOPHONE = 80.0
FUZZY_TRIGGER = 75.0
MAX_VARIANTS = 6
NAME_FUZZY_CUTOFF = 70.0

Scores = dict[int, float]


Relevance = tuple[list[int], bytes]  # positions and their rounded scores (0–255)


def relevance(index: SearchIndex, query: str) -> Relevance:
    """Every relevant item with its rounded score, before popularity breaks the ties. This is the
    costly part and it does not depend on view counts, so the service keeps it across their
    reloads and only re-sorts (:func:`order`)."""
    scores: Scores = {}
    code_hit = index.by_code.get(query)
    if code_hit is not None:
        scores[code_hit] = CODE_MATCH
    if tx.is_latin(query):
        _pinyin_query(index, query, scores)
    elif tx.has_han(query):
        _chinese_query(index, query, scores)
    if not scores:
        return [], b""
    floor = max(MIN_SCORE, max(scores.values()) * RELATIVE_FLOOR)
    kept = [(pos, min(255, round(s))) for pos, s in scores.items() if s >= floor]
    return [pos for pos, _ in kept], bytes(level for _, level in kept)


def order(index: SearchIndex, found: Relevance) -> list[int]:
    """Relevance first, then popularity (views, applications), then code."""
    positions, levels = found
    pop = index.popularity
    docs = index.docs
    ranked = sorted(
        range(len(positions)),
        key=lambda i: (-levels[i], -pop[positions[i]], docs[positions[i]].record.code),
    )
    return [positions[i] for i in ranked]


def _keep(scores: Scores, pos: int, score: float) -> None:
    if score > scores.get(pos, 0.0):
        scores[pos] = score


# ---- Chinese -----------------------------------------------------------------------------


def variants(index: SearchIndex, query: str) -> list[str]:
    """The query and its rewrites by synonym: 驾照换证 → 机动车驾驶证换证 (longest term first)."""
    replacements: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for term, canonical in index.synonyms:
        if canonical in query:
            continue
        start = query.find(term)
        while start != -1:
            end = start + len(term)
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
                replacements.append((start, end, canonical))
            start = query.find(term, end)
    out = [query]
    for start, end, canonical in replacements:
        out.append(query[:start] + canonical + query[end:])
    if len(replacements) > 1:
        # all at once, each term's first canonical (right to left keeps the offsets valid)
        merged = query
        seen: set[tuple[int, int]] = set()
        for start, end, canonical in sorted(replacements, reverse=True):
            if (start, end) not in seen:
                seen.add((start, end))
                merged = merged[:start] + canonical + merged[end:]
        out.append(merged)
    return list(dict.fromkeys(out))[:MAX_VARIANTS]


def _chinese_query(index: SearchIndex, query: str, scores: Scores) -> None:
    for variant in variants(index, query):
        _score_variant(index, variant, scores)
    best = max(scores.values(), default=0.0)
    if best < HOMOPHONE:
        _same_sound(index, query, scores)
        best = max(scores.values(), default=0.0)
    if best < FUZZY_TRIGGER and len(query) >= 3:
        near = index.near_names(query, NAME_FUZZY_CUTOFF)
        for _name, ratio, pos in process.extract(
            query, near, scorer=fuzz.partial_ratio, score_cutoff=NAME_FUZZY_CUTOFF, limit=30
        ):
            _keep(scores, pos, 30 + 0.45 * ratio)


def _score_variant(index: SearchIndex, v: str, scores: Scores) -> None:
    tokens = tx.query_tokens(v)
    if not tokens:
        return
    weights = {t: index.idf(t) for t in tokens}
    total = sum(weights.values())
    vb = tx.bigrams(v)
    candidates: set[int] = set()
    postings = index.postings
    for key in (*tokens, *vb):
        candidates.update(postings.get(key, ()))
    if len(v) == 1:
        candidates.update(index.containing("name", v))
    if not candidates:
        return
    # Per-token sets (cached on the index) intersected with the candidates, instead of testing
    # every token against every candidate's strings. Candidates that cannot reach the floor
    # _ordered will apply (0.7 × the best score, which only grows) are not scored at all: with
    # 5,000 items a common word (登记, 证) makes thousands of candidates and few survive.
    pairs = len(vb)
    in_any = _weighted(index, "any", weights, candidates)
    shared: dict[int, int] = {}
    for pair in vb:
        for pos in candidates.intersection(index.name_bigrams.get(pair, ())):
            shared[pos] = shared.get(pos, 0) + 1
    strong = candidates.intersection(index.containing("name", v))
    strong.update(candidates.intersection(index.keyword_docs.get(v, ())))
    best = max(max(scores.values(), default=0.0), 92.0 if strong else 0.0)  # strong ones score ≥ 92
    floor = max(MIN_SCORE, best * RELATIVE_FLOOR) - 1e-6
    # the best a candidate without a strong signal can do is max(50+35a/T, 45+38a/T) + 6
    need = min((floor - 56) * total / 35, (floor - 51) * total / 38)
    relevant = strong | candidates.intersection(index.containing("kw", v))
    relevant.update(pos for pos, a in in_any.items() if a >= need)
    relevant.update(pos for pos, n in shared.items() if n * 2 >= pairs)
    in_name = _weighted(index, "name", weights, relevant)
    other = _weighted(index, "other", weights, relevant)
    docs = index.docs
    for pos in relevant:
        t = docs[pos].text
        name = t.name
        if v == name:
            s = 100.0
        elif name.startswith(v):
            s = 96.0
        elif v in name:
            s = 92.0
        elif v in t.keywords:
            s = 94.0
        else:
            n = in_name.get(pos, 0.0)
            a = in_any.get(pos, 0.0)
            s = max(50 + 35 * n / total if n else 0.0, 45 + 38 * a / total if a else 0.0)
            if v in t.kw_text:
                s = max(s, 88.0)
            if pairs:
                ratio = shared.get(pos, 0) / pairs
                if ratio >= 0.5:
                    s = max(s, 40 + 40 * ratio)
        # department, type or result words in the query (市场监管 营业执照) break ties
        o = other.get(pos)
        if o:
            s += 6 * o / total
        _keep(scores, pos, s)


def _weighted(index: SearchIndex, where: str, weights: dict[str, float], candidates: set[int]) -> Scores:
    """For each candidate, the summed weight of the query tokens its ``where`` text contains."""
    out: Scores = {}
    for token, w in weights.items():
        for pos in candidates.intersection(index.containing(where, token)):
            out[pos] = out.get(pos, 0.0) + w
    return out


def _same_sound(index: SearchIndex, query: str, scores: Scores) -> None:
    """Typed with the wrong character of the same sound (营业执找 → 营业执照, 驾找 → 驾照)."""
    full, _ = tx.pinyin(query)
    for canonical in index.syn_by_sound.get(full, ()):
        sub: Scores = {}
        _score_variant(index, canonical, sub)
        for pos, s in sub.items():
            _keep(scores, pos, min(s, HOMOPHONE))
    if len(full) < 4:
        return
    for pos, _, _ in index.pinyin_blob.find(full):
        _keep(scores, pos, HOMOPHONE)


# ---- pinyin ------------------------------------------------------------------------------


def _pinyin_query(index: SearchIndex, q: str, scores: Scores) -> None:
    """yyzz, gtgsh (initials), yingyezhizhao (full pinyin), jz → 驾照 → 机动车驾驶证."""
    short = len(q) < 2
    for pos, at_start, whole in index.initials_blob.find(q):
        if whole:
            _keep(scores, pos, 97)
        elif at_start:
            _keep(scores, pos, 95)
        elif not short:
            _keep(scores, pos, 90)
    if len(q) >= 3:
        for pos, at_start, whole in index.pinyin_blob.find(q):
            _keep(scores, pos, 97 if whole else 95 if at_start else 90)
    for pos in index.kw_sound.get(q, ()):
        _keep(scores, pos, 93)
    if len(q) >= 3:
        # inside a keyword or the result's name: yyzz in 办营业执照 (byyzz), 营业执照 (result)
        for pos, _, whole in index.sound_blob.find(q):
            _keep(scores, pos, 87 if whole else 85)
    for canonical in index.syn_by_sound.get(q, ()):
        sub: Scores = {}
        _score_variant(index, canonical, sub)
        for pos, s in sub.items():
            _keep(scores, pos, min(s, 94))
    if max(scores.values(), default=0.0) < FUZZY_TRIGGER and len(q) >= 6:
        # a slip in full pinyin: yingyezhizao
        for _p, ratio, pos in process.extract(
            q, index.pinyins, scorer=fuzz.partial_ratio, score_cutoff=85, limit=30
        ):
            _keep(scores, pos, 20 + 0.6 * ratio)
