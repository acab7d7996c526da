"""Run items through the crawl's own item pipelines without a crawl.

``warta ingest`` (JSON lines from other tools) and ``warta reprocess`` (archived HTML) use
this, so there is one implementation of each step: the components are built from the same
``ITEM_PIPELINES`` setting, in the same order, as in a crawl.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.items import Article
from pipelines.dates import parse_date, publisher_local, to_iso, to_local_iso
from pipelines.extract import Extracted, extract_outcome
from storage.sql import rows_by_number
from warta.config import sources_from_settings
from warta.urls import article_id, canonicalize_url

logger = logging.getLogger(__name__)
INGEST_BATCH = 500


class OfflineStats:
    """The part of Scrapy's stats collector the pipelines use, over a plain dict. Scrapy's
    own (2.13) routes every call through a ``__getattribute__`` and a wrapper for its
    deprecated ``spider`` argument: ~40 calls an article, 0.1 ms of a reprocessed one."""

    def __init__(self) -> None:
        self._stats: dict[str, Any] = {}

    def get_stats(self) -> dict[str, Any]:
        return self._stats

    def get_value(self, key: str, default: Any = None) -> Any:
        return self._stats.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._stats[key] = value

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self._stats[key] = self._stats.get(key, start) + count

    def max_value(self, key: str, value: Any) -> None:
        self._stats[key] = max(self._stats.get(key, value), value)

    def min_value(self, key: str, value: Any) -> None:
        self._stats[key] = min(self._stats.get(key, value), value)


class OfflinePipelines:
    """The crawl's item pipelines, built from settings and driven synchronously."""

    def __init__(self, settings: Any) -> None:
        # Components read only ``settings`` and ``stats`` from the crawler they are given.
        self.crawler = SimpleNamespace(settings=settings)
        self.crawler.stats = OfflineStats()
        order = settings.getwithbase("ITEM_PIPELINES")
        names = sorted((k for k, v in order.items() if v is not None), key=lambda k: order[k])
        self.components = [build_from_crawler(load_object(n), self.crawler) for n in names]

    @property
    def stats(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats()

    def open(self) -> None:
        for c in self.components:
            if hasattr(c, "open_spider"):
                c.open_spider()

    def close(self) -> None:
        for c in reversed(self.components):
            if hasattr(c, "close_spider"):
                c.close_spider()

    def process(self, item: Any) -> Any | None:
        """The item after every component, or None when one dropped it."""
        try:
            for c in self.components:
                item = c.process_item(item)
        except DropItem as exc:
            logger.info("dropped: %s", exc)
            self.crawler.stats.inc_value("warta/offline/dropped")
            return None
        return item

    def archive_db(self) -> Any:
        """The archive connection the archive pipeline writes with (for batch transactions)."""
        for c in self.components:
            archive = getattr(c, "archive", None)
            if archive is not None:
                return archive.db
        raise RuntimeError("no archive pipeline is configured")


@dataclass
class IngestReport:
    """What an ingest did: lines read, articles stored, and the lines that were rejected."""

    lines: int = 0
    stored: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)
    reclustered: int = 0
    """Articles whose stories were rebuilt after the import (the imported ones and the
    other members of their stories)."""


def article_from_record(record: dict[str, Any], default_source: str | None,
                        now: datetime) -> Article:
    """An Article from one JSON-lines object (url, title, body required)."""
    missing = [k for k in ("url", "title", "body") if not record.get(k)]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    source = record.get("source") or default_source
    if not source:
        raise ValueError("no 'source' in the line and no --source given")
    published = parse_date(record.get("published_at"), lang=record.get("lang")) \
        if record.get("published_at") else None
    authors = record.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    return Article(
        url=record["url"],
        canonical_url=canonicalize_url(record["url"]),
        title=str(record["title"]),
        body=str(record["body"]),
        authors=[str(a) for a in authors],
        published_at=to_iso(published),
        published_raw=record.get("published_at"),
        published_local=to_local_iso(publisher_local(published, record.get("published_at"))),
        lang=record.get("lang"),
        source=str(source),
        fetched_at=to_iso(now),
        tags=[str(t) for t in record.get("tags") or []],
    )


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, object) per non-blank line, or (line number, error text)."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                yield number, f"not JSON: {exc}"
                continue
            yield number, obj if isinstance(obj, dict) else "not a JSON object"


def ingest(settings: Any, lines: Iterable[tuple[int, dict[str, Any] | str]],
           default_source: str | None = None, *, recluster: bool = True) -> IngestReport:
    """Import JSON-lines records through the item pipelines, one transaction per batch.

    Each article is assigned to a story as it is stored, as in a crawl; then, with
    ``recluster``, the stories of the imported articles are rebuilt at once
    (``recluster_articles``): the order of a file's lines says nothing about the news, so
    the stories must not depend on it."""
    report = IngestReport()
    runner = OfflinePipelines(settings)
    runner.open()
    now = datetime.now(UTC)
    db = runner.archive_db()
    stored: list[str] = []
    try:
        batch: list[tuple[int, dict[str, Any] | str]] = []
        for entry in lines:
            batch.append(entry)
            if len(batch) >= INGEST_BATCH:
                _ingest_batch(runner, db, batch, default_source, now, report, stored)
                batch = []
        _ingest_batch(runner, db, batch, default_source, now, report, stored)
    finally:
        runner.close()
    if recluster and stored:
        try:
            report.reclustered = _recluster_imported(settings.get("WARTA_DB"), stored)
        except sqlite3.Error as exc:  # the articles are in; their live stories stay
            report.errors.append(f"stories not rebuilt: {exc}")
    return report


def _recluster_imported(db_path: str, article_ids: list[str]) -> int:
    from pipelines.stories.recluster import recluster_articles
    from storage.archive import open_db

    db = open_db(db_path, create=False)
    try:
        with db.atomic():
            return recluster_articles(db, article_ids).articles
    finally:
        db.close()


def _ingest_batch(runner: OfflinePipelines, db: Any, batch: list, default_source: str | None,
                  now: datetime, report: IngestReport, stored: list[str]) -> None:
    with db.atomic():
        for number, obj in batch:
            report.lines += 1
            if isinstance(obj, str):
                report.errors.append(f"line {number}: {obj}")
                continue
            try:
                item = article_from_record(obj, default_source, now)
            except ValueError as exc:
                report.errors.append(f"line {number}: {exc}")
                continue
            if runner.process(item) is None:
                report.dropped += 1
            else:
                report.stored += 1
                stored.append(article_id(item.canonical_url))


@dataclass
class ReprocessReport:
    """What a reprocess changed."""

    total: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    """Articles the current rules no longer accept: kept as they were, never deleted."""
    missing_raw: int = 0
    """Articles whose raw HTML was never archived: skipped, kept as they were."""
    learned: dict[str, int] = field(default_factory=dict)
    extracted: int = 0
    """Articles re-extracted from their HTML (the rest were re-cleaned only)."""
    refreshed: int = 0
    """Articles whose text stayed the same but whose other fields (dates, authors...) changed."""


def reprocess(settings: Any, *, source: str | None = None, since: str | None = None,
              clean_only: bool = False, full: bool = False, jobs: int = 1,
              progress: Any = None) -> ReprocessReport:
    """Re-run extraction and cleaning over archived articles, in place.

    By default an article is re-extracted from its archived HTML only when it was extracted
    by another extractor version or other source rules (``extracted_with``); otherwise only
    cleaning runs again (from the stored text and its removal record: no parsing). ``full``
    re-extracts every article, ``clean_only`` none. ``jobs`` > 1 parses and extracts in that
    many worker processes (each reads the archived HTML on its own read-only connection);
    cleaning, entities and every write stay in this process, in the articles' order, so the
    result is the same as with one. ``progress`` is called with the number of articles done
    after each one. No network.
    """
    from pipelines.boilerplate import original_paragraphs
    from pipelines.extract import extraction_key
    from storage.archive import load_raw_page, open_db
    from storage.boilerplate import learn_boilerplate
    from storage.queries import since_to_iso

    db = open_db(settings.get("WARTA_DB"), create=False)
    where, params = ["1 = 1"], []
    if source:
        where.append("source = ?")
        params.append(source)
    bound = since_to_iso(since)
    if bound:
        where.append("coalesce(published_at, fetched_at) >= ?")
        params.append(bound)
    # only the articles' row numbers are held for the whole run (8 bytes each); their
    # columns are read a batch at a time, so memory does not grow with the archive
    numbers = array("q", (r[0] for r in db.execute(
        f"select rowid from articles where {' and '.join(where)} order by rowid",  # noqa: S608
        params)))
    names = sorted(r[0] for r in db.execute(
        f"select distinct source from articles where {' and '.join(where)}",  # noqa: S608
        params))
    report = ReprocessReport(total=len(numbers))
    configured = sources_from_settings(settings)
    for name in names:
        keep = configured[name].clean_keep if name in configured else ()
        report.learned[name] = len(learn_boilerplate(db, name, keep=keep))
    db.close()
    keys = {name: extraction_key(configured.get(name)) for name in names}

    def extracts(row: dict[str, Any]) -> bool:
        return not clean_only and (full or row.get("extracted_with") != keys[row["source"]])

    runner = OfflinePipelines(settings)
    runner.open()
    archive_db = runner.archive_db()
    pool = None
    if jobs > 1:
        import multiprocessing

        pool = multiprocessing.get_context("spawn").Pool(
            jobs, initializer=_worker_start, initargs=(settings.get("WARTA_DB"), configured))

    def batch_of(start: int) -> tuple[list[dict[str, Any]], Iterator[Any] | None]:
        """The articles of the batch from ``start`` (the columns choosing and extracting
        need), and the workers' outcomes for those re-extracted, in order (submitted at
        once, so that the workers run ahead while this process writes)."""
        chunk = _task_rows(archive_db, numbers[start:start + INGEST_BATCH])
        if pool is None:
            return chunk, None
        return chunk, pool.imap(_worker_extract, ((r["id"], r["source"], r["canonical_url"],
                                                   r.get("pages_via"), r.get("complete", 1))
                                                  for r in chunk if extracts(r)), chunksize=8)

    def one(row: dict[str, Any], extracted: Iterator[Any] | None, whole: _WholeRows) -> None:
        """Re-extract or re-clean one article of the open batch, and count what happened."""
        raw = None
        if extracts(row):
            # a worker's outcome (the pipeline takes it as it takes a page), or the HTML
            raw = next(extracted) if extracted is not None else load_raw_page(
                archive_db, row["id"])
            if raw is None:  # an imported article, say: re-cleaned only (--full: skipped)
                report.missing_raw += 1
                if full:
                    return
        if raw is None:
            stored = whole.get(row["row_number"])
            if stored is None:  # deleted while this ran
                return
            item: Any = article_from_row(stored)
            item.body = "\n\n".join(original_paragraphs(
                stored["body"] or "", json.loads(stored["removed"] or "[]")))
            item.removed = []
        else:
            item = raw if isinstance(raw, Extracted) else _page_from_raw(raw, row)
            report.extracted += 1
        before = runner.stats.get("warta/articles/updated", 0)
        refreshed = runner.stats.get("warta/articles/refreshed", 0)
        if runner.process(item) is None:
            report.rejected += 1
        elif runner.stats.get("warta/articles/updated", 0) > before:
            report.updated += 1
        else:
            report.unchanged += 1
            report.refreshed += runner.stats.get("warta/articles/refreshed", 0) > refreshed

    done = 0
    try:
        upcoming = batch_of(0)
        for start in range(0, len(numbers), INGEST_BATCH):
            chunk, extracted = upcoming
            if start + INGEST_BATCH < len(numbers):
                upcoming = batch_of(start + INGEST_BATCH)
            # a transaction a batch, as ingest: an error rolls the open batch back
            with archive_db.atomic():
                whole = _WholeRows(archive_db, chunk)
                for row in chunk:
                    done += 1
                    one(row, extracted, whole)
                    if progress:
                        progress(done)
    finally:
        if pool is not None:
            pool.terminate()
        runner.close()
    return report


_TASK_COLUMNS = "id, source, canonical_url, pages_via, complete, extracted_with"
"""What a reprocess reads of every article of a batch, to choose and to extract (the whole
row only where an article is re-cleaned)."""


def _task_rows(db: Any, numbers: Sequence[int]) -> list[dict[str, Any]]:
    """:data:`_TASK_COLUMNS` of the articles with these row numbers, in their order (those
    deleted since are left out)."""
    return rows_by_number(db, _TASK_COLUMNS, numbers)


class _WholeRows:
    """The whole rows of a batch's articles by row number, read when first asked for (only
    an article that is re-cleaned needs its row; extraction does not)."""

    def __init__(self, db: Any, chunk: list[dict[str, Any]]) -> None:
        self.db, self.chunk = db, chunk
        self.rows: dict[int, dict[str, Any]] | None = None

    def get(self, number: int) -> dict[str, Any] | None:
        """The row, or None for an article deleted since the batch was chosen."""
        if self.rows is None:
            self.rows = _whole_rows(self.db, self.chunk)
        return self.rows.get(number)


def _whole_rows(db: Any, chunk: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The whole rows of ``chunk``'s articles, by row number (those deleted since are
    missing)."""
    return {r["row_number"]: r for r in rows_by_number(db, "*", [r["row_number"] for r in chunk])}


_WORKER: dict[str, Any] = {}


class ReprocessError(RuntimeError):
    """A reprocess that cannot go on (a worker cannot read the archive): nothing of the open
    batch is written."""


def _worker_start(db_path: str, sources: dict[str, Any]) -> None:
    """A reprocess worker: its own read-only connection to the archive, the sources. It
    never raises: a pool replaces a worker whose start fails, again and again; the error
    is raised with the first task instead, and ends the run."""
    _WORKER.clear()
    try:
        from sqlite_utils import Database

        from storage.archive import BUSY_TIMEOUT_MS

        conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # WAL: readers rarely wait
        conn.execute("select 1 from raw_pages limit 1")
        _WORKER.update(db=Database(conn), sources=sources)
    except Exception as exc:  # noqa: BLE001 - reported by _worker_extract
        _WORKER["error"] = f"reprocess worker cannot read the archive {db_path}: {exc}"


def _worker_extract(task: tuple[str, str, str, str | None, Any]) -> Extracted | None:
    """The page's extraction outcome, or None when its HTML was never archived."""
    from storage.archive import load_raw_page

    if "error" in _WORKER:
        raise ReprocessError(_WORKER["error"])
    article_id, source, canonical, pages_via, complete = task
    raw = load_raw_page(_WORKER["db"], article_id)
    if raw is None:
        return None
    page = _page_from_raw(raw, {"source": source, "canonical_url": canonical,
                                "pages_via": pages_via, "complete": complete})
    return extract_outcome(page, _WORKER["sources"].get(source))


def article_from_row(row: dict[str, Any]) -> Article:
    """An Article rebuilt from its archive row: the columns the archive stores it in
    (``ARTICLE_COLUMNS``, ``JSON_FIELDS``), so a new column cannot be dropped on the way back."""
    from storage.archive import ARTICLE_COLUMNS, JSON_FIELDS

    values = {c: row.get(c) for c in ARTICLE_COLUMNS}
    values.update({k: json.loads(row.get(k) or "[]") for k in JSON_FIELDS})
    values["body"] = values["body"] or ""
    values["pages"] = values["pages"] or 1
    values["pages_via"] = values["pages_via"] or "single"
    values["complete"] = bool(row.get("complete", 1))
    return Article(**values)


def _page_from_raw(raw: Any, row: dict[str, Any]) -> Any:
    from crawler.items import Page

    return Page(
        url=raw.url, html=raw.html, source=row["source"], fetched_at=raw.fetched_at,
        hints={"canonical_url": row["canonical_url"], "archived": True},
        extra_pages=raw.extra_pages, pages_via=row.get("pages_via") or "single",
        complete=bool(row.get("complete", 1)),
    )
