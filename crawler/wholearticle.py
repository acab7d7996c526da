"""URLs of the whole article on portals that split it over pages (kompas, detik, tribun).

Pure functions: the spider asks where the all-in-one view is and which link is the next
page; it does the fetching.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml.cssselect import CSSSelector
from scrapy.http import TextResponse

from warta.urls import canonicalize_url

_GENERIC_NEXT = 'a[rel~="next"], link[rel~="next"]'


def all_in_one_url(page1: str, rule: str) -> str:
    """The all-in-one view of ``page1``: ``rule`` is ``k=v`` (set in the query) or a
    template with ``{url}``."""
    if "{url}" in rule:
        return rule.replace("{url}", page1)
    key, _, value = rule.partition("=")
    parts = urlsplit(page1)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key]
    query.append((key, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def same_article(page1: str, candidate: str) -> bool:
    """True when ``candidate`` is a page of the article at ``page1`` (same host, and the
    same path or the path with a page suffix such as ``/2``)."""
    a, b = urlsplit(page1), urlsplit(candidate)
    if a.netloc != b.netloc:
        return False
    base = a.path.rstrip("/")
    return b.path.rstrip("/") == base or b.path.startswith(base + "/")


def next_page(response: TextResponse, selector: str | None) -> str | None:
    """The canonical URL of the "next page" link on ``response``, if there is one."""
    tree = response.selector.root
    for sel in (selector, _GENERIC_NEXT):
        if not sel:
            continue
        for el in CSSSelector(sel)(tree):
            href = el.get("href")
            if href and not href.startswith(("#", "javascript:")):
                return canonicalize_url(href, response.url)
    return None
