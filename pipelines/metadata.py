"""Structured metadata of a page: JSON-LD, OpenGraph, meta tags, ``<time>`` and links.

Everything here reads the one parsed lxml tree; nothing is parsed twice. Values are returned
raw (strings as the page wrote them); dates are normalised later by :mod:`pipelines.dates`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "techarticle", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
    "liveblogposting", "scholarlyarticle", "report", "posting", "socialmediaposting",
}
LISTING_TYPES = {"collectionpage", "itemlist", "website", "searchresultspage", "profilepage",
                 "aboutpage", "contactpage"}
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "publishdate",
    "publish-date", "pubdate", "date", "dc.date", "dc.date.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "content_publisheddate", "publish_date",
    "article.published", "cxenseparse:recs:publishtime", "dtk:publishdate",
)
_MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "dcterms.modified",
    "last-modified", "content_modifieddate", "article.updated",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author",
                "content_author", "dtk:author")
_TAG_META = ("article:tag", "news_keywords", "keywords", "parsely-tags", "content_tag")
_SPACE = re.compile(r"\s+")


@dataclass
class Metadata:
    """What a page says about itself in machine-readable form."""

    title: str | None = None
    headline_candidates: list[str] = field(default_factory=list)
    site_name: str | None = None
    authors: list[str] = field(default_factory=list)
    published_raw: str | None = None
    published_others: list[str] = field(default_factory=list)
    """Publication dates of the meta tags, one per tag name, besides ``published_raw``."""
    modified_raw: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    canonical: str | None = None
    lang: str | None = None
    region: str | None = None
    """The language tag's region ("GB" in "en-GB"): it decides English numeric date order."""
    descriptions: list[str] = field(default_factory=list)
    """Every distinct description the page gives (meta, OpenGraph, Twitter), in that order."""
    page_type: str | None = None
    """The JSON-LD @type or og:type, lower-cased (``newsarticle``, ``website`` ...)."""
    ld_listing: bool = False
    """The page's JSON-LD says it is a listing (CollectionPage, ItemList ...)."""

    @property
    def description(self) -> str | None:
        """The page's first description (the meta one when it has one)."""
        return self.descriptions[0] if self.descriptions else None


_TAG_LINKS = etree.XPath('//a[@rel][contains(concat(" ", @rel, " "), " tag ")]')
_CANONICAL_TEST = 'link[translate(@rel, "CANONIL", "canonil")="canonical"]/@href'
_HEAD_CANONICAL = etree.XPath(_CANONICAL_TEST)
"""The canonical link among the head's children, where pages put it (no walk of the page)."""
_CANONICAL = etree.XPath("//" + _CANONICAL_TEST)


def text_of(el: Any) -> str:
    """Whitespace-normalised text content of an element."""
    return _SPACE.sub(" ", el.text_content() if hasattr(el, "text_content") else str(el)).strip()


def read_metadata(tree: lxml_html.HtmlElement, url: str) -> Metadata:
    """Collect the page's structured metadata, JSON-LD first, then OpenGraph and meta tags."""
    meta = _meta_tags(tree)
    objects = _jsonld_objects(tree)
    ld = _jsonld_article(objects)
    md = Metadata()
    md.ld_listing = bool(ld) and (_ld_type(ld) or "").lower() in LISTING_TYPES

    md.page_type = (_ld_type(ld) if ld else None) or (meta.get("og:type") or [None])[0]
    if md.page_type:
        md.page_type = md.page_type.lower()

    headline = _first_str(ld.get("headline")) if ld else None
    candidates = [headline, *meta.get("og:title", []), *meta.get("twitter:title", [])]
    md.headline_candidates = [c for c in (_clean(x) for x in candidates) if c]
    title = tree.find("head/title")  # a child path: "//head/title" walks the whole page
    md.title = _clean(text_of(title)) if title is not None else None
    md.site_name = _clean((meta.get("og:site_name") or [None])[0])

    md.authors = _ld_authors(ld.get("author"), objects) if ld else []
    if not md.authors:
        md.authors = [a for a in meta_all(meta, _AUTHOR_META) if not a.startswith("http")]
    if not md.authors:
        md.authors = _labelled_twitter_data(meta)

    md.published_raw = (_first_str(ld.get("datePublished")) if ld else None) or _first(
        meta, _PUBLISHED_META) or _itemprop(tree, "datePublished")
    # the other places a publication date is written, one per kind (a cross-check on JSON-LD)
    md.published_others = [values[0] for k in _PUBLISHED_META if (values := meta.get(k))]
    md.modified_raw = (_first_str(ld.get("dateModified")) if ld else None) or _first(
        meta, _MODIFIED_META) or _itemprop(tree, "dateModified")

    image = _ld_image(ld.get("image")) if ld else None
    image = image or _first(meta, ("og:image", "og:image:url", "twitter:image",
                                   "twitter:image:src"))
    md.image = urljoin(url, image) if image else None

    tags: list[str] = []
    if ld:
        for key in ("keywords", "articleSection"):
            tags.extend(_split_tags(ld.get(key)))
    for value in meta_all(meta, _TAG_META):
        tags.extend(_split_tags(value))
    tags.extend(text_of(a) for a in _TAG_LINKS(tree))
    md.tags = _unique(t for t in tags if t and len(t) < 80)

    head = tree.find("head")
    canon = (_HEAD_CANONICAL(head) if head is not None else []) or _CANONICAL(tree)
    canonical = (canon[0] if canon else None) or _first(meta, ("og:url",))
    md.canonical = urljoin(url, canonical.strip()) if canonical and canonical.strip() else None

    lang = tree.get("lang") or tree.get("xml:lang") or _first(
        meta, ("content-language", "og:locale", "language", "dc.language"))
    parts = lang.replace("_", "-").lower().strip().split("-") if lang else []
    md.lang = parts[0] or None if parts else None
    md.region = parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else None
    md.descriptions = _unique(filter(None, map(_clean, meta_all(
        meta, ("description", "og:description", "twitter:description")))))
    return md


_WRITTEN_BY = re.compile(r"^(written by|author|autor|auteur|autore|penulis|ditulis oleh|"
                         r"geschrieben von|verfasst von|escrito por|écrit par|scritto da|"
                         r"geschreven door)$", re.IGNORECASE)


def _labelled_twitter_data(meta: dict[str, list[str]]) -> list[str]:
    """The author in the label/data pairs an SEO plugin writes for link previews
    (``twitter:label1`` "Written by", ``twitter:data1`` the name: Yoast on WordPress)."""
    for n in range(1, 5):
        label, data = meta.get(f"twitter:label{n}"), meta.get(f"twitter:data{n}")
        if label and data and _WRITTEN_BY.match(label[0].strip()):
            return [data[0]]
    return []


def meta_all(meta: dict[str, list[str]], keys: tuple[str, ...]) -> list[str]:
    """Every value of the given meta keys, in key order."""
    return [v for k in keys for v in meta.get(k, []) if v]


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content and content.strip():
            out.setdefault(key.strip().lower(), []).append(content.strip())
    return out


def _first(meta: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    values = meta_all(meta, keys)
    return values[0] if values else None


def _itemprop(tree: lxml_html.HtmlElement, prop: str) -> str | None:
    for el in tree.xpath(f'//*[@itemprop="{prop}"]'):
        value = el.get("datetime") or el.get("content") or text_of(el)
        if value:
            return value
    return None


def _jsonld_objects(tree: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            # Pages often end JSON-LD with a stray comma or HTML comment; try once without.
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.strip("<!->")), strict=False)
            except ValueError:
                continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                found.append(obj)
                if isinstance(obj.get("@graph"), list):
                    stack.extend(obj["@graph"])
                if isinstance(obj.get("mainEntity"), dict):
                    stack.append(obj["mainEntity"])
    return found


def _ld_type(obj: dict[str, Any]) -> str | None:
    t = obj.get("@type")
    if isinstance(t, list):
        t = next((x for x in t if isinstance(x, str)), None)
    return t if isinstance(t, str) else None


def _jsonld_article(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's article object in JSON-LD, or a listing object, or the first object that
    carries a publication date (a WebPage, say), or {}."""
    for obj in objects:
        if (_ld_type(obj) or "").lower() in ARTICLE_TYPES:
            return obj
    for obj in objects:
        if (_ld_type(obj) or "").lower() in LISTING_TYPES - {"website"}:
            return obj
    for obj in objects:
        if obj.get("datePublished") and (_ld_type(obj) or "").lower() != "website":
            return obj
    return {}


def _ld_authors(value: Any, objects: list[dict[str, Any]] = ()) -> list[str]:
    """Author names; a reference ({"@id": ...}, as Yoast's @graph writes them) is looked up
    among the page's other JSON-LD objects."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
            item = next((o for o in objects if o.get("@id") == item["@id"] and "name" in o), item)
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(str(n) for n in name)
            if isinstance(name, str):
                names.append(name)
        elif isinstance(item, str) and not item.startswith("http"):
            names.append(item)
    return names


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) and value.strip() else None


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _split_tags(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if isinstance(v, str | int)]
    if isinstance(value, str):
        return [v.strip() for v in value.split(",")]
    return []


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    if "&" in value and ";" in value:  # double-encoded entities ("R&amp;uuml;ckbau")
        value = html.unescape(value)
    value = _SPACE.sub(" ", value).strip()
    return value or None


def _unique(values: Any) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        seen.setdefault(v.casefold(), v)
    return list(seen.values())
