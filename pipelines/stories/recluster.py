"""Rebuild the stories of a period from the archive, whatever order the articles came in.

Live clustering sees articles in arrival order. A rebuild sees the whole set at once and
groups it with ``batch_stories`` (average linkage, then each article moved to the story
whose centroid it is closest to): the same archive gives the same stories whatever order
the articles first arrived in, and articles of equal time (articles without a date all
count at their fetch time) need no order at all.

Which articles: every article whose time is on or after ``since``, **and the earlier
members of their stories**: a story that began before ``since`` and goes on after it is
rebuilt whole, never cut in two at ``since``. Stories wholly before that keep their
articles, and a rebuilt article does not join one of them (it would have joined it live
only if that story's centroid was the closest, and then the story would be rebuilt).

Copies (``duplicate_of``) join their original's story: one in the set with it, as
``batch_stories`` does, or the story its original keeps outside the set.

Afterwards the live state is as live clustering would leave it: document frequencies
count every clustered original once, each rebuilt story has its centroid (the sum of its
members' unit vectors), row (first article and outlet, counts, outlets, languages) and
representative title (the member title closest to the centroid), memberships are numbered
on from the highest one left, and a state snapshot is taken, so later articles are
assigned live against the rebuilt stories.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlite_utils import Database

from pipelines.stories.batch import BatchDoc, batch_stories
from pipelines.stories.cluster import StoryClusterer, event_time, iso
from pipelines.stories.features import Features, article_features
from pipelines.stories.state import Query, StoryState, make_query
from storage import stories as store
from storage.sql import in_chunks

EntityLookup = Callable[[list[str]], dict[str, list[str]]]


@dataclass(frozen=True)
class ReclusterReport:
    """What a recluster did."""

    articles: int
    """Articles rebuilt: those since the date and the earlier members of their stories."""
    stories: int
    """Stories holding the rebuilt articles afterwards."""
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
    """Rebuild the stories of every article whose time is ``since`` or later (all when
    None), whole (see the module docstring).

    ``entity_ids_for`` gives entity ids for articles not clustered before (those clustered
    before keep the ids they were clustered with)."""
    clusterer = StoryClusterer(db, **params)
    report = rebuild(clusterer, since, entity_ids_for)
    store.put_state(db, "recluster_at", iso(datetime.now(UTC)).encode())  # for schedule.py
    return report


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass
class _Article:
    id: str
    source: str | None
    title: str
    body: str
    lang: str | None
    at: datetime
    dated_by: str
    duplicate_of: str | None
    entity_ids: list[str]


def _features(a: _Article) -> Features:
    return article_features(a.title, a.body, a.lang, a.entity_ids)


def recluster_articles(db: Database, article_ids: Iterable[str], *,
                       entity_ids_for: EntityLookup | None = None,
                       **params: float) -> ReclusterReport:
    """Rebuild the stories of the given articles, whole: ``warta ingest`` does this for the
    articles it imported, whose line order says nothing about the news."""
    clusterer = StoryClusterer(db, **params)
    return rebuild(clusterer, None, entity_ids_for, articles=article_ids)


def rebuild(clusterer: StoryClusterer, since: str | None,
            entity_ids_for: EntityLookup | None = None, *,
            assigned_only: bool = False,
            articles: Iterable[str] | None = None) -> ReclusterReport:
    """``recluster`` with a given clusterer, whose in-memory state it brings up to date;
    ``assigned_only`` leaves out articles not in a story yet (the young-archive rebuilds of
    ``StoryClusterer`` must not run ahead of the articles it has been given); ``articles``,
    instead of ``since``: these articles (and the other members of their stories)."""
    started = time.perf_counter()
    db = clusterer.db
    p = clusterer.params
    if articles is not None:
        ids = _existing(db, articles)
    else:
        ids = _selected(db, parse_since(since), assigned_only)

    with db.atomic():
        clusterer.flush()  # every stored centroid current: the in-memory index is rebuilt
        old = _old_memberships(db, ids)
        touched = sorted({m.story_id for m in old.values()})
        for story_id in touched:  # the earlier members of stories going on after ``since``
            ids.update(store.member_ids(db, story_id))
        old.update(_old_memberships(db, sorted(set(ids) - set(old))))
        rows = _read(db, sorted(ids))
        looked_up = entity_ids_for([a for a in ids if a not in old]) if entity_ids_for \
            else {}
        for a in rows:
            prior = old.get(a.id)
            a.entity_ids = prior.entity_ids if prior else looked_up.get(a.id, [])

        # Document frequencies count every clustered original once. A rebuild of everything
        # counts afresh; otherwise an article counted before (with the same entity ids, and
        # its text as then) stays counted, and only the changes are made.
        df = clusterer.df
        counted = {m.article_id for m in old.values() if m.duplicate_of is None}
        remaining = db.execute("select count(*) from story_articles").fetchone()[0] - len(old)
        if remaining == 0:
            df.counts[:] = 0
            df.docs = 0
            counted = set()
        for a in rows:
            if a.id in counted and a.duplicate_of is not None:  # a copy now: not counted
                df.remove(_features(a).keys)

        seen: set[str] = set()

        def count(doc: BatchDoc, f: Features) -> None:  # features as batch_stories has them
            seen.add(doc.article_id)
            if doc.duplicate_of is None and doc.article_id not in counted:
                df.add(f.keys)

        _forget(db, sorted(ids), touched)
        outside = _outside_originals(db, rows, ids)
        inside = [a for a in rows if a.id not in outside]
        groups = batch_stories(
            [BatchDoc(a.id, a.title, a.body, a.lang, a.at, tuple(a.entity_ids),
                      a.duplicate_of) for a in inside],
            threshold=p.batch_threshold, join_threshold=p.threshold,
            window_days=p.window_days, min_body_words=p.min_body_words,
            cross_threshold=p.cross_threshold, on_features=count)
        for a in inside:  # originals whose earlier copy stood for them in batch_stories
            if a.duplicate_of is None and a.id not in seen and a.id not in counted:
                df.add(_features(a).keys)
        now = iso(datetime.now(UTC))
        seq = store.next_seq(db)
        stories: set[str] = set()
        for group in groups:
            story_id, seq = _write_story(clusterer, [inside[k] for k in group], seq, now)
            stories.add(story_id)
        for a in sorted((a for a in rows if a.id in outside),
                        key=lambda a: (a.at, a.id)):
            story_id = outside[a.id]
            store.add_membership(db, store.Membership(
                a.id, story_id, seq, iso(a.at), a.dated_by, a.source, a.lang, a.duplicate_of,
                "duplicate", 1.0, a.entity_ids))
            store.refresh_story(db, story_id, now)
            stories.add(story_id)
            seq += 1
        # Memberships were numbered on from the highest one left: no stored centroid may
        # claim to include sequence numbers handed out again.
        store.cap_terms_seq(db, seq - 1)

    clusterer.index = type(clusterer.index)(clusterer.df, max_terms=p.max_terms,
                                            index_terms=p.index_terms)
    clusterer._dirty.clear()
    clusterer._loaded_from = math.inf
    clusterer._max_at = -math.inf
    clusterer._seq = seq
    clusterer.snapshot()
    return ReclusterReport(len(rows), len(stories), time.perf_counter() - started)


def _existing(db: Database, article_ids: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for chunk, marks in in_chunks(sorted(set(article_ids))):
        out.update(r[0] for r in db.execute(
            f"select id from articles where id in ({marks})", chunk))  # noqa: S608
    return out


def _selected(db: Database, since_iso: str, assigned_only: bool) -> set[str]:
    """Articles whose event time is ``since_iso`` or later."""
    only = " and id in (select article_id from story_articles)" if assigned_only else ""
    rows = db.execute(
        "select id, published_at, fetched_at from articles"  # noqa: S608 - constant SQL
        f" where (coalesce(published_at, fetched_at) >= ? or fetched_at >= ?){only}",
        [since_iso, since_iso],
    ).fetchall()
    out: set[str] = set()
    for article_id, published, fetched in rows:
        when, _ = event_time(_parse(published), _parse(fetched) or datetime.now(UTC))
        if iso(when) >= since_iso:
            out.add(article_id)
    return out


def _read(db: Database, ids: list[str]) -> list[_Article]:
    has_dup = "duplicate_of" in db["articles"].columns_dict
    dup = "duplicate_of" if has_dup else "null"
    out = []
    for chunk, marks in in_chunks(ids):
        for row in db.execute(
                f"select id, source, title, body, lang, published_at, fetched_at, {dup}"  # noqa: S608
                f" from articles where id in ({marks})", chunk):  # constant SQL, ids bound
            when, dated_by = event_time(_parse(row[5]), _parse(row[6]) or datetime.now(UTC))
            out.append(_Article(row[0], row[1], row[2] or "", row[3] or "", row[4],
                                when.replace(microsecond=0), dated_by, row[7] or None, []))
    out.sort(key=lambda a: (a.at, a.id))
    return out


def _outside_originals(db: Database, articles: list[_Article], ids: set[str]
                       ) -> dict[str, str]:
    """Copies whose original (followed through copies in the set) is outside the set and
    has a story: article id -> that story."""
    by_id = {a.id: a for a in articles}
    out: dict[str, str] = {}
    for a in articles:
        seen = {a.id}
        original = a.duplicate_of
        while original in by_id and original not in seen:
            seen.add(original)
            original = by_id[original].duplicate_of
        if original is not None and original not in ids:
            story_id = store.story_of(db, original)
            if story_id is not None:
                out[a.id] = story_id
    return out


def _forget(db: Database, ids: list[str], touched: list[str]) -> None:
    """Remove the rebuilt articles' memberships and their old stories (which held only
    rebuilt articles)."""
    for chunk, marks in in_chunks(ids):
        # only "?" placeholders are formatted in; the ids are bound
        db.execute(f"delete from story_articles where article_id in ({marks})",  # noqa: S608
                   chunk)
        db.execute(f"update articles set story_id = null where id in ({marks})",  # noqa: S608
                   chunk)
    for chunk, marks in in_chunks(touched):
        db.execute(f"delete from story_terms where story_id in ({marks})", chunk)  # noqa: S608
        db.execute(f"delete from stories where id in ({marks})", chunk)  # noqa: S608


def _write_story(clusterer: StoryClusterer, members: list[_Article], seq: int, now: str
                 ) -> tuple[str, int]:
    """Write one rebuilt story (``members`` in time order, as ``batch_stories`` gives them):
    its memberships, row, centroid and title, as live clustering would have left them.
    Returns its id and the next sequence number."""
    db, p, df = clusterer.db, clusterer.params, clusterer.df
    ids = {a.id for a in members}

    def is_copy(a: _Article) -> bool:  # a copy of a member (a copy of an article elsewhere,
        return a.duplicate_of in ids  # with no story, was clustered by its text)

    originals = [a for a in members if not is_copy(a)] or members[:1]
    first = originals[0]
    story = StoryState(first.id, first.at.timestamp(), first.at.timestamp(), set(), 0)
    queries: dict[str, tuple[Query, np.ndarray]] = {}
    for a in originals:
        f = _features(a)
        if len(f) and f.body_words >= p.min_body_words:
            q = make_query(f.keys, f.weights, df, a.lang, a.at.timestamp())
            story.add(q)
            queries[a.id] = q, f.title_keys
    story.refresh(df, p.max_terms)
    for article_id, (_, title_keys) in queries.items():
        clusterer._better_title(story, article_id, title_keys)

    rows = []
    for a in members:
        if a is first:
            via = "new" if a.id in queries else "short"
        else:
            via = "duplicate" if is_copy(a) else "text" if a.id in queries else "short"
        score = story.leave_one_out(queries[a.id][0]) if a.id in queries else \
            1.0 if via == "duplicate" else 0.0
        rows.append(store.Membership(a.id, "", seq, iso(a.at), a.dated_by, a.source, a.lang,
                                     a.duplicate_of, via, round(score, 6), a.entity_ids))
        seq += 1
    story_id, n = first.id, 1
    head = rows[members.index(first)]
    while not store.create_story(db, story_id, head, now):
        n += 1
        story_id = f"{first.id}-{n}"
    for m in rows:
        m.story_id = story_id
        store.add_membership(db, m)
    store.refresh_story(db, story_id, now)
    if queries:
        story.id = story_id
        assert story.title_article_id is not None
        store.save_terms(db, story_id, story.text_members, story.keys, story.raw,
                         story.title_score, seq - 1)
        store.set_title(db, story_id, story.title_article_id, None)
    else:
        store.set_title(db, story_id, first.id, None)
    return story_id, seq


def _old_memberships(db: Database, ids: Iterable[str]) -> dict[str, store.Membership]:
    out: dict[str, store.Membership] = {}
    for article_id in ids:
        m = store.membership(db, article_id)
        if m is not None:
            out[article_id] = m
    return out
