"""Turn a fetched page into an :class:`~crawler.items.Article`: one parse, every field.

Structured metadata (JSON-LD, OpenGraph, meta) comes first; the source's selectors
(``[sources.NAME.extract]``) override it where a site needs them; visible text and the URL
are the last resort. The is-article gate lives here too: pages that are not articles raise
:class:`~pipelines.errors.NotAnArticle` with a short reason.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, cached_property
from itertools import chain, islice
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree
from scrapy.exceptions import DropItem

from crawler.items import Article, Page
from pipelines.body import (
    CREDIT_LABEL,
    LARGE_PAGE_ELEMENTS,
    class_attributes,
    elements_with_class,
    extract_body,
    page_size,
    parse_html,
    select,
)
from pipelines.dates import (
    date_order_of,
    has_year,
    parse_date,
    publisher_local,
    to_iso,
    to_local_iso,
    written_offset,
    zone_of_region,
)
from pipelines.errors import NotAnArticle
from pipelines.htmldate_fallback import page_date
from pipelines.lead import find_lead, find_loose_start
from pipelines.metadata import ARTICLE_TYPES, Metadata, read_metadata, text_of
from warta.config import Source, sources_from_settings
from warta.urls import canonicalize_url, country_of_host

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

MIN_WORDS = 40
"""Bodies shorter than this are not stored unless the page declares itself an article."""
MIN_WORDS_DATED = 15
LISTING_MAX_WORDS = 150
_TITLE_SPLIT = re.compile(r"\s+[|\-–—:·•»]\s+|\s+&raquo;\s+")
_ERROR_TITLE = re.compile(
    r"\b(404|410|page not found|not found|halaman tidak ditemukan|tidak ditemukan|"
    r"error \d{3}|server error|page unavailable|halaman tidak tersedia)\b",
    re.IGNORECASE,
)
_CHALLENGE = re.compile(
    r"just a moment|attention required|checking (if the site connection is secure|your browser)|"
    r"are you a (robot|human)|verify you are (a )?human|captcha|access denied|ddos protection|"
    r"enable javascript and cookies to continue|request unsuccessful",
    re.IGNORECASE,
)
_CONSENT = re.compile(
    r"(we|this site) use[s]? cookies|cookie (settings|preferences|policy)|accept all|"
    r"consent to (the use|our use)|manage (your )?(privacy|consent)|before you continue|"
    r"persetujuan cookie|kami menggunakan cookie",
    re.IGNORECASE,
)
GATE_TEXT_WORDS = 150
"""Challenge, consent and error wording only decides for pages with less text than this."""
_DATE_CLASS = re.compile(
    r"(^|[ _-])(date|time|posted|published|publish|pubdate|tanggal|entry-meta|post-meta|"
    r"meta-date|byline)", re.IGNORECASE)
_AUTHOR_CLASS = re.compile(r"(^|[ _-])(author|byline|autor|redakteur|verfasser|penulis)",
                           re.IGNORECASE)
_OUTSIDE_ARTICLE = re.compile(
    r"sidebar|widget|related|comment|footer|popular|terpopuler|recommend|listing", re.IGNORECASE)
"""Class or id words of blocks about other articles (a "listing" lists them with their own
authors and dates)."""
MAX_PAGE_ELEMENTS = 100_000
"""A page with more elements is refused (``too_large``): ten times the largest corpus page;
work per page grows with its size, so this bounds the time one page can take (~8 s here)."""
_UPDATED = re.compile(r"\b(?:updated?|modified|edited|aktualisiert|geändert|diperbarui|"
                      r"mis à jour|actualizad[oa]|aggiornato|bijgewerkt)\b", re.IGNORECASE)
"""A written date that says it is the last update, not the publication."""
_CHROME_ROLES = frozenset({"banner", "navigation", "complementary", "contentinfo"})
"""ARIA landmarks of the page around the article: site header, menus, sidebars, footer."""
_URL_DATE = re.compile(r"/(20\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=[/-])")
# One-word byline labels ("By Jane", "Oleh Andi"): dropped in front of a name, never a name
_LABEL_WORDS = ("by", "oleh", "penulis", "reporter", "editor", "autor", "autorin", "author",
                "von", "vom", "par", "por", "di", "door", "av", "af")
_BYLINE_PREFIX = re.compile(
    # a label of several words may run straight into the name ("Veröffentlicht vonChris Jung")
    r"^((published|posted|written|words|reported) by|(veröffentlicht|erstellt|geschrieben|verfasst)"
    r" von|ein beitrag von|(publié|écrit) par|(publicado|escrito) por|(pubblicato|scritto) da|"
    r"(ditulis|dipublikasikan|diterbitkan) oleh|geplaatst door)\s*:?\s*|"
    rf"^({'|'.join(_LABEL_WORDS)})\s*:?\s+|"
    # labels that only say so with a colon ("Text und Interview: Harald Willenbrock")
    r"^((text|texte|testo|tekst|interview|auteur|auteure|autore|artikel|beitrag)"
    r"( (und|and|et|e|y|dan|&) (text|texte|interview|fotos?|photos?|bilder))?"
    r"( von| by| de)?)\s*:\s*",
    re.IGNORECASE)
_CREDIT = rf"({CREDIT_LABEL}|illustration|grafik|video)\s*:"
_CREDIT_LINE = re.compile(rf"^{_CREDIT}", re.IGNORECASE)
"""A photo or picture credit ("Foto: Ingo Schneider") names who made a picture, not the
text; within a byline it ends the names ("Text: Jens Bergmann Foto: Michael Hudler")."""
_CREDIT_AFTER = re.compile(rf"\s+{_CREDIT}.*", re.IGNORECASE)
_DAYS = ("montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|"
         "thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
         "senin|selasa|rabu|kamis|jumat|sabtu|minggu")
_DATE_AFTER = re.compile(rf"\s+(am|on|le|el|pada|il|op|vom|den|du|del)\s+(\d|({_DAYS})\b).*",
                         re.IGNORECASE)
"""The date that follows the name in a byline ("Moritz Gathmann am 21. April 2020")."""
_HANDLE_AFTER = re.compile(r"\s+@\w+$")
"""A social handle after the name ("Williams Perdomo @wperdomod")."""
_FOR_OUTLET = re.compile(r"^([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,2})\s+(?i:for)\s+[A-Z].*$")
"""A name and the outlet written for ("Brendan Carlin For The Mail"): a first and last name
before the "for", so that "Society for Science" stays whole."""
_DAY_NAME = re.compile(rf"^({_DAYS}|today|yesterday|heute|gestern)$", re.IGNORECASE)
"""A day's name where a byline was expected (a date line's first word), never a name."""

_LABEL_ONLY = re.compile(rf"^({'|'.join(_LABEL_WORDS)}|redaktion)$", re.IGNORECASE)
_PARENS = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
_DEGREE = re.compile(r",?\s+(phd|ph\.d\.|md|m\.d\.|dr\.?)$", re.IGNORECASE)
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
_BYLINE_LABELS = ("penulis", "oleh", "by", "reporter", "written by", "words by", "kontributor")
_LABELLED_BYLINE = re.compile(
    rf"^({'|'.join(_BYLINE_LABELS)})\s*:?\s*$|^(penulis|oleh|reporter|kontributor)\s*:",
    re.IGNORECASE)
_BYLINE_LABEL_WORDS = tuple(dict.fromkeys(label.split()[0] for label in _BYLINE_LABELS))
"""The words _LABELLED_BYLINE's alternatives start with (a cheap test before it)."""
_ITEMPROP_AUTHORS = etree.XPath(  # not a picture's: that is its photographer
    '//body//*[@itemprop="author"][not(self::meta or self::link or self::figcaption)]'
    '[not(ancestor::figure or ancestor::figcaption)]')
_FIRST_TEXTS = etree.XPath("//body//text()[1]", smart_strings=False)
"""Each element's first text (scripts' and styles' too: this only pre-tests for a label word,
and leaving them out cost a test per element, 1.6 ms a page against 0.7)."""
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bdan\b|\|)\s*", re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"@|https?:|\d|\b[\w-]+\.(com|org|net|de|at|ch|id|co|uk|fr|it|es|nl|info|news|io)\b|"
    r"\b(email|e-mail|the author|staff writer|contributor|editor|reporter|correspondent|senior|"
    r"writer|journalist|updated|posted|min read|follow|twitter|profile|view my|redaktion|"
    r"facebook|instagram|linkedin|whatsapp|telegram|youtube|tiktok|pinterest|"
    r"chefredakteur|weitere artikel|alle artikel|mehr artikel|more articles|all posts|view all|"
    r"anzeigen|archiv|archive|show all|afficher|profil|alle beiträge|tous les articles)\b|"
    r"^(weiter|more|mehr|next|previous)$",
    re.IGNORECASE,
)


EXTRACTOR_VERSION = "2026-11-30.5"
"""Bump when a change to extraction code should reach archived articles: ``warta reprocess``
re-extracts the articles extracted by another version (or other source rules) and only
re-cleans the rest."""


def extraction_key(source: Source | None) -> str:
    """What an article's extraction depended on besides its HTML: the extractor's version and
    the source's extraction rules, language and zone (12 hex digits)."""
    rules = (repr(source.extract), source.lang, source.timezone) if source else ()
    return hashlib.sha256(repr((EXTRACTOR_VERSION, rules)).encode()).hexdigest()[:12]


def extract_article(page: Page, source: Source | None = None) -> Article:
    """Extract every field of an article from ``page``; raise NotAnArticle if it is none."""
    tree, large = _parse_bounded(page.html)
    classes = class_attributes(tree)  # read once: dates, bylines and the body all look at them
    md = read_metadata(tree, page.url)
    hints = source.extract if source else None
    fetched = _fetched(page.fetched_at)
    lang = md.lang if md.lang and len(md.lang) == 2 else (source.lang if source else None)
    # an unknown site's naive times: the zone of its language tag's country when that has one
    region_tz = None if source else zone_of_region(md.region or country_of_host(page.url),
                                                     fetched)
    tz = source.timezone if source else (region_tz or ("Asia/Jakarta" if lang == "id" else "UTC"))

    title = _title(tree, md, hints.title if hints else None, page.hints.get("title"),
                   page.html)
    site = md.site_name
    authors = clean_authors(
        [text_of(e) for e in select(tree, hints.authors, page.html)]
        if hints and hints.authors else [],
        site) or clean_authors(md.authors, site) or _byline(tree, site, classes)

    date_order = (hints.date_order if hints else None) or date_order_of(lang, md.region)
    published_raw, published = None, None
    @cache  # a <time>'s text is parsed to compare it with its attribute, then taken
    def parse(raw: str) -> datetime | None:
        return parse_date(raw, lang=lang, timezone=tz, date_order=date_order,
                          relative_base=fetched)

    header = _HeaderDates(tree, classes)
    for raw in _date_candidates(tree, md, page, hints.date if hints else None, parse, header):
        published = parse(raw)
        if published is not None:
            published_raw = raw
            break
    if published is None:
        # htmldate's heuristics (page text, many formats) as the last resort: day only.
        # Tried as a check on visible-text dates too: no better on the corpus, and slower.
        published_raw = page_date(tree, page.url, lang=lang, extensive=not large)
        published = parse_date(published_raw, timezone=tz) if published_raw else None
    published = _year_from_url(published, published_raw, page.url, tz)
    if published is not None and published_raw == md.published_raw and not (hints and hints.date):
        published_raw, published = _consensus(published_raw, published, md, lang, tz,
                                              date_order, fetched)
    # the same moment written elsewhere as local wall-clock time: in the article's header,
    # else in another meta tag ("sailthru.date" 22:28:35 beside JSON-LD's 03:28:35Z)
    local = publisher_local(published, published_raw, timezone=source.timezone if source else None,
                            others=chain(header(), md.published_others), lang=lang,
                            region_zone=region_tz)
    modified = parse_date(md.modified_raw, lang=lang, timezone=tz, date_order=date_order,
                          relative_base=fetched)

    body = extract_body(tree, page.url, body_selector=hints.body if hints else None,
                        drop=hints.drop if hints else (), large=large, classes=classes,
                        markup=page.html)
    for extra in page.extra_pages:  # pages 2..N of a split article, in order
        extra_tree, extra_large = _parse_bounded(extra, "a later page: ")
        more = extract_body(extra_tree, page.url,
                            body_selector=hints.body if hints else None,
                            drop=hints.drop if hints else (), large=extra_large,
                            markup=extra)
        body.paragraphs.extend(more.paragraphs)
        body.captions.extend(c for c in more.captions if c not in body.captions)
        body.pull_quotes.extend(q for q in more.pull_quotes if q not in body.pull_quotes)
    _gate(tree, title, md, body.paragraphs, published is not None)
    if body.method == "generic":  # a source's body selector says what its text is
        loose = find_loose_start(tree, body.paragraphs)
        if loose:
            body.paragraphs.insert(0, loose)
        lead = find_lead(tree, md.descriptions, body.paragraphs, title, page.html)
        if lead is not None:
            body.paragraphs[lead.at:lead.at] = lead.paragraphs

    return Article(
        url=page.url,
        canonical_url=_canonical(page, md, source),
        title=title,
        body="\n\n".join(body.paragraphs),
        authors=authors,
        published_at=to_iso(published),
        published_raw=published_raw if published else None,
        published_local=to_local_iso(local),
        modified_at=to_iso(modified),
        modified_raw=md.modified_raw if modified else None,
        lang=lang,
        image=md.image,
        tags=md.tags,
        source=page.source,
        fetched_at=to_iso(fetched),
        description=md.description,
        captions=body.captions,
        pull_quotes=body.pull_quotes,
        pages=1 + len(page.extra_pages),
        pages_via=page.pages_via,
        complete=page.complete,
        # reprocessing an archived page must not rewrite the archive's copy of it
        extracted_with=extraction_key(source),
        raw_html=None if page.hints.get("archived") else page.html,
        extra_html=[] if page.hints.get("archived") else list(page.extra_pages),
    )


def clean_authors(raw: list[str], site_name: str | None = None) -> list[str]:
    """Names only: bylines split into people; prefixes, roles, initials in brackets, degrees,
    URL slugs, the site's own name and e-mail prompts removed."""
    names: list[str] = []
    site = (site_name or "").casefold()
    for item in raw:
        item = " ".join(html_lib.unescape(item).split())
        if _CREDIT_LINE.match(item):
            continue
        item = _PARENS.sub(" ", _CREDIT_AFTER.sub("", _DATE_AFTER.sub("", _BYLINE_PREFIX.sub(
            "", item))))
        for part in _AUTHOR_SPLIT.split(item):
            part = _FOR_OUTLET.sub(r"\1", _HANDLE_AFTER.sub("", _DEGREE.sub(
                "", _BYLINE_PREFIX.sub("", part.strip(" -–—·|:")))))
            words = part.split()
            if (not part or len(words) > 5 or _NOT_A_NAME.search(part) or not part[0].isalpha()
                    or _SLUG.match(part) or (site and part.casefold() == site)
                    or _LABEL_ONLY.match(part)  # a bare label ("Von") is no name
                    or _DAY_NAME.match(part) or _CREDIT_LINE.match(part)):
                continue
            if part.casefold() not in (n.casefold() for n in names):
                names.append(part)
    return names


def _parse_bounded(html: str, which: str = "") -> tuple[Any, bool]:
    """The page's tree, and whether it is large (over LARGE_PAGE_ELEMENTS: the slow body
    fallbacks are skipped); NotAnArticle("too_large") over MAX_PAGE_ELEMENTS."""
    tree = parse_html(html)
    size = page_size(tree)
    if size > MAX_PAGE_ELEMENTS:
        raise NotAnArticle("too_large", f"{which}{size} elements, over the "
                           f"{MAX_PAGE_ELEMENTS} a page may have")
    return tree, size > LARGE_PAGE_ELEMENTS


def _fetched(value: str | None) -> datetime:
    if value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    return datetime.now(UTC)


def _title(tree, md: Metadata, selector: str | None, hint: str | None,  # noqa: ANN001
           markup: str | bytes | None = None) -> str | None:
    """The headline: the source's selector, else the page heading that the metadata (or the
    feed, or the <title>) confirms, else the metadata's own headline, else the <title>."""
    if selector:
        found = [text_of(e) for e in select(tree, selector, markup)]
        if found and found[0]:
            return found[0]
    headings = [t for t in (text_of(h) for h in tree.xpath("//h1 | //h2")[:30]) if t]
    parts = _title_parts(md.title, md.site_name)
    for cand in [*md.headline_candidates, *([hint] if hint else []), *parts]:
        key = cand.casefold()
        for heading in headings:
            h = heading.casefold()
            if h == key or (key.startswith(h) and len(h) > 0.6 * len(key)):
                return heading
    if md.headline_candidates:
        return _strip_site(md.headline_candidates[0], md.site_name)
    if hint:
        return hint
    return parts[0] if parts else (headings[0] if headings else None)


def _title_parts(title: str | None, site: str | None) -> list[str]:
    """The <title>'s parts, longest first, without the site's name."""
    if not title:
        return []
    parts = [p for p in _TITLE_SPLIT.split(title) if p and p.casefold() != (site or "").casefold()]
    return sorted(parts, key=len, reverse=True) if len(parts) > 1 else [title]


def _strip_site(title: str | None, site: str | None) -> str | None:
    """Drop a trailing " | Site" / " - Site" part from a <title>."""
    if not title:
        return title
    parts = _TITLE_SPLIT.split(title)
    if len(parts) > 1:
        last = parts[-1].casefold()
        if (site and site.casefold() in last) or len(parts[-1].split()) <= 3:
            return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title


def _in_article_chrome(el) -> bool:  # noqa: ANN001
    """True when ``el`` sits in a sidebar, nav, footer, the site's banner (an edition date by
    the logo) or a related-stories block. The search stops at the article (or main) element:
    a page-wide "has-sidebar" class says nothing."""
    for anc in el.iterancestors():
        if anc.tag in ("article", "main", "body"):
            return False
        if anc.tag in ("aside", "nav", "footer") or anc.get("role") in _CHROME_ROLES:
            return True
        if _OUTSIDE_ARTICLE.search(f"{anc.get('class', '')} {anc.get('id', '')}"):
            return True
    return False


def _date_candidates(tree, md: Metadata, page: Page,  # noqa: ANN001
                     selector: str | None, parse: Callable[[str], datetime | None],
                     header: _HeaderDates) -> Iterator[str]:
    """Publication-date strings, most trustworthy first: the source's selector, structured
    metadata, the feed/sitemap, the article header's visible date, the URL's date."""
    if selector:
        for el in select(tree, selector, page.html):
            value = el.get("datetime") or el.get("content") or text_of(el)
            if value:
                yield value
    if md.published_raw:
        yield md.published_raw
    if page.hints.get("published_raw"):
        yield page.hints["published_raw"]
    yield from header(parse)
    url_date = _URL_DATE.search(page.url)
    if url_date:
        yield "-".join(url_date.groups())


def _consensus(raw: str, published: datetime, md: Metadata, lang: str | None, tz: str,
               order: str | None, fetched: datetime) -> tuple[str, datetime]:
    """The page's structured date against the publication dates of its meta tags: when two
    or more tags agree on a day more than a day away from it, they win (a stale JSON-LD
    date). Visible header dates were tried as voters too and lost pages (relative dates,
    "updated" lines)."""
    others = [o for o in dict.fromkeys(md.published_others) if o != raw]
    if len(others) < 2:
        return raw, published
    parsed = [(o, parse_date(o, lang=lang, timezone=tz, date_order=order, relative_base=fetched))
              for o in others[:8]]
    days: dict[Any, list[tuple[str, datetime]]] = {}
    for text, dt in parsed:
        if dt is not None:
            days.setdefault(dt.astimezone(ZoneInfo(tz)).date(), []).append((text, dt))
    own = published.astimezone(ZoneInfo(tz)).date()
    for day, found in days.items():
        if len(found) >= 2 and abs((day - own).days) > 1:
            # the one that says its offset, if any, is the exact moment
            return max(found, key=lambda f: written_offset(f[0]) is not None)
    return raw, published


def _year_from_url(published: datetime | None, raw: str | None, url: str,
                   tz: str) -> datetime | None:
    """A date written without its year ("06 PM | 18 Mai") got the parser's guess; when the
    URL carries the same month and day (/2014/05/18/), the URL's year is the right one."""
    url_date = _URL_DATE.search(url)
    if published is None or not raw or has_year(raw) or not url_date:
        return published
    year, month, day = map(int, url_date.groups())
    local = published.astimezone(ZoneInfo(tz))
    if (local.month, local.day) != (month, day) or local.year == year:
        return published
    try:
        return local.replace(year=year).astimezone(UTC)
    except ValueError:  # 29 February
        return published


class _HeaderDates:
    """Dates written in the article's header (not a sidebar's timestamps), found at most once
    a page: the date candidates and the publisher's offset both read them.

    Calling it yields them: a ``<time>`` gives its ``datetime`` attribute, unless (with
    ``parse``) its text is a whole date more than a day away from it and not an update
    ("Updated ..."): then the reader's date, "Publié le 29 juin 2019", wins over a technical
    timestamp (a CMS's indexing time). Then the texts of date-classed elements."""

    def __init__(self, tree, classes: list[str] | None = None) -> None:  # noqa: ANN001
        self.tree = tree
        self.classes = classes

    @cached_property
    def times(self) -> list[tuple[str | None, str]]:
        return [(el.get("datetime"), text_of(el)) for el in self.tree.iter("time")
                if not _in_article_chrome(el)]

    @cached_property
    def texts(self) -> list[str]:
        found = _class_matching(self.tree, _DATE_CLASS, self.classes)[:20]
        inner = set()  # elements holding another candidate ("entry-meta" around "posted-on")
        for el in found:
            inner.update(a for a in el.iterancestors() if a in found)
        texts = []
        for el in sorted(found, key=lambda e: e in inner):  # innermost first, else page order
            text = text_of(el)
            if 6 <= len(text) <= 80 and any(c.isdigit() for c in text) and \
                    not _in_article_chrome(el):
                texts.append(text)
        return texts

    def __call__(self, parse: Callable[[str], datetime | None] | None = None) -> Iterator[str]:
        for value, text in self.times:
            if value and text and parse is not None and has_year(text) and not _UPDATED.search(
                    text) and _disagree(parse(value), parse(text)):
                yield text
            if value or text:
                yield value or text
        yield from self.texts


def _disagree(a: datetime | None, b: datetime | None) -> bool:
    return a is not None and b is not None and abs(a - b) > timedelta(days=1)


def _class_matching(tree, pattern: re.Pattern[str],  # noqa: ANN001
                    classes: list[str] | None = None) -> list:
    """Elements (not script or style) whose class attribute ``pattern`` finds, in page order
    (``classes``: the page's class attributes when already read)."""
    return elements_with_class(tree, pattern.search, classes)


def _labelled_bylines(tree) -> Iterator:  # noqa: ANN001
    """Elements of the body whose first text ("Penulis:", "By") labels a byline."""
    # the first texts as plain strings first (no Python object per element): most pages
    # have no text that starts with a label word
    if not any(t.lstrip()[:12].casefold().startswith(_BYLINE_LABEL_WORDS)
               for t in _FIRST_TEXTS(tree)):
        return
    body = tree.find("body")
    for el in body.iterdescendants() if body is not None else ():
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        # XPath's text(): the element's own text, else the first child's tail that exists
        first = el.text if el.text is not None else next(
            (c.tail for c in el if c.tail is not None), None)
        if first and _LABELLED_BYLINE.search(" ".join(first.split())):
            yield el


def _bylines(tree, classes: list[str] | None = None) -> Iterator[list[str]]:  # noqa: ANN001
    """Candidate bylines, most trustworthy first: rel=author links, schema.org microdata
    (``itemprop="author"``), author/byline classes, a labelled line ("Penulis: ...", "Oleh
    ...", "By ..."). The caller takes the first that holds a name (an author box's first
    element may be an avatar caption or "View all")."""
    links = tree.xpath('//a[contains(concat(" ", @rel, " "), " author ")]')
    if links:
        yield [text_of(a) for a in links[:4]]
    for el in _ITEMPROP_AUTHORS(tree)[:4]:  # schema.org microdata in the page's markup
        names = el.xpath('.//*[@itemprop="name"]')
        text = text_of(names[0]) if names else text_of(el)
        if 2 < len(text) < 100 and not _in_article_chrome(el):
            yield [text]
    for el in islice(_class_matching(tree, _AUTHOR_CLASS, classes), 12):
        text = text_of(el)
        if 2 < len(text) < 100 and not _in_article_chrome(el):
            yield [text]
    for el in islice(_labelled_bylines(tree), 10):
        text = text_of(el)
        if len(text) < 100 and not _in_article_chrome(el):
            yield [text]


def _byline(tree, site: str | None = None,  # noqa: ANN001
            classes: list[str] | None = None) -> list[str]:
    """The first candidate byline that holds a name, as clean names."""
    return next((names for names in (clean_authors(c, site) for c in _bylines(tree, classes))
                 if names), [])


def _canonical(page: Page, md: Metadata, source: Source | None) -> str:
    """The page's canonical URL when it stays on the source's site, else the fetched URL."""
    aliases = source.host_map if source else None
    if page.hints.get("canonical_url"):  # an all-in-one or pager view: page 1 is the article
        return canonicalize_url(page.hints["canonical_url"], host_aliases=aliases)
    fetched = canonicalize_url(page.url, host_aliases=aliases)
    if md.canonical:
        canon = canonicalize_url(md.canonical, host_aliases=aliases)
        same_host = urlsplit(canon).netloc == urlsplit(fetched).netloc
        if same_host or (source is not None and source.owns(canon)):
            return canon
    return fetched


def _gate(tree, title: str | None, md: Metadata, paragraphs: list[str],  # noqa: ANN001
          dated: bool) -> None:
    """Raise NotAnArticle for pages that must not be stored as articles: error pages served
    with 200, bot challenges, consent walls, listings, and pages without enough text."""
    words = sum(word_count(p) for p in paragraphs)
    head = f"{title or ''} {md.title or ''}"
    short_text = " ".join(paragraphs)[:3000] if words < GATE_TEXT_WORDS else ""
    if _CHALLENGE.search(head) or (short_text and _CHALLENGE.search(short_text)):
        raise NotAnArticle("bot_challenge", f"bot challenge page: {title!r}")
    if title and _ERROR_TITLE.search(title) and len(title.split()) <= 8:
        raise NotAnArticle("error_page", f"error page: {title!r}")
    if short_text and _CONSENT.search(short_text):
        raise NotAnArticle("consent_wall", "cookie/consent wall instead of the article")
    declared = md.page_type in ARTICLE_TYPES
    if not paragraphs:
        raise NotAnArticle("no_body", "no article text found")
    if not declared and not dated and _looks_like_listing(tree, words):
        raise NotAnArticle("listing", "many headline links and little text of its own")
    # og:type "website" is set on many real articles: only a JSON-LD listing type counts,
    # and only when the page has little running text of its own.
    if md.ld_listing and not md.published_raw and words < LISTING_MAX_WORDS:
        raise NotAnArticle("listing", f"listing page ({md.page_type})")
    # a short text is still an article when the page says so or carries its date
    if not declared and words < (MIN_WORDS_DATED if dated else MIN_WORDS):
        raise NotAnArticle("too_short", f"only {words} words of text")


def _looks_like_listing(tree, words: int) -> bool:  # noqa: ANN001
    """An index page: many headline-sized links outside the page chrome, little own text."""
    headlines = [a for a in tree.iter("a")
                 if 30 <= len(text_of(a)) <= 200 and not _in_article_chrome(a)]
    return len(headlines) >= 10 and words < 20 * len(headlines)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Words in ``text``; Chinese, Japanese and Korean count a word per two characters."""
    cjk = len(_CJK.findall(text))
    return len(text.split()) + cjk // 2


class ExtractPipeline:
    """Scrapy item pipeline: turns each :class:`Page` into an :class:`Article`.

    Pages that are not articles are dropped with their reason counted under
    ``warta/dropped/<reason>``.
    """

    def __init__(self, sources: dict[str, Source], stats: StatsCollector) -> None:
        self.sources = sources
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(sources_from_settings(crawler.settings), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Page):
            outcome = extract_outcome(item, self.sources.get(item.source or ""))
        elif isinstance(item, Extracted):  # extracted in another process (reprocess --jobs)
            outcome = item
        else:
            return item
        if outcome.article is not None:
            self.stats.inc_value("warta/articles/extracted")
            return outcome.article
        if outcome.crashed:
            self.stats.inc_value("warta/dropped/extract_error")
            raise DropItem(f"extraction failed ({outcome.message}): {outcome.url}",
                           log_level="ERROR")
        self.stats.inc_value(f"warta/dropped/{outcome.reason}")
        if outcome.source in self.sources:
            self.stats.inc_value(f"warta/source/{outcome.source}/dropped")
        raise DropItem(f"not an article ({outcome.message}): {outcome.url}", log_level="INFO")


@dataclass
class Extracted:
    """What extracting one page gave: the article, or why there is none (picklable, so a
    worker process can hand it to the pipeline)."""

    url: str
    source: str | None
    article: Article | None = None
    reason: str | None = None
    message: str = ""
    crashed: bool = False


def extract_outcome(page: Page, source: Source | None = None) -> Extracted:
    """:func:`extract_article` that never raises: a page that is not an article, or one that
    broke the extractor, comes back with its reason."""
    try:
        return Extracted(page.url, page.source, extract_article(page, source))
    except NotAnArticle as exc:
        return Extracted(page.url, page.source, None, exc.reason, str(exc))
    except Exception as exc:  # noqa: BLE001 - a broken page must never stop the crawl
        return Extracted(page.url, page.source, None, "extract_error",
                         f"{type(exc).__name__}: {exc}", crashed=True)
