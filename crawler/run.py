"""The one crawl entry point: ``warta crawl`` and ``python -m crawler.run`` both land here.

It loads and validates the config (nothing is crawled from a bad file), runs the news spider
in an :class:`~scrapy.crawler.AsyncCrawlerProcess`, and turns the outcome into an exit code:

- 0: the crawl ran; every source answered (some pages may have failed)
- 1: the crawl failed, or at least one source failed entirely, or the archive cannot be
  written (read-only, disk full)
- 2: the crawl ran, but a crawled source looks broken (``warta health``)
- 75: skipped: another crawl holds the archive's lock (EX_TEMPFAIL; try again later)
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import lock
from storage.archive import ArchiveError, ArchiveUnwritable, check_writable, open_db
from warta.config import Config, ConfigError, load_config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_HEALTH = 2
EXIT_LOCKED = 75

logger = logging.getLogger(__name__)


@dataclass
class CrawlResult:
    """What a crawl did, for the caller's summary and exit code."""

    run_id: int | None
    status: str
    exit_code: int
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    """Why the crawl stopped early (the archive could not be written), if it did."""
    broken: list[tuple[str, str]] = field(default_factory=list)
    """(source, reason) for each crawled source that looks broken after the crawl."""


def crawl_settings(config: Config, db_path: str | Path, log_level: str = "INFO") -> Any:
    """Project settings with the config's ``[crawl]`` table and the archive path applied."""
    from scrapy.utils.project import get_project_settings

    from warta import __version__

    settings = get_project_settings()
    if not settings.get("BOT_NAME") == "warta":  # run outside the repo: load ours explicitly
        settings.setmodule("crawler.settings", priority="project")
    crawl = config.crawl
    settings.set("WARTA_CONFIG", str(config.path), priority="cmdline")
    settings.set("WARTA_DB", str(db_path), priority="cmdline")
    settings.set("USER_AGENT", f"warta/{__version__} (+{crawl.contact}; news archive crawler)",
                 priority="cmdline")
    settings.set("DOWNLOAD_DELAY", crawl.download_delay, priority="cmdline")
    settings.set("AUTOTHROTTLE_START_DELAY", max(crawl.download_delay, 0.1), priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", crawl.concurrency_per_domain,
                 priority="cmdline")
    settings.set("AUTOTHROTTLE_ENABLED", crawl.autothrottle, priority="cmdline")
    settings.set("ROBOTSTXT_OBEY", crawl.obey_robots, priority="cmdline")
    settings.set("DOWNLOAD_TIMEOUT", crawl.timeout_seconds, priority="cmdline")
    settings.set("DOWNLOAD_MAXSIZE", crawl.max_page_bytes, priority="cmdline")
    settings.set("RETRY_TIMES", crawl.retries, priority="cmdline")
    settings.set("WARTA_RETRY_BACKOFF", crawl.retry_backoff_seconds, priority="cmdline")
    settings.set("WARTA_RECHECK_AFTER_HOURS", crawl.recheck_after_hours, priority="cmdline")
    if crawl.entity_model:  # else the Scrapy setting WARTA_ENTITY_MODEL decides (default off)
        settings.set("WARTA_ENTITY_MODEL", True, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    return settings


def run_crawl(
    config_path: str | Path | None = None,
    db_path: str | Path = "data/warta.db",
    sources: list[str] | tuple[str, ...] = (),
    *,
    log_level: str = "INFO",
    extra_settings: dict[str, Any] | None = None,
) -> CrawlResult:
    """Crawl the named sources (all when none) into the archive at ``db_path``.

    Raises :class:`~warta.config.ConfigError` before anything is fetched when the config or
    a source name is wrong, and :class:`~storage.archive.ArchiveError` when the archive
    cannot be locked or written.
    """
    from scrapy.crawler import AsyncCrawlerProcess

    from crawler.extensions import run_totals, source_outcomes
    from crawler.spiders.news import NewsSpider

    config = load_config(config_path)
    selected = [s.name for s in config.select(list(sources))]
    settings = crawl_settings(config, db_path, log_level)
    for key, value in (extra_settings or {}).items():
        settings.set(key, value, priority="cmdline")
    try:
        lock.acquire(db_path)
    except lock.ArchiveLocked as exc:
        logger.warning("crawl skipped: %s", exc)
        return CrawlResult(run_id=None, status="skipped", exit_code=EXIT_LOCKED)
    except lock.LockError as exc:
        raise ArchiveUnwritable(exc.strerror) from None
    try:
        check_writable(db_path)
        process = AsyncCrawlerProcess(settings)
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler, sources=selected)
        process.start()
    finally:
        lock.release(db_path)

    stats = crawler.stats.get_stats() if crawler.stats else {}
    outcomes = source_outcomes(stats, selected)
    status = stats.get("warta/run_status", "failed")
    failed = status == "failed" or any(o["status"] == "failed" for o in outcomes.values())
    result = CrawlResult(
        run_id=stats.get("warta/run_id"),
        status=status,
        exit_code=EXIT_FAILED if failed else EXIT_OK,
        sources=outcomes,
        totals=run_totals(stats),
        error=stats.get("warta/archive/unwritable"),
    )
    if result.error:
        result.exit_code = EXIT_FAILED
    elif result.exit_code == EXIT_OK:
        result.broken = health_after_crawl(db_path, selected)
        if result.broken:
            result.exit_code = EXIT_HEALTH
    return result


def health_after_crawl(db_path: str | Path, sources: list[str]) -> list[tuple[str, str]]:
    """Check and record the crawled sources' health; (source, reason) for the broken ones."""
    from storage.health import broken, check_health

    db = open_db(db_path)
    try:
        return broken(check_health(db, sources))
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.run [SOURCE ...] [--config FILE] [--db FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", help="source names (default: all)")
    parser.add_argument("--config", help="sources file (default: $WARTA_SOURCES or sources.toml)")
    parser.add_argument("--db", default="data/warta.db", help="archive path")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    try:
        result = run_crawl(args.config, args.db, args.sources, log_level=args.log_level)
    except (ConfigError, ArchiveError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(format_summary(result))
    report_problems(result)
    return result.exit_code


def report_problems(result: CrawlResult) -> None:
    """One ``error:`` line for a crawl stopped early, one ``broken:`` line per broken source."""
    if result.error:
        print(f"error: {result.error}", file=sys.stderr)
    for source, reason in result.broken:
        print(f"broken: {source}: {reason}", file=sys.stderr)


def format_summary(result: CrawlResult) -> str:
    """A few lines saying what the crawl did, per source."""
    t = result.totals
    if result.status == "skipped":
        return "crawl skipped: another crawl holds the archive lock"
    lines = [f"crawl run {result.run_id}: {result.status} - {t.get('articles_new', 0)} new, "
             f"{t.get('articles_updated', 0)} updated, {t.get('articles_unchanged', 0)} unchanged, "
             f"{t.get('dropped', 0)} dropped, {t.get('requests', 0)} requests"]
    for name, o in result.sources.items():
        lines.append(f"  {name:<20} {o['status']:<9} new={o['articles_new']} "
                     f"updated={o['articles_updated']} unchanged={o['articles_unchanged']} "
                     f"dropped={o['dropped']} failed_pages={o['pages_failed']} "
                     f"failed_discovery={o['discovery_failed']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
