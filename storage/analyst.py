"""Analyst reads over the archive: stories, entity trends, daily entity counts, source health.

Stories (#6) and entities (#5) live in tables that older archives lack; every function here
answers with an empty result, never an error, when they are absent. User input only ever
reaches SQL as a bound parameter: the SQL strings below join fixed clauses only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage.entities import TIME_INDEX
from storage.queries import since_to_iso, source_stats
from storage.sql import in_chunks

# The moment an article counts for: when it was published, else when warta first saw it.
ARTICLE_TIME = "coalesce(a.published_at, a.first_seen_at, a.fetched_at)"


def has_tables(db: Database, *names: str) -> bool:
    """True when every table in ``names`` exists."""
    return set(names) <= set(db.table_names())


def has_column(db: Database, table: str, column: str) -> bool:
    return has_tables(db, table) and column in db[table].columns_dict


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _not_a_copy(db: Database) -> str:
    """A clause on ``article_entities ae`` leaving out near/exact copies (``duplicate_of``)
    when the archive links them: the copies are a short list read from their index, so an
    entity read never has to look up every article of its window."""
    if not has_column(db, "articles", "duplicate_of"):
        return "1"
    return "ae.article_id not in (select id from articles where duplicate_of is not null)"


def last_crawl(db: Database) -> dict[str, Any] | None:
    """The archive's most recent crawl run: id, started_at, finished_at, status."""
    if not has_tables(db, "crawl_runs"):
        return None
    rows = list(db.query(
        "select id, started_at, finished_at, status from crawl_runs order by id desc limit 1"))
    return rows[0] if rows else None


def stories(db: Database, *, since: str | None = None, limit: int | None = 50,
            now: datetime | None = None) -> list[dict[str, Any]]:
    """Stories updated since ``since`` (7d, a date; None: all), most recently updated first.

    Each has its outlets (distinct sources, in the order they reported it), the first outlet
    and the URL of the first article.
    """
    if not (has_tables(db, "stories") and has_column(db, "articles", "story_id")):
        return []
    where, params = ["1"], {}
    bound = since_to_iso(since, now)
    if bound:
        where.append("s.last_updated_at >= :since")
        params["since"] = bound
    sql = f"""
        select s.id, s.title, s.first_article_id, s.first_source, s.first_seen_at,
               s.last_updated_at, s.article_count, s.outlet_count,
               (select coalesce(canonical_url, url) from articles
                 where id = s.first_article_id) as first_url
        from stories s where {' and '.join(where)}
        order by s.last_updated_at desc, s.id desc
    """  # noqa: S608 - fixed clauses; values are bound parameters
    if limit is not None:
        sql += " limit :limit"
        params["limit"] = int(limit)
    rows = list(db.query(sql, params))
    outlets = story_outlets(db, [r["id"] for r in rows])
    for row in rows:
        row["outlets"] = outlets.get(row["id"], [])
    return rows


def story_outlets(db: Database, story_ids: list[Any]) -> dict[Any, list[str]]:
    """{story id: [source, ...]} in the order each source first reported the story."""
    out: dict[Any, list[str]] = {}
    for chunk, marks in in_chunks(story_ids):
        for row in db.query(
            f"""select a.story_id, a.source, min({ARTICLE_TIME}) as first
                from articles a where a.story_id in ({marks})
                group by a.story_id, a.source order by a.story_id, first""",  # noqa: S608
            chunk,
        ):
            out.setdefault(row["story_id"], []).append(row["source"])
    return out


def story_articles(db: Database, story_ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    """{story id: [article summary, ...]} oldest first: the story's timeline."""
    out: dict[Any, list[dict[str, Any]]] = {}
    dup = "a.duplicate_of" if has_column(db, "articles", "duplicate_of") else "null"
    for chunk, marks in in_chunks(story_ids):
        for row in db.query(
            f"""select a.story_id, a.id, a.source, a.title, a.canonical_url as url,
                       a.published_at, {dup} as duplicate_of
                from articles a where a.story_id in ({marks})
                order by a.story_id, {ARTICLE_TIME}, a.id""",  # noqa: S608
            chunk,
        ):
            out.setdefault(row.pop("story_id"), []).append(row)
    return out


class UnknownEntity(LookupError):
    """No entity in the archive has that id, name or alias."""


def find_entity(db: Database, text: str) -> dict[str, Any]:
    """The entity whose id, canonical name or a recorded alias is ``text`` (any case), tried
    in that order; the one mentioned in most articles when several share a spelling."""
    if not has_tables(db, "entities", "article_entities"):
        raise UnknownEntity(f"no entity {text!r}: the archive has no entities yet")
    wanted = {"t": text.strip()}
    for match in ("e.id = :t", "lower(e.name) = lower(:t)",
                  "exists (select 1 from json_each(e.aliases) where lower(value) = lower(:t))"):
        rows = list(db.query(
            f"""select e.id, e.name, e.type,
                       (select count(*) from article_entities ae where ae.entity_id = e.id) as n
                from entities e where {match} order by n desc, e.id limit 1""",  # noqa: S608
            wanted))
        if rows:
            return {k: rows[0][k] for k in ("id", "name", "type")}
    raise UnknownEntity(f"no entity {text!r} in the archive (try an id, name or alias "
                        "from `warta entities`)")


def top_entities(db: Database, *, top: int = 20, since: str | None = "7d",
                 entity_type: str | None = None, with_entity: str | None = None,
                 now: datetime | None = None) -> list[dict[str, Any]]:
    """The most mentioned entities since ``since`` and the change against the period before.

    The previous period has the same length and ends where this one starts. Mentions are
    summed over articles; copies of one text (``duplicate_of``) count once. ``with_entity``
    (an entity id, name or alias) keeps only the articles that also mention it, and leaves
    it out: "which companies appear with xAI". Reads only the time window's part of an
    index on ``article_entities.at`` (the article's time, kept in step by triggers).
    """
    if not has_tables(db, "entities", "article_entities"):
        return []
    now = now or datetime.now(UTC)
    start = _parse_iso(since_to_iso(since or "7d", now) or "")
    previous_start = start - max(now - start, timedelta(0))
    params: dict[str, Any] = {"start": _iso(start), "prev": _iso(previous_start),
                              "now": _iso(now), "top": int(top)}
    where = ["ae.at >= :prev", "ae.at <= :now", _not_a_copy(db)]
    if with_entity:
        params["with"] = find_entity(db, with_entity)["id"]
        where += ["ae.entity_id != :with", "ae.article_id in (select article_id from "
                  "article_entities where entity_id = :with and at >= :prev and at <= :now)"]
    typed = ""
    if entity_type:
        typed = "where upper(e.type) = upper(:type)"
        params["type"] = entity_type
    # the window's rows are grouped from the covering time index alone (one row is one
    # article and entity), and only the grouped entities are looked up; an archive not yet
    # migrated to that index (opened read-only) is read the slower way
    indexed = (f"indexed by {TIME_INDEX}"
               if TIME_INDEX in {i.name for i in db["article_entities"].indexes} else "")
    sql = f"""
        with counts as (
            select ae.entity_id,
                   sum(case when ae.at >= :start then ae.count else 0 end) as mentions,
                   sum(ae.at >= :start) as articles,
                   sum(case when ae.at < :start then ae.count else 0 end) as previous_mentions
            from article_entities ae {indexed}
            where {' and '.join(where)}
            group by ae.entity_id
            having mentions > 0
        )
        select e.id, e.name, e.type, c.mentions, c.articles, c.previous_mentions
        from counts c join entities e on e.id = c.entity_id
        {typed}
        order by c.mentions desc, c.articles desc, e.name
        limit :top
    """  # noqa: S608 - fixed clauses; values are bound parameters
    rows = list(db.query(sql, params))
    for row in rows:
        prev = row["previous_mentions"] or 0
        row["change"] = row["mentions"] - prev
        row["change_pct"] = round(100.0 * row["change"] / prev, 1) if prev else None
    return rows


def articles_daily(db: Database, *, since: str | None = None) -> Iterator[dict[str, Any]]:
    """Per UTC day and source: articles archived, oldest day first."""
    where, params = "1", {}
    bound = since_to_iso(since)
    if bound:
        where = f"{ARTICLE_TIME} >= :since"
        params["since"] = bound[:10]
    return db.query(
        f"""select substr({ARTICLE_TIME}, 1, 10) as day, a.source, count(*) as articles
            from articles a where {where}
            group by day, a.source order by day, a.source""",  # noqa: S608 - fixed clauses
        params)


def entities_daily(db: Database, *, since: str | None = None,
                   entity: str | None = None) -> Iterator[dict[str, Any]]:
    """Per UTC day and entity: articles mentioning it (one row of article_entities is one
    article) and mentions, oldest day first; only ``entity`` (an id, name or alias) when
    given."""
    if not has_tables(db, "entities", "article_entities"):
        return iter(())
    where, params = [_not_a_copy(db)], {}
    bound = since_to_iso(since)
    if bound:
        where.append("ae.at >= :since")
        params["since"] = bound[:10]
    if entity:
        where.append("ae.entity_id = :entity")
        params["entity"] = find_entity(db, entity)["id"]
    sql = f"""
        select substr(ae.at, 1, 10) as day, e.id as entity_id, e.name, e.type,
               count(*) as articles, sum(ae.count) as mentions
        from article_entities ae
        join entities e on e.id = ae.entity_id
        where {' and '.join(where)}
        group by day, e.id order by day, e.id
    """  # noqa: S608 - fixed clauses; values are bound parameters
    return db.query(sql, params)


def source_health(db: Database, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per source: :func:`storage.queries.source_stats` plus articles in the last 7 days,
    a health word (``ok``, ``degraded``, ``failed``, ``never crawled``) and how many of its
    latest crawls in a row failed."""
    now = now or datetime.now(UTC)
    week = _iso(now - timedelta(days=7))
    homepages = {r["name"]: r["homepage"] for r in db.query("select name, homepage from sources")}
    recent = {r["source"]: r["n"] for r in db.query(
        f"select a.source, count(*) as n from articles a where {ARTICLE_TIME} >= ? "  # noqa: S608
        "group by a.source", [week])}
    out = []
    for row in source_stats(db):
        name = row["source"]
        statuses = [r["status"] for r in db.query(
            """select status from crawl_run_sources where source = ?
               order by run_id desc limit 20""", [name])]
        failures = 0
        for status in statuses:
            if status != "failed":
                break
            failures += 1
        out.append({
            "source": name,
            "lang": row.get("lang"),
            "homepage": homepages.get(name),
            "articles": row.get("articles") or 0,
            "articles_7d": recent.get(name, 0),
            "newest_article": row.get("newest_article"),
            "last_fetch": row.get("last_fetch"),
            "last_crawl": row.get("last_crawl"),
            "last_status": row.get("last_status"),
            "health": row.get("last_status") or "never crawled",
            "consecutive_failures": failures,
        })
    return out


def decode_json_list(value: str | None) -> list[Any]:
    """A JSON list column (authors, tags) as a list; bad or empty JSON is an empty list."""
    if not value:
        return []
    try:
        decoded = json.loads(value)
    except ValueError:
        return []
    return decoded if isinstance(decoded, list) else []
