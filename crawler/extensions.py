"""The crawl-run recorder: every crawl, however started, leaves a ``crawl_runs`` row.

It runs for ``warta crawl`` and for a plain ``scrapy crawl news`` alike, so the archive
always knows when each source was last crawled and how that went.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scrapy import signals

from storage import lock
from storage.archive import Archive, ArchiveError

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
_SOURCE_KEYS = ("discovery_ok", "discovery_failed", "pages_failed", "articles_new",
                "articles_updated", "articles_unchanged", "dropped")


def source_outcomes(stats: Mapping[str, Any], names: list[str]) -> dict[str, dict[str, Any]]:
    """Per-source counts from the crawl stats, with a status: ok, degraded or failed.

    A source has *failed* when every feed, sitemap and listing page of it failed (or none
    answered and no article could be fetched); *degraded* when some did.
    """
    out = {}
    for name in names:
        counts = {k: int(stats.get(f"warta/source/{name}/{k}", 0)) for k in _SOURCE_KEYS}
        stored = counts["articles_new"] + counts["articles_updated"] + counts["articles_unchanged"]
        if counts["discovery_ok"] == 0 and stored == 0:
            status = "failed"
        elif counts["discovery_failed"] or counts["pages_failed"]:
            status = "degraded"
        else:
            status = "ok"
        out[name] = {"status": status, **counts}
    return out


def run_totals(stats: Mapping[str, Any]) -> dict[str, int]:
    """Crawl-wide counters for the ``crawl_runs`` row."""
    dropped = sum(int(v) for k, v in stats.items() if k.startswith("warta/dropped/"))
    return {
        "requests": int(stats.get("downloader/request_count", 0)),
        "responses": int(stats.get("downloader/response_count", 0)),
        "errors": int(stats.get("log_count/ERROR", 0)),
        "articles_new": int(stats.get("warta/articles/new", 0)),
        "articles_updated": int(stats.get("warta/articles/updated", 0)),
        "articles_unchanged": int(stats.get("warta/articles/unchanged", 0)),
        "dropped": dropped,
    }


class CrawlRunRecorder:
    """Opens a ``crawl_runs`` row when the spider opens and completes it when it closes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("WARTA_DB")
        # One writer per archive: a second crawl (cron, scheduler, a plain `scrapy crawl`)
        # fails here, before it opens anything. Raises lock.ArchiveLocked.
        lock.acquire(self.db_path)
        self.archive: Archive | None = None
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        try:
            self.archive = Archive(self.db_path)
            names = list(getattr(spider, "sources", {}))
            self.run_id = self.archive.start_run(names)
        except (sqlite3.Error, ArchiveError) as exc:  # full or read-only disk: one line, stop
            message = f"cannot record the crawl run in {self.db_path}: {exc}"
            if not self.crawler.stats.get_value("warta/archive/unwritable"):
                self.crawler.stats.set_value("warta/archive/unwritable", message)
                logger.error("archive unwritable, stopping the crawl: %s", message)
            if self.crawler.engine is not None:
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(self.crawler.engine.close_spider_async(
                    reason="archive_unwritable"))
            return
        self.crawler.stats.set_value("warta/run_id", self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            self._finish(spider, reason)
        finally:
            lock.release(self.db_path)

    def _finish(self, spider: Spider, reason: str) -> None:
        if self.archive is None or self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        per_source = source_outcomes(stats, list(getattr(spider, "sources", {})))
        failed = [n for n, o in per_source.items() if o["status"] == "failed"]
        if reason != "finished" or (per_source and len(failed) == len(per_source)):
            status = "failed"
        elif failed:
            status = "partial"
        else:
            status = "ok"
        totals = run_totals(stats)
        self.crawler.stats.set_value("warta/run_status", status)
        try:
            self.archive.finish_run(self.run_id, status, {**totals, "finish_reason": reason},
                                    per_source, stats)
        except sqlite3.Error as exc:
            logger.error("crawl run %s: cannot record its end: %s", self.run_id, exc)
        finally:
            self.archive.close()
        logger.info("crawl run %s: %s (%s)", self.run_id, status, reason)
