"""Batch story clustering (pipelines/stories/batch.py): the same groups for any input order,
same-event articles together and other events apart, the time window, the short-body and
copy rules, Indonesian meeting English through entities, and the sparse computation equal to
a dense one."""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import timedelta

import numpy as np
import pytest

from pipelines.stories import batch
from pipelines.stories.batch import BatchDoc, batch_stories
from pipelines.stories.features import article_features, is_neutral
from tests.story_texts import BACKGROUND, META_GPUS, MUSK_EN_1, MUSK_EN_2, MUSK_ID, T0

MUSK_ENTITIES = ("Q317521", "Q182477", "Q918")  # Elon Musk, Nvidia, Twitter


def doc(article_id: str, text: tuple[str, str], hours: float = 0.0, lang: str = "en",
        entity_ids: tuple[str, ...] = (), duplicate_of: str | None = None) -> BatchDoc:
    return BatchDoc(article_id, text[0], text[1], lang, T0 + timedelta(hours=hours),
                    entity_ids, duplicate_of)


def background() -> list[BatchDoc]:
    return [doc(f"bg{i}", text, -5 + i, "id" if "di " in text[1] else "en")
            for i, text in enumerate(BACKGROUND)]


def stories(docs: list[BatchDoc], **params) -> list[list[str]]:
    """The groups as article ids, in the order batch_stories gives them."""
    return [[docs[i].article_id for i in group] for group in batch_stories(docs, **params)]


def group_of(result: list[list[str]], article_id: str) -> set[str]:
    return next(set(g) for g in result if article_id in g)


def test_empty_input_gives_no_stories():
    assert batch_stories([]) == []


def test_same_event_together_and_an_event_of_the_same_kind_apart():
    docs = [*background(), doc("a1", MUSK_EN_1), doc("a2", MUSK_EN_2, 3),
            doc("m1", META_GPUS, 4)]
    result = stories(docs)
    assert group_of(result, "a1") == {"a1", "a2"}
    assert group_of(result, "m1") == {"m1"}
    assert all(len(g) == 1 for g in result if g[0].startswith("bg"))
    # every article exactly once, groups and members in (time, id) order
    assert sorted(a for g in result for a in g) == sorted(d.article_id for d in docs)
    times = {d.article_id: d.at for d in docs}
    assert result == sorted(result, key=lambda g: (times[g[0]], g[0]))
    assert all(g == sorted(g, key=lambda a: (times[a], a)) for g in result)


def test_positions_refer_to_the_input():
    docs = [doc("a2", MUSK_EN_2, 3), doc("m1", META_GPUS, 4), doc("a1", MUSK_EN_1)]
    assert batch_stories(docs) == [[2, 0], [1]]


def test_same_groups_whatever_the_input_order():
    docs = _synthetic(120, seed=3)
    # the same text under other ids at the same time: ties, broken by time and id
    docs += [BatchDoc(f"t{k}", d.title, d.body, d.lang, d.at, d.entity_ids)
             for k, d in enumerate(docs[:40:4])]
    expected = stories(docs)
    assert 10 < len(expected) < 110  # something was merged, not everything
    for seed in range(6):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        assert stories(shuffled) == expected
    assert stories(docs[::-1]) == expected


def test_articles_further_apart_than_the_window_never_link():
    docs = [*background(), doc("a1", MUSK_EN_1), doc("a2", MUSK_EN_2, 24 * 2.5)]
    assert group_of(stories(docs), "a1") == {"a1", "a2"}
    docs[-1] = doc("a2", MUSK_EN_2, 24 * 3.5)
    assert group_of(stories(docs), "a1") == {"a1"}
    assert group_of(stories(docs, window_days=4), "a1") == {"a1", "a2"}


def test_bursts_days_apart_stay_apart_but_daily_reports_join():
    # Two bursts of the same event's articles five days apart: nothing links them.
    docs = [*background(), doc("a1", MUSK_EN_1), doc("a2", MUSK_EN_2, 2),
            doc("b1", MUSK_EN_1, 24 * 5), doc("b2", MUSK_EN_2, 24 * 5 + 2)]
    result = stories(docs)
    assert group_of(result, "a1") == {"a1", "a2"}
    assert group_of(result, "b1") == {"b1", "b2"}
    # Reports every day in between bridge them: an ongoing story is one story (pairs more
    # than the window apart count as 0, which the neighbours' similarity outweighs).
    daily = [doc(f"d{k}", MUSK_EN_2, 24 * k) for k in range(1, 5)]
    assert group_of(stories(docs + daily), "a1") == {"a1", "a2", "b1", "b2",
                                                      *(d.article_id for d in daily)}


def test_short_bodies_never_merge_by_text():
    stub = (MUSK_EN_1[0], "Elon Musk buys 10,000 Nvidia GPUs for Twitter AI.")
    docs = [*background(), doc("a1", MUSK_EN_1), doc("s1", stub, 1),
            doc("a2", MUSK_EN_2, 2), doc("e1", ("Musk buys Nvidia GPUs", ""), 3)]
    result = stories(docs)
    assert group_of(result, "a1") == {"a1", "a2"}
    assert group_of(result, "s1") == {"s1"}
    assert group_of(result, "e1") == {"e1"}
    assert group_of(stories(docs, min_body_words=5), "a1") == {"a1", "a2", "s1"}


def test_copies_join_their_original_and_change_nothing_else():
    base = [*background(), doc("a1", MUSK_EN_1), doc("a2", MUSK_EN_2, 2),
            doc("m1", META_GPUS, 4)]
    without = stories(base)
    stub = ("Musk GPUs", "Syndicated.")  # a copy needs no text of its own
    copies = [doc("c1", MUSK_EN_1, 30, duplicate_of="a1"),  # days later: still joins
              doc("c2", stub, 5, duplicate_of="c1"),  # a copy of a copy
              doc("c3", META_GPUS, 5, duplicate_of="bg1"),  # a copy says where it belongs
              doc("c4", MUSK_EN_1, 5, duplicate_of="m1")]  # m1's text stands for both
    result = stories(base + copies)
    assert group_of(result, "a1") == {"a1", "a2", "c1", "c2"}
    assert group_of(result, "bg1") == {"bg1", "c3"}
    assert group_of(result, "m1") == {"m1", "c4"}
    copy_ids = {d.article_id for d in copies}
    assert [[a for a in g if a not in copy_ids] for g in result] == without


def test_the_earliest_of_copies_stands_for_them_whichever_dedup_calls_the_original():
    """Dedup calls the one that arrived first the original; articles of equal time may
    arrive either way round, and the groups must not depend on it."""
    near = (MUSK_EN_2[0], MUSK_EN_2[1] + " Twitter declined to comment.")
    base = [*background(), doc("a1", MUSK_EN_1), doc("m1", META_GPUS, 4)]
    one_way = stories([*base, doc("n1", MUSK_EN_2, 2), doc("n2", near, 2, duplicate_of="n1")])
    other_way = stories([*base, doc("n1", MUSK_EN_2, 2, duplicate_of="n2"), doc("n2", near, 2)])
    assert one_way == other_way
    assert group_of(one_way, "a1") == {"a1", "n1", "n2"}
    # an earlier copy stands for its later original: the copy's text decides
    later = stories([*base, doc("c1", MUSK_EN_1, 1, duplicate_of="m1")])
    assert group_of(later, "m1") == {"a1", "c1", "m1"}


def test_copy_of_a_short_article_joins_it():
    stub = (MUSK_EN_1[0], "Elon Musk buys 10,000 Nvidia GPUs for Twitter AI.")
    docs = [*background(), doc("a1", MUSK_EN_1), doc("s1", stub, 1),
            doc("s2", stub, 2, duplicate_of="s1")]
    result = stories(docs)
    assert group_of(result, "s1") == {"s1", "s2"}
    assert group_of(result, "a1") == {"a1"}


def test_copy_whose_original_is_elsewhere_is_clustered_by_its_text():
    docs = [*background(), doc("a1", MUSK_EN_1), doc("a2", MUSK_EN_2, 2, duplicate_of="old")]
    assert group_of(stories(docs), "a1") == {"a1", "a2"}


def test_cycle_of_copies_is_one_group():
    docs = [*background(), doc("x", MUSK_EN_1, duplicate_of="y"),
            doc("y", META_GPUS, 1, duplicate_of="x")]
    assert group_of(stories(docs), "x") == {"x", "y"}


def test_indonesian_and_english_meet_through_shared_entities():
    docs = [*background(), doc("en1", MUSK_EN_1, 0, "en", MUSK_ENTITIES),
            doc("id1", MUSK_ID, 6, "id", MUSK_ENTITIES)]
    assert group_of(stories(docs), "en1") == {"en1", "id1"}


def test_across_languages_names_and_numbers_count_on_their_own():
    """Two long articles whose words differ (one in each language) but whose names are the
    same: too little overall cosine, enough over names alone, which counts across languages
    only (``cross_threshold``)."""
    rng = random.Random(1)
    syllables = [c + v for c in "bdgklmnprst" for v in "aiou"]
    names = "Elon Musk Nvidia Twitter Atlanta Babuschkin Kroiss DeepMind".split()

    def text() -> tuple[str, str]:
        words = ["".join(rng.choices(syllables, k=3)) + "x" for _ in range(150)]
        return " ".join(words[:6] + names[:3]), " ".join(words[6:] + names)

    english, indonesian = text(), text()
    docs = [*background(), doc("x1", english, 0, "en"), doc("x2", indonesian, 5, "id")]
    assert group_of(stories(docs), "x1") == {"x1", "x2"}
    assert group_of(stories(docs, cross_threshold=None), "x1") == {"x1"}
    docs[-1] = doc("x2", indonesian, 5, "en")
    assert group_of(stories(docs), "x1") == {"x1"}


def test_articles_without_terms_stay_alone():
    docs = [doc("a1", MUSK_EN_1), doc("a2", MUSK_EN_2, 1),
            BatchDoc("n1", None, None, None, T0), BatchDoc("n2", "", "the of and", "en", T0),
            BatchDoc("n3", None, None, None, T0, duplicate_of="n1")]
    result = stories(docs)
    assert group_of(result, "a1") == {"a1", "a2"}
    assert group_of(result, "n1") == {"n1", "n3"}
    assert group_of(result, "n2") == {"n2"}
    assert stories([BatchDoc("n1", None, None, None, T0)]) == [["n1"]]


def test_article_ids_must_be_unique():
    with pytest.raises(ValueError, match="unique"):
        batch_stories([doc("a1", MUSK_EN_1), doc("a1", MUSK_EN_2, 1)])


def test_naive_times_count_as_utc():
    docs = [doc("a1", MUSK_EN_1), doc("a2", MUSK_EN_2, 3)]
    naive = [BatchDoc(d.article_id, d.title, d.body, d.lang, d.at.replace(tzinfo=None))
             for d in docs]
    assert stories(naive) == stories(docs)


@pytest.mark.parametrize("dense_fraction", [0.0, 1e-3, math.inf])
def test_sparse_computation_equals_a_dense_one(monkeypatch, dense_fraction):
    """All terms in the dense product, the default split, all terms through postings: the
    same groups as a dense similarity matrix with the same rules (floor 0: nothing pruned),
    and small blocks so that rows are taken in many blocks."""
    monkeypatch.setattr(batch, "_DENSE_FRACTION", dense_fraction)
    monkeypatch.setattr(batch, "_BLOCK_CELLS", 500)
    monkeypatch.setattr(batch, "_CHUNK_PAIRS", 300)
    docs = _synthetic(90, seed=12)
    for threshold in (0.1, 0.2):
        got = stories(docs, threshold=threshold, join_threshold=None, floor=0.0)
        assert got == _dense_reference(docs, threshold)
        for join in (0.1, 0.18, 0.3):
            got = stories(docs, threshold=threshold, join_threshold=join, floor=0.0)
            assert got == _dense_reference(docs, threshold, join)


def test_batch_docs_from_story_docs():
    from pipelines.stories import StoryDoc

    story_doc = StoryDoc("a1", "arstechnica", "t", "b", "en", None, T0, ["Q1"], "a0")
    assert BatchDoc.from_story_doc(story_doc) == BatchDoc("a1", "t", "b", "en", T0, ("Q1",),
                                                          "a0")
    dated = StoryDoc("a1", "x", "t", "b", "en", T0 - timedelta(hours=2), T0)
    assert BatchDoc.from_story_doc(dated).at == T0 - timedelta(hours=2)


@pytest.mark.corpus
def test_ecbplus_dev_quality_floor(corpus):
    """B-cubed F1 on the whole ECB+ dev set at the default threshold: a floor, not the
    figure (the cross-validated held-out figures are in the module docstring)."""
    from bench.eval_stories import FETCHED, bcubed, load

    docs = load(corpus / "story_clusters_ecbplus" / "ecbplus_dev.jsonl")
    groups = batch_stories([BatchDoc(d.doc_id, d.title, d.body, "en", FETCHED) for d in docs])
    labels = [0] * len(docs)
    for k, group in enumerate(groups):
        for i in group:
            labels[i] = k
    assert bcubed([str(x) for x in labels], [d.cluster for d in docs])[2] >= 0.89


# -- helpers ---------------------------------------------------------------------------------

def _synthetic(n: int, seed: int) -> list[BatchDoc]:
    """``n`` made-up articles about events of 1-8 articles each over ten days (some with a
    second burst days later), in English and Indonesian, some with entity ids, some short,
    some copies, some at the same time."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdgklmnprst" for v in "aiou"]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(2000)})
    common = words[:150]
    docs: list[BatchDoc] = []
    while len(docs) < n:
        own = rng.sample(words[150:], 8)
        name = rng.choice(words).capitalize()
        entities = tuple(f"Q{rng.randint(1, 40)}" for _ in range(2))
        starts = [rng.random() * 24 * 10]
        if rng.random() < 0.3:
            starts.append(starts[0] + 24 * rng.uniform(3.5, 6))
        for start in starts:
            for _ in range(min(rng.randint(1, 8), n - len(docs))):
                lang = rng.choice(["en", "id"])
                title = " ".join([name, *rng.sample(own, 4), *rng.choices(common, k=3)])
                body = " ".join([*rng.choices(own, k=12), name, name,
                                 *rng.choices(common, k=rng.choice([3] + [40] * 9))])
                hours = start + rng.choice([0.0, 1.0, rng.random() * 30])
                copy_of = docs[-1].article_id if docs and rng.random() < 0.08 else None
                docs.append(doc(f"s{len(docs):03d}", (title, body), hours, lang,
                                entities if rng.random() < 0.5 else (), copy_of))
    return docs


def _dense_reference(docs: list[BatchDoc], threshold: float,
                     join: float | None = None) -> list[list[str]]:
    """batch_stories written out with a dense similarity matrix, naive average linkage and
    (``join``) a reassignment with explicit centroids."""
    order = sorted(range(len(docs)), key=lambda i: (docs[i].at, docs[i].article_id))
    ds = [docs[i] for i in order]
    ids = [d.article_id for d in ds]

    links: dict[int, set[int]] = {k: set() for k in range(len(ds))}
    for k, d in enumerate(ds):
        if d.duplicate_of in ids:
            links[k].add(ids.index(d.duplicate_of))
            links[ids.index(d.duplicate_of)].add(k)

    def original(k: int) -> int:  # the earliest article linked to it by copies
        seen, todo = {k}, [k]
        while todo:
            for x in links[todo.pop()] - seen:
                seen.add(x)
                todo.append(x)
        return min(seen)

    root = [original(k) for k in range(len(ds))]
    feats = {k: article_features(ds[k].title, ds[k].body, ds[k].lang, list(ds[k].entity_ids))
             for k in range(len(ds)) if root[k] == k}
    df = Counter(t for f in feats.values() for t in f.terms)
    n = len(feats)
    link = [k for k, f in feats.items() if f.body_words >= 20 and f.terms]
    vocab = sorted(df)
    col = {t: c for c, t in enumerate(vocab)}
    x = np.zeros((len(link), len(vocab)))
    for r, k in enumerate(link):
        for t, w in feats[k].terms.items():
            x[r, col[t]] = w * (math.log((1 + n) / (1 + df[t])) + 1)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    sim = x @ x.T
    neutral = np.array([is_neutral(t) for t in vocab])
    xn = x * neutral
    norms = np.linalg.norm(xn, axis=1, keepdims=True)
    xn = np.divide(xn, norms, out=np.zeros_like(xn), where=norms > 0)
    sim_neutral = xn @ xn.T * (threshold / 0.35)
    for a, ka in enumerate(link):
        for b, kb in enumerate(link):
            if ds[ka].lang != ds[kb].lang:
                sim[a, b] = max(sim[a, b], sim_neutral[a, b])
            if abs((ds[ka].at - ds[kb].at).total_seconds()) > 3 * 86400:
                sim[a, b] = 0.0
    pairs = sim.copy()
    # Naive average linkage: average similarities between clusters updated on each merge.
    np.fill_diagonal(sim, -np.inf)
    clusters = [[r] for r in range(len(link))]
    while len(clusters) > 1:
        best = sim.max()
        if best < threshold:
            break
        p, q = min(((min(clusters[a]), min(clusters[b])), a, b)
                   for a, b in zip(*np.nonzero(sim == best), strict=True) if a < b)[1:]
        sp, sq = len(clusters[p]), len(clusters[q])
        merged = (sim[p] * sp + sim[q] * sq) / (sp + sq)
        sim[p], sim[:, p] = merged, merged
        sim[p, p] = -np.inf
        sim = np.delete(np.delete(sim, q, axis=0), q, axis=1)
        clusters[p] += clusters.pop(q)
    if join is not None:
        clusters = _dense_reassign(pairs, clusters, join)
    group = list(range(len(ds)))
    for c in clusters:
        for r in c:
            group[link[r]] = link[min(c)]
    out: dict[int, list[str]] = {}
    for k in range(len(ds)):
        out.setdefault(group[root[k]], []).append(ids[k])
    return sorted(out.values(), key=lambda g: ids.index(g[0]))


def _dense_reassign(sim: np.ndarray, clusters: list[list[int]], join: float
                    ) -> list[list[int]]:
    """Each row to the cluster of highest cosine with its centroid (its own without it),
    at least ``join``, else alone; all rows at once, until nothing moves (10 rounds at
    most); ties to the cluster with the smallest row. The centroid of unit vectors whose
    dot products are ``sim``: <x_i, sum_g x_j> is the sum of sim[i, j] over g (1 for j = i),
    |sum_g x_j|^2 the sum over g x g."""
    m = len(sim)
    gram = sim.copy()
    np.fill_diagonal(gram, 1.0)
    for _ in range(10):
        moved: dict[tuple[str, int], list[int]] = {}
        for i in range(m):
            best: tuple[float, int] | None = None
            for c in clusters:
                own = np.zeros(m)
                own[[r for r in c if r != i]] = 1.0  # leave one out
                length = math.sqrt(own @ gram @ own)
                cos = (gram[i] @ own) / length if length > 1e-6 else 0.0
                if cos >= join and (best is None or (-cos, min(c)) < best):
                    best = (-cos, min(c))
            moved.setdefault(("alone", i) if best is None else ("to", best[1]), []).append(i)
        new = sorted(moved.values(), key=min)
        if new == sorted((sorted(c) for c in clusters), key=min):
            break
        clusters = new
    return clusters
