"""Reprocessing speed: N archived articles re-cleaned (``--clean-only``, and the default
``warta reprocess`` when extraction rules did not change) and re-extracted (``--full``).

Builds an archive of N articles from the demo site's pages (each page stored under many
URLs, with its raw HTML) and clusters it into stories (``recluster``, untimed: a real archive
has its stories already), then times ``pipelines.offline.reprocess`` both ways on one core.
Every article's stored body differs from what re-extraction gives (a "Copy N." line is
dropped), so every article is rewritten: the worst case, not the usual one.

    .venv/bin/python bench/bench_reprocess.py [--articles 10000] [--full-sample N] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WARTA_DEMO_BASE", "http://demo.invalid")

from crawler.run import crawl_settings  # noqa: E402
from pipelines import article_from_html  # noqa: E402
from pipelines.dedup import fingerprint  # noqa: E402
from pipelines.offline import reprocess  # noqa: E402
from pipelines.stories.recluster import recluster  # noqa: E402
from storage.archive import Archive  # noqa: E402
from warta.config import load_config  # noqa: E402
from warta.urls import article_id  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "demo" / "sources.toml"


def build(db_path: Path, n: int) -> None:
    manifest = json.loads((REPO / "demo" / "site_manifest.json").read_text())
    config = load_config(CONFIG)
    source_of = {"gamebrott": "demo-gamebrott", "technews": "demo-technews",
                 "portal": "demo-portal"}
    pages = []
    for a in manifest["articles"]:
        html = (REPO / "demo/site" / a["path"].strip("/") / "index.html").read_text()
        html = html.replace("{{BASE}}", "http://demo.invalid")
        name = source_of[a["outlet"]]
        pages.append((name, html, fingerprint(article_from_html(html, "http://demo.invalid/",
                                                                  config.sources[name]))))
    archive = Archive(db_path)
    for name, source in config.sources.items():
        archive.save_source(name, source.homepage, source.lang, {})
    with archive.db.atomic():
        for i in range(n):
            name, html, art = pages[i % len(pages)]
            url = f"http://demo.invalid/copy/{i}/"
            rec = art.to_dict()
            rec["url"] = rec["canonical_url"] = url
            rec["id"] = article_id(url)
            # distinct bodies, so the copies are not all duplicates of one another
            rec["body"] = f"Copy {i}.\n\n" + rec["body"]
            archive.store_article(rec, html, minhash=None)
    recluster(archive.db)
    archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--full-sample", type=int, default=None,
                        help="articles re-extracted in full, in an archive of that many "
                             "(timed, then extrapolated; default --articles: a smaller "
                             "archive reads ~25%% faster, its indexes being smaller)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="also time the full reprocess with this many worker processes "
                             "(on a second copy of the sample; 1 skips it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build(db, args.articles)
        print(f"built {args.articles} articles in {time.perf_counter() - t:.1f}s")
        settings = crawl_settings(load_config(CONFIG), db, "ERROR")
        t = time.perf_counter()
        report = reprocess(settings, clean_only=True)
        first_s = time.perf_counter() - t
        print(f"first clean-only reprocess of the built archive (stores every article's "
              f"entities, rewrites {report.updated}): {report.total} articles in {first_s:.1f}s")
        t = time.perf_counter()
        report = reprocess(settings, clean_only=True)
        clean_s = time.perf_counter() - t
        print(f"clean-only reprocess: {report.total} articles in {clean_s:.1f}s "
              f"({1000 * clean_s / report.total:.2f} ms/article); updated {report.updated}")
        t = time.perf_counter()
        report = reprocess(settings)
        auto_s = time.perf_counter() - t
        print(f"default reprocess after a cleaning-rule change (extraction rules unchanged): "
              f"{report.total} articles in {auto_s:.1f}s, {report.extracted} re-extracted")
        small = Path(tmp) / "small.db"
        full_sample = args.full_sample or args.articles
        build(small, full_sample)
        settings = crawl_settings(load_config(CONFIG), small, "ERROR")
        t, cpu = time.perf_counter(), time.process_time()
        report = reprocess(settings, full=True)
        full_s, cpu_s = time.perf_counter() - t, time.process_time() - cpu
        per = full_s / report.total
        print(f"full reprocess (re-extract from raw HTML): {report.total} articles in "
              f"{full_s:.1f}s ({1000 * per:.1f} ms/article; CPU {1000 * cpu_s / report.total:.1f}"
              f" ms) -> {args.articles} articles ~{per * args.articles:.0f}s")
        if args.jobs > 1:
            again = Path(tmp) / "small-jobs.db"
            build(again, full_sample)
            settings = crawl_settings(load_config(CONFIG), again, "ERROR")
            t = time.perf_counter()
            report = reprocess(settings, full=True, jobs=args.jobs)
            jobs_s = time.perf_counter() - t
            per = jobs_s / report.total
            print(f"full reprocess with --jobs {args.jobs} (os.cpu_count() = {os.cpu_count()}): "
                  f"{report.total} articles in {jobs_s:.1f}s ({1000 * per:.1f} ms/article) -> "
                  f"{args.articles} articles ~{per * args.articles:.0f}s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
