"""Run each source's crawl on its schedule (APScheduler 3.11), or list what would run.

Every crawl runs as a child process of the one entry point (``python -m crawler.run``), so a
crashing or leaking crawl cannot take the scheduler down. This module decides *when* to
crawl, never *how*: it does not import Scrapy.

    python schedule.py --list            # last and next run of each source
    python schedule.py --once            # crawl every source that is due, then exit
    python schedule.py                   # run forever (SIGTERM/SIGINT stop it gracefully)

A source is due when its schedule has fired since its last crawl recorded in the archive
(or it was never crawled), so a restarted scheduler, or ``--once`` from cron, does not crawl
a source again before its time. Crawls run one at a time: the archive has one writer.

With ``[stories] recluster = { cron = "30 3 * * *" }`` in the config, ``warta recluster
--since RECLUSTER_SINCE`` (default 3d) runs on that schedule too, as the job
``stories:recluster`` (due likewise from the last recluster recorded in the archive; with
``--once``, after the due crawls): live story assignment depends on the order articles
arrive in, a rebuild does not. Operations guide: docs/operations.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from warta.config import Config, ConfigError, Schedule, Source, load_config

logger = logging.getLogger("warta.schedule")

DEFAULT_TIMEOUT = 3600
GRACE_SECONDS = 60
MISFIRE_GRACE_SECONDS = 3600
EXIT_OK, EXIT_FAILED, EXIT_HEALTH, EXIT_SKIPPED = 0, 1, 2, 75
MEANING = {EXIT_OK: "ok", EXIT_FAILED: "failed", EXIT_HEALTH: "ok, but a health check failed",
           EXIT_SKIPPED: "skipped: another crawl holds the archive lock"}
_POLL_SECONDS = 0.2
RECLUSTER = "stories:recluster"
"""The job name of the scheduled ``warta recluster`` (``:`` is never in a source name)."""


def trigger_for(source: Source, timezone: str | None = None) -> BaseTrigger | None:
    """The trigger of a source's ``schedule`` (None if it has none). Cron expressions are
    read in ``timezone``, by default the source's own (its ``timezone`` in the config)."""
    if source.schedule is None:
        return None
    return _trigger(source.schedule, timezone or source.timezone)


def _trigger(schedule: Schedule, tz: str) -> BaseTrigger:
    if schedule.cron:
        return CronTrigger.from_crontab(schedule.cron, timezone=tz)
    return IntervalTrigger(seconds=schedule.every_seconds, timezone=tz)


def describe(source: Source, trigger: BaseTrigger) -> str:
    """``every 30m`` or ``cron 0 7 * * * Asia/Jakarta``."""
    assert source.schedule is not None
    return describe_schedule(source.schedule, trigger)


def describe_schedule(schedule: Schedule, trigger: BaseTrigger) -> str:
    if schedule.cron:
        return f"cron {schedule.cron} {trigger.timezone}"  # type: ignore[attr-defined]
    seconds = schedule.every_seconds or 0
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"every {seconds // size}{unit}"
    return f"every {seconds}s"


def last_crawls(db_path: str) -> dict[str, datetime]:
    """When each source's latest recorded crawl started (empty without an archive)."""
    from storage.archive import ArchiveError, open_db
    from storage.queries import source_stats

    try:
        db = open_db(db_path, create=False)
    except ArchiveError:
        return {}
    try:
        return {r["source"]: datetime.fromisoformat(r["last_crawl"].replace("Z", "+00:00"))
                for r in source_stats(db) if r["last_crawl"]}
    finally:
        db.close()


def last_recluster(db_path: str) -> datetime | None:
    """When the last ``warta recluster`` finished (None: never, or no archive)."""
    from storage.archive import ArchiveError, open_db
    from storage.stories import get_state

    try:
        db = open_db(db_path, create=False)
    except ArchiveError:
        return None
    try:
        if not db["story_state"].exists():
            return None
        value = get_state(db, "recluster_at")
        return datetime.fromisoformat(value.decode().replace("Z", "+00:00")) if value else None
    finally:
        db.close()


def next_run(trigger: BaseTrigger, last: datetime | None, now: datetime) -> datetime | None:
    """When a source should next be crawled: ``now`` when it is due, None when never again."""
    if last is None:
        return now
    nxt = trigger.get_next_fire_time(last, last)
    return None if nxt is None else max(nxt, now)


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


def overall_code(codes: Sequence[int]) -> int:
    """One exit code for several crawls: any failure wins, then a health failure, then a skip."""
    if any(c not in MEANING for c in codes) or EXIT_FAILED in codes:
        return EXIT_FAILED
    for code in (EXIT_HEALTH, EXIT_SKIPPED):
        if code in codes:
            return code
    return EXIT_OK


class CrawlRunner:
    """Runs one source's crawl as a child process with a timeout and a graceful stop.

    A crawl that overruns its timeout, or is running when the scheduler is asked to stop, is
    sent SIGINT (Scrapy then finishes the pages in flight and records the run) and killed
    if it is still running ``grace`` seconds later.
    """

    def __init__(self, command: Sequence[str], db: str, config: str | None, timeout: float,
                 grace: float, jobs: dict[str, list[str]] | None = None) -> None:
        self.base_command = list(command)
        self.db, self.config, self.timeout, self.grace = db, config, timeout, grace
        self.jobs = jobs or {}
        """Jobs other than crawls: name -> the whole command (the scheduled recluster)."""
        self.stopping = threading.Event()
        self.force = threading.Event()

    def command(self, source: str) -> list[str]:
        cmd = [*self.base_command, source, "--db", self.db]
        return cmd + (["--config", self.config] if self.config else [])

    def run(self, source: str) -> int:
        """Crawl ``source`` (or run the job of that name) and return the child's exit code
        (1 for one that was killed)."""
        job = self.jobs.get(source)
        label = source if job else f"crawl {source}"
        if self.stopping.is_set():
            logger.info("%s: not started, the scheduler is stopping", label)
            return EXIT_SKIPPED
        cmd = job or self.command(source)
        started = time.monotonic()
        try:
            # Own session: a Ctrl-C on the terminal must not reach the crawl besides our SIGINT
            # (a second SIGINT makes Scrapy stop uncleanly).
            child = subprocess.Popen(cmd, start_new_session=True)  # noqa: S603 - our own command
        except OSError as exc:
            logger.error("%s: cannot start %s: %s", label, shlex.join(cmd), exc)
            return EXIT_FAILED
        logger.info("%s: started (pid %s): %s", label, child.pid, shlex.join(cmd))
        why, code = self._wait(label, child, started)
        seconds = time.monotonic() - started
        if code < 0:
            logger.error("%s: killed by %s after %.1fs%s", label,
                         signal.Signals(-code).name, seconds, why)
            return EXIT_FAILED
        log = logger.info if code in (EXIT_OK, EXIT_SKIPPED) else logger.error
        log("%s: %s (exit %s) after %.1fs%s", label, MEANING.get(code, "failed"), code,
            seconds, why)
        return code

    def _wait(self, label: str, child: subprocess.Popen[bytes],
              started: float) -> tuple[str, int]:
        asked_at: float | None = None
        why = ""
        while True:
            try:
                return why, child.wait(timeout=_POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if asked_at is None and (now - started >= self.timeout or self.stopping.is_set()):
                why = (f"; timed out after {self.timeout:g}s" if now - started >= self.timeout
                       else "; stopped with the scheduler")
                logger.warning("%s: %s, asking it to finish (SIGINT, %gs grace)", label,
                               why[2:], self.grace)
                _signal_group(child, signal.SIGINT)
                asked_at = now
            elif asked_at is not None and (now - asked_at >= self.grace or self.force.is_set()):
                logger.error("%s: still running %.0fs after SIGINT, killing it", label,
                             now - asked_at)
                _signal_group(child, signal.SIGKILL)
                return why, child.wait()


def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:
        pass


def _install_stop_handlers(runner: CrawlRunner, stopped: threading.Event) -> None:
    def stop(signum: int, frame: FrameType | None) -> None:
        if runner.stopping.is_set():
            logger.warning("%s again: killing running crawls now", signal.Signals(signum).name)
            runner.force.set()
            return
        logger.info("%s: stopping; no new crawls, a running crawl gets %gs to finish",
                    signal.Signals(signum).name, runner.grace)
        runner.stopping.set()
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="schedule.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", help="sources file (default: $WARTA_SOURCES or sources.toml)")
    parser.add_argument("--db", default=os.environ.get("WARTA_DB", "data/warta.db"),
                        help="archive path (default: $WARTA_DB or %(default)s)")
    parser.add_argument("--list", action="store_true", help="print each source's next run")
    parser.add_argument("--once", action="store_true",
                        help="crawl every source that is due, one after another, and exit")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds before a crawl is asked to stop (default: %(default)s)")
    parser.add_argument("--grace", type=float, default=GRACE_SECONDS,
                        help="seconds a crawl asked to stop gets before it is killed "
                             "(default: %(default)s)")
    parser.add_argument("--misfire-grace", type=int, default=MISFIRE_GRACE_SECONDS,
                        help="seconds a run may start late, e.g. waiting for another crawl, "
                             "before it is skipped until its next time (default: %(default)s)")
    parser.add_argument("--timezone",
                        help="time zone of cron expressions (default: each source's own)")
    parser.add_argument("--command", default=f"{shlex.quote(sys.executable)} -m crawler.run",
                        help="crawl command; SOURCE --db DB [--config FILE] are appended "
                             "(default: %(default)s)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    triggers: dict[str, BaseTrigger] = {}
    schedules: dict[str, Schedule] = {}
    for source in config.sources.values():
        try:
            trigger = trigger_for(source, args.timezone)
        except (ValueError, LookupError) as exc:  # a cron field out of range, no such zone
            print(f"error: {config.path.name} (source {source.name!r}): schedule: {exc}",
                  file=sys.stderr)
            return EXIT_FAILED
        if trigger is not None and source.schedule is not None:
            triggers[source.name] = trigger
            schedules[source.name] = source.schedule
    if config.stories.recluster is not None:  # after the crawls: --once runs it last
        try:
            triggers[RECLUSTER] = _trigger(config.stories.recluster, args.timezone or "UTC")
        except (ValueError, LookupError) as exc:
            print(f"error: {config.path.name} ([stories]): recluster: {exc}", file=sys.stderr)
            return EXIT_FAILED
        schedules[RECLUSTER] = config.stories.recluster
    now = datetime.now(UTC)
    last = last_crawls(args.db)
    if RECLUSTER in triggers and (at := last_recluster(args.db)) is not None:
        last[RECLUSTER] = at
    upcoming = {name: next_run(trig, last.get(name), now) for name, trig in triggers.items()}
    if args.list:
        print_list(config.sources, schedules, triggers, last, upcoming, now)
        return EXIT_OK
    jobs = {RECLUSTER: recluster_command(args.db, config)} if RECLUSTER in triggers else {}
    runner = CrawlRunner(shlex.split(args.command), args.db, args.config, args.timeout,
                         args.grace, jobs)
    stopped = threading.Event()
    _install_stop_handlers(runner, stopped)
    if args.once:
        return run_once(runner, [name for name, nxt in upcoming.items() if nxt == now])
    describe_all = {name: describe_schedule(schedules[name], trig)
                    for name, trig in triggers.items()}
    return run_forever(runner, triggers, upcoming, now, describe_all, args.misfire_grace, stopped)


def _label(name: str) -> str:
    return name if name == RECLUSTER else f"crawl {name}"


def recluster_command(db: str, config: Config) -> list[str]:
    """``warta recluster`` over the configured recent period (it takes the archive lock
    as a crawl does: exit 75 while a crawl holds it)."""
    return [sys.executable, "-m", "warta.cli", "--db", db, "recluster", "--since",
            config.stories.recluster_since]


def print_list(sources: dict[str, Source], schedules: dict[str, Schedule],
               triggers: dict[str, BaseTrigger], last: dict[str, datetime],
               upcoming: dict[str, datetime | None], now: datetime) -> None:
    """``--list``: each scheduled source's (and job's) schedule, last run and next run."""
    for name, trig in triggers.items():
        nxt = upcoming[name]
        seen = _utc(last[name]) if name in last else "never"
        when = "now (due)" if nxt == now else _utc(nxt) if nxt else "never"
        if nxt and nxt != now and isinstance(trig, CronTrigger) and str(trig.timezone) != "UTC":
            when += f" ({nxt.astimezone(trig.timezone):%a %H:%M} {trig.timezone})"
        print(f"{name:<20} {describe_schedule(schedules[name], trig):<30} last: {seen:<18} "
              f"next: {when}")
    unscheduled = sorted(set(sources) - set(triggers))
    if unscheduled:
        print(f"(no schedule: {', '.join(unscheduled)})")


def run_once(runner: CrawlRunner, due: list[str]) -> int:
    """``--once``: crawl the due sources one after another (until asked to stop)."""
    logger.info("due: %s", ", ".join(due) if due else "nothing")
    codes = []
    for name in due:
        if runner.stopping.is_set():
            break
        codes.append(runner.run(name))
    return overall_code(codes)


def run_forever(runner: CrawlRunner, triggers: dict[str, BaseTrigger],
                upcoming: dict[str, datetime | None], now: datetime,
                descriptions: dict[str, str], misfire_grace: int,
                stopped: threading.Event) -> int:
    """Crawl each source on its schedule until SIGTERM/SIGINT."""
    scheduler = BackgroundScheduler(
        timezone=UTC,
        executors={"default": ThreadPoolExecutor(max_workers=1)},  # one writer per archive
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": misfire_grace},
    )
    for name, trig in triggers.items():
        if upcoming[name] is not None:
            scheduler.add_job(runner.run, trig, args=[name], id=name, name=f"crawl {name}",
                              next_run_time=upcoming[name])

    def log_next(event: JobExecutionEvent) -> None:
        # Not scheduler.get_job(): shutdown() holds the job store lock while it waits for us.
        nxt = triggers[event.job_id].get_next_fire_time(event.scheduled_run_time,
                                                        datetime.now(UTC))
        if nxt is not None and not runner.stopping.is_set():
            logger.info("%s: next run %s", _label(event.job_id), _utc(nxt))

    scheduler.add_listener(log_next, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    for name in triggers:
        nxt = upcoming[name]
        logger.info("%s: %s, first run %s", _label(name), descriptions[name],
                    "now" if nxt == now else _utc(nxt) if nxt else "never")
    while not stopped.wait(1.0):
        pass
    scheduler.shutdown(wait=True)  # the running crawl has been asked to stop; wait for it
    logger.info("scheduler stopped")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
