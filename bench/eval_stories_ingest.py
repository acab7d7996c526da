"""ECB+ story clustering through `warta ingest`: the same pipelines as a crawl.

Converts ../shared/corpus/story_clusters_ecbplus/ecbplus_dev.jsonl to warta's JSON-lines
import format (url, title = first sentence, body = the rest, source = one outlet per
article), imports it into a fresh archive with ``warta ingest``, and scores the stories it
made against the gold events: B-cubed P/R/F1 and pairwise F1. Three figures: ``warta ingest
--no-recluster`` (each article assigned live, in line order, as in a crawl), ``warta ingest``
(which then rebuilds the imported articles' stories at once, whatever the line order), and
``warta recluster`` run on that archive afterwards; for reference, the TF-IDF baseline of
bench/eval_stories.py on the texts as archived, tuned on them. ``--orders N`` repeats the
three with the lines in N shuffled orders (bench/eval_stories.py has the per-topic
cross-validation of the clusterer itself).

ECB+ articles have no dates: all count at their fetch time (the same second for one
ingest). Sixteen ECB+ texts are one sentence: as a title with no body they are short
articles, which never join a story by text.

    .venv/bin/python bench/eval_stories_ingest.py [--orders 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from eval_stories import BASELINE_GRID, Doc, baseline, bcubed, pairwise  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "story_clusters_ecbplus" / "ecbplus_dev.jsonl"


def records() -> tuple[list[dict], dict[str, str]]:
    """The import lines and the gold event of each URL."""
    out, gold = [], {}
    for raw in CORPUS.read_text(encoding="utf-8").splitlines():
        doc = json.loads(raw)
        sentences = [s for s in doc["text"].split("\n") if s.strip()]
        url = f"https://ecb.example/{doc['doc_id']}"
        gold[url] = doc["cluster"]
        out.append({"url": url, "title": sentences[0],
                    "body": "\n\n".join(sentences[1:]) or sentences[0],
                    "source": f"outlet-{doc['doc_id']}", "lang": "en"})
    return out, gold


def warta(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "warta.cli", *args], cwd=REPO, capture_output=True, text=True,
        check=False)


def score(db: Path, gold: dict[str, str], label: str) -> float:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select canonical_url, story_id from articles").fetchall()
    pred = [s or u for u, s in rows]
    truth = [gold[u] for u, _ in rows]
    p, r, f = bcubed(pred, truth)
    pp, pr, pf = pairwise(pred, truth)
    print(f"  {label:<22} {len(rows)} articles -> {len(set(pred))} stories "
          f"(gold events: {len(set(truth))})  B-cubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}   "
          f"pairwise P/R/F1 {pp:.3f}/{pr:.3f}/{pf:.3f}", flush=True)
    return f


def run(lines: list[dict], gold: dict[str, str], name: str) -> tuple[float, float, float]:
    """Scores of ``warta ingest --no-recluster`` (live assignment in line order), of
    ``warta ingest`` (which rebuilds the imported articles' stories at the end), and of
    ``warta recluster`` run after it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ecb.jsonl"
        path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        print(f"{name}:")
        out = []
        for label, flags in (("ingest --no-recluster", ["--no-recluster"]), ("ingest", [])):
            db = Path(tmp) / f"ecb{len(out)}.db"
            started = time.perf_counter()
            done = warta("--db", str(db), "ingest", str(path), *flags)
            seconds = time.perf_counter() - started
            if done.returncode:
                sys.exit(done.stderr[-2000:])
            print(f"  warta {label}: {' / '.join(done.stdout.strip().splitlines())} "
                  f"({seconds:.1f}s)")
            out.append(score(db, gold, label))
        done = warta("--db", str(db), "recluster")
        if done.returncode:
            sys.exit(done.stderr[-2000:])
        out.append(score(db, gold, "then warta recluster"))
        if name.endswith("file order"):
            baseline_on_archive(db, gold)
    return out[0], out[1], out[2]


def baseline_on_archive(db: Path, gold: dict[str, str]) -> None:
    """``eval_stories.baseline`` (TF-IDF, average linkage) on the texts as the archive
    stores them (after cleaning), its threshold tuned on this very set: the reference for
    the figures above (it has no short-body rule)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select canonical_url, title, body from articles").fetchall()
    docs = [Doc(u, 0, gold[u], t or "", b or "") for u, t, b in rows]
    truth = [d.cluster for d in docs]
    f, t = max((bcubed(baseline(docs, t), truth)[2], t) for t in BASELINE_GRID)
    print(f"  {'baseline, tuned here':<22} TF-IDF + average linkage on the archived texts, "
          f"threshold {t:.2f}: B-cubed F1 {f:.3f}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=0, help="shuffled line orders too")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return
    lines, gold = records()
    results = [run(lines, gold, "ECB+ dev, file order")]
    for seed in range(1, args.orders + 1):
        shuffled = lines[:]
        random.Random(seed).shuffle(shuffled)
        results.append(run(shuffled, gold, f"ECB+ dev, shuffled order {seed}"))
    if len(results) > 1:
        for k, label in enumerate(("ingest --no-recluster", "ingest", "then recluster")):
            got = [r[k] for r in results]
            print(f"over {len(results)} orders, {label}: B-cubed F1 {min(got):.3f}-"
                  f"{max(got):.3f}")


if __name__ == "__main__":
    main()
