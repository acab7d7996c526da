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
from dataclasses import dataclass, field

import numpy as np

_NORM_DRIFT = math.log(1.02)  # recompute a story's norm once the archive grew 2%
_HASH_CACHE_MAX = 500_000  # term -> slot, saves the CRC of recurring terms


def term_hash(term: str, mask: int) -> int:
    return zlib.crc32(term.encode("utf-8")) & mask


class DocFrequencies:
    """How many clustered articles contain each (hashed) term."""

    def __init__(self, bits: int = 22) -> None:
        self.bits = bits
        self.mask = (1 << bits) - 1
        self.counts = np.zeros(1 << bits, dtype=np.uint32)
        self.docs = 0
        self._cache: dict[str, int] = {}

    @property
    def epoch(self) -> int:
        """Changes when the archive has grown ~2% since the last change (norms go stale)."""
        return int(math.log(self.docs + 1) / _NORM_DRIFT)

    def hashes(self, terms: list[str]) -> np.ndarray:
        cache = self._cache
        if len(cache) > _HASH_CACHE_MAX:
            cache.clear()
        found = [cache.get(t) for t in terms]
        if None in found:
            mask = self.mask
            for i, h in enumerate(found):
                if h is None:
                    t = terms[i]
                    found[i] = cache[t] = zlib.crc32(t.encode("utf-8")) & mask
        return np.array(found, dtype=np.int64)

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


@dataclass
class Query:
    """One article's terms weighted with the current IDF, ready to compare."""

    terms: dict[str, float]
    """term -> weight * idf / |weight * idf| (the unit TF-IDF vector)."""
    idf: dict[str, float]
    hashes: dict[str, int]
    neutral_norm: float
    """Length of the neutral (names, numbers, entities) part of the unit vector."""
    scale: float
    """1 / |weight * idf|: how a member's raw weights are scaled into a centroid."""
    lang: str | None
    at: float


def make_query(raw: dict[str, float], df: DocFrequencies, lang: str | None, at: float,
               hashes: np.ndarray | None = None) -> Query:
    terms = list(raw)
    if hashes is None:
        hashes = df.hashes(terms)
    idf = df.idf(hashes)
    weighted = np.fromiter(raw.values(), dtype=np.float64, count=len(terms)) * idf
    norm = float(np.sqrt(np.dot(weighted, weighted))) or 1.0
    unit = weighted / norm
    neutral = np.array([t[0] in "=#@" for t in terms], dtype=bool)
    neutral_norm = float(np.sqrt(np.dot(unit[neutral], unit[neutral])))
    return Query(dict(zip(terms, unit.tolist(), strict=True)),
                 dict(zip(terms, idf.tolist(), strict=True)),
                 dict(zip(terms, hashes.tolist(), strict=True)), neutral_norm, 1.0 / norm,
                 lang, at)


@dataclass(eq=False)
class StoryState:
    """A recent story as the clusterer sees it."""

    id: str
    first_at: float
    last_at: float
    langs: set[str]
    text_members: int
    terms: dict[str, float] = field(default_factory=dict)
    """The centroid, in raw term space (see the module docstring)."""
    hashes: dict[str, int] = field(default_factory=dict)
    title_article_id: str | None = None
    title_score: float = -1.0
    norm: float = 0.0
    neutral_norm: float = 0.0
    epoch: int = -1
    indexed: tuple[str, ...] = ()

    def refresh(self, df: DocFrequencies, max_terms: int) -> list[str]:
        """Recompute norms with the current IDF, prune the centroid to its ``max_terms``
        heaviest terms; returns its terms heaviest first."""
        terms = list(self.terms)
        if not terms:
            self.norm = self.neutral_norm = 0.0
            return []
        hashes = np.array([self.hashes[t] for t in terms], dtype=np.int64)
        raw = np.array(list(self.terms.values()), dtype=np.float64)
        weighted = raw * df.idf(hashes)
        order = np.argsort(-weighted, kind="stable")
        if len(terms) > max_terms:
            order = order[:max_terms]
            keep = [terms[i] for i in order.tolist()]
            self.terms = {t: self.terms[t] for t in keep}
            self.hashes = {t: self.hashes[t] for t in keep}
            weighted = weighted[order]
            terms, order = keep, np.arange(len(keep))
        neutral = np.array([t[0] in "=#@" for t in terms], dtype=bool)
        self.norm = float(np.sqrt(np.dot(weighted, weighted)))
        self.neutral_norm = float(np.sqrt(np.dot(weighted[neutral], weighted[neutral])))
        self.epoch = df.epoch
        return [terms[i] for i in order.tolist()]

    def similarity(self, q: Query) -> tuple[float, float]:
        """Cosine of the query with the centroid, overall and over neutral terms only."""
        dot = dot_neutral = 0.0
        centroid = self.terms
        small, large = (centroid, q.terms) if len(centroid) < len(q.terms) else (q.terms, centroid)
        for t in small.keys() & large.keys():
            part = q.terms[t] * centroid[t] * q.idf[t]
            dot += part
            if t[0] in "=#@":
                dot_neutral += part
        cos = dot / self.norm if self.norm else 0.0
        if self.neutral_norm and q.neutral_norm:
            return cos, dot_neutral / (self.neutral_norm * q.neutral_norm)
        return cos, 0.0

    def add(self, raw: dict[str, float], q: Query) -> None:
        """Add a member (its raw weights, scaled to unit length with today's IDF)."""
        terms, hashes, scale = self.terms, self.hashes, q.scale
        for t, w in raw.items():
            if t in terms:
                terms[t] += w * scale
            else:
                terms[t] = w * scale
                hashes[t] = q.hashes[t]
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
        ranked = story.refresh(self.df, self.max_terms)
        self._unindex(story)
        self.stories[story.id] = story
        top = tuple(ranked[: self.index_terms])
        for t in top:
            self.postings.setdefault(t, {})[story.id] = story.terms[t]
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

    def evict_before(self, at: float) -> int:
        """Drop stories whose last article is older than ``at``; returns how many."""
        old = [s.id for s in self.stories.values() if s.last_at < at]
        for story_id in old:
            self.remove(story_id)
        return len(old)

    def candidates(self, q: Query, *, query_terms: int, limit: int,
                   within: float) -> list[StoryState]:
        """Stories within ``within`` seconds of the query's time that share one of its
        heaviest terms with their indexed terms, ranked by that partial cosine, best
        ``limit`` first."""
        scores: dict[str, float] = {}
        heaviest = sorted(q.terms.items(), key=lambda kv: -kv[1])[:query_terms]
        for t, w in heaviest:
            posting = self.postings.get(t)
            if not posting:
                continue
            wi = w * q.idf[t]
            for sid, c in posting.items():
                scores[sid] = scores.get(sid, 0.0) + wi * c
        stories, at = self.stories, q.at
        ranked = sorted(
            (-score / (stories[sid].norm or 1.0), sid) for sid, score in scores.items()
            if stories[sid].last_at >= at - within and stories[sid].first_at <= at + within
        )
        return [stories[sid] for _, sid in ranked[:limit]]
