"""The dashboard in a real browser: headless Chromium (Debian's) driven by Playwright.

Each test serves a copy of dashboard/ with an export in its data/ folder on 127.0.0.1 and
checks what a person would see: charts with the export's counts, empty states, no console
errors, and scraped markup shown as text. Screenshots go to the test's tmp folder (and to
$WARTA_SCREENSHOTS when set).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storage.archive import Archive, open_db
from storage.exports import export_archive
from tests.crawling import REPO
from tests.test_exports import add_stories_and_entities, analyst_db  # noqa: F401 - fixture

CHROMIUM = os.environ.get("WARTA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
EVIL = ['<script>window.__pwned = 1</script>Skrip',
        '<img src=x onerror="window.__pwned = 2">Gambar']


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser.sh")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """A copy of dashboard/ served on 127.0.0.1: (folder, base URL)."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "dashboard", root, ignore=shutil.ignore_patterns("data"))
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def open_page(browser, url: str, tmp_path: Path, name: str):
    """Load the page, wait until it has drawn; return (page, console errors)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body:not([data-state=loading])", state="attached", timeout=10_000)
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("WARTA_SCREENSHOTS"):
        Path(os.environ["WARTA_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(os.environ["WARTA_SCREENSHOTS"]) / shot.name)
    return page, errors


def test_demo_export_renders_charts_with_its_counts(browser, site, analyst_db, tmp_path):  # noqa: F811
    root, url = site
    export_archive(open_db(analyst_db), root / "data", archive_name="warta.db")
    page, errors = open_page(browser, url, tmp_path, "dashboard-demo")
    assert errors == []
    assert page.evaluate("document.body.dataset.state") == "ready"

    bars = page.eval_on_selector_all(
        "#articles-chart rect.bar", "els => els.map(e => [e.dataset.series, +e.dataset.count])")
    per_source: dict[str, int] = {}
    for source, count in bars:
        per_source[source] = per_source.get(source, 0) + count
    assert per_source == {"demo-gamebrott": 16, "demo-technews": 15, "demo-portal": 6}
    legend = page.eval_on_selector_all(
        "#articles-legend li", "els => els.map(e => [e.dataset.source, +e.dataset.total])")
    assert legend == [["demo-gamebrott", 16], ["demo-portal", 6], ["demo-technews", 15]]
    assert page.inner_text("[data-card=articles] dd") == "37"
    assert page.inner_text("[data-card=stories] dd") == "7"

    entities = page.eval_on_selector_all(
        "#entities-chart .entity-row", "els => els.map(e => [e.dataset.name, +e.dataset.value])")
    assert 5 <= len(entities) <= 10
    values = [v for _, v in entities]
    assert values == sorted(values, reverse=True)
    assert values[0] > 0
    assert "NVIDIA" in [n for n, _ in entities]

    stories = page.locator("#stories-list li.story")
    assert stories.count() == 7
    first = page.locator("#stories-list li.story").first
    assert first.locator(".chip").count() == int(first.get_attribute("data-outlets"))
    gpu = page.locator("#stories-list li.story", has_text="10,000 Nvidia GPUs")
    assert sorted(gpu.locator(".chip").all_inner_texts()) == [
        "demo-gamebrott", "demo-portal", "demo-technews"]

    rows = page.locator("#sources-table tbody tr")
    assert rows.count() == 3
    assert page.locator("#sources-table .badge.ok").count() == 3
    assert page.locator("#notice").is_hidden()
    page.close()


def test_empty_export_shows_empty_states(browser, site, tmp_path):
    root, url = site
    export_archive(open_db(tmp_path / "empty.db"), root / "data")
    page, errors = open_page(browser, url, tmp_path, "dashboard-empty")
    assert errors == []
    assert page.evaluate("document.body.dataset.state") == "empty"
    for panel in ("#articles-chart", "#entities-chart", "#stories-list", "#sources-table"):
        assert page.locator(f"{panel} .empty").is_visible(), panel
    assert "No articles in this export yet" in page.inner_text("#articles-chart")
    assert page.locator("rect.bar").count() == 0
    assert page.inner_text("[data-card=articles] dd") == "0"
    page.close()


def test_missing_export_says_how_to_make_one(browser, site, tmp_path):
    _, url = site
    page, errors = open_page(browser, url, tmp_path, "dashboard-missing")
    assert page.evaluate("document.body.dataset.state") == "missing"
    assert "warta export --out dashboard/data" in page.inner_text("#notice")
    assert all("404" in e for e in errors), errors  # only the manifest's 404 itself
    page.close()


def test_scraped_markup_is_shown_as_text_and_never_runs(browser, site, tmp_path):
    root, url = site
    db_path = tmp_path / "evil.db"
    archive = Archive(db_path)
    archive.save_source("demo-evil", "javascript:alert(1)", "en", {})
    for i, title in enumerate(EVIL):
        archive.store_article({
            "id": f"e{i}", "source": "demo-evil", "url": f"https://evil.test/{i}",
            "canonical_url": f"https://evil.test/{i}", "title": title,
            "body": "NVIDIA " + title, "published_at": f"2026-11-2{i + 1}T10:00:00Z",
            "fetched_at": "2026-11-28T00:00:00Z", "authors": [], "tags": []})
    archive.close()
    add_stories_and_entities(db_path)
    db = open_db(db_path)
    db.execute("insert into stories (id, title, first_article_id, first_source, first_seen_at, "
               "last_updated_at, article_count, outlet_count) values (1, ?, 'e0', 'demo-evil', "
               "'2026-11-21T10:00:00Z', '2026-11-22T10:00:00Z', 2, 1)", [EVIL[1]])
    db.execute("update articles set story_id = 1")
    db.execute("insert into entities (id, name, type, aliases) values ('X1', ?, 'ORG', '[]')",
               [EVIL[0]])
    db.execute("insert into article_entities (article_id, entity_id, count, first_position, "
               "method) values ('e1', 'X1', 3, 0, 'gazetteer')")
    db.conn.commit()
    export_archive(db, root / "data")
    assert EVIL[0] in (root / "data" / "articles.csv").read_text()

    page, errors = open_page(browser, url, tmp_path, "dashboard-xss")
    assert errors == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img, main script").count() == 0
    assert page.inner_text("#stories-list .title") == EVIL[1]
    names = page.eval_on_selector_all("#entities-chart .entity-row",
                                      "els => els.map(e => e.dataset.name)")
    assert EVIL[0] in names
    assert EVIL[0][:17] in page.inner_text("#entities-chart")
    # A javascript: homepage is not made a link.
    assert page.locator("#sources-table a").count() == 0
    page.close()


def test_the_dashboard_reads_only_documented_export_files():
    """Every file the page fetches is one `warta export` writes."""
    from storage.exports import FILES

    app = (REPO / "dashboard" / "app.js").read_text(encoding="utf-8")
    fetched = set(re.findall(r'fetchText\(base, "([^"]+)"\)', app))
    assert fetched
    assert fetched <= set(FILES)
    assert "innerHTML" not in app
    assert "innerHTML" not in (
        REPO / "dashboard" / "charts.js").read_text(encoding="utf-8")
