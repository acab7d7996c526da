"""How fast the analyst's entity reads answer on a large archive (issue #5: "entity mentions
per day are queryable quickly").

Builds an archive with the real schema (``storage.schema.migrate``) holding N synthetic
articles over a year, each mentioning 8 of 20,000 entities (Zipf-like: a few are in many
articles), 1 article in 50 a linked copy; then times, warm, the reads ``warta entities`` and the
export make: the top entities of the last 7 days against the 7 before
(``storage.analyst.top_entities``), the same ``--with`` one frequent entity, and one
entity's mentions per day over the last 30 days (``entities_daily``).

    .venv/bin/python bench/bench_entity_queries.py --n 200000 [--db /tmp/entities.db]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlite_utils import Database  # noqa: E402

from storage.analyst import entities_daily, top_entities  # noqa: E402
from storage.schema import migrate  # noqa: E402

ENTITIES = 20_000
PER_ARTICLE = 8
NOW = datetime(2026, 11, 28, tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(path: Path, n: int, seed: int = 5) -> None:
    """N articles over the year before NOW, with their entity rows, written in batches."""
    rnd = random.Random(seed)
    db = Database(path)
    migrate(db)
    db.execute("insert into sources (name, homepage, lang, config) values "
               "('bench', 'https://bench.example/', 'en', '{}')")
    weights = [1 / (rank + 1) for rank in range(ENTITIES)]
    db.conn.executemany("insert into entities (id, name, type, aliases) values (?, ?, ?, '[]')",
                        [(f"E{i}", f"Entity {i}", ("ORG", "PERSON", "PRODUCT", "PLACE")[i % 4])
                         for i in range(ENTITIES)])
    start = time.perf_counter()
    for base in range(0, n, 10_000):
        articles, mentions = [], []
        for i in range(base, min(n, base + 10_000)):
            at = iso(NOW - timedelta(seconds=rnd.randrange(365 * 86400)))
            copy_of = f"a{i - 1}" if i and rnd.random() < 0.02 else None
            articles.append((f"a{i}", "bench", f"https://bench.example/{i}",
                             f"https://bench.example/{i}", f"Title {i}", "body", at, at, at, at,
                             copy_of, f"h{i}"))
            for e in set(rnd.choices(range(ENTITIES), weights=weights, k=PER_ARTICLE)):
                mentions.append((f"a{i}", f"E{e}", rnd.randint(1, 5), 0, "gazetteer"))
        with db.conn:
            db.conn.executemany(
                "insert into articles (id, source, url, canonical_url, title, body, "
                "published_at, fetched_at, first_seen_at, updated_at, duplicate_of, "
                "content_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
            # no ``at``: the trigger fills it from the article, as for any writer
            db.conn.executemany(
                "insert into article_entities (article_id, entity_id, count, first_position, "
                "method) values (?, ?, ?, ?, ?)", mentions)
    rows = db.execute("select count(*) from article_entities").fetchone()[0]
    print(f"built {n:,} articles, {rows:,} entity rows in {time.perf_counter() - start:.1f} s")
    db.close()


def timed(label: str, call: Callable[[], object], repeat: int = 5) -> None:
    call()  # warm the page cache
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - t) * 1000)
    size = len(result) if hasattr(result, "__len__") else "-"
    print(f"  {label:<44} median {statistics.median(times):8.1f} ms   ({size} rows)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200_000, help="articles (default 200,000)")
    parser.add_argument("--db", type=Path, help="archive path (default: a temporary file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "entities.db"
        if not path.exists():
            build(path, args.n)
        db = Database(path)
        print(f"reads on {path} (warm, median of 5):")
        timed("top 20 entities, last 7 days vs the 7 before",
              lambda: top_entities(db, top=20, since="7d", now=NOW))
        timed("top 20 ORG entities, last 30 days",
              lambda: top_entities(db, top=20, since="30d", entity_type="ORG", now=NOW))
        timed("top 20 with E0 (the most frequent), 7 days",
              lambda: top_entities(db, top=20, since="7d", with_entity="E0", now=NOW))
        timed("mentions per day of E10, last 30 days",
              lambda: list(entities_daily(db, since=iso(NOW - timedelta(days=30)),
                                          entity="E10")))
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
