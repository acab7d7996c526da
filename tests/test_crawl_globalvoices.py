"""A real WordPress site (Global Voices snapshot) served on 127.0.0.1, crawled from its RSS."""

import json
import shutil
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from demo.server import serve
from storage.archive import open_db
from tests.crawling import FAST, run_warta

pytestmark = pytest.mark.e2e


@pytest.fixture
def gv_site(corpus, tmp_path):
    snapshot = corpus / "site_snapshot_globalvoices"
    root = tmp_path / "site"
    shutil.copytree(snapshot / "websites", root)
    for f in (root / "gv").iterdir():
        text = f.read_text(encoding="utf-8", errors="surrogateescape")
        f.write_text(text.replace("<BASE_WEBSITE_URL/>", "{{BASE}}/"), encoding="utf-8",
                     errors="surrogateescape")
    server, base = serve(root=root)
    yield snapshot, base
    server.shutdown()
    server.server_close()


def test_all_fifteen_feed_articles_are_stored_with_titles_and_dates(gv_site, tmp_path, db_path):
    snapshot, base = gv_site
    config = tmp_path / "gv.toml"
    config.write_text(FAST + f"""
[sources.globalvoices]
homepage = "{base}/gv/home.html"
lang = "en"
feeds = ["{base}/gv/test.rss"]
""")
    done = run_warta("--db", str(db_path), "--config", str(config), "crawl")
    assert done.returncode == 0, done.stderr[-3000:]

    db = open_db(db_path)
    rows = {r["url"].rsplit("/", 1)[-1]: r for r in db.query("select * from articles")}
    assert len(rows) == 15
    vilnius = ZoneInfo("Europe/Vilnius")
    for n in range(1, 16):
        expected = json.loads((snapshot / f"expected_crawler_stories/gv/{n}.json").read_text())
        row = rows[f"index_{n}.html"]
        assert row["title"] == expected["title"]
        when = datetime.fromisoformat(expected["publish_date"]).replace(tzinfo=vilnius)
        assert row["published_at"] == when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert len(row["body"].split()) > 100
    run = db["crawl_runs"].get(1)
    assert run["status"] == "ok" and run["articles_new"] == 15
