"""Typed items that flow from the spider through the pipelines into the archive.

The spider only yields :class:`Page` (what was fetched); the extraction pipeline turns a page
into an :class:`Article`; later pipelines refine the article; the archive stores it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Page:
    """One fetched HTML page, before any extraction."""

    url: str
    """The URL the page was finally served from (after redirects)."""
    html: str
    """The decoded HTML text."""
    source: str | None = None
    """Name of the configured source that led to the page."""
    fetched_at: str | None = None
    """When the page was fetched, ISO-8601 UTC."""
    requested_url: str | None = None
    """The canonical URL that was requested (before redirects)."""
    status: int = 200
    """HTTP status of the response."""
    encoding: str | None = None
    """Character encoding the HTML was decoded with."""
    discovered_via: str | None = None
    """How the URL was found: feed, sitemap or listing."""
    hints: dict[str, Any] = field(default_factory=dict)
    """What the feed or sitemap said about the article (title, published date), and the
    page-1 URL (``canonical_url``) when the page is an all-in-one or pager view."""
    extra_pages: list[str] = field(default_factory=list, repr=False)
    """HTML of pages 2..N of an article split over several pages, in order."""
    pages_via: str = "single"
    """How the whole text was fetched: ``single``, ``all_in_one`` or ``pager``."""
    complete: bool = True
    """False when a pager was cut short (a loop, the page bound, or a failed page)."""


@dataclass
class Article:
    """An extracted, cleaned news article as stored in the archive."""

    url: str
    """The URL the article was fetched from."""
    canonical_url: str
    """The article's one canonical URL (the archive's identity for it)."""
    title: str | None = None
    """Headline."""
    body: str = ""
    """Main text, paragraphs separated by blank lines, boilerplate removed."""
    authors: list[str] = field(default_factory=list)
    """Author names only (no "By", job titles or e-mail prompts)."""
    published_at: str | None = None
    """Publication time, ISO-8601 UTC (``2026-11-28T07:05:00Z``)."""
    published_raw: str | None = None
    """The publication date exactly as the page or feed wrote it."""
    published_local: str | None = None
    """Publication time in the publisher's own UTC offset (``2026-11-28T14:05:00+07:00``),
    when that offset is known (written on the page, or the source's configured zone); its
    date is the publication day as the publisher counts it. None when unknown."""
    modified_at: str | None = None
    """Last modification time, ISO-8601 UTC."""
    modified_raw: str | None = None
    """The modification date as the page wrote it."""
    lang: str | None = None
    """Language code (``id``, ``en`` ...)."""
    image: str | None = None
    """Lead image URL."""
    tags: list[str] = field(default_factory=list)
    """Tags, keywords and categories."""
    source: str | None = None
    """Name of the configured source."""
    fetched_at: str | None = None
    """When the page was fetched, ISO-8601 UTC."""
    description: str | None = None
    """The page's own summary (meta description), if any."""
    captions: list[str] = field(default_factory=list)
    """Image captions found inside the article (kept out of the body)."""
    extracted_with: str | None = None
    """The extractor version and source rules it was extracted with (``extraction_key``):
    reprocessing re-extracts only articles whose key is no longer current."""
    pull_quotes: list[str] = field(default_factory=list)
    """Pull quotes marked as such on the page (kept out of the body)."""
    removed: list[dict[str, str]] = field(default_factory=list)
    """Audit trail: paragraphs the cleaner removed and the rule that removed each."""
    pages: int = 1
    """Pages the stored text was joined from (1 for a single page or an all-in-one view)."""
    pages_via: str = "single"
    """How the whole text was fetched: ``single``, ``all_in_one`` or ``pager``."""
    complete: bool = True
    """False when only part of a multi-page article could be gathered."""
    entities: list[dict[str, Any]] | None = None
    """Entities in title and body (entity_id, name, type, count, first_position into
    title + "\n\n" + body, method, aliases); None when entity extraction did not run."""
    body_hash: str | None = None
    """Hash of the body's words (exact-duplicate key)."""
    minhash: bytes | None = field(default=None, repr=False)
    """MinHash signature of the body (near-duplicate key), packed uint32s."""
    duplicate_of: str | None = None
    """Id of the archived article this one duplicates (set by the archive)."""
    duplicate_kind: str | None = None
    """``exact`` or ``near`` when the article is a duplicate."""
    raw_html: str | None = field(default=None, repr=False)
    """The page's HTML, archived compressed so the article can be re-extracted."""
    extra_html: list[str] = field(default_factory=list, repr=False)
    """HTML of pages 2..N of a split article, archived with page 1."""

    def to_dict(self, *, with_html: bool = False) -> dict[str, Any]:
        """The article's fields as a plain dict (no binary signature; HTML only when asked)."""
        # shallow: fields are plain values and lists the caller only reads (asdict deep-copies)
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.pop("minhash")
        if not with_html:
            data.pop("raw_html")
            data.pop("extra_html")
        return data
