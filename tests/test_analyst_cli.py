"""`warta export / stories / entities / stats / serve`: thin shells over storage functions,
--json/--csv output, an Example in each help, bound parameters, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from storage.analyst import has_tables, source_health, stories, top_entities
from storage.archive import open_db
from tests.test_exports import analyst_db, copy_archive  # noqa: F401 - fixture
from warta import analyst_cli
from warta.cli import main

COMMANDS = {"export": analyst_cli.export, "serve": analyst_cli.serve,
            "stories": analyst_cli.stories, "entities": analyst_cli.entities,
            "stats": analyst_cli.stats_command}
NOW = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)  # the demo site's "today"


@pytest.fixture(scope="module", autouse=True)
def registered():
    """The commands on the main group, as warta/cli.py registers them."""
    saved = dict(main.commands)
    for name, command in COMMANDS.items():
        main.add_command(command, name)
    yield
    main.commands.clear()
    main.commands.update(saved)


def warta(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name):
    result = warta(name, "--help")
    assert result.exit_code == 0
    assert "Example: warta " in result.output


def test_export_command_writes_the_set(analyst_db, tmp_path):  # noqa: F811
    out = tmp_path / "out"
    result = warta("--db", str(analyst_db), "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "articles.ndjson" in result.output
    assert "37 rows" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"]["articles"] == 37
    assert manifest["archive"] == "warta.db"
    again = warta("--db", str(analyst_db), "export", "--out", str(out), "--since", "2099-01-01",
                  "--json")
    assert json.loads(again.output)["rows"]["articles"] == 0


@pytest.mark.parametrize("args", [
    ("export", "--out", "OUT", "--since", "yesterday; drop table articles"),
    ("stories", "--since", "1d' or 1=1 --"),
    ("entities", "--since", "last week"),
])
def test_bad_since_is_one_clear_error(analyst_db, tmp_path, args):  # noqa: F811
    args = tuple(str(tmp_path / "o") if a == "OUT" else a for a in args)
    result = CliRunner().invoke(main, ["--db", str(analyst_db), *args])
    assert result.exit_code == 1
    assert result.output.startswith("error: --since: expected 7d")
    assert len(result.output.strip().splitlines()) == 1
    assert open_db(analyst_db)["articles"].count == 37


def test_missing_archive_is_one_clear_error(tmp_path):
    for command in (["stories"], ["entities"], ["stats"], ["export", "--out", str(tmp_path)],
                    ["serve", "--get", "/"]):
        result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), *command])
        assert result.exit_code == 1, command
        assert result.output.startswith("error: no archive at"), command


def test_stories_lists_outlets_and_first_outlet(analyst_db):  # noqa: F811
    rows = json.loads(warta("--db", str(analyst_db), "stories", "--since", "3000d",
                            "--json").output)
    assert len(rows) == 7
    gpu = next(r for r in rows if "GPUs" in r["title"])
    assert gpu["outlet_count"] == 3
    assert gpu["first_source"] == "demo-technews"
    assert gpu["outlets"][0] == "demo-technews"
    assert gpu["first_url"].startswith("http")
    text = warta("--db", str(analyst_db), "stories", "--since", "3000d").output
    assert "3 outlets, 3 articles · first: demo-technews" in text
    table = list(csv.DictReader(io.StringIO(
        warta("--db", str(analyst_db), "stories", "--since", "3000d", "--csv").output)))
    assert len(table) == 7
    assert json.loads(table[0]["outlets"])


def test_stories_since_filters_by_last_update(analyst_db):  # noqa: F811
    db = open_db(analyst_db)
    recent = stories(db, since="3d", now=NOW)
    assert recent
    assert all(r["last_updated_at"] >= "2026-11-25T18:00:00Z" for r in recent)
    assert len(stories(db, since=None)) == 7


def test_entities_change_against_the_previous_period(analyst_db):  # noqa: F811
    db = open_db(analyst_db)
    rows = top_entities(db, top=50, since="7d", now=NOW)
    by_name = {r["name"]: r for r in rows}
    # Hand count over the demo archive: mentions per period straight from article_entities.
    start, prev = "2026-11-21T18:00:00Z", "2026-11-14T18:00:00Z"
    for name, row in by_name.items():
        counts = {"now": 0, "before": 0}
        for r in db.query(
                """select coalesce(a.published_at, a.first_seen_at) as t, ae.count
                   from article_entities ae join entities e on e.id = ae.entity_id
                   join articles a on a.id = ae.article_id
                   where e.name = ? and a.duplicate_of is null""", [name]):
            if r["t"] >= start:
                counts["now"] += r["count"]
            elif r["t"] >= prev:
                counts["before"] += r["count"]
        assert (row["mentions"], row["previous_mentions"]) == (counts["now"], counts["before"])
        assert row["change"] == counts["now"] - counts["before"]
    mentions = [r["mentions"] for r in rows]
    assert mentions == sorted(mentions, reverse=True)
    places = top_entities(db, since="7d", entity_type="place", now=NOW)
    assert places
    assert {r["type"] for r in places} == {"PLACE"}


def test_entities_command_outputs(analyst_db):  # noqa: F811
    out = warta("--db", str(analyst_db), "entities", "--since", "3000d", "--top", "3", "--json")
    rows = json.loads(out.output)
    assert len(rows) == 3
    assert {"name", "type", "mentions", "previous_mentions", "change",
                               "change_pct"} <= set(rows[0])
    text = warta("--db", str(analyst_db), "entities", "--since", "3000d", "--type", "PERSON")
    assert "Elon Musk" in text.output
    assert "NVIDIA" not in text.output
    # A hostile --type is a bound value: no rows, no error, nothing changed.
    evil = warta("--db", str(analyst_db), "entities", "--type", "x' or '1'='1", "--json")
    assert json.loads(evil.output) == []


def test_entities_with_another_entity(analyst_db):  # noqa: F811
    db = open_db(analyst_db)
    out = warta("--db", str(analyst_db), "entities", "--since", "3000d", "--with", "elon musk",
                "--type", "ORG", "--json")
    rows = json.loads(out.output)
    # by hand: organisations in the articles that mention Elon Musk (copies count once)
    musk = {r["article_id"] for r in db.query(
        "select ae.article_id from article_entities ae join articles a on a.id = ae.article_id "
        "where ae.entity_id = 'Q317521' and a.duplicate_of is null")}
    expected = {}
    for r in db.query("select ae.article_id, ae.entity_id, ae.count from article_entities ae "
                      "join entities e on e.id = ae.entity_id where e.type = 'ORG'"):
        if r["article_id"] in musk:
            expected[r["entity_id"]] = expected.get(r["entity_id"], 0) + r["count"]
    assert rows and {r["id"]: r["mentions"] for r in rows} == expected
    daily = json.loads(warta("--db", str(analyst_db), "entities", "--daily", "NVIDIA",
                             "--since", "3000d", "--json").output)
    by_day: dict[str, list[int]] = {}
    for r in db.query("select substr(coalesce(a.published_at, a.first_seen_at), 1, 10) as day, "
                      "ae.count from article_entities ae join articles a on a.id = ae.article_id "
                      "where ae.entity_id = 'Q182477' and a.duplicate_of is null"):
        by_day.setdefault(r["day"], []).append(r["count"])
    assert daily == [{"day": d, "articles": len(c), "mentions": sum(c)}
                     for d, c in sorted(by_day.items())]
    missing = CliRunner().invoke(main, ["--db", str(analyst_db), "entities", "--with", "Grok"])
    assert missing.exit_code == 1
    assert missing.output.strip() == ("error: no entity 'Grok' in the archive (try an id, name "
                                      "or alias from `warta entities`)")


def test_archive_without_stories_or_entities_gives_empty_valid_output(tmp_path):
    path = tmp_path / "plain.db"
    open_db(path).close()
    assert has_tables(open_db(path), "stories")  # created empty by the migrations
    for command in ("stories", "entities"):
        assert json.loads(warta("--db", str(path), command, "--json").output) == []
        assert "not" in warta("--db", str(path), command).output
    assert json.loads(warta("--db", str(path), "stats", "--json").output) == []


def test_stats_command_shows_health(analyst_db):  # noqa: F811
    rows = json.loads(warta("--db", str(analyst_db), "stats", "--json").output)
    assert [r["source"] for r in rows] == ["demo-gamebrott", "demo-portal", "demo-technews"]
    assert {r["health"] for r in rows} == {"ok"}
    assert rows[0]["articles"] == 16
    assert "ok" in warta("--db", str(analyst_db), "stats").output


def test_consecutive_failures_are_counted(analyst_db, tmp_path):  # noqa: F811
    path = copy_archive(analyst_db, tmp_path / "w.db")
    db = open_db(path)
    # after whatever runs the shared archive holds (other tests may have crawled into it)
    last = db.execute("select coalesce(max(id), 0) from crawl_runs").fetchone()[0]
    for n, run in enumerate((last + 1, last + 2), start=1):
        started = (datetime.now(UTC) + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        db["crawl_runs"].insert({"id": run, "started_at": started, "status": "partial"})
        db["crawl_run_sources"].insert({"run_id": run, "source": "demo-portal",
                                        "status": "failed"})
    db.conn.commit()
    health = {r["source"]: r for r in source_health(db)}
    assert health["demo-portal"]["health"] == "failed"
    assert health["demo-portal"]["consecutive_failures"] == 2
    assert health["demo-gamebrott"]["consecutive_failures"] == 0


def test_serve_get_answers_without_a_server(analyst_db):  # noqa: F811
    result = warta("--db", str(analyst_db), "serve", "--get",
                   "/warta/source_health.json?_shape=array")
    assert result.exit_code == 0
    assert len(json.loads(result.output)) == 3
