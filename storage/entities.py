"""Entity tables of the archive: canonical entities and who each article mentions.

``entities`` has one row per canonical entity (its aliases are the spellings seen so far);
``article_entities`` one row per article and entity, carrying the article's time (published,
else first seen, else fetched: :data:`ENTITY_TIME`, the analyst's article time) so that
time-window reads (``storage.analyst``: top entities, mentions per day) start from an index
on it. Triggers fill it for a row written without it and keep it in step when the article's
dates change (a re-extraction that corrects the date). The reads themselves live in
``storage.analyst``. The tables have their own migration set, applied after the archive's own.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database, Migrations

from storage.sql import atomic, in_chunks

migrations = Migrations("warta-entities")
ENTITY_TIME = "coalesce(published_at, first_seen_at, fetched_at)"
"""The article time entity reads count by; the same as ``storage.analyst.ARTICLE_TIME``."""
TIME_INDEX = "idx_article_entities_at_cover"
"""(at, entity_id, count, article_id): what a time-window read of article_entities needs."""


@migrations()
def m001_entities(db: Database) -> None:
    # transform=True: an archive whose tables were made by hand or by an older tool (with
    # fewer columns) is brought to this shape instead of failing the migration
    db.table("entities").create(
        {"id": str, "name": str, "type": str, "aliases": str},
        pk="id",
        not_null={"name", "type"},
        defaults={"aliases": "[]"},
        transform=True,
    )
    db.table("entities").create_index(["type", "name"], if_not_exists=True)
    db.table("article_entities").create(
        {
            "article_id": str,
            "entity_id": str,
            "count": int,
            "first_position": int,
            "method": str,
            "at": str,
        },
        pk=("article_id", "entity_id"),
        foreign_keys=[("article_id", "articles", "id"), ("entity_id", "entities", "id")],
        transform=True,
    )
    db.execute("update article_entities set at = (select coalesce(published_at, fetched_at) "
               "from articles where articles.id = article_id) where at is null")
    # time-window and per-day queries read only these indexes (covering: no table lookups)
    db.table("article_entities").create_index(["at", "entity_id", "count"], if_not_exists=True)
    db.table("article_entities").create_index(["entity_id", "at", "count"], if_not_exists=True)


@migrations()
def m002_entity_time_is_first_seen(db: Database) -> None:
    # ``at`` was coalesce(published_at, fetched_at) at the first store: an undated article's
    # latest fetch, and stale after a refreshed date. Now the analyst's article time, filled
    # and kept in step by triggers whoever writes the rows.
    when = _article_time(db)
    db.execute("drop trigger if exists article_entities_at")
    # {when} is fixed SQL chosen above, never input
    db.execute("create trigger article_entities_at after insert on article_entities "  # noqa: S608
               f"when new.at is null begin update article_entities set at = (select {when} "
               "from articles where articles.id = new.article_id) "
               "where article_id = new.article_id and entity_id = new.entity_id; end")
    _entity_time_trigger(db, only_on_change=False)
    db.execute(f"update article_entities set at = (select {when} from articles "  # noqa: S608
               "where articles.id = article_id)")


@migrations()
def m003_time_window_covering_index(db: Database) -> None:
    # time-window reads (top entities this week) group the rows of a window by entity and
    # leave out copies by article id: this index answers them without touching the table
    db.table("article_entities").create_index(
        ["at", "entity_id", "count", "article_id"], index_name=TIME_INDEX, if_not_exists=True)
    db.execute("drop index if exists idx_article_entities_at_entity_id_count")


@migrations()
def m004_entity_time_rewritten_on_change_only(db: Database) -> None:
    # the trigger ran for every write naming a date column, and rewrote every entity row
    # of the article (and three indexes) even when its time stayed the same: on each
    # re-crawl (its fetch time is written) and re-extraction of an unchanged article
    _entity_time_trigger(db, only_on_change=True)


def _entity_time_trigger(db: Database, *, only_on_change: bool) -> None:
    """(Re)create the trigger that keeps ``article_entities.at`` in step with the
    article's time; ``only_on_change``: it runs only when that time changes."""
    when = _article_time(db)
    columns = [c for c in ("published_at", "first_seen_at", "fetched_at") if c in when]
    changed = (f"when coalesce({', '.join('old.' + c for c in columns)}) is not "
               f"coalesce({', '.join('new.' + c for c in columns)}) ") if only_on_change else ""
    db.execute("drop trigger if exists articles_entity_time")
    # {when}, {columns} and {changed} are fixed SQL chosen above, never input
    db.execute(f"create trigger articles_entity_time after update of {', '.join(columns)} "  # noqa: S608
               f"on articles {changed}begin update article_entities set at = (select {when} "
               "from articles where articles.id = new.id) where article_id = new.id; end")


def _article_time(db: Database) -> str:
    """:data:`ENTITY_TIME`, or its older form for an archive without ``first_seen_at``."""
    cols = {c.name for c in db["articles"].columns}
    return ENTITY_TIME if "first_seen_at" in cols else "coalesce(published_at, fetched_at)"


def migrate_entities(db: Database) -> None:
    """Create or update the entity tables (``articles`` must already exist)."""
    migrations.apply(db)


def store_entities(db: Database, article_id: str, entities: Iterable[Mapping[str, Any]]) -> None:
    """Replace the article's entity rows with ``entities`` (the pipeline's per-entity dicts).

    Runs in a savepoint inside the caller's transaction. Unknown entities are added; known
    ones gain the spellings seen here as aliases. Raises ``ValueError`` for an unknown article.
    A few statements an article whatever its number of entities (this runs for every stored
    article): the article's time, its stored rows and the known entities in one read each,
    then batched writes of what differs. A row whose count stays is updated in place (a
    re-extracted article's entities mostly move: their first positions change), which
    leaves the time indexes alone; a row is deleted and inserted only when its entity goes
    or comes.
    """
    at = _time_of(db, article_id)
    entries = list(entities)
    new = _rows_of(entries)
    with atomic(db):
        stored = _stored_rows(db, article_id)
        gone = [entity_id for entity_id in stored if entity_id not in new]
        for chunk, marks in in_chunks(gone):
            db.execute(f"delete from article_entities where article_id = ? "  # noqa: S608
                       f"and entity_id in ({marks})", [article_id, *chunk])
        if not entries:
            return
        _remember_entities(db, entries)
        moved, recounted, added = [], [], []
        for entity_id, (count, position, method) in new.items():
            old = stored.get(entity_id)
            if old is None:
                added.append((article_id, entity_id, count, position, method, at))
            elif old[0] != count:
                recounted.append((count, position, method, article_id, entity_id))
            elif old[1:] != (position, method):
                moved.append((position, method, article_id, entity_id))
        db.conn.executemany(
            "insert into article_entities (article_id, entity_id, count, first_position, "
            "method, at) values (?, ?, ?, ?, ?, ?)", added)
        db.conn.executemany(
            "update article_entities set count = ?, first_position = ?, method = ? "
            "where article_id = ? and entity_id = ?", recounted)
        db.conn.executemany(
            "update article_entities set first_position = ?, method = ? "
            "where article_id = ? and entity_id = ?", moved)


def _time_of(db: Database, article_id: str) -> str | None:
    """The article's :data:`ENTITY_TIME` (its older form in an archive without
    ``first_seen_at``); ``ValueError`` for an unknown article."""
    sql = f"select {ENTITY_TIME} from articles where id = ?"  # noqa: S608 - fixed SQL
    try:
        row = db.execute(sql, [article_id]).fetchone()
    except sqlite3.OperationalError:  # no first_seen_at: an archive made by an older tool
        row = db.execute(f"select {_article_time(db)} from articles "  # noqa: S608
                         "where id = ?", [article_id]).fetchone()
    if row is None:
        raise ValueError(f"no article {article_id!r} in the archive")
    return row[0]


def _remember_entities(db: Database, entries: list[Mapping[str, Any]]) -> None:
    """Insert the entities not yet known, and add new spellings to the aliases of the
    known ones."""
    ids = list(dict.fromkeys(e["entity_id"] for e in entries))
    known = {}
    for chunk, marks in in_chunks(ids):
        known.update((i, (name, set(json.loads(aliases or "[]")))) for i, name, aliases in
                     db.execute(f"select id, name, aliases from entities "  # noqa: S608
                                f"where id in ({marks})", chunk))
    inserts: dict[str, tuple[str, str, str, str]] = {}
    updates: dict[str, str] = {}
    for entry in entries:
        seen = {str(a) for a in entry.get("aliases") or ()}
        ident = entry["entity_id"]
        if ident not in known:
            seen.discard(entry["name"])
            inserts[ident] = (ident, entry["name"], entry["type"],
                              json.dumps(sorted(seen), ensure_ascii=False))
            known[ident] = (entry["name"], seen)
            continue
        name, aliases = known[ident]
        new = seen - aliases - {name}
        if new:
            aliases |= new
            updates[ident] = json.dumps(sorted(aliases), ensure_ascii=False)
    if inserts:
        db.conn.executemany("insert into entities (id, name, type, aliases) values (?, ?, ?, ?)",
                            list(inserts.values()))
    if updates:
        db.conn.executemany("update entities set aliases = ? where id = ?",
                            [(v, k) for k, v in updates.items()])


def entities_of(db: Database, article_id: str) -> list[dict[str, Any]]:
    """What was found in one article, in order of first appearance, and by what method."""
    return list(db.query(
        "select ae.entity_id, e.name, e.type, ae.count, ae.first_position, ae.method "
        "from article_entities ae join entities e on e.id = ae.entity_id "
        "where ae.article_id = ? order by ae.first_position, ae.entity_id", [article_id]))


def entity_ids_of(db: Database, article_ids: list[str]) -> dict[str, list[str]]:
    """{article id: its entity ids in order of first appearance} (what the entity pipeline
    gives story clustering in a crawl), for any number of articles; [] for one without."""
    out: dict[str, list[str]] = {i: [] for i in article_ids}
    for chunk, marks in in_chunks(article_ids):
        for article_id, entity_id in db.execute(
                f"select article_id, entity_id from article_entities "  # noqa: S608 - marks
                f"where article_id in ({marks}) "
                "order by article_id, first_position, entity_id", chunk):
            out[article_id].append(entity_id)
    return out


def same_entities(db: Database, article_id: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """True when the article's stored entity rows already say what ``entities`` says (one
    query; lets an unchanged re-crawl or reprocess skip rewriting them)."""
    return _stored_rows(db, article_id) == _rows_of(entities)


Row = tuple[int, int | None, str]
"""An article's row for one entity: count, first position, method."""


def _rows_of(entities: Iterable[Mapping[str, Any]]) -> dict[str, Row]:
    """The rows the pipeline's per-entity dicts make, by entity id (a repeated one: the
    last)."""
    return {e["entity_id"]: (int(e.get("count") or 1), e.get("first_position"),
                             e.get("method") or "model") for e in entities}


def _stored_rows(db: Database, article_id: str) -> dict[str, Row]:
    return {r[0]: r[1:] for r in db.execute(
        "select entity_id, count, first_position, method from article_entities "
        "where article_id = ?", [article_id])}
