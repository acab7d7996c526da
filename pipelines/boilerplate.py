"""Boilerplate removal by rules kept as data (``pipelines/rules/boilerplate.toml``).

A rule removes a whole paragraph when its pattern matches; every removal is recorded with
the rule's id so ``removed`` is an audit trail of why a line is missing. Sources add rules
of their own in the source config.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.items import Article
from warta.config import CleanRule, ConfigError, Source, parse_rules, sources_from_settings

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

RULES_FILE = Path(__file__).with_name("rules") / "boilerplate.toml"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
MAX_PARAGRAPH_FOR_RULES = 600
"""Longer paragraphs are article prose; rules are not run on them (also bounds regex time)."""


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to match: its origin (``global`` or ``source``), id and regex."""

    origin: str
    id: str
    regex: re.Pattern[str]


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
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


class Cleaner:
    """Applies global plus per-source rules to an article's paragraphs."""

    def __init__(self, source_rules: tuple[CleanRule, ...] = (), *,
                 rules_file: Path = RULES_FILE) -> None:
        self.rules = [
            *(CompiledRule("global", r.id, re.compile(r.pattern, re.I)) for r in
              global_rules(rules_file)),
            *(CompiledRule("source", r.id, re.compile(r.pattern, re.I)) for r in source_rules),
        ]

    def clean(
        self, paragraphs: list[str], *, title: str | None = None
    ) -> tuple[list[str], list[dict[str, str]]]:
        """Split paragraphs into (kept, removed); each removal names its rule."""
        kept: list[str] = []
        removed: list[dict[str, str]] = []
        title_key = normalize_text(title).casefold() if title else None
        for raw in paragraphs:
            text = normalize_text(raw)
            if not text:
                continue
            if title_key and text.casefold() == title_key and not kept:
                removed.append({"text": text, "rule": "title-repeat", "origin": "global"})
                continue
            rule = self.match(text)
            if rule is not None:
                removed.append({"text": text, "rule": rule.id, "origin": rule.origin})
                continue
            kept.append(text)
        return kept, removed

    def match(self, text: str) -> CompiledRule | None:
        """The first rule that matches a paragraph, or None."""
        if len(text) > MAX_PARAGRAPH_FOR_RULES:
            return None
        for rule in self.rules:
            if rule.regex.search(text):
                return rule
        return None


@lru_cache(maxsize=64)
def cleaner_for(source_rules: tuple[CleanRule, ...] = ()) -> Cleaner:
    """One compiled cleaner per distinct rule set."""
    return Cleaner(source_rules)


def clean_article(article: Article, source: Source | None = None) -> Article:
    """Remove boilerplate paragraphs from ``article.body``, recording each removal."""
    cleaner = cleaner_for(source.clean_rules if source else ())
    kept, removed = cleaner.clean(article.body.split("\n\n"), title=article.title)
    article.body = "\n\n".join(kept)
    article.removed = [*article.removed, *removed]
    article.captions = [normalize_text(c) for c in article.captions]
    if article.title:
        article.title = normalize_text(article.title)
    return article


class BoilerplatePipeline:
    """Scrapy item pipeline: cleans each article's body with the global and source rules."""

    def __init__(self, sources: dict[str, Source], stats: StatsCollector | None = None) -> None:
        self.sources = sources
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        return cls(sources_from_settings(crawler.settings), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        before = len(item.removed)
        clean_article(item, self.sources.get(item.source or ""))
        if self.stats is not None and len(item.removed) > before:
            self.stats.inc_value("warta/clean/paragraphs_removed", len(item.removed) - before)
        return item
