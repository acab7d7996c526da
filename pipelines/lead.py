"""The start of an article that the text extractor leaves out: its lead (standfirst,
teaser), the paragraph a page sets between its headline and its text in another container,
and a first paragraph written as loose text (:func:`find_loose_start`).

A page's meta description is, on most news sites, that lead. So a lead is taken only where
the page shows its own description: a block of the page's body whose text begins with the
description, placed before one of the extracted text's first paragraphs, outside navigation
and link lists, and not already in that text. It goes into the text where the page has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from pipelines.body import block_texts
from pipelines.metadata import text_of

NEEDLE_CHARS = 24
"""Characters of the description searched for in one text node (a longer needle would more
often cross an element's edge)."""
PREFIX_CHARS = 60
"""Characters of the description that the lead's block must hold near its start."""
PREFIX_SLACK = 40
"""Characters a lead may have before its description (a label such as "Auf einen Blick:")."""
MIN_LEAD_WORDS = 8
"""A shorter description is a slogan or a label, too short to tell its block apart."""
MAX_LEAD_CHARS = 1500
"""A block longer than this is a container, not a lead."""
MAX_LINK_SHARE = 0.5
"""A block whose text is more than half links is a teaser list, not a lead."""
MIN_LOOSE_WORDS = 15
"""Loose text shorter than this before the first paragraph is a byline, a date or a label."""
LEAD_WITHIN = 3
"""The lead must come before one of the text's first three paragraphs: those before it are
a kicker, a breadcrumb or a dateline that cleaning may still remove."""

_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")
_BLOCKS = frozenset({"p", "div", "section", "header", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "td", "dd", "figure", "summary", "article", "main"})
_FENCED = etree.XPath(
    "ancestor-or-self::*[self::nav or self::footer or self::aside or self::form or "
    "self::script or self::style or self::noscript or self::template or self::select or "
    "self::button or self::label or self::figcaption or self::ul or self::ol]")
_TEXT_WITH = etree.XPath("descendant::text()[contains(., $needle)]")
_AFTER = etree.XPath("following::text()[contains(normalize-space(.), $needle)]")
_LINK_TEXT = etree.XPath("string-length(normalize-space(string(.//a)))")
_P_WITH = etree.XPath("descendant::p[starts-with(normalize-space(.), $needle)]")
"""Both from the <body>: ``//body//...`` first collects every node of the page (~0.1 ms)."""


def _squash(text: str) -> str:
    return " ".join(text.split())


def _prefix(description: str) -> str | None:
    text = _ELLIPSIS.sub("", _squash(description))
    return text[:PREFIX_CHARS] if len(text.split()) >= MIN_LEAD_WORDS else None


@dataclass(frozen=True)
class Lead:
    """A lead found on the page: its paragraphs, and where it goes in the body."""

    paragraphs: list[str]
    at: int
    """The index of the body paragraph it stands before."""


def find_lead(tree: etree._Element, descriptions: list[str], paragraphs: list[str],
              title: str | None = None, markup: str | None = None) -> Lead | None:
    """The page's lead, when the page shows one of its ``descriptions`` (tried in turn)
    before one of the first LEAD_WITHIN paragraphs of ``paragraphs`` (the extracted body)
    and that text does not already hold it; never a block holding the ``title`` (a
    description that repeats the headline finds the headline's block). ``markup``, the
    page's HTML, saves searching the tree for a description the page's body does not hold
    (as written: an entity in its first words hides it)."""
    body = tree.find("body")
    if body is None or not paragraphs:
        return None
    text = _squash(" ".join(paragraphs))
    headline = _squash(title or "").casefold()
    firsts = [_squash(p)[:NEEDLE_CHARS * 3] for p in paragraphs[:LEAD_WITHIN]]
    body_at = max(0, markup.find("<body")) if markup is not None else 0
    for description in descriptions:
        prefix = _prefix(description)
        if prefix is None or prefix in text:
            continue
        # the lead's first words may be a link or bold: then its later words are searched
        later = prefix[prefix.find(" ", NEEDLE_CHARS) + 1:] if " " in prefix[NEEDLE_CHARS:] \
            else ""
        needles = [_needle(prefix)] + ([_needle(later)] if len(later) >= NEEDLE_CHARS // 2
                                       else [])
        if markup is not None:  # a page that shows no part of them needs no tree search
            needles = [n for n in needles if markup.find(n, body_at) >= 0]
        nodes = next((found for n in needles if (found := _TEXT_WITH(body, needle=n))), [])
        lead = _lead_among(nodes, prefix, headline, firsts)
        if lead is not None:
            return lead
    return None


def _lead_among(nodes: list, prefix: str, headline: str, firsts: list[str]) -> Lead | None:
    """The lead in the block around the first of ``nodes`` (text nodes holding the start
    of ``prefix``) that is not fenced off, if that block qualifies."""
    for node in nodes:
        parent = node.getparent()  # of a tail: the element before the text
        if parent is not None and node.is_tail:
            parent = parent.getparent()
        if parent is None or _FENCED(parent):
            continue
        found = _block(parent, prefix)
        if found is None:
            continue
        block, text = found
        if len(text) > MAX_LEAD_CHARS or _LINK_TEXT(block) > MAX_LINK_SHARE * len(text):
            return None
        if headline and headline in text.casefold():
            return None
        # the first paragraph the block comes before (not one it holds: a container)
        at = next((i for i, first in enumerate(firsts) if _before(block, first)), None)
        return None if at is None else Lead(block_texts(block), at)
    return None


def find_loose_start(tree: etree._Element, paragraphs: list[str]) -> str | None:
    """Text that the page has right before the ``<p>`` of the first of ``paragraphs`` (the
    extracted body), in the same container but in no element of its own: the container's
    leading text, or the tail of a box before the paragraph (``<p><div class="related">
    ...</div>SAN FRANCISCO (AP) - ...</p>`` parses so, the ``<div>`` closing the ``<p>``).
    An extractor that reads the text of elements skips it."""
    if not paragraphs:
        return None
    body = tree.find("body")
    first = _squash(paragraphs[0])[:NEEDLE_CHARS * 2]
    for el in _P_WITH(body, needle=first) if body is not None else ():
        container = el.getparent()
        if container is None or _FENCED(el):
            continue
        before = next((p for p in el.itersiblings(preceding=True) if isinstance(p.tag, str)),
                      None)
        text = _squash((before.tail if before is not None else container.text) or "")
        ok = len(text.split()) >= MIN_LOOSE_WORDS and text not in _squash(" ".join(paragraphs))
        return text if ok else None
    return None


def _needle(text: str) -> str:
    """The first NEEDLE_CHARS of ``text``, cut back to a whole word."""
    cut = text[:NEEDLE_CHARS]
    return cut.rsplit(" ", 1)[0] if " " in cut and len(text) > NEEDLE_CHARS else cut


def _block(el: etree._Element, prefix: str) -> tuple[etree._Element, str] | None:
    """The nearest block around ``el`` whose text holds ``prefix`` near its start, and that
    text."""
    for _ in range(4):
        if el is None or not isinstance(el.tag, str) or el.tag == "h1":
            return None  # the headline is no lead
        if el.tag in _BLOCKS:
            text = text_of(el)
            return (el, text) if 0 <= text.find(prefix) <= PREFIX_SLACK else None
        el = el.getparent()
    return None


def _before(block: etree._Element, first: str) -> bool:
    """Whether the body's first paragraph (``first``: its first characters) comes after
    ``block`` in the page. Its first words may be split by a link or a name in a span, so
    each of its first three pieces of NEEDLE_CHARS is looked for."""
    return any(_AFTER(block, needle=needle) for needle in _pieces(first, 3))


def _pieces(text: str, n: int) -> list[str]:
    """Up to ``n`` successive needles of ``text``, each cut back to whole words."""
    out: list[str] = []
    while text and len(out) < n:
        needle = _needle(text)
        if len(needle) >= NEEDLE_CHARS // 2 or needle == text:
            out.append(needle)
        text = text[len(needle):].lstrip()
    return out
