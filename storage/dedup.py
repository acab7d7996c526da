"""Duplicate lookup inside the archive: exact body hash first, then MinHash LSH bands.

The band index lives in SQLite (``minhash_bands``), so there is no in-memory state to
rebuild after a restart and a lookup is a handful of indexed reads. A candidate from the
bands is confirmed by the estimated Jaccard similarity of the two full signatures.

Only originals (articles that copy no other) are in the band index, and only they are
candidates: a new text is compared with originals, and a wire story with hundreds of copies
costs one comparison, not hundreds (every copy's signature is still kept in
``article_minhash``). A copy of a copy is linked to the original it resembles, or is an
original itself when it resembles none enough.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from storage.sql import in_chunks

BANDS = 16
ROWS = 8  # 16 bands x 8 rows = 128 permutations: P(candidate) 0.95 at J=0.8, 0.06 at J=0.5
NEAR_DUP_THRESHOLD = 0.7


@dataclass
class Duplicate:
    """The article this one duplicates, how, and how similar the texts are."""

    original_id: str
    kind: str  # "exact" or "near"
    similarity: float


def band_hashes(digest: bytes) -> list[int]:
    """One signed 63-bit hash per LSH band of a packed signature."""
    out = []
    for band in range(BANDS):
        chunk = digest[band * ROWS * 4:(band + 1) * ROWS * 4]
        out.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big") >> 1)
    return out


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two packed MinHash signatures."""
    va, vb = array("I", a), array("I", b)
    return sum(x == y for x, y in zip(va, vb, strict=True)) / len(va)


def similarities(digest: bytes, others: list[bytes]) -> list[float]:
    """:func:`similarity` of ``digest`` with each of ``others``, the same floats, compared
    in one array operation when the signatures have one length (a text with hundreds of
    copies has hundreds of candidates: ~45 us each one by one)."""
    if not others or any(len(o) != len(digest) for o in others):
        return [similarity(digest, o) for o in others]
    mine = np.frombuffer(digest, dtype=np.uint32)
    theirs = np.frombuffer(b"".join(others), dtype=np.uint32).reshape(len(others), mine.size)
    return ((theirs == mine).sum(axis=1) / mine.size).tolist()


def find_duplicate(db: Database, article_id: str, body_hash: str | None,
                   digest: bytes | None) -> Duplicate | None:
    """The earliest other original (an article that copies none) with the same text
    (exact), else the most similar one at or over :data:`NEAR_DUP_THRESHOLD` (near)."""
    if body_hash:
        row = db.execute(
            """select id from articles where body_hash = ? and id != ?
               and duplicate_of is null order by first_seen_at, id limit 1""",
            [body_hash, article_id]).fetchone()
        if row:
            return Duplicate(row[0], "exact", 1.0)
    if digest is None:
        return None
    bands = band_hashes(digest)
    clauses = " or ".join("(band = ? and hash = ?)" for _ in bands)
    params = [v for pair in enumerate(bands) for v in pair]
    candidates = {r[0] for r in db.execute(
        f"select distinct article_id from minhash_bands where {clauses}", params)}  # noqa: S608
    candidates.discard(article_id)
    best: Duplicate | None = None
    found: list[tuple[str, str, bytes]] = []
    for chunk, marks in in_chunks(sorted(candidates)):
        found += db.execute(
            "select a.first_seen_at, m.article_id, m.digest "  # noqa: S608 - marks only
            "from article_minhash m join articles a on a.id = m.article_id "
            f"where m.article_id in ({marks}) and a.duplicate_of is null", chunk).fetchall()
    # the earliest of equally similar ones (first seen, then id)
    found.sort(key=lambda r: (r[0] or "", r[1]))
    for (_, cand, _), sim in zip(found, similarities(digest, [r[2] for r in found]),
                                 strict=True):
        if sim >= NEAR_DUP_THRESHOLD and (best is None or sim > best.similarity):
            best = Duplicate(cand, "near", round(sim, 3))
    return best


def index_article(db: Database, article_id: str, digest: bytes | None,
                  original: bool = True) -> None:
    """(Re)index an article's signature: kept for every article, in the band index only for
    an ``original`` (see the module's note). Call inside the article's transaction."""
    db.execute("delete from minhash_bands where article_id = ?", [article_id])
    if digest is None:
        db.execute("delete from article_minhash where article_id = ?", [article_id])
        return
    # prepared statements: this runs for every stored article
    db.execute("insert into article_minhash (article_id, digest) values (?, ?) "
               "on conflict(article_id) do update set digest = excluded.digest",
               [article_id, digest])
    if original:
        db.conn.executemany(
            "insert into minhash_bands (band, hash, article_id) values (?, ?, ?)",
            [(i, h, article_id) for i, h in enumerate(band_hashes(digest))])
