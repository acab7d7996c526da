"""The archive: migrations, one row per canonical URL, FTS in sync, crawl runs."""


import pytest

from storage.archive import Archive, ArchiveError, load_raw_html, open_db
from storage.queries import QueryError, get_article, search, since_to_iso, source_stats
from storage.schema import migrations


def article(**over):
    base = {
        "id": "a1", "source": "demo", "url": "https://x.com/a?utm_source=t",
        "canonical_url": "https://x.com/a", "title": "NVIDIA ships H100 to xAI",
        "body": "Elon Musk bought ten thousand GPUs.\n\nThe deal closed on Monday.",
        "authors": ["Jane Doe"], "published_at": "2026-11-23T07:05:00Z",
        "published_raw": "Senin, 23 November 2026 14:05 WIB", "fetched_at": "2026-11-28T00:00:00Z",
        "lang": "en", "tags": ["AI"], "removed": [{"text": "Iklan", "rule": "advertisement",
                                                     "origin": "global"}],
    }
    return {**base, **over}


@pytest.fixture
def archive(db_path):
    a = Archive(db_path)
    a.save_source("demo", "https://x.com/", "en", {"feeds": []})
    yield a
    a.close()


def test_schema_is_migrated_once_with_wal(db_path):
    db = open_db(db_path)
    assert {"sources", "articles", "raw_pages", "crawl_runs", "crawl_run_sources",
            "articles_fts"} <= set(db.table_names())
    assert db.journal_mode == "wal"
    applied = [r["name"] for r in db.query(
        "select name from _sqlite_migrations where migration_set = 'warta'")]
    assert applied[0] == "m001_initial" and applied == sorted(applied)
    open_db(db_path)  # a second open applies nothing
    assert [r["name"] for r in db.query(
        "select name from _sqlite_migrations where migration_set = 'warta'")] == applied
    assert migrations.pending(db) == []


def test_the_writer_keeps_temporary_storage_in_memory(db_path):
    """Savepoint journals of the write side stay out of temporary files (see
    ``prepare_writer``); readers keep SQLite's default."""
    assert Archive(db_path).db.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert open_db(db_path).execute("PRAGMA temp_store").fetchone()[0] == 0


def test_store_then_restore_same_article_is_unchanged(archive):
    assert archive.store_article(article(), "<html>raw</html>").status == "new"
    assert archive.store_article(article(fetched_at="2026-11-29T00:00:00Z")).status == "unchanged"
    assert archive.db["articles"].count == 1
    assert archive.store_article(article(body="A corrected body.")).status == "updated"
    row = get_article(archive.db, "https://x.com/a")
    assert row["body"] == "A corrected body." and row["authors"] == ["Jane Doe"]
    assert load_raw_html(archive.db, "a1") == "<html>raw</html>"


def test_search_follows_updates_and_ranks(archive):
    archive.store_article(article())
    archive.store_article(article(id="a2", url="https://x.com/b", canonical_url="https://x.com/b",
                                  title="Tesla news", body="Nothing about chips. NVIDIA once."))
    hits = search(archive.db, "nvidia")
    assert [h.id for h in hits] == ["a1", "a2"]  # title match ranks first
    archive.store_article(article(title="Something else", body="Now about phones."))
    assert [h.id for h in search(archive.db, "nvidia")] == ["a2"]
    assert search(archive.db, "nvidia", source="other") == []
    assert [h.id for h in search(archive.db, '"ten thousand"')] == []


def test_malformed_fts_query_is_a_clear_error(archive):
    archive.store_article(article())
    with pytest.raises(QueryError, match="cannot search for"):
        search(archive.db, 'GPT-4 AND "unterminated')
    with pytest.raises(QueryError):
        search(archive.db, "   ")


def test_since_accepts_durations_and_dates():
    assert since_to_iso("2026-11-01") == "2026-11-01T00:00:00Z"
    assert since_to_iso("7d") < since_to_iso("1h")
    with pytest.raises(QueryError):
        since_to_iso("last tuesday")


def test_crawl_runs_are_recorded(archive):
    run = archive.start_run(["demo"])
    archive.finish_run(run, "ok", {"articles_new": 1}, {"demo": {"status": "ok",
                                                               "articles_new": 1}}, {"x": 1})
    row = archive.db["crawl_runs"].get(run)
    assert row["status"] == "ok" and row["finished_at"] and row["articles_new"] == 1
    stats = source_stats(archive.db)
    assert stats[0]["source"] == "demo" and stats[0]["last_status"] == "ok"


def test_a_failed_write_loses_nothing_already_stored(archive):
    archive.store_article(article())
    archive.db.execute("""create trigger boom before insert on articles
                          begin select raise(abort, 'disk full'); end""")
    with pytest.raises(ArchiveError, match="cannot store"):
        archive.store_article(article(id="a2", canonical_url="https://x.com/b"), "<html/>")
    assert archive.db["articles"].count == 1
    assert archive.db["raw_pages"].count == 0
    assert [h.id for h in search(archive.db, "nvidia")] == ["a1"]


def test_opening_a_missing_archive_for_reading_fails_clearly(tmp_path):
    with pytest.raises(ArchiveError, match="no archive at"):
        open_db(tmp_path / "nope.db", create=False)


def test_opening_a_corrupt_file_fails_clearly(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match="cannot open archive"):
        open_db(bad)


def test_a_rewrite_writes_only_what_changed(archive, db_path):
    """An edited or re-extracted article's row reads as if every value had been written,
    and a column whose value stays the same is left out of the write (its indexes and
    triggers do not run)."""
    archive.store_article(article())
    statements: list[str] = []
    archive.db.conn.set_trace_callback(statements.append)
    archive.store_article(article(body="Updated text.", tags=["AI", "GPU"]))
    # (a statement is traced again for each step of the triggers it runs)
    updates = {s for s in statements if s.lower().startswith("update [articles]")}
    statements.clear()
    archive.store_article(article(body="Updated text.", tags=["AI", "GPU"]))  # unchanged
    archive.db.conn.set_trace_callback(None)
    assert len(updates) == 1
    written = updates.pop().split(" set ", 1)[1].split(" where ")[0]
    assert "[body]" in written and "[tags]" in written and "[content_hash]" in written
    assert "[title]" not in written and "[published_at]" not in written
    # the same fetch time and text: the second store writes nothing to the row
    assert not [s for s in statements if s.lower().startswith("update")]
    fresh = Archive(db_path.parent / "fresh.db")
    fresh.save_source("demo", "https://x.com/", "en", {"feeds": []})
    fresh.store_article(article(body="Updated text.", tags=["AI", "GPU"]))
    skip = {"first_seen_at", "updated_at"}
    row = {k: v for k, v in archive.db["articles"].get("a1").items() if k not in skip}
    assert row == {k: v for k, v in fresh.db["articles"].get("a1").items() if k not in skip}
    fresh.close()


def test_edits_keep_a_revision(archive):
    archive.store_article(article())
    archive.store_article(article(title="NVIDIA ships H200 to xAI", body="Updated text."))
    revs = list(archive.db.query("select * from article_revisions"))
    assert len(revs) == 1 and revs[0]["title"] == "NVIDIA ships H100 to xAI"
    assert get_article(archive.db, "a1")["title"] == "NVIDIA ships H200 to xAI"


def test_fixed_name_savepoints_nest_like_named_ones():
    """storage.sql.atomic: one savepoint name for every level; an error inside rolls back
    that level only, and the outermost level is the transaction."""
    from sqlite_utils import Database

    from storage.sql import atomic, rows

    db = Database(memory=True)
    db.execute("create table t (x)")
    with atomic(db):
        db.execute("insert into t values (1)")
        with atomic(db):
            db.execute("insert into t values (2)")
            with pytest.raises(ZeroDivisionError), atomic(db):
                db.execute("insert into t values (3)")
                1 / 0  # noqa: B018
            db.execute("insert into t values (4)")
        with pytest.raises(KeyError), atomic(db):
            db.execute("insert into t values (5)")
            raise KeyError("x")
    assert not db.conn.in_transaction
    assert rows(db, "select x from t order by x") == [{"x": 1}, {"x": 2}, {"x": 4}]
    with pytest.raises(ValueError), atomic(db):
        db.execute("insert into t values (6)")
        raise ValueError("the whole transaction goes")
    assert [r["x"] for r in rows(db, "select x from t")] == [1, 2, 4]
