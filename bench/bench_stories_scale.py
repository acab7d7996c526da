"""Scale benchmark for story clustering: an archive of N synthetic articles, then the cost of
assigning new ones.

Synthetic articles: a vocabulary of made-up words with Zipf frequencies; each event has its
own words, names and numbers, 1 to ~20 articles from 6 outlets within two days, events
spread over a year; about 1 article in 50 is a near-copy marked ``duplicate_of``.

Steps (``all`` runs them in order, each in its own process so memory is measured apart):

- ``generate``: write N articles into a fresh archive (directly into SQLite);
- ``assign``: put every article into a story as live clustering would have, one at a time
  in event-time order through ``StoryClusterer.assign`` (a commit per 1,000), reporting
  articles/s. Here that is 4-9 ms an article on two shared cores (features of articles
  never seen before, story writes), hours for 1M; with ``--live-days D`` the articles
  before the archive's last D days are first filed into the stories of the events the
  generator wrote them for (``prefile``: memberships, story rows and the
  document-frequency snapshot as ``assign`` leaves them, not the centroids of those old
  stories) and only the last D days go through ``assign``: the stories a new article can
  join (the last three days) are then live-clustered ones, over document frequencies of
  the whole archive;
- ``cluster``: instead of ``assign``, cluster the whole archive at once (``recluster``:
  the from-scratch, order-independent rebuild; it holds the articles in memory, ~35 KB
  each; at 1M it did not finish in 75 minutes), reporting articles/s;
- ``measure``: a new process opens the archive (state rebuild time: document-frequency
  snapshot, replay, recent stories), then stores ``--new`` fresh articles one at a time,
  each in its own transaction as a crawl does (insert the row, assign its story, commit);
  prints median/p95 ms of the assignment alone (``StoryClusterer.assign``: features,
  candidate search, scoring, story-table writes), of the commit, and of the whole, and RSS.
  With ``--no-close`` it ends as a crash would, and the next ``measure`` shows the restart
  that replays those articles.

Measured so (two shared cores; README, "Benchmarks"; 2026-11-30): 1M articles over a year,
``assign --live-days 10`` (975,166 filed into 293,567 generated events, two processes
computing features; 24,834 clustered live in 29 s; 4.8 min in all), then ``measure``:
1,000 new articles, 0.29-0.37 ms median a story assignment over 8 runs alternating with
the code of that morning (0.45-0.57 ms), ~400 MB RSS, restart 0.6-0.9 s (0.9 s replaying
1,000 articles).

    python bench/bench_stories_scale.py all --n 1000000 --live-days 10 --db /tmp/stories-1m.db
    python bench/bench_stories_scale.py measure --db /tmp/stories-1m.db --new 1000
    python bench/bench_stories_scale.py measure --db /tmp/stories-1m.db --prefix b --no-close
    python bench/bench_stories_scale.py measure --db /tmp/stories-1m.db --prefix c
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlite_utils import Database  # noqa: E402

from pipelines.stories import StoryClusterer, StoryDoc, StoryParams, recluster  # noqa: E402
from pipelines.stories.features import article_features  # noqa: E402
from pipelines.stories.state import DocFrequencies  # noqa: E402
from storage import stories as store  # noqa: E402
from storage.archive import prepare_writer  # noqa: E402
from storage.stories import migrate_stories  # noqa: E402

START = datetime(2025, 1, 1, tzinfo=UTC)
SOURCES = ["gamebrott", "detik-inet", "kompas-tekno", "arstechnica", "theverge", "techcrunch"]
VOCAB = 200_000
BODY_WORDS = 250
TITLE_WORDS = 9
VOCAB_SEED = 7


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size in MB."""
    current = 0.0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vocabulary(rng: np.random.Generator) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstwy" for v in "aeiou"]
    parts = rng.integers(0, len(syllables), size=(VOCAB, 4))
    lengths = rng.integers(2, 5, size=VOCAB)
    words = {"".join(syllables[p] for p in row[:n]) for row, n in zip(parts, lengths,
                                                                      strict=True)}
    return sorted(words)


class Generator:
    """Articles about synthetic events: event words in title and body, Zipf background."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        # One vocabulary for every seed: the new articles of ``measure`` must be written in
        # the archive's words (a vocabulary of its own made every word unseen, so that the
        # new events' background words outweighed everything and all of them merged).
        self.words = vocabulary(self.rng if seed == VOCAB_SEED else
                                np.random.default_rng(VOCAB_SEED))
        ranks = np.arange(1, len(self.words) + 1)
        p = 1.0 / ranks**1.07
        self.cdf = np.cumsum(p / p.sum())

    def background(self, n: int) -> np.ndarray:
        return np.searchsorted(self.cdf, self.rng.random(n))

    def event(self) -> dict:
        rng = self.rng
        topic = rng.integers(500, len(self.words), size=12)
        names = [self.words[i].capitalize() for i in rng.integers(2000, len(self.words), 3)]
        number = f"{int(rng.integers(2, 500)) * 1000:,}".replace(",", ".")
        return {"topic": topic, "names": names, "number": number}

    def article(self, ev: dict) -> tuple[str, str]:
        rng, words = self.rng, self.words
        own = rng.choice(ev["topic"], size=6, replace=False)
        title = [words[i] for i in own[:4]] + [ev["names"][0]] + \
            [words[i] for i in self.background(TITLE_WORDS - 5)]
        body_ids = self.background(BODY_WORDS)
        body = [words[i] for i in body_ids]
        for k, pos in enumerate(rng.choice(BODY_WORDS, size=40, replace=False)):
            body[pos] = words[ev["topic"][k % len(ev["topic"])]] if k < 30 else \
                ev["names"][k % 3]
        body[int(rng.integers(0, BODY_WORDS))] = ev["number"]
        paragraphs = [" ".join(body[i:i + 50]) + "." for i in range(0, BODY_WORDS, 50)]
        return " ".join(title).capitalize(), "\n\n".join(paragraphs)


def generate(db_path: Path, n: int, days: float) -> None:
    started = time.perf_counter()
    if db_path.exists():
        db_path.unlink()
    db = Database(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db["articles"].create(
        {"id": str, "source": str, "canonical_url": str, "title": str, "body": str, "lang": str,
         "published_at": str, "fetched_at": str, "duplicate_of": str},
        pk="id",
    )
    gen = Generator()
    rng = gen.rng
    made = 0
    batch: list[tuple] = []
    year = days * 86400
    while made < n:
        ev = gen.event()
        size = min(int(rng.geometric(0.3)), 20)
        t0 = float(rng.random() * year)
        previous: str | None = None
        for _ in range(size):
            if made >= n:
                break
            title, body = gen.article(ev)
            at = START + timedelta(seconds=t0 + float(rng.random() * 2 * 86400))
            source = SOURCES[int(rng.integers(0, len(SOURCES)))]
            article_id = f"{made:016x}"
            duplicate_of = previous if previous and rng.random() < 0.02 else None
            published = None if rng.random() < 0.03 else at.strftime("%Y-%m-%dT%H:%M:%SZ")
            fetched = (at + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
            batch.append((article_id, source, f"https://{source}.example/{article_id}", title,
                          body, "id" if source in SOURCES[:3] else "en", published, fetched,
                          duplicate_of))
            previous = article_id
            made += 1
        if len(batch) >= 20_000:
            _insert(db, batch)
            batch = []
            print(f"  generated {made:,} articles ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    _insert(db, batch)
    db.execute("create index articles_published on articles(published_at)")
    migrate_stories(db)
    db.conn.commit()
    print(f"generate: {n:,} articles in {time.perf_counter() - started:.1f} s, "
          f"{db_path.stat().st_size / 1e9:.2f} GB", flush=True)


def _insert(db: Database, rows: list[tuple]) -> None:
    with db.conn:
        db.conn.executemany("insert into articles values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _counted_terms(job: tuple[str, int, int, str]) -> tuple[np.ndarray, int]:
    """Document frequencies of the originals among articles ``lo <= rowid < hi`` whose event
    time is before ``until`` (what ``assign`` would have counted for them)."""
    path, lo, hi, until = job
    db = Database(path)
    df = DocFrequencies(StoryParams().hash_bits)
    for title, body, lang, published, fetched in db.execute(
            "select title, body, lang, published_at, fetched_at from articles"
            " where rowid >= ? and rowid < ? and duplicate_of is null", [lo, hi]):
        if (published or fetched) < until:
            df.add(article_features(title, body, lang).keys)
    return df.counts, df.docs


def prefile(db_path: Path, live_days: float, workers: int = 2) -> None:
    """File every article whose event time is more than ``live_days`` before the archive's
    last one into the story of the event the generator wrote it for, without clustering, so
    that ``assign`` need only cluster the last days (1M articles through ``assign`` take
    over an hour here). The generator writes an event's articles under consecutive ids and
    puts the event's first name fifth in each title: that finds the events again. Written
    as ``assign`` would leave them: memberships numbered in event-time order (``new`` for
    a story's first article, ``duplicate`` for a copy whose original came before, else
    ``text``; no score), story rows (first article and outlet, counts, outlets, languages,
    the first article's title), ``articles.story_id``, and a document-frequency snapshot
    counting every original (``workers`` processes compute the features). Not written: the
    centroids of these stories (``story_terms``), which only an article within three days
    of them would read; the last days' articles, clustered live, cannot join them."""
    started = time.perf_counter()
    db = Database(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    last = db.execute("select max(coalesce(published_at, fetched_at)) from articles").fetchone()[0]
    until = (datetime.fromisoformat(last) - timedelta(days=live_days)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    # The bench writes a publication date at most 30 minutes before the fetch time, so the
    # event time is the publication date, or the fetch time without one.
    events: dict[int, list[tuple]] = {}
    titles: dict[str, str] = {}
    event, name_before = -1, None
    for article_id, title, source, lang, published, fetched, duplicate_of in db.execute(
            "select id, title, source, lang, published_at, fetched_at, duplicate_of"
            " from articles order by rowid"):
        name = title.split()[4]
        if name != name_before:
            event, name_before = event + 1, name
        at = published or fetched
        if at < until:
            events.setdefault(event, []).append(
                (at, article_id, "published" if published else "fetched", source, lang,
                 duplicate_of))
            titles[article_id] = title
    filed = sum(map(len, events.values()))
    top = db.execute("select max(rowid) + 1 from articles").fetchone()[0]
    jobs = [(str(db_path), top * k // workers, top * (k + 1) // workers, until)
            for k in range(workers)]
    df = DocFrequencies(StoryParams().hash_bits)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for counts, docs in pool.imap_unordered(_counted_terms, jobs):
            df.counts += counts
            df.docs += docs
    print(f"  prefile: {filed:,} articles in {len(events):,} events, terms counted "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    members = sorted((m[0], m[1], e) for e, ms in events.items() for m in ms)
    seq_of = {article_id: seq for seq, (_, article_id, _) in enumerate(members, start=1)}
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    story_rows, member_rows = [], []
    for ms in events.values():
        ms.sort()
        originals = [m for m in ms if m[5] is None] or ms
        first = originals[0]
        story = first[1]
        outlets = sorted({m[3] for m in ms if m[5] is None and m[3]})
        langs = ",".join(sorted({m[4] for m in ms if m[4]})) or None
        story_rows.append((story, titles[story], story, story, first[3], first[0], first[2],
                           ms[-1][0], sum(m[5] is None for m in ms),
                           sum(m[5] is not None for m in ms), len(outlets),
                           json.dumps(outlets, separators=(",", ":")), langs, now, now))
        inside = {m[1] for m in ms}
        for at, article_id, dated_by, source, lang, duplicate_of in ms:
            seq = seq_of[article_id]
            via = "new" if article_id == story else "duplicate" if (
                duplicate_of in inside and seq_of[duplicate_of] < seq) else "text"
            member_rows.append((article_id, story, seq, at, dated_by, source, lang,
                                duplicate_of, via, None, None))
    with db.conn:
        db.conn.executemany(
            "insert into stories (id, title, title_article_id, first_article_id, first_source,"
            " first_seen_at, first_dated_by, last_updated_at, article_count, duplicate_count,"
            " outlet_count, outlets, langs, created_at, updated_at)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", story_rows)
        db.conn.executemany(
            "insert into story_articles (article_id, story_id, seq, event_at, dated_by, source,"
            " lang, duplicate_of, via, score, entity_ids)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", member_rows)
        db.conn.executemany("update articles set story_id = ? where id = ?",
                            [(m[1], m[0]) for m in member_rows])
        store.put_state(db, "df", df.to_bytes())
        meta = {"docs": df.docs, "seq": len(member_rows), "bits": StoryParams().hash_bits}
        store.put_state(db, "df_meta", json.dumps(meta).encode())
    print(f"prefile: {filed:,} articles filed into {len(story_rows):,} stories (their "
          f"generated events) in {time.perf_counter() - started:.0f} s; the last "
          f"{live_days:g} days left to assign", flush=True)


def assign_all(db_path: Path, batch: int = 1000) -> None:
    """Cluster the archive as live clustering would have: every article not in a story yet,
    in the order of its event time (article id on ties), through ``StoryClusterer.assign``,
    committing every ``batch`` articles; then close the clusterer (a state snapshot)."""
    started = time.perf_counter()
    db = Database(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    prepare_writer(db)  # as storage.archive.Archive
    # The bench writes a publication date at most 30 minutes before the fetch time, so the
    # event time is the publication date, or the fetch time without one.
    ids = [r[0] for r in db.execute(
        "select id from articles where id not in (select article_id from story_articles)"
        " order by coalesce(published_at, fetched_at), id")]
    clusterer = StoryClusterer(db)
    conn = db.conn
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        marks = ", ".join("?" * len(chunk))
        rows = {r[0]: r for r in conn.execute(
            "select id, source, title, body, lang, published_at, fetched_at, duplicate_of"  # noqa: S608
            f" from articles where id in ({marks})", chunk)}  # placeholders only
        conn.execute("BEGIN")
        for article_id in chunk:
            _, source, title, body, lang, published, fetched, duplicate_of = rows[article_id]
            clusterer.assign(StoryDoc(
                article_id, source, title, body, lang,
                datetime.fromisoformat(published) if published else None,
                datetime.fromisoformat(fetched), duplicate_of=duplicate_of))
        conn.execute("COMMIT")
        done += len(chunk)
        if done % 20_000 < batch:
            print(f"  assigned {done:,} articles ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    clusterer.close()
    seconds = time.perf_counter() - started
    stories = db.execute("select count(*) from stories").fetchone()[0]
    current, peak = rss_mb()
    print(f"assign: {done:,} articles into {stories:,} stories in {seconds:.0f} s "
          f"({done / max(seconds, 1e-9):,.0f} articles/s, in time order through "
          f"StoryClusterer.assign); RSS {current:.0f} MB, peak {peak:.0f} MB", flush=True)


def assign(db_path: Path, live_days: float | None) -> None:
    if live_days is not None:
        prefile(db_path, live_days)
    assign_all(db_path)


def cluster(db_path: Path) -> None:
    db = Database(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    report = recluster(db, None)
    current, peak = rss_mb()
    print(f"cluster: {report.articles:,} articles into {report.stories:,} stories in "
          f"{report.seconds:.0f} s ({report.articles / report.seconds:,.0f} articles/s); "
          f"RSS {current:.0f} MB, peak {peak:.0f} MB", flush=True)


def _percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    return (f"median {statistics.median(values):.3f} ms, p95 {p95:.3f} ms, "
            f"max {values[-1]:.1f} ms")


def measure(db_path: Path, new: int, prefix: str = "new", close: bool = True) -> None:
    """Open the archive as a crawl does, then store ``new`` articles, each in its own
    transaction: insert the article row, ``assign`` it to a story, commit. The three parts
    are timed apart; ``assign`` is the story assignment itself (features, candidate search,
    scoring and the story-table writes, executed in the open transaction)."""
    db = Database(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")  # as storage.archive.open_db
    prepare_writer(db)  # as storage.archive.Archive
    archived = db.execute("select count(*) from articles").fetchone()[0]
    started = time.perf_counter()
    clusterer = StoryClusterer(db)
    opened = time.perf_counter() - started
    gen = Generator(seed=zlib.crc32(prefix.encode()))  # new events per --prefix
    rng = gen.rng
    last = db.execute("select max(last_updated_at) from stories").fetchone()[0]
    end = datetime.fromisoformat(last)
    # Half the new articles continue recent stories (their text), half are new events.
    recent = [r[0] for r in db.execute(
        "select a.id from articles a join story_articles m on m.article_id = a.id"
        " where m.event_at >= ? and m.duplicate_of is null order by a.id limit 2000",
        [(end - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")])]
    rows = []
    for i in range(new):
        at = end + timedelta(seconds=60 * i)
        if i % 2 == 0 and recent:
            title, body = db.execute("select title, body from articles where id = ?",
                                     [recent[int(rng.integers(0, len(recent)))]]).fetchone()
            words = body.split(" ")
            rng.shuffle(words)
            body = " ".join(words)
        else:
            title, body = gen.article(gen.event())
        article_id = f"{prefix}{i:013x}"
        source = SOURCES[i % len(SOURCES)]
        stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append(((article_id, source, f"https://{source}.example/{article_id}", title,
                      body, "en", stamp, stamp),
                     StoryDoc(article_id, source, title, body, "en", at, at)))
    insert_ms, assign_ms, commit_ms, total_ms, assign_cpu_ms = [], [], [], [], []
    first = None
    joined = 0
    conn = db.conn
    for values, doc in rows:
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("insert into articles (id, source, canonical_url, title, body, lang,"
                     " published_at, fetched_at) values (?, ?, ?, ?, ?, ?, ?, ?)", values)
        t1, c1 = time.perf_counter(), time.process_time()
        result = clusterer.assign(doc)
        t2, c2 = time.perf_counter(), time.process_time()
        conn.execute("COMMIT")
        t3 = time.perf_counter()
        if first is None:
            first = t2 - t1
        else:
            insert_ms.append((t1 - t0) * 1000)
            assign_ms.append((t2 - t1) * 1000)
            assign_cpu_ms.append((c2 - c1) * 1000)
            commit_ms.append((t3 - t2) * 1000)
            total_ms.append((t3 - t0) * 1000)
        joined += not result.is_new
    if close:
        clusterer.close()  # as a crawl ends: the next process replays nothing
    current, peak = rss_mb()
    print(f"measure: archive of {archived:,} articles; open {opened:.2f} s (document "
          f"frequencies, replayed {clusterer.replayed} articles), first assignment "
          f"{first:.2f} s (loads the recent stories: {len(clusterer.index):,}); "
          f"restart total {opened + first:.2f} s", flush=True)
    print(f"measure: {len(assign_ms)} new articles after the first, {joined} joined a story "
          f"(about half continue recent stories)", flush=True)
    print(f"  story assignment (assign(): features, candidates, scoring, story-table writes; "
          f"no commit): {_percentiles(assign_ms)}", flush=True)
    print(f"  the same in CPU time of this process (what other load on the machine does "
          f"not inflate): {_percentiles(assign_cpu_ms)}", flush=True)
    print(f"  commit of the article's transaction (its row and story writes): "
          f"{_percentiles(commit_ms)}", flush=True)
    print(f"  article row insert (bench schema: no FTS, dedup or entities): "
          f"{_percentiles(insert_ms)}", flush=True)
    print(f"  whole per article (insert + assign + commit): {_percentiles(total_ms)}",
          flush=True)
    print(f"  RSS {current:.0f} MB, peak {peak:.0f} MB", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["all", "generate", "assign", "cluster", "measure"])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--prefix", default="new", help="id prefix of the new articles "
                        "(measure again on the same archive with another one)")
    parser.add_argument("--no-close", action="store_true",
                        help="measure: end without closing the clusterer, as a crash would "
                        "(the next measure then replays these articles)")
    parser.add_argument("--days", type=float, default=365.0,
                        help="days the archive spans (N/days is the articles per day)")
    parser.add_argument("--live-days", type=float, default=None,
                        help="assign: file the articles before the archive's last LIVE_DAYS "
                        "days into their generated events' stories (prefile) and cluster only "
                        "the last days live")
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "warta-stories-scale.db")
    args = parser.parse_args(argv)
    if args.step == "all":
        for step in ("generate", "assign", "measure"):
            cmd = [sys.executable, __file__, step, "--n", str(args.n), "--new", str(args.new),
                   "--db", str(args.db), "--days", str(args.days)]
            if args.live_days is not None:
                cmd += ["--live-days", str(args.live_days)]
            subprocess.run(cmd, check=True, env=os.environ)  # noqa: S603 - this script itself
        return 0
    {"generate": lambda: generate(args.db, args.n, args.days),
     "assign": lambda: assign(args.db, args.live_days), "cluster": lambda: cluster(args.db),
     "measure": lambda: measure(args.db, args.new, args.prefix, not args.no_close)}[args.step]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
