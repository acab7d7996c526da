"""Many words found in one pass over a text: an Aho-Corasick automaton.

The gazetteer, the patterns' trigger words and the cue words each need every occurrence of
any of their words, overlapping ones included, checked afterwards for word boundaries and
case. ahocorasick_rs (Rust) scans a 4 KB text in ~0.06 ms against ~0.15-0.2 ms for
pyahocorasick over the same words; the scan, not the few dozen hits, is the cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

import ahocorasick_rs

V = TypeVar("V")


class Automaton(Generic[V]):
    """An automaton over ``words``, each with a value reported with its hits."""

    def __init__(self, words: Mapping[str, V]) -> None:
        keys = list(words)
        self._values = [words[w] for w in keys]
        self._automaton = ahocorasick_rs.AhoCorasick(keys) if keys else None

    def iter(self, text: str) -> list[tuple[int, V]]:
        """Every occurrence of a word in ``text``, overlapping ones included, as (index of
        its last character, its value), by end position, the longest first at one end."""
        if self._automaton is None or not text:
            return []
        values = self._values
        hits = self._automaton.find_matches_as_indexes(text, overlapping=True)
        hits.sort(key=lambda h: (h[2], h[1]))
        return [(end - 1, values[i]) for i, _start, end in hits]
