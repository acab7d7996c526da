"""The :class:`Mention` record that every source of evidence produces."""

from __future__ import annotations

from dataclasses import dataclass

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
