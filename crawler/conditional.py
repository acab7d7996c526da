"""Conditional GET for discovery pages: feeds, sitemaps and listings that have not changed
since the last crawl answer 304 and cost almost nothing.

Validators (ETag, Last-Modified) are kept per URL in the archive's ``fetch_state`` table,
loaded when the spider opens and saved when it closes.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.http import Response

from storage.archive import ArchiveError, now_iso, open_db, save_fetch_state
from storage.queries import fetch_state

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

DISCOVERY = {"feed", "sitemap", "listing"}
logger = logging.getLogger(__name__)


class ConditionalGetMiddleware:
    """Downloader middleware adding If-None-Match / If-Modified-Since to discovery requests."""

    def __init__(self, db_path: str, stats: StatsCollector) -> None:
        self.db_path = db_path
        self.stats = stats
        self.known: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, dict[str, Any]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        mw = cls(crawler.settings.get("WARTA_DB"), crawler.stats)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self) -> None:
        try:
            self.known = fetch_state(open_db(self.db_path, create=False))
        except ArchiveError:
            self.known = {}

    def spider_closed(self, reason: str) -> None:
        # A stopped crawl has not fetched every article its feeds listed: without their
        # validators the next run reads the feeds again and finds the rest.
        if self.seen and reason == "finished":
            try:
                save_fetch_state(open_db(self.db_path), self.seen)
            except (ArchiveError, sqlite3.Error) as exc:
                logger.error("cannot save validators of discovery pages: %s", exc)

    def process_request(self, request: Request) -> None:
        if request.meta.get("kind") not in DISCOVERY:
            return
        state = self.known.get(request.url)
        if state and state.get("etag"):
            request.headers.setdefault(b"If-None-Match", state["etag"])
        if state and state.get("last_modified"):
            request.headers.setdefault(b"If-Modified-Since", state["last_modified"])

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("kind") not in DISCOVERY:
            return response
        if response.status == 304:
            self.stats.inc_value("warta/discovery/not_modified")
        elif response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.seen[request.url] = {
                    "etag": etag.decode("latin-1") if etag else None,
                    "last_modified": modified.decode("latin-1") if modified else None,
                    "status": response.status,
                    "fetched_at": now_iso(),
                }
        return response
