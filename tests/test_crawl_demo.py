"""End to end: the bundled demo site crawled through `warta crawl`, checked against the
site's own manifest (what each page really says)."""

import json

import pytest

from storage.archive import open_db
from storage.queries import search
from tests.crawling import run_warta
from tests.demo_site import DEMO_CONFIG, MANIFEST, SOURCE_OF, articles, demo_db_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def rows(demo_crawl):
    return demo_db_rows(open_db(demo_crawl[0]))


def test_every_article_is_stored_once_and_nothing_else(rows):
    expected = {a["path"] for a in articles()}
    assert set(rows) == expected
    assert len(rows) == len(MANIFEST["articles"]) >= 30


@pytest.mark.parametrize("article", articles(), ids=lambda a: a["path"].split("/")[-2][:40])
def test_fields_match_the_page(rows, article):
    row = rows[article["path"]]
    assert row["source"] == SOURCE_OF[article["outlet"]]
    assert row["title"] == article["title"]
    assert row["published_at"] == article["published_utc"], row["published_raw"]
    assert json.loads(row["authors"]) == article["authors"]
    assert row["lang"] == MANIFEST["outlets"][article["outlet"]]["lang"] or article["lang"] == "en"
    body = row["body"]
    first_page = article.get("page_paragraphs", [article["paragraphs"]])[0]
    for paragraph in first_page:
        assert paragraph in body, paragraph[:60]
    for caption in article["captions"]:
        assert caption not in body.split("\n\n")
        assert caption in json.loads(row["captions"])


def test_no_boilerplate_line_in_any_body(rows):
    by_source = {SOURCE_OF[o]: lines for o, lines in MANIFEST["boilerplate"].items()}
    for row in rows.values():
        paragraphs = row["body"].split("\n\n")
        for line in by_source[row["source"]]:
            assert line not in paragraphs, (row["canonical_url"], line)
            assert not any(p.startswith(line) for p in paragraphs if len(line) > 25), line


def test_tracking_url_variant_is_the_same_article(rows):
    clean = MANIFEST["tracking_url"].split("?")[0]
    assert clean in rows
    db_urls = [r["url"] for r in rows.values()]
    assert not any("utm_" in u or "fbclid" in u for u in db_urls)


def test_indonesian_dates_with_only_visible_text_come_out_in_utc(rows):
    text_only = [a for a in articles("gamebrott") if "meta" not in a["date_markup"]]
    assert len(text_only) >= 5
    for a in text_only:
        assert rows[a["path"]]["published_at"] == a["published_utc"], a["published_raw"]


def test_search_finds_the_seed_story(demo_crawl):
    db = open_db(demo_crawl[0])
    hits = search(db, '"elon musk" AND nvidia')
    events = {a["path"]: a["event"] for a in articles()}
    found = {h.url.split("/", 3)[3] for h in hits}
    assert {events.get("/" + p) for p in found} >= {"xai-gpus"}
    cli = run_warta("--db", str(demo_crawl[0]), "search", "GPU", "--json")
    assert cli.returncode == 0 and json.loads(cli.stdout)


def test_crawl_run_is_recorded(demo_crawl):
    db = open_db(demo_crawl[0])
    run = next(db.query("select * from crawl_runs order by id limit 1"))
    assert run["status"] == "ok" and run["articles_new"] == len(MANIFEST["articles"])
    per_source = {r["source"]: r["status"] for r in db.query("select * from crawl_run_sources")}
    assert per_source == dict.fromkeys(SOURCE_OF.values(), "ok")


def test_second_crawl_adds_nothing_and_fetches_only_discovery_pages(demo_crawl, tmp_path):
    db_path, _, base = demo_crawl
    db = open_db(db_path)
    before = db["articles"].count
    again = run_warta("--db", str(db_path), "--config", str(DEMO_CONFIG), "crawl",
                      env={"WARTA_DEMO_BASE": base})
    assert again.returncode == 0, again.stderr[-2000:]
    assert db["articles"].count == before
    run = next(db.query("select * from crawl_runs order by id desc limit 1"))
    stats = json.loads(run["stats"])
    assert run["articles_new"] == 0 and run["articles_updated"] == 0
    # 3 feeds, 2 sitemaps (an unchanged sitemap index is not re-read), 4 listings
    discovery_pages = 9
    robots = 1
    assert stats["downloader/request_count"] == discovery_pages + robots
    assert stats["warta/discovery/not_modified"] == discovery_pages



def test_make_demo_falls_back_to_a_free_port_and_recrawls_incrementally(tmp_path):
    import socket
    import subprocess
    import sys

    def demo(port: int) -> str:  # one crawl a process, as make demo runs it
        done = subprocess.run([sys.executable, "-m", "demo.run", "--db", str(tmp_path / "d.db"),
                               "--port", str(port)], capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))  # a port held here stands for the default one being busy
    taken.listen()
    port = taken.getsockname()[1]
    try:
        first = demo(port)
    finally:
        taken.close()
    assert f"port {port} is busy" in first and "37 new" in first
    # on the port, free now, twice: the second run finds the same URLs, nothing new
    second, third = demo(port), demo(port)
    assert "is busy" not in second and f"127.0.0.1:{port}/" in second and "37 new" in second
    assert "0 new" in third and "74 articles in all" in third  # the first run's 37 + 37
