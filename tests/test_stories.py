"""Story clustering: same-event articles share a story, other events (even of the same kind)
do not, short bodies and copies follow their rules, state survives a restart, reclustering
is deterministic, and Indonesian meets English through shared entities."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np
import pytest
from sqlite_utils import Database

from pipelines.stories import StoryClusterer, StoryDoc, StoryParams, recluster
from pipelines.stories.recluster import rebuild
from storage import stories as store
from tests.story_texts import BACKGROUND, META_GPUS, MUSK_EN_1, MUSK_EN_2, MUSK_ID, T0


def make_db(db: Database | None = None) -> Database:
    """The articles table as the archive has it (the columns clustering reads), plus the
    story tables."""
    db = db or Database(memory=True)
    db["articles"].create(
        {"id": str, "source": str, "canonical_url": str, "title": str, "body": str,
         "lang": str, "published_at": str, "fetched_at": str, "duplicate_of": str},
        pk="id",
    )
    store.migrate_stories(db)
    return db


def add(db: Database, article_id: str, source: str, text: tuple[str, str], lang: str = "en",
        published: datetime | None = T0, fetched: datetime | None = None,
        entity_ids: list[str] | None = None, duplicate_of: str | None = None) -> StoryDoc:
    fetched = fetched or (published or T0) + timedelta(minutes=20)
    db["articles"].insert({
        "id": article_id, "source": source, "canonical_url": f"https://{source}/{article_id}",
        "title": text[0], "body": text[1], "lang": lang,
        "published_at": published.strftime("%Y-%m-%dT%H:%M:%SZ") if published else None,
        "fetched_at": fetched.strftime("%Y-%m-%dT%H:%M:%SZ"), "duplicate_of": duplicate_of,
    })
    return StoryDoc(article_id, source, text[0], text[1], lang, published, fetched,
                    entity_ids or [], duplicate_of)


def with_background(db: Database, clusterer: StoryClusterer) -> None:
    for i, text in enumerate(BACKGROUND):
        lang = "id" if "di " in text[1] else "en"
        clusterer.assign(add(db, f"bg{i}", "portal", text, lang, T0 - timedelta(hours=5 - i)))


def story(db: Database, story_id: str) -> dict:
    return db["stories"].get(story_id)


def test_same_event_merges_and_same_kind_other_event_does_not():
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    a = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1))
    b = c.assign(add(db, "a2", "theverge", MUSK_EN_2, published=T0 + timedelta(hours=3)))
    m = c.assign(add(db, "m1", "techcrunch", META_GPUS, published=T0 + timedelta(hours=4)))
    assert a.is_new and not b.is_new and b.story_id == a.story_id
    assert m.is_new and m.story_id != a.story_id
    row = story(db, a.story_id)
    assert (row["article_count"], row["outlet_count"]) == (2, 2)
    assert db["articles"].get("a2")["story_id"] == a.story_id
    assert db["story_articles"].get("a2")["via"] == "text"


def test_indonesian_and_english_merge_through_shared_entities():
    entities = ["Q317521", "Q182477", "Q918"]  # Elon Musk, Nvidia, Twitter
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    en = c.assign(add(db, "en1", "arstechnica", MUSK_EN_1, entity_ids=entities))
    idn = c.assign(add(db, "id1", "gamebrott", MUSK_ID, "id", T0 + timedelta(hours=6),
                       entity_ids=entities))
    assert idn.story_id == en.story_id
    assert story(db, en.story_id)["langs"] == "en,id"


def test_short_bodies_never_merge_by_text():
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    full = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1))
    stub = (MUSK_EN_1[0], "Elon Musk buys 10,000 Nvidia GPUs for Twitter AI.")
    short = c.assign(add(db, "s1", "theverge", stub))
    later = c.assign(add(db, "a2", "techcrunch", MUSK_EN_2, published=T0 + timedelta(hours=1)))
    assert short.is_new and short.story_id != full.story_id
    assert later.story_id == full.story_id  # the stub attracts nothing either
    assert db["story_articles"].get("s1")["via"] == "short"
    empty = c.assign(add(db, "e1", "theverge", ("Musk buys Nvidia GPUs", "")))
    assert empty.is_new


def test_copies_join_their_original_and_add_no_outlet():
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    a = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1))
    c.assign(add(db, "a2", "theverge", MUSK_EN_2, published=T0 + timedelta(hours=2)))
    before = story(db, a.story_id)
    copy = c.assign(add(db, "d1", "wired", MUSK_EN_1, published=T0 + timedelta(hours=3),
                        duplicate_of="a1"))
    same_outlet_copy = c.assign(add(db, "d2", "arstechnica", MUSK_EN_1, duplicate_of="a1"))
    after = story(db, a.story_id)
    assert copy.story_id == same_outlet_copy.story_id == a.story_id
    assert after["outlet_count"] == before["outlet_count"] == 2
    assert after["article_count"] == 2 and after["duplicate_count"] == 2
    assert "wired" not in after["outlets"]


def test_first_outlet_is_the_earliest_published():
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    late = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1, published=T0 + timedelta(hours=5)))
    early = c.assign(add(db, "a2", "gamebrott", MUSK_EN_2, published=T0 + timedelta(hours=1)))
    assert early.story_id == late.story_id
    row = story(db, late.story_id)
    assert (row["first_article_id"], row["first_source"]) == ("a2", "gamebrott")
    assert row["first_seen_at"] == "2026-03-02T09:00:00Z"
    assert row["last_updated_at"] == "2026-03-02T13:00:00Z"


def test_article_without_date_uses_fetch_time_and_is_marked():
    db = make_db()
    c = StoryClusterer(db)
    fetched = T0 + timedelta(hours=7)
    c.assign(add(db, "a1", "arstechnica", MUSK_EN_1, published=None, fetched=fetched))
    member = db["story_articles"].get("a1")
    assert (member["event_at"], member["dated_by"]) == ("2026-03-02T15:00:00Z", "fetched")
    future = c.assign(add(db, "a2", "theverge", MUSK_EN_2, published=T0 + timedelta(days=30),
                          fetched=T0))
    assert db["story_articles"].get("a2")["dated_by"] == "fetched"
    assert story(db, future.story_id)["first_dated_by"] == "fetched"


def test_stories_only_take_articles_within_the_window():
    db = make_db()
    c = StoryClusterer(db, window_days=3)
    with_background(db, c)
    a = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1))
    b = c.assign(add(db, "a2", "theverge", MUSK_EN_2, published=T0 + timedelta(days=10)))
    assert b.story_id != a.story_id


def test_incremental_story_rows_equal_a_full_recount():
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    for i, (text, source, hours) in enumerate([(MUSK_EN_1, "arstechnica", 4),
                                                (MUSK_EN_2, "theverge", 1),
                                                (MUSK_EN_2, "theverge", 6),
                                                (MUSK_EN_1, "techcrunch", 2)]):
        c.assign(add(db, f"a{i}", source, text, published=T0 + timedelta(hours=hours)))
    live = {r["id"]: r for r in db["stories"].rows}
    for story_id in live:
        store.refresh_story(db, story_id, live[story_id]["updated_at"])
    recounted = {r["id"]: r for r in db["stories"].rows}
    assert live == recounted


def test_state_survives_reopening_the_archive(tmp_path):
    path = tmp_path / "warta.db"
    db = make_db(Database(path))
    c = StoryClusterer(db, snapshot_every=4)
    with_background(db, c)  # 6 articles with a1: a snapshot after 4, two to replay
    a = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1))
    docs, counts = c.df.docs, c.df.counts.copy()
    db.conn.commit()
    db.close()

    db = Database(path)
    reopened = StoryClusterer(db, snapshot_every=4)
    assert reopened.replayed > 0
    assert reopened.df.docs == docs and (reopened.df.counts == counts).all()
    b = reopened.assign(add(db, "a2", "theverge", MUSK_EN_2, published=T0 + timedelta(hours=1)))
    assert b.story_id == a.story_id and not b.is_new
    reopened.close()
    assert StoryClusterer(db).replayed == 0


def _partition(db: Database) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article_id, story_id in db.execute("select article_id, story_id from story_articles"):
        groups.setdefault(story_id, set()).add(article_id)
    return {frozenset(g) for g in groups.values()}


def _corpus() -> list[tuple[str, str, tuple[str, str], str, datetime]]:
    items = [(f"bg{i}", "portal", t, "id" if "di " in t[1] else "en", T0 - timedelta(hours=i))
             for i, t in enumerate(BACKGROUND)]
    items += [("a1", "arstechnica", MUSK_EN_1, "en", T0), ("a2", "theverge", MUSK_EN_2, "en",
              T0 + timedelta(hours=2)), ("i1", "gamebrott", MUSK_ID, "id",
              T0 + timedelta(hours=3)), ("m1", "techcrunch", META_GPUS, "en",
              T0 + timedelta(hours=1))]
    return items


def test_recluster_is_deterministic_whatever_the_arrival_order():
    results = []
    for seed in (1, 2, 3):
        db = make_db()
        c = StoryClusterer(db)
        items = _corpus()
        random.Random(seed).shuffle(items)
        for article_id, source, text, lang, published in items:
            c.assign(add(db, article_id, source, text, lang, published))
        report = recluster(db, None)
        assert report.articles == len(items)
        rows = db.execute("select id, title, first_article_id, article_count, outlet_count"
                          " from stories order by id").fetchall()
        results.append((_partition(db), rows))
        again = recluster(db, "2026-03-02T08:30:00Z")
        # a2, i1 and m1 are since then; a1 is older but in a2's story, rebuilt whole
        assert again.articles == 4
        assert _partition(db) == results[-1][0]
    assert results[0] == results[1] == results[2]


def test_recluster_since_rebuilds_whole_stories_and_keeps_older_ones():
    """A story going on after ``since`` is rebuilt whole (never cut in two there); stories
    wholly before it keep their rows untouched."""
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    a = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1))
    c.assign(add(db, "a2", "theverge", MUSK_EN_2, published=T0 + timedelta(days=1)))
    older = {r["id"]: r for r in db["stories"].rows if r["id"] != a.story_id}
    report = recluster(db, (T0 + timedelta(hours=12)).isoformat())
    assert report.articles == 2 and report.stories == 1  # a2, and a1 of its story
    assert db["story_articles"].get("a2")["story_id"] == a.story_id
    assert story(db, a.story_id)["article_count"] == 2
    assert story(db, a.story_id)["first_article_id"] == "a1"
    assert db["story_articles"].count == len(BACKGROUND) + 2
    assert {r["id"]: r for r in db["stories"].rows if r["id"] != a.story_id} == older


def test_assigning_twice_keeps_the_story():
    db = make_db()
    c = StoryClusterer(db)
    doc = add(db, "a1", "arstechnica", MUSK_EN_1)
    first = c.assign(doc)
    assert c.assign(doc).story_id == first.story_id
    assert db["story_articles"].count == 1


def test_unknown_parameter_is_an_error():
    with pytest.raises(TypeError, match="threshold_x"):
        StoryClusterer(make_db(), threshold_x=0.3)


@pytest.mark.corpus
def test_ecbplus_dev_quality_floor(corpus):
    """B-cubed F1 on the ECB+ dev set in file order: a floor, not the figure (see
    bench/eval_stories.py for the cross-validated held-out figures)."""
    from bench.eval_stories import bcubed, load, warta

    docs = load(corpus / "story_clusters_ecbplus" / "ecbplus_dev.jsonl")
    labels = warta(docs)
    assert bcubed(labels, [d.cluster for d in docs])[2] >= 0.87


def _synthetic(n: int, seed: int = 5) -> list[tuple[str, str, tuple[str, str], datetime]]:
    """``n`` made-up articles about events of 1-6 articles each, over a week."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdgklmnprst" for v in "aiou"]
    words = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)})
    out = []
    while len(out) < n:
        topic = rng.sample(words, 12)
        name = rng.choice(words).capitalize()
        lead = [rng.choice(topic + words[:400]) for _ in range(40)]  # what they all say
        start = T0 + timedelta(hours=rng.uniform(0, 24 * 7))
        for _ in range(rng.randint(1, 6)):
            body = [rng.choice(words[:400]) for _ in range(120)]
            for k, pos in enumerate(rng.sample(range(120), 30)):
                body[pos] = topic[k % 12] if k < 24 else name
            at = rng.randint(0, 80)
            body[at:at + 40] = lead
            title = " ".join(rng.sample(topic, 5) + [name])
            out.append((f"s{len(out):04d}", rng.choice(["arstechnica", "theverge", "portal"]),
                        (title.capitalize(), " ".join(body) + "."),
                        start + timedelta(hours=rng.uniform(0, 30))))
    return out[:n]


def _states(c: StoryClusterer) -> dict[str, tuple]:
    """The recent stories' centroids and titles (not their norms: those are recomputed with
    the frequencies of whenever a story was last looked at, and again when they change 2%)."""
    return {s.id: (s.keys.tolist(), s.raw.tolist(), s.text_members, s.title_article_id,
                   s.title_score) for s in c.index.stories.values()}


def _assign_all(db: Database, c: StoryClusterer, items: list) -> list[tuple]:
    """Where each article went. Not the scores: a process that read its recent stories
    anew re-weighed their norms and index terms with the frequencies of the moment, which
    moves scores a little (one that stays up re-weighs a story when it is next compared
    after the frequencies changed 2%)."""
    out = []
    for article_id, source, text, published in items:
        with db.atomic():
            a = c.assign(add(db, article_id, source, text, published=published))
        out.append((article_id, a.story_id, a.is_new))
    return out


def test_a_restart_without_close_replays_to_the_same_state(tmp_path):
    """Centroids are written with the state snapshots (and when a story leaves memory); a
    process that stops without ``close`` leaves them behind, and the next one replays the
    memberships after the snapshot: it must decide exactly as the first would have."""
    items = _synthetic(260)
    params = {"snapshot_every": 70, "warmup_until": 0}
    path, copy = tmp_path / "a.db", tmp_path / "b.db"
    db = make_db(Database(path))
    c = StoryClusterer(db, **params)
    _assign_all(db, c, items[:200])
    assert c._dirty and c.replayed == 0  # some centroids are not written yet
    db.conn.backup(Database(copy).conn)  # the archive as a crash now would leave it
    rest = _assign_all(db, c, items[200:])  # the first process goes on

    db2 = Database(copy)
    restarted = StoryClusterer(db2, **params)
    assert restarted.replayed > 0
    assert restarted.df.docs == 200
    assert _assign_all(db2, restarted, items[200:]) == rest
    assert _states(restarted) == _states(c)


def test_a_long_replay_keeps_only_recent_stories_in_memory(tmp_path, monkeypatch):
    """No snapshot at all (a first recluster that crashed, say): the replay writes the
    stories it leaves behind, and the result is the same as with everything in memory."""
    from pipelines.stories import cluster

    items = _synthetic(260, seed=11)
    params = {"snapshot_every": 10**6, "warmup_until": 0, "window_days": 1.0}
    path, copy = tmp_path / "a.db", tmp_path / "b.db"
    db = make_db(Database(path))
    c = StoryClusterer(db, **params)
    _assign_all(db, c, items[:200])
    db.conn.backup(Database(copy).conn)
    rest = _assign_all(db, c, items[200:])
    monkeypatch.setattr(cluster, "_REPLAY_KEEP_EVERY", 20)
    db2 = Database(copy)
    restarted = StoryClusterer(db2, **params)
    assert restarted.replayed == 200
    stories = db2.execute("select count(*) from stories").fetchone()[0]
    assert len(restarted._dirty) < stories / 3  # the older replayed stories were written
    assert _assign_all(db2, restarted, items[200:]) == rest
    mine, theirs = _states(restarted), _states(c)  # the first process lets go less often
    assert mine and mine == {k: theirs[k] for k in mine}


def test_reset_after_a_rollback_forgets_the_rolled_back_article(tmp_path):
    items = _synthetic(120, seed=8)
    params = {"snapshot_every": 40, "warmup_until": 0}
    db = make_db(Database(tmp_path / "a.db"))
    c = StoryClusterer(db, **params)
    _assign_all(db, c, items[:100])
    db.conn.execute("BEGIN")
    c.assign(add(db, "x1", "portal", items[100][2], published=items[100][3]))
    db.conn.execute("ROLLBACK")  # the article's transaction failed
    c.reset()
    other = make_db(Database(tmp_path / "b.db"))
    d = StoryClusterer(other, **params)
    _assign_all(other, d, items[:100])
    assert c.df.docs == d.df.docs and (c.df.counts == d.df.counts).all()
    assert _assign_all(db, c, items[100:]) == _assign_all(other, d, items[100:])
    assert _states(c) == _states(d)


# -- recluster: an order-independent rebuild (batch_stories) ---------------------------------

def _undated(n: int, seed: int) -> list[tuple[str, tuple[str, str]]]:
    """``n`` synthetic articles (key, text), all without a date: they all count at one fetch
    time, so no time orders them."""
    return [(key, text) for key, _, text, _ in _synthetic(n, seed)]


def _rebuilt_partition(items: list[tuple[str, tuple[str, str]]], order: list[int],
                       name: dict[str, str]) -> set[frozenset[str]]:
    """Assign ``items`` live in ``order`` under article ids ``name[key]``, recluster, and
    return the stories as sets of keys."""
    db = make_db()
    c = StoryClusterer(db)
    for k in order:
        key, text = items[k]
        c.assign(add(db, name[key], "portal", text, published=None, fetched=T0))
    recluster(db, None)
    key_of = {v: k for k, v in name.items()}
    return {frozenset(key_of[a] for a in group) for group in _partition(db)}


def test_recluster_ignores_arrival_order_and_the_ids_of_equal_time_articles():
    """Articles with equal times (no dates) have no order: the rebuilt stories are the same
    whatever order they arrived in and whatever their ids (which a rebuild in (time, id)
    order would replay them by), and they are ``batch_stories``' groups."""
    from pipelines.stories.batch import BatchDoc, batch_stories

    items = _undated(90, seed=21)
    plain = {key: f"a-{key}" for key, _ in items}
    shuffled_ids = [key for key, _ in items]
    random.Random(4).shuffle(shuffled_ids)
    renamed = {key: f"a-{other}" for (key, _), other in zip(items, shuffled_ids, strict=True)}
    order = list(range(len(items)))
    expected = _rebuilt_partition(items, order, plain)
    assert 10 < len(expected) < 80  # some stories, not one, not all alone
    for seed in (1, 2):
        random.Random(seed).shuffle(order)
        assert _rebuilt_partition(items, order, plain) == expected
        assert _rebuilt_partition(items, order, renamed) == expected
    p = StoryParams()
    groups = batch_stories([BatchDoc(key, *text, "en", T0) for key, text in items],
                           threshold=p.batch_threshold, join_threshold=p.threshold)
    assert {frozenset(items[k][0] for k in g) for g in groups} == expected


def _df_recount(db: Database) -> tuple[int, np.ndarray]:
    """Document frequencies counted from scratch over every clustered original."""
    from pipelines.stories.features import article_features
    from pipelines.stories.state import DocFrequencies

    df = DocFrequencies()
    for m, title, body in store.memberships_after(db, 0):
        if m.duplicate_of is None:
            df.add(article_features(title, body, m.lang, m.entity_ids).keys)
    return df.docs, df.counts


def test_after_recluster_live_assignment_goes_on_as_after_a_restart(tmp_path):
    """The clusterer that reclustered, and a new process opening the archive afterwards,
    hold the same state (document frequencies, recent centroids) and assign the next
    articles alike; the frequencies equal a recount; story rows equal a full recount."""
    items = _synthetic(200, seed=13)
    params = {"warmup_until": 0, "snapshot_every": 10**6}
    path, copy = tmp_path / "a.db", tmp_path / "b.db"
    db = make_db(Database(path))
    c = StoryClusterer(db, **params)
    _assign_all(db, c, items[:160])
    since = sorted(published for *_, published in items[:160])[80]
    with db.atomic():
        report = rebuild(c, since.isoformat())
    assert report.articles >= 80
    docs, counts = _df_recount(db)
    assert c.df.docs == docs == 160 and (c.df.counts == counts).all()
    rows = {r["id"]: r for r in db["stories"].rows}
    for story_id in rows:
        store.refresh_story(db, story_id, rows[story_id]["updated_at"])
    assert {r["id"]: r for r in db["stories"].rows} == rows
    for row in rows.values():
        assert db["story_articles"].get(row["title_article_id"])["story_id"] == row["id"]
    db.conn.commit()
    db.conn.backup(Database(copy).conn)
    reopened = StoryClusterer(Database(copy), **params)
    assert reopened.replayed == 0 and (reopened.df.counts == c.df.counts).all()
    assert _assign_all(db, c, items[160:]) == _assign_all(reopened.db, reopened, items[160:])
    assert _states(c) == _states(reopened)


def test_recluster_rewrites_centroids_as_live_clustering_would():
    """A rebuilt story's stored centroid is the sum of its text members' unit vectors, as a
    live clusterer that got its members one by one (with the same frequencies) has it."""
    from pipelines.stories.features import article_features
    from pipelines.stories.state import StoryState, make_query

    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    for i, (text, hours) in enumerate([(MUSK_EN_1, 0), (MUSK_EN_2, 2), (MUSK_EN_1, 5)]):
        c.assign(add(db, f"a{i}", "portal", text, published=T0 + timedelta(hours=hours)))
    recluster(db, None)
    reopened = StoryClusterer(db)
    stored = store.stored_story(db, "a0")
    assert stored is not None and stored.text_members == 3
    expected = StoryState("a0", 0.0, 0.0, set(), 0)
    for m in store.members(db, "a0"):
        row = db["articles"].get(m.article_id)
        f = article_features(row["title"], row["body"], "en")
        expected.add(make_query(f.keys, f.weights, reopened.df, "en", 0.0))
    expected.refresh(reopened.df, StoryParams().max_terms)
    assert stored.keys.tolist() == expected.keys.tolist()
    assert np.allclose(np.array(stored.weights), expected.raw)
    assert [m.via for m in store.members(db, "a0")] == ["new", "text", "text"]


def test_a_copy_outside_the_rebuilt_period_keeps_following_its_original():
    """A copy rebuilt while its original (in a story wholly before ``since``) is not (here
    a copy never clustered before) joins the original's story, not one of its text's."""
    db = make_db()
    c = StoryClusterer(db)
    with_background(db, c)
    a = c.assign(add(db, "a1", "arstechnica", MUSK_EN_1))
    later = T0 + timedelta(days=5)
    m = c.assign(add(db, "m1", "techcrunch", META_GPUS, published=later))
    add(db, "c1", "portal", MUSK_EN_1, published=later + timedelta(hours=1), duplicate_of="a1")
    report = recluster(db, (later - timedelta(hours=1)).isoformat())
    assert report.articles == 2  # m1 and the copy; a1's story is older and kept
    member = db["story_articles"].get("c1")
    assert member["story_id"] == a.story_id and member["via"] == "duplicate"
    row = story(db, a.story_id)
    assert row["article_count"] == 1 and row["duplicate_count"] == 1
    assert row["outlet_count"] == 1
    assert db["story_articles"].get("m1")["story_id"] == m.story_id
    # rebuilt again with its original: still in the original's story
    recluster(db, None)
    assert db["story_articles"].get("c1")["story_id"] == db["story_articles"].get("a1")[
        "story_id"]


def test_joining_a_story_that_is_gone_writes_nothing():
    """A story deleted under the clusterer (say, by a recluster in another process) is not
    counted into; its membership then fails on the foreign key, as before."""
    db = make_db()
    member = store.Membership("a1", "gone", 1, "2026-03-01T00:00:00Z", "published", "s",
                              "en", None, "text", 0.5, [])
    store.join_story(db, "gone", member, "2026-03-01T00:00:00Z", titled=True)
    assert db["stories"].count == 0
