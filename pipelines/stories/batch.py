"""Batch story clustering: average linkage over a whole set of articles, whatever their order,
then each article moved to the story whose centroid it is closest to.

Live clustering (``StoryClusterer``) puts each article into the best story *so far*, so its
stories depend on the order in which articles arrive. ``batch_stories`` sees the whole set
at once. First, average linkage: every article starts alone, and the two groups with the
highest average pairwise similarity merge, again and again, while that average reaches
``threshold``. Average linkage at a threshold high enough to keep two events of one kind
apart leaves a big story's later reports outside it (their average similarity to all of
a large, varied group is low), so, second, a reassignment with the live clusterer's rule:
each article goes to the story whose centroid (the sum of its members' unit vectors; its
own story's without it) is the most similar, if that cosine reaches ``join_threshold``
(the live threshold), else it stays alone; all articles at once, again until nothing
moves. The result depends only on the set (articles are numbered by (time, article id)
first; ties go to the groups with the earliest articles): articles of equal time, such as
those without a date (counted at their fetch time), need no order at all.

Similarity is the live clusterer's: cosine of TF-IDF vectors of ``article_features`` terms
(entity ids as ``@`` terms), with the inverse document frequency ln((1 + N) / (1 + df)) + 1
counted over the set (copies not counted); between articles in two languages, the cosine
over names, numbers and entity ids scaled by ``threshold / cross_threshold`` when that is
higher (the live rule: such a pair counts as the threshold when its neutral cosine reaches
``cross_threshold``). Rules, as in live clustering:

- two articles more than ``window_days`` apart have similarity 0 (they never link directly;
  average linkage keeps events days apart apart unless articles in between bridge them);
- an article whose body has fewer than ``min_body_words`` words (or no terms) links to
  nothing by text: it stays alone, apart from its copies;
- copies (``duplicate_of`` naming an article of the set) are one group with their original,
  and the earliest of them (by time, then article id) stands for all: only its text takes
  part in similarities and frequencies. Which of two copies dedup calls the original
  depends on which arrived first; which one stands for them does not. A copy whose original
  is not in the set is clustered as an article of its own.

Scale: similarities are computed only for pairs within the time window, and only those of at
least ``floor`` (default ``threshold / 3``) are kept; smaller ones count as 0 in the
averages. Articles sorted by time are taken in blocks of rows against the window before
them: terms shared by many pairs of the window go through a dense float32 matrix product,
the rest through an inverted index (postings sorted by time, so each occurrence meets only
the earlier occurrences in its window). Average linkage then runs on the sparse graph with a
heap, and so does the reassignment (a centroid's dot product with an article is the sum of
the article's similarities to its members; its squared length, its size plus twice the sum
of similarities within it; pairs not kept count as 0 there too). Memory grows with the
articles, their terms and the kept pairs, never with the square of the articles. Terms are
told apart by their 63-bit keys (``features.term_key``), not a vocabulary of strings: two
terms merge with a probability of about 1e-7 per batch of 2 million distinct terms.

Measured on ECB+ dev (462 articles, 20 topics of two same-kind events; bench/eval_stories.py
``cross_validate``: ``threshold`` tuned on one half of the topics, scored on the other,
both ways, seeds 1-5, grid 0.12-0.30, ``join_threshold`` 0.18): held-out B-cubed P/R/F1
0.926/0.920/0.922 (worst fold 0.887; tuned thresholds 0.16-0.22, mostly 0.19, hence
``THRESHOLD``), against 0.873/0.918/0.891 for average linkage alone (its own threshold
tuned the same way, mean 0.151) and 0.843/0.918/0.876 for ``eval_stories.baseline``, in the
same run. Keeping only pairs of at least ``threshold / 3`` gives the same partitions as
keeping every pair there (through ``warta ingest``, with its cleaning and entities: F1
0.905 against 0.909).

Time and memory (two shared cores): 20,000 synthetic articles (bench/bench_stories_scale.py's
generator) spread over 30 days take 27-35 s, about half of it in ``article_features``, and
0.5 GB above what the caller holds; all within 3 days, 37-40 s and the same memory. 50,000
take 90 s (30 days) and 135 s (3 days), 1.1 GB. Average linkage needs about 100 MB more per
million kept pairs.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from pipelines.stories.cluster import StoryDoc, StoryParams, event_time
from pipelines.stories.features import NEUTRAL, Features, article_features

DAY = 86400.0
_LIVE = StoryParams()

THRESHOLD = _LIVE.batch_threshold
"""Default average similarity for two groups to merge (ECB+ dev topic-split CV)."""
JOIN_THRESHOLD = _LIVE.threshold
"""Reassignment: the least cosine between an article and a story's centroid for it to stay
in or move to that story; the live clusterer's threshold, so that every article of a
rebuilt story is one that live clustering would let join it."""
FLOOR_SHARE = 1 / 3
"""Similarities under ``FLOOR_SHARE * threshold`` are not kept (they count as 0)."""

# Dense/sparse split of the similarity computation. A term goes into the dense matrix when
# the pairs of articles within the window that share it exceed this fraction of all pairs
# within the window: a dense column costs about one multiply-add per pair in the window
# (BLAS, ~0.05 ns each), a sparse term about 40-80 ns per pair sharing it.
_DENSE_FRACTION = 1e-3
_DENSE_BYTES = 256 << 20
"""Most memory the dense float32 matrix (articles x dense terms) may take."""
_BLOCK_CELLS = 1 << 23
"""Cells of one block of similarities (rows x window columns, float32: 32 MB)."""
_CHUNK_PAIRS = 1 << 20
"""Sparse term co-occurrences expanded at once."""
_REASSIGN_ROUNDS = 10
"""Most rounds of reassignment (it usually settles in 2-4; a cap stops a rare oscillation)."""


@dataclass(frozen=True)
class BatchDoc:
    """What batch clustering needs of an article."""

    article_id: str
    title: str | None
    body: str | None
    lang: str | None
    at: datetime
    """Its event time (``cluster.event_time``); a naive time counts as UTC."""
    entity_ids: Sequence[str] = ()
    """Canonical entity ids from the entity pipeline (may be empty)."""
    duplicate_of: str | None = None
    """The original's article id when dedup found this article to be a copy."""
    features: Features | None = field(default=None, compare=False, repr=False)
    """Its ``article_features`` when the caller has them already (else computed here)."""

    @classmethod
    def from_story_doc(cls, doc: StoryDoc) -> BatchDoc:
        """The batch view of a live clusterer's ``StoryDoc`` (event time as it counts it)."""
        when, _ = event_time(doc.published_at, doc.fetched_at)
        return cls(doc.article_id, doc.title, doc.body, doc.lang, when, tuple(doc.entity_ids),
                   doc.duplicate_of)


def batch_stories(docs: Sequence[BatchDoc], *, threshold: float = THRESHOLD,
                  join_threshold: float | None = JOIN_THRESHOLD,
                  window_days: float = _LIVE.window_days,
                  min_body_words: int = _LIVE.min_body_words,
                  cross_threshold: float | None = _LIVE.cross_threshold,
                  floor: float | None = None,
                  on_features: Callable[[BatchDoc, Features], None] | None = None
                  ) -> list[list[int]]:
    """Group ``docs`` into stories by average linkage, then reassign each article to the
    story whose centroid it is closest to (see the module docstring).

    Returns every article exactly once, as positions in ``docs``: a list of groups, each
    ordered by (time, article id), the groups ordered by their first article. The same set
    of articles in any order gives the same groups of article ids.

    ``join_threshold`` None leaves out the reassignment (plain average linkage);
    ``cross_threshold`` None leaves out the cross-language rule; ``floor`` is the smallest
    similarity kept (default ``threshold / 3``; 0 keeps every positive one);
    ``on_features`` is called with each article that stands for its copies (or has none),
    and its features, as they are computed (so that a caller need not compute them again
    nor hold them all). Article ids must be unique (ValueError otherwise)."""
    n = len(docs)
    if n == 0:
        return []
    if floor is None:
        floor = threshold * FLOOR_SHARE
    when = [_utc(d.at) for d in docs]
    order = sorted(range(n), key=lambda i: (when[i], docs[i].article_id))
    position = {docs[i].article_id: p for p, i in enumerate(order)}
    if len(position) != n:
        raise ValueError("article ids must be unique")
    sorted_docs = [docs[i] for i in order]
    root = _roots([position.get(d.duplicate_of, p) if d.duplicate_of is not None else p
                   for p, d in enumerate(sorted_docs)])

    rows, cols, vals, neutral_term, linked = _vectors(sorted_docs, root, min_body_words,
                                                      on_features)
    group = list(range(n))  # each position's group, as the group's first position
    if len(linked) > 1:
        times = np.array([when[order[p]].timestamp() for p in linked])
        langs = [sorted_docs[p].lang or "" for p in linked]
        labels = _link(rows, cols, vals, neutral_term, times, langs, threshold=threshold,
                       floor=floor, window=window_days * DAY, cross_threshold=cross_threshold,
                       join_threshold=join_threshold)
        for node, label in enumerate(labels):
            group[linked[node]] = linked[label]
    out: dict[int, list[int]] = {}
    for p in range(n):
        out.setdefault(group[root[p]], []).append(order[p])
    return sorted(out.values(), key=lambda g: position[docs[g[0]].article_id])


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _roots(parent: list[int]) -> list[int]:
    """Each position's representative: the smallest (earliest) position linked to it by
    ``parent`` links, in either direction (copies of copies, an original named by its copy
    or the other way round, cycles)."""
    up = list(range(len(parent)))

    def find(x: int) -> int:
        while up[x] != x:
            up[x] = up[up[x]]
            x = up[x]
        return x

    for p, q in enumerate(parent):
        a, b = find(p), find(q)
        if a != b:
            up[max(a, b)] = min(a, b)
    return [find(p) for p in range(len(parent))]


def _vectors(docs: list[BatchDoc], root: list[int], min_body_words: int,
             on_features: Callable[[BatchDoc, Features], None] | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Unit TF-IDF vectors of the articles that may link (originals with a body of at
    least ``min_body_words`` words and some terms), IDF counted over all originals.

    Returns their entries (row, term id, weight; grouped by row, rows numbered 0.. in the
    order of ``docs``), whether each term id is neutral, and each row's position in
    ``docs``."""
    keys = array("Q")  # each term's key (features.term_key), top bit set for neutral terms
    raw = array("d")
    lengths: list[int] = []
    linkable: list[int] = []  # original rows that may link
    linked: list[int] = []  # their positions
    for p, d in enumerate(docs):
        if root[p] != p:
            continue  # a copy
        f = d.features or article_features(d.title, d.body, d.lang, list(d.entity_ids))
        if on_features is not None:
            on_features(d, f)
        if f.body_words >= min_body_words and len(f):
            linkable.append(len(lengths))
            linked.append(p)
        keys.frombytes(f.keys.tobytes())
        raw.frombytes(f.weights.tobytes())
        lengths.append(len(f))
    # Term ids: ranks of the distinct hashes.
    key_array = np.frombuffer(keys, dtype=np.uint64)
    order = np.argsort(key_array)
    ranked = key_array[order]
    new = np.empty(len(ranked), dtype=bool)
    new[:1] = True
    np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    neutral_term = ranked[new] >= NEUTRAL
    del ranked
    ids = np.empty(len(order), dtype=np.int32)
    ids[order] = np.cumsum(new, dtype=np.int32) - 1
    del order, new, key_array, keys
    n_docs = len(lengths)
    idf = np.log((1.0 + n_docs) / (1.0 + np.bincount(ids, minlength=len(neutral_term)))) + 1.0
    row = np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
    weighted = np.frombuffer(raw) * idf[ids]
    del idf
    norm = np.sqrt(np.bincount(row, weights=weighted * weighted, minlength=n_docs))
    keep = np.zeros(n_docs, dtype=bool)
    keep[linkable] = True
    entries = keep[row]
    row = row[entries]
    cols = ids[entries]
    vals = weighted[entries]
    vals /= norm[row]
    rows = (np.cumsum(keep, dtype=np.int32) - 1)[row]
    return rows, cols, vals, neutral_term, linked


def _link(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, neutral_term: np.ndarray,
          times: np.ndarray, langs: list[str], *, threshold: float, floor: float,
          window: float, cross_threshold: float | None,
          join_threshold: float | None = None) -> list[int]:
    """Average linkage of the rows (see ``_vectors``) at ``times`` (sorted) in ``langs``
    ("" for none), then the reassignment unless ``join_threshold`` is None: each row's
    group, as the group's first row."""
    m = len(times)
    i, j, s = _similar_pairs(rows, cols, vals, m, times, window, floor)
    if cross_threshold and len(set(langs) - {""}) > 1:
        code_of = {lang: k for k, lang in enumerate(sorted(set(langs)))}
        code = np.array([code_of[lang] for lang in langs])
        blank = code_of.get("", -1)
        neutral = neutral_term[cols]
        n_rows, n_cols, n_vals = rows[neutral], cols[neutral], vals[neutral]
        n_norm = np.sqrt(np.bincount(n_rows, weights=n_vals * n_vals, minlength=m))
        n_vals /= n_norm[n_rows]
        scale = threshold / cross_threshold

        def across(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return (code[a] != code[b]) & (code[a] != blank) & (code[b] != blank)

        ci, cj, cs = _similar_pairs(n_rows, n_cols, n_vals, m, times, window, floor / scale,
                                    across)
        i, j, s = _max_pairs(np.concatenate((i, ci)), np.concatenate((j, cj)),
                             np.concatenate((s, cs * scale)), m)
    labels = _average_linkage(m, i, j, s, threshold)
    if join_threshold is None:
        return labels
    return _reassign(m, i, j, s, np.array(labels, dtype=np.int64), join_threshold)


def _max_pairs(i: np.ndarray, j: np.ndarray, s: np.ndarray, m: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One similarity per pair, the highest."""
    key = i * m + j
    order = np.lexsort((-s, key))
    key, s = key[order], s[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    return i[order][first], j[order][first], s[first]


def _similar_pairs(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, m: int,
                   times: np.ndarray, window: float, floor: float,
                   keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i, j), j < i, of rows at most ``window`` apart in ``times`` (sorted) whose dot
    product is at least ``floor`` (and positive): arrays i, j, similarity (float64).

    ``rows``/``cols``/``vals``: the vectors' entries, grouped by row in row order (a term at
    most once per row); ``keep`` filters pairs further."""
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    # Terms of one row only take no part in any dot product.
    shared = np.bincount(cols)[cols] > 1
    rows, cols, vals = rows[shared], cols[shared], vals[shared].astype(np.float32)
    del shared
    n_entries = len(rows)
    if n_entries == 0:
        return empty
    indptr = np.searchsorted(rows, np.arange(m + 1))
    start = np.searchsorted(times, times - window, side="left")  # first row in the window
    # Postings: the entries ordered by term, then row (time). For each, ``lo``: where its
    # term's occurrences within the window before it begin.
    perm = np.argsort(cols, kind="stable")
    p_rows, p_cols = rows[perm], cols[perm]
    p_key = p_cols.astype(np.int64) * m
    lo = p_key + start[p_rows]
    p_key += p_rows
    lo = np.searchsorted(p_key, lo)
    del p_key
    earlier = np.arange(n_entries) - lo
    pairs_per_term = np.bincount(p_cols, weights=earlier)
    del earlier, p_cols
    # Dense terms: those shared by the most pairs within the window (see _DENSE_FRACTION).
    window_pairs = float((np.arange(m) - start).sum())
    ranked = np.argsort(-pairs_per_term, kind="stable")
    ranked = ranked[:min(int(_DENSE_BYTES // (4 * m)), len(ranked))]
    dense = ranked[pairs_per_term[ranked] > _DENSE_FRACTION * window_pairs]
    del ranked, pairs_per_term
    k = len(dense)
    dense_col = np.full(int(cols.max()) + 1, -1, dtype=np.int32)
    dense_col[dense] = np.arange(k, dtype=np.int32)
    x = np.zeros((m, k), dtype=np.float32)
    is_dense = dense_col[cols] >= 0
    x[rows[is_dense], dense_col[cols[is_dense]]] = vals[is_dense]
    del dense_col
    # Sparse terms: each entry's (in row order) earlier partners, from its postings.
    p_vals = vals[perm]
    inv = np.empty(n_entries, dtype=np.int32)
    inv[perm] = np.arange(n_entries, dtype=np.int32)
    del perm
    lo_of = lo[inv].astype(np.int32)
    del lo
    partners = inv - lo_of
    partners[is_dense] = 0
    del inv, is_dense
    cum = np.zeros(n_entries + 1, dtype=np.int64)
    np.cumsum(partners, out=cum[1:])

    out_i, out_j, out_s = [], [], []
    a = 0
    while a < m:
        lo_row = int(start[a])
        g = a - lo_row
        b = min(m, a + max(1, int((math.sqrt(g * g + 4.0 * _BLOCK_CELLS) - g) / 2)))
        width = b - lo_row
        if k:
            block = x[a:b] @ x[lo_row:b].T
        else:
            block = np.zeros((b - a, width), dtype=np.float32)
        flat = block.reshape(-1)
        e, e_end = int(indptr[a]), int(indptr[b])
        while e < e_end:  # sparse contributions, about _CHUNK_PAIRS at a time
            stop = int(np.searchsorted(cum, cum[e] + _CHUNK_PAIRS, side="right")) - 1
            stop = min(max(stop, e + 1), e_end)
            c = partners[e:stop]
            total = int(cum[stop] - cum[e])
            if total:
                offsets = cum[e:stop] - cum[e]
                q = np.repeat(lo_of[e:stop] - offsets, c) + np.arange(total)
                cell = np.repeat((rows[e:stop] - a) * width - lo_row, c) + p_rows[q]
                np.add.at(flat, cell, np.repeat(vals[e:stop], c) * p_vals[q])
            e = stop
        r, c = np.nonzero(block >= floor if floor > 0 else block > 0)
        i, j = r + a, c + lo_row
        ok = (j < i) & (j >= start[i])
        i, j = i[ok], j[ok]
        if keep is not None:
            ok = keep(i, j)
            i, j = i[ok], j[ok]
        out_i.append(i)
        out_j.append(j)
        out_s.append(block[i - a, j - lo_row].astype(np.float64))
        a = b
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)


def _average_linkage(m: int, i: np.ndarray, j: np.ndarray, s: np.ndarray,
                     threshold: float) -> list[int]:
    """Average linkage of ``m`` nodes over the sparse similarities (i, j, s) (pairs not
    given count as 0): merge the two groups with the highest average pairwise similarity
    while it is at least ``threshold``; ties go to the groups with the smallest first
    members. Returns each node's group as the group's smallest node."""
    nb: list[dict[int, float]] = [{} for _ in range(m)]
    heap: list[tuple[float, int, int, int, int, int, int]] = []
    node = list(range(m))  # one int object per node, not one per edge
    for at in range(0, len(i), 1 << 16):  # a chunk at a time: no Python list of every pair
        end = at + (1 << 16)
        for a, b, v in zip(map(node.__getitem__, i[at:end].tolist()),
                           map(node.__getitem__, j[at:end].tolist()), s[at:end].tolist(),
                           strict=True):
            nb[a][b] = v
            nb[b][a] = v
            if v >= threshold:
                lo, hi = (a, b) if a < b else (b, a)
                heap.append((-v, lo, hi, lo, hi, 0, 0))
    heapq.heapify(heap)
    size = [1] * m
    label = list(range(m))  # a group's smallest node
    version = [0] * m
    parent = list(range(m))
    while heap:
        _, _, _, x, y, vx, vy = heapq.heappop(heap)
        if parent[x] != x or parent[y] != y or version[x] != vx or version[y] != vy:
            continue  # a side has merged since
        if len(nb[x]) < len(nb[y]):
            x, y = y, x
        into, gone = nb[x], nb[y]
        into.pop(y, None)
        for c, v in gone.items():
            if c == x:
                continue
            other = nb[c]
            other.pop(y, None)
            total = into.get(c, 0.0) + v
            into[c] = total
            other[x] = total
        nb[y] = {}
        parent[y] = x
        size[x] += size[y]
        label[x] = min(label[x], label[y])
        version[x] += 1
        sx, lx, vx = size[x], label[x], version[x]
        for c, total in into.items():
            avg = total / (sx * size[c])
            if avg >= threshold:
                lc = label[c]
                heapq.heappush(heap, (-avg, min(lx, lc), max(lx, lc), x, c, vx, version[c]))
    out = []
    for k in range(m):
        while parent[k] != k:
            k = parent[k]
        out.append(label[k])
    return out


def _reassign(m: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, labels: np.ndarray,
              join_threshold: float) -> list[int]:
    """Move each of ``m`` nodes into the group whose centroid it is most similar to, or
    alone when no group reaches ``join_threshold``; all nodes at once, again until nothing
    moves (at most ``_REASSIGN_ROUNDS`` rounds). ``labels``: each node's group as its
    smallest node; (i, j, s) the sparse similarities (pairs not given count as 0).

    Centroids are sums of unit vectors, so everything comes from the pairs: a node's dot
    product with a group is the sum of its similarities to the group's members, and a
    group's squared length is its size plus twice the sum of similarities within it. A
    node is compared with its own group without itself (leave one out), as the live
    clusterer compares a new article with a story it is not yet in. Ties go to the group
    with the smallest first member. Returns each node's group as its smallest node."""
    if len(i) == 0:
        return labels.tolist()
    src = np.concatenate((i, j))
    dst = np.concatenate((j, i))
    sims = np.concatenate((s, s))
    nodes = np.arange(m, dtype=np.int64)
    for _ in range(_REASSIGN_ROUNDS):
        inside = labels[i] == labels[j]
        length2 = np.bincount(labels, minlength=m).astype(np.float64)
        length2 += 2.0 * np.bincount(labels[i[inside]], weights=s[inside], minlength=m)
        key, where = np.unique(src * m + labels[dst], return_inverse=True)
        dot = np.bincount(where, weights=sims)
        node, group = key // m, key % m
        own = labels[node] == group
        norm2 = np.where(own, length2[group] - 2.0 * dot - 1.0, length2[group])
        cos = np.divide(dot, np.sqrt(norm2, where=norm2 > 1e-12, out=np.ones_like(norm2)),
                        where=norm2 > 1e-12, out=np.zeros_like(dot))
        order = np.lexsort((group, -cos, node))  # each node's best group first
        node, group, cos = node[order], group[order], cos[order]
        best = np.ones(len(node), dtype=bool)
        best[1:] = node[1:] != node[:-1]
        best &= cos >= join_threshold
        moved = nodes + m  # alone: a label of its own, apart from every group's
        moved[node[best]] = group[best]
        _, dense = np.unique(moved, return_inverse=True)
        smallest = np.full(m, m, dtype=np.int64)
        np.minimum.at(smallest, dense, nodes)
        moved = smallest[dense]
        if np.array_equal(moved, labels):
            break
        labels = moved
    return labels.tolist()
