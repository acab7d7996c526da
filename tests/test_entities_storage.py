"""Entity tables: migration, per-article replacement inside the caller's transaction, queries."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlite_utils import Database

from storage.analyst import UnknownEntity, entities_daily, find_entity, top_entities
from storage.entities import entities_of, entity_ids_of, migrate_entities, store_entities

NVIDIA = {"entity_id": "Q182477", "name": "Nvidia", "type": "ORG", "count": 3,
          "first_position": 10, "method": "gazetteer", "aliases": ["NVIDIA"]}
MUSK = {"entity_id": "Q317521", "name": "Elon Musk", "type": "PERSON", "count": 2,
        "first_position": 0, "method": "gazetteer", "aliases": ["Elon"]}
XAI = {"entity_id": "warta:xai", "name": "xAI", "type": "ORG", "count": 1,
       "first_position": 40, "method": "gazetteer"}


@pytest.fixture
def db() -> Database:
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    db["articles"].create({"id": str, "source": str, "published_at": str, "fetched_at": str,
                           "title": str, "body": str, "lang": str}, pk="id")
    db["articles"].insert_all([
        {"id": "a1", "source": "s", "published_at": "2026-11-17T03:00:00Z",
         "fetched_at": "2026-11-20T00:00:00Z"},
        {"id": "a2", "source": "s", "published_at": "2026-11-18T09:30:00Z",
         "fetched_at": "2026-11-20T00:00:00Z"},
        {"id": "a3", "source": "s", "published_at": None, "fetched_at": "2026-11-19T10:00:00Z"},
    ])
    migrate_entities(db)
    migrate_entities(db)  # applying twice is a no-op
    return db


def test_store_and_read_back(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK])
    assert entities_of(db, "a1") == [
        {"entity_id": "Q317521", "name": "Elon Musk", "type": "PERSON", "count": 2,
         "first_position": 0, "method": "gazetteer"},
        {"entity_id": "Q182477", "name": "Nvidia", "type": "ORG", "count": 3,
         "first_position": 10, "method": "gazetteer"},
    ]
    assert db["entities"].get("Q182477")["aliases"] == '["NVIDIA"]'


def test_store_replaces_the_articles_rows_and_merges_aliases(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK])
    store_entities(db, "a1", [{**NVIDIA, "count": 1, "aliases": ["NVIDIA Corp"]}])
    assert [(e["entity_id"], e["count"]) for e in entities_of(db, "a1")] == [("Q182477", 1)]
    assert db["entities"].get("Q182477")["aliases"] == '["NVIDIA", "NVIDIA Corp"]'
    store_entities(db, "a1", [])
    assert entities_of(db, "a1") == []


def test_a_restore_moves_recounts_adds_and_removes_rows(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK])
    rowids = {r[0]: r[1] for r in db.execute("select entity_id, rowid from article_entities")}
    # NVIDIA moved (same count), Elon Musk gone, xAI new, then NVIDIA recounted
    store_entities(db, "a1", [{**NVIDIA, "first_position": 55, "method": "pattern"}, XAI])
    assert [(e["entity_id"], e["count"], e["first_position"], e["method"])
            for e in entities_of(db, "a1")] == [
        ("warta:xai", 1, 40, "gazetteer"), ("Q182477", 3, 55, "pattern")]
    # the moved row was updated in place, with the article's time
    after = {r[0]: r[1:] for r in db.execute(
        "select entity_id, rowid, at from article_entities where article_id = 'a1'")}
    assert after["Q182477"] == (rowids["Q182477"], "2026-11-17T03:00:00Z")
    assert after["warta:xai"][1] == "2026-11-17T03:00:00Z"
    store_entities(db, "a1", [{**NVIDIA, "count": 9}, XAI, XAI])  # a repeated entity: once
    assert [(e["entity_id"], e["count"]) for e in entities_of(db, "a1")] == [
        ("Q182477", 9), ("warta:xai", 1)]


def test_entity_ids_of_many_articles_in_order_of_first_appearance(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK, XAI])  # first positions 10, 0, 40
    store_entities(db, "a2", [XAI])
    # more ids than one "in (...)" list takes: read in chunks, every id answered
    ids = ["a1", *(f"missing{i}" for i in range(1_200)), "a2", "a3"]
    found = entity_ids_of(db, ids)
    assert list(found) == ids
    assert found["a1"] == ["Q317521", "Q182477", "warta:xai"]
    assert found["a2"] == ["warta:xai"]
    assert found["a3"] == [] and found["missing700"] == []


def test_unknown_article_is_an_error(db: Database) -> None:
    with pytest.raises(ValueError, match="no article 'nope'"):
        store_entities(db, "nope", [NVIDIA])


def test_nested_in_callers_transaction(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA])

    def caller_transaction() -> None:
        with db.atomic():
            store_entities(db, "a1", [MUSK])
            db.execute("insert into articles (id) values ('a1')")  # the caller's write fails

    with pytest.raises(sqlite3.IntegrityError):
        caller_transaction()
    assert [e["entity_id"] for e in entities_of(db, "a1")] == ["Q182477"]


NOW = datetime(2026, 11, 20, tzinfo=UTC)


def test_top_entities_window_type_and_co_mentions(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK, XAI])
    store_entities(db, "a2", [NVIDIA, MUSK])
    store_entities(db, "a3", [NVIDIA])
    top = top_entities(db, since="2026-11-01", now=NOW)
    assert [(t["id"], t["articles"], t["mentions"]) for t in top] == [
        ("Q182477", 3, 9), ("Q317521", 2, 4), ("warta:xai", 1, 1)]
    # since the 18th (a2, and a3 by its fetch time), against the two days before (a1)
    recent = top_entities(db, since="2026-11-18", now=NOW)
    assert [(t["id"], t["articles"], t["previous_mentions"]) for t in recent] == [
        ("Q182477", 2, 3), ("Q317521", 1, 2)]
    assert [t["id"] for t in top_entities(db, since="2026-11-01", entity_type="org", top=1,
                                          now=NOW)] == ["Q182477"]
    # "which entities appear with xAI": by id, name or alias, itself left out
    for name in ("warta:xai", "XAI", "xai"):
        assert [(t["id"], t["articles"]) for t in top_entities(
            db, since="2026-11-01", with_entity=name, now=NOW)] == [
            ("Q182477", 1), ("Q317521", 1)]
    assert [t["id"] for t in top_entities(db, since="2026-11-01", with_entity="Elon",
                                          now=NOW)] == ["Q182477", "warta:xai"]
    with pytest.raises(UnknownEntity, match="no entity 'Grok'"):
        top_entities(db, since="2026-11-01", with_entity="Grok", now=NOW)
    # an archive without the covering index (not migrated: opened read-only) reads the same
    db.execute("drop index idx_article_entities_at_cover")
    assert top_entities(db, since="2026-11-01", now=NOW) == top


def test_mentions_per_day_of_one_entity(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK, XAI])
    store_entities(db, "a2", [NVIDIA, MUSK])
    store_entities(db, "a3", [NVIDIA])  # no published_at: its fetch time counts
    days = [(r["day"], r["articles"], r["mentions"]) for r in entities_daily(db, entity="nvidia")]
    assert days == [("2026-11-17", 1, 3), ("2026-11-18", 1, 3), ("2026-11-19", 1, 3)]
    assert [r["day"] for r in entities_daily(db, since="2026-11-19", entity="Q182477")] == [
        "2026-11-19"]
    assert find_entity(db, "NVIDIA")["id"] == "Q182477"  # an alias


def test_triggers_fill_and_follow_the_articles_time(db: Database) -> None:
    # a row written by another tool, without the time, gets it; a corrected date moves it
    store_entities(db, "a1", [NVIDIA])
    db.execute("insert into article_entities (article_id, entity_id, count) "
               "values ('a3', 'Q182477', 1)")
    at = "select at from article_entities where article_id = ?"
    assert db.execute(at, ["a3"]).fetchone()[0] == "2026-11-19T10:00:00Z"
    db.execute("update articles set published_at = '2026-11-18T01:00:00Z' where id = 'a3'")
    assert db.execute(at, ["a3"]).fetchone()[0] == "2026-11-18T01:00:00Z"


def test_the_time_trigger_runs_only_when_the_articles_time_changes(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK])
    before = db.conn.total_changes
    # a re-crawl writes a new fetch time: a1's time is its publication date, unchanged
    db.execute("update articles set fetched_at = '2026-11-21T00:00:00Z' where id = 'a1'")
    assert db.conn.total_changes == before + 1  # the article row alone
    db.execute("update articles set published_at = '2026-11-17T03:00:00Z' where id = 'a1'")
    assert db.conn.total_changes == before + 2
    db.execute("update articles set published_at = '2026-11-16T03:00:00Z' where id = 'a1'")
    assert db.conn.total_changes == before + 5  # the row and its two entity rows
    assert {r[0] for r in db.execute("select at from article_entities")} == {
        "2026-11-16T03:00:00Z"}


def test_top_entities_read_the_window_from_a_covering_index(db: Database) -> None:
    db["articles"].add_column("duplicate_of", str)
    db["articles"].create_index(["duplicate_of"])
    store_entities(db, "a1", [NVIDIA])
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)  # the statements as run, values bound in
    top_entities(db, since="2026-11-01", now=NOW)
    db.conn.set_trace_callback(None)
    [sql] = [q for q in seen if "from article_entities ae" in q]
    plan = [r[3] for r in db.execute(f"explain query plan {sql}").fetchall()]
    # the window's rows come from the covering time index alone, never the whole table
    assert "SEARCH ae USING COVERING INDEX idx_article_entities_at_cover (at>? AND at<?)" \
        in plan, plan


def test_per_day_query_uses_the_covering_index(db: Database) -> None:
    plan = " ".join(r[3] for r in db.execute(
        "explain query plan select substr(at, 1, 10), count(*), sum(count) "
        "from article_entities where entity_id = ? and at >= ? group by 1",
        ["Q182477", "2026"]).fetchall())
    assert "COVERING INDEX" in plan


def test_works_on_the_real_archive_schema(tmp_path) -> None:
    from storage.archive import Archive

    archive = Archive(tmp_path / "warta.db")
    archive.save_source("demo", "https://example.com/", "id", {})
    archive.store_article({"id": "abc", "source": "demo", "url": "https://example.com/a",
                           "canonical_url": "https://example.com/a", "title": "Nvidia",
                           "body": "Nvidia.", "fetched_at": "2026-11-28T00:00:00Z",
                           "published_at": "2026-11-27T10:00:00Z"})
    migrate_entities(archive.db)
    with archive.db.atomic():
        store_entities(archive.db, "abc", [NVIDIA])
    now = datetime(2026, 11, 28, tzinfo=UTC)
    assert top_entities(archive.db, since="2026-11-27", entity_type="ORG", now=now
                        )[0]["articles"] == 1
    # a re-extraction that corrects the date (same text) moves the entity rows with it
    archive.store_article({"id": "abc", "source": "demo", "url": "https://example.com/a",
                           "canonical_url": "https://example.com/a", "title": "Nvidia",
                           "body": "Nvidia.", "fetched_at": "2026-11-28T01:00:00Z",
                           "published_at": "2026-11-20T10:00:00Z", "entities": [NVIDIA]})
    assert top_entities(archive.db, since="2026-11-27", now=now) == []
    assert [r["day"] for r in entities_daily(archive.db, entity="Nvidia")] == ["2026-11-20"]
    archive.close()


def test_migration_adopts_tables_made_elsewhere() -> None:
    db = Database(memory=True)
    db["articles"].create({"id": str, "published_at": str, "fetched_at": str}, pk="id")
    db["articles"].insert({"id": "a1", "published_at": "2026-11-17T03:00:00Z"})
    db["entities"].create({"id": str, "name": str, "type": str, "aliases": str}, pk="id")
    db["entities"].insert({"id": "Q182477", "name": "Nvidia", "type": "ORG", "aliases": "[]"})
    db["article_entities"].create({"article_id": str, "entity_id": str, "count": int},
                                  pk=("article_id", "entity_id"))
    db["article_entities"].insert({"article_id": "a1", "entity_id": "Q182477", "count": 2})
    migrate_entities(db)
    assert [(r["day"], r["articles"], r["mentions"])
            for r in entities_daily(db, entity="Q182477")] == [("2026-11-17", 1, 2)]
