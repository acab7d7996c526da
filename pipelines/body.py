"""Main text of a page: the source's body selector when it has one, else trafilatura.

Both paths work on the one lxml tree parsed by :func:`parse_html`. Captions are lifted out
of the tree first so they never run into the body text but stay available as a field.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import cssselect
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from pipelines.cascade import extract_text
from pipelines.errors import NotAnArticle
from pipelines.keyed_xpath import value_set
from pipelines.metadata import text_of
from warta.text import line_key

_CAPTION_XPATH = '//figcaption | //*[contains(@class, "caption")][not(self::figure)]'
MAX_CAPTION_CHARS = 400
# Pull quotes repeat a sentence of the article in large type; marked by class on most themes.
_PULL_QUOTE_XPATH = ('//*[contains(@class, "pullquote") or contains(@class, "pull-quote") or '
                     'contains(@class, "wp-block-pullquote")]')
_BLOCKS = {"p", "h2", "h3", "h4", "h5", "li", "blockquote", "pre", "td", "dd"}
CREDIT_LABEL = r"(?:photos?|fotos?|images?|bild(?:er)?|gambar|credits?|kredit|sumber)"
"""The words that label a picture's credit ("Foto: Reuters"), as a regex group."""
# A photo credit at the end of a caption ("... Photo: Reuters") is not part of the caption.
_CREDIT = re.compile(rf"\s*[(\[]?\b{CREDIT_LABEL}\s*:\s*[^:()]{{1,80}}[)\]]?$", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# C0 control characters other than tab and line breaks: invalid in XML, so lxml refuses to
# copy text holding them into new elements, and trafilatura then silently returns nothing.
# Comments and processing instructions are not page text; trafilatura parses without them
# and chose other text on some pages when they were in the tree. lxml parsers are not
# thread-safe: one per thread.
_PARSERS = threading.local()


def _parser() -> lxml_html.HTMLParser:
    if not hasattr(_PARSERS, "parser"):
        # fed UTF-8 bytes: libxml2 parses them ~25% faster than a Python str, which lxml
        # has to convert first (3.1 against 3.9-4.3 ms for a 250 KB page, the encoding
        # included); the page's own charset declaration no longer applies by then
        parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True,
                                      collect_ids=False, encoding="utf-8")
        # every element an HtmlElement, chosen in C: lxml.html's own lookup is a Python
        # call for each element object made (thousands a page, 1-2 ms), to give form
        # controls their own classes (FormElement, InputElement...), which warta and the
        # extractors it runs never use
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
        _PARSERS.parser = parser
    return _PARSERS.parser


_CONTROL_BYTES = bytes((*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20)))
# Tags whose text is never article text, whatever a body selector includes.
_NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "form", "button", "svg")


@dataclass
class Body:
    """The paragraphs of an article and the captions found beside them."""

    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    method: str = "generic"
    """How the text was found: ``selector`` (the source's rule) or ``generic``."""
    pull_quotes: list[str] = field(default_factory=list)


def parse_html(html: str | bytes) -> lxml_html.HtmlElement:
    """Parse a page once; raise :class:`NotAnArticle` when there is no HTML document."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    html = _XML_DECL.sub("", html, count=1)
    # control characters deleted from the UTF-8 bytes, where each is one byte that no other
    # character's bytes contain (0.4 ms a page less than looking for them in the str)
    data = html.encode("utf-8", "replace").translate(None, _CONTROL_BYTES)
    if not html.strip() or not data.strip():
        raise NotAnArticle("empty", "the page is empty")
    try:
        tree = lxml_html.document_fromstring(data, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle("not_html", f"cannot parse HTML: {exc}") from None
    if tree is None or tree.find(".//body") is None and not tree.text_content().strip():
        raise NotAnArticle("not_html", "no HTML body")
    return tree


def select(tree: lxml_html.HtmlElement, selector: str,
           markup: str | None = None) -> list[lxml_html.HtmlElement]:
    """Elements matching a CSS selector (already validated when the config was loaded).
    ``markup``: the page's HTML, when at hand: a selector that needs a class or id the
    markup never writes matches nothing, and is not evaluated (an XPath over every element,
    0.2-2 ms a selector by page size; most of a source's ``drop`` selectors find nothing on
    most pages)."""
    if markup is not None and not _may_match(selector, markup):
        return []
    return _compiled(selector)(tree)


def _may_match(selector: str, markup: str) -> bool:
    """False only when every comma-separated part of ``selector`` needs a class name or id
    that is nowhere in ``markup`` (not even inside a longer word)."""
    wanted = _needed(selector)
    return wanted is None or any(all(token in markup for token in part) for part in wanted)


@lru_cache(maxsize=512)
def _needed(selector: str) -> tuple[tuple[str, ...], ...] | None:
    """For each comma-separated part of a CSS selector, the class names and ids an element
    must carry (or have around it) to match; None if cssselect cannot parse it."""
    try:
        parts = cssselect.parse(selector)
    except cssselect.SelectorError:
        return None
    return tuple(tuple(_tokens(part.parsed_tree)) for part in parts)


def _tokens(node: object) -> Iterator[str]:
    """The class names and ids a parsed selector requires. Not those under ``:not()``,
    ``:has()``, ``:is()`` or ``:where()``: only the selector each of them qualifies."""
    while node is not None:
        if isinstance(node, cssselect.parser.Class):
            yield node.class_name
        elif isinstance(node, cssselect.parser.Hash):
            yield node.id
        elif isinstance(node, cssselect.parser.CombinedSelector):
            yield from _tokens(node.subselector)
        node = getattr(node, "selector", None)


@lru_cache(maxsize=512)
def _compiled(selector: str) -> CSSSelector:
    """A selector compiled to XPath once per process (cssselect's translation costs ~1 ms)."""
    return CSSSelector(selector)


def remove(elements: Iterable[lxml_html.HtmlElement]) -> None:
    """Remove elements from their tree, keeping the text that follows them."""
    for el in list(elements):
        if el.getparent() is not None:
            el.drop_tree()


LARGE_PAGE_ELEMENTS = 8_000
"""Above this many elements trafilatura runs without its readability and jusText fallbacks:
their paragraph comparisons grow with the square of the page (a 5 MB page of 250,000
elements ran for over ten minutes; 14,000 elements of empty blocks took 12 s). 8,000 keeps the
fallbacks for all but two of the 2,141 corpus pages (those two lose nothing without them;
at 5,000 a 6,700-element page lost a snippet) and bounds them to ~5 s a page."""


_COUNT_ELEMENTS = etree.XPath("count(//*)")
_CLASS_ATTRIBUTES = etree.XPath("//@class", smart_strings=False)
_SMART_CLASS_ATTRIBUTES = etree.XPath("//@class")
_WITH_CLASS_IN = etree.XPath("//*[@class][contains($wanted, concat('|', @class, '|'))]"
                             "[not(self::script or self::style)]")


def page_size(tree: lxml_html.HtmlElement) -> int:
    """The number of elements in ``tree`` (counted by libxml2: no Python object per element)."""
    return int(_COUNT_ELEMENTS(tree))


def class_attributes(tree: lxml_html.HtmlElement) -> list[str]:
    """Every class attribute of the page, in page order, as plain strings (~0.5 ms; with the
    elements they belong to ~2 ms, as lxml makes a Python object for each)."""
    return _CLASS_ATTRIBUTES(tree)


def elements_with_class(tree: lxml_html.HtmlElement, matches: Callable[[str], object],
                        classes: list[str] | None = None) -> list[lxml_html.HtmlElement]:
    """The elements (not script or style) whose class attribute ``matches`` (a predicate on
    the whole attribute, such as a compiled pattern's ``search``), in page order.
    ``classes``: the page's :func:`class_attributes` when already read (a list read before
    elements were removed still serves: only present elements are returned)."""
    distinct = dict.fromkeys(class_attributes(tree) if classes is None else classes)
    wanted = [c for c in distinct if matches(c)]  # each distinct value tested once
    if not wanted:
        return []
    if "|" in " ".join(distinct):  # the joined string below could not tell them apart
        keep = set(wanted)
        return [el for el in (v.getparent() for v in _SMART_CLASS_ATTRIBUTES(tree) if v in keep)
                if el.tag not in ("script", "style")]
    return _WITH_CLASS_IN(tree, wanted=value_set(wanted))  # one substring test an element


def extract_body(
    tree: lxml_html.HtmlElement,
    url: str,
    *,
    body_selector: str | None = None,
    drop: tuple[str, ...] = (),
    large: bool = False,
    classes: list[str] | None = None,
    markup: str | None = None,
) -> Body:
    """Find the article text in ``tree`` (which is modified: dropped parts are removed).
    ``large`` (a page over :data:`LARGE_PAGE_ELEMENTS`) leaves out the slow fallbacks;
    ``classes`` as for :func:`elements_with_class`; ``markup`` (the page's HTML) as for
    :func:`select`."""
    for selector in drop:
        remove(select(tree, selector, markup))
    captions = []
    # most pages have neither: then no class test per element (one string holds every class
    # value: a word without a space is in it only if it is in one of them)
    marked = " ".join(class_attributes(tree) if classes is None else classes)
    caption_xpath = _CAPTION_XPATH if "caption" in marked else "//figcaption"
    found = [el for el in tree.xpath(caption_xpath)
             if len(text_of(el)) <= MAX_CAPTION_CHARS and not el.xpath(".//p[2]")]
    for el in found:
        text = _CREDIT.sub("", text_of(el)).strip()
        if text and text not in captions:
            captions.append(text)
    quotes = [el for el in tree.xpath(_PULL_QUOTE_XPATH) if len(text_of(el)) <= MAX_CAPTION_CHARS
              ] if "pullquote" in marked or "pull-quote" in marked else []
    pull_quotes = [t for t in (text_of(el) for el in quotes) if t]

    if body_selector:
        remove(found)
        remove(quotes)
        containers = select(tree, body_selector, markup)
        if containers:
            paragraphs = [p for c in containers for p in block_texts(c)]
            if paragraphs:
                return Body(paragraphs, captions, "selector", pull_quotes)
    # The generic extractor sees the page as published (taking captions out first changed
    # which block it chose on some pages); caption and pull-quote lines leave its output.
    lifted = {line_key(t) for t in (*captions, *pull_quotes, *(text_of(el) for el in found))}
    paragraphs = _generic(tree, url, fast=large, classes=classes)
    if lifted:
        paragraphs = [p for p in paragraphs if not _lifted(p, lifted)]
    return Body(paragraphs, captions, "generic", pull_quotes)


_CREDIT_MAX = 120
"""More than the most a photo credit at a line's end can take (bracket, label, colon, 80
characters, bracket, spaces between): a longer line stays longer than any caption without it."""


def _lifted(line: str, lifted: set[str]) -> bool:
    """Whether a line of the generic text is a caption or pull quote (``lifted``: their
    line keys, each at most MAX_CAPTION_CHARS long), with or without its photo credit."""
    key = line_key(line)
    if key in lifted:
        return True
    return ":" in line and len(key) <= MAX_CAPTION_CHARS + _CREDIT_MAX and line_key(
        _CREDIT.sub("", line)) in lifted  # a credit is labelled "Foto: ..."


def block_texts(container: lxml_html.HtmlElement) -> list[str]:
    """The text of each block-level element in ``container``, in document order."""
    for bad in container.xpath(".//" + " | .//".join(_NEVER_TEXT)):
        bad.drop_tree()
    out: list[str] = []
    pending: list[str] = [container.text or ""]

    def flush() -> None:
        text = " ".join("".join(pending).split())
        if text:
            out.append(text)
        pending.clear()

    for el in container.iterchildren():
        if not isinstance(el.tag, str):
            pending.append(el.tail or "")
            continue
        if el.tag in _BLOCKS or el.tag in ("div", "section", "ul", "ol", "table", "figure"):
            flush()
            if el.tag in _BLOCKS and not el.xpath(".//p | .//div"):
                text = text_of(el)
                if text:
                    out.append(text)
            else:
                out.extend(block_texts(el))
            pending.append(el.tail or "")
        elif el.tag == "br":
            flush()
            pending.append(el.tail or "")
        else:
            pending.append(text_of(el) + " " + (el.tail or ""))
    flush()
    return _join_datelines(out)


# "Jakarta -", "JAKARTA, KOMPAS.com -": a dateline set before the first paragraph's element
_DATELINE = re.compile(r"[A-Z][\w.,' ]{1,40}?\s*[-–—]{1,2}")


def _join_datelines(blocks: list[str]) -> list[str]:
    """A dateline standing alone runs into the paragraph after it, as the page shows it."""
    out: list[str] = []
    for text in blocks:
        if out and _DATELINE.fullmatch(out[-1]):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


def _generic(tree: lxml_html.HtmlElement, url: str, *, fast: bool = False,
             classes: list[str] | None = None) -> list[str]:
    text = extract_text(tree, url, fast=fast, classes=classes)
    if not text:
        return []
    return _join_datelines([line.strip() for line in text.split("\n") if line.strip()])
