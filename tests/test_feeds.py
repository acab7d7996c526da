"""Discovery documents: feed entries (crawler.feeds: RSS, Atom, JSON Feed) and sitemap
entries (crawler.sitemaps), checked against real feeds where the corpus is present."""

import gzip
import json
from pathlib import Path

import pytest

from crawler.feeds import FeedEntry, FeedError, feed_entries
from crawler.sitemaps import MAX_SITEMAP_BYTES, SitemapEntry, SitemapError, read_sitemap
from warta.urls import canonicalize_url

FEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "feeds"
needs_corpus = pytest.mark.skipif(not FEEDS.is_dir(), reason="../shared/corpus/feeds absent")

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Contoh",
    "items": [
        {"id": "https://contoh.id/a-1", "title": "Harga GPU turun",
         "date_published": "2026-11-28T14:05:00+07:00"},
        {"id": "2", "url": "https://contoh.id/b-2", "date_modified": "2026-11-27T10:00:00Z"},
        {"id": "3", "external_url": "https://elsewhere.example/linked", "title": "a link post"},
        "not an item",
    ],
}


def test_json_feed_items_give_their_own_pages():
    entries = feed_entries(json.dumps(JSON_FEED).encode())
    assert entries == [
        FeedEntry("https://contoh.id/a-1", "Harga GPU turun", "2026-11-28T14:05:00+07:00"),
        FeedEntry("https://contoh.id/b-2", None, "2026-11-27T10:00:00Z"),
    ]  # a link post's external_url is someone else's page: not an article of the source


def test_json_feed_is_recognised_by_content_type_or_by_its_first_byte():
    body = b"\xef\xbb\xbf\n  " + json.dumps(JSON_FEED).encode()  # BOM and white space first
    assert len(feed_entries(body)) == 2
    assert len(feed_entries(body, {"content-type": "application/feed+json"})) == 2
    rss = b"<rss><channel><item><link>https://contoh.id/c</link></item></channel></rss>"
    assert [e.url for e in feed_entries(rss, {"content-type": "application/json"})] == [
        "https://contoh.id/c"]  # a server's wrong content type does not decide


@pytest.mark.parametrize(("body", "message"), [
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "malformed JSON feed"),
    (b'{"items": "none"}', "without a JSON Feed's items"),
    (b'{"items": [{"id": "1"}]}', "no entries"),
    (b'{"items": ' + b"[" * 100_000, "nested too deeply"),
    (b"<rss><channel><item><title>broken", "malformed or empty feed"),
    (b"", "malformed or empty feed"),
])
def test_a_feed_without_entries_is_one_clear_error(body, message):
    with pytest.raises(FeedError) as caught:
        feed_entries(body)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_rss_entries_keep_title_and_date():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><title>Elon beli GPU</title><link>https://contoh.id/elon</link>
    <pubDate>Sat, 28 Nov 2026 07:05:00 GMT</pubDate></item>
    <item><title>no link</title><guid isPermaLink="false">x-1</guid></item>
    </channel></rss>"""
    assert feed_entries(rss) == [
        FeedEntry("https://contoh.id/elon", "Elon beli GPU", "Sat, 28 Nov 2026 07:05:00 GMT")]


def _expected_urls(serde: dict) -> list[str]:
    """The article URL of each entry as feed-rs parsed it: its first plain or alternate link,
    else an id that is a URL."""
    urls = []
    for entry in serde.get("entries", []):
        links = [x["href"] for x in entry.get("links", []) if x.get("rel") in (None, "alternate")]
        url = links[0] if links else entry.get("id")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            urls.append(url)
    return urls


@needs_corpus
def test_real_feeds_give_the_entries_feed_rs_finds():
    # 64 real and specification feeds (BBC, Spiegel, Cloudflare ...: RSS 0.9x/1.0/2.0, Atom,
    # JSON Feed) with feed-rs's expected parse beside each
    compared = 0
    for expected in sorted((FEEDS / "feed_rs").glob("*/*.serde.json")):
        stem = expected.name.removesuffix(".serde.json")
        feed = next((p for p in expected.parent.glob(stem + ".*") if p != expected), None)
        if feed is None:
            continue
        want = [canonicalize_url(u) for u in _expected_urls(json.loads(expected.read_text()))]
        try:
            got = [canonicalize_url(e.url) for e in feed_entries(feed.read_bytes())]
        except FeedError:
            got = []
        assert got == want, feed.name
        compared += 1
    assert compared >= 60


@needs_corpus
def test_ill_formed_and_odd_feeds_never_raise_anything_but_feed_error():
    # feedparser's 2,100 edge cases: bad encodings, ill-formed XML, entities, a JSON Feed
    files = [p for p in (FEEDS / "feedparser_tests").rglob("*.*") if p.name != "LICENSE"]
    with_entries, reasons = 0, []
    for path in files:
        try:
            with_entries += bool(feed_entries(path.read_bytes()))
        except FeedError as exc:
            reasons.append(str(exc))
    assert not [r for r in reasons if "\n" in r]
    assert len(files) > 2000
    assert with_entries >= 80  # most are feed-level cases without items
    json_feed = FEEDS / "feedparser_tests" / "json" / "example.json"
    assert [e.url for e in feed_entries(json_feed.read_bytes())] == [
        "https://example.org/second-item", "https://example.org/initial-post"]


@pytest.mark.e2e
def test_a_json_feed_source_is_crawled(tmp_path, db_path):
    from storage.archive import open_db
    from tests import routesite
    from tests.crawling import crawl

    routes = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
        "/a": (200, "text/html; charset=utf-8", routesite.article_html(
            "Harga GPU turun", "Harga kartu grafis turun minggu ini di Jakarta.").encode()),
        "/b": (200, "text/html; charset=utf-8", routesite.article_html(
            "Nvidia rilis driver", "Driver baru Nvidia memperbaiki bug di banyak game.").encode()),
    }
    with routesite.serving(routes) as server:
        items = [{"id": f"{server.base}/{name}", "title": name} for name in ("a", "b")]
        routes["/feed.json"] = (200, "application/feed+json", json.dumps(
            {"version": "https://jsonfeed.org/version/1.1", "items": items}).encode())
        done = crawl(db_path, tmp_path / "json.toml", f"""
[sources.jsonsite]
homepage = "{server.base}/"
lang = "id"
feeds = ["{server.base}/feed.json"]
""")
    assert done.returncode == 0, done.stderr[-3000:]
    titles = sorted(r["title"] for r in open_db(db_path).query("select title from articles"))
    assert titles == ["Harga GPU turun", "Nvidia rilis driver"]


URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc> https://contoh.id/a-1 </loc><lastmod>2026-11-28T08:00:00+07:00</lastmod>
    <news:news><news:publication_date>2026-11-28T07:05:00+07:00</news:publication_date>
      <news:title>Harga GPU turun</news:title></news:news></url>
  <!-- a comment between entries -->
  <url><loc>https://contoh.id/b-2</loc></url>
  <url><loc></loc></url>
</urlset>"""


def test_sitemap_entries_with_google_news_fields():
    sitemap = read_sitemap(URLSET)
    assert not sitemap.is_index
    assert sitemap.entries == [
        SitemapEntry("https://contoh.id/a-1", "2026-11-28T08:00:00+07:00",
                     "2026-11-28T07:05:00+07:00", "Harga GPU turun"),
        SitemapEntry("https://contoh.id/b-2"),
    ]


def test_gzipped_sitemap_index():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://contoh.id/sitemap-1.xml.gz</loc></sitemap></sitemapindex>"""
    sitemap = read_sitemap(gzip.compress(index))
    assert sitemap.is_index
    assert [e.loc for e in sitemap.entries] == ["https://contoh.id/sitemap-1.xml.gz"]


@pytest.mark.parametrize(("body", "message"), [
    (b"", "not a sitemap"),
    (b"<html><body>Not found</body></html>", "not a sitemap"),
    (b"<rss><channel></channel></rss>", "not a sitemap"),
    (b"\x1f\x8b\x08garbage", "bad gzip sitemap"),
    (gzip.compress(b" " * (MAX_SITEMAP_BYTES + 1)), "bad gzip sitemap"),  # a gzip bomb
])
def test_not_a_sitemap_is_one_clear_error(body, message):
    with pytest.raises(SitemapError) as caught:
        read_sitemap(body)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@needs_corpus
def test_google_news_sitemap_example_and_a_feed_using_the_sitemap_namespace():
    folder = FEEDS / "commoncrawl_news_crawl"
    sitemap = read_sitemap((folder / "sitemap-news.xml").read_bytes())
    assert sitemap.entries == [SitemapEntry(
        "http://www.example.com/business/article55.html", None, "2008-12-23",
        "Companies A, B in Merger Talks")]
    entries = feed_entries((folder / "feed-with-sitemap-namespace.xml").read_bytes())
    assert entries and all(e.url.startswith("https://example.com/lorem/") for e in entries)
    assert entries[0].title == "Lorem Ipsum Dolor Sit Amet"
