"""Scrapy item pipeline that writes each finished article into the SQLite archive."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from crawler.items import Article
from pipelines.stories import StoryClusterer, StoryDoc
from storage.archive import Archive, ArchiveError, ArchiveUnwritable, Stored
from storage.sql import atomic
from storage.stories import story_of
from warta.config import sources_from_settings
from warta.urls import article_id

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from warta.config import Source

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Stores articles (one transaction each) and counts new/updated/unchanged per source."""

    def __init__(self, db_path: str, sources: dict[str, Source], stats: StatsCollector,
                 crawler: Crawler | None = None) -> None:
        self.db_path = db_path
        self.sources = sources
        self.stats = stats
        self.crawler = crawler
        self.unwritable: str | None = None
        self.archive: Archive | None = None
        self.stories: StoryClusterer | None = None
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler.settings.get("WARTA_DB"), sources_from_settings(crawler.settings),
                   crawler.stats, crawler)

    def _assign_story(self, item: Article, aid: str, stored: Stored) -> None:
        """Put a new or changed article into its story (an unchanged one keeps its story)."""
        if self.stories is None or (stored.status == "unchanged" and
                                    story_of(self.stories.db, aid) is not None):
            return
        doc = StoryDoc(
            article_id=aid, source=item.source, title=item.title, body=item.body,
            lang=item.lang, published_at=_when(item.published_at),
            fetched_at=_when(item.fetched_at) or datetime.now(UTC),
            entity_ids=[e["entity_id"] for e in item.entities or []],
            duplicate_of=stored.duplicate.original_id if stored.duplicate else None,
        )
        assignment = self.stories.assign(doc)
        self.stats.inc_value("warta/stories/new" if assignment.is_new else "warta/stories/joined")

    def open_spider(self) -> None:
        self.archive = Archive(self.db_path)
        try:
            for source in self.sources.values():
                self.archive.save_source(source.name, source.homepage, source.lang,
                                         asdict(source))
            self.stories = StoryClusterer(self.archive.db)
        except (sqlite3.Error, ArchiveError) as exc:  # full or read-only disk: one clear line
            self._stop(f"cannot write {self.db_path}: {exc}")

    def close_spider(self) -> None:
        """Refresh the learned boilerplate of every source that got articles, then close."""
        if self.archive is None:
            return
        if self.unwritable:
            self.archive.close()
            return
        from pipelines.boilerplate import apply_learned
        from storage.boilerplate import learn_boilerplate, learned_lines

        if self.stories is not None:
            self.stories.close()

        for name in sorted(self.seen - {""}):
            source = self.sources.get(name)
            before = learned_lines(self.archive.db, name)
            lines = learn_boilerplate(self.archive.db, name,
                                      keep=source.clean_keep if source else ())
            self.stats.set_value(f"warta/clean/learned_lines/{name}", len(lines))
            new = learned_lines(self.archive.db, name) - before
            if new:  # clean what this crawl (and earlier ones) stored with those lines
                changed = apply_learned(self.archive, name, new)
                self.stats.inc_value("warta/clean/articles_recleaned", changed)
        self.archive.close()

    def _stop(self, message: str) -> None:
        """Nothing more can be stored: say so once and close the spider."""
        if self.unwritable:
            return
        self.unwritable = message
        self.stats.set_value("warta/archive/unwritable", message)
        logger.error("archive unwritable, stopping the crawl: %s", message)
        if self.crawler is not None and self.crawler.engine is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_unwritable"))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        assert self.archive is not None
        if item.source and item.source not in self.sources and item.source not in self.seen:
            # an ingested article may name a source the config does not have
            self.archive.save_source(item.source, "", item.lang or "", {"ingested": True})
        self.seen.add(item.source or "")
        record = item.to_dict()
        record["id"] = article_id(item.canonical_url)
        try:
            # the article, its duplicate links, entities and story move together or not at all
            with atomic(self.archive.db):
                stored = self.archive.store_article(record, item.raw_html, minhash=item.minhash,
                                                    extra_html=item.extra_html)
                self._assign_story(item, record["id"], stored)
        except sqlite3.Error as exc:
            self.stats.inc_value("warta/archive/errors")
            if self.stories is not None:
                self.stories.reset()  # the rolled-back assignment must leave memory too
            raise DropItem(f"cannot assign a story to {item.url}: {exc}",
                           log_level="ERROR") from None
        except ArchiveUnwritable as exc:
            if self.stories is not None:
                self.stories.reset()
            self.stats.inc_value("warta/archive/errors")
            self._stop(str(exc))
            raise DropItem(str(exc), log_level="DEBUG") from None
        except ArchiveError as exc:
            self.stats.inc_value("warta/archive/errors")
            if self.stories is not None:
                self.stories.reset()
            raise DropItem(str(exc), log_level="ERROR") from None
        self.stats.inc_value(f"warta/articles/{stored.status}")
        if stored.refreshed:
            self.stats.inc_value("warta/articles/refreshed")
        if item.source:
            self.stats.inc_value(f"warta/source/{item.source}/articles_{stored.status}")
        if stored.duplicate is not None:
            item.duplicate_of = stored.duplicate.original_id
            item.duplicate_kind = stored.duplicate.kind
            kind = "exact_duplicate" if stored.duplicate.kind == "exact" else "near_duplicate"
            self.stats.inc_value(f"warta/dedup/{kind}")
        item.raw_html = None  # the archive has it; do not keep pages in memory
        item.extra_html = []
        return item


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
