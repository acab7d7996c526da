"""The clusterer's working memory: document frequencies and the recent stories' centroids,
with an inverted index from terms to stories for finding candidates fast.

Terms are 63-bit keys (``features.term_key``), not strings. Document frequencies are
counted in a fixed-size hashed table (a key's low bits, 2**22 slots by default, 16 MB)
instead of a term dictionary: a year of news has a million or more distinct terms, which as
a Python dict costs hundreds of MB and seconds to load; the table is one array,
snapshotted into SQLite as one blob. Rare collisions only blur the frequencies of rare
terms.

A story's centroid is kept in *raw* term space: each member adds its raw term weights
scaled so that, with the IDF of the moment it joined, it has unit length. Comparisons apply
the current IDF, so a story formed while the archive was young is not frozen with the
young archive's weighting, and the centroid is a plain sum: it does not depend on the order
in which its members arrived.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from pipelines.stories import kernels
from pipelines.stories.postings import Postings

_NORM_DRIFT = math.log(1.02)  # recompute a story's norm once the archive grew 2%


class DocFrequencies:
    """How many clustered articles contain each (hashed) term."""

    def __init__(self, bits: int = 22) -> None:
        self.bits = bits
        self.mask = (1 << bits) - 1
        self.mask_u64 = np.uint64(self.mask)
        self.counts = np.zeros(1 << bits, dtype=np.uint32)
        self.docs = 0

    @property
    def epoch(self) -> int:
        """Changes when the archive has grown ~2% since the last change (norms go stale)."""
        return int(math.log(self.docs + 1) / _NORM_DRIFT)

    def add(self, keys: np.ndarray) -> None:
        """Count a document with terms ``keys``: each slot once, even when two of its
        terms collide in one (a slot's count stays "documents containing it")."""
        kernels.count_terms(self.counts, keys, self.mask_u64, 1)
        self.docs += 1

    def remove(self, keys: np.ndarray) -> None:
        """Take back ``add(keys)``."""
        kernels.count_terms(self.counts, keys, self.mask_u64, -1)
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
_NO_KEYS = np.zeros(0, dtype=np.uint64)
_NO_POSITIONS = np.zeros(0, dtype=np.int64)


@dataclass
class Query:
    """One article's terms weighted with the current IDF, ready to compare. The arrays are
    aligned with ``keys``."""

    keys: np.ndarray
    """The terms' keys, ascending (``Features.keys``)."""
    raw: np.ndarray
    """The article's raw weights (``Features.weights``)."""
    unit: np.ndarray
    """weight * idf / |weight * idf| (the unit TF-IDF vector)."""
    idf: np.ndarray
    neutral: np.ndarray
    """Which terms are neutral (names, numbers, entity ids)."""
    neutral_norm: float
    """Length of the neutral part of the unit vector."""
    scale: float
    """1 / |weight * idf|: how a member's raw weights are scaled into a centroid."""
    lang: str | None
    at: float
    heaviest: np.ndarray = field(default_factory=lambda: _NO_POSITIONS)
    """Positions of the heaviest terms, heaviest first (ties in key order), as many as
    asked."""


def make_query(keys: np.ndarray, raw: np.ndarray, df: DocFrequencies, lang: str | None,
               at: float, *, heaviest: int = 0, count: bool = False) -> Query:
    """The query of an article with term ``keys`` (ascending) and raw weights ``raw``;
    ``heaviest`` asks for that many heaviest terms (``Query.heaviest``); ``count``: add the
    article to the document frequencies first (``df.add``, in the same compiled call)."""
    if count:
        df.docs += 1
    idf, unit, neutral, neutral_norm, scale, top = kernels.query(
        keys, raw, df.counts, float(df.docs), df.mask_u64, heaviest, count)
    return Query(keys, raw, unit, idf, neutral, neutral_norm, scale, lang, at, top)


@dataclass(eq=False)
class StoryState:
    """A recent story as the clusterer sees it. Its centroid is kept as two arrays, term
    keys (ascending) and raw weights, so that adding a member, re-weighing and comparing
    are one compiled pass each (``kernels``)."""

    id: str
    first_at: float
    last_at: float
    langs: set[str]
    text_members: int
    keys: np.ndarray = field(default_factory=lambda: _NO_KEYS)
    """The centroid's term keys, ascending."""
    raw: np.ndarray = field(default_factory=lambda: _NO_FLOATS)
    """The centroid, in raw term space (see the module docstring)."""
    title_article_id: str | None = None
    title_score: float = -1.0
    norm: float = 0.0
    neutral_norm: float = 0.0
    epoch: int = -1

    @classmethod
    def stored(cls, story_id: str, first_at: float, last_at: float, langs: set[str],
               text_members: int, keys: np.ndarray, weights: np.ndarray,
               title_article_id: str | None = None, title_score: float = -1.0) -> StoryState:
        """A story read back: its centroid's keys (ascending) and raw weights."""
        return cls(story_id, first_at, last_at, langs, text_members,
                   np.asarray(keys, dtype=np.uint64), np.array(weights, dtype=np.float64),
                   title_article_id, title_score)

    @property
    def terms(self) -> dict[int, float]:
        """The centroid as term key -> raw weight."""
        return dict(zip(self.keys.tolist(), self.raw.tolist(), strict=True))

    def refresh(self, df: DocFrequencies, max_terms: int, top: int = 0) -> np.ndarray:
        """Recompute norms with the current IDF, prune the centroid to its ``max_terms``
        heaviest terms; returns the positions of its ``top`` heaviest terms, heaviest first
        (ties in key order)."""
        self.keys, self.raw, self.norm, self.neutral_norm, ranked = kernels.refresh(
            self.keys, self.raw, df.counts, float(df.docs), df.mask_u64, max_terms, top)
        self.epoch = df.epoch
        return ranked

    def similarity(self, q: Query) -> tuple[float, float]:
        """Cosine of the query with the centroid, overall and over neutral terms only."""
        dot, dot_neutral, _ = kernels.dot(self.keys, self.raw, q.keys, q.unit, q.idf,
                                          q.neutral)
        cos = dot / self.norm if self.norm else 0.0
        if self.neutral_norm and q.neutral_norm:
            return cos, dot_neutral / (self.neutral_norm * q.neutral_norm)
        return cos, 0.0

    def leave_one_out(self, q: Query) -> float:
        """Cosine of a member with the centroid without it: the similarity it would have
        joined with (0 for a story of one). The member's part of the centroid is its unit
        vector (over the terms the centroid kept)."""
        if self.text_members <= 1 or not self.norm:
            return 0.0
        dot, _, own = kernels.dot(self.keys, self.raw, q.keys, q.unit, q.idf, q.neutral)
        rest = self.norm ** 2 - 2.0 * dot + own
        return (dot - own) / math.sqrt(rest) if rest > 1e-12 else 0.0

    def title_score_of(self, title_keys: np.ndarray, df: DocFrequencies) -> float:
        """How close a title (the keys of its terms) is to the centroid: its terms' weights
        in the centroid times their IDF, over the centroid's length times sqrt(terms)."""
        if len(title_keys) < 2 or not self.norm:
            return 0.0
        dot = kernels.idf_dot(self.keys, self.raw, title_keys, df.counts, float(df.docs),
                              df.mask_u64)
        return dot / (self.norm * math.sqrt(len(title_keys)))

    def add(self, q: Query) -> None:
        """Add a member (its raw weights, scaled to unit length with today's IDF)."""
        self.keys, self.raw = kernels.merge_add(self.keys, self.raw, q.keys, q.raw, q.scale)
        self.text_members += 1
        if q.lang:
            self.langs.add(q.lang)
        self.first_at = min(self.first_at, q.at)
        self.last_at = max(self.last_at, q.at)


class StoryIndex:
    """Recent stories and an inverted index over each one's heaviest terms (``Postings``:
    arrays searched by compiled loops)."""

    def __init__(self, df: DocFrequencies, *, max_terms: int, index_terms: int) -> None:
        self.df = df
        self.max_terms = max_terms
        self.index_terms = index_terms
        self.stories: dict[str, StoryState] = {}
        self.postings = Postings(index_terms)

    def __len__(self) -> int:
        return len(self.stories)

    def put(self, story: StoryState) -> None:
        """Insert or re-index a story after its centroid changed."""
        ranked = story.refresh(self.df, self.max_terms, self.index_terms)
        self.stories[story.id] = story
        self.postings.put(story.id, story.keys[ranked], story.raw[ranked], story.norm,
                          story.first_at, story.last_at)

    def sync(self, story: StoryState) -> None:
        """Take a story's length and times as they are now (it was re-weighed or joined
        through another index) without re-indexing its terms."""
        if story.id in self.stories:
            self.postings.update_times(story.id, story.norm, story.first_at, story.last_at)

    def remove(self, story_id: str) -> None:
        if self.stories.pop(story_id, None) is not None:
            self.postings.drop(story_id)

    def indexed(self, story_id: str) -> dict[int, float]:
        """The terms a story is indexed under here, with their weights."""
        return self.postings.terms_of(story_id)

    def posting(self, key: int) -> dict[str, float]:
        """The stories indexed here under a term, with its weight in each."""
        return self.postings.stories_of(key)

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
        ``limit`` first (ties: the smaller id)."""
        if len(q.heaviest) >= min(query_terms, len(q.keys)):
            heaviest = q.heaviest[:query_terms]
        else:
            heaviest = np.argsort(-q.unit, kind="stable")[:query_terms]
        ranked = self.postings.search(q.keys[heaviest], q.unit[heaviest] * q.idf[heaviest],
                                      q.at - within, q.at + within, limit)
        stories = self.stories
        return [stories[sid] for _, sid in ranked]
