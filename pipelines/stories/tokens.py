"""Splitting an article's text into tokens and hashing them, compiled with numba.

A token is what ``\\w+(?:['’.,-]\\w+)*`` matches (Python's ``re``, where ``\\w`` is a
character that ``str.isalnum`` accepts, or ``_``): letters and digits with inner
apostrophes, hyphens, dots or commas ("co-founder", "10.000", "U.S", "Musk's").

``scan`` reads the text's UTF-8 bytes once and gives each token's 64-bit hash and its
byte span: the story features look tokens up by hash and decode only the ones they have
not seen before. Done in Python (split, regular expression, ``hash()`` of every token
string) this was about a third of an article's features.

Which code points are word characters comes from ``re`` itself (``word_table``), so the
scanner and the regular expression cannot disagree; the table covers the Basic
Multilingual Plane until a text holds a code point beyond it (an emoji, say), when the
whole range is worked out once (~0.15 s).
"""

from __future__ import annotations

import re

import numpy as np
from numba import njit

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_BMP = 0x10000
_UNICODE = 0x110000

_tables: dict[int, np.ndarray] = {}


def word_table(size: int = _BMP) -> np.ndarray:
    """Which of the first ``size`` code points ``re`` counts as ``\\w`` (cached)."""
    table = _tables.get(size)
    if table is None:
        text = "".join(map(chr, range(size)))
        marked = re.sub(r"\w", "\x01", text).encode("utf-32-le", "surrogatepass")
        table = np.frombuffer(marked, dtype=np.uint32) == 1
        table[1] = False  # \x01 itself is not a word character
        _tables[size] = table
    return table


@njit(cache=True, inline="always")
def _decode(data: np.ndarray, i: int) -> tuple[int, int]:
    """The code point at byte ``i`` of valid UTF-8 and its length in bytes."""
    b = np.int64(data[i])
    if b < 0x80:
        return b, 1
    if b < 0xE0:
        return ((b & 0x1F) << 6) | (np.int64(data[i + 1]) & 0x3F), 2
    if b < 0xF0:
        return (((b & 0x0F) << 12) | ((np.int64(data[i + 1]) & 0x3F) << 6)
                | (np.int64(data[i + 2]) & 0x3F)), 3
    return (((b & 0x07) << 18) | ((np.int64(data[i + 1]) & 0x3F) << 12)
            | ((np.int64(data[i + 2]) & 0x3F) << 6) | (np.int64(data[i + 3]) & 0x3F)), 4


@njit(cache=True, inline="always")
def _connector(cp: int) -> bool:
    return cp == 39 or cp == 0x2019 or cp == 46 or cp == 44 or cp == 45  # ' ’ . , -


@njit(cache=True)
def scan(data: np.ndarray, split: int, word: np.ndarray, max_body: int
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int, int, int]:
    """The tokens of UTF-8 ``data``: the title's (bytes before ``split``, which must end in
    a byte that is not part of a token, such as a line feed), then the first ``max_body``
    of the body's. Returns the tokens' hashes (64-bit, never 0), their start and end
    bytes, how many are the title's, how many tokens the body has in all, and of the
    title's tokens longer than three characters that begin with a letter, how many there
    are and how many begin with a capital (-1, -1 when a title token begins with a
    character outside ASCII: ask ``str``). The title count is -1 when a code point lies
    beyond ``word`` (call again with the whole range)."""
    n = data.shape[0]
    size = word.shape[0]
    cap = split // 2 + 2 + max_body  # a title token takes at least one byte and a gap
    hashes = np.empty(cap, dtype=np.uint64)
    starts = np.empty(cap, dtype=np.int64)
    ends = np.empty(cap, dtype=np.int64)
    m = n_title = body = long = upper = 0
    i = 0
    while i < n:
        cp, w = _decode(data, i)
        if cp >= size:
            return hashes[:0], starts[:0], ends[:0], -1, 0, 0, 0
        if not word[cp]:
            i += w
            continue
        start = i
        h = _FNV_OFFSET
        while True:
            while i < n:  # a run of word characters
                cp, w = _decode(data, i)
                if cp >= size:
                    return hashes[:0], starts[:0], ends[:0], -1, 0, 0, 0
                if not word[cp]:
                    break
                for k in range(i, i + w):
                    h = (h ^ np.uint64(data[k])) * _FNV_PRIME
                i += w
            if i >= n:
                break
            cp, w = _decode(data, i)
            if not _connector(cp) or i + w >= n:
                break
            cp2, _ = _decode(data, i + w)
            if cp2 >= size:
                return hashes[:0], starts[:0], ends[:0], -1, 0, 0, 0
            if not word[cp2]:
                break
            for k in range(i, i + w):  # a connector between two runs
                h = (h ^ np.uint64(data[k])) * _FNV_PRIME
            i += w
        in_title = start < split
        if not in_title:
            body += 1
        elif long >= 0:
            first = data[start]
            if first >= 0x80:
                long = upper = -1
            elif (65 <= first <= 90 or 97 <= first <= 122) and _chars(data, start, i) > 3:
                long += 1
                upper += first <= 90
        if in_title or body <= max_body:
            h ^= h >> _S30  # splitmix64's finaliser: the table probes by the low bits
            h *= _MIX1
            h ^= h >> _S27
            h *= _MIX2
            h ^= h >> _S31
            hashes[m] = h if h != 0 else np.uint64(1)
            starts[m] = start
            ends[m] = i
            m += 1
            n_title += in_title
    return hashes[:m].copy(), starts[:m].copy(), ends[:m].copy(), n_title, body, long, upper


@njit(cache=True, inline="always")
def _chars(data: np.ndarray, start: int, end: int) -> int:
    """Code points in the UTF-8 bytes from ``start`` to ``end``."""
    count = 0
    for k in range(start, end):
        count += (data[k] & 0xC0) != 0x80
    return count


def encode(title: str | None, body: str | None) -> tuple[bytes, int]:
    """An article's text as ``scan`` reads it: the title's UTF-8 bytes and a line feed,
    then the body's; and where the body starts."""
    head = title.encode("utf-8", "surrogatepass") + b"\n" if title else b""
    return (head + body.encode("utf-8", "surrogatepass") if body else head), len(head)


def tokenize(title: str | None, body: str | None, max_body: int
             ) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray, int, int, int, int]:
    """``scan`` of an article's title and body: the UTF-8 bytes the spans point into, the
    tokens' hashes, starts and ends, the title's token count and the body's, and the
    title's long words and capitalised ones (see ``scan``)."""
    data, split = encode(title, body)
    array = np.frombuffer(data, dtype=np.uint8)
    found = scan(array, split, word_table(), max_body)
    if found[3] < 0:  # a code point beyond the Basic Multilingual Plane
        found = scan(array, split, word_table(_UNICODE), max_body)
    return (data, *found)


def token_hashes(tokens: list[str]) -> np.ndarray:
    """The hashes ``scan`` gives these tokens (each one token, as ``scan`` found it)."""
    _, hashes, _, _, _, count, _, _ = tokenize(None, " ".join(tokens), len(tokens))
    if count != len(tokens):
        raise ValueError("not a list of single tokens")
    return hashes
