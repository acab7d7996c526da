"""Learned boilerplate, the audit trail, safe rules, and reprocessing after rule changes."""

import json
import time

import pytest

from pipelines.boilerplate import Cleaner, global_rules
from storage.archive import Archive, load_raw_page, open_db
from storage.boilerplate import learn_boilerplate, learned_lines
from storage.queries import search
from tests.crawling import run_warta
from tests.demo_site import DEMO_CONFIG

FOOTER = "Ikuti kanal kami untuk kabar teknologi terbaru setiap hari"


def seed(archive: Archive, n: int, footer: str | None = FOOTER, lead: str | None = None):
    for i in range(n):
        body = [lead or f"Paragraf pembuka berita nomor {i} tentang teknologi.",
                f"Isi berita {i} yang unik dan panjang tentang GPU dan ponsel."]
        if footer:
            body.append(footer)
        archive.store_article({"id": f"a{i}", "source": "s", "url": f"https://s.id/{i}",
                               "canonical_url": f"https://s.id/{i}", "title": f"Judul {i}",
                               "body": "\n\n".join(body), "fetched_at": f"2026-11-2{i % 9}T00:00:00Z"})


@pytest.fixture
def archive(db_path):
    a = Archive(db_path)
    a.save_source("s", "https://s.id/", "id", {})
    yield a
    a.close()


def test_a_line_on_most_pages_is_learned_and_removed(archive):
    seed(archive, 6)
    learned = learn_boilerplate(archive.db, "s")
    assert [r["text"] for r in learned] == [FOOTER] and learned[0]["pages"] == 6
    kept, removed = Cleaner(learned=learned_lines(archive.db, "s")).clean(
        ["Isi berita.", FOOTER.upper()])
    assert kept == ["Isi berita."] and removed[0]["origin"] == "learned"


def test_safeguards_min_pages_lead_and_allow_list(archive):
    seed(archive, 4)
    assert learn_boilerplate(archive.db, "s") == []  # too few pages
    seed(archive, 8, footer=None, lead="Jakarta - Paragraf pembuka yang sama di semua berita.")
    assert learn_boilerplate(archive.db, "s") == []  # the lead is never learned
    seed(archive, 8)
    assert learn_boilerplate(archive.db, "s", keep=("^Ikuti kanal",)) == []


def test_learned_lines_do_not_flip_flop_once_removed(archive):
    seed(archive, 6)
    learned = learned_lines(archive.db, "s") or frozenset()
    assert not learned
    learn_boilerplate(archive.db, "s")
    cleaner = Cleaner(learned=learned_lines(archive.db, "s"))
    for i in range(6):  # re-store every article cleaned with the learned line
        row = archive.db["articles"].get(f"a{i}")
        kept, removed = cleaner.clean(row["body"].split("\n\n"))
        archive.store_article({**row, "body": "\n\n".join(kept), "removed": removed})
    assert [r["text"] for r in learn_boilerplate(archive.db, "s")] == [FOOTER]


def test_catastrophic_rule_cannot_hang(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[[rules]]\nid = 'evil'\ndescription = 'x'\npattern = '^(a+)+$'\n")
    global_rules.cache_clear()
    try:
        cleaner = Cleaner(rules_file=rules)
        start = time.perf_counter()
        kept, _ = cleaner.clean(["a" * 40 + "b"])
        assert time.perf_counter() - start < 2 and kept == ["a" * 40 + "b"]
    finally:
        global_rules.cache_clear()


def test_bad_rule_file_names_the_rule(tmp_path):
    from warta.config import ConfigError

    rules = tmp_path / "rules.toml"
    rules.write_text("[[rules]]\nid = 'broken'\npattern = '(unclosed'\n")
    with pytest.raises(ConfigError, match="rule 'broken'.*bad regular expression"):
        global_rules.__wrapped__(rules)
    rules.write_text("[[rules]]\nid = 'x'\npattern = 'a'\ncolour = 'red'\n")
    with pytest.raises(ConfigError, match="unknown key"):
        global_rules.__wrapped__(rules)


@pytest.mark.e2e
def test_reprocess_applies_new_rules_in_place(demo_server, tmp_path):
    db_path = tmp_path / "w.db"
    env = {"WARTA_DEMO_BASE": demo_server}
    assert run_warta("--db", str(db_path), "--config", str(DEMO_CONFIG), "crawl",
                     env=env).returncode == 0
    db = open_db(db_path)
    learned = [r["text"] for r in db.query("select text from learned_boilerplate")]
    target = next(db.query("select id, body from articles where source = 'demo-technews'"))
    line = target["body"].split("\n\n")[1]
    phrase = " ".join(w.strip(".,;:'\"()") for w in line.split()[:6])
    # a new source rule that removes that paragraph everywhere
    config = tmp_path / "demo.toml"
    rule = line[:30].replace("'", "")
    config.write_text(DEMO_CONFIG.read_text() + f"""
[sources.demo-technews.clean]
rules = [{{ id = "new-rule", pattern = '^{rule}' }}]
""")
    db.execute("delete from raw_pages where article_id = (select id from articles "
               "where source = 'demo-portal' limit 1)")
    before = db["articles"].count
    done = run_warta("--db", str(db_path), "--config", str(config), "reprocess", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    # a cleaning rule changed, extraction did not: nothing is parsed again
    assert f"{before} articles (0 re-extracted, {before} re-cleaned)" in done.stdout
    assert db["articles"].count == before  # nothing deleted
    row = db["articles"].get(target["id"])
    assert line not in row["body"]
    assert any(r["rule"] == "new-rule" and r["origin"] == "source"
               for r in json.loads(row["removed"]))
    assert len(list(db.query("select * from article_revisions where article_id = ?",
                             [target["id"]]))) == 1
    assert target["id"] not in {h.id for h in search(db, f'"{phrase}"')}  # FTS in sync
    assert load_raw_page(db, target["id"]) is not None  # archived HTML untouched
    explain = run_warta("--db", str(db_path), "explain", row["canonical_url"])
    assert "[source:new-rule]" in explain.stdout and "[global:" in explain.stdout
    assert learned  # the demo's template line repeated on every portal page was learned
    fast = run_warta("--db", str(db_path), "--config", str(config), "reprocess", "--clean-only",
                     env=env)
    assert fast.returncode == 0 and " 0 updated" in fast.stdout
    full = run_warta("--db", str(db_path), "--config", str(config), "reprocess", "--full", env=env)
    assert full.returncode == 0, full.stderr[-2000:]
    assert f"({before - 1} re-extracted, 0 re-cleaned)" in full.stdout
    assert "1 without raw HTML (skipped)" in full.stdout and " 0 updated" in full.stdout
    assert db["articles"].count == before
    # the same in worker processes: the same articles, nothing changed
    rows = list(db.query("select * from articles order by id"))
    jobs = run_warta("--db", str(db_path), "--config", str(config), "reprocess", "--full",
                     "--jobs", "2", env=env)
    assert jobs.returncode == 0, jobs.stderr[-2000:]
    assert f"({before - 1} re-extracted, 0 re-cleaned): 0 updated, {before - 1} unchanged " \
           "(0 with new dates" in jobs.stdout
    assert "1 without raw HTML (skipped)" in jobs.stdout
    assert list(db.query("select * from articles order by id")) == rows

    # new extraction rules for one source: only its articles are re-extracted
    technews = db.execute("select count(*) from articles where source = 'demo-technews'"
                          ).fetchone()[0]
    db.execute("update articles set published_local = null where source = 'demo-technews'")
    config.write_text(config.read_text() + """
[sources.demo-technews.extract]
drop = [".share-buttons"]
""")
    changed = run_warta("--db", str(db_path), "--config", str(config), "reprocess", env=env)
    assert changed.returncode == 0, changed.stderr[-2000:]
    assert f"({technews} re-extracted, {before - technews} re-cleaned)" in changed.stdout
    assert f"({technews} with new dates, authors or other fields)" in changed.stdout
    assert db.execute("select count(*) from articles where source = 'demo-technews' and "
                      "published_local is null").fetchone()[0] == 0


def test_clean_only_keeps_lines_removed_without_a_position():
    from pipelines.boilerplate import original_paragraphs

    removed = [{"text": "Baca juga: X", "rule": "read-also", "origin": "global", "at": 1},
               {"text": "Gabung Saluran WhatsApp", "rule": "repeated-line", "origin": "learned"}]
    # a learned line cut from the stored body later has no position: it comes back at the end
    assert original_paragraphs("Lead.\n\nMore.", removed) == [
        "Lead.", "Baca juga: X", "More.", "Gabung Saluran WhatsApp"]


def test_reprocess_worker_extracts_drops_and_reports_missing_html(tmp_path):
    from pipelines.offline import _worker_extract, _worker_start

    archive = Archive(tmp_path / "w.db")
    archive.save_source("s", "https://s.example/", "en", {})
    text = "".join(f"<p>Paragraph {i} of the story about GPUs, with enough words to count "
                   "as running text here.</p>" for i in range(8))
    pages = {"good": f"<html><body><article><h1>GPUs</h1>{text}</article></body></html>",
             "empty": "<html><body></body></html>", "none": None}
    for key, html in pages.items():
        archive.store_article({"id": key, "source": "s", "url": f"https://s.example/{key}",
                               "canonical_url": f"https://s.example/{key}", "title": key,
                               "body": "x", "fetched_at": "2026-11-28T00:00:00Z"}, html)
    archive.close()
    _worker_start(str(tmp_path / "w.db"), {})
    good = _worker_extract(("good", "s", "https://s.example/good", None, 1))
    assert good.reason is None and good.article.title == "GPUs"
    assert "Paragraph 7" in good.article.body
    empty = _worker_extract(("empty", "s", "https://s.example/empty", None, 1))
    assert (empty.article, empty.reason, empty.crashed) == (None, "no_body", False)
    assert _worker_extract(("none", "s", "https://s.example/none", None, 1)) is None


def test_a_reprocess_worker_that_cannot_read_the_archive_says_so(tmp_path):
    from pipelines.offline import ReprocessError, _worker_extract, _worker_start

    _worker_start(str(tmp_path / "missing.db"), {})  # never raises: a pool would respawn it
    with pytest.raises(ReprocessError, match="cannot read the archive"):
        _worker_extract(("a", "s", "https://s.example/a", None, 1))


def test_reprocess_reads_the_archive_a_batch_at_a_time(tmp_path, monkeypatch):
    """Only row numbers are held for the whole run: each batch's columns are read when it
    starts (whole rows only where an article is re-cleaned, not re-extracted), and worker
    processes get each batch's pages in order, so their outcomes meet the right articles."""
    import shutil

    from crawler.run import crawl_settings
    from pipelines import offline
    from warta.config import load_config

    config, ids = _seven_articles(tmp_path)
    shutil.copy(tmp_path / "one.db", tmp_path / "two.db")
    monkeypatch.setattr(offline, "INGEST_BATCH", 3)
    reads: list[tuple[str, int]] = []
    for name in ("_task_rows", "_whole_rows"):
        original = getattr(offline, name)

        def spy(db, chunk, original=original, name=name):  # noqa: ANN001, ANN202
            chunk = list(chunk)
            reads.append((name, len(chunk)))
            return original(db, chunk)

        monkeypatch.setattr(offline, name, spy)
    settings = crawl_settings(load_config(config), tmp_path / "one.db", "ERROR")
    report = offline.reprocess(settings, full=True)
    assert (report.total, report.extracted, report.missing_raw, report.updated) == (7, 6, 1, 6)
    assert reads == [("_task_rows", 3), ("_task_rows", 3), ("_task_rows", 1)]
    report = offline.reprocess(settings, clean_only=True)
    assert report.total == 7 and ("_whole_rows", 3) in reads
    assert max(n for _, n in reads) == 3
    jobs = offline.reprocess(crawl_settings(load_config(config), tmp_path / "two.db", "ERROR"),
                             full=True, jobs=2)
    assert (jobs.extracted, jobs.missing_raw, jobs.updated) == (6, 1, 6)
    one, two = open_db(tmp_path / "one.db"), open_db(tmp_path / "two.db")
    columns = "id, title, body, word_count, content_hash"
    assert list(one.query(f"select {columns} from articles order by id")) == list(
        two.query(f"select {columns} from articles order by id"))
    assert "Paragraph 7 of story 6" in one["articles"].get(ids[6])["body"]
    assert one["articles"].get(ids[4])["body"] == "old text"


def test_newly_learned_lines_leave_every_article_a_batch_at_a_time(archive, monkeypatch):
    """apply_learned reads a source's articles a batch at a time (here 2), writing between
    batches: every article is visited once and loses the line."""
    from pipelines import boilerplate
    from warta.urls import article_id

    for i in range(5):
        url = f"https://s.id/{i}"
        archive.store_article({"id": article_id(url), "source": "s", "url": url,
                               "canonical_url": url, "title": f"Judul {i}",
                               "body": f"Isi berita {i} tentang GPU.\n\n{FOOTER}",
                               "fetched_at": "2026-11-28T00:00:00Z"})
    original = boilerplate._source_rows
    monkeypatch.setattr(boilerplate, "_source_rows",
                        lambda db, source: original(db, source, batch=2))
    assert boilerplate.apply_learned(archive, "s", frozenset({FOOTER.casefold()})) == 5
    bodies = [r["body"] for r in archive.db.query("select body from articles order by rowid")]
    assert bodies == [f"Isi berita {i} tentang GPU." for i in range(5)]


def _seven_articles(tmp_path):
    """An archive ``one.db`` of seven articles of source "s" stored with the body "old
    text" (the fourth without archived HTML), and its config; returns (config, ids)."""
    from warta.urls import article_id

    config = tmp_path / "sources.toml"
    config.write_text('[sources.s]\nhomepage = "https://s.example/"\nlang = "en"\n'
                      'feeds = ["https://s.example/feed"]\n')
    archive = Archive(tmp_path / "one.db")
    archive.save_source("s", "https://s.example/", "en", {})
    ids = [article_id(f"https://s.example/{i}") for i in range(7)]
    for i in range(7):
        text = "".join(f"<p>Paragraph {k} of story {i} about GPUs, with enough words to "
                       "count as running text here.</p>" for k in range(8))
        html = f"<html><body><article><h1>Story {i}</h1>{text}</article></body></html>"
        archive.store_article({"id": ids[i], "source": "s", "url": f"https://s.example/{i}",
                               "canonical_url": f"https://s.example/{i}", "title": f"Story {i}",
                               "body": "old text", "fetched_at": "2026-11-28T00:00:00Z"},
                              None if i == 4 else html)  # a4: no archived HTML
    archive.close()
    return config, ids


def test_a_reprocess_that_fails_mid_batch_keeps_the_batches_before_and_rolls_back_the_open_one(
        tmp_path, monkeypatch):
    from crawler.run import crawl_settings
    from pipelines import offline
    from warta.config import load_config

    config, ids = _seven_articles(tmp_path)
    monkeypatch.setattr(offline, "INGEST_BATCH", 3)
    process = offline.OfflinePipelines.process
    seen = []

    def failing(self, item):  # noqa: ANN001, ANN202 - the fifth one processed breaks the run
        seen.append(item)
        if len(seen) == 5:
            raise OSError("disk full")
        return process(self, item)

    monkeypatch.setattr(offline.OfflinePipelines, "process", failing)
    settings = crawl_settings(load_config(config), tmp_path / "one.db", "ERROR")
    with pytest.raises(OSError, match="disk full"):
        offline.reprocess(settings, full=True)
    db = open_db(tmp_path / "one.db")
    bodies = [db["articles"].get(i)["body"] for i in ids]
    assert all("Paragraph 7 of story" in b for b in bodies[:3])  # the first batch: committed
    # the second batch (articles 3-5; 4 has no HTML, skipped): 3 was re-extracted, then
    # rolled back when 5 failed; the third batch never ran
    assert bodies[3:] == ["old text"] * 4
    assert len(seen) == 5


def test_reprocess_takes_only_the_source_and_period_asked_for(tmp_path):
    from crawler.run import crawl_settings
    from pipelines import offline
    from warta.config import load_config
    from warta.urls import article_id

    config = tmp_path / "sources.toml"
    config.write_text("".join(f'[sources.{name}]\nhomepage = "https://{name}.example/"\n'
                              f'lang = "en"\nfeeds = ["https://{name}.example/feed"]\n'
                              for name in ("s", "t")))
    archive = Archive(tmp_path / "w.db")
    dates = {"s": ["2026-10-01T00:00:00Z", "2026-11-20T00:00:00Z", None],
             "t": ["2026-11-21T00:00:00Z", "2026-09-30T00:00:00Z"]}
    for name, published in dates.items():
        archive.save_source(name, f"https://{name}.example/", "en", {})
        for i, when in enumerate(published):
            url = f"https://{name}.example/{i}"
            archive.store_article({"id": article_id(url), "source": name, "url": url,
                                   "canonical_url": url, "title": f"Story {i}",
                                   "body": f"Paragraph one of story {i}.\n\nParagraph two.",
                                   "published_at": when, "fetched_at": "2026-11-28T00:00:00Z"})
    archive.close()
    settings = crawl_settings(load_config(config), tmp_path / "w.db", "ERROR")
    assert offline.reprocess(settings, clean_only=True).total == 5
    assert offline.reprocess(settings, source="t", clean_only=True).total == 2
    # undated articles count from their fetch time
    assert offline.reprocess(settings, since="2026-11-01", clean_only=True).total == 3
    report = offline.reprocess(settings, source="s", since="2026-11-01", clean_only=True)
    assert (report.total, report.rejected, sorted(report.learned)) == (2, 0, ["s"])
