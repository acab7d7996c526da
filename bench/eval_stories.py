"""Story clustering evaluation on ECB+ (``../shared/corpus/story_clusters_ecbplus``).

Each topic of ECB+ holds two real events of the same kind (two celebrity rehab check-ins, two
earthquakes on one island); ``cluster`` is the gold event. Articles go one by one through
``StoryClusterer.assign``, the code path of a crawl, into a fresh in-memory archive. The
articles have no dates, so all count as fetched the same day; the first line of a
multi-line text is the title, the rest the body.

Printed figures: B-cubed precision/recall/F1 and pairwise F1, for

- topic-split cross-validation: topics shuffled into two halves (``--splits`` seeds); the
  threshold is tuned on one half and scored on the other, both ways. These held-out
  figures are the honest ones: every setting was chosen on this set.
- the same with ``recluster`` run after the live pass: a rebuild with ``batch_stories``
  (average linkage, then each article moved to the closest story centroid), which does not
  depend on the order; its linkage threshold (``batch_threshold``) is the one tuned, the
  live threshold stays at its default;
- the whole dev set at the default threshold, in file order and in shuffled orders (order
  sensitivity), and after ``recluster`` of a shuffled run;
- a baseline: plain TF-IDF (lower-cased ``\\w+`` tokens, sub-linear TF, smoothed IDF,
  no stop words) with batch average-linkage clustering, tuned the same way.

    python bench/eval_stories.py                 # everything (a few minutes)
    python bench/eval_stories.py --quick         # 2 splits, coarser threshold grid
    python bench/eval_stories.py --json out.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlite_utils import Database  # noqa: E402

from pipelines.stories import StoryClusterer, StoryDoc, StoryParams, recluster  # noqa: E402
from storage.stories import migrate_stories  # noqa: E402

DEV = REPO.parent / "shared" / "corpus" / "story_clusters_ecbplus" / "ecbplus_dev.jsonl"
FETCHED = datetime(2024, 1, 1, tzinfo=UTC)
WARTA_GRID = [round(0.12 + 0.01 * i, 2) for i in range(19)]
BASELINE_GRID = [round(0.10 + 0.01 * i, 2) for i in range(26)]


@dataclass(frozen=True)
class Doc:
    doc_id: str
    topic: int
    cluster: str
    title: str
    body: str


def load(path: Path) -> list[Doc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        title, body = split_text(row["text"])
        docs.append(Doc(row["doc_id"], int(row["topic"]), row["cluster"], title, body))
    return docs


def split_text(text: str) -> tuple[str, str]:
    """First line as the title when there are several lines, as a headline would be."""
    lines = text.split("\n")
    if len(lines) > 1:
        return lines[0], "\n".join(lines[1:])
    return "", text


# -- metrics ---------------------------------------------------------------------------------

def bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(pred, gold, strict=True):
        both = len(by_pred[p] & by_gold[g])
        precision += both / len(by_pred[p])
        recall += both / len(by_gold[g])
    precision, recall = precision / len(pred), recall / len(pred)
    return precision, recall, _f1(precision, recall)


def pairwise(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    def pairs(labels: Sequence[str]) -> Counter:
        return Counter(labels)

    same_pred = sum(n * (n - 1) // 2 for n in pairs(pred).values())
    same_gold = sum(n * (n - 1) // 2 for n in pairs(gold).values())
    both = sum(n * (n - 1) // 2 for n in Counter(zip(pred, gold, strict=True)).values())
    precision = both / same_pred if same_pred else 0.0
    recall = both / same_gold if same_gold else 0.0
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# -- systems ---------------------------------------------------------------------------------

def _aid(doc_id: str) -> str:
    """An archive-like article id: a hash, as ``warta.urls.article_id`` gives. ECB+ file names
    as ids would make equal-time articles replay topic by topic (in id order), which flatters
    an incremental clusterer."""
    return hashlib.sha256(doc_id.encode()).hexdigest()[:16]


def _archive(docs: Sequence[Doc]) -> Database:
    db = Database(memory=True)
    db["articles"].create(
        {"id": str, "source": str, "canonical_url": str, "title": str, "body": str,
         "lang": str, "published_at": str, "fetched_at": str, "duplicate_of": str},
        pk="id",
    )
    db["articles"].insert_all(
        {"id": _aid(d.doc_id), "source": "ecbplus", "canonical_url": f"ecbplus:{d.doc_id}",
         "title": d.title, "body": d.body, "lang": "en", "published_at": None,
         "fetched_at": FETCHED.strftime("%Y-%m-%dT%H:%M:%SZ")} for d in docs
    )
    migrate_stories(db)
    return db


def warta(docs: Sequence[Doc], order: Sequence[int] | None = None, *, then_recluster: bool = False,
          **params: float) -> list[str]:
    """Stories of ``docs`` fed through ``StoryClusterer.assign`` in ``order`` (then rebuilt
    by ``recluster`` with ``then_recluster``)."""
    db = _archive(docs)
    clusterer = StoryClusterer(db, **params)
    for i in order if order is not None else range(len(docs)):
        d = docs[i]
        clusterer.assign(StoryDoc(_aid(d.doc_id), "ecbplus", d.title, d.body, "en", None,
                                  FETCHED))
    if then_recluster:
        recluster(db, None, **params)
    story = dict(db.execute("select article_id, story_id from story_articles").fetchall())
    return [story[_aid(d.doc_id)] for d in docs]


def baseline(docs: Sequence[Doc], threshold: float) -> list[str]:
    """Plain TF-IDF cosine with batch average linkage, merging while the best pair of
    clusters has average similarity >= ``threshold``."""
    return [str(x) for x in average_linkage(tfidf_similarity(docs), threshold)]


def tfidf_similarity(docs: Sequence[Doc]) -> np.ndarray:
    tokens = [re.findall(r"\w+", f"{d.title}\n{d.body}".lower()) for d in docs]
    df = Counter(t for ts in tokens for t in set(ts))
    vocab = {t: i for i, t in enumerate(df)}
    n = len(docs)
    x = np.zeros((n, len(vocab)))
    for i, ts in enumerate(tokens):
        for t, c in Counter(ts).items():
            x[i, vocab[t]] = (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x @ x.T


def average_linkage(sim: np.ndarray, threshold: float) -> list[int]:
    n = len(sim)
    s = sim.astype(float).copy()
    np.fill_diagonal(s, -np.inf)
    size = np.ones(n)
    members = {i: [i] for i in range(n)}
    while len(members) > 1:
        i, j = np.unravel_index(np.argmax(s), s.shape)
        if s[i, j] < threshold:
            break
        merged = (s[i] * size[i] + s[j] * size[j]) / (size[i] + size[j])
        s[i], s[:, i] = merged, merged
        s[i, i] = -np.inf
        s[j], s[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        members[i] += members.pop(j)
    labels = [0] * n
    for k, idx in enumerate(members.values()):
        for m in idx:
            labels[m] = k
    return labels


# -- protocol --------------------------------------------------------------------------------

def topic_halves(docs: Sequence[Doc], seed: int) -> tuple[list[int], list[int]]:
    topics = sorted({d.topic for d in docs})
    random.Random(seed).shuffle(topics)
    first = set(topics[: len(topics) // 2])
    a = [i for i, d in enumerate(docs) if d.topic in first]
    b = [i for i, d in enumerate(docs) if d.topic not in first]
    return a, b


def scores(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    p, r, f = bcubed(pred, gold)
    return {"b3_p": p, "b3_r": r, "b3_f1": f, "pair_f1": pairwise(pred, gold)[2]}


def tune(run: Callable[[list[Doc], float], list[str]], docs: list[Doc],
         grid: Sequence[float]) -> tuple[float, float]:
    gold = [d.cluster for d in docs]
    best = max((bcubed(run(docs, t), gold)[2], -t) for t in grid)
    return -best[1], best[0]


def cross_validate(name: str, run: Callable[[list[Doc], float], list[str]], docs: list[Doc],
                   seeds: Sequence[int], grid: Sequence[float]) -> dict:
    rows = []
    for seed in seeds:
        a, b = topic_halves(docs, seed)
        for tune_idx, test_idx, label in ((a, b, "A->B"), (b, a, "B->A")):
            tune_docs = [docs[i] for i in tune_idx]
            test_docs = [docs[i] for i in test_idx]
            threshold, tuned_f1 = tune(run, tune_docs, grid)
            test = scores(run(test_docs, threshold), [d.cluster for d in test_docs])
            rows.append({"seed": seed, "direction": label, "threshold": threshold,
                         "tune_b3_f1": tuned_f1, **test})
            print(f"  {name:8} split {seed} {label}: threshold {threshold:.2f}  tune F1 "
                  f"{tuned_f1:.3f}  held-out B3 P/R/F1 {test['b3_p']:.3f}/{test['b3_r']:.3f}/"
                  f"{test['b3_f1']:.3f}  pairwise F1 {test['pair_f1']:.3f}", flush=True)
    summary = {k: statistics.mean(r[k] for r in rows)
               for k in ("b3_p", "b3_r", "b3_f1", "pair_f1", "threshold")}
    summary["b3_f1_min"] = min(r["b3_f1"] for r in rows)
    return {"folds": rows, "mean": summary}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEV)
    parser.add_argument("--splits", type=int, default=5, help="topic-split seeds")
    parser.add_argument("--orders", type=int, default=5, help="shuffled orders")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"no ECB+ dev set at {args.corpus}", file=sys.stderr)
        return 2
    docs = load(args.corpus)
    gold = [d.cluster for d in docs]
    splits = 2 if args.quick else args.splits
    warta_grid = WARTA_GRID[::2] if args.quick else WARTA_GRID
    base_grid = BASELINE_GRID[::2] if args.quick else BASELINE_GRID
    default = StoryParams().threshold
    report: dict = {"docs": len(docs), "topics": len({d.topic for d in docs}),
                    "events": len(set(gold)), "default_threshold": default}
    started = time.perf_counter()

    print(f"ECB+ dev: {len(docs)} articles, {report['topics']} topics, "
          f"{report['events']} events\n")
    print("Topic-split cross-validation (tune the threshold on one half, score the other):")
    report["cv_warta"] = cross_validate(
        "warta", lambda ds, t: warta(ds, threshold=t), docs, range(1, splits + 1), warta_grid)
    report["cv_warta_recluster"] = cross_validate(
        "warta+rc", lambda ds, t: warta(ds, then_recluster=True, batch_threshold=t), docs,
        range(1, splits + 1), warta_grid)
    report["cv_baseline"] = cross_validate(
        "baseline", baseline, docs, range(1, splits + 1), base_grid)

    print("\nWhole dev set:")
    full = {"warta_default": scores(warta(docs, threshold=default), gold),
            "warta_recluster_default": scores(warta(docs, then_recluster=True), gold)}
    t_best, _ = tune(lambda ds, t: warta(ds, threshold=t), docs, warta_grid)
    full["warta_tuned"] = {"threshold": t_best, **scores(warta(docs, threshold=t_best), gold)}
    b_best, _ = tune(baseline, docs, base_grid)
    full["baseline_tuned"] = {"threshold": b_best, **scores(baseline(docs, b_best), gold)}
    report["full"] = full

    orders = []
    for seed in range(1, args.orders + 1):
        order = list(range(len(docs)))
        random.Random(seed).shuffle(order)
        orders.append({"seed": seed, **scores(warta(docs, order, threshold=default), gold),
                       "after_recluster": scores(
                           warta(docs, order, then_recluster=True, threshold=default), gold)})
    report["orders"] = orders
    report["seconds"] = time.perf_counter() - started

    cv_w, cv_b = report["cv_warta"]["mean"], report["cv_baseline"]["mean"]
    cv_r = report["cv_warta_recluster"]["mean"]
    print(f"\n{'':34}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'pairF1':>8}")
    def line(label: str, s: dict) -> None:
        print(f"{label:34}{s['b3_p']:7.3f}{s['b3_r']:7.3f}{s['b3_f1']:7.3f}{s['pair_f1']:8.3f}")
    line(f"warta held-out (CV mean, thr~{cv_w['threshold']:.2f})", cv_w)
    line(f"warta+recluster held-out (thr~{cv_r['threshold']:.2f})", cv_r)
    line(f"baseline held-out (thr~{cv_b['threshold']:.2f})", cv_b)
    line(f"warta dev, default thr {default:.2f}", full["warta_default"])
    line(f"warta dev, tuned thr {t_best:.2f}", full["warta_tuned"])
    line(f"warta+recluster dev, default thr {StoryParams().batch_threshold:.2f}",
         full["warta_recluster_default"])
    line(f"baseline dev, tuned thr {b_best:.2f}", full["baseline_tuned"])
    f1s = [o["b3_f1"] for o in orders]
    re_f1s = [o["after_recluster"]["b3_f1"] for o in orders]
    print(f"\nheld-out B3 F1 min over folds: warta {cv_w['b3_f1_min']:.3f}, "
          f"warta+recluster {cv_r['b3_f1_min']:.3f}, "
          f"baseline {cv_b['b3_f1_min']:.3f}")
    print(f"order sensitivity at thr {default:.2f}: file order "
          f"{full['warta_default']['b3_f1']:.3f}; {len(orders)} shuffled orders B3 F1 "
          f"mean {statistics.mean(f1s):.3f} min {min(f1s):.3f} max {max(f1s):.3f}; "
          f"after recluster mean {statistics.mean(re_f1s):.3f} min {min(re_f1s):.3f}")
    print(f"({report['seconds']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
