"""The statistical NER model: small spaCy pipelines shipped in ``data/ner-<lang>``, optional.

Each model is loaded once per process (offline, from package data, ~0.5 s) and only its
``tok2vec`` and ``ner`` run, both computed with numpy (:mod:`pipelines.entities.tok2vec`: the
same token vectors, bit for bit, in 35-45% of thinc's time on 4 KB texts once their words'
embeddings are stored; :mod:`pipelines.entities.decode`: the same entities in about half
spaCy's time). The pipelines are saved with spaCy's
language-neutral ``xx`` tokenizer: spaCy's Indonesian one carries 16,000 tokenizer exceptions
that take ~15 s to load, and the model was trained on gold tokens anyway; stop words come
from the language. Without spaCy or without the model directory the entity stage still works
on the gazetteer and patterns; that is logged once per language as a warning. Models are
trained by ``bench/train_ner.py``; their labels PER/ORG/LOC map to PERSON/ORG/PLACE.
"""

from __future__ import annotations

import gc
import importlib
import logging
import re
from collections.abc import Iterator
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipelines.entities.decode import GreedyNer
from pipelines.entities.tok2vec import Tok2Vec

logger = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).with_name("data")
LANGUAGES = ("id", "en")
LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}
NOT_ENTITIES_FILE = MODEL_DIR / "not_entities.txt"
MAX_MODEL_CHARS = 100_000
"""Text past this is left to the gazetteer, patterns and cues: bounds time and memory per page."""
VOCAB_WORDS = 200_000
"""Words the model's vocabulary keeps for good (~110 MB with their forms); see
:meth:`NerModel.spans`."""
_PARAGRAPH = re.compile(r"[^\n]+")
_CLITIC = re.compile(r"[a-z](?:nya|kah|(?<!l)lah)$")
"""A clitic ending ("Sisanya", "Inilah"); "-llah" is not one: Abdullah, Fanshurullah."""
_CODE = re.compile(r"[A-Z]{2,}[A-Z\d-]*\d[A-Z\d-]*")
"""An acronym with digits ("UKP4", "KPK2"): a name, unlike "Rp750" or "8/256"."""
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_BATCH_CHARS = 4_000
_OPENERS = frozenset("([{“‘\"'")
_CLOSERS = frozenset(")]}”’\"'")


def model_language(lang: str | None) -> str | None:
    """The model language for an article language code (``id-ID`` -> ``id``), if any."""
    code = (lang or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


class NerModel:
    """A loaded spaCy NER pipeline that returns (start, end, type) spans over raw text."""

    def __init__(self, nlp: Any, path: Path, not_entities: frozenset[str] = frozenset(),
                 stop_words: frozenset[str] = frozenset()) -> None:
        self.nlp = nlp
        self.path = path
        self.not_entities = not_entities
        self.stop_words = stop_words
        self.decoder = GreedyNer.for_pipe(nlp.get_pipe("ner")) if "ner" in nlp.pipe_names \
            else None
        """spaCy's ``ner`` decoded with numpy (the same entities in half the time, see
        :mod:`pipelines.entities.decode`); None: spaCy's component runs."""
        self.encoder = Tok2Vec.for_pipe(nlp.get_pipe("tok2vec")) \
            if self.decoder is not None and "tok2vec" in nlp.pipe_names else None
        """The ``tok2vec`` component's vectors computed with numpy (the same vectors, see
        :mod:`pipelines.entities.tok2vec`); None: the component computes them."""

    def _entities(self, texts: list[str]) -> Iterator[list[tuple[Any, str]]]:
        """Each text's entities: (its tokens, a spaCy ``Span``; its label)."""
        if self.decoder is None:
            for doc in self.nlp.pipe(texts):
                yield [(ent, ent.label_) for ent in doc.ents]
            return
        docs = [self.nlp.make_doc(text) for text in texts]
        if "tok2vec" in self.nlp.pipe_names:  # shared: the ner model listens to it
            tok2vec = self.nlp.get_pipe("tok2vec")
            encoder = self.encoder or tok2vec
            tok2vec.set_annotations(docs, encoder.predict(docs))
        for doc, found in zip(docs, self.decoder.entities(docs), strict=True):
            yield [(doc[a:b], label) for a, b, label in found]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Entity spans in ``text`` (its first :data:`MAX_MODEL_CHARS` characters)."""
        # spaCy keeps every word it meets for good: a long reprocess or ingest grew by ~70 MB
        # a thousand texts of new words. Past VOCAB_WORDS, a text's new words are freed
        # when it has been read (a memory zone); the words met before stay.
        grown = len(self.nlp.vocab) >= VOCAB_WORDS and hasattr(self.nlp, "memory_zone")
        with self.nlp.memory_zone() if grown else nullcontext():
            return self._spans(text)

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        # paragraphs batched into ~4 KB docs (fewer docs, same context per sentence); a
        # headline ends a batch and is left out: trained on sentences, the model reads
        # Title Case as one long name
        chunks: list[tuple[int, str]] = []
        start = end = -1
        for m in _PARAGRAPH.finditer(text, 0, MAX_MODEL_CHARS):
            if _headline(m.group(0)):
                if start >= 0:
                    chunks.append((start, text[start:end]))
                start = -1
                continue
            if start < 0:
                start = m.start()
            end = m.end()
            if end - start >= _BATCH_CHARS:
                chunks.append((start, text[start:end]))
                start = -1
        if start >= 0:
            chunks.append((start, text[start:end]))
        found: list[tuple[int, int, str]] = []
        entities = self._entities([chunk for _, chunk in chunks])
        for (offset, _), ents in zip(chunks, entities, strict=True):
            for ent, label in ents:
                kind = LABELS.get(label)
                words = list(ent)
                # a capitalised function word is the start of a sentence, not of a name
                while words and (words[0].lower_ in self.stop_words or words[0].is_punct):
                    words.pop(0)
                if kind is None or not words or ent.text.casefold() in self.not_entities:
                    continue
                if not any((w.is_alpha or _CODE.fullmatch(w.text)) and w.text[0].isupper()
                           and len(w.text) > 1 and w.lower_ not in self.not_entities
                           for w in words):
                    continue  # "Rp750", "8/256 GB": no word in it is a name
                if len(words) == 1 and _CLITIC.search(words[0].text):
                    continue  # "Sisanya", "Dampaknya": a noun with a clitic, not a name
                # a closing bracket whose opening one was stripped above ("(MK)" -> "MK")
                while len(words) > 1 and words[-1].text in _CLOSERS and not any(
                        w.text in _OPENERS for w in words[:-1]):
                    words.pop()
                begin = offset + words[0].idx
                found.append((begin, offset + words[-1].idx + len(words[-1].text), kind))
        return found


def _headline(line: str) -> bool:
    """Whether a line is a headline in Title Case: no closing stop, nearly every word capital."""
    line = line.rstrip()
    if not line or line[-1] in ".!?\"”’)":
        return False
    words = [w for w in _WORDS.findall(line) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def load_not_entities(path: Path = NOT_ENTITIES_FILE) -> frozenset[str]:
    """Words never taken from the model as names (comments and blank lines skipped)."""
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip().casefold() for ln in lines if ln.strip() and ln[0] != "#")


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
        from thinc.api import NumpyOps

        _one_blas_thread()
        # numpy's BLAS (OpenBLAS, its kernels picked for the CPU at run time) for the
        # matrix products: thinc's bundled BLIS ran them 4-7x slower on this machine's CPU
        # (a generic kernel), and the model took 1.6-2x as long a text (see the README)
        ops = NumpyOps(use_blis=False)
        nlp = spacy.load(path)
        nlp("Warm up.")  # the parser builds part of its model on its first call
        for _, pipe in nlp.pipeline:
            for node in pipe.model.walk():
                node.ops = ops
        stop_words = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
    except (ImportError, OSError, ValueError) as exc:
        logger.warning("cannot load the NER model for %r at %s (%s): entities come from the "
                       "gazetteer, patterns and cues only", lang, path, exc)
        return None
    for name in list(nlp.pipe_names):
        if name not in ("tok2vec", "ner"):
            nlp.disable_pipe(name)
    _slim_vocab(nlp.vocab)
    model = NerModel(nlp, path, load_not_entities(), frozenset(stop_words))
    _out_of_collections()
    return model


def _out_of_collections() -> None:
    """Leave what is loaded by now (the model: ~35,000 objects a language) out of the
    garbage collector's full passes, which would otherwise walk it again each time for the
    rest of the process: one full pass of a crawl took 110 ms with both models loaded
    against 55 ms without, ~1.5 ms an article of a demo crawl. Garbage is collected first;
    a frozen object that dies later is still freed when its last reference goes, only a
    reference cycle among frozen objects would be kept (the models, and the crawl's
    long-lived objects, live as long as the process anyway)."""
    gc.collect()
    gc.freeze()


def _slim_vocab(vocab: Any) -> None:
    """Compute only the word attributes the model and :meth:`NerModel.spans` read when a
    word is first seen: spaCy computes twenty (like_url, is_currency...) in Python for every
    new word, 22 against 11 us a word here, and a crawl's pages bring dozens each."""
    from spacy import attrs

    used = {attrs.LOWER, attrs.NORM, attrs.PREFIX, attrs.SUFFIX, attrs.SHAPE,  # the features
            attrs.IS_SPACE,  # the NER actions' rules
            attrs.IS_ALPHA, attrs.IS_PUNCT}  # NerModel.spans
    vocab.lex_attr_getters = {k: f for k, f in vocab.lex_attr_getters.items() if k in used}


@lru_cache(maxsize=1)
def _one_blas_thread() -> None:
    """BLAS in one thread for the whole process: the model's matrices are small, and
    OpenBLAS's worker threads doubled its CPU time for no gain in a crawl (which runs
    other work beside it). Without threadpoolctl, BLAS keeps its own setting."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=1, user_api="blas")
