"""XPaths keyed on id and class patterns: evaluated on candidates only, same elements."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html
from trafilatura.xpaths import (
    OVERALL_DISCARD_XPATH,
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
)

from pipelines.body import parse_html
from pipelines.keyed_xpath import EXSLT_REGEXP, _predicates, keyed, restricted, split_top
from tests.crawling import REPO
from tests.demo_site import articles

NS = {"re": EXSLT_REGEXP}
COMMENTS = REMOVE_COMMENTS_AND_LISTS_XPATH[0]


def _x(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=NS)


# Pages where the keyed expressions find something, nested and not, by id and by class.
PAGES = [
    "<div id='comments'><ul class='comment-list'><li class='comment'>a</li></ul></div>"
    "<section class='post-comments'><p>b</p></section><div class='commentary'>c</div>",
    "<div class='infinite-scroll'><h1>More</h1><div class='mvp-post-add-box'>x</div></div>"
    "<aside id='infinitescroll'>y</aside><div class='elementor-share-buttons'>z</div>",
    "<div class='a|b comment'>pipe</div><div class='Comment'>upper</div><ol id='comol'>o</ol>",
    "<div class='comment&#45;list'>entity</div><span class='comment'>span</span>",
    "<p>no classes at all</p>",
]


def _trees() -> list[etree._Element]:
    trees = [parse_html(f"<html><body>{body}</body></html>") for body in PAGES]
    for item in articles()[:6]:
        path = REPO / "demo" / "site" / item["path"].strip("/") / "index.html"
        trees.append(parse_html(path.read_bytes()))
    return trees


@pytest.mark.parametrize("expression", [*RAW_TREE_PRUNE_XPATH, COMMENTS])
def test_trafilaturas_raw_tree_prunes_are_keyed(expression: etree.XPath) -> None:
    assert keyed(expression) is not None


@pytest.mark.parametrize("expression", [*RAW_TREE_PRUNE_XPATH, COMMENTS])
def test_keyed_finds_the_same_elements_in_the_same_order(expression: etree.XPath) -> None:
    fast = keyed(expression)
    assert fast is not None
    found_any = False
    for tree in _trees():
        expected = expression(tree)
        assert fast(tree) == expected
        found_any |= bool(expected)
    assert found_any


@pytest.mark.parametrize("path", [
    ".//*[1][re:test(@class, 'comment')]",  # positional: self::*[1] means something else
    ".//*[re:test(@class, 'comment')][position() < 3]",
    ".//*[re:test(@class, 'comment')][2]",
    ".//*[not(re:test(@class, 'comment'))]",  # a negated test keys nothing
    ".//*[re:test(@class, 'comment') or @role = 'x']",  # another attribute can match
    ".//*[re:test(@class, 'x*')]",  # an element without a class passes
    ".//*[contains(@class, '')]",
    ".//div[re:test(@class, 'comment')]",  # not .//*: left as it is
    ".//*[re:test(@class, 'comment')] | .//aside",
    ".//*[re:test(@id|@class, 'comment')]",  # the first of two attributes only
    ".//*[re:test(@style, 'hidden')]",
    ".//*[@role = 'x' or re:test(@class, 'a') and re:test(@id, 'b')]",  # "and" binds first
])
def test_other_forms_are_not_keyed(path: str) -> None:
    assert keyed(_x(path)) is None


def test_trafilaturas_discard_list_with_other_attributes_is_not_keyed() -> None:
    assert keyed(OVERALL_DISCARD_XPATH[0]) is None  # @role, @data-component: any element


@pytest.mark.parametrize("path", [
    ".//*[self::div or self::ol][re:test(@class, '^[Cc]omment(?!ary)', 'i') or "
    "contains(@id, 'comol')][not(self::ol) or re:test(@id, 'comol')]",
    ".//*[re:test(@class, 'comment') and not(.//h1)]",
    ".//*[.//li][contains(@class, 'comment')]",
])
def test_hand_written_forms_match_the_original(path: str) -> None:
    expression = _x(path)
    fast = keyed(expression)
    assert fast is not None
    for tree in _trees():
        assert fast(tree) == expression(tree)


def test_a_page_without_a_matching_value_evaluates_nothing() -> None:
    fast = keyed(COMMENTS)
    tree = parse_html("<html><body><div class='post'><p>text</p></div></body></html>")
    assert fast is not None and fast(tree) == []


def test_restricted_pruning_removes_what_the_original_removes() -> None:
    from trafilatura.htmlprocessing import prune_unwanted_nodes

    for body in PAGES:
        page = f"<html><body>{body}<p>kept</p></body></html>"
        original, ours = parse_html(page), parse_html(page)
        prune_unwanted_nodes(original, [*RAW_TREE_PRUNE_XPATH, COMMENTS])
        prune_unwanted_nodes(ours, restricted([*RAW_TREE_PRUNE_XPATH, COMMENTS], ours))
        assert lxml_html.tostring(ours) == lxml_html.tostring(original)


@pytest.mark.parametrize("expression", [*RAW_TREE_PRUNE_XPATH, COMMENTS])
def test_one_combined_search_answers_as_the_patterns_do(expression: etree.XPath) -> None:
    fast = keyed(expression)
    assert fast is not None
    values = ["comments", "Comment-list", "commentary", "comol", "post-comments", "x comment",
              "infinite-scroll", "infinitescroll", "mvp-post-add-box", "share", "disqus_thread",
              "elementor-share-buttons", "", "main"]
    for value in values:
        assert bool(fast.search(value)) == any(p.search(value) for p in fast.patterns), value


def test_patterns_that_cannot_be_combined_are_searched_one_by_one() -> None:
    # a global flag must start the whole expression: "(?:(?i)Comment)|(?:comol)" is refused
    path = ".//*[re:test(@class, '(?i)Comment') or re:test(@id, 'comol')]"
    fast = keyed(_x(path))
    assert fast is not None
    assert fast.search("COMMENT") and fast.search("comol") and not fast.search("post")
    tree = parse_html("<html><body><div class='COMMENT'>a</div><p id='comol'>b</p>"
                      "<p class='post'>c</p></body></html>")
    assert fast(tree) == _x(path)(tree) and len(fast(tree)) == 2


def test_values_from_the_pages_class_list_find_the_same_elements() -> None:
    from pipelines.body import class_attributes
    from pipelines.keyed_xpath import AttributeValues

    for tree in _trees():
        for expression in [*RAW_TREE_PRUNE_XPATH, COMMENTS]:
            fast = keyed(expression)
            assert fast is not None
            given = AttributeValues(tree, class_attributes(tree))
            assert fast(tree, given) == expression(tree)


def test_split_top_splits_only_outside_brackets_and_quotes() -> None:
    assert split_top(".//a | .//b[@x='1|2'] | .//c[d or (e|f)]", " | ") == [
        ".//a", ".//b[@x='1|2']", ".//c[d or (e|f)]"]
    assert split_top("contains(@class, 'x') or not(@id)", " or ") == [
        "contains(@class, 'x')", "not(@id)"]
    assert split_top("a or b)", " or ") is None  # unbalanced
    assert split_top("a or 'b", " or ") is None  # an open quote
    assert split_top("f(x) and g(y)", ")") == ["f(x) and g(y)"]  # a bracket never splits


def test_predicates_of_steps() -> None:
    assert _predicates("[self::div or self::p] [contains(@class, ']')]") == [
        "self::div or self::p", "contains(@class, ']')"]
    assert _predicates("[a]/b[c]") is None  # a step between predicates
    assert _predicates("[a)") is None  # brackets of two kinds
    assert _predicates("[a") is None
    assert _predicates("") is None
