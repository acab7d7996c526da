"""Story features as 63-bit term keys, the compiled kernels, and the stored token vocabulary.

``article_features`` is checked against a plain, string-based statement of its rules (the
implementation it replaced); the kernels against numpy written out the obvious way."""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

import numpy as np
import pytest
from sqlite_utils import Database

from pipelines.stories import StoryClusterer, features, kernels
from pipelines.stories.features import article_features, pair_key, term_key
from pipelines.stories.postings import Postings
from pipelines.stories.state import DocFrequencies, StoryState, make_query
from pipelines.stories.tokens import token_hashes, tokenize
from storage import stories as store
from tests.story_texts import MUSK_EN_1, MUSK_EN_2, MUSK_ID, T0
from tests.test_stories import add, make_db


def reference(title: str | None, body: str | None, lang: str | None,
              entity_ids: tuple[str, ...] = ()) -> tuple[dict[int, float], list[int], int]:
    """The feature rules, spelled out over strings: title x3, first 50 body words x2, the
    rest x1 up to 600; word pairs x2 within a field and only in the first 150 body words;
    names (not in a Title Case headline), numbers and entities count twice; weight
    1 + ln(weighted count)."""
    counts: Counter = Counter()
    title_terms: set = set()

    def field(tokens: list[str], weight: int, names: bool, pairs: bool) -> set:
        seen = set()
        entries = []
        for token in tokens:
            term = features._term(token, lang)
            word = term if term and term[0] != "#" else ""
            name = "=" + word if word and token[0].isupper() and \
                word not in features._MONTHS else ""
            entries.append((term, name, word))
        if pairs:
            for (_, _, a), (_, _, b) in zip(entries, entries[1:], strict=False):
                if a and b:
                    counts[("~", a, b)] += 2 * weight
                    seen.add(("~", a, b))
        for term, name, _ in entries:
            if names and name:
                counts[name] += weight
                seen.add(name)
            if term:
                counts[term] += weight
                seen.add(term)
        return seen

    title_tokens = features._tokens(title) if title else []
    body_tokens = features._tokens(body) if body else []
    title_terms = field(title_tokens, 3, not features._is_title_case(title_tokens), True)
    field(body_tokens[:50], 2, True, True)
    field(body_tokens[50:150], 1, True, True)
    field(body_tokens[150:600], 1, True, False)

    def key(term: str | tuple) -> int:
        return pair_key(term[1], term[2]) if isinstance(term, tuple) else term_key(term)

    weights = {}
    for term, count in counts.items():
        neutral = isinstance(term, str) and term[0] in "=#"
        weights[key(term)] = (1.0 + math.log(count)) * (2.0 if neutral else 1.0)
    for entity in entity_ids:
        weights[term_key("@" + entity)] = 4.0
    return weights, sorted(key(t) for t in title_terms), len(body_tokens)


TEXTS = [
    (*MUSK_EN_1, "en", ()),
    ("Musk's xAI: Another Headline Written In Title Case", MUSK_EN_2[1], "en", ("Q317521",)),
    (*MUSK_ID, "id", ("Q317521", "Q182477")),
    (None, "Senin, 28 November 2026 14:05 WIB. Ponselnya baru dirilis Januari lalu.", "id", ()),
    ("Only a title", None, None, ()),
    ("", "", "en", ("Q1",)),
    ("U.S. co-founder's GPUs", " ".join(f"word{i % 97} Name{i % 13}" for i in range(700)),
     "en", ()),
    ("Nvidia Chips for xAI", MUSK_EN_2[1], "en", ()),  # two long words: not Title Case
    ("Nvidia Ships Chips to Musk's xAI buyers", MUSK_EN_1[1], "en", ()),  # 4 of 6: is
    ("Nvidia Ships Chips to many buyers", MUSK_EN_1[1], "en", ()),  # 3 of 5: is not
    ("Étienne Ships Chips to Musk's xAI", MUSK_EN_1[1], "en", ()),  # asks str
]


@pytest.mark.parametrize(("title", "body", "lang", "entities"), TEXTS)
def test_features_follow_the_rules_written_over_strings(title, body, lang, entities):
    f = article_features(title, body, lang, entities)
    weights, title_keys, body_words = reference(title, body, lang, entities)
    assert f.keys.tolist() == sorted(weights)
    assert np.allclose(f.weights, [weights[k] for k in f.keys.tolist()])
    assert f.title_keys.tolist() == title_keys
    assert f.body_words == body_words


def test_keys_tell_kinds_apart_and_numbers_match_across_separators():
    assert term_key("#10000") >= features.NEUTRAL and term_key("=musk") >= features.NEUTRAL
    assert term_key("musk") < features.NEUTRAL and pair_key("betty", "ford") < features.NEUTRAL
    assert pair_key("betty", "ford") != pair_key("ford", "betty")
    a = article_features(None, "He bought 10.000 Chips", "en")
    b = article_features(None, "He bought 10,000 Chip", "en")
    assert term_key("#10000") in a.terms and a.terms == b.terms


def test_the_vocabulary_makes_no_difference_to_the_features():
    """Features of a text seen before (its tokens looked up) equal those worked out anew,
    and those of a vocabulary read back from bytes."""
    first = [article_features(*t) for t in TEXTS]
    blob = features.vocabularies_blob()
    features._VOCABULARIES.clear()
    assert features.load_vocabularies(blob) > 0
    again = [article_features(*t) for t in TEXTS]
    features._VOCABULARIES.clear()
    fresh = [article_features(*t) for t in TEXTS]
    for a, b, c in zip(first, again, fresh, strict=True):
        assert a.terms == b.terms == c.terms
        assert a.title_keys.tolist() == b.title_keys.tolist() == c.title_keys.tolist()


def test_a_vocabulary_from_other_code_or_cut_short_is_not_taken(monkeypatch):
    article_features(*TEXTS[0][:3])
    blob = features.vocabularies_blob()
    features._VOCABULARIES.clear()
    assert features.load_vocabularies(blob[:-10]) == 0  # truncated
    assert features.load_vocabularies(b"not a vocabulary") == 0
    monkeypatch.setattr(features, "STOPWORDS", features.STOPWORDS | {"nvidia"})
    assert features.load_vocabularies(blob) == 0  # other stop words: other terms
    assert not features._VOCABULARIES


def test_a_new_process_starts_with_the_vocabulary_of_the_last(tmp_path):
    db = make_db(Database(tmp_path / "a.db"))
    c = StoryClusterer(db)
    for i, text in enumerate([MUSK_EN_1, MUSK_EN_2]):
        c.assign(add(db, f"a{i}", "s", text))
    c.close()
    words = len(features._VOCABULARIES["en"])
    features._VOCABULARIES.clear()
    StoryClusterer(db)
    assert len(features._VOCABULARIES["en"]) == words > 50


_POOL = list("abcXYZ019_ '’.,-\n\t") + list("aeiouAEIOU") * 2 + [
    "é", "ß", "İ", "\u0301", "٣", "²", "½", "中", "𝐀", "😀", "\u200b", "\xa0", "\ud800", "…"]


def test_the_compiled_tokenizer_finds_what_the_regular_expression_finds():
    """Title and body tokens, the body cut at max_body but counted in full, over random
    text of letters, digits, connectors, combining marks, digits of other scripts,
    astral letters and emoji, and a lone surrogate; one hash per distinct token."""
    rng = np.random.default_rng(11)
    for _ in range(3000):
        title = "".join(rng.choice(_POOL, int(rng.integers(0, 12)))) if rng.random() < 0.8 \
            else None
        body = "".join(rng.choice(_POOL, int(rng.integers(0, 60)))) if rng.random() < 0.9 \
            else None
        cut = int(rng.integers(0, 8))
        data, hashes, starts, ends, n_title, body_words, long, upper = tokenize(title, body,
                                                                             cut)
        expected_title = features._TOKEN.findall(title) if title else []
        expected_body = features._TOKEN.findall(body) if body else []
        found = [data[a:b].decode("utf-8", "surrogatepass") for a, b in zip(starts, ends)]
        assert found == expected_title + expected_body[:cut]
        assert (n_title, body_words) == (len(expected_title), len(expected_body))
        words = [t for t in expected_title if len(t) > 3 and t[0].isalpha()]
        assert (long, upper) == ((-1, -1) if any(not t[0].isascii() for t in expected_title)
                                 else (len(words), sum(t[0].isupper() for t in words)))
        assert len(set(zip(found, hashes.tolist()))) == len(set(found)) == \
            len(set(hashes.tolist()))
        assert 0 not in hashes.tolist()


def test_token_hashes_are_those_of_the_scan_and_refuse_what_is_not_a_token():
    _, hashes, *_ = tokenize("U.S. co-founder's", "GPUs 10.000 😀 𝐀bc", 10)
    assert token_hashes(["U.S", "co-founder's", "GPUs", "10.000", "𝐀bc"]).tolist() == \
        hashes.tolist()
    with pytest.raises(ValueError, match="single tokens"):
        token_hashes(["two words"])


def test_the_kernels_under_test_check_their_indices():
    """Tests run the compiled loops with bounds checks (tests/conftest.py), from a cache
    of their own: a row past the vocabulary table raises instead of reading memory."""
    table = np.zeros((4, 4), dtype=np.uint64)
    with pytest.raises(IndexError):
        kernels.term_weights(table, np.array([7]), 0, True, features._BODY_WEIGHTS,
                             features._BODY_FIELDS, features._NO_PAIRS, 3.0, 1.0, 2.0, 2.0)


def test_radix_select_finds_what_partition_finds():
    rng = np.random.default_rng(6)
    for n in (1, 2, 7, 500):
        for values in (rng.random(n) * 20, np.round(rng.normal(0, 3, n)),  # ties, negatives
                       np.array([0.0, -0.0, 1e-300, -1e-300, np.inf, -np.inf] * n)):
            for k in {1, min(2, len(values)), len(values) // 2 or 1, len(values)}:
                assert kernels._kth_largest(values, k) == np.partition(values,
                                                                        len(values) - k)[-k]


def test_radix_sort_carries_its_payload():
    rng = np.random.default_rng(5)
    for n in (0, 1, 2, 300, 1000):
        keys = np.unique(rng.integers(0, 1 << 64, n, dtype=np.uint64, endpoint=False))
        keys = rng.permutation(keys)
        if n == 2:
            keys = keys | np.uint64(1 << 63)  # a byte the same in every key: pass skipped
        payload = np.arange(len(keys), dtype=np.int64)
        got, carried = kernels._sorted_with(keys, payload)
        order = np.argsort(keys)
        assert got.tolist() == keys[order].tolist()
        assert carried.tolist() == order.tolist()


def test_document_frequencies_count_a_slot_once_a_document_and_never_below_zero():
    df = DocFrequencies(bits=4)
    keys = np.array([3, 3 + 16, 5, 7 | (1 << 63)], dtype=np.uint64)  # 3 and 19 share a slot
    df.add(keys)
    df.add(keys[:1])
    assert df.docs == 2 and df.counts[[3, 5, 7]].tolist() == [2, 1, 1]
    df.remove(keys)
    df.remove(keys)
    assert df.docs == 0 and df.counts.tolist() == [0] * 16  # 5 and 7 stop at 0
    # counting inside the query's call is counting first
    apart, together = DocFrequencies(bits=4), DocFrequencies(bits=4)
    raw = np.array([1.0, 2.0, 3.0, 1.5])
    apart.add(keys)
    q = make_query(keys, raw, apart, "en", 0.0, heaviest=2)
    r = make_query(keys, raw, together, "en", 0.0, heaviest=2, count=True)
    assert together.docs == apart.docs == 1
    assert together.counts.tolist() == apart.counts.tolist()
    assert q.unit.tolist() == r.unit.tolist() and q.heaviest.tolist() == r.heaviest.tolist()


def _random_centroid(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    keys = np.unique(rng.integers(0, 1 << 63, n, dtype=np.uint64)
                     | (rng.random(n) < 0.2).astype(np.uint64) << np.uint64(63))
    raw = rng.choice([0.5, 1.0, 1.5, 2.0], len(keys))  # many ties
    return keys, raw


def test_kernels_equal_numpy_written_out():
    rng = np.random.default_rng(3)
    df = DocFrequencies(bits=12)
    df.counts[:] = rng.integers(0, 50, df.counts.size)
    df.docs = 1000
    for _ in range(20):
        keys, raw = _random_centroid(rng, int(rng.integers(1, 400)))
        q_keys, q_raw = _random_centroid(rng, int(rng.integers(1, 300)))
        q_keys = np.unique(np.concatenate((q_keys, keys[: len(keys) // 2])))
        q_raw = rng.choice([1.0, 2.0, 3.0], len(q_keys))
        idf = np.log((df.docs + 1.0) / (df.counts[(q_keys & np.uint64(df.mask))
                                                  .astype(np.intp)] + 1.0)) + 1.0
        weighted = q_raw * idf
        unit = weighted / np.linalg.norm(weighted)
        neutral = q_keys >= np.uint64(features.NEUTRAL)
        q = make_query(q_keys, q_raw, df, "en", 0.0, heaviest=32)
        assert np.allclose(q.idf, idf) and np.allclose(q.unit, unit)
        assert q.neutral.tolist() == neutral.tolist()
        assert math.isclose(q.neutral_norm, float(np.linalg.norm(unit[neutral])))
        assert q.heaviest.tolist() == np.argsort(-unit, kind="stable")[:32].tolist()
        # dot product with a centroid, over all terms and over neutral ones
        centroid = dict(zip(keys.tolist(), raw.tolist(), strict=True))
        shared = [i for i, k in enumerate(q_keys.tolist()) if k in centroid]
        parts = {i: unit[i] * centroid[q_keys[i].item()] * idf[i] for i in shared}
        total, neutral_dot, own = kernels.dot(keys, raw, q.keys, q.unit, q.idf, q.neutral)
        assert math.isclose(total, sum(parts.values()), abs_tol=1e-12)
        assert math.isclose(neutral_dot, sum(v for i, v in parts.items() if neutral[i]),
                            abs_tol=1e-12)
        assert math.isclose(own, sum(unit[i] ** 2 for i in shared), abs_tol=1e-12)
        # adding a member: the union, shared weights summed
        story = StoryState("s", 0.0, 0.0, set(), 0, keys.copy(), raw.copy())
        story.add(q)
        expected = Counter(centroid)
        expected.update(dict(zip(q_keys.tolist(), (q_raw * q.scale).tolist(), strict=True)))
        assert story.keys.tolist() == sorted(expected)
        assert np.allclose(story.raw, [expected[k] for k in sorted(expected)])
        # re-weighing and pruning: the heaviest max_terms kept, in key order
        slots = (story.keys & df.mask_u64).astype(np.intp)  # a key's slot: its low bits
        w = story.raw * (np.log((df.docs + 1.0) / (df.counts[slots] + 1.0)) + 1.0)
        keep = np.sort(np.argsort(-w, kind="stable")[:150])
        top = story.refresh(df, 150, 24)
        kept_keys = np.array(sorted(expected), dtype=np.uint64)[keep]
        assert story.keys.tolist() == kept_keys.tolist()
        assert np.allclose(story.raw, [expected[k] for k in kept_keys.tolist()])
        assert math.isclose(story.norm, float(np.linalg.norm(w[keep])))
        assert top.tolist() == np.argsort(-w[keep], kind="stable")[:24].tolist()
        assert math.isclose(story.neutral_norm, float(np.linalg.norm(
            w[keep][story.keys >= np.uint64(features.NEUTRAL)])))


def test_an_archive_of_string_terms_is_rebuilt_on_open(tmp_path):
    """Centroids and frequencies stored before terms became keys cannot be read: the
    migration drops them and the next open replays every membership, to the state a
    clusterer that never stopped has."""
    path = tmp_path / "a.db"
    db = make_db(Database(path))
    c = StoryClusterer(db, warmup_until=0)
    for i, text in enumerate([MUSK_EN_1, MUSK_EN_2, MUSK_ID]):
        c.assign(add(db, f"a{i}", "s", text, published=T0 + timedelta(hours=i)))
    c.close()
    before = {s.id: (s.keys.tolist(), s.raw.tolist()) for s in c.index.stories.values()}
    # As the archive was: centroids as strings, a frequency table indexed by CRC-32.
    old = len(["gpu"]).to_bytes(4, "little") + np.ones(1).tobytes() + b"gpu"
    db.execute("update story_terms set terms = ?", [old])
    db.execute("delete from _sqlite_migrations where migration_set = 'warta-stories'"
               " and name = 'm003_term_keys'")
    db.conn.commit()
    reopened = StoryClusterer(Database(path), warmup_until=0)
    assert reopened.replayed == 3
    assert reopened.df.docs == 3
    reopened._index_for(T0.timestamp())
    after = {s.id: (s.keys.tolist(), s.raw.tolist()) for s in reopened._dirty.values()}
    assert after.keys() == before.keys()
    for story_id, (keys, raw) in before.items():
        assert after[story_id][0] == keys and np.allclose(after[story_id][1], raw)


def test_the_index_holds_each_story_under_its_heaviest_terms_only():
    """Re-indexing after a change leaves a story under its new heaviest terms with their
    new weights, nothing else; a story in two indexes (the recent one and a one-off one
    for an old article) is kept apart in each; removing it leaves no posting behind."""
    from pipelines.stories.state import StoryIndex

    df = DocFrequencies(bits=12)
    df.docs = 10
    main = StoryIndex(df, max_terms=200, index_terms=3)
    side = StoryIndex(df, max_terms=200, index_terms=3)
    keys = np.array([1, 2, 3, 4, 5], dtype=np.uint64)
    story = StoryState("s", 0.0, 0.0, set(), 1, keys, np.array([5.0, 4.0, 3.0, 2.0, 1.0]))

    def postings(index: StoryIndex) -> dict[int, float]:
        found = {t: index.posting(t) for t in keys.tolist()}
        assert all(set(p) <= {"s"} for p in found.values())
        assert {t: p["s"] for t, p in found.items() if p} == index.indexed("s")
        return index.indexed("s")

    main.put(story)
    assert postings(main) == {1: 5.0, 2: 4.0, 3: 3.0}
    story.raw = np.array([5.0, 0.5, 3.0, 6.0, 1.0])
    side.put(story)
    main.put(story)
    assert postings(main) == postings(side) == {4: 6.0, 1: 5.0, 3: 3.0}
    story.raw = story.raw * 2.0  # re-weighed through the other index: main's length is old
    story.last_at = 7.0
    side.put(story)
    slot = main.postings.slot_of["s"]
    assert main.postings.times[slot].tolist() != [story.norm, 0.0, 7.0]
    main.sync(story)
    assert main.postings.times[slot].tolist() == [story.norm, 0.0, 7.0]
    side.remove("s")
    assert postings(side) == {} and postings(main) == {4: 6.0, 1: 5.0, 3: 3.0}
    main.remove("s")
    assert postings(main) == {} and not main.stories


def test_postings_search_as_dicts_of_dicts_would():
    """Random puts, re-puts and drops (few terms, so chains are long and terms come and
    go; enough stories to grow every array and rebuild the term table), each search
    checked against the dict model: candidates within the time window, ranked by the
    partial cosine, ties by id, at most ``limit``; every freed entry is reused."""
    rng = np.random.default_rng(8)
    width, limit = 6, 5
    index = Postings(width)
    model: dict[str, tuple[dict[int, float], float, float, float]] = {}
    for step in range(3000):
        sid = f"s{int(rng.integers(0, 400))}"
        if rng.random() < 0.25:
            index.drop(sid)
            model.pop(sid, None)
        else:
            n = int(rng.integers(0, width + 1))
            keys = rng.choice(np.arange(1, 300, dtype=np.uint64) * np.uint64(0x9E3779B1),
                              n, replace=False)
            weights = rng.choice([0.5, 1.0, 2.0], n)  # ties
            norm, first = float(rng.choice([0.0, 1.0, 2.0])), float(rng.integers(0, 50))
            index.put(sid, keys, weights, norm, first, first + 5.0)
            model[sid] = (dict(zip(keys.tolist(), weights.tolist(), strict=True)), norm,
                          first, first + 5.0)
        if step % 10:
            continue
        q_keys = rng.choice(np.arange(1, 300, dtype=np.uint64) * np.uint64(0x9E3779B1), 30,
                            replace=False)
        q_weights = rng.choice([0.25, 0.5, 1.0], 30)
        start, end = float(rng.integers(0, 50)), float(rng.integers(0, 60))
        scores: dict[str, float] = {}
        for key, w in zip(q_keys.tolist(), q_weights.tolist(), strict=True):
            for other, (terms, *_rest) in model.items():
                if key in terms:
                    scores[other] = scores.get(other, 0.0) + w * terms[key]
        expected = sorted((-score / (model[o][1] or 1.0), o) for o, score in scores.items()
                          if model[o][3] >= start and model[o][2] <= end)[:limit]
        assert index.search(q_keys, q_weights, start, end, limit) == expected
        assert index.search(q_keys, q_weights, start, end, 0) == []
        assert {o: index.terms_of(o) for o in model} == {o: m[0] for o, m in model.items()}
    used = sum(len(m[0]) for m in model.values())
    assert index.meta[0] + used == len(index.entry_weights)


def test_the_vocabulary_is_written_again_only_when_it_grew(tmp_path, monkeypatch):
    db = make_db(Database(tmp_path / "a.db"))
    c = StoryClusterer(db)
    c.assign(add(db, "a0", "s", MUSK_EN_1))
    written = []
    real = store.put_state
    monkeypatch.setattr(store, "put_state",
                        lambda db, key, value: (written.append(key), real(db, key, value)))
    c.snapshot()
    c.snapshot()  # nothing new
    c.assign(add(db, "a1", "s", MUSK_ID, "id"))
    c.snapshot()
    assert written.count("vocabularies") == 2 and written.count("df") == 3


def test_event_times_are_formatted_as_iso_formats_them():
    from datetime import UTC, datetime

    from pipelines.stories.cluster import _iso_at, iso

    rng = np.random.default_rng(9)
    stamps = [datetime(2026, 11, 30, 23, 59, 59, 999999, tzinfo=UTC),
              datetime(2000, 1, 1, tzinfo=UTC), datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
              datetime(2100, 1, 1, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)]
    stamps += [datetime.fromtimestamp(float(t), UTC)
               for t in rng.uniform(-1e9, 5e9, 2000).round(6)]
    for when in stamps:
        assert _iso_at(when, when.timestamp()) == iso(when)
