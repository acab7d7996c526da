"""Learned boilerplate: paragraphs that repeat across many of a source's recent pages.

A template's footer or a recurring promo that no rule names shows up as the same paragraph
on a large share of a source's articles. It is learned from the archive with safeguards
(enough pages, a minimum share, never a page's title or lead, a per-source allow-list) and
kept in ``learned_boilerplate``, so the next crawl and ``warta reprocess`` remove it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

from sqlite_utils import Database

from storage.archive import now_iso
from warta.text import line_key

WINDOW = 200
"""How many of a source's most recent articles are compared."""
MIN_PAGES = 5
MIN_SHARE = 0.3
MAX_LINE_CHARS = 300
"""Longer paragraphs are prose; a repeated one is a duplicate article, not boilerplate."""


def _hash(text: str) -> str:
    return hashlib.sha1(line_key(text).encode("utf-8")).hexdigest()[:16]  # noqa: S324


def learn_boilerplate(db: Database, source: str, *, keep: tuple[str, ...] = (),
                      window: int = WINDOW, min_pages: int = MIN_PAGES,
                      min_share: float = MIN_SHARE) -> list[dict]:
    """Recompute the source's learned lines from its recent articles and store them."""
    rows = list(db.query(
        """select title, body, removed from articles where source = ? and duplicate_of is null
           order by coalesce(published_at, fetched_at) desc limit ?""", [source, window]))
    learned: list[dict] = []
    if len(rows) >= min_pages:
        counts: Counter[str] = Counter()
        protected: set[str] = set()
        sample: dict[str, str] = {}
        for row in rows:
            paragraphs = [p for p in (row["body"] or "").split("\n\n") if p]
            # lines already removed as learned boilerplate still count, or they would flip-flop
            paragraphs += [r["text"] for r in json.loads(row["removed"] or "[]")
                           if r.get("origin") == "learned"]
            if row["title"]:
                protected.add(line_key(row["title"]))
            body = [p for p in (row["body"] or "").split("\n\n") if p]
            if body:
                protected.add(line_key(body[0]))  # the lead
            for p in {line_key(p): p for p in paragraphs if len(p) <= MAX_LINE_CHARS}.items():
                counts[p[0]] += 1
                sample.setdefault(p[0], p[1])
        allow = [re.compile(k, re.I) for k in keep]
        for key, n in counts.items():
            share = n / len(rows)
            if n < min_pages or share < min_share or key in protected:
                continue
            if any(a.search(sample[key]) for a in allow):
                continue
            learned.append({"source": source, "text_hash": _hash(key), "text": sample[key],
                            "pages": n, "share": round(share, 3)})
    now = now_iso()
    with db.atomic():
        previous = {r["text_hash"]: r["first_learned_at"] for r in db.query(
            "select text_hash, first_learned_at from learned_boilerplate where source = ?",
            [source])}
        db.execute("delete from learned_boilerplate where source = ?", [source])
        for row in learned:
            row["first_learned_at"] = previous.get(row["text_hash"], now)
            row["updated_at"] = now
        if learned:
            db["learned_boilerplate"].insert_all(learned)
    return learned


def learned_lines(db: Database, source: str) -> frozenset[str]:
    """The source's learned boilerplate, as normalised keys for matching."""
    if "learned_boilerplate" not in db.table_names():
        return frozenset()
    return frozenset(line_key(r["text"]) for r in db.query(
        "select text from learned_boilerplate where source = ?", [source]))
