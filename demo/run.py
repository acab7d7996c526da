"""``make demo``: serve the bundled demo site, crawl it into an archive, print a summary."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from demo.server import serve

DEMO_CONFIG = Path(__file__).resolve().parent / "sources.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="data/warta.db", help="archive to crawl into")
    parser.add_argument("--query", default="nvidia", help="the sample search")
    args = parser.parse_args(argv)

    server, base = serve()
    os.environ["WARTA_DEMO_BASE"] = base
    print(f"demo site: {base}/ (three outlets)")
    try:
        from crawler.run import format_summary, run_crawl

        result = run_crawl(DEMO_CONFIG, args.db, log_level="WARNING")
    finally:
        server.shutdown()
        server.server_close()
    print(format_summary(result))
    print_summary(args.db, args.query)
    return result.exit_code


def print_summary(db_path: str, query: str) -> None:
    """Sources, articles, stories (when built) and a sample search of the archive."""
    from storage.archive import open_db
    from storage.queries import search, source_stats

    db = open_db(db_path, create=False)
    print(f"\narchive: {db_path}")
    for row in source_stats(db):
        print(f"  {row['source']:<16} {row['lang']}  {row['articles']:>3} articles  "
              f"newest {row['newest_article'] or '-'}")
    total = db["articles"].count
    print(f"  {total} articles in all")
    if "stories" in db.table_names():
        print(f"  {db['stories'].count} stories")
    print(f"\nwarta search {query!r}:")
    for hit in search(db, query, limit=5):
        print(f"  {hit.source:<16} {(hit.published_at or '')[:10]}  {hit.title}")
    print(f"\nTry: .venv/bin/warta --db {db_path} search 'elon musk'")


if __name__ == "__main__":
    sys.exit(main())
