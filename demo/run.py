"""``make demo``: serve the bundled demo site, crawl it into an archive, print a summary."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from demo.server import serve

DEMO_CONFIG = Path(__file__).resolve().parent / "sources.toml"
DEMO_PORT = 8765
"""The demo site's default port: the archive keys articles by URL, and a port picked at random
each run made every run's pages new URLs (stored again, as copies of the last run's)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="data/warta.db", help="archive to crawl into")
    parser.add_argument("--query", default="nvidia", help="the sample search")
    parser.add_argument("--port", type=int, default=DEMO_PORT,
                        help="the demo site's port: the same one each run, so a second run "
                             "recrawls the same URLs and finds them unchanged; 0 picks a free "
                             "one (a busy port falls back to a free one, with a note)")
    args = parser.parse_args(argv)

    try:
        server, base = serve(port=args.port)
    except OSError as exc:  # the port is taken: any free one (URLs then differ from before)
        server, base = serve(port=0)
        print(f"port {args.port} is busy ({exc.strerror}): the demo site runs on another "
              f"port, so its pages are new URLs to the archive")
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
