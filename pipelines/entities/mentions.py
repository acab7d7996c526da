"""``find_mentions``: one text in, typed mentions with canonical entities out.

The gazetteer (``gazetteer.py``), patterns (``patterns.py``), cues (``cues.py``: names
found by the words around them) and the optional model (``model.py``) each propose
mentions; ``resolve.py`` combines them. :func:`summarize` turns the mentions into one record
per entity, the form articles carry and the archive stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipelines.entities.cues import find_cues
from pipelines.entities.gazetteer import Gazetteer, default_gazetteer
from pipelines.entities.mention import RANK, Mention
from pipelines.entities.model import MODEL_DIR, load_model, model_language
from pipelines.entities.patterns import find_patterns
from pipelines.entities.resolve import (
    MODEL_DECIDES,
    acronym_definitions,
    gazetteer_first,
    in_document_aliases,
    longest_first,
    model_first,
    with_cues,
)
from pipelines.entities.scan import scan

_LETTER = re.compile(r"[^\W\d_]")
_WITH_ABBREVIATION = re.compile(r"(.+?) \((.+)\)")


def find_mentions(text: str, lang: str | None, *, gazetteer: Gazetteer | None = None,
                  model_dir: Path | None = None, use_model: bool = True) -> list[Mention]:
    """Entity mentions in ``text`` (language ``id`` or ``en``), ordered by position.

    ``use_model=False`` (or a missing model, warned about once) leaves gazetteer, patterns
    and cues.
    """
    if not text or not _LETTER.search(text):
        return []
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    firm = [Mention(h.start, h.end, text[h.start:h.end], h.entity.type, h.entity.id,
                    h.entity.name, "gazetteer") for h in gaz.find(text)]
    starts, cues = scan(text, lang)
    firm += [Mention(f.start, f.end, text[f.start:f.end], f.type, f.entity_id, f.name,
                     "pattern") for f in find_patterns(text, gaz, starts)]
    firm = longest_first(firm, len(text))
    mentions = with_cues(firm, find_cues(text, lang, firm, gaz, hits=cues), len(text))
    code = model_language(lang) if use_model else None
    model = load_model(code, model_dir or MODEL_DIR) if code else None
    if model is not None:
        combine = model_first if code in MODEL_DECIDES else gazetteer_first
        mentions = combine(text, mentions, model.spans(text), gaz)
    mentions = in_document_aliases(text, acronym_definitions(text, mentions))
    return sorted(mentions, key=lambda m: m.start)


def summarize(mentions: Iterable[Mention]) -> list[dict[str, Any]]:
    """One record per entity: id, name, type, count, first position, the strongest method
    (gazetteer, pattern, cue, model) and the other spellings seen (``aliases``)."""
    found: dict[str, dict[str, Any]] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        entry = found.get(m.entity_id)
        if entry is None:
            entry = found[m.entity_id] = {
                "entity_id": m.entity_id, "name": m.name, "type": m.type, "count": 0,
                "first_position": m.start, "method": m.method, "aliases": []}
        entry["count"] += 1
        if RANK[m.method] < RANK[entry["method"]]:
            entry["method"] = m.method
        surface = " ".join(m.text.split())
        defined = _WITH_ABBREVIATION.fullmatch(surface)  # "Komisi ... Korupsi (KPK)": two spellings
        for spelling in defined.groups() if defined else (surface,):
            if spelling != m.name and spelling not in entry["aliases"]:
                entry["aliases"].append(spelling)
    return list(found.values())
