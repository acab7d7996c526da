"""An XPath evaluated only on the elements that can match it, found by their id or class.

Many boilerplate XPaths have the form ``.//*[self::div or self::section][re:test(@id, 'x')
or re:test(@class, 'y')][...]``: every element they select carries an ``id`` or ``class``
matched by one of a few patterns. libxml2 still visits every element of the page and calls
back into Python for each ``re:test`` (2-3 ms an expression on a news page). The page's
distinct ``id`` and ``class`` values are a few hundred strings (~0.4 ms to read): testing
the patterns on them says which elements can match, and on most pages none can.

:func:`keyed` reads an expression's text and returns a :class:`KeyedXPath` that selects the
same elements in the same order, or None when it cannot prove that: the expression must be
``.//*`` followed by predicates only, none of them positional (a number, ``position()``,
``last()``: ``self::*[1]`` would not mean what ``.//*[1]`` means), and one predicate must be
an ``or`` of ``re:test(@id|@class, '...'[, 'i'])`` and ``contains(@id|@class, '...')``
tests (alone, or as one term of an ``and``), none of which an absent attribute (the empty
string) passes. Candidates are
the elements whose ``id`` or ``class`` value passes one of those tests; the whole expression,
rewritten as ``self::*[...]``, is then evaluated on each of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

EXSLT_REGEXP = "http://exslt.org/regular-expressions"
_ATTRIBUTE_TEST = re.compile(
    r"re:test\(@(?:id|class),\s*'(?P<pattern>[^']*)'(?:,\s*'(?P<flags>[a-z]*)')?\)"
    r"|contains\(@(?:id|class),\s*'(?P<literal>[^']*)'\)")
_BOOLEAN_CALL = re.compile(r"(?:not|contains|starts-with|re:test|boolean)\(")
_LOCATION_PATH = re.compile(r"[A-Za-z_.@*][\w:./@*-]*")
_POSITIONAL = re.compile(r"\b(?:position|last)\(")
_ID_AND_CLASS = etree.XPath(".//@id | .//@class", smart_strings=False)
_IDS = etree.XPath("//@id", smart_strings=False)
# one string test per element that has the attribute (see value_set): testing for it first
# spares libxml2 building a string for every element (1.5 against 2.5 ms a page)
_CARRYING = etree.XPath(".//*[@class and contains($wanted, concat('|', @class, '|')) or "
                        "@id and contains($wanted, concat('|', @id, '|'))]")


def value_set(values: list[str]) -> str:
    """Attribute values as one XPath string, "|a|b c|", in which an element's value is
    found with one test: ``contains($wanted, concat('|', @class, '|'))`` (an XPath variable
    cannot hold a set of strings, and a chain of ``@class = $v`` tests costs one comparison
    per value). Valid only when no value holds a "|" (the caller checks)."""
    return f"|{'|'.join(values)}|"


def _outside_quotes(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character of ``text`` not in a quoted string, with its index and the bracket
    depth around it (a bracket at the depth outside it: an opener before, a closer after
    it counts); ValueError when the brackets do not balance or a quote is left open."""
    depth, quote = 0, ""
    for i, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
            continue
        if c in "'\"":
            quote = c
            continue
        if c in ")]":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced")
        yield i, c, depth
        if c in "([":
            depth += 1
    if depth or quote:
        raise ValueError("unbalanced")


def split_top(text: str, separator: str) -> list[str] | None:
    """``text`` split at each ``separator`` outside brackets and quotes; None if the
    brackets do not balance."""
    parts, start = [], 0
    try:
        for i, c, depth in _outside_quotes(text):
            if depth == 0 and i >= start and c not in "()[]" and text.startswith(separator, i):
                parts.append(text[start:i])
                start = i + len(separator)
    except ValueError:
        return None
    parts.append(text[start:])
    return parts


def _predicates(steps: str) -> list[str] | None:
    """The bodies of ``[...][...]``, or None if ``steps`` is anything else."""
    bodies, start = [], 0
    try:
        for i, c, depth in _outside_quotes(steps):
            if depth:
                continue
            if c == "[":
                if steps[start:i].strip():
                    return None  # something between two predicates
                start = i + 1
            elif c == "]":
                bodies.append(steps[start:i].strip())
                start = i + 1
            elif not c.isspace():  # a bracket of another kind, or a step outside brackets
                return None
    except ValueError:
        return None
    return bodies or None


def _is_boolean(predicate: str) -> bool:
    """Whether a predicate is certainly a test, not a position: an ``or``/``and``/
    comparison at its top level, one call of a boolean function, or a location path."""
    if _POSITIONAL.search(predicate):
        return False
    for operator in (" or ", " and ", "=", "<", ">"):
        parts = split_top(predicate, operator)
        if parts is not None and len(parts) > 1:
            return True
    call = _BOOLEAN_CALL.match(predicate)
    if call and predicate.endswith(")"):
        inner = split_top(predicate[call.end():-1], ")")
        return inner is not None and len(inner) == 1  # the call spans the whole predicate
    return bool(_LOCATION_PATH.fullmatch(predicate)) and not predicate.replace(".", "").isdigit()


def _attribute_tests(predicate: str) -> list[re.Pattern[str]] | None:
    """The patterns of a predicate that only an element with a matching id or class can
    pass: an ``or`` of id/class tests, or an ``and`` with such a term; else None."""
    disjuncts = split_top(predicate, " or ")
    if disjuncts is None:
        return None
    if len(disjuncts) == 1:  # "and" binds tighter than "or": only now a conjunction
        for conjunct in split_top(predicate, " and ") or ():
            term = conjunct.strip()
            if term.startswith("(") and term.endswith(")") and _predicates(
                    f"[{term[1:-1]}]") == [term[1:-1].strip()]:
                term = term[1:-1].strip()  # a parenthesised term
            if term != predicate.strip() and (patterns := _attribute_tests(term)):
                return patterns
    patterns = []
    for disjunct in disjuncts:
        test = _ATTRIBUTE_TEST.fullmatch(disjunct.strip())
        if test is None:
            return None
        if test["literal"] is not None:
            patterns.append(re.compile(re.escape(test["literal"])))
        else:  # as lxml's EXSLT re:test compiles it
            flags = re.IGNORECASE if "i" in (test["flags"] or "") else 0
            try:
                patterns.append(re.compile(test["pattern"], flags))
            except re.error:
                return None
    if any(p.search("") for p in patterns):  # an element without the attribute would pass
        return None
    return patterns


class KeyedXPath:
    """Callable like the ``etree.XPath`` it stands for (on an element: ``xpath(tree)``)."""

    def __init__(self, expression: etree.XPath, patterns: list[re.Pattern[str]],
                 on_element: etree.XPath) -> None:
        self.expression = expression
        self.patterns = patterns
        self.on_element = on_element
        try:  # one search a value instead of one a pattern
            combined = re.compile("|".join(
                f"(?{'i' if p.flags & re.IGNORECASE else ''}:{p.pattern})" for p in patterns))
        except re.error:  # a pattern that cannot be grouped (a backreference, global flags)
            combined = None
        self.search: Callable[[str], object] = combined.search if combined else (
            lambda value: any(p.search(value) for p in patterns))

    def __call__(self, tree: Any, values: AttributeValues | None = None) -> list[Any]:
        """The elements ``expression`` selects under ``tree``; ``values``: those of
        ``tree`` or of a tree it was cut from (read when not given)."""
        wanted = (values or AttributeValues(tree)).wanted(self)
        if not wanted:
            return []
        if any("|" in v for v in wanted):  # the joined string could not tell them apart
            return self.expression(tree)
        on_element = self.on_element
        return [el for el in _CARRYING(tree, wanted=value_set(wanted)) if on_element(el)]


class AttributeValues:
    """The distinct id and class values of a tree, read when first needed, and which of them
    each keyed expression wants. They serve any tree cut from it by removing elements (a
    superset of its values). ``classes``: the page's class values when already read (as
    :func:`pipelines.body.class_attributes` gives them); then only its ids are read."""

    def __init__(self, tree: Any, classes: list[str] | None = None) -> None:
        self.tree = tree
        self.classes = classes
        self._values: set[str] | None = None
        self._wanted: dict[KeyedXPath, list[str]] = {}

    def wanted(self, fast: KeyedXPath) -> list[str]:
        found = self._wanted.get(fast)
        if found is None:
            if self._values is None:
                self._values = set(_ID_AND_CLASS(self.tree)) if self.classes is None else \
                    set(_IDS(self.tree)).union(self.classes)
            search = fast.search
            found = self._wanted[fast] = [v for v in self._values if search(v)]
        return found


_KEYED: dict[int, tuple[etree.XPath, KeyedXPath | None]] = {}


def keyed(expression: etree.XPath) -> KeyedXPath | None:
    """``expression`` as a :class:`KeyedXPath`, or None when its form is not the one this
    module can prove equivalent (see the module's note). Remembered per expression."""
    known = _KEYED.get(id(expression))
    if known is not None and known[0] is expression:
        return known[1]
    result = _analyse(expression)
    _KEYED[id(expression)] = (expression, result)
    return result


def _analyse(expression: etree.XPath) -> KeyedXPath | None:
    path = " ".join(getattr(expression, "path", "").split())
    if not path.startswith(".//*["):
        return None
    predicates = _predicates(path[len(".//*"):])
    if not predicates or not all(map(_is_boolean, predicates)):
        return None
    for predicate in predicates:
        patterns = _attribute_tests(predicate)
        if patterns:
            break
    else:
        return None
    try:
        on_element = etree.XPath("self::*" + path[len(".//*"):],
                                 namespaces={"re": EXSLT_REGEXP})
    except etree.XPathSyntaxError:
        return None
    return KeyedXPath(expression, patterns, on_element)


def restricted(nodelist: list[Any], tree: Any,
               values: AttributeValues | None = None) -> list[Callable[[Any], list[Any]]]:
    """``nodelist`` (XPath expressions) with each one :func:`keyed` can take replaced by a
    callable that evaluates it only on candidates. ``values``: those of ``tree`` or of a
    tree it was cut from (else read from ``tree`` once, when first needed, for every
    expression: pruning only removes elements, so they stay a superset)."""
    values = values or AttributeValues(tree)

    def bind(fast: KeyedXPath) -> Callable[[Any], list[Any]]:
        return lambda current: fast(current, values)

    return [expression if (fast := keyed(expression)) is None else bind(fast)
            for expression in nodelist]
