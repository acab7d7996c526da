"""ECB+ story clustering through `warta ingest`: the same pipelines as a crawl.

Converts ../shared/corpus/story_clusters_ecbplus/ecbplus_dev.jsonl to warta's JSON-lines
import format (url, title = first sentence, body = the rest, source = one outlet per
article), imports it into a fresh archive with ``warta ingest``, and scores the stories it
made against the gold events: B-cubed P/R/F1 and pairwise F1 (bench/eval_stories.py has the
per-topic cross-validation of the clusterer itself).

    .venv/bin/python bench/eval_stories_ingest.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from eval_stories import bcubed, pairwise  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "story_clusters_ecbplus" / "ecbplus_dev.jsonl"


def main() -> None:
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return
    gold: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "ecb.jsonl"
        with lines.open("w", encoding="utf-8") as out:
            for raw in CORPUS.read_text(encoding="utf-8").splitlines():
                doc = json.loads(raw)
                sentences = [s for s in doc["text"].split("\n") if s.strip()]
                url = f"https://ecb.example/{doc['doc_id']}"
                gold[url] = doc["cluster"]
                out.write(json.dumps({"url": url, "title": sentences[0],
                                      "body": "\n\n".join(sentences[1:]) or sentences[0],
                                      "source": f"outlet-{doc['doc_id']}", "lang": "en"}) + "\n")
        db = Path(tmp) / "ecb.db"
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "warta.cli", "--db", str(db), "ingest", str(lines)],
            cwd=REPO, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        print(done.stdout.strip() or done.stderr[-2000:])
        import sqlite3

        rows = sqlite3.connect(db).execute(
            "select canonical_url, story_id from articles").fetchall()
    urls = [u for u, _ in rows]
    pred = [s or u for u, s in rows]
    truth = [gold[u] for u in urls]
    p, r, f = bcubed(pred, truth)
    pp, pr, pf = pairwise(pred, truth)
    print(f"ECB+ dev via warta ingest: {len(rows)} articles -> {len(set(pred))} stories "
          f"(gold events: {len(set(truth))}) in {seconds:.1f}s")
    print(f"  B-cubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}   pairwise P/R/F1 {pp:.3f}/{pr:.3f}/{pf:.3f}")


if __name__ == "__main__":
    main()
