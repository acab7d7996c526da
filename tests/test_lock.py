"""One crawl per archive: a second one is skipped (exit 75); a dead holder leaves no lock."""

import subprocess
import sys
import time

import pytest

from storage import lock
from tests.crawling import REPO, run_warta

CONFIG = """
[sources.site]
homepage = "http://127.0.0.1:9/"
lang = "en"
feeds = ["http://127.0.0.1:9/feed"]
"""


def test_lock_is_exclusive_and_reentrant(db_path):
    lock.acquire(db_path)
    lock.acquire(db_path)  # same process: re-entrant
    child = subprocess.run(
        [sys.executable, "-c", "import sys; from storage import lock\n"
         "try:\n    lock.acquire(sys.argv[1])\nexcept lock.ArchiveLocked as e:\n"
         "    print(e); sys.exit(3)", str(db_path)],
        cwd=REPO, capture_output=True, text=True, check=False)
    assert child.returncode == 3 and "being crawled by pid" in child.stdout
    lock.release(db_path)
    lock.release(db_path)


def test_killed_holder_leaves_no_stale_lock(db_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from storage import lock\n"
         "lock.acquire(sys.argv[1]); print('held', flush=True); time.sleep(60)", str(db_path)],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(lock.ArchiveLocked):
        lock.acquire(db_path)
    holder.kill()
    holder.wait()
    time.sleep(0.1)
    lock.acquire(db_path)
    lock.release(db_path)


def test_second_crawl_is_skipped_with_exit_75(db_path, tmp_path):
    config = tmp_path / "s.toml"
    config.write_text(CONFIG)
    lock.acquire(db_path)
    try:
        done = run_warta("--db", str(db_path), "--config", str(config), "crawl")
        assert done.returncode == 75, done.stderr[-2000:]
        assert "skipped" in done.stdout
        plain = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-s", f"WARTA_DB={db_path}",
             "-s", f"WARTA_CONFIG={config}"],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
        assert "being crawled by" in plain.stderr
        assert not db_path.exists()  # nothing was written
    finally:
        lock.release(db_path)
