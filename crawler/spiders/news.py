"""The one generic news spider: discovers article URLs and fetches the pages.

Discovery follows each source's config: RSS/Atom feeds and JSON Feeds
(:mod:`crawler.feeds`), sitemaps and sitemap indexes including Google News sitemaps, and
listing pages filtered by the source's article-URL pattern. The spider extracts nothing:
it yields :class:`~crawler.items.Page` items and the item pipelines do the rest.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from crawler.feeds import FeedError, feed_entries
from crawler.items import Page
from crawler.sitemaps import SitemapError, read_sitemap
from crawler.wholearticle import all_in_one_url, next_page, same_article
from pipelines.dates import parse_date, within
from storage.archive import ArchiveError, open_db
from storage.queries import known_articles
from warta.config import Source, sources_from_settings
from warta.encoding import decode_html as decode_bytes
from warta.urls import canonicalize_url

logger = logging.getLogger(__name__)

_HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class NewsSpider(scrapy.Spider):
    """Crawl configured sources: ``scrapy crawl news -a sources=gamebrott,arstechnica``."""

    name = "news"

    def __init__(self, sources: str | list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(sources, str):
            sources = [s for s in sources.split(",") if s]
        self.source_names = list(sources or [])
        self.sources: dict[str, Source] = {}
        self.known: dict[str, str] = {}
        self.recheck_after = timedelta(hours=24)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        configured = sources_from_settings(crawler.settings)
        names = spider.source_names or list(configured)
        unknown = [n for n in names if n not in configured]
        if unknown:
            raise ValueError(f"unknown source(s): {', '.join(unknown)}")
        spider.sources = {n: configured[n] for n in names}
        spider.allowed_domains = sorted({d for s in spider.sources.values()
                                         for d in s.allowed_domains})
        spider.recheck_after = timedelta(
            hours=crawler.settings.getfloat("WARTA_RECHECK_AFTER_HOURS", 24.0))
        try:
            spider.known = known_articles(open_db(crawler.settings.get("WARTA_DB"), create=False))
        except ArchiveError:
            spider.known = {}
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources.values():
            for url in source.feeds:
                yield self._discovery(url, source, "feed", self.parse_feed)
            for url in source.sitemaps:
                yield self._discovery(url, source, "sitemap", self.parse_sitemap)
            for url in source.listings:
                yield self._discovery(url, source, "listing", self.parse_listing)

    # -- discovery ----------------------------------------------------------------------

    def _discovery(self, url: str, source: Source, kind: str, callback: Any) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, dont_filter=True,
                              meta={"source": source.name, "kind": kind,
                                    "handle_httpstatus_list": [304]}, priority=10)

    def _unchanged(self, response: Response, source: Source) -> bool:
        """True (and counted as a successful discovery) when the server answered 304."""
        if response.status != 304:
            return False
        self._count(source, "discovery_ok")
        return True

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        source = self._source(response)
        if self._unchanged(response, source):
            return
        try:
            entries = feed_entries(response.body, {
                k.decode().lower(): response.headers.get(k).decode("latin-1")
                for k in response.headers})
        except FeedError as exc:
            self._discovery_failed(source, response.url, str(exc))
            return
        self._count(source, "discovery_ok")
        for entry in entries:
            hints = {"title": entry.title, "published_raw": entry.published_raw}
            yield from self._article(entry.url, response.url, source, "feed", hints)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        source = self._source(response)
        if self._unchanged(response, source):
            return
        try:
            sitemap = read_sitemap(response.body)
        except SitemapError as exc:
            self._discovery_failed(source, response.url, str(exc))
            return
        self._count(source, "discovery_ok")
        for entry in sitemap.entries:
            published = entry.news_published
            changed = parse_date(entry.lastmod, timezone=source.timezone)
            when = parse_date(published, timezone=source.timezone) if published else changed
            if not within(when, source.max_age_days):
                self.crawler.stats.inc_value("warta/discovery/too_old")
                continue
            if sitemap.is_index:
                yield self._discovery(entry.loc, source, "sitemap", self.parse_sitemap)
            elif source.matches_article(entry.loc):
                hints = {"title": entry.news_title, "published_raw": published}
                yield from self._article(entry.loc, response.url, source, "sitemap", hints,
                                         changed)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        source = self._source(response)
        if self._unchanged(response, source):
            return
        if not isinstance(response, TextResponse):
            self._discovery_failed(source, response.url, "listing page is not HTML")
            return
        self._count(source, "discovery_ok")
        for link in LinkExtractor(unique=True).extract_links(response):
            url = canonicalize_url(link.url, host_aliases=source.host_map)
            if source.matches_article(url):
                yield from self._article(url, response.url, source, "listing", {})

    def _article(self, url: str, base: str, source: Source, via: str,
                 hints: dict[str, Any], changed: datetime | None = None,
                 ) -> Iterator[scrapy.Request]:
        canonical = canonicalize_url(url, base, source.host_map)
        if not source.owns(canonical):
            self.crawler.stats.inc_value("warta/discovery/offsite")
            return
        if not self._due(canonical, changed):
            self.crawler.stats.inc_value("warta/discovery/already_archived")
            return
        self.crawler.stats.inc_value(f"warta/discovery/{via}")
        meta = {"source": source.name, "kind": "article", "via": via,
                "hints": {k: v for k, v in hints.items() if v}}
        pages = source.pages
        if pages and pages.all_in_one and (pages.prefer == "all_in_one" or not pages.next):
            meta["page1"] = canonical
            yield scrapy.Request(all_in_one_url(canonical, pages.all_in_one), meta=meta,
                                 callback=self.parse_article, errback=self.on_all_in_one_error)
            return
        yield scrapy.Request(canonical, callback=self.parse_article, errback=self.on_error,
                             meta=meta)

    def on_all_in_one_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        """No all-in-one view after all: fetch page 1 and follow the pager."""
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("warta/pages/all_in_one_failed")
        meta = {k: v for k, v in request.meta.items() if k in ("source", "kind", "via", "hints")}
        yield scrapy.Request(request.meta["page1"], callback=self.parse_article,
                             errback=self.on_error, meta=meta)

    def _due(self, url: str, changed: datetime | None) -> bool:
        """Fetch unless archived recently and not changed since (per the sitemap's lastmod)."""
        last = self.known.get(url)
        if last is None:
            return True
        fetched = datetime.fromisoformat(last.replace("Z", "+00:00"))
        if changed is not None and changed > fetched:
            return True
        return datetime.now(UTC) - fetched >= self.recheck_after

    # -- articles -------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Page]:
        source = self._source(response)
        ctype = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if not isinstance(response, TextResponse) or (ctype and ctype not in _HTML_TYPES):
            self.crawler.stats.inc_value("warta/dropped/not_html")
            self._count(source, "dropped")
            logger.warning("source %s: %s is not HTML (%s), skipped", source.name, response.url,
                           ctype.decode("latin-1") or "unknown type")
            return
        html, encoding = decode_html(response)
        page = Page(
            url=response.url,
            html=html,
            source=source.name,
            fetched_at=datetime.now(UTC).isoformat(),
            requested_url=response.request.url if response.request else response.url,
            status=response.status,
            encoding=encoding,
            discovered_via=response.meta.get("via"),
            hints=dict(response.meta.get("hints") or {}),
        )
        if "page1" in response.meta:
            page.hints["canonical_url"] = response.meta["page1"]
            page.pages_via = "all_in_one"
            self.crawler.stats.inc_value("warta/pages/all_in_one")
            yield page
        elif source.pages and (source.pages.next or source.pages.prefer == "pager"):
            yield from self._follow_pager(response, page, source,
                                          [canonicalize_url(response.url)], {_digest(response)})
        else:
            yield page

    def _follow_pager(self, response: TextResponse, page: Page, source: Source,
                      seen: list[str], digests: set[str]) -> Iterator[Page | scrapy.Request]:
        """Request the next page of a split article, or yield the gathered article."""
        assert source.pages is not None
        nxt = next_page(response, source.pages.next)
        page1 = seen[0]
        if nxt is None or not same_article(page1, nxt):
            yield self._pager_done(page, complete=True)
        elif nxt in seen or len(seen) >= source.pages.max_pages:
            logger.warning("source %s: pager of %s stopped after %d pages (%s)", source.name,
                           page1, len(seen), "loop" if nxt in seen else "page bound")
            yield self._pager_done(page, complete=False)
        else:
            yield scrapy.Request(nxt, callback=self.parse_next_page, errback=self.on_page_error,
                                 meta={"source": source.name, "kind": "article-page",
                                       "pager": (page, seen + [nxt], digests)},
                                 dont_filter=True)

    def parse_next_page(self, response: Response) -> Iterator[Page | scrapy.Request]:
        source = self._source(response)
        page, seen, digests = response.meta["pager"]
        if not isinstance(response, TextResponse):
            yield self._pager_done(page, complete=False)
            return
        if _digest(response) in digests:  # the "next" page is one we already have: a loop
            logger.warning("source %s: pager of %s stopped after %d pages (loop)",
                           source.name, seen[0], len(seen) - 1)
            yield self._pager_done(page, complete=False)
            return
        page.extra_pages.append(decode_html(response)[0])
        yield from self._follow_pager(response, page, source, seen, digests | {_digest(response)})

    def on_page_error(self, failure: Failure) -> Iterator[Page]:
        request = failure.request  # type: ignore[attr-defined]
        page, seen, _ = request.meta["pager"]
        logger.warning("source %s: page %d of %s failed: %s", page.source, len(seen),
                       seen[0], failure.getErrorMessage())
        yield self._pager_done(page, complete=False)

    def _pager_done(self, page: Page, *, complete: bool) -> Page:
        if page.extra_pages:
            page.pages_via = "pager"
            page.hints["canonical_url"] = canonicalize_url(page.requested_url or page.url)
            self.crawler.stats.inc_value("warta/pages/joined")
        if not complete:
            page.complete = False
            self.crawler.stats.inc_value("warta/pages/incomplete")
        return page

    # -- errors and counts ----------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = self.sources.get(request.meta.get("source", ""))
        kind = request.meta.get("kind", "page")
        reason = failure.getErrorMessage() or failure.type.__name__
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        if source is None:
            return
        if kind == "article":
            self._count(source, "pages_failed")
            logger.warning("source %s: article %s failed: %s", source.name, request.url, reason)
        else:
            self._discovery_failed(source, request.url, f"{kind} failed: {reason}")

    def _discovery_failed(self, source: Source, url: str, why: str) -> None:
        self._count(source, "discovery_failed")
        logger.error("source %s: %s: %s", source.name, url, why)

    def _count(self, source: Source, key: str) -> None:
        self.crawler.stats.inc_value(f"warta/source/{source.name}/{key}")

    def _source(self, response: Response) -> Source:
        return self.sources[response.meta["source"]]


def _digest(response: Response) -> str:
    return hashlib.sha1(response.body).hexdigest()  # noqa: S324 - identity, not security


def decode_html(response: TextResponse) -> tuple[str, str]:
    """The page's text, re-decoded from the bytes when the declared charset was wrong."""
    ctype = response.headers.get(b"Content-Type")
    return decode_bytes(response.body, ctype.decode("latin-1") if ctype else None)
