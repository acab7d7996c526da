"""trafilatura's cascade with the readability comparison skipped where it cannot take over."""

from __future__ import annotations

import logging
from copy import deepcopy
from itertools import islice

import pytest
import trafilatura
import trafilatura.core
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor

from bench.corpus_sets import CORPUS, gate_cases
from pipelines import cascade
from pipelines.body import parse_html
from tests.crawling import REPO
from tests.demo_site import articles


def _full(tree, url: str) -> str | None:  # noqa: ANN001
    """trafilatura's own cascade with the options warta uses."""
    return trafilatura.extract(tree, url=url, **cascade.OPTIONS)


def _counts() -> tuple[int, int]:
    return cascade.stats["skipped"], cascade.stats["compared"]


def _page(article: str, rest: str = "") -> bytes:
    return (f"<html><head><title>t</title></head><body><div class='menu'>{rest}</div>"
            f"<article><h1>A title</h1>{article}</article></body></html>").encode()


PARAGRAPH = ("<p>The regional government said on Monday that the new rail line would open "
             "to passengers next spring, two years later than planned, after delays in "
             "land acquisition and a dispute over the contract for the signalling system.</p>")


def test_installed_over_this_trafilatura() -> None:
    assert cascade.INSTALLED, "the installed trafilatura's cascade is not the one warta knows"
    assert trafilatura.core._extract_and_compare is cascade._extract_and_compare


def test_demo_pages_get_the_full_cascade_text_with_comparisons_skipped() -> None:
    before = _counts()
    for item in articles():
        url = "http://127.0.0.1" + item["path"]
        html = (REPO / "demo" / "site" / item["path"].strip("/") / "index.html").read_bytes()
        tree = parse_html(html)
        assert cascade.extract_text(deepcopy(tree), url) == _full(tree, url), url
    skipped, compared = (a - b for a, b in zip(_counts(), before, strict=True))
    assert skipped > len(articles()) / 2, (skipped, compared)


def test_long_clean_text_skips_the_comparison() -> None:
    tree = parse_html(_page(PARAGRAPH * 4, "<p>Home</p><p>Contact</p>"))
    before = _counts()
    assert cascade.extract_text(deepcopy(tree), "http://x.test/a") == _full(tree, "http://x.test/a")
    assert _counts() == (before[0] + 1, before[1])


def test_short_text_is_compared() -> None:
    tree = parse_html(_page("<p>Two short lines of news.</p>"))
    before = _counts()
    assert cascade.extract_text(deepcopy(tree), "http://x.test/a") == _full(tree, "http://x.test/a")
    assert _counts()[0] == before[0] and _counts()[1] > before[1]


def _body(*blocks: str) -> etree._Element:
    return lxml_html.fragment_fromstring("".join(blocks), create_parent="body")


@pytest.mark.parametrize(("body", "page_words", "needed"), [
    ((PARAGRAPH * 3,), 0, False),  # long, clean, paragraphs, the page adds little
    ((PARAGRAPH * 3,), 200, True),  # the cleaned page holds more than twice the text
    (("<p>Too short to trust.</p>",), 0, True),  # jusText's rescue of short texts
    ((PARAGRAPH * 3, "<nav>Home</nav>"), 0, True),  # leftovers: jusText's rescue
    (("<div>" + "Words in a block without paragraphs. " * 20 + "</div>",), 0, True),
    ((PARAGRAPH, "<table><tr><td>a</td></tr></table>" * 2), 0, True),  # table-dominated
])
def test_comparison_needed(body: tuple[str, ...], page_words: int, needed: bool) -> None:
    extracted = _body(*body)
    text = " ".join(" ".join(extracted.itertext()).split())
    cleaned = lxml_html.fromstring(f"<html><body>{''.join(body)}<div>{'word ' * page_words}"
                                   "</div></body></html>")
    assert cascade.comparison_needed(extracted, text, cleaned, Extractor()) is needed


def test_other_callers_of_trafilatura_get_its_whole_cascade() -> None:
    tree = parse_html(_page(PARAGRAPH * 4))
    before = _counts()
    _full(tree, "http://x.test/a")
    assert _counts() == before


def test_an_unknown_cascade_is_left_alone(monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    def other(cleaned_tree, backup, tree, options):  # noqa: ANN001, ANN202
        return None, ""

    monkeypatch.setattr(trafilatura.core, "_extract_and_compare", other)
    with caplog.at_level(logging.WARNING, logger="pipelines.cascade"):
        assert cascade._install() is False
    assert trafilatura.core._extract_and_compare is other
    assert "running it whole" in caplog.text


@pytest.mark.corpus
def test_real_pages_get_the_full_cascade_text() -> None:
    """On fundus pages the skip changes no text (measured on every corpus set: 2 of 1,421
    pages changed, both on trafilatura_eval)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present (real pages are kept outside the repo)")
    before = _counts()
    for case in islice(gate_cases("fundus"), 25):
        tree = parse_html(case.html_bytes)
        assert cascade.extract_text(deepcopy(tree), case.url) == _full(tree, case.url), case.id
    assert _counts()[0] > before[0]
