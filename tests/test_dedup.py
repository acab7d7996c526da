"""Duplicates: exact copies by body hash, near copies by MinHash LSH, never counted twice."""

import gzip

import pytest

from pipelines.dedup import body_hash, minhash_digest
from storage.archive import Archive
from storage.dedup import index_article, similarities, similarity

STORY = " ".join(
    f"Sentence {i} of the report says NVIDIA shipped {i * 100} GPUs to the new AI lab in Austin."
    for i in range(40))


def record(aid: str, body: str, source: str = "a") -> dict:
    return {"id": aid, "source": source, "url": f"https://{source}.example/{aid}",
            "canonical_url": f"https://{source}.example/{aid}", "title": aid, "body": body,
            "fetched_at": "2026-11-28T00:00:00Z", "body_hash": body_hash(body)}


@pytest.fixture
def archive(db_path):
    a = Archive(db_path)
    for name in ("a", "b"):
        a.save_source(name, f"https://{name}.example/", "en", {})
    yield a
    a.close()


def test_body_hash_ignores_markup_case_and_spacing():
    assert body_hash("Hello,  World!\n\nNew para.") == body_hash("hello world new para")
    assert body_hash("") is None


def test_minhash_similarity_tracks_overlap():
    base = minhash_digest(STORY)
    edited = minhash_digest(STORY + " Read more: other news. Subscribe now to our newsletter.")
    other = minhash_digest(" ".join(f"Unrelated line {i} about phones and batteries." for i in
                                    range(40)))
    assert similarity(base, edited) > 0.85
    assert similarity(base, other) < 0.1
    assert minhash_digest("too short to fingerprint") is None


def test_similarities_of_many_candidates_are_the_one_by_one_figures():
    other = " ".join(f"Line {i}: the council met on Tuesday about road works." for i in range(30))
    texts = [STORY, STORY + " One more line.", STORY[: len(STORY) // 2], other]
    digests = [minhash_digest(t) for t in texts]
    assert similarities(digests[0], digests) == [similarity(digests[0], d) for d in digests]
    assert similarities(digests[0], digests)[0] == 1.0 > similarities(digests[0], digests)[3]
    assert similarities(digests[0], []) == []
    with pytest.raises(ValueError, match="shorter"):  # signatures of two lengths: no figure
        similarities(digests[0], [digests[1], digests[2][:-4]])


def test_exact_copy_elsewhere_is_linked_to_the_original(archive):
    first = archive.store_article(record("orig", STORY), minhash=minhash_digest(STORY))
    copy = archive.store_article(record("copy", STORY, "b"), minhash=minhash_digest(STORY))
    assert first.duplicate is None
    assert copy.duplicate.original_id == "orig" and copy.duplicate.kind == "exact"
    row = archive.db["articles"].get("copy")
    assert row["duplicate_of"] == "orig" and row["duplicate_kind"] == "exact"
    assert archive.db["articles"].count == 2  # still stored


def test_exact_copies_of_a_much_copied_text_link_to_its_earliest_original(archive):
    for i in range(6):
        archive.store_article(record(f"c{i}", STORY, "ab"[i % 2]))
    rows = {r["id"]: r["duplicate_of"] for r in archive.db.query(
        "select id, duplicate_of from articles")}
    assert rows == {"c0": None, **{f"c{i}": "c0" for i in range(1, 6)}}
    # two originals of one text (say, stored before dedup ran): the first seen wins
    archive.db.execute("update articles set duplicate_of = null, first_seen_at = "
                       "'2026-11-01' where id = 'c3'")
    assert archive.store_article(record("late", STORY, "b")).duplicate.original_id == "c3"
    # found in the index of originals, in first-seen order: no reading and sorting of copies
    plan = " ".join(r[3] for r in archive.db.execute(
        "explain query plan select id from articles where body_hash = ? and id != ? and "
        "duplicate_of is null order by first_seen_at, id limit 1", ["x", "y"]))
    assert "idx_articles_originals_by_body_hash" in plan and "TEMP B-TREE" not in plan


def test_near_duplicate_candidates_come_from_the_band_index_alone(archive):
    plan = " ".join(r[3] for r in archive.db.execute(
        "explain query plan select distinct article_id from minhash_bands where "
        "(band = ? and hash = ?) or (band = ? and hash = ?)", [0, 1, 1, 2]))
    assert "COVERING INDEX idx_minhash_bands_band_hash_article" in plan


def test_near_copy_with_other_boilerplate_is_a_near_duplicate(archive):
    archive.store_article(record("orig", STORY), minhash=minhash_digest(STORY))
    syndicated = "Copyright 2026 Wire Service. " + STORY + " Follow us on social media."
    stored = archive.store_article(record("syn", syndicated, "b"),
                                   minhash=minhash_digest(syndicated))
    assert stored.duplicate.original_id == "orig" and stored.duplicate.kind == "near"
    assert stored.duplicate.similarity >= 0.7


@pytest.mark.parametrize("earliest", ["zz", "aa"])
def test_the_earliest_of_equally_similar_originals_is_chosen(archive, earliest):
    digest = minhash_digest(STORY)
    for aid in ("zz", "aa"):
        archive.store_article(record(aid, f"{STORY} Edition {aid}."), minhash=digest)
    # two originals with the same signature (the second had been linked to the first)
    archive.db.execute("update articles set duplicate_of = null, duplicate_kind = null, "
                       "first_seen_at = case id when ? then '2026-11-01' else '2026-11-02' end",
                       [earliest])
    for aid in ("zz", "aa"):  # both originals now: both in the band index
        index_article(archive.db, aid, digest)
    stored = archive.store_article(record("new", f"{STORY} Edition new.", "b"), minhash=digest)
    assert stored.duplicate.original_id == earliest and stored.duplicate.similarity == 1.0


def test_copies_are_not_candidates_a_text_is_compared_with_originals(archive):
    syndicated = "Copyright 2026 Wire Service. " + STORY + " Follow us on social media."
    archive.store_article(record("orig", STORY), minhash=minhash_digest(STORY))
    for i in range(3):
        archive.store_article(record(f"syn{i}", syndicated, "b"),
                              minhash=minhash_digest(syndicated))
    in_bands = {r[0] for r in archive.db.execute("select distinct article_id from minhash_bands")}
    kept = {r[0] for r in archive.db.execute("select article_id from article_minhash")}
    assert in_bands == {"orig"} and kept == {"orig", "syn0", "syn1", "syn2"}
    # a fourth copy: the same text as the three, which are copies: linked to their original
    stored = archive.store_article(record("syn3", syndicated, "b"),
                                   minhash=minhash_digest(syndicated))
    assert (stored.duplicate.original_id, stored.duplicate.kind) == ("orig", "near")


def test_short_bodies_only_match_exactly(archive):
    short = "Breaking: NVIDIA shares up."
    archive.store_article(record("s1", short), minhash=minhash_digest(short))
    other = archive.store_article(record("s2", short + " More soon."),
                                  minhash=minhash_digest(short + " More soon."))
    assert other.duplicate is None


@pytest.mark.e2e
def test_real_page_served_under_two_urls_and_two_templates_folds(corpus, tmp_path, db_path):
    """A real article page, and the same text inside another site's template, crawled."""
    from pipelines import article_from_html
    from storage.archive import open_db
    from tests import routesite
    from tests.crawling import crawl

    page = gzip.open(next((corpus / "fundus/us").glob("TechCrunch_*.html.gz"))).read()
    original = article_from_html(page, "https://techcrunch.com/2024/story/")
    paragraphs = "".join(f"<p>{p}</p>" for p in original.body.split("\n\n"))
    mirror = (
        "<html><head><title>Mirror News</title></head><body><header>Mirror News | Home | "
        "World</header><main><article><h1>" + (original.title or "") + "</h1>"
        "<p>Read also: an unrelated headline</p>" + paragraphs +
        "<p>Subscribe to our newsletter for more.</p></article></main>"
        "<footer>© 2026 Mirror News</footer></body></html>")
    routes = {"/a/story": (200, "text/html; charset=utf-8", page),
              "/b/story": (200, "text/html; charset=utf-8", mirror.encode())}
    with routesite.serving(routes) as server:
        sitemap = (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   f"<url><loc>{server.base}/a/story</loc></url>"
                   f"<url><loc>{server.base}/b/story</loc></url></urlset>")
        routes["/sitemap.xml"] = (200, "application/xml", sitemap.encode())
        done = crawl(db_path, tmp_path / "s.toml", f"""
[sources.mixed]
homepage = "{server.base}/"
lang = "en"
sitemaps = ["{server.base}/sitemap.xml"]
""")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = list(open_db(db_path).query("select url, duplicate_of, duplicate_kind from articles"))
    assert len(rows) == 2
    originals = [r for r in rows if r["duplicate_of"] is None]
    copies = [r for r in rows if r["duplicate_of"] is not None]
    assert len(originals) == 1 and len(copies) == 1
    assert copies[0]["duplicate_kind"] in ("exact", "near")


def test_search_lists_each_text_once_with_its_copies(archive):
    from click.testing import CliRunner

    from storage.queries import search
    from warta.cli import main

    archive.store_article(record("orig", STORY), minhash=minhash_digest(STORY))
    archive.store_article(record("copy", STORY, "b"), minhash=minhash_digest(STORY))
    other = STORY.replace("NVIDIA", "AMD")
    archive.store_article(record("amd", other, "b"), minhash=minhash_digest(other + " x y z"))
    hits = search(archive.db, "GPUs", limit=10)
    assert {h.id: h.copies for h in hits if h.id != "amd"} == {"orig": 1}
    every = {h.id: h.duplicate_of for h in search(archive.db, "GPUs", limit=10, copies=True)}
    assert every["orig"] is None and every["copy"] == "orig"
    out = CliRunner().invoke(main, ["--db", str(archive.path), "search", "NVIDIA"]).output
    assert out.count("https://a.example/orig") == 1 and "· 1 copy" in out
    assert "b.example/copy" not in out
    out = CliRunner().invoke(main, ["--db", str(archive.path), "search", "NVIDIA",
                                    "--with-copies"]).output
    assert "b.example/copy" in out and "copy of orig" in out


def test_the_migration_takes_copies_out_of_the_band_index(tmp_path):
    from sqlite_utils import Database

    from storage.schema import migrations

    db = Database(tmp_path / "older.db")
    migrations.apply(db, stop_before="m010_originals_in_band_index")
    db["articles"].insert_all([
        {**record("orig", STORY), "content_hash": "h", "duplicate_of": None},
        {**record("copy", STORY, "b"), "content_hash": "h", "duplicate_of": "orig"}])
    db["minhash_bands"].insert_all([{"band": b, "hash": 7, "article_id": aid}
                                    for aid in ("orig", "copy") for b in range(16)])
    migrations.apply(db)
    assert {r[0] for r in db.execute("select distinct article_id from minhash_bands")} == {"orig"}
    indexes = {i.name for i in db["minhash_bands"].indexes}
    assert "idx_minhash_bands_band_hash_article" in indexes
    assert "idx_minhash_bands_band_hash" not in indexes
