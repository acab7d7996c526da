"""Item pipelines: page -> extracted article -> cleaned article -> archive.

:func:`article_from_html` runs one page through the same extraction and cleaning code the
Scrapy pipelines use, with no Scrapy and no database (tests, reprocessing, evaluation).
"""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.items import Article, Page
from pipelines.boilerplate import clean_article
from pipelines.errors import NotAnArticle
from pipelines.extract import extract_article
from warta.config import Source, load_config
from warta.encoding import decode_html

__all__ = ["Article", "NotAnArticle", "article_from_html"]


def article_from_html(
    html: str | bytes,
    url: str,
    source: str | Source | None = None,
    *,
    fetched_at: str | None = None,
) -> Article:
    """Extract and clean one page.

    ``source`` is a configured source's name (looked up in the default config), a
    :class:`~warta.config.Source`, or None for an unknown site. ``fetched_at`` (ISO-8601)
    anchors relative dates such as "2 jam yang lalu"; it defaults to now.
    Raises :class:`NotAnArticle` (with ``.reason``) when the page is not an article.
    """
    src = load_config().select([source])[0] if isinstance(source, str) else source
    if isinstance(html, bytes):
        html = decode_html(html)[0]
    page = Page(
        url=url,
        html=html,
        source=src.name if src else None,
        fetched_at=fetched_at or datetime.now(UTC).isoformat(),
    )
    return clean_article(extract_article(page, src), src)
