"""Read-only queries over the archive, each one function the CLI wraps.

User input only ever reaches SQL as a bound parameter; a malformed full-text query becomes
one :class:`QueryError` with a hint, not a traceback.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database


class QueryError(ValueError):
    """A query the archive cannot answer as asked (bad FTS syntax, bad date)."""


@dataclass
class Hit:
    """One search result."""

    id: str
    title: str | None
    source: str
    published_at: str | None
    url: str
    snippet: str
    rank: float
    copies: int = 0
    """Stored copies of this article (exact or near duplicates linked to it by
    ``duplicate_of``): other URLs or outlets that carry the same text."""
    duplicate_of: str | None = None
    """The article this one copies, when it is a copy (listed only with ``copies=True``)."""


_SINCE = re.compile(r"^(\d+)\s*([hdw])$")


def since_to_iso(since: str | None, now: datetime | None = None) -> str | None:
    """``7d``, ``12h``, ``2w`` or an ISO date -> an ISO-8601 UTC lower bound."""
    if not since:
        return None
    now = now or datetime.now(UTC)
    m = _SINCE.match(since.strip())
    if m:
        hours = int(m.group(1)) * {"h": 1, "d": 24, "w": 168}[m.group(2)]
        dt = now - timedelta(hours=hours)
    else:
        try:
            dt = datetime.fromisoformat(since.strip())
        except ValueError:
            raise QueryError(f"--since: expected 7d, 12h, 2w or a date like 2026-11-01, "
                             f"got {since!r}") from None
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def search(
    db: Database,
    query: str,
    *,
    limit: int = 20,
    source: str | None = None,
    since: str | None = None,
    lang: str | None = None,
    copies: bool = False,
) -> list[Hit]:
    """Full-text search over titles and bodies, most relevant first (FTS5 bm25).

    ``query`` uses FTS5 syntax: words, "exact phrases", prefix*, AND/OR/NOT. Each text is
    listed once, as its original, with the number of its stored copies; ``copies=True``
    lists the copies too.
    """
    if not query.strip():
        raise QueryError("empty search query")
    where = ["articles_fts MATCH :q"]
    if not copies:
        where.append("a.duplicate_of is null")
    params: dict[str, Any] = {"q": query, "limit": limit}
    if source:
        where.append("a.source = :source")
        params["source"] = source
    if lang:
        where.append("a.lang = :lang")
        params["lang"] = lang
    bound = since_to_iso(since)
    if bound:
        where.append("coalesce(a.published_at, a.fetched_at) >= :since")
        params["since"] = bound
    sql = f"""
        select a.id, a.title, a.source, a.published_at, a.canonical_url as url,
               snippet(articles_fts, 1, '[', ']', ' … ', 16) as snippet,
               bm25(articles_fts, 5.0, 1.0) as rank, a.duplicate_of,
               (select count(*) from articles d where d.duplicate_of = a.id) as copies
        from articles_fts join articles a on a.rowid = articles_fts.rowid
        where {' and '.join(where)}
        order by rank limit :limit
    """  # noqa: S608 - only fixed clauses are joined; values are bound parameters
    try:
        return [Hit(**row) for row in db.query(sql, params)]
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc) or "no such column" in str(exc):
            raise QueryError(
                f"cannot search for {query!r}: {exc}. Quote phrases and special "
                f"characters, e.g. '\"GPT-4\"'"
            ) from None
        raise


def source_stats(db: Database) -> list[dict[str, Any]]:
    """Per source: articles stored, newest article, last fetch, last crawl run's status."""
    rows = db.query(
        """
        select s.name as source, s.lang,
               count(a.id) as articles,
               max(a.published_at) as newest_article,
               max(a.fetched_at) as last_fetch
        from sources s left join articles a on a.source = s.name
        group by s.name order by s.name
        """
    )
    out = []
    for row in rows:
        last = list(db.query(
            """select r.started_at, crs.status from crawl_run_sources crs
               join crawl_runs r on r.id = crs.run_id
               where crs.source = ? order by r.id desc limit 1""",
            [row["source"]],
        ))
        row["last_crawl"] = last[0]["started_at"] if last else None
        row["last_status"] = last[0]["status"] if last else None
        out.append(row)
    return out


def get_article(db: Database, url_or_id: str) -> dict[str, Any] | None:
    """One article by id, URL or canonical URL, with JSON fields decoded."""
    from warta.urls import canonicalize_url

    candidates = [url_or_id]
    if "://" in url_or_id:
        candidates.append(canonicalize_url(url_or_id))
    for value in candidates:
        rows = list(db.query(
            "select * from articles where id = ? or canonical_url = ? or url = ? limit 1",
            [value, value, value],
        ))
        if rows:
            row = rows[0]
            for key in ("authors", "tags", "captions", "removed", "pull_quotes"):
                row[key] = json.loads(row.get(key) or "[]")
            return row
    return None


def fetch_state(db: Database) -> dict[str, dict[str, Any]]:
    """Stored validators per discovery URL: {url: {etag, last_modified}}."""
    if "fetch_state" not in db.table_names():
        return {}
    return {r["url"]: {"etag": r["etag"], "last_modified": r["last_modified"]}
            for r in db.query("select url, etag, last_modified from fetch_state")}


def known_articles(db: Database, source: str | None = None) -> dict[str, str]:
    """{canonical_url: last fetched_at} of archived articles (all, or one source's).

    Both the canonical URL and the URL the page was fetched from map to the fetch time, so a
    discovery link of either form is recognised.
    """
    sql = "select url, canonical_url, fetched_at from articles"
    params: list[Any] = []
    if source:
        sql += " where source = ?"
        params.append(source)
    out: dict[str, str] = {}
    for row in db.query(sql, params):
        out[row["canonical_url"]] = row["fetched_at"]
        out.setdefault(row["url"], row["fetched_at"])
    return out


def revisions(db: Database, article_id: str) -> list[dict[str, Any]]:
    """Earlier versions of an article, oldest first (``seen`` = when that version was fetched)."""
    return [
        {"seen": r["fetched_at"], "replaced_at": r["replaced_at"], "title": r["title"],
         "content_hash": r["content_hash"], "word_count": r["word_count"]}
        for r in db.query(
            "select * from article_revisions where article_id = ? order by id", [article_id])
    ]
