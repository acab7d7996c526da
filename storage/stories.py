"""Story tables in the archive: one row per story, one membership row per article, the
clusterer's state, and the reads and writes the story clusterer makes.

The tables have their own migration set ("warta-stories"), applied after the main schema
because they refer to ``articles``:

- ``stories``: what an analyst reads (representative title, first article and outlet, first
  and last article time, counts, outlets, languages);
- ``story_articles``: one row per clustered article: its story, how it got there (``via``:
  ``new``, ``text``, ``short``, ``duplicate``), its similarity, its time and whether that time
  is the publication date or only the fetch time (``dated_by``), and the entity ids it was
  clustered with, so restarts and reclustering see the same evidence;
- ``story_terms``: each story's centroid (term -> weight, packed by ``pack_centroid``) and
  the membership sequence number up to which it is current: the clusterer keeps recent
  centroids in memory and writes the changed ones with each state snapshot (and when it
  lets a story go), so a restart reads them and replays the memberships after;
- ``story_state``: the hashed document-frequency table (a snapshot taken every few thousand
  articles; articles clustered after it are replayed on open) and its bookkeeping.

``articles.story_id`` mirrors ``story_articles.story_id`` for analysts' joins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlite_utils import Database, Migrations

migrations = Migrations("warta-stories")


@migrations()
def m001_stories(db: Database) -> None:
    db["stories"].create(
        {
            "id": str,
            "title": str,
            "title_article_id": str,
            "first_article_id": str,
            "first_source": str,
            "first_seen_at": str,
            "first_dated_by": str,
            "last_updated_at": str,
            "article_count": int,
            "duplicate_count": int,
            "outlet_count": int,
            "outlets": str,
            "langs": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"first_article_id", "first_seen_at", "last_updated_at"},
    )
    db["stories"].create_index(["last_updated_at"])
    db["stories"].create_index(["first_seen_at"])
    db["stories"].create_index(["outlet_count"])
    db["story_articles"].create(
        {
            "article_id": str,
            "story_id": str,
            "seq": int,
            "event_at": str,
            "dated_by": str,
            "source": str,
            "lang": str,
            "duplicate_of": str,
            "via": str,
            "score": float,
            "entity_ids": str,
        },
        pk="article_id",
        not_null={"story_id", "seq", "event_at", "dated_by", "via"},
        foreign_keys=[("article_id", "articles", "id"), ("story_id", "stories", "id")],
    )
    db["story_articles"].create_index(["story_id", "event_at"])
    db["story_articles"].create_index(["story_id", "source"])
    db["story_articles"].create_index(["seq"], unique=True)
    db["story_articles"].create_index(["event_at"])
    db["story_terms"].create(
        {"story_id": str, "text_members": int, "terms": bytes, "title_score": float},
        pk="story_id",
        foreign_keys=[("story_id", "stories", "id")],
    )
    db["story_state"].create({"key": str, "value": bytes}, pk="key")
    db["articles"].add_column("story_id", str)
    db["articles"].create_index(["story_id"])


@migrations()
def m002_story_terms_seq(db: Database) -> None:
    # The membership sequence number up to which a centroid row is current (rows are now
    # written every few thousand articles, not with every one). Rows written before were
    # current when written, so they cover every membership there is.
    db["story_terms"].add_column("seq", int)
    db.execute("update story_terms set seq = (select coalesce(max(seq), 0)"
               " from story_articles)")


@migrations()
def m003_term_keys(db: Database) -> None:
    # Terms became 63-bit keys (were strings; the document-frequency table was indexed by
    # the CRC-32 of the string): centroids and the snapshot cannot be converted, so they
    # go, and the clusterer's next start replays every membership to rebuild them.
    db.execute("delete from story_terms")
    db.execute("delete from story_state where key in ('df', 'df_meta')")


def migrate_stories(db: Database) -> None:
    """Create or update the story tables (after the main schema: they refer to articles)."""
    migrations.apply(db)


@dataclass
class Membership:
    """One article's place in a story, as ``story_articles`` stores it."""

    article_id: str
    story_id: str
    seq: int
    event_at: str
    dated_by: str
    source: str | None
    lang: str | None
    duplicate_of: str | None
    via: str
    score: float | None
    entity_ids: list[str]


@dataclass
class StoredStory:
    """A story's centroid and what candidate search needs of it, as stored."""

    id: str
    first_seen_at: str
    last_updated_at: str
    langs: list[str]
    text_members: int
    keys: np.ndarray
    """The centroid's term keys (uint64, ascending)."""
    weights: np.ndarray
    """Their raw weights (float64), aligned with ``keys``."""
    title_article_id: str | None
    title_score: float
    seq: int | None = None
    """The membership sequence number up to which the centroid is current."""

    @property
    def terms(self) -> dict[int, float]:
        return dict(zip(self.keys.tolist(), self.weights.tolist(), strict=True))


def next_seq(db: Database) -> int:
    row = db.execute("select coalesce(max(seq), 0) + 1 from story_articles").fetchone()
    return int(row[0])


_MEMBERSHIP_COLUMNS = ("article_id, story_id, seq, event_at, dated_by, source, lang,"
                       " duplicate_of, via, score, entity_ids")


def story_of(db: Database, article_id: str) -> str | None:
    row = db.execute(
        "select story_id from story_articles where article_id = ?", [article_id]
    ).fetchone()
    return row[0] if row else None


def membership(db: Database, article_id: str) -> Membership | None:
    row = db.execute(
        f"select {_MEMBERSHIP_COLUMNS} from story_articles where article_id = ?",  # noqa: S608
        [article_id],  # a constant column list; values are bound
    ).fetchone()
    return _membership(row) if row else None


def members(db: Database, story_id: str) -> list[Membership]:
    """A story's memberships in assignment order."""
    return [_membership(r) for r in db.execute(
        f"select {_MEMBERSHIP_COLUMNS} from story_articles where story_id = ?"  # noqa: S608
        " order by seq",
        [story_id],
    )]


def member_ids(db: Database, story_id: str) -> list[str]:
    """The article ids of a story's members."""
    return [r[0] for r in db.execute(
        "select article_id from story_articles where story_id = ?", [story_id])]


def story_exists(db: Database, story_id: str) -> bool:
    return db.execute("select 1 from stories where id = ?", [story_id]).fetchone() is not None


def add_membership(db: Database, m: Membership) -> None:
    db.execute(
        "insert or replace into story_articles (article_id, story_id, seq, event_at, dated_by,"
        " source, lang, duplicate_of, via, score, entity_ids)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [m.article_id, m.story_id, m.seq, m.event_at, m.dated_by, m.source, m.lang,
         m.duplicate_of, m.via, m.score, json.dumps(m.entity_ids) if m.entity_ids else None],
    )
    db.execute("update articles set story_id = ? where id = ?", [m.story_id, m.article_id])


def pack_centroid(keys: np.ndarray, weights: np.ndarray) -> bytes:
    """A centroid as bytes: the count, the weights (float64) then the term keys (uint64,
    ascending; ``pipelines.stories.features.term_key``), little-endian."""
    return (len(keys).to_bytes(4, "little") + weights.astype("<f8", copy=False).tobytes()
            + keys.astype("<u8", copy=False).tobytes())


def unpack_centroid(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The term keys and weights of a packed centroid (read-only arrays)."""
    n = int.from_bytes(blob[:4], "little")
    weights = np.frombuffer(blob, dtype="<f8", count=n, offset=4)
    keys = np.frombuffer(blob, dtype="<u8", count=n, offset=4 + 8 * n)
    return keys.astype(np.uint64, copy=False), weights.astype(np.float64, copy=False)


def save_terms(db: Database, story_id: str, text_members: int, keys: np.ndarray,
               weights: np.ndarray, title_score: float | None, seq: int) -> None:
    """Write a story's centroid: its term keys and their raw weights, the
    score of its representative title (unless None), and the membership sequence number
    ``seq`` up to which all of this is current."""
    db.conn.execute(
        "insert into story_terms (story_id, text_members, terms, title_score, seq)"
        " values (?, ?, ?, ?, ?) on conflict(story_id) do update set"
        " text_members = excluded.text_members, terms = excluded.terms,"
        " title_score = coalesce(excluded.title_score, title_score), seq = excluded.seq",
        [story_id, text_members, pack_centroid(keys, weights), title_score, seq],
    )


def cap_terms_seq(db: Database, seq: int) -> None:
    """Lower centroid rows' sequence numbers to ``seq`` (after reclustering renumbered the
    memberships, when every row is current)."""
    db.execute("update story_terms set seq = ? where seq > ?", [seq, seq])


def refresh_story(db: Database, story_id: str, now: str) -> None:
    """Recompute a story's row from its members: first article and outlet (earliest time,
    then article id), last time, counts, outlets. Duplicates are counted apart and never add
    an outlet. Runs in SQL over the ``story_articles`` index, so its cost does not depend
    on how many articles joined before in this process."""
    first = db.execute(
        "select article_id, source, event_at, dated_by from story_articles"
        " where story_id = ? and duplicate_of is null order by event_at, article_id limit 1",
        [story_id],
    ).fetchone()
    if first is None:  # only duplicates left: their earliest stands in
        first = db.execute(
            "select article_id, source, event_at, dated_by from story_articles"
            " where story_id = ? order by event_at, article_id limit 1",
            [story_id],
        ).fetchone()
    if first is None:
        db.execute("delete from story_terms where story_id = ?", [story_id])
        db.execute("delete from stories where id = ?", [story_id])
        return
    counts = db.execute(
        "select max(event_at), sum(duplicate_of is null), sum(duplicate_of is not null),"
        " group_concat(distinct lang) from story_articles where story_id = ?",
        [story_id],
    ).fetchone()
    outlets = [r[0] for r in db.execute(
        "select distinct source from story_articles where story_id = ? and duplicate_of is null"
        " and source is not null order by source",
        [story_id],
    )]
    langs = ",".join(sorted(set((counts[3] or "").split(",")) - {""})) or None
    db.execute(
        "insert into stories (id, first_article_id, first_source, first_seen_at, first_dated_by,"
        " last_updated_at, article_count, duplicate_count, outlet_count, outlets, langs,"
        " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " on conflict(id) do update set first_article_id = excluded.first_article_id,"
        " first_source = excluded.first_source, first_seen_at = excluded.first_seen_at,"
        " first_dated_by = excluded.first_dated_by, last_updated_at = excluded.last_updated_at,"
        " article_count = excluded.article_count, duplicate_count = excluded.duplicate_count,"
        " outlet_count = excluded.outlet_count, outlets = excluded.outlets,"
        " langs = excluded.langs, updated_at = excluded.updated_at",
        [story_id, first[0], first[1], first[2], first[3], counts[0], counts[1] or 0,
         counts[2] or 0, len(outlets), json.dumps(outlets, separators=(",", ":")), langs, now,
         now],
    )


def create_story(db: Database, story_id: str, m: Membership, now: str, *,
                 titled: bool = False) -> bool:
    """The row of a story whose first member is ``m`` (call with ``add_membership``);
    ``titled``: with ``m``'s title as the representative one. False (and nothing written)
    when a story of that id exists."""
    original = m.duplicate_of is None
    cursor = db.conn.execute(
        "insert into stories (id, first_article_id, first_source, first_seen_at, first_dated_by,"
        " last_updated_at, article_count, duplicate_count, outlet_count, outlets, langs,"
        " created_at, updated_at, title_article_id, title) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, (select title from articles where id = ?)) on conflict(id) do nothing",
        [story_id, m.article_id, m.source, m.event_at, m.dated_by, m.event_at, int(original),
         int(not original), int(original and m.source is not None),
         json.dumps([m.source] if original and m.source else [], separators=(",", ":")),
         m.lang, now, now, m.article_id if titled else None,
         m.article_id if titled else None],
    )
    return cursor.rowcount > 0


_OUTLETS = ("outlets = (select json_group_array(s) from (select source s from story_articles"
            " where story_id = :story and duplicate_of is null and source is not null"
            " union select :source order by 1))")
_LANGS = ("langs = (select group_concat(l, ',') from (select lang l from story_articles"
          " where story_id = :story and lang is not null union select :lang order by 1))")


def join_story(db: Database, story_id: str, m: Membership, now: str, *,
               titled: bool = False) -> None:
    """Count a new original member into its story's row (``refresh_story`` recomputes the
    same from scratch; this is the path of a crawl); ``titled``: ``m``'s title becomes the
    representative one. Call before ``add_membership`` so that a first article from its
    outlet is still recognisable. The row is read first and only what changes is written:
    an indexed column set to its own value still costs its index an entry moved."""
    p = {"story": story_id, "source": m.source, "lang": m.lang, "at": m.event_at,
         "now": now, "article": m.article_id, "dated_by": m.dated_by}
    row = db.conn.execute(
        "select first_seen_at, first_article_id, last_updated_at, langs, :source is not null"
        " and not exists (select 1 from story_articles where story_id = :story"
        " and source = :source and duplicate_of is null) from stories where id = :story",
        p).fetchone()
    if row is None:
        return  # no such story: nothing to count (the membership's foreign key says so)
    first_at, first_id, last_at, langs, new_outlet = row
    sets = ["article_count = article_count + 1", "updated_at = :now"]
    if m.event_at > last_at:
        sets.append("last_updated_at = :at")
    if (m.event_at, m.article_id) < (first_at, first_id):
        sets += ["first_seen_at = :at", "first_article_id = :article",
                 "first_source = :source", "first_dated_by = :dated_by"]
    if new_outlet:
        sets += ["outlet_count = outlet_count + 1", _OUTLETS]
    if m.lang is not None and m.lang not in (langs or "").split(","):
        sets.append(_LANGS)
    if titled:
        sets += ["title_article_id = :article",
                 "title = (select title from articles where id = :article)"]
    db.conn.execute(f"update stories set {', '.join(sets)} where id = :story", p)  # noqa: S608


def set_title(db: Database, story_id: str, article_id: str, score: float | None) -> None:
    """Make ``article_id``'s title the story's representative title (and its score the
    centroid row's, unless None)."""
    db.execute(
        "update stories set title = (select title from articles where id = ?),"
        " title_article_id = ? where id = ?",
        [article_id, article_id, story_id],
    )
    if score is not None:
        db.execute("update story_terms set title_score = ? where story_id = ?",
                   [score, story_id])


def stories_overlapping(db: Database, start: str, end: str) -> Iterator[StoredStory]:
    """Stories (with centroids) whose article times overlap [start, end], by id."""
    rows = db.execute(
        "select s.id, s.first_seen_at, s.last_updated_at, s.langs, t.text_members, t.terms,"
        " s.title_article_id, t.title_score from stories s"
        " join story_terms t on t.story_id = s.id"
        " where s.last_updated_at >= ? and s.first_seen_at <= ? order by s.id",
        [start, end],
    )
    for row in rows:
        keys, weights = unpack_centroid(row[5])
        yield StoredStory(row[0], row[1], row[2], row[3].split(",") if row[3] else [],
                          row[4] or 0, keys, weights, row[6],
                          row[7] if row[7] is not None else -1.0)


def stored_story(db: Database, story_id: str) -> StoredStory | None:
    """A story with its centroid row (None without one)."""
    row = db.execute(
        "select s.id, s.first_seen_at, s.last_updated_at, s.langs, t.text_members, t.terms,"
        " s.title_article_id, t.title_score, t.seq from stories s"
        " join story_terms t on t.story_id = s.id where s.id = ?",
        [story_id],
    ).fetchone()
    if row is None:
        return None
    keys, weights = unpack_centroid(row[5])
    return StoredStory(row[0], row[1], row[2], row[3].split(",") if row[3] else [],
                       row[4] or 0, keys, weights, row[6],
                       row[7] if row[7] is not None else -1.0, row[8])


def memberships_after(db: Database, seq: int) -> Iterator[tuple[Membership, str, str]]:
    """Memberships after ``seq`` in assignment order, with their article's title and body
    (to replay what a state snapshot is missing)."""
    rows = db.execute(
        "select m.article_id, m.story_id, m.seq, m.event_at, m.dated_by, m.source, m.lang,"
        " m.duplicate_of, m.via, m.score, m.entity_ids, a.title, a.body"
        " from story_articles m join articles a on a.id = m.article_id"
        " where m.seq > ? order by m.seq",
        [seq],
    )
    for r in rows:
        yield _membership(r[:11]), r[11], r[12]


def _membership(r: Iterable[Any]) -> Membership:
    (article_id, story_id, seq, event_at, dated_by, source, lang, duplicate_of, via, score,
     entity_ids) = r
    return Membership(article_id, story_id, seq, event_at, dated_by, source, lang,
                      duplicate_of, via, score, json.loads(entity_ids) if entity_ids else [])


def get_state(db: Database, key: str) -> bytes | None:
    row = db.execute("select value from story_state where key = ?", [key]).fetchone()
    return row[0] if row else None


def put_state(db: Database, key: str, value: bytes) -> None:
    db.execute("insert or replace into story_state (key, value) values (?, ?)", [key, value])
