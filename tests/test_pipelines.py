"""Pipeline components built the Scrapy way, fed pages directly (no network, no reactor)."""

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.items import Article, Page
from pipelines.archive import ArchivePipeline
from pipelines.boilerplate import BoilerplatePipeline
from pipelines.extract import ExtractPipeline
from storage.archive import open_db
from tests.routesite import article_html

CONFIG = """
[sources.site]
homepage = "https://site.example/"
lang = "en"
feeds = ["https://site.example/feed"]
[sources.site.clean]
rules = [{ id = "site-footer", pattern = "^Site Weekly is a newsletter" }]
"""


@pytest.fixture
def crawler(tmp_path, db_path):
    config = tmp_path / "sources.toml"
    config.write_text(CONFIG)
    return get_crawler(settings_dict={"WARTA_CONFIG": str(config), "WARTA_DB": str(db_path)})


def page(html: str, url: str = "https://site.example/news/gpu?utm_source=x") -> Page:
    return Page(url=url, html=html, source="site", fetched_at="2026-11-28T00:00:00+00:00")


def test_page_flows_through_extract_clean_archive(crawler, db_path):
    extract = build_from_crawler(ExtractPipeline, crawler)
    clean = build_from_crawler(BoilerplatePipeline, crawler)
    archive = build_from_crawler(ArchivePipeline, crawler)
    archive.open_spider()
    html = article_html("GPU deal", "NVIDIA sold chips to xAI.").replace(
        "</article>", "<p>Baca juga: Berita lain</p><p>Site Weekly is a newsletter for you</p>"
                      "</article>")
    item = archive.process_item(clean.process_item(extract.process_item(page(html))))
    archive.close_spider()

    assert isinstance(item, Article) and item.raw_html is None
    assert [r["rule"] for r in item.removed] == ["title-repeat", "read-also", "site-footer"]
    stats = crawler.stats.get_stats()
    assert stats["warta/articles/new"] == 1 and stats["warta/source/site/articles_new"] == 1
    assert stats["warta/clean/paragraphs_removed"] == 3
    row = next(open_db(db_path).query("select * from articles"))
    assert row["canonical_url"] == "https://site.example/news/gpu"
    assert row["published_at"] == "2026-11-20T10:00:00Z"
    assert "Baca juga" not in row["body"] and "NVIDIA sold chips" in row["body"]


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "empty"),
        ("<html><head><title>Page not found</title></head><body><h1>404</h1></body></html>",
         "error_page"),
        ("<html><body><p>Short note.</p></body></html>", "too_short"),
        ("<html><head><title>Just a moment...</title></head><body><p>Checking if the site "
         "connection is secure. Enable JavaScript and cookies to continue.</p></body></html>",
         "bot_challenge"),
        ("<html><head><title>Gamebrott</title></head><body><p>Before you continue: we use "
         "cookies and data to deliver our services. Accept all or manage your privacy "
         "settings to read the article about NVIDIA and its new data centre chips.</p>"
         "</body></html>", "consent_wall"),
        ("<html><head><title>Berita Tekno Terbaru</title></head><body><main>" + "".join(
            f"<h2><a href='/read/{i}'>Judul berita teknologi nomor {i} yang cukup panjang</a>"
            f"</h2><p>Ringkasan singkat berita {i}.</p>" for i in range(15)) +
         "</main></body></html>", "listing"),
    ],
)
def test_non_articles_are_dropped_with_a_counted_reason(crawler, html, reason):
    extract = build_from_crawler(ExtractPipeline, crawler)
    with pytest.raises(DropItem, match="not an article"):
        extract.process_item(page(html))
    assert crawler.stats.get_value(f"warta/dropped/{reason}") == 1
    assert crawler.stats.get_value("warta/source/site/dropped") == 1


def test_other_items_pass_through(crawler):
    extract = build_from_crawler(ExtractPipeline, crawler)
    marker = {"not": "a page"}
    assert extract.process_item(marker) is marker


def test_a_page_that_breaks_the_extractor_is_dropped_and_counted(crawler, monkeypatch):
    import pipelines.extract as extract_module

    def broken(page, source=None):
        raise RecursionError("too deep")

    monkeypatch.setattr(extract_module, "extract_article", broken)
    extract = build_from_crawler(ExtractPipeline, crawler)
    with pytest.raises(DropItem, match=r"extraction failed \(RecursionError: too deep\)"):
        extract.process_item(page("<html><body><p>x</p></body></html>"))
    assert crawler.stats.get_value("warta/dropped/extract_error") == 1
    # the same outcome handed over from a reprocess worker is handled the same way
    outcome = extract_module.extract_outcome(page("<p>x</p>"))
    with pytest.raises(DropItem, match="extraction failed"):
        extract.process_item(outcome)
    assert crawler.stats.get_value("warta/dropped/extract_error") == 2


def test_offline_stats_count_as_scrapys_collector_does():
    from scrapy.statscollectors import MemoryStatsCollector

    from pipelines.offline import OfflineStats

    ours, scrapys = OfflineStats(), MemoryStatsCollector(get_crawler())
    for stats in (ours, scrapys):
        stats.inc_value("a")
        stats.inc_value("a", 3)
        stats.inc_value("b", 2, start=10)
        stats.set_value("c", "x")
        stats.max_value("m", 5)
        stats.max_value("m", 3)
        stats.min_value("n", 5)
        stats.min_value("n", 2)
    assert ours.get_stats() == scrapys.get_stats() == {
        "a": 4, "b": 12, "c": "x", "m": 5, "n": 2}
    assert ours.get_value("a") == 4 and ours.get_value("missing", 0) == 0
