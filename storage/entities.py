"""Entity tables of the archive: canonical entities, who each article mentions, and queries.

``entities`` has one row per canonical entity (its aliases are the spellings seen so far);
``article_entities`` one row per article and entity, carrying the article's time
(``coalesce(published_at, fetched_at)``) so "mentions per entity per day" and "top entities
this week" are answered from one covering index without touching ``articles``. The tables
have their own migration set, applied after the archive's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database, Migrations

migrations = Migrations("warta-entities")


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


def migrate_entities(db: Database) -> None:
    """Create or update the entity tables (``articles`` must already exist)."""
    migrations.apply(db)


def store_entities(db: Database, article_id: str, entities: Iterable[Mapping[str, Any]]) -> None:
    """Replace the article's entity rows with ``entities`` (the pipeline's per-entity dicts).

    Runs in a savepoint inside the caller's transaction. Unknown entities are added; known
    ones gain the spellings seen here as aliases. Raises ``ValueError`` for an unknown article.
    """
    row = list(db.query("select coalesce(published_at, fetched_at) as at from articles "
                        "where id = ?", [article_id]))
    if not row:
        raise ValueError(f"no article {article_id!r} in the archive")
    at = row[0]["at"]
    with db.atomic():
        db.execute("delete from article_entities where article_id = ?", [article_id])
        records = []
        for entry in entities:
            _remember_entity(db, entry)
            records.append({
                "article_id": article_id,
                "entity_id": entry["entity_id"],
                "count": int(entry.get("count") or 1),
                "first_position": entry.get("first_position"),
                "method": entry.get("method") or "model",
                "at": at,
            })
        if records:
            db.conn.executemany(
                "insert or replace into article_entities (article_id, entity_id, count, "
                "first_position, method, at) values (:article_id, :entity_id, :count, "
                ":first_position, :method, :at)", records)


def _remember_entity(db: Database, entry: Mapping[str, Any]) -> None:
    """Insert an entity, or add new spellings to the aliases of one already known."""
    seen = {str(a) for a in entry.get("aliases") or ()}
    rows = list(db.query("select name, aliases from entities where id = ?",
                         [entry["entity_id"]]))
    if not rows:
        seen.discard(entry["name"])
        db.execute("insert into entities (id, name, type, aliases) values (?, ?, ?, ?)",
                   [entry["entity_id"], entry["name"], entry["type"],
                    json.dumps(sorted(seen), ensure_ascii=False)])
        return
    known = set(json.loads(rows[0]["aliases"] or "[]"))
    new = seen - known - {rows[0]["name"]}
    if new:
        db.execute("update entities set aliases = ? where id = ?",
                   [json.dumps(sorted(known | new), ensure_ascii=False), entry["entity_id"]])


def entities_of(db: Database, article_id: str) -> list[dict[str, Any]]:
    """What was found in one article, in order of first appearance, and by what method."""
    return list(db.query(
        "select ae.entity_id, e.name, e.type, ae.count, ae.first_position, ae.method "
        "from article_entities ae join entities e on e.id = ae.entity_id "
        "where ae.article_id = ? order by ae.first_position, ae.entity_id", [article_id]))


def _window(since_iso: str | None, until_iso: str | None) -> tuple[str, list[Any]]:
    """A WHERE fragment over ``ae.at`` built from constant clauses; the bounds are bound
    parameters (the fragment is spliced into SQL, so it must never carry a value)."""
    clauses, params = [], []
    if since_iso:
        clauses.append("ae.at >= ?")
        params.append(since_iso)
    if until_iso:
        clauses.append("ae.at < ?")
        params.append(until_iso)
    return (" and ".join(clauses) or "1"), params


def top_entities(db: Database, since_iso: str | None = None, until_iso: str | None = None,
                 type: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Entities by the number of articles mentioning them in ``[since, until)``."""
    where, params = _window(since_iso, until_iso)
    if type:
        where += " and e.type = ?"
        params.append(type)
    return list(db.query(  # {where} is constant SQL from _window
        "select ae.entity_id, e.name, e.type, count(*) as articles, sum(ae.count) as mentions "  # noqa: S608
        f"from article_entities ae join entities e on e.id = ae.entity_id where {where} "
        "group by ae.entity_id order by articles desc, mentions desc, e.name limit ?",
        [*params, limit]))


def mentions_per_day(db: Database, entity_id: str, since_iso: str | None = None,
                     until_iso: str | None = None) -> list[dict[str, Any]]:
    """Articles and mentions of one entity per UTC day (days without any are absent)."""
    where, params = _window(since_iso, until_iso)
    return list(db.query(  # {where} is constant SQL from _window
        "select substr(ae.at, 1, 10) as day, count(*) as articles, sum(ae.count) as mentions "  # noqa: S608
        f"from article_entities ae where ae.entity_id = ? and ae.at is not null and {where} "
        "group by day order by day", [entity_id, *params]))


def co_mentioned(db: Database, entity_id: str, since_iso: str | None = None,
                 until_iso: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Entities that appear in the same articles as ``entity_id`` ("who appears with xAI")."""
    where, params = _window(since_iso, until_iso)
    return list(db.query(  # {where} is constant SQL from _window
        "select other.entity_id, e.name, e.type, count(*) as articles "  # noqa: S608
        "from article_entities ae join article_entities other "
        "on other.article_id = ae.article_id and other.entity_id != ae.entity_id "
        f"join entities e on e.id = other.entity_id where ae.entity_id = ? and {where} "
        "group by other.entity_id order by articles desc, e.name limit ?",
        [entity_id, *params, limit]))


def same_entities(db: Database, article_id: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """True when the article's stored entity rows already say what ``entities`` says (one
    query; lets an unchanged re-crawl or reprocess skip rewriting them)."""
    stored = {(r["entity_id"], r["count"], r["first_position"], r["method"]) for r in db.query(
        "select entity_id, count, first_position, method from article_entities "
        "where article_id = ?", [article_id])}
    new = {(e["entity_id"], int(e.get("count") or 1), e.get("first_position"),
            e.get("method") or "model") for e in entities}
    return stored == new
