"""Shared fixtures: the corpus folder (skipped when absent) and a temporary archive path."""

import os
from pathlib import Path

# The compiled story kernels check their array indices under test (an index out of bounds
# raises IndexError instead of reading past an array); set before numba is imported. They
# are compiled into a cache of their own: numba's cache does not tell code compiled with
# bounds checks from code without, so sharing the one beside the modules would hand the
# tests unchecked code, or every crawl after a test run the slower checked code.
os.environ.setdefault("NUMBA_BOUNDSCHECK", "1")
os.environ.setdefault("NUMBA_CACHE_DIR",
                      str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "numba"))

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present (real pages are kept outside the repo)")
    return CORPUS


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "warta.db"


@pytest.fixture(scope="session")
def demo_server():
    """The demo site on 127.0.0.1 (a free port) for the whole session."""
    from demo.server import serve

    server, base = serve()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def demo_crawl(demo_server, tmp_path_factory):
    """The demo site crawled once through the real `warta crawl`: (db path, process, base)."""
    from tests.crawling import run_warta
    from tests.demo_site import DEMO_CONFIG

    db = tmp_path_factory.mktemp("demo") / "warta.db"
    done = run_warta("--db", str(db), "--config", str(DEMO_CONFIG), "crawl",
                     env={"WARTA_DEMO_BASE": demo_server})
    assert done.returncode == 0, done.stderr[-3000:]
    return db, done, demo_server
