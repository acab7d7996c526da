"""The export set the dashboard and other tools read (schema in docs/exports.md).

Files are written into a temporary folder beside the target, flushed, then renamed into
place one by one, ``manifest.json`` last: a reader sees each file whole, old or new, never
half written. ``since`` makes an incremental export: only articles added or changed since.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from storage.analyst import (
    articles_daily,
    decode_json_list,
    entities_daily,
    has_column,
    has_tables,
    last_crawl,
    source_health,
    stories,
    story_articles,
)
from storage.queries import since_to_iso

SCHEMA_VERSION = 1

# Column order of articles.csv; articles.ndjson has these plus body and entities.
ARTICLE_FIELDS = (
    "id", "source", "url", "canonical_url", "title", "authors", "published_at",
    "published_raw", "modified_at", "modified_raw", "fetched_at", "first_seen_at", "updated_at",
    "lang", "description", "image", "tags", "word_count", "content_hash", "story_id",
    "duplicate_of", "published_local",
)
ARTICLE_DAY_FIELDS = ("day", "source", "articles")
ENTITY_DAY_FIELDS = ("day", "entity_id", "name", "type", "articles", "mentions")
FILES = ("articles.ndjson", "articles.csv", "articles_daily.csv", "stories.json",
         "entities_daily.csv", "sources.json", "manifest.json")


class ExportError(RuntimeError):
    """The export could not be written (bad folder, full disk); nothing was replaced."""


@dataclass
class ExportResult:
    """What an export wrote."""

    out_dir: Path
    manifest: dict[str, Any]
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)


def export_archive(db: Database, out_dir: str | Path, *, since: str | None = None,
                   archive_name: str | None = None,
                   now: datetime | None = None) -> ExportResult:
    """Write the export set into ``out_dir``; with ``since`` (7d, a date) only what changed.

    Raises :class:`ExportError` when the folder cannot be written; a failed export leaves
    the files of the previous one untouched.
    """
    from warta import __version__

    started = time.perf_counter()
    now = now or datetime.now(UTC)
    generated_at = now.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    bound = since_to_iso(since, now)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=out))
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc}") from None
    try:
        rows = {
            "articles": _write_articles(db, tmp, bound),
            "articles_daily": _write_csv(tmp / "articles_daily.csv", ARTICLE_DAY_FIELDS,
                                         articles_daily(db, since=bound)),
            "stories": _write_json(tmp / "stories.json", "stories",
                                   _story_rows(db, bound), generated_at),
            "entities_daily": _write_csv(tmp / "entities_daily.csv", ENTITY_DAY_FIELDS,
                                         entities_daily(db, since=bound)),
            "sources": _write_json(tmp / "sources.json", "sources",
                                   source_health(db, now=now), generated_at),
        }
        files = [_describe(tmp / name) | {"rows": rows[_ROW_KEY[name]]} for name in FILES[:-1]]
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "generated_at": generated_at,
            "warta_version": __version__,
            "mode": "incremental" if bound else "full",
            "since": bound,
            "archive": archive_name,
            "last_crawl": last_crawl(db),
            "rows": rows,
            "files": files,
        }
        _dump_json(tmp / "manifest.json", manifest)
        for name in FILES:  # manifest.json last: it vouches for the files before it
            os.replace(tmp / name, out / name)
    except OSError as exc:
        raise ExportError(f"cannot write the export to {out}: {exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ExportResult(out, manifest, time.perf_counter() - started, rows)


_ROW_KEY = {"articles.ndjson": "articles", "articles.csv": "articles",
            "articles_daily.csv": "articles_daily", "stories.json": "stories",
            "entities_daily.csv": "entities_daily",
            "sources.json": "sources"}


def _article_sql(db: Database, bound: str | None) -> tuple[str, dict[str, Any]]:
    def optional(column: str) -> str:
        return f"a.{column}" if has_column(db, "articles", column) else "null"

    entities = "null"
    if has_tables(db, "entities", "article_entities"):
        entities = """(select json_group_array(json_object('id', e.id, 'name', e.name,
                         'type', e.type, 'count', ae.count))
                       from article_entities ae join entities e on e.id = ae.entity_id
                       where ae.article_id = a.id)"""
    where, params = "1", {}
    if bound:
        where = "coalesce(a.updated_at, a.fetched_at) >= :since"
        params["since"] = bound
    sql = f"""
        select a.id, a.source, a.url, a.canonical_url, a.title, a.authors, a.published_at,
               a.published_raw, a.modified_at, a.modified_raw, a.fetched_at, a.first_seen_at,
               a.updated_at, a.lang, a.description, a.image, a.tags, a.word_count,
               a.content_hash, {optional('story_id')} as story_id,
               {optional('duplicate_of')} as duplicate_of,
               {optional('published_local')} as published_local, a.body, {entities} as entities
        from articles a where {where}
        order by coalesce(a.published_at, a.first_seen_at, a.fetched_at), a.id
    """  # noqa: S608 - fixed clauses; values are bound parameters
    return sql, params


def _write_articles(db: Database, tmp: Path, bound: str | None) -> int:
    """Stream articles into articles.ndjson (everything) and articles.csv (no body)."""
    sql, params = _article_sql(db, bound)
    count = 0
    with (open(tmp / "articles.ndjson", "w", encoding="utf-8", newline="\n") as nd,
          open(tmp / "articles.csv", "w", encoding="utf-8", newline="") as cf):
        writer = csv.writer(cf)
        writer.writerow(ARTICLE_FIELDS)
        for row in db.query(sql, params):
            row["authors"] = decode_json_list(row["authors"])
            row["tags"] = decode_json_list(row["tags"])
            row["entities"] = decode_json_list(row["entities"])
            nd.write(json.dumps(row, ensure_ascii=False))
            nd.write("\n")
            writer.writerow([_csv_value(row[k]) for k in ARTICLE_FIELDS])
            count += 1
        _sync(nd)
        _sync(cf)
    return count


def _story_rows(db: Database, bound: str | None) -> list[dict[str, Any]]:
    rows = stories(db, since=bound, limit=None)
    timelines = story_articles(db, [r["id"] for r in rows])
    for row in rows:
        row.pop("first_url", None)
        row["articles"] = timelines.get(row["id"], [])
    return rows


def _write_json(path: Path, key: str, rows: list[dict[str, Any]], generated_at: str) -> int:
    # Compact: the C encoder is ~5x faster than the indenting one on a big story list.
    _dump_json(path, {"schema_version": SCHEMA_VERSION, "generated_at": generated_at,
                      key: rows}, indent=None)
    return len(rows)


def _write_csv(path: Path, fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(fields)
        for row in rows:
            writer.writerow([_csv_value(row[k]) for k in fields])
            count += 1
        _sync(f)
    return count


def _dump_json(path: Path, data: Any, indent: int | None = 1) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=indent)
        f.write("\n")
        _sync(f)


def _csv_value(value: Any) -> Any:
    """Lists become JSON text; None becomes an empty cell."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _sync(f: IO[str]) -> None:
    f.flush()
    os.fsync(f.fileno())


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    fmt = {".ndjson": "ndjson", ".csv": "csv", ".json": "json"}[path.suffix]
    return {"name": path.name, "format": fmt, "bytes": path.stat().st_size,
            "sha256": digest.hexdigest()}
