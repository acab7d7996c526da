"""Run each source's crawl on its schedule (APScheduler 3.11), or list what would run.

Every crawl runs as a child process of the one entry point (``python -m crawler.run``), so a
crashing or leaking crawl cannot take the scheduler down. This module decides *when* to
crawl, never *how*: it does not import Scrapy.

    python schedule.py --list            # next run of each source
    python schedule.py --once            # crawl every scheduled source once, then exit
    python schedule.py                   # run forever (SIGTERM/SIGINT stop it gracefully)
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from warta.config import ConfigError, Source, load_config

logger = logging.getLogger("warta.schedule")
DEFAULT_TIMEOUT = 3600
GRACE_SECONDS = 60


def trigger_for(source: Source, timezone: str = "UTC") -> BaseTrigger | None:
    """The APScheduler trigger of a source's ``schedule``, or None if it has none."""
    if source.schedule is None:
        return None
    if source.schedule.cron:
        return CronTrigger.from_crontab(source.schedule.cron, timezone=timezone)
    return IntervalTrigger(seconds=source.schedule.every_seconds, timezone=timezone)


class CrawlRunner:
    """Runs one source's crawl in a child process, with a timeout and a graceful stop."""

    def __init__(self, config: str | None, db: str, timeout: int) -> None:
        self.config, self.db, self.timeout = config, db, timeout
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()

    def command(self, source: str) -> list[str]:
        cmd = [sys.executable, "-m", "crawler.run", source, "--db", self.db]
        return cmd + (["--config", self.config] if self.config else [])

    def run(self, source: str) -> int:
        started = datetime.now(UTC)
        logger.info("crawl %s: starting", source)
        child = subprocess.Popen(self.command(source))  # noqa: S603 - our own entry point
        with self.lock:
            self.children[source] = child
        try:
            code = child.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            logger.error("crawl %s: still running after %ss, stopping it", source, self.timeout)
            code = self._stop(child)
        finally:
            with self.lock:
                self.children.pop(source, None)
        seconds = (datetime.now(UTC) - started).total_seconds()
        logger.info("crawl %s: exit %s after %.0fs", source, code, seconds)
        return code

    def stop_all(self) -> None:
        """Ask running crawls to finish (SIGINT lets Scrapy close cleanly), then kill."""
        with self.lock:
            children = list(self.children.values())
        for child in children:
            self._stop(child)

    @staticmethod
    def _stop(child: subprocess.Popen[bytes]) -> int:
        child.send_signal(signal.SIGINT)
        try:
            return child.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            return child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", help="sources file (default: $WARTA_SOURCES or sources.toml)")
    parser.add_argument("--db", default="data/warta.db", help="archive path")
    parser.add_argument("--list", action="store_true", help="print each source's next run")
    parser.add_argument("--once", action="store_true", help="crawl each source once and exit")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                        help="seconds before a crawl is stopped (default: %(default)s)")
    parser.add_argument("--timezone", default="UTC", help="time zone of cron expressions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    scheduled = {s.name: trigger_for(s, args.timezone) for s in config.sources.values()}
    scheduled = {name: trig for name, trig in scheduled.items() if trig is not None}

    if args.list:
        now = datetime.now(UTC)
        for name, trig in scheduled.items():
            nxt = trig.get_next_fire_time(None, now)
            print(f"{name:<20} {trig}  next: {nxt.isoformat() if nxt else '-'}")
        unscheduled = sorted(set(config.sources) - set(scheduled))
        if unscheduled:
            print(f"(no schedule: {', '.join(unscheduled)})")
        return 0

    runner = CrawlRunner(args.config, args.db, args.timeout)
    if args.once:
        codes = [runner.run(name) for name in scheduled]
        return max(codes, default=0)

    scheduler = BlockingScheduler(timezone=args.timezone)
    for name, trig in scheduled.items():
        scheduler.add_job(runner.run, trig, args=[name], id=name, name=f"crawl {name}",
                          max_instances=1, coalesce=True, misfire_grace_time=300,
                          next_run_time=datetime.now(UTC))

    def shutdown(signum: int, frame: FrameType | None) -> None:
        logger.info("signal %s: stopping after running crawls finish", signum)
        threading.Thread(target=runner.stop_all, daemon=True).start()
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    logger.info("scheduling %d sources: %s", len(scheduled), ", ".join(scheduled))
    scheduler.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
