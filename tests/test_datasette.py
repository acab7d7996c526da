"""`warta serve`: Datasette metadata (search, facets, sorts) and every canned query, run
against the analyst fixture archive through Datasette's own test client."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from storage.analyst import top_entities
from storage.archive import open_db
from tests.crawling import REPO
from tests.test_exports import analyst_db, copy_archive  # noqa: F401 - fixture
from warta.analyst_cli import DEFAULT_METADATA, datasette_metadata, make_datasette

CANNED = sorted(yaml.safe_load(DEFAULT_METADATA.read_text())["databases"]["warta"]["queries"])


def get_json(db_path: Path, *paths: str) -> list:
    """GET each path from a Datasette over ``db_path``; return (status, json) pairs."""
    metadata, _ = datasette_metadata(db_path)
    ds = make_datasette(db_path, metadata)

    async def run():
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            out.append((response.status_code, response.json()))
        return out

    return asyncio.run(run())


@pytest.fixture(scope="module")
def fresh_db(analyst_db, tmp_path_factory):  # noqa: F811
    """The analyst archive plus one article published an hour ago, so "this week" has data
    whatever today's date is."""
    path = copy_archive(analyst_db, tmp_path_factory.mktemp("ds") / "warta.db")
    db = open_db(path)
    now = datetime.now(UTC).replace(microsecond=0)
    hour_ago = (now - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    row = next(db.query("select * from articles where source = 'demo-technews' "
                        "and title like '%GPU%'"))
    original = row["id"]
    row.update(id="fresh0000000000a", url="https://x.test/fresh", canonical_url="https://x.test/fresh",
               published_at=hour_ago, first_seen_at=hour_ago, story_id=1, duplicate_of=None)
    db["articles"].insert(row)
    for e in db.query("select * from article_entities where article_id = ?", [original]):
        db["article_entities"].insert({**e, "article_id": "fresh0000000000a", "at": hour_ago})
    db["article_entities"].insert({"article_id": "fresh0000000000a", "entity_id": "Q317521",
                                   "count": 40, "first_position": 0, "method": "gazetteer",
                                   "at": hour_ago}, replace=True)
    db.conn.commit()
    db.close()
    return path


def test_the_metadata_names_the_four_canned_queries():
    assert CANNED == ["articles_per_source_per_day", "source_health", "story_timeline",
                      "top_entities_this_week"]


@pytest.mark.parametrize("name", CANNED)
def test_every_canned_query_runs(fresh_db, name):
    [(status, body)] = get_json(fresh_db, f"/warta/{name}.json?_shape=objects")
    assert status == 200, body
    assert body["ok"] is True, body
    assert body["rows"], body


def test_canned_query_results(fresh_db):
    (_, per_day), (_, health), (_, timeline), (_, one), (_, top) = get_json(
        fresh_db,
        "/warta/articles_per_source_per_day.json?_shape=array",
        "/warta/source_health.json?_shape=array",
        "/warta/story_timeline.json?_shape=array",
        "/warta/story_timeline.json?_shape=array&story=1",
        "/warta/top_entities_this_week.json?_shape=array",
    )
    assert sum(r["articles"] for r in per_day) == 38
    assert [r["source"] for r in health] == ["demo-gamebrott", "demo-portal", "demo-technews"]
    assert {r["last_status"] for r in health} == {"ok"}
    assert [r["articles"] for r in health] == [16, 6, 16]
    db = open_db(fresh_db)
    assert len(timeline) == db.execute("select count(*) from articles where story_id is not null"
                                       ).fetchone()[0]
    assert {str(r["story"]) for r in one} == {"1"}
    assert len(one) == 4
    assert one[0]["note"] == "first report"
    assert one[0]["source"] == "demo-technews"
    assert [r["published"] for r in one] == sorted(r["published"] for r in one)
    expected = top_entities(db, since="7d", top=50)
    assert [(r["name"], r["mentions"]) for r in top][:5] == [
        (r["name"], r["mentions"]) for r in expected][:5]
    assert top[0]["name"] == "Elon Musk"


def test_search_facets_and_sorts(analyst_db):  # noqa: F811
    (s1, search), (s2, broken), (s3, articles), (s4, entities), (s5, stories) = get_json(
        analyst_db,
        "/warta/articles.json?_search=nvidia&_shape=objects",
        '/warta/articles.json?_search=%22unbalanced&_shape=objects',
        "/warta/articles.json?_shape=objects",
        "/warta/entities.json?_shape=objects",
        "/warta/stories.json?_shape=objects",
    )
    assert (s1, s2, s3, s4, s5) == (200, 200, 200, 200, 200)
    from storage.queries import search as warta_search

    hits = warta_search(open_db(analyst_db), "nvidia", limit=100)
    assert {r["id"] for r in search["rows"]} == {h.id for h in hits}
    assert len(hits) == 7
    assert broken["rows"] == []  # default search mode escapes FTS syntax: no error page
    assert {"source", "lang", "tags"} <= set(articles["facet_results"])
    source_facet = {f["value"]: f["count"] for f in articles["facet_results"]["source"]["results"]}
    assert source_facet == {"demo-gamebrott": 16, "demo-technews": 15, "demo-portal": 6}
    assert "sorted by published_at descending" in articles["human_description_en"]
    dates = [r["published_at"] for r in articles["rows"]]
    assert dates == sorted(dates, reverse=True)
    types = {f["value"] for f in entities["facet_results"]["type"]["results"]}
    assert types == {"ORG", "PERSON", "PLACE", "PRODUCT"}
    updated = [r["last_updated_at"] for r in stories["rows"]]
    assert len(updated) == 7
    assert updated == sorted(updated, reverse=True)


def test_archive_without_stories_or_entities_drops_their_queries(tmp_path):
    path = tmp_path / "plain.db"
    db = open_db(path)
    # an archive made before stories and entities existed: no such tables
    for table in ("story_articles", "story_terms", "story_state", "article_entities"):
        db[table].drop()
    db["stories"].drop()
    db["entities"].drop()
    db.close()
    metadata, skipped = datasette_metadata(path)
    assert sorted(skipped) == ["story_timeline", "top_entities_this_week"]
    assert list(metadata["databases"]) == ["plain"]  # keyed to the file's name
    results = get_json(path, "/plain/articles_per_source_per_day.json?_shape=array",
                       "/plain/source_health.json?_shape=array")
    assert [status for status, _ in results] == [200, 200]


def test_serve_starts_a_real_server(analyst_db):  # noqa: F811
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("from warta.cli import main\nfrom warta.analyst_cli import serve\n"
            "main.add_command(serve)\nmain()")
    proc = subprocess.Popen(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", code, "--db", str(analyst_db), "serve", "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                url = f"http://127.0.0.1:{port}/warta/source_health.json?_shape=array"
                with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - loopback
                    rows = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not answer in 20 s"
                time.sleep(0.2)
        assert len(rows) == 3
        page = f"http://127.0.0.1:{port}/dashboard/app.js"
        with urllib.request.urlopen(page, timeout=5) as r:  # noqa: S310 - loopback
            assert "javascript" in r.headers["content-type"]
            assert b"loadExport" in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
