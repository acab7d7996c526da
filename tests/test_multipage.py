"""Articles split over pages: stored once, whole, in order, without pager text."""

import json

import pytest

from storage.archive import open_db
from tests import routesite
from tests.crawling import crawl, run_warta
from tests.demo_site import DEMO_CONFIG, articles, path_of

pytestmark = pytest.mark.e2e

PAGER_WORDS = ("Halaman Selanjutnya", "Halaman Sebelumnya", "Halaman 1", "Lihat Semua")
SPLIT = next(a for a in articles("portal") if a["pages"] == 3)


def check_whole(row):
    body = row["body"]
    positions = []
    for page in SPLIT["page_paragraphs"]:
        for paragraph in page:
            assert paragraph in body, paragraph[:60]
            positions.append(body.index(paragraph))
    assert positions == sorted(positions)  # pages in order
    for line in body.split("\n\n"):
        assert not any(line.startswith(w) for w in PAGER_WORDS), line
    assert row["complete"] == 1


def crawl_portal(tmp_path, demo_server, prefer: str):
    text = DEMO_CONFIG.read_text().replace('prefer = "all_in_one"', f'prefer = "{prefer}"')
    config = tmp_path / "demo.toml"
    config.write_text(text)
    db = tmp_path / "w.db"
    done = run_warta("--db", str(db), "--config", str(config), "crawl", "demo-portal",
                     env={"WARTA_DEMO_BASE": demo_server})
    assert done.returncode == 0, done.stderr[-2000:]
    return open_db(db)


def test_all_in_one_view_is_stored_once_and_whole(demo_crawl):
    db = open_db(demo_crawl[0])
    rows = [r for r in db.query("select * from articles") if path_of(r["canonical_url"]) ==
            SPLIT["path"]]
    assert len(rows) == 1
    assert rows[0]["pages_via"] == "all_in_one"
    check_whole(rows[0])


def test_pager_is_followed_and_pages_joined(tmp_path, demo_server):
    db = crawl_portal(tmp_path, demo_server, "pager")
    rows = {path_of(r["canonical_url"]): r for r in db.query("select * from articles")}
    assert len(rows) == len(articles("portal"))
    row = rows[SPLIT["path"]]
    assert row["pages_via"] == "pager" and row["pages"] == 3
    check_whole(row)
    assert not any("page=" in u for u in rows)


def pager_site(loop: bool, pages: int):
    def page(n: int) -> bytes:
        nxt = 1 if (loop and n == pages) else n + 1
        link = f'<a class="next" href="/read/1/story?page={nxt}">Halaman Selanjutnya</a>'
        if not loop and n == pages:
            link = ""
        body = "".join(f"<p>Paragraf {i} halaman {n}: isi berita tentang GPU dan data center "
                       f"yang panjang sekali untuk diuji.</p>" for i in range(8))
        return (f"<html><head><title>Berita berseri</title></head><body><article>"
                f"<h1>Berita berseri</h1>{body}<div>{link}</div></article></body></html>"
                ).encode()

    routes = {"/read/1/story": (200, "text/html", page(1))}
    for n in range(2, pages + 1):
        routes[f"/read/1/story?page={n}"] = (200, "text/html", page(n))
    routes["/read/1/story?page=1"] = routes["/read/1/story"]
    return routes


@pytest.mark.parametrize(("loop", "pages", "expected_pages"), [(True, 2, 2), (False, 6, 4)],
                         ids=["loop", "past-the-bound"])
def test_looping_or_endless_pager_stops_and_marks_incomplete(tmp_path, db_path, loop, pages,
                                                             expected_pages):
    routes = pager_site(loop, pages)
    with routesite.serving(routes) as server:
        routes["/feed"] = (200, "application/rss+xml", (
            f'<rss version="2.0"><channel><title>t</title><item><title>Berita berseri</title>'
            f"<link>{server.base}/read/1/story</link></item></channel></rss>").encode())
        done = crawl(db_path, tmp_path / "p.toml", f"""
[sources.serial]
homepage = "{server.base}/"
lang = "id"
feeds = ["{server.base}/feed"]
[sources.serial.pages]
next = "a.next"
max_pages = 4
""")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = list(open_db(db_path).query("select * from articles"))
    assert len(rows) == 1
    row = rows[0]
    assert row["complete"] == 0 and row["pages"] == expected_pages
    assert row["canonical_url"].endswith("/read/1/story")
    for n in range(1, expected_pages + 1):
        assert f"halaman {n}:" in row["body"]
    assert "pager of" in done.stderr
    assert json.loads(next(open_db(db_path).query("select stats from crawl_runs"))["stats"])[
        "warta/pages/incomplete"] == 1
