"""The ``warta`` command: each subcommand is a thin shell over one library function."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from warta import __version__
from warta.analyst_cli import entities, export, serve, stats_command, stories
from warta.clitools import emit, fail, open_archive
from warta.config import ConfigError, load_config
from warta.health_cli import health

DB_HELP = "Archive file (default: $WARTA_DB or data/warta.db)."
CONFIG_HELP = "Sources file (default: $WARTA_SOURCES or the bundled sources.toml)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
@click.option("--db", envvar="WARTA_DB", default="data/warta.db", show_default=True,
              help=DB_HELP)
@click.option("--config", "config_path", envvar="WARTA_SOURCES", default=None, help=CONFIG_HELP)
@click.pass_context
def main(ctx: click.Context, db: str, config_path: str | None) -> None:
    """warta: crawl tech news into a searchable SQLite archive."""
    ctx.obj = {"db": db, "config": config_path}


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
@click.pass_obj
def crawl(obj: dict[str, Any], sources: tuple[str, ...], log_level: str) -> None:
    """Crawl SOURCES (default: all configured) into the archive.

    Exit codes: 0 the crawl ran and every source answered; 1 the crawl failed, a
    source failed entirely (every feed, sitemap and listing of it failed) or the archive
    cannot be written; 2 a crawled source looks broken (see warta health); 75 skipped,
    another crawl holds the archive lock.

    Example: warta crawl gamebrott arstechnica
    """
    from crawler.run import format_summary, report_problems, run_crawl
    from storage.archive import ArchiveError

    try:
        result = run_crawl(obj["config"], obj["db"], sources, log_level=log_level)
    except (ConfigError, ArchiveError) as exc:
        fail(str(exc))
    click.echo(format_summary(result))
    report_problems(result)
    sys.exit(result.exit_code)


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="Most results to show.")
@click.option("--source", help="Only this source.")
@click.option("--since", help="Only articles published since: 7d, 12h, 2w or a date.")
@click.option("--lang", help="Only this language (id, en).")
@click.option("--with-copies", "with_copies", is_flag=True,
              help="Also list articles that copy another (same text under another URL or "
                   "outlet); by default each text is listed once, with its number of copies.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.pass_obj
def search(obj: dict[str, Any], query: str, limit: int, source: str | None, since: str | None,
           lang: str | None, with_copies: bool, as_json: bool, as_csv: bool) -> None:
    """Full-text search of titles and bodies, most relevant first.

    QUERY uses SQLite FTS5 syntax: words, "exact phrases", prefix*, AND/OR/NOT. Each text
    is listed once (its original), with the number of stored copies.

    Example: warta search 'nvidia AND "elon musk"' --since 7d
    """
    from storage.queries import QueryError
    from storage.queries import search as run_search

    db = open_archive(obj["db"])
    try:
        hits = run_search(db, query, limit=limit, source=source, since=since, lang=lang,
                          copies=with_copies)
    except QueryError as exc:
        fail(str(exc))
    rows = [asdict(h) for h in hits]
    if emit(rows, as_json, as_csv):
        return
    if not hits:
        click.echo("no matches")
    for h in hits:
        date = (h.published_at or "")[:16].replace("T", " ")
        copies = f" · {h.copies} {'copy' if h.copies == 1 else 'copies'}" if h.copies else ""
        copy_of = f" · copy of {h.duplicate_of}" if h.duplicate_of else ""
        click.echo(f"{h.title}\n  {h.source} · {date or 'undated'} · {h.url}{copies}{copy_of}\n"
                   f"  {h.snippet}\n")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def sources(obj: dict[str, Any], as_json: bool) -> None:
    """Validate the sources file and list its sources.

    Example: warta --config demo/sources.toml sources
    """
    try:
        config = load_config(obj["config"])
    except ConfigError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps([asdict(s) for s in config.sources.values()], indent=2, default=str))
        return
    click.echo(f"{config.path}: {len(config.sources)} sources")
    for s in config.sources.values():
        click.echo(f"  {s.name:<16} {s.lang}  {s.homepage}  feeds={len(s.feeds)} "
                   f"sitemaps={len(s.sitemaps)} listings={len(s.listings)}")


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(obj: dict[str, Any], url: str, as_json: bool) -> None:
    """Show one archived article (by URL or id) and the lines cleaning removed from it.

    Example: warta show https://gamebrott.com/some-article/
    """
    from storage.queries import get_article

    article = get_article(open_archive(obj["db"]), url)
    if article is None:
        fail(f"no archived article for {url}")
    if as_json:
        click.echo(json.dumps(article, ensure_ascii=False, indent=2))
        return
    click.echo(f"{article['title']}\n{article['canonical_url']}")
    click.echo(f"source={article['source']} lang={article['lang']} "
               f"published={article['published_at']} ({article['published_raw']})")
    click.echo(f"authors: {', '.join(article['authors']) or '-'}\n")
    click.echo(article["body"])
    if article["removed"]:
        click.echo("\nremoved by cleaning:")
        for r in article["removed"]:
            click.echo(f"  [{r['origin']}:{r['rule']}] {r['text']}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The page's URL (for relative links and dates).")
@click.option("--source", help="A configured source name whose rules apply.")
@click.pass_obj
def extract(obj: dict[str, Any], file: Path, url: str, source: str | None) -> None:
    """Extract one saved HTML page offline and print the article as JSON.

    Example: warta extract page.html --url https://inet.detik.com/x/d-1234567/y --source detik-inet
    """
    from pipelines import NotAnArticle, article_from_html

    src = None
    if source:
        try:
            src = load_config(obj["config"]).select([source])[0]
        except ConfigError as exc:
            fail(str(exc))
    try:
        article = article_from_html(file.read_bytes(), url, src)
    except NotAnArticle as exc:
        fail(f"not an article ({exc.reason}): {exc}")
    click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", help="Source name for lines that have no 'source' field.")
@click.option("--no-recluster", is_flag=True,
              help="Keep the stories as assigned line by line (faster for a large file, but "
                   "they then depend on the order of the lines).")
@click.pass_obj
def ingest(obj: dict[str, Any], file: Path, source: str | None, no_recluster: bool) -> None:
    """Import articles from a JSON-lines FILE through the crawl's pipelines.

    One object a line with at least url, title and body; optional source, published_at
    (ISO 8601), lang, authors, tags. Cleaning, duplicate detection and stories run as in a
    crawl; then the stories of the imported articles are rebuilt at once, as `warta
    recluster` does, so that they do not depend on the order of the lines. A malformed line
    is reported with its number and the rest is imported.

    Example: warta ingest backfill.jsonl --source gamebrott
    """
    from crawler.run import crawl_settings
    from pipelines.offline import ingest as run_ingest
    from pipelines.offline import read_jsonl
    from storage import lock

    try:
        config = load_config(obj["config"])
        lock.acquire(obj["db"])
    except (ConfigError, lock.ArchiveLocked) as exc:
        fail(str(exc), 75 if isinstance(exc, lock.ArchiveLocked) else 1)
    try:
        report = run_ingest(crawl_settings(config, obj["db"], "WARNING"), read_jsonl(file), source,
                            recluster=not no_recluster)
    finally:
        lock.release(obj["db"])
    for error in report.errors:
        click.echo(f"warning: {error}", err=True)
    click.echo(f"{report.lines} lines: {report.stored} stored, {report.dropped} dropped, "
               f"{len(report.errors)} rejected")
    if report.reclustered:
        click.echo(f"stories rebuilt for {report.reclustered} articles")
    sys.exit(1 if report.errors and not report.stored else 0)


@main.command()
@click.option("--source", help="Only this source's articles.")
@click.option("--since", help="Only articles published since: 7d, 12h, 2w or a date.")
@click.option("--clean-only", is_flag=True,
              help="Re-run cleaning only (no HTML parsing), whatever changed.")
@click.option("--full", is_flag=True,
              help="Re-extract every article from its archived HTML, then clean it.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes that parse and extract HTML (one per spare core).")
@click.pass_obj
def reprocess(obj: dict[str, Any], source: str | None, since: str | None,
              clean_only: bool, full: bool, jobs: int) -> None:
    """Re-run extraction and cleaning over archived HTML after rules changed.

    By default only articles extracted by another warta version or under other extraction
    rules of their source ([sources.NAME.extract], language, time zone) are re-extracted
    from their HTML; the others are re-cleaned from their stored text (boilerplate rule
    changes need no parsing). Articles are updated in place (search stays in sync; edits
    keep a revision; new dates or authors with the same text are written too). Learned
    boilerplate is refreshed first. No network access. An article whose raw HTML is missing
    is re-cleaned only (with --full: skipped); one that the current rules would reject is
    kept as it was. Both are counted, never deleted.

    Example: warta reprocess --source gamebrott --since 30d

    Example: warta reprocess --full --jobs 4   (re-extract everything on 4 cores)
    """
    if clean_only and full:
        fail("--clean-only and --full exclude each other")
    from crawler.run import crawl_settings
    from pipelines.offline import ReprocessError
    from pipelines.offline import reprocess as run_reprocess
    from storage import lock
    from storage.archive import ArchiveError
    from storage.queries import QueryError

    try:
        config = load_config(obj["config"])
        lock.acquire(obj["db"])
    except (ConfigError, lock.ArchiveLocked) as exc:
        fail(str(exc), 75 if isinstance(exc, lock.ArchiveLocked) else 1)
    try:
        settings = crawl_settings(config, obj["db"], "WARNING")
        count = open_archive(obj["db"])["articles"].count
        with click.progressbar(length=count, label="reprocessing", file=sys.stderr) as bar:
            last = [0]

            def progress(done: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            report = run_reprocess(settings, source=source, since=since, clean_only=clean_only,
                                   full=full, jobs=jobs, progress=progress)
    except (ArchiveError, QueryError, ReprocessError) as exc:
        fail(str(exc))
    finally:
        lock.release(obj["db"])
    learned = ", ".join(f"{k}: {v}" for k, v in report.learned.items()) or "none"
    raw_note = "skipped" if full else "re-cleaned only"
    click.echo(f"{report.total} articles ({report.extracted} re-extracted, "
               f"{report.total - report.extracted - (report.missing_raw if full else 0)} "
               f"re-cleaned): {report.updated} updated, {report.unchanged} unchanged "
               f"({report.refreshed} with new dates, authors or other fields), "
               f"{report.rejected} no longer accepted (kept), {report.missing_raw} without raw "
               f"HTML ({raw_note}); learned boilerplate lines: {learned}")


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def explain(obj: dict[str, Any], url: str, as_json: bool) -> None:
    """Show what cleaning removed from an article, and which rule removed each line.

    Origins: global (pipelines/rules/boilerplate.toml), source (the source's [clean] rules),
    learned (a line repeated across many of the source's pages).

    Example: warta explain https://gamebrott.com/some-article/
    """
    from pipelines.boilerplate import global_rules
    from storage.queries import get_article

    db = open_archive(obj["db"])
    article = get_article(db, url)
    if article is None:
        fail(f"no archived article for {url}")
    descriptions = {r.id: r.description for r in global_rules()}
    if as_json:
        click.echo(json.dumps(article["removed"], ensure_ascii=False, indent=2))
        return
    click.echo(f"{article['title']}\n{article['canonical_url']}")
    click.echo(f"kept {len(article['body'].split(chr(10) * 2))} paragraphs, removed "
               f"{len(article['removed'])}:")
    for r in article["removed"]:
        why = descriptions.get(r["rule"], "")
        click.echo(f"  [{r['origin']}:{r['rule']}] {r['text']}" + (f"  ({why})" if why else ""))
    for caption in article["captions"]:
        click.echo(f"  [caption, kept as a field] {caption}")


@main.command()
@click.option("--since", help="Rebuild stories of articles since: 7d, 12h, 2w or a date "
              "(default: all).")
@click.pass_obj
def recluster(obj: dict[str, Any], since: str | None) -> None:
    """Rebuild stories from the archive, whatever order the articles came in.

    The stories of the articles since the date are rebuilt whole (a story that began
    earlier is not cut in two), all at once: average linkage, then each article into the
    story whose centroid is closest. Use after changing story settings, or to undo the
    order effects of live assignment. Articles keep their rows; only story membership is
    recomputed. 20,000 articles take about a minute and 0.7 GB.

    Example: warta recluster --since 30d
    """
    from pipelines.stories import recluster as run_recluster
    from storage import lock
    from storage.entities import entity_ids_of
    from storage.queries import QueryError, since_to_iso

    try:
        bound = since_to_iso(since)
        lock.acquire(obj["db"])
    except QueryError as exc:
        fail(str(exc))
    except lock.ArchiveLocked as exc:
        fail(str(exc), 75)
    try:
        db = open_archive(obj["db"])
        with db.atomic():
            report = run_recluster(db, bound,
                                   entity_ids_for=lambda ids: entity_ids_of(db, ids))
    finally:
        lock.release(obj["db"])
    click.echo(f"{report.articles} articles in {report.stories} stories "
               f"({report.seconds:.1f}s)")


@main.command("entities-of")
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def entities_of_command(obj: dict[str, Any], url: str, as_json: bool) -> None:
    """List the entities found in one archived article and how each was found
    (gazetteer, pattern, cue or model).

    Example: warta entities-of https://gamebrott.com/some-article/
    """
    from storage.entities import entities_of
    from storage.queries import get_article

    db = open_archive(obj["db"])
    article = get_article(db, url)
    if article is None:
        fail(f"no archived article for {url}")
    rows = entities_of(db, article["id"])
    if emit(rows, as_json, False):
        return
    click.echo(f"{article['title']}\n{article['canonical_url']}: {len(rows)} entities")
    for r in rows:
        click.echo(f"  {r['type']:<8} {r['name']:<30} x{r['count']:<3} {r['method']:<9} "
                   f"{r['entity_id']}")


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def history(obj: dict[str, Any], url: str, as_json: bool) -> None:
    """List the revisions of an archived article (edits seen by later crawls).

    Example: warta history https://gamebrott.com/some-article/
    """
    from storage.queries import get_article, revisions

    db = open_archive(obj["db"])
    article = get_article(db, url)
    if article is None:
        fail(f"no archived article for {url}")
    rows = revisions(db, article["id"])
    current = {"seen": article["fetched_at"], "title": article["title"],
               "content_hash": article["content_hash"], "word_count": article["word_count"],
               "current": True}
    rows = [*rows, current]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{article['canonical_url']}: {len(rows)} version(s)")
    for r in rows:
        mark = "current" if r.get("current") else f"replaced {r['replaced_at']}"
        click.echo(f"  {r['seen']}  {r['content_hash'][:12]}  {r['word_count']:>5} words  "
                   f"{mark}  {r['title']}")


# Analyst commands (#8: stats, stories, entities, export, serve) live in their own module.
for _command in (export, serve, stories, entities):
    main.add_command(_command)
main.add_command(stats_command, "stats")
main.add_command(health)

if __name__ == "__main__":
    main()
