"""Load and validate the source configuration (``sources.toml``).

A config file names the sources to crawl and how to crawl them politely. Loading it
either yields fully validated :class:`Source` objects or raises one :class:`ConfigError`
whose message names the source and the field, so nothing is ever crawled from a bad file.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "sources.toml"
DEFAULT_TIMEZONE = {"id": "Asia/Jakarta"}
LANGS = ("id", "en")
_ENV_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_EVERY = re.compile(r"^(\d+)\s*([smhd])$")


class ConfigError(ValueError):
    """The source configuration is invalid; the message names the place."""


@dataclass(frozen=True)
class ExtractHints:
    """Per-site extraction knowledge: CSS selectors and date hints."""

    body: str | None = None
    """CSS selector of the element holding the article text."""
    title: str | None = None
    """CSS selector of the headline."""
    date: str | None = None
    """CSS selector of the element whose text (or datetime attribute) is the publish date."""
    authors: str | None = None
    """CSS selector matching one element per author name."""
    drop: tuple[str, ...] = ()
    """CSS selectors of parts removed before extraction (share boxes, related posts)."""
    date_order: str | None = None
    """How numeric dates are written on the site: DMY, MDY or YMD."""


@dataclass(frozen=True)
class WholeArticle:
    """How a portal that splits articles over pages offers the whole text."""

    all_in_one: str | None = None
    """The all-in-one view: a query to set (``page=all``, ``single=1``) or a URL template
    with ``{url}`` (the article's page-1 URL)."""
    next: str | None = None
    """CSS selector of the pager's "next page" link, followed when there is no all-in-one view."""
    prefer: str = "all_in_one"
    """Which to use when both are configured: ``all_in_one`` or ``pager``."""
    max_pages: int = 10
    """The pager is never followed past this many pages."""


@dataclass(frozen=True)
class CleanRule:
    """One boilerplate rule: a paragraph matching ``pattern`` is removed."""

    id: str
    pattern: str
    description: str = ""


@dataclass(frozen=True)
class Schedule:
    """When the scheduler runs a source: every N seconds, or a cron expression."""

    every_seconds: int | None = None
    cron: str | None = None


@dataclass(frozen=True)
class Source:
    """One configured news source."""

    name: str
    homepage: str
    lang: str
    timezone: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    article_pattern: str | None = None
    allowed_domains: tuple[str, ...] = ()
    max_age_days: int | None = None
    host_aliases: tuple[str, ...] = ()
    """Other hosts serving the same pages (``m.``, ``amp.``, bare/``www.``): folded into the
    homepage's host when URLs are canonicalised."""
    schedule: Schedule | None = None
    extract: ExtractHints = field(default_factory=ExtractHints)
    clean_rules: tuple[CleanRule, ...] = ()
    clean_keep: tuple[str, ...] = ()
    """Allow-list: paragraphs matching these patterns are never removed as learned boilerplate."""
    pages: WholeArticle | None = None

    def matches_article(self, url: str) -> bool:
        """True when ``url`` looks like one of this source's article URLs."""
        if self.article_pattern is None:
            return True
        return re.search(self.article_pattern, url) is not None

    @property
    def host_map(self) -> dict[str, str]:
        """Alias host -> the homepage's host."""
        main = (urlsplit(self.homepage).hostname or "").lower()
        return {alias: main for alias in self.host_aliases}

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of this source's domains (or a subdomain)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


@dataclass(frozen=True)
class CrawlSettings:
    """Settings shared by all sources of one config file: politeness, limits, and whether
    the NER model runs on every page."""

    contact: str = "https://github.com/warta-news/warta"
    download_delay: float = 1.0
    concurrency_per_domain: int = 2
    autothrottle: bool = True
    obey_robots: bool = True
    timeout_seconds: int = 30
    max_page_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    recheck_after_hours: float = 24.0
    retry_backoff_seconds: float = 1.0
    entity_model: bool = False
    """Run the spaCy NER model on every stored page, besides the gazetteer, patterns and cues
    (finds names they do not know; adds ~16% to the CPU per page of a demo crawl, more for
    long texts)."""


@dataclass(frozen=True)
class StorySettings:
    """Story upkeep that ``schedule.py`` runs (``[stories]``)."""

    recluster: Schedule | None = None
    """When to run ``warta recluster --since RECLUSTER_SINCE`` (None: never), which
    rebuilds recent stories whatever order their articles arrived in."""
    recluster_since: str = "3d"
    """How far back each scheduled recluster reaches: 12h, 3d, 2w (stories going on
    after that are rebuilt whole)."""


@dataclass(frozen=True)
class Config:
    """A loaded config file: crawl settings plus sources by name."""

    path: Path
    crawl: CrawlSettings
    sources: dict[str, Source]
    stories: StorySettings = field(default_factory=StorySettings)

    def select(self, names: list[str] | tuple[str, ...] = ()) -> list[Source]:
        """The named sources (all when none are named); unknown names are an error."""
        if not names:
            return list(self.sources.values())
        unknown = [n for n in names if n not in self.sources]
        if unknown:
            raise ConfigError(
                f"{self.path.name}: unknown source(s) {', '.join(unknown)}; "
                f"configured: {', '.join(self.sources)}"
            )
        return [self.sources[n] for n in names]


_SOURCE_KEYS = {
    "homepage", "lang", "timezone", "feeds", "sitemaps", "listings", "article_pattern",
    "allowed_domains", "max_age_days", "schedule", "extract", "clean", "host_aliases", "pages",
}
_EXTRACT_KEYS = {"body", "title", "date", "authors", "drop", "date_order"}
_CRAWL_KEYS = {f for f in CrawlSettings.__dataclass_fields__}
_STORY_KEYS = {f for f in StorySettings.__dataclass_fields__}
_SINCE = re.compile(r"^[1-9]\d*[hdw]$")


def config_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The config file to use: the argument, else ``$WARTA_SOURCES``, else the repo default."""
    if path:
        return Path(path)
    if os.environ.get("WARTA_SOURCES"):
        return Path(os.environ["WARTA_SOURCES"])
    return DEFAULT_CONFIG


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate a config file; raise :class:`ConfigError` on any problem."""
    p = config_path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p.name}: not valid TOML: {exc}") from None
    return parse_config(data, p)


def parse_config(data: Mapping[str, Any], path: Path = Path("sources.toml")) -> Config:
    """Validate an already-parsed config mapping."""
    where = path.name
    unknown = set(data) - {"crawl", "sources", "stories"}
    if unknown:
        raise ConfigError(f"{where}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    crawl = _parse_crawl(data.get("crawl", {}), where)
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, Mapping) or not raw_sources:
        raise ConfigError(f"{where}: no [sources.NAME] tables")
    sources = {name: _parse_source(name, raw, where) for name, raw in raw_sources.items()}
    stories = _parse_stories(data.get("stories", {}), where)
    return Config(path=path, crawl=crawl, sources=sources, stories=stories)


def _check_table(raw: Any, where: str, name: str, keys: Any) -> None:
    """``[name]`` must be a table holding only ``keys``."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: [{name}] must be a table")
    unknown = set(raw) - set(keys)
    if unknown:
        raise ConfigError(f"{where}: [{name}] unknown key(s): {', '.join(sorted(unknown))}")


def _parse_stories(raw: Any, where: str) -> StorySettings:
    _check_table(raw, where, "stories", _STORY_KEYS)
    since = str(_expand(raw.get("recluster_since", "3d"), f"{where}: [stories]")).strip()
    if not _SINCE.match(since):
        raise ConfigError(f"{where}: [stories] field 'recluster_since' must look like 12h, "
                          f"3d or 2w, got {since!r}")
    return StorySettings(
        recluster=_parse_schedule(raw.get("recluster"), f"{where}: [stories]", "recluster"),
        recluster_since=since)


def _parse_crawl(raw: Any, where: str) -> CrawlSettings:
    _check_table(raw, where, "crawl", _CRAWL_KEYS)
    values = {k: _expand(v, f"{where}: [crawl] field '{k}'") for k, v in raw.items()}
    if "contact" in values:
        _check_url(values["contact"], f"{where}: [crawl] field 'contact'")
    defaults = CrawlSettings()
    for key, value in values.items():
        expected = type(getattr(defaults, key))
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or isinstance(value, bool) != (expected is bool):
            raise ConfigError(
                f"{where}: [crawl] field '{key}': expected {expected.__name__}, got {value!r}"
            )
    return CrawlSettings(**values)


def _parse_source(name: str, raw: Any, where: str) -> Source:
    ctx = f"{where}: source '{name}'"
    if not _NAME.match(name):
        raise ConfigError(f"{ctx}: name must be lower-case letters, digits, '-' or '_'")
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{ctx}: must be a table")
    unknown = set(raw) - _SOURCE_KEYS
    if unknown:
        raise ConfigError(f"{ctx}: unknown field(s): {', '.join(sorted(unknown))}")

    def text(key: str, required: bool = False) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                raise ConfigError(f"{ctx}: field '{key}' is required")
            return None
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{ctx}: field '{key}' must be a non-empty string")
        return _expand(value, f"{ctx} field '{key}'")

    def urls(key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise ConfigError(f"{ctx}: field '{key}' must be a list of URLs")
        out = []
        for i, item in enumerate(value):
            label = f"{ctx} field '{key}[{i}]'"
            if not isinstance(item, str):
                raise ConfigError(f"{label}: must be a string")
            out.append(_check_url(_expand(item, label), label))
        return tuple(out)

    homepage = _check_url(text("homepage", required=True) or "", f"{ctx} field 'homepage'")
    lang = text("lang", required=True)
    if lang not in LANGS:
        raise ConfigError(f"{ctx}: field 'lang' must be one of {', '.join(LANGS)}, got {lang!r}")
    tz = text("timezone") or DEFAULT_TIMEZONE.get(lang, "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{ctx}: field 'timezone': unknown time zone {tz!r}") from None
    feeds, sitemaps, listings = urls("feeds"), urls("sitemaps"), urls("listings")
    if not (feeds or sitemaps or listings):
        raise ConfigError(f"{ctx}: needs at least one of 'feeds', 'sitemaps', 'listings'")
    pattern = text("article_pattern")
    if pattern is not None:
        _check_regex(pattern, f"{ctx} field 'article_pattern'")
    if listings and pattern is None:
        raise ConfigError(f"{ctx}: field 'article_pattern' is required when 'listings' is set")
    domains = raw.get("allowed_domains")
    if domains is None:
        domains = [urlsplit(homepage).hostname or ""]
    if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
        raise ConfigError(f"{ctx}: field 'allowed_domains' must be a list of host names")
    aliases = raw.get("host_aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise ConfigError(f"{ctx}: field 'host_aliases' must be a list of host names")
    max_age = raw.get("max_age_days")
    if max_age is not None and (not isinstance(max_age, int) or isinstance(max_age, bool)
                                or max_age < 1):
        raise ConfigError(f"{ctx}: field 'max_age_days' must be a positive integer")
    return Source(
        name=name,
        homepage=homepage,
        lang=lang,
        timezone=tz,
        feeds=feeds,
        sitemaps=sitemaps,
        listings=listings,
        article_pattern=pattern,
        allowed_domains=tuple(d.lower().removeprefix("www.") for d in domains),
        max_age_days=max_age,
        host_aliases=tuple(a.lower() for a in aliases),
        schedule=_parse_schedule(raw.get("schedule"), ctx),
        extract=_parse_extract(raw.get("extract", {}), ctx),
        clean_rules=_parse_rules(raw.get("clean", {}), ctx),
        clean_keep=_parse_keep(raw.get("clean", {}), ctx),
        pages=_parse_pages(raw.get("pages"), ctx),
    )


def _parse_pages(raw: Any, ctx: str) -> WholeArticle | None:
    if raw is None:
        return None
    label = f"{ctx} field 'pages'"
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{label}: must be a table")
    unknown = set(raw) - {"all_in_one", "next", "prefer", "max_pages"}
    if unknown:
        raise ConfigError(f"{label} has unknown key(s): {', '.join(sorted(unknown))}")
    all_in_one, nxt = raw.get("all_in_one"), raw.get("next")
    if all_in_one is None and nxt is None:
        raise ConfigError(f"{label}: needs 'all_in_one' or 'next'")
    if all_in_one is not None and (not isinstance(all_in_one, str) or
                                   ("{url}" not in all_in_one and "=" not in all_in_one)):
        raise ConfigError(f"{label}.all_in_one: a query like 'page=all' or a template with "
                          f"{{url}}, got {all_in_one!r}")
    if nxt is not None:
        from lxml.cssselect import CSSSelector, SelectorSyntaxError

        try:
            CSSSelector(nxt)
        except (SelectorSyntaxError, ValueError, TypeError) as exc:
            raise ConfigError(f"{label}.next: bad CSS selector {nxt!r}: {exc}") from None
    prefer = raw.get("prefer", "all_in_one")
    if prefer not in ("all_in_one", "pager"):
        raise ConfigError(f"{label}.prefer: must be 'all_in_one' or 'pager'")
    max_pages = raw.get("max_pages", 10)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or not 2 <= max_pages <= 50:
        raise ConfigError(f"{label}.max_pages: an integer from 2 to 50")
    return WholeArticle(all_in_one, nxt, prefer, max_pages)


def _parse_extract(raw: Any, ctx: str) -> ExtractHints:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{ctx}: field 'extract' must be a table")
    unknown = set(raw) - _EXTRACT_KEYS
    if unknown:
        raise ConfigError(
            f"{ctx}: field 'extract' has unknown key(s): {', '.join(sorted(unknown))}")
    from lxml.cssselect import CSSSelector, SelectorSyntaxError

    values: dict[str, Any] = {}
    for key, value in raw.items():
        label = f"{ctx} field 'extract.{key}'"
        if key == "date_order":
            if value not in ("DMY", "MDY", "YMD"):
                raise ConfigError(f"{label}: must be DMY, MDY or YMD")
            values[key] = value
            continue
        selectors = value if key == "drop" else [value]
        if not isinstance(selectors, list) or not all(isinstance(s, str) for s in selectors):
            raise ConfigError(f"{label}: must be a CSS selector string" + (
                "s list" if key == "drop" else ""))
        for sel in selectors:
            try:
                CSSSelector(sel)
            except (SelectorSyntaxError, ValueError) as exc:
                raise ConfigError(f"{label}: bad CSS selector {sel!r}: {exc}") from None
        values[key] = tuple(selectors) if key == "drop" else value
    return ExtractHints(**values)


def _parse_rules(raw: Any, ctx: str) -> tuple[CleanRule, ...]:
    if not isinstance(raw, Mapping) or set(raw) - {"rules", "keep"}:
        raise ConfigError(f"{ctx}: field 'clean' must be a table with 'rules' and/or 'keep'")
    return parse_rules(raw.get("rules", []), f"{ctx} field 'clean.rules'")


def _parse_keep(raw: Any, ctx: str) -> tuple[str, ...]:
    keep = raw.get("keep", []) if isinstance(raw, Mapping) else []
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise ConfigError(f"{ctx} field 'clean.keep': must be a list of patterns")
    for i, k in enumerate(keep):
        _check_regex(k, f"{ctx} field 'clean.keep[{i}]'")
    return tuple(keep)


def parse_rules(raw: Any, ctx: str) -> tuple[CleanRule, ...]:
    """Validate a list of boilerplate rule tables (``id``, ``pattern``, ``description``)."""
    if not isinstance(raw, list):
        raise ConfigError(f"{ctx}: must be a list of rule tables")
    rules, seen = [], set()
    for i, item in enumerate(raw):
        label = f"{ctx}[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(f"{label}: must be a table")
        unknown = set(item) - {"id", "pattern", "description"}
        if unknown:
            raise ConfigError(f"{label}: unknown key(s): {', '.join(sorted(unknown))}")
        rid, pattern = item.get("id"), item.get("pattern")
        if not isinstance(rid, str) or not rid:
            raise ConfigError(f"{label}: 'id' is required")
        if rid in seen:
            raise ConfigError(f"{label}: duplicate rule id {rid!r}")
        seen.add(rid)
        if not isinstance(pattern, str) or not pattern:
            raise ConfigError(f"{label} (rule {rid!r}): 'pattern' is required")
        _check_regex(pattern, f"{label} (rule {rid!r}) 'pattern'")
        rules.append(CleanRule(rid, pattern, str(item.get("description", ""))))
    return tuple(rules)


def _parse_schedule(raw: Any, ctx: str, key: str = "schedule") -> Schedule | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or len(raw) != 1 or set(raw) - {"every", "cron"}:
        raise ConfigError(f"{ctx}: field '{key}' must be {{ every = \"30m\" }} or "
                          f"{{ cron = \"*/30 * * * *\" }}")
    if "every" in raw:
        m = _EVERY.match(str(raw["every"]).strip())
        if not m or int(m.group(1)) == 0:
            raise ConfigError(f"{ctx}: field '{key}.every' must look like 45s, 30m, 6h or 1d")
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
        return Schedule(every_seconds=int(m.group(1)) * unit)
    cron = str(raw["cron"]).strip()
    if len(cron.split()) != 5:
        raise ConfigError(f"{ctx}: field '{key}.cron' must have five fields, got {cron!r}")
    return Schedule(cron=cron)


def _expand(value: Any, label: str) -> Any:
    """Replace ``${VAR}`` references in strings with environment values."""
    if not isinstance(value, str):
        return value

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in os.environ:
            raise ConfigError(f"{label}: environment variable {m.group(1)} is not set")
        return os.environ[m.group(1)]

    return _ENV_REF.sub(sub, value)


def _check_url(value: Any, label: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{label}: must be a URL string")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{label}: not an http(s) URL: {value!r}")
    return value


def _check_regex(pattern: str, label: str) -> None:
    import regex  # rules run on the `regex` engine (timeouts); validate with it

    try:
        re.compile(pattern)
        regex.compile(pattern)
    except (re.error, regex.error) as exc:
        raise ConfigError(f"{label}: bad regular expression {pattern!r}: {exc}") from None


_loaded: dict[Path, Config] = {}


def sources_from_settings(settings: Any) -> dict[str, Source]:
    """The sources of the config file named by the ``WARTA_CONFIG`` setting (loaded once)."""
    path = config_path(settings.get("WARTA_CONFIG"))
    if path not in _loaded:
        _loaded[path] = load_config(path)
    return _loaded[path].sources
