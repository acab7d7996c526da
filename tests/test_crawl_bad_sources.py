"""Dead, broken and half-broken sources: logged, counted, the crawl goes on, nothing lost."""

import json

import pytest

from storage.archive import open_db
from tests import routesite
from tests.crawling import FAST, run_warta

pytestmark = pytest.mark.e2e


@pytest.fixture
def site():
    good = routesite.article_html("GPU shortage eases", "Supply of H100 chips improved.")
    cafe = routesite.article_html("Café owners adopt AI", "The café in Bandung uses résumé bots.")
    routes = {
        "/mixed/feed": (200, "application/rss+xml", b"<rss><channel><item><title>broken"),
        "/mixed/sitemap.xml": (200, "application/xml", b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/mixed/good</loc></url><url><loc>{base}/mixed/cafe</loc></url>
<url><loc>{base}/mixed/report.pdf</loc></url><url><loc>{base}/mixed/gone</loc></url>
<url><loc>{base}/mixed/error</loc></url><url><loc>{base}/mixed/empty</loc></url>
</urlset>"""),
        "/mixed/good": (200, "text/html; charset=utf-8", good.encode()),
        # declared UTF-8, actually windows-1252
        "/mixed/cafe": (200, "text/html; charset=utf-8", cafe.encode("cp1252")),
        "/mixed/report.pdf": (200, "application/pdf", b"%PDF-1.4 binary\x00\x01"),
        "/mixed/error": (500, "text/html", b"oops"),
        "/mixed/empty": (200, "text/html", b""),
        "/broken/feed": (500, "text/html", b"server error"),
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
    }
    with routesite.serving(routes) as server:
        base = server.base.encode()
        routes["/mixed/sitemap.xml"] = (200, "application/xml",
                                        routes["/mixed/sitemap.xml"][2].replace(b"{base}", base))
        yield server


def config_for(tmp_path, base: str, dead_port: int):
    path = tmp_path / "bad.toml"
    path.write_text(FAST + f"""
[sources.mixed]
homepage = "{base}/mixed/"
lang = "en"
feeds = ["{base}/mixed/feed"]
sitemaps = ["{base}/mixed/sitemap.xml"]

[sources.broken]
homepage = "{base}/broken/"
lang = "en"
feeds = ["{base}/broken/feed"]
listings = ["{base}/broken/news"]
article_pattern = "/broken/[0-9]+"

[sources.dead]
homepage = "http://127.0.0.1:{dead_port}/"
lang = "en"
feeds = ["http://127.0.0.1:{dead_port}/feed"]
""")
    return path


def test_bad_sources_are_counted_and_the_crawl_continues(site, tmp_path, db_path):
    config = config_for(tmp_path, site.base, routesite.closed_port())
    done = run_warta("--db", str(db_path), "--config", str(config), "crawl")
    # two sources failed entirely: non-zero exit, but the working one was crawled
    assert done.returncode == 1, done.stderr[-3000:]
    db = open_db(db_path)
    titles = sorted(r["title"] for r in db.query("select title from articles"))
    assert titles == ["Café owners adopt AI", "GPU shortage eases"]
    cafe = next(db.query("select body from articles where title like 'Caf%'"))
    assert "résumé" in cafe["body"] and "\ufffd" not in cafe["body"]

    per_source = {r["source"]: r for r in db.query("select * from crawl_run_sources")}
    assert per_source["dead"]["status"] == "failed"
    assert per_source["broken"]["status"] == "failed"
    assert per_source["mixed"]["status"] == "degraded"
    assert per_source["mixed"]["discovery_failed"] == 1  # the malformed feed
    assert per_source["mixed"]["pages_failed"] == 2  # the 404 and the 500
    run = db["crawl_runs"].get(1)
    assert run["status"] == "partial" and run["articles_new"] == 2
    stats = json.loads(run["stats"])
    assert stats["warta/dropped/not_html"] == 1
    assert stats["warta/dropped/empty"] == 1
    for line in ("source dead:", "source broken:", "malformed or empty feed", "not HTML"):
        assert line in done.stderr
    assert "Traceback (most recent call last)" not in done.stderr

    # A second crawl of the same sites keeps everything already stored.
    again = run_warta("--db", str(db_path), "--config", str(config), "crawl", "mixed")
    assert again.returncode == 0, again.stderr[-3000:]
    assert db["articles"].count == 2
    assert "0 new" in again.stdout
