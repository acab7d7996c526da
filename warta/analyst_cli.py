"""Analyst commands: ``export``, ``serve``, ``stories``, ``entities`` and a richer ``stats``.

Each is a thin shell over one library function (storage.exports, storage.analyst, Datasette);
``warta.cli`` registers them on the main group.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from warta.clitools import emit, fail, open_archive

DEFAULT_METADATA = Path(__file__).resolve().parent.parent / "datasette" / "metadata.yml"
DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
DATASETTE_SETTINGS = {
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
    "max_returned_rows": 5000,
}
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
_CSV = click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
_SINCE = "7d, 12h, 2w or a date like 2026-11-01"


def _short(value: str | None, width: int) -> str:
    value = value or "-"
    return value if len(value) <= width else value[:width - 1] + "…"


@click.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the export into (created if missing).")
@click.option("--since", help=f"Only articles added or changed since: {_SINCE}.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@click.pass_obj
def export(obj: dict[str, Any], out_dir: Path, since: str | None, as_json: bool) -> None:
    """Write the export set (articles NDJSON + CSV, stories, daily entity counts, source
    health, manifest) that the dashboard reads. Files are replaced atomically; the schema is
    in docs/exports.md.

    Example: warta export --out dashboard/data --since 2026-11-01
    """
    from storage.exports import ExportError, export_archive
    from storage.queries import QueryError

    db = open_archive(obj["db"])
    try:
        result = export_archive(db, out_dir, since=since, archive_name=Path(obj["db"]).name)
    except (QueryError, ExportError) as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(result.manifest, ensure_ascii=False, indent=2))
        return
    m = result.manifest
    mode = f"incremental since {m['since']}" if m["since"] else "full"
    click.echo(f"exported to {out_dir} ({mode}, schema {m['schema_version']}) "
               f"in {result.seconds:.2f} s")
    for f in m["files"]:
        click.echo(f"  {f['name']:<20} {f['rows']:>8} rows {f['bytes']:>12,} bytes")


@click.command()
@click.option("--since", default="7d", show_default=True,
              help=f"Only stories updated since: {_SINCE}.")
@click.option("--limit", default=20, show_default=True, help="Most stories to show.")
@_JSON
@_CSV
@click.pass_obj
def stories(obj: dict[str, Any], since: str, limit: int, as_json: bool, as_csv: bool) -> None:
    """Stories (one event's coverage across outlets), most recently updated first, with their
    outlet count and the first outlet to report them.

    Example: warta stories --since 7d --json
    """
    from storage.analyst import stories as list_stories
    from storage.queries import QueryError

    try:
        rows = list_stories(open_archive(obj["db"]), since=since, limit=limit)
    except QueryError as exc:
        fail(str(exc))
    if emit(rows, as_json, as_csv):
        return
    if not rows:
        click.echo("no stories (none updated in that period, or stories are not built yet)")
    for r in rows:
        click.echo(f"{r['title']}\n  {r['outlet_count']} outlets, {r['article_count']} articles"
                   f" · first: {r['first_source']} {(r['first_seen_at'] or '')[:16]}"
                   f" · updated {(r['last_updated_at'] or '')[:16]}\n"
                   f"  {', '.join(r['outlets'])}\n")


@click.command()
@click.option("--top", default=20, show_default=True, help="How many entities.")
@click.option("--since", default="7d", show_default=True,
              help=f"The period: {_SINCE}; compared with the period as long before it.")
@click.option("--type", "entity_type", help="Only this type (PERSON, ORG, PRODUCT, PLACE, EVENT).")
@click.option("--with", "with_entity", metavar="ENTITY",
              help="Only articles that also mention ENTITY (an id, name or alias).")
@click.option("--daily", "daily_entity", metavar="ENTITY",
              help="Instead: ENTITY's articles and mentions per day in the period.")
@_JSON
@_CSV
@click.pass_obj
def entities(obj: dict[str, Any], top: int, since: str, entity_type: str | None,
             with_entity: str | None, daily_entity: str | None, as_json: bool,
             as_csv: bool) -> None:
    """Most mentioned entities in a period, with the change against the period before.

    Example: warta entities --top 10 --since 7d --type ORG

    Example: warta entities --with xAI --type ORG   (companies that appear with xAI)

    Example: warta entities --daily NVIDIA --since 30d   (NVIDIA's mentions per day)
    """
    from storage.analyst import UnknownEntity, entities_daily, top_entities
    from storage.queries import QueryError

    try:
        db = open_archive(obj["db"])
        if daily_entity:
            days = [{k: r[k] for k in ("day", "articles", "mentions")}
                    for r in entities_daily(db, since=since, entity=daily_entity)]
        else:
            rows = top_entities(db, top=top, since=since, entity_type=entity_type,
                                with_entity=with_entity)
    except (QueryError, UnknownEntity) as exc:
        fail(str(exc))
    if daily_entity:
        if not emit(days, as_json, as_csv):
            for d in days:
                click.echo(f"{d['day']}  {d['articles']:>5} articles  {d['mentions']:>6} mentions")
            if not days:
                click.echo(f"no mention of {daily_entity!r} in that period")
        return
    if emit(rows, as_json, as_csv):
        return
    if not rows:
        click.echo(f"no entity appears with {with_entity!r} in that period" if with_entity else
                   "no entity mentions in that period (or entities are not extracted yet)")
        return
    click.echo(f"{'entity':<28} {'type':<8} {'mentions':>8} {'articles':>8} {'before':>7} change")
    for r in rows:
        pct = "new" if r["change_pct"] is None else f"{r['change_pct']:+.0f}%"
        click.echo(f"{_short(r['name'], 28):<28} {_short(r['type'], 8):<8} {r['mentions']:>8} "
                   f"{r['articles']:>8} {r['previous_mentions']:>7} {r['change']:+d} ({pct})")


@click.command("stats")
@_JSON
@_CSV
@click.pass_obj
def stats_command(obj: dict[str, Any], as_json: bool, as_csv: bool) -> None:
    """Per source: articles (all, last 7 days), newest article, last crawl and health.

    Example: warta stats --csv
    """
    from storage.analyst import source_health

    rows = source_health(open_archive(obj["db"]))
    if emit(rows, as_json, as_csv):
        return
    click.echo(f"{'source':<20} {'lang':<4} {'articles':>8} {'7 days':>6}  "
               f"{'newest article':<20} {'last crawl':<20} health")
    for r in rows:
        failing = (f" ({r['consecutive_failures']} failed in a row)"
                   if r["consecutive_failures"] > 1 else "")
        click.echo(f"{r['source']:<20} {r['lang'] or '-':<4} {r['articles']:>8} "
                   f"{r['articles_7d']:>6}  {r['newest_article'] or '-':<20} "
                   f"{r['last_crawl'] or '-':<20} {r['health']}{failing}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8001, show_default=True, help="Port to listen on.")
@click.option("--metadata", "metadata_path", default=str(DEFAULT_METADATA),
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Datasette metadata (facets, sorts, canned queries).")
@click.option("--dashboard/--no-dashboard", default=True, show_default=True,
              help="Also serve dashboard/ (reading the export in dashboard/data) at "
                   "/dashboard/index.html.")
@click.option("--get", "get_path",
              help="Fetch this path (e.g. /warta/source_health.json), print it, exit.")
@click.pass_obj
def serve(obj: dict[str, Any], host: str, port: int, metadata_path: Path, dashboard: bool,
          get_path: str | None) -> None:
    """Browse and query the archive in Datasette: full-text search on articles, facets by
    source, language and entity type, canned queries (articles per source per day, top
    entities this week, story timeline, source health).

    Example: warta serve --port 8001   (then open http://127.0.0.1:8001/)
    """
    db_path = Path(obj["db"])
    open_archive(str(db_path)).close()  # a clear error for a missing archive; migrates an old one
    metadata, skipped = datasette_metadata(db_path, metadata_path)
    mount = DASHBOARD if dashboard and (DASHBOARD / "index.html").is_file() else None
    ds = make_datasette(db_path, metadata, dashboard=mount)
    asyncio.run(ds.invoke_startup())
    if get_path:
        from datasette.utils.testing import TestClient

        response = TestClient(ds).get(get_path)
        click.echo(response.text)
        sys.exit(0 if response.status == 200 else 1)
    import uvicorn

    if skipped:
        click.echo(f"left out canned queries this archive cannot answer yet: "
                   f"{', '.join(skipped)}", err=True)
    click.echo(f"warta archive {db_path} on http://{host}:{port}/", err=True)
    if mount:
        click.echo(f"dashboard on http://{host}:{port}/dashboard/index.html "
                   f"(after: warta export --out {mount / 'data'})", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")


def datasette_metadata(db_path: Path, metadata_path: Path = DEFAULT_METADATA
                       ) -> tuple[dict[str, Any], list[str]]:
    """The metadata file keyed to this archive's database name, and the canned queries left
    out because this archive lacks what they read (e.g. no ``stories`` table yet)."""
    import yaml

    metadata = yaml.safe_load(metadata_path.read_text(encoding="utf-8"))
    databases = metadata.get("databases") or {}
    config = databases.pop("warta", None) or next(iter(databases.values()), {})
    metadata["databases"] = {db_path.stem: config}
    queries = config.get("queries") or {}
    skipped = []
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for name, query in list(queries.items()):
            sql = query["sql"] if isinstance(query, dict) else query
            params = {p: "" for p in re.findall(r":(\w+)", sql)}
            try:
                conn.execute(f"explain {sql}", params)
            except sqlite3.OperationalError:
                skipped.append(name)
                del queries[name]
    finally:
        conn.close()
    return metadata, skipped


def make_datasette(db_path: Path, metadata: dict[str, Any], dashboard: Path | None = None) -> Any:
    """A Datasette instance over the archive (live: a crawl may write meanwhile), with the
    dashboard folder mounted at /dashboard/ when given."""
    from datasette.app import Datasette

    mounts = [("dashboard", str(dashboard))] if dashboard else None
    return Datasette([str(db_path)], metadata=metadata, settings=DATASETTE_SETTINGS,
                     static_mounts=mounts)
