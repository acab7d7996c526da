"""Helpers for end-to-end tests: run the real ``warta crawl`` in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAST = """
[crawl]
contact = "https://example.org/warta-tests"
download_delay = 0.0
concurrency_per_domain = 8
autothrottle = false
timeout_seconds = 10
retry_backoff_seconds = 0.05
"""


def crawl(db_path: Path, config_path: Path, sources: str,
          *args: str) -> subprocess.CompletedProcess[str]:
    """Write :data:`FAST` and ``sources`` (TOML tables) to ``config_path``, then run
    ``warta --db DB --config CONFIG crawl ARGS``."""
    config_path.write_text(FAST + sources)
    return run_warta("--db", str(db_path), "--config", str(config_path), "crawl", *args)


def run_warta(*args: str, env: dict[str, str] | None = None,
              timeout: int = 180) -> subprocess.CompletedProcess[str]:
    """Run ``warta ARGS`` as a user would, from the repo root; return the finished process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-m", "warta.cli", *args],
        cwd=REPO, env=full_env, capture_output=True, text=True, timeout=timeout, check=False,
    )
