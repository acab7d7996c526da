"""trafilatura's extraction cascade, without the readability run where it would not take over.

trafilatura extracts a page with its own rules, then always runs readability on a copy of the
raw page (and jusText when its text is short or holds leftovers such as ``<nav>``) and takes
readability's text only when its own looks deficient: empty, no paragraph text, mostly
tables, or less than half of readability's. That comparison is about a third of trafilatura's
time on news pages, and changes the text of ~5% of them.

:func:`extract_text` runs the same cascade but skips the comparison when trafilatura's text
is long enough and clean (no jusText rescue), made of paragraphs, and at least half as long
as the whole page after trafilatura's own cleaning (which has already removed navigation,
asides, footers, forms and scripts): readability would then have to find more than twice as
much text, from what that cleaning ruled out. That is a judgement, not a proof (readability
reads the uncleaned page): over the 1,421 corpus pages with a body it skipped the comparison
on 66% and changed the text of 2 (one with-snippet lost, one without-snippet no longer
leaked), for 18-31% less time in the cascade by set. Everything else in trafilatura is untouched.

Four more steps of the cascade are done with less work and the same result:

- the prunes of the raw page (infinite-scroll containers, share buttons, comment sections)
  are XPaths keyed on id and class patterns: they are evaluated only on the elements whose
  id or class can match (:mod:`pipelines.keyed_xpath`; none on most pages), not by a
  regular-expression callback on every element (~5 ms a page);
- the recall retry's trigger compares the extracted text with the page's text
  (``html2txt``, a copy and clean of the whole page, ~12 ms): when an upper bound of that
  length, read in ~1 ms, already shows the text long enough, the page's text is not built;
- where the page's text must be built after all, html2txt's cleaning XPath (a cookie-banner
  regular expression called back on every element, ~8 ms) is split: its keyed part
  evaluated on candidates only, the rest by libxml2 alone (8.5 -> 5.5 ms for the whole
  text, the same text on all 2,141 corpus pages);
- trafilatura copies a tree it is handed (~1.2 ms), because those raw-tree prunes change
  it; the page's tree is lent instead, and copied only when a prune finds something to
  remove (copy on write: the caller's tree is never changed either way); what that prune
  found is then taken at the same paths in the copy, not searched for again.

Each is installed over a private name of ``trafilatura.core``, checked against the installed
version at import: if trafilatura no longer has it in the expected form, that step runs as
shipped (correct, slower) and a warning says so once. They apply only inside
:func:`extract_text`; other callers of trafilatura in the process get the originals.
"""

from __future__ import annotations

import contextvars
import importlib
import inspect
import logging
import re
from copy import copy
from dataclasses import dataclass

import trafilatura
import trafilatura.core as _core
from lxml import etree
from lxml.html import HtmlElement

from pipelines.keyed_xpath import EXSLT_REGEXP, AttributeValues, keyed, restricted, split_top

# the module (trafilatura's package exports a function of the same name)
_baseline = importlib.import_module("trafilatura.baseline")

log = logging.getLogger(__name__)

_PAGE_TEXT = etree.XPath("string-length(normalize-space(.))")
_STRING = etree.XPath("string(.)", smart_strings=False)
try:  # the elements html2txt puts a space at both ends of, and where it does so
    from trafilatura.baseline import _BLOCK_ELEMS as _SPACED
    from trafilatura.baseline import _spaced_text
except ImportError:  # pragma: no cover - then the page's text is always built
    _SPACED, _spaced_text = (), None
_ELEMENTS = etree.XPath("count(descendant-or-self::*)")
_PARAGRAPH_TEXT = etree.XPath(".//p//text()")
READABILITY_RATIO = 2
"""readability's text must be more than this many times trafilatura's to be taken (as in
trafilatura's ``_prefer_readability``)."""


def _basic_clean_parts() -> list[str]:
    """The ``.//`` paths whose union is trafilatura's ``BASIC_CLEAN_XPATH`` (what html2txt
    removes before it measures the page); [] when it is not such a union."""
    path = " ".join(getattr(getattr(_baseline, "BASIC_CLEAN_XPATH", None), "path", "").split())
    parts = [part.strip() for part in split_top(path, "|") or []]
    return parts if parts and all(part.startswith(".//") for part in parts) else []


_CLEANED_AWAY = tuple(part[3:] for part in _basic_clean_parts()
                      if re.fullmatch(r"\.//[a-z][a-z0-9]*", part))
"""The tags html2txt's cleaning removes whatever their attributes (script, style, aside,
footer...), read from its XPath: it removes more, so these bound the page's text from
above."""

OPTIONS = {"output_format": "txt", "include_comments": False, "include_tables": True,
           "include_images": False, "deduplicate": False, "with_metadata": False}
"""What warta asks of trafilatura: plain text with tables; no comments, images or metadata
(warta reads a page's metadata itself), and no deduplication of repeated lines."""

stats = {"skipped": 0, "compared": 0, "page_text_bounded": 0, "page_text_built": 0}
"""Counts, in this process, of readability comparisons skipped and run, and of recall
triggers decided by the bound or by the page's text (for the benchmarks)."""


@dataclass
class _Call:
    """One :func:`extract_text` call."""

    lent: HtmlElement | None = None
    """The caller's tree while trafilatura works on it without a copy of its own."""
    copied: HtmlElement | None = None
    """The copy made of it when a raw-tree prune had something to remove."""
    values: AttributeValues | None = None
    """The id and class values of the lent tree, for the prunes of it and of its copy."""
    text_length: int | None = None
    """The length of the first stages' text, when trafilatura's baseline cannot replace it
    (at least ``min_extracted_size``): the text its recall trigger then measures."""


class _Lent:
    """A tree handed to trafilatura without its defensive copy (see :func:`_load_html`)."""

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree


_CALL: contextvars.ContextVar[_Call | None] = contextvars.ContextVar("warta_cascade",
                                                                     default=None)


def comparison_needed(body: etree._Element, text: str, cleaned_tree: etree._Element,
                      options: object) -> bool:
    """Whether trafilatura's comparison with readability and jusText may change ``text``
    (its own extraction, with ``body`` its element tree; ``cleaned_tree``: the page after
    trafilatura's cleaning, before tag conversion); see the module's note."""
    if getattr(options, "focus", "balanced") != "balanced":
        return True
    if len(text) < options.min_extracted_size:  # jusText's rescue of short texts
        return True
    if body.xpath(_SANITIZED_XPATH):  # jusText's rescue of texts with leftovers
        return True
    if not _PARAGRAPH_TEXT(body) or len(body.findall(".//table")) > len(body.findall(".//p")):
        return True  # structurally deficient: readability may take over
    return _PAGE_TEXT(cleaned_tree) > READABILITY_RATIO * len(text)


def page_text_bound(tree: HtmlElement) -> int | None:
    """At least the length of trafilatura's ``html2txt(tree)``; None without a ``<body>``.

    html2txt removes elements (:data:`_CLEANED_AWAY` among them), puts a space at both ends
    of each block element's text, then collapses white space. So its length is at most: the
    body's text with white space collapsed (XPath's white space; Python's ``split`` collapses
    more), less the non-space characters of the removed elements, plus two spaces per
    block element (trafilatura's list of them; every element if it has none)."""
    body = tree.find(".//body")
    if body is None:
        return None
    removed = 0
    for el in body.iter(*_CLEANED_AWAY) if _CLEANED_AWAY else ():  # iter() alone: every one
        if next(el.iterancestors(*_CLEANED_AWAY), None) is None:  # counted once, outermost
            text = _STRING(el)  # its characters other than XPath's white space (libxml2's
            removed += len(text) - sum(map(text.count, " \t\n\r"))  # translate(): ~10x slower)
    spaced = sum(1 for _ in body.iter(*_SPACED)) if _SPACED else int(_ELEMENTS(body))
    return int(_PAGE_TEXT(body)) - removed + 2 * spaced


def _extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options):  # noqa: ANN001, ANN202
    """``trafilatura.core._extract_and_compare`` with the comparison skipped where
    :func:`comparison_needed` says it would not change the result."""
    call = _CALL.get()
    postbody, temp_text = _core.extract_content(cleaned_tree, options)
    if not options.fast:
        if call is not None and not comparison_needed(postbody, temp_text,
                                                      cleaned_tree_backup, options):
            stats["skipped"] += 1
        else:
            stats["compared"] += call is not None
            postbody, temp_text = _core.compare_extraction(
                cleaned_tree_backup, copy(tree), postbody, temp_text, options)
    if call is not None:
        n = len(temp_text)
        call.text_length = n if n >= options.min_extracted_size else None
    return postbody, temp_text


def _html2txt(content, clean: bool = True) -> str:  # noqa: ANN001
    """``trafilatura.core.html2txt`` for the recall trigger, ``len(text) < share *
    len(html2txt(tree))``: when :func:`page_text_bound` already makes it false, a string as
    long as the bound (the comparison comes out the same) instead of the page's text; else
    the page's text, built by :func:`_page_text` where it can be."""
    call = _CALL.get()
    if call is not None and call.text_length is not None and clean and \
            isinstance(content, HtmlElement):
        text_length, call.text_length = call.text_length, None
        bound = page_text_bound(content)
        if bound is not None and text_length >= _core.ESCALATION_PAGE_SHARE * bound:
            stats["page_text_bounded"] += 1
            return " " * bound
    stats["page_text_built"] += call is not None
    if call is not None and clean and isinstance(content, HtmlElement) and _BASIC_CLEAN:
        return _page_text(content, call.values)
    return _ORIGINALS["html2txt"](content, clean)


def _page_text(content: HtmlElement, values: AttributeValues | None) -> str:
    """``html2txt(content)`` with its cleaning XPath split: the elements it removes by tag
    or a plain test found by libxml2 alone, those matched by the cookie-banner patterns
    (a regular-expression callback on every element: ~8 ms a page) keyed on the page's
    id and class values (:mod:`pipelines.keyed_xpath`; ~1 ms for all of it). The same
    elements, in the same (document) order, removed the same way."""
    tree = copy(content)
    body = tree.find(".//body")
    if body is None:
        return _ORIGINALS["html2txt"](content, True)
    keyed_parts, plain = _BASIC_CLEAN
    found = [el for part in keyed_parts for el in part(body, values)]
    for element in plain(body, found=found):  # the union: document order, each once
        _baseline.delete_element(element)
    return _spaced_text(body)


def _split_basic_clean() -> tuple[list, etree.XPath] | None:
    """trafilatura's ``BASIC_CLEAN_XPATH`` as its keyed parts and one plain XPath of the
    other parts and ``$found`` (what the keyed parts found); None when it has no keyed
    part, or is not a union of ``.//`` paths."""
    keyed_parts, plain = [], []
    for part in _basic_clean_parts():
        fast = keyed(etree.XPath(part, namespaces={"re": EXSLT_REGEXP}))
        if fast is not None:
            keyed_parts.append(fast)
        else:
            plain.append(part)
    if not keyed_parts:
        return None
    return keyed_parts, etree.XPath(" | ".join([*plain, "$found"]),
                                    namespaces={"re": EXSLT_REGEXP})


def _prune_unwanted_nodes(tree, nodelist, with_backup: bool = False):  # noqa: ANN001, ANN202
    """``trafilatura.core.prune_unwanted_nodes`` with each XPath keyed on id and class
    patterns evaluated on the elements that can match only (the same elements). The lent
    tree is copied first if anything is to be removed from it (trafilatura goes on with the
    tree this returns), and the expression that found it is not evaluated again."""
    call = _CALL.get()
    if call is None:
        return _ORIGINALS["prune_unwanted_nodes"](tree, nodelist, with_backup)
    values = None
    if call.values is not None and (tree is call.lent or tree is call.copied):
        values = call.values
    expressions = restricted(nodelist, tree, values)
    if tree is call.lent:
        first = next(((i, found) for i, expression in enumerate(expressions)
                      if (found := expression(tree))), None)
        if first is None:
            return tree  # nothing to remove: what the prune would leave
        i, found = first
        lent, tree = tree, copy(tree)
        call.copied, call.lent = tree, None
        copied = _in_copy(found, lent, tree)
        if copied is not None:
            # the first expressions found nothing, in the copy either; the first that found
            # something has found it already: the same elements, in the copy
            expressions = [lambda _tree: copied, *expressions[i + 1:]]
    return _ORIGINALS["prune_unwanted_nodes"](tree, expressions, with_backup)


def _in_copy(found: list, lent: HtmlElement, copied: HtmlElement) -> list | None:
    """The elements of ``copied`` (a copy of the whole document ``lent``) at the places of
    ``found`` in ``lent``, by their paths; None when a path does not lead to exactly one
    element (a tag name XPath cannot write, say): the caller evaluates again."""
    if lent.getparent() is not None:
        return None
    source, target = lent.getroottree(), copied.getroottree()
    out = []
    try:
        for el in found:
            at = target.xpath(source.getpath(el))
            if len(at) != 1:
                return None
            out.append(at[0])
    except (etree.XPathError, ValueError):
        return None
    return out


def _load_html(htmlobject, max_size: int | None = None):  # noqa: ANN001, ANN202
    """``trafilatura.core.load_html``, which returns a tree handed to it as it is (and
    ``bare_extraction`` then copies it): a :class:`_Lent` tree comes back as the tree
    itself but is not the object handed in, so it is not copied."""
    if isinstance(htmlobject, _Lent):
        return htmlobject.tree
    return _ORIGINALS["load_html"](htmlobject, max_size)


_ORIGINALS: dict[str, object] = {}


def _source(function: object) -> tuple[list[str], str]:
    try:
        return list(inspect.signature(function).parameters), inspect.getsource(function)
    except (TypeError, ValueError, OSError):
        return [], ""


def _expected(name: str, params: list[str], *needles: str, where: object = None) -> bool:
    """Whether ``trafilatura.core.<name>`` has these parameters and ``where`` (a function
    of trafilatura.core; the function itself by default) contains every needle."""
    original = getattr(_core, name, None)
    got, source = _source(original)
    if where is not None:
        source = _source(where)[1]
    return got == params and all(needle in source for needle in needles)


def _calls_in_core(needle: str) -> int:
    """How often ``needle`` occurs in trafilatura.core's code (comments left out)."""
    try:
        lines = inspect.getsource(_core).splitlines()
    except (TypeError, OSError):
        return -1
    return sum(line.split("#", 1)[0].count(needle) for line in lines)


def _install() -> dict[str, bool]:
    """Put this module's functions in trafilatura's place where the installed version has
    what they replace, in the form they were written for."""
    checks = {
        # a changed body would mean a changed cascade
        "_extract_and_compare": _expected(
            "_extract_and_compare", ["cleaned_tree", "cleaned_tree_backup", "tree", "options"],
            "extract_content(cleaned_tree, options)",
            "compare_extraction(cleaned_tree_backup, copy(tree)") and bool(_SANITIZED_XPATH)
            and hasattr(_core, "compare_extraction"),
        # the page's text is only measured by the recall trigger, and only there
        "html2txt": _expected(
            "html2txt", ["content", "clean"],
            "len(temp_text) < ESCALATION_PAGE_SHARE * len(html2txt(tree))",
            where=getattr(_core, "trafilatura_sequence", None))
            and _calls_in_core("html2txt(") == 1
            and hasattr(_core, "ESCALATION_PAGE_SHARE")
            # and the page's text is built as page_text_bound assumes
            and _expected("html2txt", ["content", "clean"],
                          "_spaced_text(basic_cleaning(body) if clean else body)")
            and "for elem in element.iter(*_BLOCK_ELEMS)" in _source(_spaced_text)[1]
            and '" ".join(element.text_content().split())' in _source(_spaced_text)[1],
        # it evaluates each expression on the tree and removes what it finds
        "prune_unwanted_nodes": _expected(
            "prune_unwanted_nodes", ["tree", "nodelist", "with_backup"],
            "for expression in nodelist", "expression(tree)"),
        # the page's tree is copied where it is loaded, and changed only by the two raw-tree
        # prunes, which go on with the tree the prune returns
        "load_html": _expected(
            "load_html", ["htmlobject", "max_size"],
            "tree = load_html(filecontent, options.max_file_size)", "if tree is filecontent:",
            where=getattr(_core, "bare_extraction", None))
            and _calls_in_core("load_html(") == 1
            and _expected("load_html", ["htmlobject", "max_size"],
                          "tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)",
                          "tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)",
                          where=getattr(_core, "trafilatura_sequence", None)),
    }
    replacements = {"_extract_and_compare": _extract_and_compare, "html2txt": _html2txt,
                    "prune_unwanted_nodes": _prune_unwanted_nodes, "load_html": _load_html}
    for name, ok in checks.items():
        current = getattr(_core, name, None)
        if current is replacements[name]:
            continue
        if not ok:
            log.warning("trafilatura %s: its %s is not the one warta knows; that step of "
                        "the cascade runs as shipped (slower, same text)",
                        trafilatura.__version__, name)
            continue
        _ORIGINALS[name] = current
        setattr(_core, name, replacements[name])
    return {name: getattr(_core, name, None) is replacements[name] for name in checks}


try:
    from trafilatura.external import SANITIZED_XPATH as _SANITIZED_XPATH
except ImportError:  # pragma: no cover - then the cascade runs whole
    _SANITIZED_XPATH = ""
SHORTCUTS = _install()
"""Which of the shortcuts are installed, by the name of what they replace."""
# the page's text, where it is built, with html2txt's cleaning split (see _page_text): only
# where html2txt cleans with that one XPath, deleting what it selects
_BASIC_CLEAN = _split_basic_clean() if SHORTCUTS["html2txt"] and all(
    needle in _source(getattr(_baseline, "basic_cleaning", None))[1]
    for needle in ("for elem in BASIC_CLEAN_XPATH(tree):", "delete_element(elem)")) and \
    "tree = copy(tree)" in _source(getattr(_baseline, "html2txt", None))[1] else None
INSTALLED = SHORTCUTS["_extract_and_compare"]


def extract_text(tree: etree._Element, url: str, *, fast: bool = False,
                 classes: list[str] | None = None) -> str | None:
    """trafilatura's plain text of ``tree`` (comments and images left out, tables kept),
    skipping the comparison where it would not change it; ``fast`` skips it always
    (trafilatura's own fast mode). ``classes``: the page's class values, when already read
    (the keyed prunes then read only its ids)."""
    call = _Call()
    lend = SHORTCUTS["load_html"] and SHORTCUTS["prune_unwanted_nodes"]
    if lend:
        call.lent, call.values = tree, AttributeValues(tree, classes)
    token = _CALL.set(call)
    try:
        return trafilatura.extract(_Lent(tree) if lend else tree, url=url, fast=fast, **OPTIONS)
    finally:
        _CALL.reset(token)
