"""Text analysis for Chinese search: normalising, word segmentation (jieba), pinyin, bigrams."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache


# jieba and pypinyin take ~0.5 s to import: loaded on first use, so CLI commands that never search
# (migrate, staff add, …) start without them
@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def _lazy_pinyin():
    from pypinyin import lazy_pinyin

    return lazy_pinyin


# characters that never carry meaning in a query: spaces, punctuation, symbols
_NOISE = re.compile(r"[\W_]+", re.UNICODE)
LATIN = re.compile(r"[a-z]+")
MAX_QUERY_CHARS = 50


# words a citizen types around what they want; they say nothing about which item it is
def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    _words(
        """的 了 吗 呢 啊 吧 呀 我 我的 你 要 想 想要 去 在 给 把 和 与 及 或 怎么 怎么办 怎样 如何 哪里 在哪
    在哪里 哪儿 什么 需要 需 要求 请问 一下 可以 能 能否 是否 办 办理 去哪 多久 多少 材料 流程 手续"""
    )
)

_jieba_lock = threading.Lock()
_user_words: set[str] = set()


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, without spaces and punctuation, at most 50 chars."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _NOISE.sub("", text)[:MAX_QUERY_CHARS]


def is_latin(text: str) -> bool:
    return LATIN.fullmatch(text) is not None


def has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@lru_cache(maxsize=65536)
def pinyin(text: str) -> tuple[str, str]:
    """(full pinyin, initials) without tones: 营业执照 → ("yingyezhizhao", "yyzz").

    Non-Chinese characters are kept one by one, so 第2类 → ("di2lei", "d2l").
    """
    syllables = _lazy_pinyin()(text, errors=lambda chars: list(chars))
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def bigrams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset((text,)) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def initialise() -> None:
    """Load jieba's dictionary (about a second; call from a worker thread, not the event loop)."""
    _jieba().initialize()


def add_user_words(words) -> None:
    """The catalog's own terms (营业执照, 个体工商户 …) as a jieba user dictionary, so that they
    come out whole instead of being cut into characters."""
    with _jieba_lock:
        for word in words:
            if 2 <= len(word) <= 12 and word not in _user_words and has_han(word):
                _user_words.add(word)
                if not _jieba().dt.FREQ.get(word):
                    _jieba().add_word(word, freq=2000)
    segment.cache_clear()


@lru_cache(maxsize=16384)
def segment(text: str) -> tuple[str, ...]:
    """Every word jieba finds in search mode (overlapping: 工商, 商户, 工商户 …), without stop words."""
    words = []
    seen = set()
    for word in _jieba().cut_for_search(text):
        if word not in seen and word not in STOPWORDS and not word.isspace():
            seen.add(word)
            words.append(word)
    return tuple(words)


def query_tokens(text: str) -> tuple[str, ...]:
    """Tokens of a normalised query (the query itself when it is all stop words but one char)."""
    tokens = segment(text)
    return tokens or ((text,) if text and text not in STOPWORDS else ())
