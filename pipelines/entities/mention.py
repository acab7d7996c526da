"""The :class:`Mention` record that every source of evidence produces."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

METHODS = ("gazetteer", "pattern", "cue", "model")
"""The sources of evidence, strongest first: a cue is a name found by the words around it
("said Dewi Kartika", "Kementerian Perdagangan China"; ``cues.py``)."""
RANK = {m: i for i, m in enumerate(METHODS)}


@dataclass(frozen=True)
class Mention:
    """One mention of an entity: ``text[start:end]``, its type and its canonical entity."""

    start: int
    end: int
    text: str
    type: str
    """PERSON, ORG, PRODUCT, PLACE, EVENT (HANDLE for an unknown @handle)."""
    entity_id: str
    """Wikidata QID where known, else a ``warta:`` slug."""
    name: str
    """The entity's canonical name."""
    method: str
    """What found it: gazetteer, pattern, cue or model."""


T = TypeVar("T")


def overlap_index(items: Sequence[T], bounds: Callable[[T], tuple[int, int]]
                  ) -> Callable[[int, int], list[T]]:
    """A lookup of the ``items`` that overlap ``[start, end)``, by binary search. The items
    must not overlap one another (then sorted by start, their ends are in order too): the
    mentions of one source of evidence, or a model's spans. A scan of every item per lookup
    made a 1 MB text dense with names take minutes."""
    keyed = sorted(zip(map(bounds, items), range(len(items)), strict=True))
    ordered = [items[i] for _, i in keyed]
    starts = [start for (start, _), _ in keyed]
    ends = [end for (_, end), _ in keyed]

    def overlapping(start: int, end: int) -> list[T]:
        first = bisect_right(ends, start)
        return ordered[first:max(first, bisect_right(starts, end - 1))]

    return overlapping


def mention_bounds(m: Mention) -> tuple[int, int]:
    return m.start, m.end


def whole_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands alone: no letter, digit, "_" or "-" joins it on
    either side (as the regex ``(?<![\\w-])...(?![\\w-])``)."""
    return starts_word(text, start) and not (end < len(text) and _joins(text[end]))


def starts_word(text: str, start: int) -> bool:
    """Whether a word may start at ``text[start]``: nothing joins it on the left."""
    return not (start and _joins(text[start - 1]))


def _joins(char: str) -> bool:
    return char.isalnum() or char in "_-"


def abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` can abbreviate ``name``: its first letter starts a word of the name
    and its letters appear in the name in order from there ("KPK" of "Komisi Pemberantasan
    Korupsi", "PDP" of "Lembaga Pelindungan Data Pribadi", "Komdigi" of "Kementerian
    Komunikasi dan Digital", "Jokowi" of "Joko Widodo"; not "PDIP" of "Teten Masduki")."""
    folded = name.casefold()
    letters = short.casefold()
    for word in re.finditer(r"\w+", folded):
        if word.group(0)[0] != letters[0]:
            continue
        at = word.start()
        for char in letters:
            at = folded.find(char, at) + 1
            if not at:
                break
        else:
            return True
    return False
