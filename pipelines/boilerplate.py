"""Boilerplate removal by rules kept as data (``pipelines/rules/boilerplate.toml``).

A rule removes a whole paragraph when its pattern matches; every removal is recorded with
the rule's id so ``removed`` is an audit trail of why a line is missing. Sources add rules
of their own in the source config.
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from crawler.items import Article
from warta.config import CleanRule, ConfigError, Source, parse_rules, sources_from_settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

RULES_FILE = Path(__file__).with_name("rules") / "boilerplate.toml"
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_ODD_SPACES = "\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_SPACES = re.compile(rf"[ \t{_ODD_SPACES}]+")
MAX_PARAGRAPH_FOR_RULES = 600
"""Longer paragraphs are article prose; rules are not run on them (also bounds regex time)."""
RULE_TIMEOUT_SECONDS = 0.05
"""A rule that takes longer than this on one paragraph (catastrophic backtracking) is
treated as not matching, and logged, so a bad pattern cannot hang a crawl."""
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to match: its origin (``global`` or ``source``), id and regex."""

    origin: str
    id: str
    regex: regex.Pattern[str]


@lru_cache(maxsize=4)
def global_rules(path: Path = RULES_FILE) -> tuple[CleanRule, ...]:
    """The global rules file, validated (a bad pattern names its rule)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: not valid TOML: {exc}") from None
    if set(data) - {"rules"}:
        raise ConfigError(f"{path.name}: only [[rules]] tables are allowed")
    return parse_rules(data.get("rules", []), f"{path.name} rules")


def normalize_text(text: str) -> str:
    """NFC, no invisible characters, one space between words."""
    # Most paragraphs hold nothing to change: a few substring scans tell, and cost less
    # than the regex's (and translate()'s) character-by-character pass over every paragraph.
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if any(c in text for c in _INVISIBLE_CHARS):
            text = text.translate(_INVISIBLE)
        if any(c in text for c in _ODD_SPACES):
            return _SPACES.sub(" ", text).strip()
    return (_SPACES.sub(" ", text) if "  " in text or "\t" in text else text).strip()


class Cleaner:
    """Applies global rules, per-source rules and learned lines to an article's paragraphs.

    ``learned`` holds the source's learned boilerplate (normalised, case-folded); ``keep``
    is the source's allow-list: a paragraph matching one of its patterns is never removed
    as learned boilerplate.
    """

    def __init__(self, source_rules: tuple[CleanRule, ...] = (), *,
                 learned: frozenset[str] = frozenset(), keep: tuple[str, ...] = (),
                 rules_file: Path = RULES_FILE) -> None:
        self.rules = [
            *(CompiledRule("global", r.id, regex.compile(r.pattern, regex.I)) for r in
              global_rules(rules_file)),
            *(CompiledRule("source", r.id, regex.compile(r.pattern, regex.I))
              for r in source_rules),
        ]
        self.learned = learned
        self.keep = [regex.compile(k, regex.I) for k in keep]
        self._timed_out: set[str] = set()
        self._any = _any_of(self.rules)

    def clean(
        self, paragraphs: list[str], *, title: str | None = None
    ) -> tuple[list[str], list[dict[str, str]]]:
        """Split paragraphs into (kept, removed); each removal names its rule."""
        kept: list[str] = []
        removed: list[dict[str, str]] = []
        title_key = normalize_text(title).casefold() if title else None
        position = 0  # index in the cleaned-up input, so the original can be rebuilt
        for raw in paragraphs:
            text = normalize_text(raw)
            if not text:
                continue
            at = position
            position += 1
            if title_key and text.casefold() == title_key and not kept:
                removed.append({"text": text, "rule": "title-repeat", "origin": "global", "at": at})
                continue
            rule = self.match(text)
            if rule is not None:
                removed.append({"text": text, "rule": rule.id, "origin": rule.origin, "at": at})
                continue
            if (self.learned and text.casefold() in self.learned and text.casefold() != title_key
                    and not any(k.search(text) for k in self.keep)):
                removed.append({"text": text, "rule": "repeated-line", "origin": "learned",
                                "at": at})
                continue
            kept.append(text)
        return kept, removed

    def match(self, text: str) -> CompiledRule | None:
        """The first rule that matches a paragraph, or None."""
        if len(text) > MAX_PARAGRAPH_FOR_RULES:
            return None
        if self._any is not None:  # most paragraphs match no rule: one search tells
            try:
                if not self._any.search(text, timeout=RULE_TIMEOUT_SECONDS):
                    return None
            except TimeoutError:
                pass  # the rules one by one find (and log) the slow one
        for rule in self.rules:
            try:
                if rule.regex.search(text, timeout=RULE_TIMEOUT_SECONDS):
                    return rule
            except TimeoutError:
                if rule.id not in self._timed_out:
                    self._timed_out.add(rule.id)
                    logger.warning("boilerplate rule %r timed out (catastrophic pattern?); "
                                   "treated as no match", rule.id)
        return None


_NOT_JOINABLE = re.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?\(|\(\?[a-zA-Z0-9^-]+\)")
"""Back-references and conditionals (they name a pattern's own groups, numbered differently
once it is one alternative among others) and global inline flags ("(?x)" would apply to
every alternative)."""


def _any_of(rules: list[CompiledRule]) -> regex.Pattern[str] | None:
    """One pattern that matches where any rule matches (the rules joined as alternatives),
    or None when they cannot be joined safely."""
    if not rules or any(_NOT_JOINABLE.search(r.regex.pattern) for r in rules):
        return None
    try:
        return regex.compile("|".join(f"(?:{r.regex.pattern})" for r in rules), regex.I)
    except (regex.error, ValueError):  # e.g. a rule's inline flags, legal only at its start
        return None


@lru_cache(maxsize=64)
def cleaner_for(source_rules: tuple[CleanRule, ...] = (), learned: frozenset[str] = frozenset(),
                keep: tuple[str, ...] = ()) -> Cleaner:
    """One compiled cleaner per distinct rule set."""
    return Cleaner(source_rules, learned=learned, keep=keep)


def original_paragraphs(body: str, removed: list[dict[str, Any]]) -> list[str]:
    """The paragraphs before cleaning, rebuilt from the body and the audit trail."""
    kept = [p for p in body.split("\n\n") if p]
    placed = sorted((r for r in removed if "at" in r), key=lambda r: r["at"])
    out: list[str] = []
    for r in placed:
        while len(out) < r["at"] and kept:
            out.append(kept.pop(0))
        out.append(r["text"])
    # lines cut later from a stored body (newly learned boilerplate) have no position: at the
    # end, where cleaning finds them again
    return out + kept + [r["text"] for r in removed if "at" not in r]


def clean_article(article: Article, source: Source | None = None,
                  learned: frozenset[str] = frozenset()) -> Article:
    """Remove boilerplate paragraphs from ``article.body``, recording each removal."""
    cleaner = cleaner_for(source.clean_rules if source else (), learned,
                          source.clean_keep if source else ())
    kept, removed = cleaner.clean(article.body.split("\n\n"), title=article.title)
    article.body = "\n\n".join(kept)
    article.removed = [*article.removed, *removed]
    article.captions = [normalize_text(c) for c in article.captions]
    if article.title:
        article.title = normalize_text(article.title)
    return article


class BoilerplatePipeline:
    """Scrapy item pipeline: cleans each article's body with the global and source rules."""

    def __init__(self, sources: dict[str, Source], stats: StatsCollector | None = None,
                 db_path: str | None = None) -> None:
        self.sources = sources
        self.stats = stats
        self.db_path = db_path
        self.learned: dict[str, frozenset[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        return cls(sources_from_settings(crawler.settings), crawler.stats,
                   crawler.settings.get("WARTA_DB"))

    def open_spider(self) -> None:
        """Load each source's learned boilerplate from the archive (if there is one)."""
        from storage.archive import ArchiveError, open_db
        from storage.boilerplate import learned_lines

        try:
            db = open_db(self.db_path, create=False) if self.db_path else None
        except ArchiveError:
            db = None
        if db is not None:
            self.learned = {name: learned_lines(db, name) for name in self.sources}
            db.close()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        before = len(item.removed)
        clean_article(item, self.sources.get(item.source or ""),
                      self.learned.get(item.source or "", frozenset()))
        if self.stats is not None and len(item.removed) > before:
            self.stats.inc_value("warta/clean/paragraphs_removed", len(item.removed) - before)
        return item


def apply_learned(archive: Any, source: str, learned: frozenset[str]) -> int:
    """Remove newly learned lines from the source's archived articles; return how many
    articles changed. Each change is an ordinary update (a revision is kept)."""
    from pipelines.offline import article_from_row
    from warta.urls import article_id

    if not learned:
        return 0
    changed = 0
    cleaner = Cleaner(learned=learned)
    for row in _source_rows(archive.db, source):
        article = article_from_row(row)
        paragraphs = article.body.split("\n\n")
        if not any(p.casefold() in learned for p in paragraphs):
            continue
        kept, removed = cleaner.clean(paragraphs, title=article.title)
        article.body = "\n\n".join(kept)
        # These removals have no position in the original page (they were cut from the
        # cleaned body), so a clean-only reprocess puts them back at the end, where the
        # learned line is found and removed again.
        article.removed = [*article.removed,
                           *({k: v for k, v in r.items() if k != "at"} for r in removed)]
        record = article.to_dict()
        record["id"] = article_id(article.canonical_url)
        record["body_hash"] = row.get("body_hash")
        archive.store_article(record)
        changed += 1
    return changed


def _source_rows(db: Any, source: str, batch: int = 500) -> Iterator[dict[str, Any]]:
    """The source's archived articles, whole, read a batch at a time (a source may hold
    hundreds of thousands; the caller writes between batches)."""
    from storage.sql import rows_by_number

    numbers = [r[0] for r in db.execute(
        "select rowid from articles where source = ? order by rowid", [source])]
    for start in range(0, len(numbers), batch):
        yield from rows_by_number(db, "*", numbers[start:start + batch])
