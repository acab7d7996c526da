"""Source health: each rule on a hand-built archive, the table it is kept in, `warta health`."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from storage.archive import open_db
from storage.health import broken, check_health, compute_health, migrate_health, record_health
from warta.health_cli import health

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.fixture
def db(db_path):
    d = open_db(db_path)
    migrate_health(d)
    return d


def add_source(db, name):
    db["sources"].insert({"name": name, "homepage": f"https://{name}.test/", "lang": "en",
                          "config": "{}", "first_seen_at": iso(T0), "updated_at": iso(T0)})


def add_articles(db, source, times, *, dated=True, authors=True, words=300):
    start = db["articles"].count
    db["articles"].insert_all(
        {"id": f"{start + i:016x}", "source": source, "url": f"https://{source}.test/{start + i}",
         "canonical_url": f"https://{source}.test/{start + i}", "title": "t", "body": "b",
         "fetched_at": iso(t), "first_seen_at": iso(t), "content_hash": f"h{start + i}",
         "published_at": iso(t) if dated else None, "authors": '["A"]' if authors else "[]",
         "word_count": words}
        for i, t in enumerate(times))


def add_run(db, when, outcomes, run_status=None):
    """One crawl: {source: ok|degraded|failed}; run status 'running' leaves no source rows."""
    status = run_status or ("failed" if "failed" in outcomes.values() else "ok")
    run_id = db["crawl_runs"].insert({
        "started_at": iso(when), "finished_at": None if status == "running" else iso(when),
        "status": status, "sources": json.dumps(list(outcomes))}).last_pk
    if status != "running":
        for source, outcome in outcomes.items():
            db["crawl_run_sources"].insert({"run_id": run_id, "source": source,
                                            "status": outcome, "pages_failed": 0})


def regular_source(db, name, every_hours, arrivals=60):
    """A source crawled every `every_hours`, each crawl bringing one new article."""
    add_source(db, name)
    times = [T0 + timedelta(hours=every_hours * i) for i in range(arrivals)]
    add_articles(db, name, times)
    for t in times:
        add_run(db, t, {name: "ok"})
    return times[-1]


def health_of(db, name, now):
    (row,) = compute_health(db, now, sources=[name])
    return row


def test_one_big_first_crawl_is_healthy_now_and_a_month_later(db):
    add_source(db, "demo")
    add_articles(db, "demo", [T0 + timedelta(seconds=i % 3) for i in range(37)])
    add_run(db, T0, {"demo": "ok"})
    for later in (timedelta(hours=1), timedelta(days=30)):
        row = health_of(db, "demo", T0 + later)
        assert row["status"] == "ok", row
        assert row["usual_gap_hours"] is None  # one arrival: no gap to learn from
        assert row["date_coverage"] == 1.0 and row["date_coverage_before"] is None


def test_silent_for_longer_than_its_usual_gap_is_broken(db):
    last = regular_source(db, "busy", every_hours=2)
    row = health_of(db, "busy", last + timedelta(hours=3))
    assert row["status"] == "ok" and row["per_day_recent"] == pytest.approx(12.0, abs=0.5)
    row = health_of(db, "busy", last + timedelta(hours=30))
    assert row["usual_gap_hours"] == 2.0 and row["silence_limit_hours"] == 24.0
    assert row["status"] == "broken"
    assert row["reasons"][0].startswith("no new article for 30 h (usually one every 2.0 h")


def test_a_slow_source_gets_a_longer_limit(db):
    last = regular_source(db, "weekly", every_hours=20, arrivals=12)
    assert health_of(db, "weekly", last + timedelta(hours=30))["status"] == "ok"
    row = health_of(db, "weekly", last + timedelta(hours=41))
    assert row["silence_limit_hours"] == 40.0 and row["status"] == "broken"


def test_date_coverage_collapse_after_a_layout_change_is_broken(db):
    last = regular_source(db, "site", every_hours=1, arrivals=40)
    later = [last + timedelta(hours=1 + i) for i in range(20)]
    add_articles(db, "site", later, dated=False)
    row = health_of(db, "site", later[-1] + timedelta(minutes=10))
    assert row["date_coverage"] == 0.0 and row["date_coverage_before"] == 1.0
    assert row["author_coverage"] == 1.0
    assert broken([row]) == [("site", "date coverage fell from 100% to 0% over the last 20 "
                                      "articles (layout change?)")]


def test_partial_or_long_standing_gaps_in_coverage_are_not_broken(db):
    add_source(db, "site")
    times = [T0 + timedelta(hours=i) for i in range(60)]
    add_articles(db, "site", times[:40], authors=False)              # never had authors
    add_articles(db, "site", times[40:50], words=10)                 # half the recent bodies short
    add_articles(db, "site", times[50:])
    add_run(db, times[-1], {"site": "ok"})
    row = health_of(db, "site", times[-1])
    assert row["author_coverage_before"] == 0.0 and row["body_coverage"] == 0.5
    assert row["status"] == "ok", row["reasons"]


def test_three_failed_crawls_in_a_row_are_broken(db):
    last = regular_source(db, "src", every_hours=1, arrivals=10)
    for i in range(1, 3):
        add_run(db, last + timedelta(minutes=i), {"src": "failed"})
    row = health_of(db, "src", last + timedelta(hours=1))
    assert row["status"] == "warn" or row["status"] == "ok"
    add_run(db, last + timedelta(minutes=3), {"src": "failed"})
    row = health_of(db, "src", last + timedelta(hours=1))
    assert row["reasons"] == ["last 3 crawls failed"]
    assert row["runs"] == 10 and row["runs_failed"] == 3 and row["last_run_status"] == "failed"
    assert row["last_success"] == iso(last)


def test_a_killed_crawl_counts_as_failed_unless_it_is_the_one_running(db):
    last = regular_source(db, "src", every_hours=1, arrivals=10)
    add_run(db, last + timedelta(minutes=1), {"src": "failed"})
    add_run(db, last + timedelta(minutes=2), {"src": "failed"})
    add_run(db, last + timedelta(minutes=3), {"src": None}, run_status="running")
    now = last + timedelta(minutes=5)
    assert health_of(db, "src", now)["runs_failed"] == 2  # the latest may still be running
    add_run(db, last + timedelta(minutes=4), {"src": "ok"})
    row = health_of(db, "src", now)
    assert row["runs_failed"] == 3 and row["status"] != "broken"  # killed, but the next is ok


def test_a_source_never_crawled_is_idle_and_one_that_never_stored_anything_is_broken(db):
    add_source(db, "new")
    add_source(db, "empty")
    for i in range(3):
        add_run(db, T0 + timedelta(hours=i), {"empty": "ok"})
    rows = {r["source"]: r for r in compute_health(db, T0 + timedelta(hours=4))}
    assert rows["new"]["status"] == "idle"
    assert rows["empty"]["reasons"] == ["no article stored in 3 crawls"]


def test_health_is_recorded_and_replaced(db):
    last = regular_source(db, "busy", every_hours=2)
    record_health(db, compute_health(db, last + timedelta(hours=30)))
    stored = db["health_checks"].get("busy")
    assert stored["status"] == "broken" and json.loads(stored["reasons"])
    check_health(db, now=last + timedelta(hours=1))
    assert db["health_checks"].get("busy")["status"] == "ok"
    assert db["health_checks"].count == 1
    migrate_health(db)  # applied once, then a no-op
    assert db["health_checks"].count == 1


def test_cli_prints_a_table_and_exits_2_naming_the_broken_source(db, db_path):
    regular_source(db, "busy", every_hours=2)  # its last article is long ago (2026-10-06)
    regular_source(db, "fresh", every_hours=2)
    add_articles(db, "fresh", [datetime.now(UTC)])
    runner = CliRunner()
    done = runner.invoke(health, [], obj={"db": str(db_path)})
    assert done.exit_code == 2
    assert done.output.splitlines()[0].split()[:3] == ["source", "status", "articles"]
    assert "broken: busy: no new article for" in done.stderr
    assert "fresh" not in done.stderr
    ok = runner.invoke(health, ["fresh", "--json"], obj={"db": str(db_path)})
    assert ok.exit_code == 0, ok.output
    assert [r["source"] for r in json.loads(ok.stdout)] == ["fresh"]
    csv = runner.invoke(health, ["fresh", "--csv"], obj={"db": str(db_path)})
    assert csv.stdout.startswith("source,checked_at,status,reasons,notes,")
    unknown = runner.invoke(health, ["nope"], obj={"db": str(db_path)})
    assert unknown.exit_code == 1 and "error: no source nope" in unknown.stderr
    missing = runner.invoke(health, [], obj={"db": str(db_path.with_name("none.db"))})
    assert missing.exit_code == 1 and "error: no archive at" in missing.stderr


@pytest.mark.e2e
def test_the_demo_crawl_is_healthy(demo_crawl):
    db = open_db(demo_crawl[0])
    rows = compute_health(db)
    assert {r["source"] for r in rows} == {"demo-gamebrott", "demo-technews", "demo-portal"}
    assert all(r["status"] == "ok" for r in rows), [(r["source"], r["reasons"]) for r in rows]
    assert sum(r["articles"] for r in rows) == 37


def test_volume_falling_far_below_the_baseline_is_a_note(db):
    add_source(db, "src")
    now = T0 + timedelta(days=40)
    steady = [T0 + timedelta(hours=2 * i) for i in range(12 * 33)]    # 12 a day for 33 days
    add_articles(db, "src", steady)
    add_articles(db, "src", [now - timedelta(hours=20 * i + 1) for i in range(7)])  # ~1 a day
    add_run(db, now, {"src": "ok"})
    row = health_of(db, "src", now)
    assert row["per_day_baseline"] == pytest.approx(12.0, abs=0.5)
    assert row["status"] == "warn" and row["notes"][0].startswith("1.0 new articles/day")
