"""`warta export`: every file matches its schema in docs/exports.md, atomic, incremental.

Also home of the analyst fixture archive shared by the Datasette, CLI and dashboard tests: the
demo crawl plus stories and entities tables (the columns #5 and #6 define) filled
deterministically from the demo articles.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage.archive import open_db
from storage.exports import FILES, SCHEMA_VERSION, ExportError, export_archive
from tests.crawling import REPO

DOC = REPO / "docs" / "exports.md"

# Demo-site events reported by several outlets: story title -> title pattern of its articles.
STORIES = {
    "Elon Musk's xAI buys 10,000 Nvidia GPUs": r"10[.,]000",
    "Windows 12 preview runs Copilot offline": r"windows 12",
    "Redmi Note 16 Pro launches": r"redmi note 16",
    "GTA VI launch overloads PlayStation Network": r"gta (6|vi)\b",
    "Indonesia's data protection rules": r"data pribadi|uu pdp|data protection",
    "US tightens AI chip exports": r"ekspor chip|chip export",
    "Nusantara Drift announced": r"nusantara drift",
}
# Entities found by name in titles and bodies: id -> (name, type, aliases).
ENTITIES = {
    "Q182477": ("NVIDIA", "ORG", ["nvidia"]),
    "Q317521": ("Elon Musk", "PERSON", ["elon musk"]),
    "Q2283": ("Microsoft", "ORG", ["microsoft"]),
    "Q1636958": ("Xiaomi", "ORG", ["xiaomi", "redmi"]),
    "Q252": ("Indonesia", "PLACE", ["indonesia"]),
    "Q148": ("China", "PLACE", ["china"]),
    "Q207424": ("PlayStation", "PRODUCT", ["playstation"]),
    "Q8093": ("Nintendo", "ORG", ["nintendo"]),
    "Q128896": ("AMD", "ORG", ["amd"]),
    "Q20716": ("Samsung", "ORG", ["samsung"]),
    "Q337535": ("Steam", "PRODUCT", ["steam"]),
    "Q21708200": ("OpenAI", "ORG", ["openai"]),
    "Q116939113": ("xAI", "ORG", ["xai", "x.ai"]),
    "Q7311": ("Copilot", "PRODUCT", ["copilot"]),
}


def add_stories_and_entities(path: Path) -> dict[str, int]:
    """Fill stories/entities tables (created with exactly #5's and #6's columns when absent)."""
    db = Database(path)
    if "stories" not in db.table_names():
        db["stories"].create({"id": int, "title": str, "first_article_id": str,
                              "first_source": str, "first_seen_at": str,
                              "last_updated_at": str, "article_count": int,
                              "outlet_count": int}, pk="id")
    if "entities" not in db.table_names():
        db["entities"].create({"id": str, "name": str, "type": str, "aliases": str}, pk="id")
    if "article_entities" not in db.table_names():
        db["article_entities"].create({"article_id": str, "entity_id": str, "count": int,
                                       "first_position": int, "method": str, "at": str},
                                      pk=("article_id", "entity_id"))
    for column in ("story_id", "duplicate_of"):
        if column not in db["articles"].columns_dict:
            db["articles"].add_column(column, int if column == "story_id" else str)
    with db.conn:
        for table in ("stories", "entities", "article_entities"):
            db.execute(f"delete from {table}")  # noqa: S608 - fixed table names
        db.execute("update articles set story_id = null, duplicate_of = null")
        articles = list(db.query(
            "select id, source, title, body, published_at, "
            "coalesce(published_at, first_seen_at, fetched_at) as at "
            "from articles order by published_at"))
        for story_id, (title, pattern) in enumerate(STORIES.items(), start=1):
            members = [a for a in articles if re.search(pattern, a["title"] or "", re.I)]
            if not members:
                continue
            for a in members:
                db.execute("update articles set story_id = ? where id = ?", [story_id, a["id"]])
            if title.startswith("Nusantara") and len(members) > 1:
                # The technews piece is the same press release: a linked copy.
                db.execute("update articles set duplicate_of = ? where id = ?",
                           [members[0]["id"], members[1]["id"]])
            db["stories"].insert({
                "id": story_id, "title": title, "first_article_id": members[0]["id"],
                "first_source": members[0]["source"],
                "first_seen_at": members[0]["published_at"],
                "last_updated_at": members[-1]["published_at"],
                "article_count": len(members),
                "outlet_count": len({a["source"] for a in members}),
            })
        for eid, (name, etype, aliases) in ENTITIES.items():
            db["entities"].insert({"id": eid, "name": name, "type": etype,
                                   "aliases": json.dumps(aliases)})
            for a in articles:
                text = f"{a['title']}\n{a['body']}".casefold()
                hits = [m.start() for alias in aliases
                        for m in re.finditer(rf"\b{re.escape(alias)}\b", text)]
                if hits:
                    db["article_entities"].insert({
                        "article_id": a["id"], "entity_id": eid, "count": len(hits),
                        "first_position": min(hits), "method": "gazetteer", "at": a["at"]})
    counts = {t: db[t].count for t in ("stories", "entities", "article_entities")}
    db.close()
    return counts


def copy_archive(src: Path, dest: Path) -> Path:
    """A consistent copy of a (WAL) archive."""
    conn = sqlite3.connect(str(src))
    conn.execute("vacuum into ?", [str(dest)])
    conn.close()
    return dest


@pytest.fixture(scope="session")
def analyst_db(demo_crawl, tmp_path_factory) -> Path:
    """The demo crawl with stories and entities: 37 articles, 3 sources, 7 stories."""
    path = copy_archive(demo_crawl[0], tmp_path_factory.mktemp("analyst") / "warta.db")
    add_stories_and_entities(path)
    return path


@pytest.fixture(scope="session")
def analyst_export(analyst_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    export_archive(open_db(analyst_db), out, archive_name="warta.db")
    return out


# --- the documented schema -------------------------------------------------------------------

def documented_schemas() -> dict[str, dict[str, str]]:
    """{'articles.csv': {field: type}, 'manifest.json#files': {...}, ...} from docs/exports.md."""
    schemas: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        marker = re.match(r"<!-- schema: (\S+) -->", line)
        if marker:
            current = schemas.setdefault(marker.group(1), {})
            continue
        if current is None:
            continue
        if not line.startswith("|"):
            if line.strip():
                current = None
            continue
        cells = [c.strip().replace("\\|", "|")
                 for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        field = re.fullmatch(r"`([^`]+)`", cells[0])
        if field:
            current[field.group(1)] = cells[1]
    return schemas


SCHEMAS = documented_schemas()


def check_json(value, typ: str, schema_key: str, where: str) -> None:
    nullable, base = typ.endswith("?"), typ.rstrip("?")
    if value is None:
        assert nullable, f"{where}: null for non-null {typ}"
        return
    if base in ("object", "object[]"):
        items = value if base == "object[]" else [value]
        assert isinstance(items, list), f"{where}: expected a list"
        for i, item in enumerate(items):
            check_object(item, schema_key, f"{where}[{i}]")
        return
    if base.endswith("[]"):
        assert isinstance(value, list), f"{where}: expected {typ}, got {value!r}"
        for item in value:
            check_json(item, base[:-2], schema_key, where)
        return
    if base.startswith("map<"):
        assert isinstance(value, dict), where
        for k, v in value.items():
            check_json(v, base[4:-1], schema_key, f"{where}.{k}")
        return
    kinds = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
    ok = any(isinstance(value, kinds[alt]) and not (alt != "boolean" and isinstance(value, bool))
             for alt in base.split("|"))
    assert ok, f"{where}: expected {typ}, got {value!r}"


def check_object(obj: dict, key: str, where: str) -> None:
    schema = SCHEMAS[key]
    assert isinstance(obj, dict), f"{where}: expected an object"
    assert list(obj) == list(schema), f"{where}: fields {list(obj)} != documented {list(schema)}"
    for field, typ in schema.items():
        check_json(obj[field], typ, f"{key}.{field}" if "#" in key else f"{key}#{field}",
                   f"{where}.{field}")


def check_csv(path: Path) -> list[dict[str, str]]:
    schema = SCHEMAS[path.name]
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header == list(schema), f"{path.name}: header {header} != documented"
        rows = []
        for n, row in enumerate(reader, start=2):
            assert len(row) == len(header), f"{path.name}:{n}: {len(row)} cells"
            for field, cell in zip(header, row, strict=True):
                typ = schema[field]
                nullable, base = typ.endswith("?"), typ.rstrip("?")
                where = f"{path.name}:{n}:{field}"
                if cell == "":
                    assert nullable, f"{where}: empty for non-null {typ}"
                elif base == "integer":
                    assert re.fullmatch(r"-?\d+", cell), f"{where}: {cell!r} is not an integer"
                elif base.endswith("[]"):
                    check_json(json.loads(cell), base, path.name, where)
            rows.append(dict(zip(header, row, strict=True)))
    return rows


def check_export(out: Path) -> dict:
    """Validate every file of an export against the docs; return the parsed files."""
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(FILES)
    assert not [p for p in out.iterdir() if p.name.startswith(".export-")], "temp dir left"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    check_object(manifest, "manifest.json", "manifest")
    articles = []
    for n, line in enumerate((out / "articles.ndjson").read_text(encoding="utf-8")
                             .splitlines(), start=1):
        record = json.loads(line)
        check_object(record, "articles.ndjson", f"articles.ndjson:{n}")
        articles.append(record)
    parsed = {"manifest": manifest, "articles": articles,
              "articles_csv": check_csv(out / "articles.csv"),
              "articles_daily": check_csv(out / "articles_daily.csv"),
              "entities_daily": check_csv(out / "entities_daily.csv")}
    for name in ("stories.json", "sources.json"):
        doc = json.loads((out / name).read_text(encoding="utf-8"))
        check_object(doc, name, name)
        parsed[name.split(".")[0]] = doc[name.split(".")[0]]
    rows = {"articles.ndjson": len(articles), "articles.csv": len(parsed["articles_csv"]),
            "articles_daily.csv": len(parsed["articles_daily"]),
            "stories.json": len(parsed["stories"]),
            "entities_daily.csv": len(parsed["entities_daily"]),
            "sources.json": len(parsed["sources"])}
    for entry in manifest["files"]:
        data = (out / entry["name"]).read_bytes()
        assert entry["rows"] == rows[entry["name"]], entry
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert [f["name"] for f in manifest["files"]] == list(FILES[:-1])
    assert manifest["schema_version"] == SCHEMA_VERSION
    return parsed


def test_the_doc_documents_every_file():
    files = {key.split("#")[0] for key in SCHEMAS}
    assert files == set(FILES)
    for key, schema in SCHEMAS.items():
        assert schema, f"{key}: no fields parsed from docs/exports.md"


# --- exports -------------------------------------------------------------------------------

def test_full_export_matches_the_documented_schema(analyst_export):
    parsed = check_export(analyst_export)
    m = parsed["manifest"]
    assert m["mode"] == "full"
    assert m["since"] is None
    assert m["archive"] == "warta.db"
    assert m["last_crawl"]["status"] == "ok"
    assert m["rows"] == {"articles": 37, "stories": 7, "sources": 3,
                         "articles_daily": len(parsed["articles_daily"]),
                         "entities_daily": len(parsed["entities_daily"])}
    assert [a["id"] for a in parsed["articles"]] == [a["id"] for a in parsed["articles_csv"]]
    by_source = {}
    for a in parsed["articles"]:
        by_source[a["source"]] = by_source.get(a["source"], 0) + 1
        assert a["body"]
        assert a["content_hash"]
    assert by_source == {"demo-gamebrott": 16, "demo-technews": 15, "demo-portal": 6}
    assert [s["articles"] for s in parsed["sources"]] == [16, 6, 15]
    daily: dict[tuple[str, str], int] = {}
    for a in parsed["articles"]:
        key = ((a["published_at"] or a["first_seen_at"])[:10], a["source"])
        daily[key] = daily.get(key, 0) + 1
    assert {(r["day"], r["source"]): int(r["articles"]) for r in parsed["articles_daily"]} == daily
    assert [(r["day"], r["source"]) for r in parsed["articles_daily"]] == sorted(daily)
    assert {s["health"] for s in parsed["sources"]} == {"ok"}


def test_stories_carry_outlets_and_timeline(analyst_export):
    parsed = check_export(analyst_export)
    gpu = next(s for s in parsed["stories"] if "GPUs" in s["title"])
    assert gpu["outlet_count"] == 3
    assert sorted(gpu["outlets"]) == sorted(
        ["demo-technews", "demo-portal", "demo-gamebrott"])
    assert gpu["outlets"][0] == gpu["first_source"] == "demo-technews"
    times = [a["published_at"] for a in gpu["articles"]]
    assert times == sorted(times)
    assert gpu["articles"][0]["id"] == gpu["first_article_id"]
    drift = next(s for s in parsed["stories"] if "Nusantara" in s["title"])
    assert [a["duplicate_of"] is not None for a in drift["articles"]] == [False, True]
    updated = [s["last_updated_at"] for s in parsed["stories"]]
    assert updated == sorted(updated, reverse=True)


def test_entities_daily_and_article_entities_agree(analyst_export):
    parsed = check_export(analyst_export)
    daily = parsed["entities_daily"]
    copies = {a["id"] for a in parsed["articles"] if a["duplicate_of"]}
    expected: dict[tuple[str, str], int] = {}
    for a in parsed["articles"]:
        if a["id"] in copies:
            continue
        for e in a["entities"]:
            key = ((a["published_at"] or a["first_seen_at"])[:10], e["id"])
            expected[key] = expected.get(key, 0) + e["count"]
    assert {(r["day"], r["entity_id"]): int(r["mentions"]) for r in daily} == expected
    nvidia = sum(int(r["mentions"]) for r in daily if r["name"] == "NVIDIA")
    assert nvidia >= 10
    assert [(r["day"], r["entity_id"]) for r in daily] == sorted(
        (r["day"], r["entity_id"]) for r in daily)


def test_plain_demo_crawl_export_is_valid(demo_crawl, tmp_path):
    """Whatever the crawl itself built (stories/entities or not) exports to the schema."""
    out = tmp_path / "plain"
    result = export_archive(open_db(demo_crawl[0]), out)
    parsed = check_export(out)
    assert result.rows["articles"] == len(parsed["articles"]) == 37


def test_empty_archive_exports_valid_empty_files(tmp_path):
    out = tmp_path / "out"
    result = export_archive(open_db(tmp_path / "empty.db"), out)
    parsed = check_export(out)
    assert result.rows == {"articles": 0, "articles_daily": 0, "stories": 0,
                           "entities_daily": 0, "sources": 0}
    assert parsed["manifest"]["last_crawl"] is None
    assert (out / "articles.ndjson").read_bytes() == b""
    assert (out / "articles.csv").read_text().strip().split(",")[0] == "id"


def test_incremental_export_has_only_changed_articles(analyst_db, tmp_path):
    path = copy_archive(analyst_db, tmp_path / "w.db")
    db = open_db(path)
    ids = [r["id"] for r in db.query("select id from articles order by id limit 3")]
    db.execute("update articles set updated_at = '2099-01-02T00:00:00Z' where id in (?, ?, ?)",
               ids)
    db.conn.commit()
    out = tmp_path / "inc"
    result = export_archive(db, out, since="2099-01-01")
    parsed = check_export(out)
    assert sorted(a["id"] for a in parsed["articles"]) == sorted(ids)
    assert parsed["manifest"]["mode"] == "incremental"
    assert parsed["manifest"]["since"] == "2099-01-01T00:00:00Z"
    assert result.rows["stories"] == 0
    assert result.rows["entities_daily"] == 0
    assert result.rows["articles_daily"] == 0  # no article is dated 2099
    assert len(parsed["sources"]) == 3  # health is always complete


def test_a_failed_export_leaves_the_previous_one_whole(analyst_db, tmp_path, monkeypatch):
    out = tmp_path / "out"
    export_archive(open_db(analyst_db), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("storage.exports._write_csv", broken)
    with pytest.raises(ExportError, match="No space left"):
        export_archive(open_db(analyst_db), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp dir either


def test_export_into_an_unwritable_place_is_one_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write"):
        export_archive(open_db(tmp_path / "w.db"), blocker / "out")


def test_csv_quotes_commas_quotes_and_newlines(tmp_path):
    from storage.archive import Archive

    archive = Archive(tmp_path / "w.db")
    archive.save_source("s", "https://x.test/", "en", {})
    title = 'Comma, "quote"\nand newline <b>'
    archive.store_article({"id": "a1", "source": "s", "url": "https://x.test/a",
                           "canonical_url": "https://x.test/a", "title": title,
                           "body": "text", "fetched_at": "2026-11-01T00:00:00Z",
                           "authors": ["A, B"], "tags": []})
    out = tmp_path / "out"
    export_archive(archive.db, out)
    parsed = check_export(out)
    assert parsed["articles_csv"][0]["title"] == title
    assert json.loads(parsed["articles_csv"][0]["authors"]) == ["A, B"]
