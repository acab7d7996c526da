"""Source health as data: is each source still delivering, and delivering whole articles?

Per source it measures, from the archive alone, new articles per day against the source's own
baseline, field coverage of the latest articles against earlier ones, how its recent crawls
ended, and how long it has been silent against its usual gap between new articles. Three
rules call a source *broken* (see :class:`HealthRules`); the latest verdicts are kept in the
``health_checks`` table.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database, Migrations

logger = logging.getLogger(__name__)
health_migrations = Migrations("warta-health")
_FIELDS = (("date", "published"), ("author", "authors"), ("body", "body"))


@dataclass(frozen=True)
class HealthRules:
    """When a source counts as broken; the defaults are documented in docs/operations.md."""

    arrival_merge_minutes: float = 5.0
    """Articles first seen this close together arrived in one crawl (one *arrival*)."""
    min_gaps: int = 5
    """Gaps between arrivals needed before a source's usual gap is trusted."""
    max_gaps: int = 50
    """The usual gap is measured over at most this many latest gaps."""
    gap_percentile: float = 0.9
    """Which gap is *usual*: nights and weekends included, rare outliers not."""
    silence_factor: float = 2.0
    min_silence_hours: float = 24.0
    """Silent for longer than max(this, silence_factor x usual gap) is broken."""
    recent_articles: int = 20
    """Coverage of the latest arrivals holding at least this many articles ..."""
    earlier_articles: int = 200
    """... against up to this many articles from earlier arrivals."""
    min_recent: int = 10
    min_earlier: int = 20
    coverage_was: float = 0.8
    coverage_now: float = 0.4
    """A field's coverage falling from >= coverage_was to < coverage_now is broken."""
    body_min_words: int = 50
    """A body counts as present with at least this many words."""
    failed_runs: int = 3
    """This many failed crawls in a row is broken."""
    runs_window: int = 10
    """Error rate over this many latest crawls of the source ..."""
    min_runs_for_rate: int = 5
    """... noted (not broken) when half of them, and at least this many, went wrong."""
    recent_days: int = 7
    baseline_days: int = 28
    """Articles per day over the last recent_days against the baseline_days before (once the
    source's history covers them all)."""
    volume_drop: float = 0.25
    """A note (not broken) when recent volume falls below this share of the baseline."""


RULES = HealthRules()


@health_migrations()
def m001_health_checks(db: Database) -> None:
    db.table("health_checks").create(
        {
            "source": str,
            "checked_at": str,
            "status": str,
            "reasons": str,
            "notes": str,
            "articles": int,
            "last_new_article": str,
            "hours_since_new": float,
            "usual_gap_hours": float,
            "silence_limit_hours": float,
            "per_day_recent": float,
            "per_day_baseline": float,
            "coverage_sample": int,
            "date_coverage": float,
            "date_coverage_before": float,
            "author_coverage": float,
            "author_coverage_before": float,
            "body_coverage": float,
            "body_coverage_before": float,
            "runs": int,
            "runs_failed": int,
            "error_rate": float,
            "pages_failed": int,
            "last_success": str,
            "last_run_status": str,
        },
        pk="source",
        not_null={"checked_at", "status"},
    )


def migrate_health(db: Database) -> None:
    """Create or update the ``health_checks`` table (its own migration set)."""
    health_migrations.apply(db)


def compute_health(
    db: Database,
    now: datetime | None = None,
    *,
    sources: Sequence[str] = (),
    rules: HealthRules = RULES,
) -> list[dict[str, Any]]:
    """The health of each source (all in the archive, or the named ones); reads only.

    Each row has ``status`` (``ok``, ``warn``, ``broken`` or ``idle`` for a source never
    crawled), ``reasons`` (why it is broken) and ``notes`` (warnings), plus the measures.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    names = list(sources) or [r["name"] for r in db.query("select name from sources order by name")]
    latest = next(db.query("select max(id) as id from crawl_runs"))["id"]
    return [_source_health(db, name, now, latest, rules) for name in names]


def record_health(db: Database, rows: Iterable[dict[str, Any]]) -> None:
    """Keep ``rows`` (from :func:`compute_health`) as each source's latest health."""
    migrate_health(db)
    records = [{**r, "reasons": json.dumps(r["reasons"], ensure_ascii=False),
                "notes": json.dumps(r["notes"], ensure_ascii=False)} for r in rows]
    with db.atomic():
        db.table("health_checks").upsert_all(records, pk="source")


def check_health(
    db: Database, sources: Sequence[str] = (), now: datetime | None = None
) -> list[dict[str, Any]]:
    """Compute the health of ``sources`` (default: all) and record it when the archive is
    writable; a read-only archive still gets its verdicts, with a warning."""
    rows = compute_health(db, now, sources=sources)
    try:
        record_health(db, rows)
    except sqlite3.OperationalError as exc:
        logger.warning("source health not recorded in the archive: %s", exc)
    return rows


def broken(rows: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(source, reason) for every reason of every broken row."""
    return [(r["source"], reason)
            for r in rows if r["status"] == "broken" for reason in r["reasons"]]


# -- one source ----------------------------------------------------------------------------


def _source_health(db: Database, name: str, now: datetime, latest_run: int | None,
                   rules: HealthRules) -> dict[str, Any]:
    row: dict[str, Any] = {"source": name, "checked_at": _iso(now), "status": "ok",
                           "reasons": [], "notes": []}
    arrivals = _arrivals(db, name, rules)
    row["articles"] = next(db.query("select count(*) n from articles where source = ?",
                                    [name]))["n"]
    row.update(_volume(db, name, now, rules))
    row.update(_coverage(arrivals, rules))
    row.update(_runs(db, name, latest_run, rules))
    row.update(_silence(arrivals, now, rules))
    if row["_never_crawled"]:
        row["status"] = "idle"
        return _without_private(row)
    reasons, notes = row["reasons"], row["notes"]
    silent_limit = row["silence_limit_hours"]
    if silent_limit is not None and row["hours_since_new"] > silent_limit:
        since = _hours_since(row["last_success"], now)
        crawled = (f"last successful crawl {_ago(since)}" if since is not None
                   else "no successful crawl")
        reasons.append(f"no new article for {_ago(row['hours_since_new'])} (usually one every "
                       f"{row['usual_gap_hours']:.1f} h, limit {silent_limit:.0f} h; {crawled})")
    for label, _ in _FIELDS:
        now_cov, was = row[f"{label}_coverage"], row[f"{label}_coverage_before"]
        if now_cov is None or was is None:
            continue
        if was >= rules.coverage_was and now_cov < rules.coverage_now:
            reasons.append(f"{label} coverage fell from {was:.0%} to {now_cov:.0%} over the "
                           f"last {row['coverage_sample']} articles (layout change?)")
    if not row["articles"] and row["runs"] >= rules.failed_runs:
        reasons.append(f"no article stored in {row['runs']} crawls")
    outcomes = row["_outcomes"]
    if len(outcomes) >= rules.failed_runs and all(
            o == "failed" for o in outcomes[:rules.failed_runs]):
        reasons.append(f"last {rules.failed_runs} crawls failed")
    elif row["runs"] >= rules.min_runs_for_rate and row["error_rate"] >= 0.5:
        notes.append(f"{row['error_rate']:.0%} of the last {row['runs']} crawls failed or "
                     f"were degraded")
    base, recent = row["per_day_baseline"], row["per_day_recent"]
    if base is not None and base >= 1 and recent < rules.volume_drop * base:
        notes.append(f"{recent:.1f} new articles/day over {rules.recent_days} days, usually "
                     f"{base:.1f}")
    row["status"] = "broken" if reasons else "warn" if notes else "ok"
    return _without_private(row)


def _without_private(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _arrivals(db: Database, name: str, rules: HealthRules) -> list[list[dict[str, Any]]]:
    """The source's articles grouped into arrivals (crawls that brought them), oldest first."""
    rows = list(db.query(
        """select first_seen_at, published_at, authors, word_count from articles
           where source = ? and first_seen_at is not null
           order by first_seen_at desc limit 5000""", [name]))
    merge = timedelta(minutes=rules.arrival_merge_minutes)
    arrivals: list[list[dict[str, Any]]] = []
    previous: datetime | None = None
    for r in reversed(rows):
        r["_seen"] = _parse(r["first_seen_at"])
        if r["_seen"] is None:
            continue
        if previous is None or r["_seen"] - previous > merge:
            arrivals.append([])
        arrivals[-1].append(r)
        previous = r["_seen"]
    return arrivals


def _silence(arrivals: list[list[dict[str, Any]]], now: datetime,
             rules: HealthRules) -> dict[str, Any]:
    out: dict[str, Any] = {"last_new_article": None, "hours_since_new": None,
                           "usual_gap_hours": None, "silence_limit_hours": None}
    if not arrivals:
        return out
    last = arrivals[-1][-1]["_seen"]
    out["last_new_article"] = _iso(last)
    out["hours_since_new"] = round((now - last).total_seconds() / 3600, 2)
    starts = [a[0]["_seen"] for a in arrivals[-(rules.max_gaps + 1):]]
    gaps = sorted((b - a).total_seconds() / 3600 for a, b in zip(starts, starts[1:], strict=False))
    if len(gaps) >= rules.min_gaps:
        usual = gaps[min(len(gaps) - 1, math.ceil(rules.gap_percentile * len(gaps)) - 1)]
        out["usual_gap_hours"] = round(usual, 2)
        out["silence_limit_hours"] = round(max(rules.min_silence_hours,
                                               rules.silence_factor * usual), 2)
    return out


def _coverage(arrivals: list[list[dict[str, Any]]], rules: HealthRules) -> dict[str, Any]:
    recent: list[dict[str, Any]] = []
    older = list(arrivals)
    while older and len(recent) < rules.recent_articles:
        recent.extend(older.pop())
    earlier = [r for arrival in reversed(older) for r in reversed(arrival)]
    earlier = earlier[:rules.earlier_articles]
    out: dict[str, Any] = {"coverage_sample": len(recent)}
    for label, key in _FIELDS:
        out[f"{label}_coverage"] = _share(recent, key, rules) if recent else None
        out[f"{label}_coverage_before"] = (
            _share(earlier, key, rules) if len(earlier) >= rules.min_earlier
            and len(recent) >= rules.min_recent else None)
    return out


def _share(rows: list[dict[str, Any]], key: str, rules: HealthRules) -> float:
    def present(r: dict[str, Any]) -> bool:
        if key == "published":
            return bool(r["published_at"])
        if key == "authors":
            return r["authors"] not in (None, "", "[]")
        return (r["word_count"] or 0) >= rules.body_min_words

    return round(sum(present(r) for r in rows) / len(rows), 3)


def _volume(db: Database, name: str, now: datetime, rules: HealthRules) -> dict[str, Any]:
    recent_from = now - timedelta(days=rules.recent_days)
    base_from = recent_from - timedelta(days=rules.baseline_days)
    first = _parse(next(db.query("select min(first_seen_at) t from articles where source = ?",
                                 [name]))["t"])
    counts = next(db.query(
        """select sum(first_seen_at >= :recent) as recent,
                  sum(first_seen_at >= :base and first_seen_at < :recent) as base
           from articles where source = :source and first_seen_at >= :base""",
        {"recent": _iso(recent_from), "base": _iso(base_from), "source": name}))
    if first is None:
        return {"per_day_recent": 0.0, "per_day_baseline": None}
    recent_days = max(1.0, (now - max(first, recent_from)).total_seconds() / 86400)
    out = {"per_day_recent": round((counts["recent"] or 0) / recent_days, 2),
           "per_day_baseline": None}
    if first < base_from:  # a young source's baseline would be its first crawl's backlog
        out["per_day_baseline"] = round((counts["base"] or 0) / rules.baseline_days, 2)
    return out


def _runs(db: Database, name: str, latest_run: int | None,
          rules: HealthRules) -> dict[str, Any]:
    """How the source's latest crawls ended: ok, degraded or failed, newest first.

    Crawls cannot overlap (the archive lock), so a run still marked ``running`` with a later
    run after it was killed: it counts as failed. The latest run, still running, is skipped.
    """
    rows = db.query(
        """select r.id, r.started_at, r.finished_at, r.status as run_status, r.sources,
                  s.status as source_status, s.pages_failed
           from crawl_runs r left join crawl_run_sources s on s.run_id = r.id and s.source = ?
           order by r.id desc limit 1000""", [name])
    outcomes: list[str] = []
    pages_failed = 0
    last_success = None
    ever = False
    for r in rows:
        if r["source_status"] is None and name not in json.loads(r["sources"] or "[]"):
            continue
        ever = True
        if r["run_status"] == "running":
            if r["id"] == latest_run:
                continue
            outcome = "failed"
        elif r["run_status"] == "failed" or r["source_status"] == "failed":
            outcome = "failed"
        elif r["source_status"] is None:
            continue
        else:
            outcome = r["source_status"]
        if outcome != "failed" and last_success is None:
            last_success = r["finished_at"] or r["started_at"]
        if len(outcomes) < rules.runs_window:
            outcomes.append(outcome)
            pages_failed += r["pages_failed"] or 0
        elif last_success is not None:
            break
    bad = sum(o != "ok" for o in outcomes)
    return {
        "runs": len(outcomes),
        "runs_failed": sum(o == "failed" for o in outcomes),
        "error_rate": round(bad / len(outcomes), 3) if outcomes else None,
        "pages_failed": pages_failed,
        "last_success": last_success,
        "last_run_status": outcomes[0] if outcomes else None,
        "_outcomes": outcomes,
        "_never_crawled": not ever,
    }


# -- time ----------------------------------------------------------------------------------


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _hours_since(value: str | None, now: datetime) -> float | None:
    dt = _parse(value)
    return None if dt is None else (now - dt).total_seconds() / 3600


def _ago(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 72 else f"{hours / 24:.1f} days"
