"""Rebuild the stories of a period from the archive, in time order, deterministically.

Live clustering sees articles in arrival order; reclustering takes every article whose time
is on or after ``since``, removes it from its story, and assigns them again ordered by
(time, article id): originals first, then copies (which join their original's story). The
same archive gives the same stories whatever order the articles first arrived in. Stories
that keep members from before ``since`` are rebuilt from those members first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from pipelines.stories.cluster import StoryClusterer, StoryDoc, event_time, iso
from pipelines.stories.features import article_features
from pipelines.stories.state import StoryState, make_query
from storage import stories as store

EntityLookup = Callable[[list[str]], dict[str, list[str]]]
_BATCH = 2000


@dataclass(frozen=True)
class ReclusterReport:
    """What a recluster did."""

    articles: int
    stories: int
    """Stories holding the reclustered articles afterwards."""
    seconds: float


def parse_since(since: str | None) -> str:
    """``YYYY-MM-DD`` or an ISO-8601 time (UTC if no offset) as the archive writes times."""
    if not since:
        return ""
    value = datetime.fromisoformat(since.replace("Z", "+00:00"))
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return iso(value)


def recluster(db: Database, since: str | None = None, *,
              entity_ids_for: EntityLookup | None = None, **params: float) -> ReclusterReport:
    """Reassign every article whose time is ``since`` or later (all when None).

    ``entity_ids_for`` gives entity ids for articles not clustered before (those clustered
    before keep the ids they were clustered with)."""
    clusterer = StoryClusterer(db, **params)
    return rebuild(clusterer, since, entity_ids_for)


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def rebuild(clusterer: StoryClusterer, since: str | None,
            entity_ids_for: EntityLookup | None = None, *,
            assigned_only: bool = False) -> ReclusterReport:
    """``recluster`` with a given clusterer; ``assigned_only`` leaves out articles not in a
    story yet (the young-archive rebuilds of ``StoryClusterer`` must not run ahead of the
    articles it has been given)."""
    started = time.perf_counter()
    db = clusterer.db
    since_iso = parse_since(since)
    has_dup = "duplicate_of" in db["articles"].columns_dict
    dup_col = "duplicate_of" if has_dup else "null"
    only = " and id in (select article_id from story_articles)" if assigned_only else ""
    rows = db.execute(
        f"select id, published_at, fetched_at, {dup_col} from articles"  # noqa: S608
        f" where (coalesce(published_at, fetched_at) >= ? or fetched_at >= ?){only}",
        [since_iso, since_iso],
    ).fetchall()
    affected: list[tuple[int, str, str, str]] = []  # (is copy, event time, id, dated_by)
    for article_id, published, fetched, duplicate_of in rows:
        fetched_at = _parse(fetched) or datetime.now(UTC)
        when, dated_by = event_time(_parse(published), fetched_at)
        at = iso(when)
        if at >= since_iso:
            affected.append((1 if duplicate_of else 0, at, article_id, dated_by))
    affected.sort()
    ids = [a[2] for a in affected]

    with db.atomic():
        clusterer.flush()  # every stored centroid current: the index is rebuilt below
        old = _old_memberships(db, ids)
        touched = {m.story_id for m in old.values()}
        remaining = db.execute("select count(*) from story_articles").fetchone()[0] - len(old)
        if remaining == 0:
            clusterer.df.counts[:] = 0
            clusterer.df.docs = 0
        else:
            for m in old.values():
                if m.duplicate_of is None:
                    title, body = _text(db, m.article_id)
                    f = article_features(title, body, m.lang, m.entity_ids)
                    clusterer.df.remove(clusterer.df.hashes(list(f.terms)))
        # The archive is known: count every reclustered article's terms first, so the
        # first articles are weighed with the same frequencies as the last (live
        # clustering can only use the frequencies of what has arrived so far).
        looked_up = entity_ids_for([i for i in ids if i not in old]) if entity_ids_for else {}
        for is_copy, _, article_id, _ in affected:
            if not is_copy:
                doc = _doc(db, article_id, has_dup)
                prior = old.get(article_id)
                f = article_features(doc.title, doc.body, doc.lang, prior.entity_ids if prior
                                     else looked_up.get(article_id, []))
                clusterer.df.add(clusterer.df.hashes(list(f.terms)))
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            # only "?" placeholders are formatted in; the ids are bound
            db.execute(f"delete from story_articles where article_id in ({marks})",  # noqa: S608
                       chunk)
            db.execute(f"update articles set story_id = null where id in ({marks})",  # noqa: S608
                       chunk)
        now = iso(datetime.now(UTC))
        last_seq = store.next_seq(db) - 1
        for story_id in sorted(touched):
            _rebuild_story(clusterer, story_id, now, last_seq)
    clusterer.index = type(clusterer.index)(clusterer.df, max_terms=clusterer.params.max_terms,
                                            index_terms=clusterer.params.index_terms)
    clusterer._loaded_from = float("inf")
    clusterer._max_at = float("-inf")
    clusterer._seq = store.next_seq(db)

    stories: set[str] = set()
    clusterer.count_terms = False
    try:
        for chunk in _chunks(affected, _BATCH):
            with db.atomic():
                for _, _, article_id, _ in chunk:
                    doc = _doc(db, article_id, has_dup)
                    prior = old.get(article_id)
                    doc.entity_ids = prior.entity_ids if prior else looked_up.get(article_id, [])
                    stories.add(clusterer.assign(doc).story_id)
    finally:
        clusterer.count_terms = True
    # Memberships were numbered on from the highest one left: no stored centroid may claim
    # to include sequence numbers handed out again (the snapshot writes the changed ones).
    store.cap_terms_seq(db, clusterer._seq - 1)
    clusterer.snapshot()
    return ReclusterReport(len(affected), len(stories), time.perf_counter() - started)


def _old_memberships(db: Database, ids: list[str]) -> dict[str, store.Membership]:
    out: dict[str, store.Membership] = {}
    for chunk in _chunks(ids, 500):
        for article_id in chunk:
            m = store.membership(db, article_id)
            if m is not None:
                out[article_id] = m
    return out


def _rebuild_story(clusterer: StoryClusterer, story_id: str, now: str, seq: int) -> None:
    """Recompute a story that lost members: its row, centroid and title from the rest."""
    db = clusterer.db
    store.refresh_story(db, story_id, now)
    if not store.story_exists(db, story_id):
        return
    state = StoryState(story_id, float("inf"), float("-inf"), set(), 0)
    best_title: tuple[float, str] | None = None
    members = store.members(db, story_id)
    for m in members:
        if m.via not in ("new", "text") or (m.duplicate_of is not None and m.via != "new"):
            continue
        title, body = _text(db, m.article_id)
        f = article_features(title, body, m.lang, m.entity_ids)
        q = make_query(f.terms, clusterer.df, m.lang, datetime.fromisoformat(m.event_at)
                       .timestamp())
        state.add(q)
    if not state.names:
        db.execute("delete from story_terms where story_id = ?", [story_id])
        first = members[0].article_id
        store.set_title(db, story_id, first, 0.0)
        return
    state.refresh(clusterer.df, clusterer.params.max_terms)
    store.save_terms(db, story_id, state.text_members, state.names, state.raw.tobytes(),
                     None, seq)
    for m in members:
        title, _ = _text(db, m.article_id)
        terms = list(article_features(title, None, m.lang).terms)
        if len(terms) < 2:
            score = 0.0
        else:
            idf = clusterer.df.idf(clusterer.df.hashes(terms)).tolist()
            score = sum(state.weight(t) * w for t, w in zip(terms, idf, strict=True))
            score /= state.norm * len(terms) ** 0.5
        if best_title is None or score > best_title[0]:
            best_title = (score, m.article_id)
    assert best_title is not None
    store.set_title(db, story_id, best_title[1], best_title[0])


def _text(db: Database, article_id: str) -> tuple[str, str]:
    row = db.execute("select title, body from articles where id = ?", [article_id]).fetchone()
    return (row[0] or "", row[1] or "") if row else ("", "")


def _doc(db: Database, article_id: str, has_dup: bool) -> StoryDoc:
    dup = "duplicate_of" if has_dup else "null"
    row = db.execute(
        f"select source, title, body, lang, published_at, fetched_at, {dup} from articles"  # noqa: S608
        " where id = ?", [article_id]).fetchone()
    fetched = _parse(row[5]) or datetime.now(UTC)
    return StoryDoc(article_id, row[0], row[1], row[2], row[3], _parse(row[4]), fetched,
                    [], row[6])


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
