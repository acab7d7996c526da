"""Writes to the SQLite archive: articles (with raw HTML), sources and crawl runs.

Every article is written in its own transaction, so a killed crawl or a full disk loses at
most the article being written, never one already stored. WAL mode and a busy timeout let
analysts read while a crawl writes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.dedup import Duplicate, find_duplicate, index_article
from storage.entities import same_entities, store_entities
from storage.schema import migrate
from storage.sql import atomic, rows

BUSY_TIMEOUT_MS = 30_000
JSON_FIELDS = ("authors", "tags", "captions", "removed", "pull_quotes")
ARTICLE_COLUMNS = (
    "source", "url", "canonical_url", "title", "published_at", "published_raw", "published_local",
    "modified_at", "modified_raw", "fetched_at", "lang", "body", "description", "image", "pages",
    "pages_via", "complete", "extracted_with",
)


# Columns rewritten in place when a re-extraction gives the same title and body (no
# revision: the text did not change); fetched_at is always rewritten.
_REFRESHED = tuple(c for c in (*ARTICLE_COLUMNS, *JSON_FIELDS)
                   if c not in ("title", "body", "url", "canonical_url", "source"))


def _differs(stored: Any, new: Any) -> bool:
    return stored != _sql_value(new) and not (stored is None and new in ("", None))


def _sql_value(value: Any) -> Any:
    """A Python value as sqlite3 stores it (what sqlite-utils' insert would write)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert_row(db: Database, table: str, row: Mapping[str, Any], *, upsert_key: str = "") -> None:
    """One row by a prepared statement: the hot path skips sqlite-utils' per-call table
    introspection (several ``sqlite_master``/``table_info`` queries and a savepoint each).
    With ``upsert_key`` an existing row with that key is updated in place."""
    cols = list(row)
    names = ", ".join(f"[{c}]" for c in cols)
    sql = f"insert into [{table}] ({names}) values ({', '.join('?' * len(cols))})"  # noqa: S608
    if upsert_key:
        sql += (f" on conflict([{upsert_key}]) do update set "
                + ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c != upsert_key))
    # table and column names come from warta's own code, never from input
    db.execute(sql, [_sql_value(row[c]) for c in cols])


def update_row(db: Database, table: str, key: str, changes: Mapping[str, Any]) -> None:
    """``update table set ... where id = key`` by a prepared statement."""
    cols = [c for c in changes if c != "id"]
    sql = f"update [{table}] set {', '.join(f'[{c}] = ?' for c in cols)} where id = ?"  # noqa: S608
    db.execute(sql, [*(_sql_value(changes[c]) for c in cols), key])


def _update_changed(db: Database, old: Mapping[str, Any], row: Mapping[str, Any]) -> None:
    """Write the values of ``row`` that differ from the stored ``old`` row (the row then
    reads as if every value had been written). Columns left out of the statement cost
    nothing: their indexes are not rewritten, and the triggers on them do not run."""
    changes = {k: v for k, v in row.items() if k != "id" and (
        k not in old or old[k] != _sql_value(v) or type(old[k]) is not type(_sql_value(v)))}
    if changes:
        update_row(db, "articles", old["id"], changes)


@dataclass
class Stored:
    """What storing an article did: ``new``, ``updated`` or ``unchanged``, and whether the
    text duplicates an article already archived."""

    status: str
    duplicate: Duplicate | None = None
    refreshed: bool = False
    """``unchanged`` text, but other fields (dates, authors, tags...) were rewritten."""


class ArchiveError(RuntimeError):
    """The archive cannot be opened or written (bad path, full disk, corrupt file)."""


class ArchiveUnwritable(ArchiveError):
    """Nothing more can be written (read-only file or folder, full disk, I/O error): a crawl
    stops at once instead of dropping every article that follows."""


_UNWRITABLE = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN",
               "SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_PERM")


def archive_error(message: str, exc: Exception) -> ArchiveError:
    """``message: exc`` as an :class:`ArchiveUnwritable` when no write can succeed."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    unwritable = name.startswith(_UNWRITABLE) or isinstance(exc, OSError)
    return (ArchiveUnwritable if unwritable else ArchiveError)(f"{message}: {exc}")


def check_writable(path: str | Path) -> None:
    """Raise :class:`ArchiveUnwritable` unless a crawl can write the archive at ``path``."""
    try:
        db = open_db(path)
    except ArchiveError as exc:
        raise ArchiveUnwritable(str(exc)) from None
    try:
        # In WAL mode a read-only file still grants the write lock: only a write tells.
        db.execute("BEGIN IMMEDIATE")
        db.execute("CREATE TABLE _warta_write_probe (x)")
    except sqlite3.Error as exc:
        raise archive_error(f"cannot write archive {path}", exc) from None
    finally:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        db.close()


def now_iso() -> str:
    """The current time, ISO-8601 UTC with a ``Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def content_hash(title: str | None, body: str | None) -> str:
    """Hash of the normalised title and body: equal text, equal hash."""
    text = " ".join(f"{title or ''}\n{body or ''}".split()).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def open_db(path: str | Path, *, create: bool = True) -> Database:
    """Open (and migrate) the archive at ``path`` with WAL and a busy timeout."""
    path = Path(path)
    if not create and not path.exists():
        raise ArchiveError(f"no archive at {path} (run 'warta crawl' first)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except (sqlite3.Error, OSError) as exc:
        raise ArchiveError(f"cannot open archive {path}: {exc}") from None
    return db


def prepare_writer(db: Database) -> None:
    """Settings for the connection that stores articles (a transaction each, with
    savepoints inside it): SQLite's temporary storage in memory. On files (the default),
    the savepoint journals of about half the articles went to a temporary file, created
    and deleted each time (strace: ~500 of each per 1,000 articles in
    bench/bench_stories_scale.py), about 0.05 ms of every story assignment at a million
    articles."""
    db.execute("PRAGMA temp_store = MEMORY")


class Archive:
    """The archive's write side: one instance per process, one transaction per article."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = open_db(self.path)
        prepare_writer(self.db)

    def close(self) -> None:
        self.db.close()

    def save_source(self, name: str, homepage: str, lang: str, config: Mapping[str, Any]) -> None:
        """Record a configured source (its config as JSON), keeping when it was first seen."""
        now = now_iso()
        existing = list(self.db.query("select first_seen_at from sources where name = ?", [name]))
        with self.db.atomic():
            self.db["sources"].upsert(
                {
                    "name": name,
                    "homepage": homepage,
                    "lang": lang,
                    "config": json.dumps(config, ensure_ascii=False, default=str),
                    "first_seen_at": existing[0]["first_seen_at"] if existing else now,
                    "updated_at": now,
                },
                pk="name",
            )

    def store_article(
        self,
        article: Mapping[str, Any],
        raw_html: str | None = None,
        encoding: str | None = None,
        *,
        minhash: bytes | None = None,
        extra_html: list[str] | None = None,
    ) -> Stored:
        """Insert or update one article and its duplicate links, in one transaction.

        The row is keyed by the article id (from the canonical URL), so a re-crawl never
        duplicates it; an edited article keeps its old version in ``article_revisions``.
        Raises :class:`ArchiveError` when the write fails; nothing is half-written.
        """
        record = {k: article.get(k) for k in ARTICLE_COLUMNS}
        for key in JSON_FIELDS:
            record[key] = json.dumps(article.get(key) or [], ensure_ascii=False)
        record["id"] = article["id"]
        record["pages"] = int(article.get("pages") or 1)
        record["pages_via"] = article.get("pages_via") or "single"
        record["complete"] = int(article.get("complete", True) is not False)
        record["word_count"] = len((article.get("body") or "").split())
        record["content_hash"] = content_hash(article.get("title"), article.get("body"))
        record["body_hash"] = article.get("body_hash")
        now = now_iso()
        refreshed = False
        try:
            with atomic(self.db):
                found = rows(self.db, "select * from articles where id = ?", [record["id"]])
                old = found[0] if found else None
                if old is None:
                    status = "new"
                elif old["content_hash"] != record["content_hash"]:
                    status = "updated"
                else:
                    status = "unchanged"
                duplicate = None
                if status != "unchanged":  # its own row is left out: found before it is written
                    duplicate = find_duplicate(self.db, record["id"], record["body_hash"], minhash)
                    record["duplicate_of"] = duplicate.original_id if duplicate else None
                    record["duplicate_kind"] = duplicate.kind if duplicate else None
                    record["duplicate_similarity"] = duplicate.similarity if duplicate else None
                if old is None:
                    record["first_seen_at"] = now
                    record["updated_at"] = now
                    insert_row(self.db, "articles", record)
                elif status == "updated":
                    self._keep_revision(record["id"], old, now)
                    record["first_seen_at"] = old["first_seen_at"]
                    record["updated_at"] = now
                    _update_changed(self.db, old, record)
                else:
                    # the same text, but a re-extraction may have better dates, authors...
                    fields = {k: v for k, v in record.items() if k in _REFRESHED}
                    refreshed = any(_differs(old[k], v) for k, v in fields.items()
                                    if k != "fetched_at")
                    _update_changed(self.db, old, fields if refreshed else
                                    {"fetched_at": record["fetched_at"]})
                if status != "unchanged":
                    index_article(self.db, record["id"], minhash, original=duplicate is None)
                entities = article.get("entities")
                if entities is not None and (status != "unchanged" or not same_entities(
                        self.db, record["id"], entities)):
                    store_entities(self.db, record["id"], entities)
                if raw_html is not None:
                    insert_row(
                        self.db, "raw_pages", {
                            "article_id": record["id"],
                            "url": record["url"],
                            "fetched_at": record["fetched_at"],
                            "encoding": encoding,
                            "html_gz": gzip.compress(raw_html.encode("utf-8"), compresslevel=6),
                            "extra_pages_gz": gzip.compress(json.dumps(extra_html).encode(
                                "utf-8")) if extra_html else None,
                        },
                        upsert_key="article_id",
                    )
        except sqlite3.Error as exc:
            raise archive_error(f"cannot store {record['url']} in {self.path}", exc) from None
        return Stored(status, duplicate, refreshed)

    def _keep_revision(self, article_id: str, old: Mapping[str, Any], now: str) -> None:
        insert_row(self.db, "article_revisions", {
            "article_id": article_id,
            "replaced_at": now,
            "fetched_at": old["fetched_at"],
            "title": old["title"],
            "content_hash": old["content_hash"],
            "word_count": old["word_count"],
            "body_gz": gzip.compress((old["body"] or "").encode("utf-8")),
        })

    def start_run(self, sources: list[str]) -> int:
        """Open a ``crawl_runs`` row (status ``running``) and return its id."""
        with self.db.atomic():
            table = self.db["crawl_runs"].insert(
                {"started_at": now_iso(), "status": "running", "sources": json.dumps(sources)}
            )
        return int(table.last_pk)

    def finish_run(
        self,
        run_id: int,
        status: str,
        totals: Mapping[str, Any],
        per_source: Mapping[str, Mapping[str, Any]],
        stats: Mapping[str, Any],
    ) -> None:
        """Close a crawl run with its totals, per-source counts and Scrapy stats."""
        with self.db.atomic():
            self.db["crawl_runs"].update(
                run_id,
                {
                    "finished_at": now_iso(),
                    "status": status,
                    **totals,
                    "stats": json.dumps(stats, default=str, sort_keys=True),
                },
            )
            for name, counts in per_source.items():
                self.db["crawl_run_sources"].upsert(
                    {"run_id": run_id, "source": name, **counts}, pk=("run_id", "source")
                )


def save_fetch_state(db: Database, states: Mapping[str, Mapping[str, Any]]) -> None:
    """Remember ETag / Last-Modified per discovery URL (one transaction)."""
    if not states:
        return
    with db.atomic():
        db["fetch_state"].upsert_all(
            [{"url": url, **state} for url, state in states.items()], pk="url")


@dataclass
class RawPage:
    """An article's archived HTML: page 1 and, for split articles, pages 2..N."""

    article_id: str
    url: str
    fetched_at: str
    html: str
    extra_pages: list[str]


def load_raw_page(db: Database, article_id: str) -> RawPage | None:
    """The archived HTML of an article, or None when it was never kept."""
    found = rows(db, "select * from raw_pages where article_id = ?", [article_id])
    if not found or found[0]["html_gz"] is None:
        return None
    row = found[0]
    extra = json.loads(gzip.decompress(row["extra_pages_gz"])) if row["extra_pages_gz"] else []
    return RawPage(article_id, row["url"], row["fetched_at"],
                   gzip.decompress(row["html_gz"]).decode("utf-8", errors="replace"), extra)


def load_raw_html(db: Database, article_id: str) -> str | None:
    """The archived HTML of an article's first page, or None when it was never kept."""
    raw = load_raw_page(db, article_id)
    return raw.html if raw else None
