"""schedule.py: next runs per source and time zone, --once against the demo site, a scheduled
recluster, a crawl past its timeout stopped then killed, SIGTERM while a crawl runs."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.archive import open_db
from tests.crawling import REPO
from tests.demo_site import DEMO_CONFIG
from tests.test_faults import assert_intact, copy_archive, peek, slow_demo, wait_until

TRACEBACK = "Traceback (most recent call last)"
CONFIG = """
[sources.morning]
homepage = "https://morning.test/"
lang = "id"                      # Asia/Jakarta
feeds = ["https://morning.test/feed"]
schedule = { cron = "0 7 * * *" }

[sources.often]
homepage = "https://often.test/"
lang = "en"
feeds = ["https://often.test/feed"]
schedule = { every = "90m" }

[sources.manual]
homepage = "https://manual.test/"
lang = "en"
feeds = ["https://manual.test/feed"]
"""


def schedule(*args: str, env: dict[str, str] | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "schedule.py", *args], cwd=REPO, capture_output=True, text=True,
        timeout=timeout, check=False, env={**os.environ, **(env or {})})


def recorded_crawl(db: Path, source: str, when: datetime) -> None:
    """A finished crawl of ``source`` that started at ``when``, as the archive keeps it."""
    d = open_db(db)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    d["sources"].insert({"name": source, "homepage": "https://x.test/", "lang": "id",
                         "config": "{}", "first_seen_at": stamp, "updated_at": stamp})
    run_id = d["crawl_runs"].insert({"started_at": stamp, "finished_at": stamp, "status": "ok",
                                     "sources": json.dumps([source])}).last_pk
    d["crawl_run_sources"].insert({"run_id": run_id, "source": source, "status": "ok"})
    d.close()


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(CONFIG)
    return path


def test_list_prints_next_runs_in_each_sources_time_zone_without_importing_scrapy(
        config, db_path):
    # the last crawl this minute: the next 07:00 WIB (00:00Z) after it is still ahead (ten
    # minutes back, a run just after 00:00Z found that run already due)
    last = datetime.now(UTC).replace(second=0, microsecond=0)
    recorded_crawl(db_path, "morning", last)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import sys, schedule\ncode = schedule.main(sys.argv[1:])\n"
         "print('scrapy imported:', 'scrapy' in sys.modules)\nsys.exit(code)",
         "--list", "--config", str(config), "--db", str(db_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines()}
    jakarta_7am = (last + timedelta(days=1)).replace(hour=0, minute=0)  # 07:00 WIB is 00:00Z
    assert "cron 0 7 * * * Asia/Jakarta" in lines["morning"]
    assert f"next: {jakarta_7am:%Y-%m-%d %H:%M}Z (" in lines["morning"]
    assert "07:00 Asia/Jakarta)" in lines["morning"]
    assert f"last: {last:%Y-%m-%d %H:%M}Z" in lines["morning"]
    assert "every 90m" in lines["often"] and "last: never" in lines["often"]
    assert "next: now (due)" in lines["often"]
    assert lines["(no"] == "(no schedule: manual)"
    assert "scrapy imported: False" in done.stdout


def test_list_reads_cron_in_the_time_zone_asked_for(config, db_path, capsys):
    import schedule as scheduler

    recorded_crawl(db_path, "morning", datetime.now(UTC) - timedelta(minutes=1))
    assert scheduler.main(["--list", "--config", str(config), "--db", str(db_path),
                           "--timezone", "UTC"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("morning"))
    assert "cron 0 7 * * * UTC" in line and " 07:00Z" in line


def test_once_crawls_the_due_sources_and_then_nothing_is_due(demo_crawl, tmp_path):
    db = tmp_path / "warta.db"
    copy_archive(demo_crawl[0], db)  # crawled just now: only a source never crawled is due
    with sqlite3.connect(db) as conn:
        conn.execute("delete from crawl_run_sources where source = 'demo-portal'")
    conn.close()
    runs = peek(db, "select count(*) from crawl_runs")
    env = {"WARTA_DEMO_BASE": demo_crawl[2]}
    first = schedule("--once", "--db", str(db), "--config", str(DEMO_CONFIG), env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "due: demo-portal\n" in first.stderr
    assert "crawl demo-portal: ok (exit 0) after" in first.stderr
    assert peek(db, "select count(*) from crawl_runs") == runs + 1
    again = schedule("--once", "--db", str(db), "--config", str(DEMO_CONFIG), env=env)
    assert again.returncode == 0 and "due: nothing" in again.stderr
    assert "started" not in again.stderr


FAKE_CRAWL = """
import signal, sys, time
from pathlib import Path
source = sys.argv[1]
Path(sys.argv[-1]).with_name(source + ".pid").write_text(str(__import__("os").getpid()))
if source == "morning":   # finishes when asked
    signal.signal(signal.SIGINT, lambda *a: sys.exit(130))
else:                     # ignores SIGINT: must be killed
    signal.signal(signal.SIGINT, signal.SIG_IGN)
time.sleep(60)
"""


def test_a_crawl_past_its_timeout_is_asked_to_stop_then_killed(config, tmp_path):
    fake = tmp_path / "fake_crawl.py"
    fake.write_text(FAKE_CRAWL)
    started = time.monotonic()
    done = schedule("--once", "--config", str(config), "--db", str(tmp_path / "w.db"),
                    "--timeout", "1", "--grace", "1",
                    "--command", f"{sys.executable} {fake}", timeout=60)
    seconds = time.monotonic() - started
    log = done.stderr
    assert done.returncode == 1, log
    assert "crawl morning: timed out after 1s, asking it to finish (SIGINT, 1s grace)" in log
    assert "crawl morning: failed (exit 130) after" in log
    assert "crawl often: still running 1s after SIGINT, killing it" in log
    assert "crawl often: killed by SIGKILL after" in log
    assert seconds < 20, seconds
    for source in ("morning", "often"):
        pid = int((tmp_path / f"{source}.pid").read_text())
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_sigterm_while_a_crawl_runs_stops_it_cleanly_and_runs_nothing_else(tmp_path):
    db = tmp_path / "warta.db"
    log = tmp_path / "schedule.log"
    with slow_demo(0.15) as site, log.open("w") as out:
        scheduler = subprocess.Popen(  # noqa: S603
            [sys.executable, "schedule.py", "--db", str(db), "--config", str(DEMO_CONFIG),
             "--grace", "30"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "WARTA_DEMO_BASE": site.base})
        try:
            wait_until(lambda: peek(db, "select count(*) from articles") >= 3, scheduler)
            scheduler.send_signal(signal.SIGTERM)
            assert scheduler.wait(timeout=45) == 0
        finally:
            if scheduler.poll() is None:
                scheduler.kill()
    text = log.read_text()
    assert "SIGTERM: stopping; no new crawls, a running crawl gets 30s to finish" in text
    assert "crawl demo-gamebrott: stopped with the scheduler, asking it to finish" in text
    assert "crawl demo-gamebrott: failed (exit 1) after" in text  # ended itself, not killed
    assert "killing it" not in text and TRACEBACK not in text
    assert text.count(": started (pid") == 1  # nothing else was started
    assert text.rstrip().endswith("scheduler stopped")
    assert_intact(db)
    run = sqlite3.connect(db).execute(
        "select status, finish_reason, finished_at from crawl_runs").fetchall()
    assert len(run) == 1 and run[0][:2] == ("failed", "shutdown") and run[0][2]


def test_a_bad_cron_expression_is_one_error_naming_the_source(config, db_path, capsys):
    import schedule as scheduler

    config.write_text(CONFIG.replace("0 7 * * *", "99 7 * * *"))
    assert scheduler.main(["--list", "--config", str(config), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: sources.toml (source 'morning'): schedule: ")
    assert len(err.splitlines()) == 1


def test_once_runs_a_due_recluster_then_it_is_not_due_and_list_shows_it(demo_crawl, tmp_path):
    """``[stories] recluster`` runs ``warta recluster --since ...`` on its schedule, due
    from the last recluster recorded in the archive, like a source's crawl."""
    db = tmp_path / "warta.db"
    copy_archive(demo_crawl[0], db)
    config = tmp_path / "sources.toml"
    manual = CONFIG.split("\n\n")[-1]  # a source without a schedule: no crawl is due
    config.write_text(manual + '\n[stories]\nrecluster = { every = "1d" }\n'
                      'recluster_since = "2w"\n')
    listed = schedule("--list", "--db", str(db), "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if x.startswith("stories:recluster"))
    assert "every 1d" in line and "last: never" in line and "next: now (due)" in line
    first = schedule("--once", "--db", str(db), "--config", str(config))
    assert first.returncode == 0, first.stderr[-3000:]
    assert "due: stories:recluster\n" in first.stderr
    assert "recluster --since 2w" in first.stderr
    assert "stories:recluster: ok (exit 0) after" in first.stderr
    with sqlite3.connect(db) as conn:
        stamp = conn.execute("select value from story_state where key = 'recluster_at'"
                             ).fetchone()[0]
    conn.close()
    ran = datetime.fromisoformat(stamp.decode().replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - ran).total_seconds()) < 120
    again = schedule("--once", "--db", str(db), "--config", str(config))
    assert again.returncode == 0 and "due: nothing" in again.stderr
    listed = schedule("--list", "--db", str(db), "--config", str(config))
    line = next(x for x in listed.stdout.splitlines() if x.startswith("stories:recluster"))
    assert f"last: {ran:%Y-%m-%d %H:%M}Z" in line
    assert f"next: {ran + timedelta(days=1):%Y-%m-%d %H:%M}Z" in line
