"""warta ingest: JSON lines through the crawl's pipelines; warta history: revisions."""

import json

from storage.archive import open_db
from tests.crawling import run_warta

BODY = ("NVIDIA shipped ten thousand GPUs to xAI this week, the company said on Monday. "
        "The deal is one of the largest of the year and analysts expect more orders soon.")


def write_lines(path, *objs):
    path.write_text("\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs) + "\n")
    return path


def test_ingest_imports_good_lines_and_reports_bad_ones(tmp_path, db_path):
    src = write_lines(
        tmp_path / "in.jsonl",
        {"url": "https://wire.example/a?utm_source=x", "title": "NVIDIA ships chips",
         "body": BODY + "\n\nBaca juga: Berita lain", "source": "wire",
         "published_at": "Senin, 23 November 2026 14:05 WIB"},
        "{broken json",
        {"url": "https://wire.example/b", "title": "No body"},
        {"url": "https://wire.example/c", "title": "Copy", "body": BODY, "authors": "Jane Doe"},
    )
    done = run_warta("--db", str(db_path), "ingest", str(src), "--source", "backfill")
    assert done.returncode == 0, done.stderr
    assert "4 lines: 2 stored, 0 dropped, 2 rejected" in done.stdout
    assert "line 2: not JSON" in done.stderr and "line 3: missing field(s): body" in done.stderr
    db = open_db(db_path)
    rows = {r["canonical_url"]: r for r in db.query("select * from articles")}
    a, c = rows["https://wire.example/a"], rows["https://wire.example/c"]
    assert a["source"] == "wire" and c["source"] == "backfill"
    assert "Baca juga" not in a["body"]  # cleaned by the same rules as a crawl
    assert a["published_at"] == "2026-11-23T07:05:00Z"
    assert a["published_local"] == "2026-11-23T14:05:00+07:00"  # WIB, as written
    assert c["published_local"] is None  # no date given
    assert c["duplicate_of"] == a["id"] and c["duplicate_kind"] == "exact"
    assert json.loads(c["authors"]) == ["Jane Doe"]


def test_history_lists_revisions_after_an_edit(tmp_path, db_path):
    first = {"url": "https://wire.example/a", "title": "Old title", "body": BODY, "source": "w"}
    run_warta("--db", str(db_path), "ingest", str(write_lines(tmp_path / "1.jsonl", first)))
    edited = {**first, "title": "New title", "body": BODY + " Updated with a statement."}
    run_warta("--db", str(db_path), "ingest", str(write_lines(tmp_path / "2.jsonl", edited)))
    done = run_warta("--db", str(db_path), "history", "https://wire.example/a", "--json")
    versions = json.loads(done.stdout)
    assert [v["title"] for v in versions] == ["Old title", "New title"]
    assert versions[-1]["current"] is True
    missing = run_warta("--db", str(db_path), "history", "https://wire.example/zzz")
    assert missing.returncode == 1 and "no archived article" in missing.stderr


def test_ingest_stories_do_not_depend_on_the_order_of_the_lines(tmp_path):
    """Lines without dates all count at the import's time: nothing orders them, and the
    stories (rebuilt at the end of the import) are the same in any line order. (Assigned
    line by line, with --no-recluster, these articles' stories differ between the orders.)"""
    import random

    from tests.test_stories_batch import _synthetic

    lines = [{"url": f"https://wire.example/{d.article_id}", "title": d.title, "body": d.body,
              "source": f"outlet{n % 3}", "lang": d.lang}
             for n, d in enumerate(_synthetic(45, seed=12))]
    partitions = []
    for seed in (1, 2):
        random.Random(seed).shuffle(lines)
        db_path = tmp_path / f"{seed}.db"
        done = run_warta("--db", str(db_path), "ingest",
                         str(write_lines(tmp_path / f"{seed}.jsonl", *lines)))
        assert done.returncode == 0, done.stderr
        assert "stories rebuilt for 45 articles" in done.stdout
        groups: dict[str, set[str]] = {}
        for row in open_db(db_path).query("select canonical_url, story_id from articles"):
            groups.setdefault(row["story_id"], set()).add(row["canonical_url"])
        partitions.append({frozenset(g) for g in groups.values()})
    assert partitions[0] == partitions[1]
    assert 5 < len(partitions[0]) < 40


def test_config_entity_model_runs_the_ner_model_on_imported_articles(tmp_path):
    """``[crawl] entity_model = true`` adds the model's names (a person no gazetteer knows)
    to what the gazetteer, patterns and cues find; without it only those are stored."""
    line = {"url": "https://wire.example/kominfo", "source": "wire", "lang": "id",
            "title": "Pejabat baru di kementerian",
            "body": "Kepala dinas komunikasi Surabaya, Wiratmoko Hadisaputro, mengatakan NVIDIA "
                    "akan membuka kantor baru di kota itu tahun depan bersama mitra lokal."}
    src = write_lines(tmp_path / "in.jsonl", line)
    methods = {}
    for flag in ("false", "true"):
        config = tmp_path / f"{flag}.toml"
        config.write_text(f'[crawl]\nentity_model = {flag}\n\n[sources.wire]\n'
                          'homepage = "https://wire.example/"\nlang = "id"\n'
                          'feeds = ["https://wire.example/feed"]\n')
        db = tmp_path / f"{flag}.db"
        done = run_warta("--db", str(db), "--config", str(config), "ingest", str(src))
        assert done.returncode == 0, done.stderr
        rows = open_db(db).query("select e.name, ae.method from article_entities ae "
                                 "join entities e on e.id = ae.entity_id")
        methods[flag] = {r["name"]: r["method"] for r in rows}
    assert methods["false"].get("Nvidia") == "gazetteer"
    assert "model" not in methods["false"].values()
    assert methods["true"].get("Wiratmoko Hadisaputro") == "model"
    assert methods["true"].get("Nvidia") == "gazetteer"
