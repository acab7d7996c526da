"""The clusterer's working memory: document frequencies and the recent stories' centroids,
with an inverted index from terms to stories for finding candidates fast.

Document frequencies are counted in a fixed-size hashed table (CRC-32 of the term, 2**22
slots by default, 16 MB) instead of a term dictionary: a year of news has a million or more
distinct terms, which as a Python dict costs hundreds of MB and seconds to load; the table is
one array, snapshotted into SQLite as one blob. Rare collisions only blur the frequencies of
rare terms.

A story's centroid is kept in *raw* term space: each member adds its raw term weights
scaled so that, with the IDF of the moment it joined, it has unit length. Comparisons apply
the current IDF, so a story formed while the archive was young is not frozen with the
young archive's weighting, and the centroid is a plain sum: it does not depend on the order
in which its members arrived.
"""

from __future__ import annotations

import math
import zlib
from array import array
from dataclasses import dataclass, field
from itertools import compress, repeat

import numpy as np

_NORM_DRIFT = math.log(1.02)  # recompute a story's norm once the archive grew 2%


def _is_neutral(term: str) -> bool:
    return term[0] in "=#@"


def term_hash(term: str, mask: int) -> int:
    return zlib.crc32(term.encode("utf-8")) & mask


class DocFrequencies:
    """How many clustered articles contain each (hashed) term."""

    def __init__(self, bits: int = 22) -> None:
        self.bits = bits
        self.mask = (1 << bits) - 1
        self.counts = np.zeros(1 << bits, dtype=np.uint32)
        self.docs = 0

    @property
    def epoch(self) -> int:
        """Changes when the archive has grown ~2% since the last change (norms go stale)."""
        return int(math.log(self.docs + 1) / _NORM_DRIFT)

    def hashes(self, terms: list[str]) -> np.ndarray:
        # No cache: most of an article's terms (its word pairs) are new, and looking up a
        # large term -> slot table costs more than the CRC.
        return np.fromiter(map(zlib.crc32, map(str.encode, terms)), dtype=np.int64,
                           count=len(terms)) & self.mask

    def idf(self, hashes: np.ndarray) -> np.ndarray:
        """Smoothed IDF, ln((N + 1) / (df + 1)) + 1, as scikit-learn computes it."""
        return np.log((self.docs + 1.0) / (self.counts[hashes] + 1.0)) + 1.0

    def add(self, hashes: np.ndarray) -> None:
        # Fancy-index assignment increments a slot once per document even when two of its
        # terms collide in that slot: the slot's count stays "documents containing it".
        self.counts[hashes] += 1
        self.docs += 1

    def remove(self, hashes: np.ndarray) -> None:
        present = hashes[self.counts[hashes] > 0]
        self.counts[present] -= 1
        self.docs = max(self.docs - 1, 0)

    def to_bytes(self) -> bytes:
        # zlib: the table is mostly zeros until the archive is large (16 MB -> a few KB)
        return zlib.compress(self.counts.tobytes(), 1)

    def load(self, blob: bytes, docs: int) -> None:
        try:
            blob = zlib.decompress(blob)
        except zlib.error:
            pass  # a snapshot written before compression
        counts = np.frombuffer(blob, dtype=np.uint32)
        if counts.size != self.counts.size:
            raise ValueError(f"document-frequency snapshot has {counts.size} slots, "
                             f"expected {self.counts.size}")
        self.counts = counts.copy()
        self.docs = docs


_NO_FLOATS = np.zeros(0, dtype=np.float64)
_NO_INTS = np.zeros(0, dtype=np.int64)
_NO_FLAGS = np.zeros(0, dtype=bool)


@dataclass
class Query:
    """One article's terms weighted with the current IDF, ready to compare. The arrays are
    aligned with ``terms``."""

    terms: list[str]
    raw: np.ndarray
    """The article's raw weights (``Features.terms``)."""
    unit: np.ndarray
    """weight * idf / |weight * idf| (the unit TF-IDF vector)."""
    idf: np.ndarray
    slots: np.ndarray
    """The terms' slots in the document-frequency table."""
    neutral: np.ndarray
    """Which terms are neutral (names, numbers, entity ids)."""
    neutral_norm: float
    """Length of the neutral part of the unit vector."""
    scale: float
    """1 / |weight * idf|: how a member's raw weights are scaled into a centroid."""
    lang: str | None
    at: float
    heaviest: list[int] = field(default_factory=list)
    """Positions of the heaviest terms, heaviest first (ties in their order in ``terms``),
    as many as asked."""


def make_query(raw: dict[str, float], df: DocFrequencies, lang: str | None, at: float,
               hashes: np.ndarray | None = None, neutral_at: list[int] | None = None,
               heaviest: int = 0) -> Query:
    """The query of an article with raw term weights ``raw``; ``neutral_at`` (positions of
    the neutral terms, as ``Features`` gives them) saves looking at every term, and
    ``heaviest`` asks for that many heaviest terms (``Query.heaviest``)."""
    terms = list(raw)
    n = len(terms)
    slots = df.hashes(terms) if hashes is None else hashes
    idf = df.idf(slots)
    weights = np.fromiter(raw.values(), dtype=np.float64, count=n)
    weighted = weights * idf
    norm = float(np.sqrt(np.dot(weighted, weighted))) or 1.0
    unit = weighted / norm
    if neutral_at is None:
        neutral = np.fromiter(map(_is_neutral, terms), dtype=bool, count=n)
    else:
        neutral = np.zeros(n, dtype=bool)
        neutral[neutral_at] = True
    picked = unit[neutral]
    neutral_norm = float(np.sqrt(np.dot(picked, picked)))
    top = np.argsort(-unit, kind="stable")[:heaviest].tolist() if heaviest else []
    return Query(terms, weights, unit, idf, slots, neutral, neutral_norm, 1.0 / norm, lang,
                 at, top)


@dataclass(eq=False)
class StoryState:
    """A recent story as the clusterer sees it. Its centroid is kept as arrays aligned with
    ``names`` (and ``pos``, name -> position, built when first asked for after the names
    changed), so that adding a member, re-weighing and comparing are a few array
    operations."""

    id: str
    first_at: float
    last_at: float
    langs: set[str]
    text_members: int
    names: list[str] = field(default_factory=list)
    """The centroid's terms."""
    raw: np.ndarray = field(default_factory=lambda: _NO_FLOATS)
    """The centroid, in raw term space (see the module docstring)."""
    slots: np.ndarray = field(default_factory=lambda: _NO_INTS)
    neutral: np.ndarray = field(default_factory=lambda: _NO_FLAGS)
    pos_built: dict[str, int] | None = field(default=None, repr=False, compare=False)
    """``pos`` as last built; None once the names changed."""
    title_article_id: str | None = None
    title_score: float = -1.0
    norm: float = 0.0
    neutral_norm: float = 0.0
    epoch: int = -1
    indexed: tuple[str, ...] = ()

    @classmethod
    def stored(cls, story_id: str, first_at: float, last_at: float, langs: set[str],
               text_members: int, names: list[str], weights: array[float] | np.ndarray,
               df: DocFrequencies,
               title_article_id: str | None = None, title_score: float = -1.0) -> StoryState:
        """A story read back: its centroid's names and raw weights."""
        n = len(names)
        return cls(story_id, first_at, last_at, langs, text_members, list(names),
                   np.array(weights, dtype=np.float64), df.hashes(names),
                   np.fromiter(map(_is_neutral, names), dtype=bool, count=n),
                   None, title_article_id, title_score)

    @property
    def pos(self) -> dict[str, int]:
        """Term -> its position in ``names``."""
        pos = self.pos_built
        if pos is None:
            pos = self.pos_built = dict(zip(self.names, range(len(self.names)), strict=True))
        return pos

    @property
    def terms(self) -> dict[str, float]:
        """The centroid as term -> raw weight."""
        return dict(zip(self.names, self.raw.tolist(), strict=True))

    def weight(self, term: str) -> float:
        i = self.pos.get(term)
        return 0.0 if i is None else float(self.raw[i])

    def refresh(self, df: DocFrequencies, max_terms: int, top: int | None = None) -> list[int]:
        """Recompute norms with the current IDF, prune the centroid to its ``max_terms``
        heaviest terms; returns the positions of its terms heaviest first (the first ``top``
        of them)."""
        n = len(self.names)
        if not n:
            self.norm = self.neutral_norm = 0.0
            return []
        weighted = self.raw * df.idf(self.slots)
        order = np.argsort(-weighted, kind="stable")
        if n > max_terms:
            keep = order[:max_terms]
            self.names = list(map(self.names.__getitem__, keep.tolist()))
            self.raw, self.slots = self.raw[keep], self.slots[keep]
            self.neutral, weighted = self.neutral[keep], weighted[keep]
            self.pos_built = None
            ranked = list(range(max_terms if top is None else min(top, max_terms)))
        else:
            ranked = order[:top].tolist()
        self.norm = float(np.sqrt(np.dot(weighted, weighted)))
        picked = weighted[self.neutral]
        self.neutral_norm = float(np.sqrt(np.dot(picked, picked)))
        self.epoch = df.epoch
        return ranked

    def _positions(self, terms: list[str]) -> np.ndarray:
        """Each term's position in the centroid, -1 where it has none."""
        return np.fromiter(map(self.pos.get, terms, repeat(-1)), dtype=np.int64,
                           count=len(terms))

    def similarity(self, q: Query) -> tuple[float, float]:
        """Cosine of the query with the centroid, overall and over neutral terms only."""
        cos, cos_neutral, _ = self.compare(q)
        return cos, cos_neutral

    def compare(self, q: Query) -> tuple[float, float, np.ndarray]:
        """``similarity``, and the query terms' positions in the centroid (-1 where it has
        none) for ``add``, as long as the centroid does not change in between."""
        at = self._positions(q.terms)
        shared = at >= 0
        parts = q.unit[shared] * self.raw[at[shared]] * q.idf[shared]
        dot = float(parts.sum())
        cos = dot / self.norm if self.norm else 0.0
        if self.neutral_norm and q.neutral_norm:
            dot_neutral = float(parts[q.neutral[shared]].sum())
            return cos, dot_neutral / (self.neutral_norm * q.neutral_norm), at
        return cos, 0.0, at

    def add(self, q: Query, at: np.ndarray | None = None) -> None:
        """Add a member (its raw weights, scaled to unit length with today's IDF); ``at``:
        its terms' positions as ``compare`` gave them."""
        scaled = q.raw * q.scale
        if not self.names:  # a new story: the member's terms, in its order
            self.names = list(q.terms)
            self.raw, self.slots, self.neutral = scaled, q.slots, q.neutral
            self.pos_built = None
        else:
            if at is None:
                at = self._positions(q.terms)
            known = at >= 0
            if known.any():
                self.raw[at[known]] += scaled[known]
            new = ~known
            if new.any():
                self.names = self.names + list(compress(q.terms, new.tolist()))
                self.pos_built = None
                self.raw = np.concatenate((self.raw, scaled[new]))
                self.slots = np.concatenate((self.slots, q.slots[new]))
                self.neutral = np.concatenate((self.neutral, q.neutral[new]))
        self.text_members += 1
        if q.lang:
            self.langs.add(q.lang)
        self.first_at = min(self.first_at, q.at)
        self.last_at = max(self.last_at, q.at)


class StoryIndex:
    """Recent stories and an inverted index over each one's heaviest terms."""

    def __init__(self, df: DocFrequencies, *, max_terms: int, index_terms: int) -> None:
        self.df = df
        self.max_terms = max_terms
        self.index_terms = index_terms
        self.stories: dict[str, StoryState] = {}
        self.postings: dict[str, dict[str, float]] = {}

    def __len__(self) -> int:
        return len(self.stories)

    def put(self, story: StoryState) -> None:
        """Insert or re-index a story after its centroid changed."""
        ranked = story.refresh(self.df, self.max_terms, self.index_terms)
        self._unindex(story)
        self.stories[story.id] = story
        postings, sid, names = self.postings, story.id, story.names
        weights = story.raw[ranked].tolist()
        top = tuple(names[i] for i in ranked)
        for t, w in zip(top, weights, strict=True):
            posting = postings.get(t)
            if posting is None:
                postings[t] = {sid: w}
            else:
                posting[sid] = w
        story.indexed = top

    def remove(self, story_id: str) -> None:
        story = self.stories.pop(story_id, None)
        if story is not None:
            self._unindex(story)

    def _unindex(self, story: StoryState) -> None:
        for t in story.indexed:
            posting = self.postings.get(t)
            if posting is not None:
                posting.pop(story.id, None)
                if not posting:
                    del self.postings[t]
        story.indexed = ()

    def evict_before(self, at: float) -> list[StoryState]:
        """Drop stories whose last article is older than ``at``; returns them."""
        old = [s for s in self.stories.values() if s.last_at < at]
        for story in old:
            self.remove(story.id)
        return old

    def candidates(self, q: Query, *, query_terms: int, limit: int,
                   within: float) -> list[StoryState]:
        """Stories within ``within`` seconds of the query's time that share one of its
        heaviest terms with their indexed terms, ranked by that partial cosine, best
        ``limit`` first."""
        scores: dict[str, float] = {}
        if len(q.heaviest) >= min(query_terms, len(q.terms)):
            heaviest = q.heaviest[:query_terms]
        else:
            heaviest = np.argsort(-q.unit, kind="stable")[:query_terms].tolist()
        postings, terms = self.postings, q.terms
        weights = (q.unit[heaviest] * q.idf[heaviest]).tolist()
        for i, wi in zip(heaviest, weights, strict=True):
            posting = postings.get(terms[i])
            if not posting:
                continue
            for sid, c in posting.items():
                scores[sid] = scores.get(sid, 0.0) + wi * c
        stories, at = self.stories, q.at
        ranked = sorted(
            (-score / (stories[sid].norm or 1.0), sid) for sid, score in scores.items()
            if stories[sid].last_at >= at - within and stories[sid].first_at <= at + within
        )
        return [stories[sid] for _, sid in ranked[:limit]]
