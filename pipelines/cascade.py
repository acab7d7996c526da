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

The skip is installed over one private function of ``trafilatura.core``, checked against the
installed version at import: if trafilatura no longer has it in the expected form, the full
cascade runs (correct, slower) and a warning says so once. It applies only inside
:func:`extract_text`; other callers of trafilatura in the process get the original.
"""

from __future__ import annotations

import contextvars
import inspect
import logging
from copy import copy

import trafilatura
import trafilatura.core as _core
from lxml import etree

log = logging.getLogger(__name__)

_SKIPPING = contextvars.ContextVar("warta_skip_comparison", default=False)
_PAGE_TEXT = etree.XPath("string-length(normalize-space(.))")
_PARAGRAPH_TEXT = etree.XPath(".//p//text()")
READABILITY_RATIO = 2
"""readability's text must be more than this many times trafilatura's to be taken (as in
trafilatura's ``_prefer_readability``)."""

OPTIONS = {"output_format": "txt", "include_comments": False, "include_tables": True,
           "include_images": False, "deduplicate": False, "with_metadata": False}
"""What warta asks of trafilatura: plain text with tables; no comments, images or metadata
(warta reads a page's metadata itself), and no deduplication of repeated lines."""

stats = {"skipped": 0, "compared": 0}
"""Counts of comparisons skipped and run in this process (for the benchmarks)."""


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


def _extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options):  # noqa: ANN001, ANN202
    """``trafilatura.core._extract_and_compare`` with the comparison skipped where
    :func:`comparison_needed` says it would not change the result."""
    postbody, temp_text = _core.extract_content(cleaned_tree, options)
    if options.fast:
        return postbody, temp_text
    if _SKIPPING.get():
        if not comparison_needed(postbody, temp_text, cleaned_tree_backup, options):
            stats["skipped"] += 1
            return postbody, temp_text
        stats["compared"] += 1
    return _core.compare_extraction(cleaned_tree_backup, copy(tree), postbody, temp_text,
                                    options)


def _install() -> bool:
    """Put :func:`_extract_and_compare` in trafilatura's place if the installed version has
    the function it replaces, with the same parameters and body (a changed body would mean
    a changed cascade)."""
    original = getattr(_core, "_extract_and_compare", None)
    if original is _extract_and_compare:
        return True
    try:
        params = list(inspect.signature(original).parameters)
        source = inspect.getsource(original)
    except (TypeError, ValueError, OSError):
        params, source = [], ""
    expected = ["cleaned_tree", "cleaned_tree_backup", "tree", "options"]
    if (params != expected or "extract_content(cleaned_tree, options)" not in source
            or "compare_extraction(cleaned_tree_backup, copy(tree)" not in source
            or not hasattr(_core, "compare_extraction")):
        log.warning("trafilatura %s: its extraction cascade is not the one warta knows; "
                    "running it whole (slower, same text)", trafilatura.__version__)
        return False
    _core._extract_and_compare = _extract_and_compare
    return True


try:
    from trafilatura.external import SANITIZED_XPATH as _SANITIZED_XPATH
except ImportError:  # pragma: no cover - then the cascade runs whole
    _SANITIZED_XPATH = ""
INSTALLED = bool(_SANITIZED_XPATH) and _install()


def extract_text(tree: etree._Element, url: str, *, fast: bool = False) -> str | None:
    """trafilatura's plain text of ``tree`` (comments and images left out, tables kept),
    skipping the comparison where it would not change it; ``fast`` skips it always
    (trafilatura's own fast mode)."""
    token = _SKIPPING.set(INSTALLED)
    try:
        return trafilatura.extract(tree, url=url, fast=fast, **OPTIONS)
    finally:
        _SKIPPING.reset(token)
