"""The entries of a sitemap (https://www.sitemaps.org/protocol.html): a ``urlset`` of pages,
with Google News sitemap fields where present, or a ``sitemapindex`` of further sitemaps.
Gzipped sitemaps are unpacked (at most 50 MB, the protocol's limit). A document that is
none raises :class:`SitemapError` with a one-line reason.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from lxml import etree
from scrapy.utils.gz import gunzip

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_GZIP_MAGIC = b"\x1f\x8b\x08"
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


class SitemapError(ValueError):
    """Not a sitemap (or a broken gzip); the message is one line."""


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str
    lastmod: str | None = None
    news_published: str | None = None
    """Google News ``<news:publication_date>``."""
    news_title: str | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    is_index: bool
    """A sitemap index: each entry is another sitemap."""
    entries: list[SitemapEntry] = field(default_factory=list)


def read_sitemap(body: bytes) -> Sitemap:
    """The entries of a sitemap or sitemap index (gzipped or not), in document order."""
    if body[:3] == _GZIP_MAGIC:
        try:
            body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        # OSError: not gzip; EOFError: cut short; ValueError: over max_size (a gzip bomb)
        except (OSError, EOFError, ValueError, zlib.error) as exc:
            raise SitemapError(f"bad gzip sitemap: {' '.join(str(exc).split())}") from None
    body = body.strip()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser) if body else None
    except etree.XMLSyntaxError:
        root = None
    if root is None or not isinstance(root.tag, str) or not root.tag.endswith(
            ("sitemapindex", "urlset")):
        raise SitemapError("not a sitemap")
    entries = []
    for entry in root:
        if not isinstance(entry.tag, str):
            continue
        loc = (entry.findtext(f"{_SITEMAP_NS}loc") or entry.findtext("loc") or "").strip()
        if loc:
            entries.append(SitemapEntry(
                loc,
                _text(entry.findtext(f"{_SITEMAP_NS}lastmod") or entry.findtext("lastmod")),
                _text(entry.findtext(f"{_NEWS_NS}news/{_NEWS_NS}publication_date")),
                _text(entry.findtext(f"{_NEWS_NS}news/{_NEWS_NS}title"))))
    return Sitemap(root.tag.endswith("sitemapindex"), entries)


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None
