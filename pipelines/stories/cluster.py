"""Incremental story clustering: each article joins the most similar recent story or starts
a new one.

An article joins a story when the cosine between its TF-IDF vector and the story's centroid
reaches ``threshold`` and its time lies within ``window_days`` of the story's articles.
Across languages (the article's language is not yet in the story) only names, numbers and
entity ids are comparable, so their cosine is used, against ``cross_threshold``. Bodies
under ``min_body_words`` never join or attract a story by text; a copy (``duplicate_of``)
joins its original's story and adds no outlet.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlite_utils import Database

from pipelines.stories.features import (
    Features,
    article_features,
    load_vocabularies,
    vocabularies_blob,
    vocabularies_size,
)
from pipelines.stories.state import DocFrequencies, Query, StoryIndex, StoryState, make_query
from storage import stories as store
from storage.sql import atomic

DAY = 86400.0
_REPLAY_KEEP_EVERY = 1000  # replayed articles between letting go of old replayed stories
_FUTURE_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class StoryParams:
    """Clustering settings; the defaults are the ones measured in bench/eval_stories.py."""

    threshold: float = 0.18
    """Minimum cosine between an article and a story's centroid to join it (also the
    reassignment threshold of rebuilds, see ``batch_stories``' ``join_threshold``)."""
    batch_threshold: float = 0.19
    """Rebuilds (``recluster``, the warm-up): the average similarity for two groups to
    merge in ``batch_stories``' average linkage, before the reassignment (ECB+ dev
    topic-split cross-validation, see ``pipelines/stories/batch.py``)."""
    cross_threshold: float = 0.35
    """Minimum cosine over names/numbers/entities to join a story in another language."""
    window_days: float = 3.0
    """An article may join a story whose articles lie within this many days of it."""
    min_body_words: int = 20
    """Bodies shorter than this never join or attract a story by text."""
    max_terms: int = 200
    """Terms kept in a story's centroid."""
    index_terms: int = 24
    """A story's heaviest terms, through which candidates find it."""
    query_terms: int = 32
    """An article's heaviest terms, used to look up candidate stories."""
    candidates: int = 12
    """Candidate stories compared in full."""
    snapshot_every: int = 5000
    """Articles between document-frequency snapshots (also taken on close)."""
    hash_bits: int = 22
    """log2 of the document-frequency table size."""
    warmup_until: int = 2000
    """Recluster the whole archive each time it grows 1.5x, until it has this many
    articles (0: never). A young archive's term frequencies are too few to weigh by."""

    @classmethod
    def names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


@dataclass
class StoryDoc:
    """What the clusterer needs of an article."""

    article_id: str
    source: str | None
    title: str | None
    body: str | None
    lang: str | None
    published_at: datetime | None
    fetched_at: datetime
    entity_ids: list[str] = field(default_factory=list)
    """Canonical entity ids from the entity pipeline (may be empty)."""
    duplicate_of: str | None = None
    """The original's article id when dedup found this article to be a copy."""


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its story, the similarity that decided it (the best one
    seen, even when it was too low and a new story started), and whether it is new."""

    story_id: str
    score: float
    is_new: bool


def event_time(published_at: datetime | None, fetched_at: datetime) -> tuple[datetime, str]:
    """The time an article counts at, and what it is: its publication date, or its fetch
    time when it has no date (or one more than a day after it was fetched)."""
    fetched = _utc(fetched_at)
    if published_at is not None:
        published = _utc(published_at)
        if published <= fetched + _FUTURE_SLACK:
            return published, "published"
    return fetched, "fetched"


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime | float) -> str:
    if isinstance(value, float | int):
        value = datetime.fromtimestamp(value, UTC)
    if value.year >= 1000:  # the same as strftime below, several times faster
        return value.isoformat(timespec="seconds")[:19] + "Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


_clock: list = [-1, ""]
_days: dict[int, str] = {}
_FAST_FROM, _FAST_UNTIL = 946684800, 4102444800  # 2000-01-01 to 2100-01-01


def _iso_at(when: datetime, at: float) -> str:
    """``iso(when)``, ``at`` being its epoch time: the date formatted once a day, the time
    of day by arithmetic (formatting a datetime was ~3% of an assignment)."""
    if not _FAST_FROM <= at < _FAST_UNTIL:
        return iso(when)
    day, second = divmod(math.floor(at), 86400)
    prefix = _days.get(day)
    if prefix is None:
        if len(_days) > 10_000:
            _days.clear()
        prefix = _days[day] = iso(float(day * 86400))[:11]
    hour, rest = divmod(second, 3600)
    return f"{prefix}{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def _now() -> str:
    """``iso`` of the current second (formatted once a second, not once an article)."""
    second = int(time.time())
    if second != _clock[0]:
        _clock[:] = [second, iso(float(second))]
    return _clock[1]


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


class StoryClusterer:
    """Assigns archived articles to stories (one instance per process and archive)."""

    def __init__(self, db: Database, **params: float) -> None:
        unknown = set(params) - StoryParams.names()
        if unknown:
            raise TypeError(f"unknown story parameter(s): {', '.join(sorted(unknown))}")
        self.db = db
        self.params = StoryParams(**params)  # type: ignore[arg-type]
        self._window = self.params.window_days * DAY
        store.migrate_stories(db)
        self.df = DocFrequencies(self.params.hash_bits)
        self._load()

    # -- state --------------------------------------------------------------------------

    def _load(self) -> None:
        """Document frequencies from the last snapshot, then the articles clustered after
        it replayed into them and into their stories' centroids. Recent stories are read
        from SQLite when the first article needs them."""
        p = self.params
        self.index = StoryIndex(self.df, max_terms=p.max_terms, index_terms=p.index_terms)
        self._dirty: dict[str, StoryState] = {}
        """Stories whose centroid changed since it was last written."""
        self.df.counts[:] = 0
        self.df.docs = 0
        snap_seq = 0
        meta, blob = store.get_state(self.db, "df_meta"), store.get_state(self.db, "df")
        if meta is not None and blob is not None:
            info = json.loads(meta)
            if info.get("bits") == p.hash_bits:
                self.df.load(blob, int(info["docs"]))
                snap_seq = int(info["seq"])
        vocabularies = store.get_state(self.db, "vocabularies")
        if vocabularies is not None:
            load_vocabularies(vocabularies)
        self._vocabularies_saved = -1  # the archive's may be older than this process's
        self.replayed = 0
        covered: dict[str, int] = {}
        latest = -math.inf
        for m, title, body in store.memberships_after(self.db, snap_seq):
            if m.via == "duplicate":
                continue
            f = article_features(title, body, m.lang, m.entity_ids)
            if m.duplicate_of is None:
                self.df.add(f.keys)
                self.replayed += 1
            if m.via in ("new", "text") and len(f):
                self._replay(m, f, covered)
                latest = max(latest, _epoch(m.event_at))
                if self.replayed % _REPLAY_KEEP_EVERY == 0:  # a long replay keeps recent ones
                    self._write_older(latest - self._window - DAY, m.seq, covered)
        self._seq = store.next_seq(self.db)
        self._since_snapshot = self.replayed
        self._next_warmup = self._warmup_after(self.df.docs)
        self._loaded_from = math.inf  # every story whose last article is >= this is in memory
        self._max_at = -math.inf
        self._assigned = 0

    def _replay(self, m: store.Membership, f: Features, covered: dict[str, int]) -> None:
        """Apply a membership to its story's centroid as ``_assign`` did, unless the
        stored centroid already includes it (``covered``: story -> the sequence number its
        stored centroid is current to, -1 without one, filled as stories come up). The
        document frequencies must be as they were when it was assigned (replay in sequence
        order)."""
        story = self._dirty.get(m.story_id)
        if story is None:
            seq = covered.get(m.story_id)
            row = None
            if seq is None:
                row = store.stored_story(self.db, m.story_id)
                seq = covered[m.story_id] = -1 if row is None else (row.seq or 0)
            if seq >= m.seq:
                return  # the stored centroid includes it
            if seq >= 0 and m.via == "text":
                row = row or store.stored_story(self.db, m.story_id)
            at = _epoch(m.event_at)
            story = self._state_from(row) if row is not None and m.via == "text" else \
                StoryState(m.story_id, at, at, set(), 0)
            self._dirty[story.id] = story
        q = make_query(f.keys, f.weights, self.df, m.lang, _epoch(m.event_at))
        if m.via == "new" or m.duplicate_of is None:
            story.add(q)
            story.refresh(self.df, self.params.max_terms)
        self._better_title(story, m.article_id, f.title_keys)

    def _write_older(self, horizon: float, seq: int, covered: dict[str, int]) -> None:
        """Write and let go of the replayed stories whose last article is before
        ``horizon`` (their centroids are current to ``seq``)."""
        for story in [s for s in self._dirty.values() if s.last_at < horizon]:
            self._save(story, seq)
            del self._dirty[story.id]
            covered[story.id] = seq

    def reset(self) -> None:
        """Rebuild the in-memory state from SQLite: call after rolling back a transaction
        in which ``assign`` ran, so that memory matches the archive again."""
        self._load()

    def flush(self, stories: list[StoryState] | None = None) -> None:
        """Write the changed centroids (of ``stories`` only, if given)."""
        todo = list(self._dirty.values()) if stories is None else \
            [s for s in stories if s.id in self._dirty]
        seq = self._seq - 1
        for story in todo:
            self._save(story, seq)
            del self._dirty[story.id]

    def _save(self, story: StoryState, seq: int) -> None:
        store.save_terms(self.db, story.id, story.text_members, story.keys, story.raw,
                         story.title_score, seq)

    def snapshot(self) -> None:
        """Store the changed centroids, the document-frequency table and the membership
        sequence they cover, and the token vocabularies (a cache that spares the next
        process working out the terms of every token again)."""
        with self.db.atomic():
            self.flush()
            store.put_state(self.db, "df", self.df.to_bytes())
            meta = {"docs": self.df.docs, "seq": self._seq - 1, "bits": self.params.hash_bits}
            store.put_state(self.db, "df_meta", json.dumps(meta).encode())
            if vocabularies_size() != self._vocabularies_saved:  # up to ~10 MB: not again
                store.put_state(self.db, "vocabularies", vocabularies_blob())
                self._vocabularies_saved = vocabularies_size()
        self._since_snapshot = 0

    def close(self) -> None:
        """Snapshot the state (a restart then replays nothing)."""
        self.snapshot()

    def _state_from(self, s: store.StoredStory) -> StoryState:
        dirty = self._dirty.get(s.id)
        if dirty is not None:  # newer than its stored centroid
            return dirty
        return StoryState.stored(s.id, _epoch(s.first_seen_at), _epoch(s.last_updated_at),
                                 set(s.langs), s.text_members, s.keys, s.weights,
                                 s.title_article_id, s.title_score)

    def _index_for(self, at: float) -> StoryIndex:
        """The index holding every story that may take an article at time ``at``: the
        in-memory one, extended back if ``at`` is a little older than what it holds, or a
        one-off index read from SQLite for an article far older than the others."""
        start = at - self._window
        if start >= self._loaded_from:
            return self.index
        if self._loaded_from - start <= 2 * self._window or self._loaded_from == math.inf:
            for s in store.stories_overlapping(self.db, iso(start), "9999"):
                if s.id not in self.index.stories and len(s.keys) and \
                        _epoch(s.last_updated_at) < self._loaded_from:
                    self.index.put(self._state_from(s))
            for story in list(self._dirty.values()):  # replayed, without a stored centroid
                if story.id not in self.index.stories and story.last_at >= start:
                    self.index.put(story)
            self._loaded_from = start
            return self.index
        side = StoryIndex(self.df, max_terms=self.params.max_terms,
                          index_terms=self.params.index_terms)
        end = at + self._window
        for s in store.stories_overlapping(self.db, iso(start), iso(end)):
            if len(s.keys):
                side.put(self.index.stories.get(s.id) or self._state_from(s))
        for story in self._dirty.values():
            if story.id not in side.stories and story.last_at >= start and \
                    story.first_at <= end:
                side.put(story)
        return side

    def _evict(self) -> None:
        horizon = self._max_at - self._window - DAY
        if horizon > self._loaded_from:
            self.flush(self.index.evict_before(horizon))  # written as they leave memory
            self._loaded_from = horizon

    # -- assignment ---------------------------------------------------------------------

    def assign(self, doc: StoryDoc) -> Assignment:
        """Put one archived article (its ``articles`` row must exist) into a story, in one
        transaction (a savepoint inside the caller's). An article already in a story
        keeps it; ``recluster`` moves articles."""
        with atomic(self.db):
            existing = store.membership(self.db, doc.article_id)
            if existing is not None:
                return Assignment(existing.story_id, existing.score or 0.0, False)
            return self._assign(doc)

    def _assign(self, doc: StoryDoc) -> Assignment:
        when, dated_by = event_time(doc.published_at, doc.fetched_at)
        at = when.timestamp()
        now = _now()
        member = store.Membership(doc.article_id, "", self._seq, _iso_at(when, at), dated_by,
                                  doc.source, doc.lang, doc.duplicate_of, "", None,
                                  list(doc.entity_ids))
        self._seq += 1
        if doc.duplicate_of is not None:
            original = store.story_of(self.db, doc.duplicate_of)
            if original is not None:
                member.story_id, member.via, member.score = original, "duplicate", 1.0
                self._write(member, now)
                return Assignment(original, 1.0, False)
        features = article_features(doc.title, doc.body, doc.lang, doc.entity_ids)
        counted = doc.duplicate_of is None  # copies would count words twice
        self._since_snapshot += counted
        if features.body_words < self.params.min_body_words or not len(features):
            if counted:
                self.df.add(features.keys)
            member.via = "short"
            self._write(member, now)  # titled by its only article, score 0
            return Assignment(member.story_id, 0.0, True)
        q = make_query(features.keys, features.weights, self.df, doc.lang, at,
                       heaviest=self.params.query_terms, count=counted)
        index = self._index_for(at)
        if index is self.index:
            self._max_at = max(self._max_at, at)
        story, score = self._best(index, q)
        member.score = round(score, 6)
        if story is None:
            member.via = "new"
            self._write(member, now)  # the story's row, titled by its first article
            story = StoryState(member.story_id, at, at, set(), 0)
        else:
            member.story_id, member.via = story.id, "text"
        if member.via == "new" or doc.duplicate_of is None:
            story.add(q)
            if story.last_at >= self._loaded_from or story.id in self.index.stories:
                self.index.put(story)
                kept = True
            else:  # an old story, outside the recent window kept in memory
                story.refresh(self.df, self.params.max_terms)
                kept = False
        else:
            kept = story.id in self.index.stories
        titled = self._better_title(story, doc.article_id, features.title_keys)
        if member.via == "text":
            if doc.duplicate_of is None:  # the common case: one UPDATE, one INSERT
                store.join_story(self.db, story.id, member, now, titled=titled)
                store.add_membership(self.db, member)
            else:
                self._write(member, now)
                if titled:
                    store.set_title(self.db, story.id, doc.article_id, None)
        if kept:  # its centroid is written with the next snapshot, or when it leaves memory
            self._dirty[story.id] = story
        else:
            self._save(story, member.seq)
        if index is not self.index:  # it re-weighed stories that the recent index holds
            for other in index.stories.values():
                self.index.sync(other)
        self._assigned += 1
        if self._assigned % 1000 == 0:
            self._evict()
        if self._since_snapshot >= self.params.snapshot_every:
            self.snapshot()
        if self.df.docs >= self._next_warmup:
            return self._warm_up(doc.article_id, score)
        return Assignment(story.id, score, member.via == "new")

    def _warm_up(self, article_id: str, score: float) -> Assignment:
        """Recluster a young archive: its first articles were compared with the term
        frequencies of a handful of articles; with every 1.5x more (up to
        ``warmup_until``) all of them are clustered again with the current ones, at once
        (``recluster``: whatever order they came in)."""
        from pipelines.stories.recluster import rebuild

        rebuild(self, None, assigned_only=True)
        self._next_warmup = self._warmup_after(self.df.docs)
        member = store.membership(self.db, article_id)
        assert member is not None
        via_new = member.via in ("new", "short") and member.story_id == article_id
        return Assignment(member.story_id, member.score or score, via_new)

    def _warmup_after(self, docs: int) -> float:
        point = 50.0
        while point <= docs:
            point *= 1.5
        return point if point <= self.params.warmup_until else math.inf

    def _best(self, index: StoryIndex, q: Query) -> tuple[StoryState | None, float]:
        """The most similar story within the time window if it reaches the threshold
        (ties: the smaller id), and the best score seen."""
        p = self.params
        best: StoryState | None = None
        best_score = 0.0
        for story in index.candidates(q, query_terms=p.query_terms, limit=p.candidates,
                                      within=self._window):
            if story.epoch != self.df.epoch:
                index.put(story)
            cos, cos_neutral = story.similarity(q)
            score = cos
            if q.lang and story.langs and q.lang not in story.langs:
                score = max(cos, cos_neutral * p.threshold / p.cross_threshold)
            if score > best_score or (score == best_score and best and story.id < best.id):
                best, best_score = story, score
        if best is not None and best_score >= p.threshold:
            return best, best_score
        return None, best_score

    def _write(self, member: store.Membership, now: str) -> None:
        """The rows of a membership other than a text join: a new story's (named after
        the article that started it, suffixed if that name is taken, which only
        reclustering can cause; ``member.story_id`` is set to it), or a copy's."""
        if member.via in ("new", "short"):
            story_id, n = member.article_id, 1
            while not store.create_story(self.db, story_id, member, now, titled=True):
                n += 1
                story_id = f"{member.article_id}-{n}"
            member.story_id = story_id
            store.add_membership(self.db, member)
        else:
            store.add_membership(self.db, member)
            store.refresh_story(self.db, member.story_id, now)

    def _better_title(self, story: StoryState, article_id: str, title: np.ndarray) -> bool:
        """Whether the article's title becomes the story's representative title: the
        member title closest to the centroid (the story's title fields are updated).
        ``title``: the keys of the title's terms (``Features.title_keys``)."""
        score = story.title_score_of(title, self.df)
        if story.title_article_id is None or score > story.title_score:
            story.title_article_id, story.title_score = article_id, score
            return True
        return False
