"""trafilatura's cascade with the readability comparison skipped where it cannot take over,
and two of its steps done with less work and the same result."""

from __future__ import annotations

import logging
from copy import copy, deepcopy
from itertools import islice

import pytest
import trafilatura
import trafilatura.core
from lxml import etree
from lxml import html as lxml_html
from trafilatura.baseline import html2txt
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
        assert cascade._install()["_extract_and_compare"] is False
    assert trafilatura.core._extract_and_compare is other
    assert "runs as shipped" in caplog.text


def test_a_page_text_used_elsewhere_is_left_alone(monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """The bound stands in for html2txt only where trafilatura measures its length alone."""
    def sequence(tree, options, url=None):  # noqa: ANN001, ANN202
        return html2txt(tree)

    monkeypatch.setattr(trafilatura.core, "html2txt", html2txt)
    monkeypatch.setattr(trafilatura.core, "trafilatura_sequence", sequence)
    with caplog.at_level(logging.WARNING, logger="pipelines.cascade"):
        assert cascade._install()["html2txt"] is False
    assert trafilatura.core.html2txt is html2txt
    assert "html2txt" in caplog.text


def test_shortcuts_installed_over_this_trafilatura() -> None:
    assert cascade.SHORTCUTS == {"_extract_and_compare": True, "html2txt": True,
                                 "prune_unwanted_nodes": True, "load_html": True}


@pytest.mark.parametrize("rest", [
    "<p>Home</p>",  # nothing for the raw-tree prunes: trafilatura works on the lent tree
    "<div id='comments'><p class='comment'>First!</p></div>",  # a prune copies it first
    "<div class='infinite-scroll'><p>Next story</p></div>",
])
def test_the_lent_tree_is_never_changed(rest: str) -> None:
    tree = parse_html(_page(PARAGRAPH * 4, rest))
    before = lxml_html.tostring(tree)
    assert cascade.extract_text(tree, "http://x.test/a") == _full(deepcopy(tree), "http://x.test/a")
    assert lxml_html.tostring(tree) == before


def test_what_a_prune_found_in_the_lent_tree_is_removed_from_the_copy(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first prune that finds something in the lent tree is not evaluated again: its
    finds are the copy's elements at the same paths."""
    results = []
    original = cascade._in_copy

    def spy(*args):  # noqa: ANN002, ANN202
        results.append(original(*args))
        return results[-1]

    monkeypatch.setattr(cascade, "_in_copy", spy)
    rest = "<div id='comments'><p class='comment'>First!</p><p class='comment'>Me</p></div>"
    tree = parse_html(_page(PARAGRAPH * 4, rest))
    before = lxml_html.tostring(tree)
    text = cascade.extract_text(tree, "http://x.test/a")
    assert len(results) == 1 and results[0]
    assert text == _full(deepcopy(tree), "http://x.test/a") and "First!" not in text
    assert lxml_html.tostring(tree) == before


def test_elements_are_found_in_a_copy_by_their_paths_or_not_at_all() -> None:
    tree = parse_html("<html><body><div><p>a</p><p>b</p></div><fb:like>x</fb:like>"
                      "</body></html>")
    copied = copy(tree)
    second = tree.findall(".//p")[1]
    found = cascade._in_copy([second], tree, copied)
    assert found is not None and found[0] is not second
    assert found[0].text == "b" and found[0].getroottree().getroot() is copied
    # a tag name an XPath path cannot write ("fb:like": an unknown prefix), or a part of a
    # page rather than a whole one: the caller evaluates again
    assert cascade._in_copy([tree.find(".//body")[1]], tree, copied) is None
    body = tree.find(".//body")
    assert cascade._in_copy([second], body, copy(body)) is None


PAGE_TEXTS = [
    "<p>a</p><p>b</p><div>c<span>d</span></div>",  # blocks without white space between
    "<p>one&nbsp; two</p>\n\n   <p>\tthree</p>",
    "<script>var x = 'long script text';</script><style>p {}</style><p>kept</p>",
    "<aside><aside>nested</aside> outer</aside>tail text<footer>foot <svg>s</svg></footer>",
    "<div class='cookie-consent'>Accept all</div><template>t</template><p>x</p>",
    "<p>a<span>b</span><b>c</b><i>d</i></p><li>e<br>f</li><td>g</td><h2>h</h2>",  # inline
    "<div><br><br><hr><br></div>",  # block elements without text: spaces only
    "",
]


@pytest.mark.parametrize("body", PAGE_TEXTS)
def test_page_text_bound_is_at_least_the_page_text(body: str) -> None:
    tree = parse_html(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert cascade.page_text_bound(tree) >= len(html2txt(tree))


def test_page_text_bound_counts_spaces_for_block_elements_only() -> None:
    """Inline markup adds no space in html2txt, so it adds none to the bound: a page of
    linked and emphasised words is bounded by its own length."""
    words = "".join(f"<a href='/{i}'><b>w{i}</b></a> " for i in range(200))
    tree = parse_html(f"<html><body><p>{words}</p></body></html>")
    text = len(html2txt(tree))
    assert text <= cascade.page_text_bound(tree) <= text + 4


def test_a_page_text_built_otherwise_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound holds for html2txt as trafilatura builds it now: spaces at block elements,
    white space collapsed. Built otherwise, the page's text is built every time."""
    def spaced(element):  # noqa: ANN001, ANN202
        return element.text_content()

    monkeypatch.setattr(cascade, "_spaced_text", spaced)
    monkeypatch.setattr(trafilatura.core, "html2txt", cascade._ORIGINALS["html2txt"])
    assert cascade._install()["html2txt"] is False


CLEANED_PAGES = [
    "<div class='cookie-banner'>Accept all</div><p>kept</p>",
    "<section id='CookieConsent'><p>We use cookies</p></section><p>kept</p>",
    "<div class='onetrust-x'><aside>nested <script>x</script></aside></div>tail<p>kept</p>",
    "<div id='footer'>foot</div><div class='site-footer'>f2</div><footer>f3</footer><p>k</p>",
    "<p>no banner, <svg><text>s</text></svg> <template>t</template> text</p>",
]


@pytest.mark.parametrize("body", CLEANED_PAGES)
def test_the_page_text_is_html2txts_with_its_cleaning_split(body: str) -> None:
    """Built, the page's text is html2txt's: the cookie-banner part of its cleaning is
    keyed on id and class values, the rest left to libxml2; the tree is left as it was."""
    assert cascade._BASIC_CLEAN is not None
    tree = parse_html(f"<html><head><title>t</title></head><body>{body}</body></html>")
    before = lxml_html.tostring(tree)
    assert cascade._page_text(tree, None) == html2txt(tree)
    assert lxml_html.tostring(tree) == before


def test_the_page_text_of_demo_pages_is_html2txts() -> None:
    for item in articles():
        html = (REPO / "demo" / "site" / item["path"].strip("/") / "index.html").read_bytes()
        tree = parse_html(html)
        assert cascade._page_text(tree, None) == html2txt(tree), item["path"]


def test_the_tags_the_bound_leaves_out_are_read_from_html2txts_cleaning(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert {"script", "style", "aside", "footer"} <= set(cascade._CLEANED_AWAY)
    monkeypatch.setattr(cascade._baseline, "BASIC_CLEAN_XPATH",
                        etree.XPath(".//script|.//div[@id='x']|.//style"))
    assert cascade._basic_clean_parts() == [".//script", ".//div[@id='x']", ".//style"]
    monkeypatch.setattr(cascade._baseline, "BASIC_CLEAN_XPATH", etree.XPath("//script"))
    assert cascade._basic_clean_parts() == []
    # nothing known to be removed: the bound subtracts nothing, and still holds
    monkeypatch.setattr(cascade, "_CLEANED_AWAY", ())
    tree = parse_html("<html><body><aside>side</aside><p>kept text</p></body></html>")
    assert cascade.page_text_bound(tree) >= len(html2txt(tree))


def test_a_cleaning_without_a_keyed_part_is_left_to_html2txt(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cascade._baseline, "BASIC_CLEAN_XPATH",
                        etree.XPath(".//aside|.//script|.//*[@role='banner']"))
    assert cascade._split_basic_clean() is None
    monkeypatch.setattr(cascade._baseline, "BASIC_CLEAN_XPATH", etree.XPath("//aside"))
    assert cascade._split_basic_clean() is None


def test_page_text_bound_on_demo_pages_is_close_above() -> None:
    for item in articles():
        html = (REPO / "demo" / "site" / item["path"].strip("/") / "index.html").read_bytes()
        tree = parse_html(html)
        bound, text = cascade.page_text_bound(tree), len(html2txt(tree))
        assert text <= bound <= 2 * text + 2_000, item["path"]


def test_recall_trigger_is_decided_by_the_bound_when_it_can() -> None:
    """A page whose text is mostly the article: the page's text is not built, and the
    text is trafilatura's."""
    before = cascade.stats["page_text_bounded"]
    tree = parse_html(_page(PARAGRAPH * 4, "<p>Home</p><p>Contact</p>"))
    assert cascade.extract_text(deepcopy(tree), "http://x.test/a") == _full(tree, "http://x.test/a")
    assert cascade.stats["page_text_bounded"] == before + 1


def test_recall_retry_still_runs_where_the_page_holds_much_more_text() -> None:
    """A short text on a long page: the page's text is built, and the retry decides."""
    filler = "".join(f"<div class='teaser'><p>{PARAGRAPH[3:-4]} {i}</p></div>" for i in range(12))
    tree = parse_html(_page("<p>" + "Short lead sentence. " * 20 + "</p>", filler))
    before = cascade.stats["page_text_built"]
    assert cascade.extract_text(deepcopy(tree), "http://x.test/a") == _full(tree, "http://x.test/a")
    assert cascade.stats["page_text_built"] == before + 1


@pytest.mark.corpus
def test_real_pages_get_the_full_cascade_text() -> None:
    """On fundus pages the skip changes no text (measured on every corpus set: 2 of 1,421
    pages changed, both on trafilatura_eval)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present (real pages are kept outside the repo)")
    before = _counts()
    for case in islice(gate_cases("fundus"), 25):
        tree = parse_html(case.html_bytes)
        page = lxml_html.tostring(tree)
        assert cascade.extract_text(tree, case.url) == _full(deepcopy(tree), case.url), case.id
        assert lxml_html.tostring(tree) == page, case.id  # the lent tree is left as it was
    assert _counts()[0] > before[0]


@pytest.mark.corpus
def test_page_text_bound_on_real_pages() -> None:
    """The bound holds on real pages of every set (checked on all 2,141: none under, the
    page's text a median 76% of it), and the page's text built with its cleaning split is
    html2txt's; here every 20th page of the gate subset."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present (real pages are kept outside the repo)")
    checked = 0
    for name in ("fundus", "trafilatura_eval", "htmldate_eval", "newspaper4k", "goose3"):
        for case in islice(gate_cases(name), 0, None, 20):
            tree = parse_html(case.html_bytes)
            bound = cascade.page_text_bound(tree)
            if bound is not None:
                text = html2txt(tree)
                assert bound >= len(text), case.id
                assert cascade._page_text(tree, None) == text, case.id  # checked on all 2,141
                checked += 1
    assert checked > 20
