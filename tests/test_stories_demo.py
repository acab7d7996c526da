"""Stories on the demo crawl: each event's coverage (in Indonesian and English) is one story,
different events stay apart, copies never count twice, and recluster is deterministic."""

from collections import defaultdict

import pytest

from storage.archive import open_db
from tests.crawling import run_warta
from tests.demo_site import articles, path_of

pytestmark = pytest.mark.e2e


def partition(db):
    events = {a["path"]: a["event"] for a in articles()}
    stories = defaultdict(set)
    for row in db.query("select canonical_url, story_id from articles"):
        stories[row["story_id"]].add(path_of(row["canonical_url"]))
    return events, stories


def test_events_are_stories_and_events_stay_apart(demo_crawl):
    db = open_db(demo_crawl[0])
    events, stories = partition(db)
    assert all(sid is not None for sid in stories)
    by_event = defaultdict(set)
    for sid, paths in stories.items():
        for p in paths:
            by_event[events[p]].add(sid)
        # a story never mixes two events
        assert len({events[p] for p in paths if events[p]}) <= 1, paths
    multi = [e for e in by_event if e and sum(1 for a in articles() if a["event"] == e) > 1]
    together = [e for e in multi if len(by_event[e]) == 1]
    assert len(together) >= len(multi) - 1, {e: len(by_event[e]) for e in multi}
    # the seed story: Gamebrott, The Circuit and the portal in one story
    seed = by_event["xai-gpus"]
    assert len(seed) == 1
    story = db["stories"].get(next(iter(seed)))
    assert story["outlet_count"] == 3 and story["article_count"] == 3


def test_a_syndicated_copy_is_linked_and_not_counted_twice(demo_crawl):
    db = open_db(demo_crawl[0])
    copy = next(a for a in articles() if a["syndicated_from"])
    rows = {path_of(r["canonical_url"]): r for r in db.query("select * from articles")}
    row, original = rows[copy["path"]], rows[copy["syndicated_from"]]
    # whichever of the two was archived first is the original (crawl order varies)
    assert {row["duplicate_of"], original["duplicate_of"]} in ({original["id"], None},
                                                               {row["id"], None})
    assert row["story_id"] == original["story_id"]
    story = db["stories"].get(row["story_id"])
    assert story["outlet_count"] == 1  # two outlets' rows, but one is a copy


def test_recluster_is_deterministic(demo_crawl, tmp_path):
    import shutil

    db_path = tmp_path / "copy.db"
    shutil.copy(demo_crawl[0], db_path)
    done = run_warta("--db", str(db_path), "recluster")
    assert done.returncode == 0, done.stderr
    first = sorted(sorted(p) for p in partition(open_db(db_path))[1].values())
    run_warta("--db", str(db_path), "recluster")
    second = sorted(sorted(p) for p in partition(open_db(db_path))[1].values())
    assert first == second
    assert f"{len(articles())} articles in" in done.stdout
