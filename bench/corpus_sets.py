"""Loaders for the shared evaluation corpus: every set becomes a stream of uniform :class:`Case`.

The corpus lives outside the repository at ``<repo>/../shared/corpus`` and is read in place
(never copied into the repo). Each loader lists its pages sorted by id, then reads the HTML of
only the pages asked for, so a subset costs no more I/O than its size. When the corpus is absent
every loader logs one clear warning and yields nothing.

Sets and what they give (see ``bench/README.md`` for the scoring conventions):

* ``fundus``: title, body (summary + section headlines and paragraphs), publishing date with
  time zone, authors.
* ``trafilatura_eval``: ``with``/``without`` snippets; title, author, date where annotated.
* ``htmldate_eval``: publication day only.
* ``newspaper4k``: body text, title, publication date (authors are newspaper's own noisy output
  and are not scored).
* ``goose3``: expected text *prefix* (scored as a ``with`` snippet), title, date, authors.

:func:`gate_cases` is the fixed, deterministic subset the quality gate test runs on.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

SET_NAMES: tuple[str, ...] = (
    "fundus", "trafilatura_eval", "htmldate_eval", "newspaper4k", "goose3",
)

GATE_STRIDE: dict[str, int] = {
    "fundus": 2,
    "trafilatura_eval": 4,
    "htmldate_eval": 4,
    "newspaper4k": 1,
    "goose3": 1,
}
"""Gate subset: every k-th page by sorted id (index % k == 0), per set."""


@dataclass(frozen=True, slots=True)
class Case:
    """One page with what a correct extraction should give; ``None`` means "not annotated"."""

    set: str
    id: str
    html_bytes: bytes
    url: str
    expected_title: str | None = None
    expected_body: str | None = None
    expected_date: date | None = None
    expected_authors: list[str] | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    expected_datetime: datetime | None = None
    """Full timestamp when the set gives one with a UTC offset (fundus, goose3)."""
    fetched_at: str | None = None
    """When the page was crawled (ISO-8601 UTC), where known; anchors relative dates."""


@dataclass(frozen=True, slots=True)
class _Entry:
    """A page known by id whose :class:`Case` is built (and its HTML read) only on demand."""

    id: str
    build: Callable[[], Case]


# --- small helpers -------------------------------------------------------------------------


def corpus_root(root: Path | None = None) -> Path | None:
    """The corpus folder, or None (with a warning) when it is absent."""
    path = root or CORPUS
    if path.is_dir():
        return path
    log.warning("corpus not found at %s: no cases (real pages are kept outside the repo)", path)
    return None


def _read(path: Path) -> bytes:
    """Raw bytes of a page, gunzipped when the name ends in .gz."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _load_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def _nonempty(value: object) -> str | None:
    """A stripped string, or None for missing/empty values."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_expected_datetime(raw: object) -> tuple[date | None, datetime | None]:
    """Day as written (publisher's local day) and, when the text has an offset, the aware time."""
    text = _nonempty(raw)
    if text is None:
        return None, None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return _loose_day(text), None
    return parsed.date(), (parsed if parsed.tzinfo else None)


def _loose_day(text: str) -> date | None:
    """Day from hand-typed annotations such as '2022-01.26', '2022-11-1' or '2022-29-11'."""
    match = re.match(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", text)
    if not match:
        return None
    year, month, day = map(int, match.groups())
    if month > 12 >= day:  # year-day-month typo
        month, day = day, month
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _page_url(key: str, html: bytes, case_id: str) -> str:
    """The annotation's URL key when it is one ('hard::x.html' and 'xhttps://...' are not),
    else the page's canonical link, else a placeholder."""
    if key.startswith(("http://", "https://")):
        return key
    return _canonical_url(html, f"https://example.invalid/{case_id}")


def _canonical_url(html: bytes, fallback: str) -> str:
    """The page's canonical or og:url link, else ``fallback``."""
    head = html[:200_000].decode("utf-8", errors="replace")
    for pattern in (r'<link[^>]+rel=["\']canonical["\'][^>]*href=["\']([^"\']+)',
                    r'<meta[^>]+property=["\']og:url["\'][^>]*content=["\']([^"\']+)'):
        match = re.search(pattern, head, re.IGNORECASE)
        if match and match.group(1).startswith("http"):
            return match.group(1)
    return fallback


# --- fundus --------------------------------------------------------------------------------


def _fundus_body(body: dict) -> str:
    """Fundus article text: summary, then each section's headline and paragraphs."""
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _crawl_time(raw: object) -> str | None:
    """fundus ``crawl_date`` ('2023-04-28 20:32:23.148171', UTC) as ISO-8601 with offset."""
    text = _nonempty(raw)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).isoformat()


def _fundus_case(path: Path, case_id: str, expected: dict, meta: dict) -> Case:
    day, when = parse_expected_datetime(expected.get("publishing_date"))
    authors = expected.get("authors")
    return Case(
        set="fundus", id=case_id, html_bytes=_read(path),
        url=meta.get("url") or f"https://example.invalid/{case_id}",
        fetched_at=_crawl_time(meta.get("crawl_date")),
        expected_title=_nonempty(expected.get("title")),
        expected_body=_fundus_body(expected.get("body") or {}) or None,
        expected_date=day, expected_datetime=when,
        expected_authors=list(authors) if isinstance(authors, list) else None,
    )


def _fundus_publisher(spec: Path, meta: dict) -> list[_Entry]:
    """Pages of one publisher, matched to parser versions in date order (the file's order)."""
    versions = list(_load_json(spec).values())  # type: ignore[union-attr]
    pattern = re.compile(re.escape(spec.stem) + r"_\d{4}_\d{2}_\d{2}\.html\.gz")
    pages = sorted(p for p in spec.parent.iterdir() if pattern.fullmatch(p.name))
    if len(pages) != len(versions):
        log.warning("fundus %s: %d pages for %d versions, skipped", spec, len(pages), len(versions))
        return []
    entries = []
    for page, expected in zip(pages, versions, strict=True):
        case_id = f"{spec.parent.name}/{page.name.removesuffix('.html.gz')}"
        info = meta.get(page.name) or {}
        entries.append(_Entry(case_id, lambda p=page, i=case_id, e=expected, m=info:
                              _fundus_case(p, i, e, m)))
    return entries


def _fundus_entries(root: Path) -> list[_Entry]:
    entries: list[_Entry] = []
    for country in sorted(p for p in (root / "fundus").iterdir() if p.is_dir()):
        meta_path = country / "meta.info"
        meta = _load_json(meta_path) if meta_path.is_file() else {}
        for spec in sorted(country.glob("*.json")):
            entries += _fundus_publisher(spec, meta)  # type: ignore[arg-type]
    return entries


# --- trafilatura_eval and htmldate_eval ----------------------------------------------------


def _eval_file(base: Path, name: str) -> Path | None:
    for sub in ("eval", "cache"):
        for candidate in (base / sub / f"{name}.gz", base / sub / name):
            if candidate.is_file():
                return candidate
    return None


def _split_names(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    return [n for n in re.split(r"\s*(?:;|,|&|\band\b|\bund\b)\s*", raw) if n.strip()] or None


def _trafilatura_case(path: Path, key: str, item: dict) -> Case:
    day, when = parse_expected_datetime(item.get("date"))
    html = _read(path)
    return Case(
        set="trafilatura_eval", id=item["file"], html_bytes=html,
        url=_page_url(key, html, item["file"]),
        expected_title=_nonempty(item.get("title")),
        expected_date=day, expected_datetime=when,
        expected_authors=_split_names(_nonempty(item.get("author"))),
        with_snippets=list(item.get("with") or []),
        without_snippets=list(item.get("without") or []),
    )


def _trafilatura_entries(root: Path) -> list[_Entry]:
    base = root / "trafilatura_eval"
    data: dict = _load_json(base / "evaldata.json")  # type: ignore[assignment]
    entries = []
    for url, item in data.items():
        path = _eval_file(base, item["file"])
        if path is None:
            log.warning("trafilatura_eval: %s missing, skipped", item["file"])
            continue
        entries.append(_Entry(item["file"], lambda p=path, u=url, i=item:
                              _trafilatura_case(p, u, i)))
    return entries


def _htmldate_case(path: Path, key: str, case_id: str, day: date | None) -> Case:
    html = _read(path)
    return Case(set="htmldate_eval", id=case_id, html_bytes=html,
                url=_page_url(key, html, case_id), expected_date=day)


def _htmldate_entries(root: Path) -> list[_Entry]:
    base = root / "htmldate_eval"
    data: dict = _load_json(base / "eval_default.json")  # type: ignore[assignment]
    entries = []
    for url, item in data.items():
        path = _eval_file(base, item["file"])
        if path is None:
            log.warning("htmldate_eval: %s missing, skipped", item["file"])
            continue
        day, _ = parse_expected_datetime(item.get("date"))
        entries.append(_Entry(item["file"], lambda p=path, u=url, i=item["file"], d=day:
                              _htmldate_case(p, u, i, d)))
    return entries


# --- newspaper4k ---------------------------------------------------------------------------


def _newspaper_case(base: Path, stem: str) -> Case:
    html = _read(base / "html" / f"{stem}.html")
    meta_path, txt_path = base / "metadata" / f"{stem}.json", base / "txt" / f"{stem}.txt"
    meta: dict = _load_json(meta_path) if meta_path.is_file() else {}  # type: ignore[assignment]
    day, when = parse_expected_datetime(meta.get("publish_date"))
    url = _nonempty(meta.get("url")) or _canonical_url(html, f"https://example.invalid/{stem}")
    body = txt_path.read_text(encoding="utf-8").strip() if txt_path.is_file() else None
    return Case(
        set="newspaper4k", id=stem, html_bytes=html, url=url,
        expected_title=_nonempty(meta.get("title")), expected_body=body or None,
        expected_date=day, expected_datetime=when,
    )


def _newspaper_entries(root: Path) -> list[_Entry]:
    """Pages with an expected body or metadata; homepages and redirects have neither."""
    base = root / "newspaper4k"
    stems = sorted(p.stem for p in (base / "html").glob("*.html")
                   if (base / "metadata" / f"{p.stem}.json").is_file()
                   or (base / "txt" / f"{p.stem}.txt").is_file())
    return [_Entry(s, lambda s=s: _newspaper_case(base, s)) for s in stems]


# --- goose3 --------------------------------------------------------------------------------

GOOSE_FOLDERS = ("content", "authors", "publishdate", "reportagenewsarticle", "title")
"""goose3 test folders about fields warta extracts (images, videos, tags... are not)."""


def _goose_case(html_path: Path, case_id: str, spec: dict) -> Case:
    expected = spec.get("expected") or {}
    day, when = parse_expected_datetime(expected.get("publish_date"))
    prefix = _nonempty(expected.get("cleaned_text"))
    authors = expected.get("authors")
    return Case(
        set="goose3", id=case_id, html_bytes=_read(html_path),
        url=_nonempty(spec.get("url")) or f"https://example.invalid/{case_id}",
        expected_title=_nonempty(expected.get("title")),
        expected_date=day, expected_datetime=when,
        expected_authors=list(authors) if isinstance(authors, list) else None,
        with_snippets=[prefix] if prefix else [],
    )


def _goose_entries(root: Path) -> list[_Entry]:
    entries = []
    for folder in GOOSE_FOLDERS:
        for spec_path in sorted((root / "goose3" / folder).glob("*.json")):
            html_path = spec_path.with_suffix(".html")
            spec: dict = _load_json(spec_path)  # type: ignore[assignment]
            expected = spec.get("expected")
            if not html_path.is_file() or not isinstance(expected, dict):
                continue
            case_id = f"{folder}/{spec_path.stem}"
            entries.append(_Entry(case_id, lambda h=html_path, i=case_id, s=spec:
                                  _goose_case(h, i, s)))
    return entries


# --- public API ----------------------------------------------------------------------------

_ENTRIES: dict[str, Callable[[Path], list[_Entry]]] = {
    "fundus": _fundus_entries,
    "trafilatura_eval": _trafilatura_entries,
    "htmldate_eval": _htmldate_entries,
    "newspaper4k": _newspaper_entries,
    "goose3": _goose_entries,
}


def list_ids(set_name: str, root: Path | None = None) -> list[str]:
    """Sorted ids of a set's pages (empty when the corpus is absent)."""
    base = corpus_root(root)
    return [e.id for e in _sorted_entries(set_name, base)] if base else []


def _sorted_entries(set_name: str, base: Path) -> list[_Entry]:
    if set_name not in _ENTRIES:
        raise KeyError(f"unknown set {set_name!r}; known: {', '.join(SET_NAMES)}")
    return sorted(_ENTRIES[set_name](base), key=lambda e: e.id)


def load_set(set_name: str, root: Path | None = None, *, limit: int | None = None,
             keep: Callable[[int, str], bool] | None = None) -> Iterator[Case]:
    """Cases of one set in sorted-id order; ``keep(index, id)`` filters before reading HTML."""
    base = corpus_root(root)
    if base is None:
        return
    entries = _sorted_entries(set_name, base)
    chosen = [e for i, e in enumerate(entries) if keep is None or keep(i, e.id)]
    for entry in chosen[:limit] if limit is not None else chosen:
        yield entry.build()


def load_fundus(root: Path | None = None) -> Iterator[Case]:
    """All fundus cases."""
    return load_set("fundus", root)


def load_trafilatura_eval(root: Path | None = None) -> Iterator[Case]:
    """All trafilatura_eval cases."""
    return load_set("trafilatura_eval", root)


def load_htmldate_eval(root: Path | None = None) -> Iterator[Case]:
    """All htmldate_eval cases."""
    return load_set("htmldate_eval", root)


def load_newspaper4k(root: Path | None = None) -> Iterator[Case]:
    """All newspaper4k cases with an expected body or metadata."""
    return load_set("newspaper4k", root)


def load_goose3(root: Path | None = None) -> Iterator[Case]:
    """All goose3 cases about text, title, date or authors."""
    return load_set("goose3", root)


def in_gate(set_name: str, index: int) -> bool:
    """Whether the page at ``index`` (in sorted-id order) belongs to the gate subset."""
    return index % GATE_STRIDE[set_name] == 0


def gate_cases(set_name: str, root: Path | None = None) -> Iterator[Case]:
    """The fixed gate subset of one set: every ``GATE_STRIDE[set]``-th page by sorted id."""
    return load_set(set_name, root, keep=lambda i, _id: in_gate(set_name, i))


def iter_sets(names: Iterable[str] | None = None, *, subset: str | None = None,
              limit: int | None = None, root: Path | None = None) -> Iterator[Case]:
    """Cases of several sets in turn; ``subset="gate"`` restricts each to its gate subset."""
    for name in names or SET_NAMES:
        if subset == "gate":
            yield from load_set(name, root, limit=limit, keep=lambda i, _id, n=name: in_gate(n, i))
        else:
            yield from load_set(name, root, limit=limit)
