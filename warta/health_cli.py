"""``warta health``: is each source still delivering? A thin shell over storage.health."""

from __future__ import annotations

import sys
from typing import Any

import click

from warta.clitools import emit, fail, open_archive


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _coverage(row: dict[str, Any], label: str) -> str:
    return f"{_pct(row[f'{label}_coverage'])}/{_pct(row[f'{label}_coverage_before'])}"


def _hours(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}h" if value < 72 else f"{value / 24:.0f}d"


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.pass_obj
def health(obj: dict[str, Any], sources: tuple[str, ...], as_json: bool, as_csv: bool) -> None:
    """Per source: new articles against its usual pace, field coverage of the latest
    articles against earlier ones, failed crawls. Records the result in the archive's
    ``health_checks`` table.

    Exits 2, naming each broken source and why, when a source has been silent for longer
    than its usual gap, lost its dates, authors or bodies (a layout change), or failed its
    last 3 crawls. Rules: docs/operations.md.

    Columns: new/day (last 7 days / the 28 before), silent (since the last new article),
    gap (its usual gap), date/author/body (coverage of the latest articles / earlier ones),
    failed (failed / latest crawls).

    Example: warta health --json
    """
    from storage.health import broken, check_health

    db = open_archive(obj["db"])
    known = {r["name"] for r in db.query("select name from sources")}
    unknown = [s for s in sources if s not in known]
    if unknown:
        fail(f"no source {', '.join(unknown)} in {obj['db']}; "
             f"archived: {', '.join(sorted(known)) or 'none'}")
    rows = check_health(db, sources)
    if not emit(rows, as_json, as_csv):
        click.echo(f"{'source':<20} {'status':<7} {'articles':>8} {'new/day':>9} "
                   f"{'silent':>6} {'gap':>5} {'date':>9} {'author':>9} {'body':>9} "
                   f"{'failed':>6}  last success")
        for r in rows:
            per_day = f"{r['per_day_recent']:.1f}"
            if r["per_day_baseline"] is not None:
                per_day += f"/{r['per_day_baseline']:.1f}"
            click.echo(
                f"{r['source']:<20} {r['status']:<7} {r['articles']:>8} {per_day:>9} "
                f"{_hours(r['hours_since_new']):>6} {_hours(r['usual_gap_hours']):>5} "
                f"{_coverage(r, 'date'):>9} {_coverage(r, 'author'):>9} "
                f"{_coverage(r, 'body'):>9} {r['runs_failed']:>2}/{r['runs']:<3}  "
                f"{r['last_success'] or '-'}")
            for note in r["notes"]:
                click.echo(f"  note: {note}")
    problems = broken(rows)
    for source, reason in problems:
        click.echo(f"broken: {source}: {reason}", err=True)
    if problems:
        sys.exit(2)
