"""URL canonicalisation: one article, one URL."""

import pytest

from warta.urls import article_id, canonicalize_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/?b=2&a=1#top", "http://example.com/a/?a=1&b=2"),
        ("https://x.com/p/?utm_source=tw&utm_medium=social&fbclid=abc", "https://x.com/p/"),
        ("https://x.com/p?gclid=1&id=7&ref=home", "https://x.com/p?id=7"),
        ("https://x.com:443/p", "https://x.com/p"),
        ("http://127.0.0.1:8080/a/", "http://127.0.0.1:8080/a/"),
        ("https://x.com", "https://x.com/"),
    ],
)
def test_canonicalize(url, expected):
    assert canonicalize_url(url) == expected


def test_relative_urls_resolve_against_base():
    assert canonicalize_url("../b/?utm_campaign=x", "https://x.com/a/c/") == "https://x.com/a/b/"


def test_article_id_is_stable_and_short():
    a = article_id("https://x.com/p")
    assert a == article_id("https://x.com/p") and len(a) == 16 and a != article_id("https://x.com/q")


@pytest.mark.parametrize(
    "url",
    ["https://m.site.id/berita/gpu/", "https://site.id/berita/gpu/amp/",
     "https://www.site.id/berita/gpu/?amp=1", "https://site.id/berita/gpu/?utm_source=wa#top"],
)
def test_mobile_amp_and_www_variants_fold_when_the_source_says_so(url):
    aliases = {"m.site.id": "site.id", "www.site.id": "site.id"}
    assert canonicalize_url(url, host_aliases=aliases) == "https://site.id/berita/gpu/"


def test_meaningful_query_parameters_stay():
    assert canonicalize_url("https://x.com/read?page=2&amp=1") == "https://x.com/read?page=2"
    assert canonicalize_url("https://x.com/read?id=5&format=json") == \
        "https://x.com/read?format=json&id=5"
