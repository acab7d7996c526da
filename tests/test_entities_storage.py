"""Entity tables: migration, per-article replacement inside the caller's transaction, queries."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from storage.entities import (
    co_mentioned,
    entities_of,
    mentions_per_day,
    migrate_entities,
    store_entities,
    top_entities,
)

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


def test_top_entities_window_and_type(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK, XAI])
    store_entities(db, "a2", [NVIDIA, MUSK])
    store_entities(db, "a3", [NVIDIA])
    top = top_entities(db, None, None, None, 10)
    assert [(t["entity_id"], t["articles"], t["mentions"]) for t in top] == [
        ("Q182477", 3, 9), ("Q317521", 2, 4), ("warta:xai", 1, 1)]
    week = top_entities(db, "2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z", None, 10)
    assert [(t["entity_id"], t["articles"]) for t in week] == [("Q182477", 1), ("Q317521", 1)]
    orgs = top_entities(db, None, None, "ORG", 1)
    assert [t["entity_id"] for t in orgs] == ["Q182477"]


def test_mentions_per_day_and_co_mentions(db: Database) -> None:
    store_entities(db, "a1", [NVIDIA, MUSK, XAI])
    store_entities(db, "a2", [NVIDIA, MUSK])
    store_entities(db, "a3", [NVIDIA])  # no published_at: its fetch time counts
    assert mentions_per_day(db, "Q182477") == [
        {"day": "2026-11-17", "articles": 1, "mentions": 3},
        {"day": "2026-11-18", "articles": 1, "mentions": 3},
        {"day": "2026-11-19", "articles": 1, "mentions": 3},
    ]
    assert mentions_per_day(db, "Q182477", "2026-11-19T00:00:00Z")[0]["day"] == "2026-11-19"
    assert [(c["entity_id"], c["articles"]) for c in co_mentioned(db, "warta:xai")] == [
        ("Q317521", 1), ("Q182477", 1)]


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
    assert top_entities(archive.db, "2026-11-27T00:00:00Z", None, "ORG", 5)[0]["articles"] == 1
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
    assert mentions_per_day(db, "Q182477") == [
        {"day": "2026-11-17", "articles": 1, "mentions": 2}]
