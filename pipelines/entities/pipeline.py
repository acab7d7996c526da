"""Scrapy item pipeline: finds each article's entities and sets ``article.entities``.

The text searched is the title, a blank line, then the body, so ``first_position`` is an
offset into ``title + "\\n\\n" + body``. Counts land in ``crawler.stats`` under
``warta/entities/...``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from crawler.items import Article
from pipelines.entities.mentions import find_mentions, summarize

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def article_text(article: Article) -> str:
    """The text entities are found in: title, blank line, body."""
    return "\n\n".join(part for part in (article.title or "", article.body or "") if part)


def entities_of_article(article: Article, *, use_model: bool = True) -> list[dict[str, Any]]:
    """Per-entity records for one article (the offline path: no Scrapy needed)."""
    return summarize(find_mentions(article_text(article), article.lang, use_model=use_model))


class EntityPipeline:
    """Sets ``item.entities`` (entity_id, name, type, count, first_position, method)."""

    def __init__(self, stats: StatsCollector | None = None, *, use_model: bool = False) -> None:
        self.stats = stats
        self.use_model = use_model

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EntityPipeline:
        return cls(crawler.stats,
                   use_model=crawler.settings.getbool("WARTA_ENTITY_MODEL", False))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        began = time.process_time()
        entities = entities_of_article(item, use_model=self.use_model)
        # Article gains a typed ``entities`` field; setattr keeps this working before that
        setattr(item, "entities", entities)  # noqa: B010
        if self.stats is not None:
            self.stats.inc_value("warta/entities/articles")
            if not entities:
                self.stats.inc_value("warta/entities/articles_without")
            self.stats.inc_value("warta/entities/entities", len(entities))
            for entry in entities:  # by the strongest evidence for each entity
                self.stats.inc_value(f"warta/entities/by_method/{entry['method']}")
            self.stats.inc_value("warta/entities/cpu_ms",
                                 round((time.process_time() - began) * 1000))
        return item
