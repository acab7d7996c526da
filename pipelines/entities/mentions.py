"""``find_mentions``: the three sources of evidence combined into one list of typed mentions.

Gazetteer hits and pattern matches come first (they carry canonical ids); the longest wins
where they overlap, the gazetteer on a tie. Model spans fill the gaps, and replace a single
gazetteer hit they extend with capitalised words ("Universitas Indonesia" over "Indonesia").
Last, in-document aliases: a part of a full person name seen in the text ("Elon" or "Musk" of
"Elon Musk") is that person wherever else it stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipelines.entities.gazetteer import Gazetteer, default_gazetteer
from pipelines.entities.model import MODEL_DIR, load_model, model_language
from pipelines.entities.patterns import find_patterns, slugify

METHODS = ("gazetteer", "pattern", "model")
_RANK = {m: i for i, m in enumerate(METHODS)}
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_NAME_BEFORE = re.compile(r"[A-Z][\w'’-]* $")
_NAME_AFTER = re.compile(r" [A-Z]")
_CONNECTORS = frozenset({"of", "de", "van", "von", "der", "dan", "and", "&", "the"})
_NOT_NAME_PARTS = frozenset({"Bin", "Binti", "Van", "Von", "Der", "Jr.", "Sr.", "Mr.", "Mrs.",
                             "Dr.", "Pak", "Bu", "The"})


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
    """What found it: gazetteer, pattern or model."""


def find_mentions(text: str, lang: str | None, *, gazetteer: Gazetteer | None = None,
                  model_dir: Path | None = None, use_model: bool = True) -> list[Mention]:
    """Entity mentions in ``text`` (language ``id`` or ``en``), ordered by position."""
    if not text or not _LETTER.search(text):
        return []
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    firm = [Mention(h.start, h.end, text[h.start:h.end], h.entity.type, h.entity.id,
                    h.entity.name, "gazetteer") for h in gaz.find(text)]
    firm += [Mention(f.start, f.end, text[f.start:f.end], f.type, f.entity_id, f.name,
                     "pattern") for f in find_patterns(text, gaz)]
    mentions = _longest_first(firm, len(text))
    code = model_language(lang) if use_model else None
    model = load_model(code, model_dir or MODEL_DIR) if code else None
    if model is not None:
        mentions = _with_model(text, mentions, model.spans(text), gaz)
    mentions = _in_document_aliases(text, mentions)
    return sorted(mentions, key=lambda m: m.start)


def summarize(mentions: Iterable[Mention]) -> list[dict[str, Any]]:
    """One record per entity: id, name, type, count, first position, the strongest method
    (gazetteer, then pattern, then model) and the other spellings seen (``aliases``)."""
    found: dict[str, dict[str, Any]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        entry = found.get(m.entity_id)
        if entry is None:
            entry = found[m.entity_id] = {
                "entity_id": m.entity_id, "name": m.name, "type": m.type, "count": 0,
                "first_position": m.start, "method": m.method, "aliases": []}
        entry["count"] += 1
        if _RANK[m.method] < _RANK[entry["method"]]:
            entry["method"] = m.method
        surface = " ".join(m.text.split())
        if surface != m.name and surface not in entry["aliases"]:
            entry["aliases"].append(surface)
    return list(found.values())


def _longest_first(candidates: list[Mention], size: int) -> list[Mention]:
    """Non-overlapping mentions: longer first, then gazetteer before pattern, then leftmost."""
    taken = bytearray(size)
    kept: list[Mention] = []
    for m in sorted(candidates, key=lambda m: (m.start - m.end, _RANK[m.method], m.start)):
        if taken.find(1, m.start, m.end) == -1:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
            kept.append(m)
    return kept


def _with_model(text: str, firm: list[Mention], spans: list[tuple[int, int, str]],
                gaz: Gazetteer) -> list[Mention]:
    """Add model spans where nothing firm is, or where one extends a single firm mention."""
    by_start = sorted(firm, key=lambda m: m.start)
    dropped: set[int] = set()
    added: list[Mention] = []
    for start, end, kind in spans:
        surface = text[start:end]
        if not any(c.isupper() for c in surface):
            continue  # a name with no capital is almost always a model error in edited news
        inside = [m for m in by_start if m.start < end and start < m.end]
        if inside:
            m = inside[0]
            if len(inside) > 1 or not (start <= m.start and m.end <= end) or (
                    m.end - m.start == end - start) or not _capitalised(
                    text[start:m.start] + " " + text[m.end:end]):
                continue
            dropped.add(id(m))
        name = " ".join(surface.split())
        known = gaz.lookup(name)
        if known is not None:
            added.append(Mention(start, end, surface, known.type, known.id, known.name, "model"))
        else:
            added.append(Mention(start, end, surface, kind, f"warta:{slugify(name)}", name,
                                 "model"))
    return [m for m in firm if id(m) not in dropped] + added


def _capitalised(words: str) -> bool:
    """Whether every word is capitalised (connectors such as "of" and "dan" aside)."""
    found = _WORD.findall(words)
    return bool(found) and all(w[0].isupper() or w[0].isdigit() or w in _CONNECTORS
                               for w in found)


def _in_document_aliases(text: str, mentions: list[Mention]) -> list[Mention]:
    """Link and add stand-alone parts of full person names found in the same text."""
    parts: dict[str, Mention | None] = {}
    for m in mentions:
        words = m.text.split()
        if m.type != "PERSON" or len(words) < 2:
            continue
        for word in words:
            if len(word) >= 3 and word[0].isupper() and word not in _NOT_NAME_PARTS:
                other = parts.get(word)
                parts[word] = m if other is None or other.entity_id == m.entity_id else None
    owners = {w: m for w, m in parts.items() if m is not None}
    if not owners:
        return mentions
    linked: list[Mention] = []
    taken = bytearray(len(text))
    for m in mentions:
        owner = owners.get(m.text) if m.method == "model" else None
        if owner is not None:
            m = replace(m, type="PERSON", entity_id=owner.entity_id, name=owner.name)
        linked.append(m)
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    alternation = "|".join(re.escape(w) for w in sorted(owners, key=len, reverse=True))
    for match in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text):
        if taken.find(1, match.start(), match.end()) == -1 and not _in_longer_name(
                text, match.start(), match.end()):
            owner = owners[match.group(0)]
            linked.append(Mention(match.start(), match.end(), match.group(0), "PERSON",
                                  owner.entity_id, owner.name, "pattern"))
    return linked


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word touches the span ("Musk" in "Kimbal Musk" is not Elon)."""
    if _NAME_AFTER.match(text, end):
        return True
    before = _NAME_BEFORE.search(text, max(0, start - 30), start)
    if before is None:
        return False
    # a capitalised first word of a sentence ("Kini Elon ...") is not a first name
    lead = text[max(0, before.start() - 3):before.start()].rstrip(" ")
    return bool(lead) and lead[-1] not in ".!?\n\"“(:"
