"""The statistical NER model: small spaCy pipelines shipped in ``data/ner-<lang>``, optional.

Each model is loaded once per process (offline, from package data) and only its ``tok2vec``
and ``ner`` run. Without spaCy or without the model directory the entity stage still works
on the gazetteer and patterns; that is logged once per language as a warning. Models are
trained by ``bench/train_ner.py``; their labels PER/ORG/LOC map to PERSON/ORG/PLACE.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).with_name("data")
LANGUAGES = ("id", "en")
LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}
MAX_MODEL_CHARS = 100_000
"""Text past this is left to the gazetteer and patterns: bounds time and memory per page."""
_PARAGRAPH = re.compile(r"[^\n]+")
_BATCH_CHARS = 4_000


def model_language(lang: str | None) -> str | None:
    """The model language for an article language code (``id-ID`` -> ``id``), if any."""
    code = (lang or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


class NerModel:
    """A loaded spaCy NER pipeline that returns (start, end, type) spans over raw text."""

    def __init__(self, nlp: Any, path: Path) -> None:
        self.nlp = nlp
        self.path = path

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Entity spans in ``text`` (its first :data:`MAX_MODEL_CHARS` characters)."""
        chunks: list[tuple[int, str]] = []
        start = -1
        for m in _PARAGRAPH.finditer(text, 0, MAX_MODEL_CHARS):
            # paragraphs batched into ~4 KB docs: fewer docs, same context per sentence
            if start < 0:
                start = m.start()
            if m.end() - start >= _BATCH_CHARS:
                chunks.append((start, text[start:m.end()]))
                start = -1
        if start >= 0:
            chunks.append((start, text[start:min(len(text), MAX_MODEL_CHARS)].rstrip("\n")))
        found: list[tuple[int, int, str]] = []
        docs = self.nlp.pipe(chunk for _, chunk in chunks)
        for (offset, _), doc in zip(chunks, docs, strict=True):
            for ent in doc.ents:
                kind = LABELS.get(ent.label_)
                if kind is not None:
                    found.append((offset + ent.start_char, offset + ent.end_char, kind))
        return found


@lru_cache(maxsize=8)
def load_model(lang: str, directory: Path = MODEL_DIR) -> NerModel | None:
    """The model for ``lang`` from ``directory``, or None (warned once) when it is missing."""
    path = directory / f"ner-{lang}"
    if not (path / "config.cfg").is_file():
        logger.warning("no NER model for %r at %s: entities come from the gazetteer and "
                       "patterns only", lang, path)
        return None
    try:
        import spacy

        nlp = spacy.load(path)
    except (ImportError, OSError, ValueError) as exc:
        logger.warning("cannot load the NER model for %r at %s (%s): entities come from the "
                       "gazetteer and patterns only", lang, path, exc)
        return None
    for name in list(nlp.pipe_names):
        if name not in ("tok2vec", "ner"):
            nlp.disable_pipe(name)
    return NerModel(nlp, path)
