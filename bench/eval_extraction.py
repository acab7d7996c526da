"""Extraction evaluation: warta's ``article_from_html`` against trafilatura on the shared corpus.

Runs both systems on the same pages in one single-process run (so ms/page is honest) and prints
a table per set: body precision/recall/F1 (4-gram token-shingle overlap, macro-averaged), snippet
recall of ``with`` and leakage of ``without``, title exact match, date day accuracy, author
precision/recall/F1, not-an-article and error counts, median and mean ms/page.

    python bench/eval_extraction.py                        # every set, both systems
    python bench/eval_extraction.py --set fundus --limit 20
    python bench/eval_extraction.py --subset gate --json out.json
    python bench/eval_extraction.py --subset gate --write-baseline tests/quality_baseline.json \
        [--allow-lower "reason"]

The trafilatura peer is: body from ``trafilatura.extract`` (txt, no comments), title and
author from ``trafilatura.bare_extraction(with_metadata=True)``, date from
``htmldate.find_date(original_date=True)``. See ``bench/README.md`` for every convention.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import re
import signal
import statistics
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus_sets import (  # noqa: E402
    GATE_STRIDE,
    SET_NAMES,
    Case,
    corpus_root,
    iter_sets,
)

SYSTEMS: tuple[str, ...] = ("warta", "trafilatura")
GATE_METRICS: tuple[str, ...] = (
    "body_f1", "title_exact", "date_day_acc", "author_f1", "with_recall", "without_leak",
    "snippet_f1",
)
CEILING_METRICS: frozenset[str] = frozenset({"without_leak"})
"""Lower is better for these: the baseline holds a ceiling, not a floor."""
PAGE_TIMEOUT_S = 30.0
SHINGLE_N = 4

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b)\s*", re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^(?:by|von|par|por|oleh)\s+", re.IGNORECASE)


# --- one extraction ------------------------------------------------------------------------


@dataclass
class Extraction:
    """What one system returned for one page, normalised for scoring."""

    title: str | None = None
    body: str = ""
    days: set[date] = field(default_factory=set)
    utc_day: date | None = None
    """The UTC day of the publication instant, where the system gives an instant (warta)."""
    authors: list[str] = field(default_factory=list)
    status: str = "ok"
    """``ok``, ``not_article`` or ``error``."""
    reason: str | None = None
    ms: float = 0.0
    """Time of the call that produced the body (the one compared across systems)."""
    meta_ms: float = 0.0
    """Extra time spent on metadata calls (trafilatura peer only)."""
    fields_ms: float | None = None
    """Time to produce every field warta produces (body, title, authors, date) in one call:
    warta's own ``ms``; for the peer, ``bare_extraction(with_metadata=True)``."""


class PageTimeout(Exception):
    """A single page took longer than its bound."""


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Raise :class:`PageTimeout` in the block after ``seconds`` (main thread only; else no-op)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expire(_signum: int, _frame: object) -> None:
        raise PageTimeout(f"over {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timed(call: Callable[[], Any], timeout: float) -> tuple[Any, float, BaseException | None]:
    """(result, CPU ms, exception) of ``call``; exceptions are caught, never raised. CPU
    time of this process, not wall time: on a shared machine the wall time of one call also
    counts the moments other processes held the core (one page's call took from 0.8x to
    1.8x trafilatura's by the run), and every call is made once (a repeat would find the
    caches of both systems warm)."""
    start = time.process_time()
    try:
        with bounded(timeout):
            result = call()
    except Exception as exc:  # noqa: BLE001 - a page must never crash the run
        return None, (time.process_time() - start) * 1000, exc
    return result, (time.process_time() - start) * 1000, None


def _iso_day(text: str | None) -> date | None:
    """The day of an ISO-8601 string's leading ``YYYY-MM-DD``, if any."""
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", text or "")
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def run_warta(case: Case, timeout: float = PAGE_TIMEOUT_S) -> Extraction:
    """warta's extraction; NotAnArticle becomes an empty extraction with status not_article."""
    from pipelines import NotAnArticle, article_from_html

    def call() -> Any:
        return article_from_html(case.html_bytes, case.url, fetched_at=case.fetched_at)

    article, ms, exc = _timed(call, timeout)
    if isinstance(exc, NotAnArticle):
        return Extraction(status="not_article", reason=exc.reason, ms=ms)
    if exc is not None:
        return Extraction(status="error", reason=f"{type(exc).__name__}: {exc}"[:200], ms=ms)
    # one day, as the peer gives: the publisher's local day when warta knows its offset, else
    # the day as written (an ISO raw date), else the UTC day
    day = next((d for d in (_iso_day(article.published_local), _iso_day(article.published_raw),
                            _iso_day(article.published_at)) if d), None)
    days = {day} if day else set()
    return Extraction(title=article.title, body=article.body or "", days=days,
                      utc_day=_iso_day(article.published_at),
                      authors=list(article.authors or []), ms=ms)


def run_trafilatura(case: Case, timeout: float = PAGE_TIMEOUT_S) -> Extraction:
    """The peer: trafilatura body and metadata, htmldate for the date."""
    import htmldate
    import trafilatura

    html, url = case.html_bytes, case.url
    body, ms, exc = _timed(lambda: trafilatura.extract(
        html, url=url, include_comments=False, output_format="txt", with_metadata=False), timeout)
    doc, meta_ms, meta_exc = _timed(lambda: trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False), timeout)
    day, date_ms, date_exc = _timed(lambda: htmldate.find_date(html, original_date=True), timeout)
    failure = exc or meta_exc or date_exc
    if body is None and exc is None:
        failure = failure or ValueError("extract() returned nothing")
    days = {d for d in [_iso_day(day)] if d}
    return Extraction(
        title=getattr(doc, "title", None), body=body or "", days=days,
        authors=split_names([getattr(doc, "author", None) or ""]),
        status="error" if exc else ("ok" if body else "not_article"),
        reason=f"{type(failure).__name__}: {failure}"[:200] if failure else None,
        ms=ms, meta_ms=meta_ms + date_ms, fields_ms=meta_ms,
    )


RUNNERS: dict[str, Callable[[Case, float], Extraction]] = {
    "warta": run_warta,
    "trafilatura": run_trafilatura,
}


# --- scoring one page ----------------------------------------------------------------------


def shingles(text: str, n: int = SHINGLE_N) -> set[tuple[str, ...]]:
    """Set of n-grams of lower-cased word tokens (one shingle for texts shorter than n)."""
    tokens = _WORD.findall(text.lower())
    if 0 < len(tokens) < n:
        return {tuple(tokens)}
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def body_prf(predicted: str, expected: str) -> tuple[float, float, float]:
    """Shingle precision, recall, F1 of one page; both empty counts as perfect."""
    got, want = shingles(predicted), shingles(expected)
    if not got and not want:
        return 1.0, 1.0, 1.0
    common = len(got & want)
    p = common / len(got) if got else 0.0
    r = common / len(want) if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def squash(text: str | None) -> str:
    """NFC text with runs of whitespace collapsed to one space, stripped."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def snippet_hits(body: str, snippets: Iterable[str]) -> list[bool]:
    """For each snippet, whether it occurs in the body (whitespace-normalised, case-sensitive)."""
    flat = squash(body)
    return [squash(s) in flat for s in snippets]


def split_names(raw: Iterable[str]) -> list[str]:
    """Normalised, de-duplicated author names from names or joined bylines."""
    names: list[str] = []
    for item in raw:
        for part in _NAME_SPLIT.split(item or ""):
            name = _NAME_PREFIX.sub("", squash(unicodedata.normalize("NFKC", part)).casefold())
            name = name.strip(" .:-–—|·")
            if name and name not in names:
                names.append(name)
    return names


def accepted_days(case: Case) -> set[date]:
    """Days counted as right: the publisher's local day, and the UTC day when it is known."""
    days = {case.expected_date} if case.expected_date else set()
    if case.expected_datetime is not None:
        days.add(case.expected_datetime.astimezone(UTC).date())
    return days


# --- accumulating a set --------------------------------------------------------------------


@dataclass
class Tally:
    """Running sums for one system on one set."""

    pages: int = 0
    body_p: list[float] = field(default_factory=list)
    body_r: list[float] = field(default_factory=list)
    body_f1: list[float] = field(default_factory=list)
    with_found: int = 0
    with_total: int = 0
    without_found: int = 0
    without_total: int = 0
    title_right: int = 0
    title_total: int = 0
    date_right: int = 0
    date_total: int = 0
    author_hit: int = 0
    author_predicted: int = 0
    author_expected: int = 0
    author_pages: int = 0
    not_article: int = 0
    errors: int = 0
    ms: list[float] = field(default_factory=list)
    meta_ms: list[float] = field(default_factory=list)
    fields_ms: list[float] = field(default_factory=list)
    with_found_titled: int = 0

    def add(self, case: Case, got: Extraction) -> dict[str, Any]:
        """Score one page into the tally; returns the page's own record."""
        self.pages += 1
        self.not_article += got.status == "not_article"
        self.errors += got.status == "error"
        self.ms.append(got.ms)
        self.meta_ms.append(got.meta_ms)
        self.fields_ms.append(got.ms if got.fields_ms is None else got.fields_ms)
        record: dict[str, Any] = {"status": got.status, "ms": round(got.ms, 1)}
        if got.reason:
            record["reason"] = got.reason
        self._body(case, got, record)
        self._snippets(case, got, record)
        self._title(case, got, record)
        self._date(case, got, record)
        self._authors(case, got, record)
        return record

    def _body(self, case: Case, got: Extraction, record: dict[str, Any]) -> None:
        if case.expected_body is None:
            return
        p, r, f = body_prf(got.body, case.expected_body)
        self.body_p.append(p)
        self.body_r.append(r)
        self.body_f1.append(f)
        record["body"] = [round(p, 3), round(r, 3), round(f, 3)]

    def _snippets(self, case: Case, got: Extraction, record: dict[str, Any]) -> None:
        found = snippet_hits(got.body, case.with_snippets)
        leaked = snippet_hits(got.body, case.without_snippets)
        # a headline is content too: warta keeps it in the title rather than repeating it
        self.with_found_titled += sum(snippet_hits(f"{got.title or ''}\n{got.body}",
                                                   case.with_snippets))
        self.with_found += sum(found)
        self.with_total += len(found)
        self.without_found += sum(leaked)
        self.without_total += len(leaked)
        missed = [s for s, ok in zip(case.with_snippets, found, strict=True) if not ok]
        if missed:
            record["with_missed"] = missed
        if any(leaked):
            record["without_leaked"] = [s for s, bad in zip(case.without_snippets, leaked,
                                                            strict=True) if bad]

    def _title(self, case: Case, got: Extraction, record: dict[str, Any]) -> None:
        if case.expected_title is None:
            return
        right = squash(got.title) == squash(case.expected_title)
        self.title_total += 1
        self.title_right += right
        if not right:
            record["title"] = {"got": got.title, "want": case.expected_title}

    def _date(self, case: Case, got: Extraction, record: dict[str, Any]) -> None:
        want = accepted_days(case)
        if not want:
            return
        # an annotation with its offset is an instant: the same instant is right in any zone
        same_instant = (case.expected_datetime is not None and got.utc_day is not None
                        and got.utc_day == case.expected_datetime.astimezone(UTC).date())
        right = bool(got.days & want) or same_instant
        self.date_total += 1
        self.date_right += right
        if not right:
            record["date"] = {"got": sorted(d.isoformat() for d in got.days),
                              "want": sorted(d.isoformat() for d in want)}

    def _authors(self, case: Case, got: Extraction, record: dict[str, Any]) -> None:
        if case.expected_authors is None:
            return
        want, have = split_names(case.expected_authors), split_names(got.authors)
        hits = len(set(want) & set(have))
        self.author_pages += 1
        self.author_hit += hits
        self.author_predicted += len(have)
        self.author_expected += len(want)
        if hits != len(want) or hits != len(have):
            record["authors"] = {"got": got.authors, "want": case.expected_authors}

    def figures(self) -> dict[str, float | int | None]:
        """All figures of this tally; None where the set has no annotation for it."""
        ap = _ratio(self.author_hit, self.author_predicted, self.author_pages)
        ar = _ratio(self.author_hit, self.author_expected, self.author_pages)
        # trafilatura's own evaluation: a found `with` snippet is a true positive, a found
        # `without` snippet a false positive; precision, recall and F1 over all snippets
        sp = _ratio(self.with_found, self.with_found + self.without_found, self.without_total)
        sr = _ratio(self.with_found, self.with_total)
        return {
            "pages": self.pages,
            "body_p": _mean(self.body_p), "body_r": _mean(self.body_r),
            "body_f1": _mean(self.body_f1), "body_pages": len(self.body_f1),
            "with_recall": _ratio(self.with_found, self.with_total),
            "with_recall_titled": _ratio(self.with_found_titled, self.with_total),
            "without_leak": _ratio(self.without_found, self.without_total),
            "snippet_p": sp,
            "snippet_f1": (2 * sp * sr / (sp + sr) if sp + sr else 0.0)
            if sp is not None and sr is not None else None,
            "snippets": self.with_total + self.without_total,
            "title_exact": _ratio(self.title_right, self.title_total),
            "title_pages": self.title_total,
            "date_day_acc": _ratio(self.date_right, self.date_total),
            "date_pages": self.date_total,
            "author_p": ap, "author_r": ar,
            "author_f1": (2 * ap * ar / (ap + ar) if ap + ar else 0.0)
            if ap is not None and ar is not None else None,
            "author_pages": self.author_pages,
            "not_article": self.not_article, "errors": self.errors,
            "ms_median": round(statistics.median(self.ms), 1) if self.ms else None,
            "ms_mean": round(statistics.fmean(self.ms), 1) if self.ms else None,
            "meta_ms_mean": round(statistics.fmean(self.meta_ms), 1) if any(self.meta_ms) else None,
            "fields_ms_median": round(statistics.median(self.fields_ms), 1)
            if self.fields_ms else None,
        }


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _ratio(part: int, whole: int, scored: int | None = None) -> float | None:
    """part/whole; None when nothing was scored, 0.0 when scored but the denominator is 0."""
    if (whole if scored is None else scored) == 0:
        return None
    return part / whole if whole else 0.0


# --- running ---------------------------------------------------------------------------------


@dataclass
class RunResult:
    """Figures per set and system, and the per-page records behind them."""

    figures: dict[str, dict[str, dict[str, Any]]]
    pages: dict[str, dict[str, dict[str, Any]]]
    seconds: float


def warm_up(systems: Iterable[str]) -> None:
    """One untimed call per system so imports and config loading do not count as page time."""
    html = b"<html><head><title>Warm up</title></head><body><article><p>" + b"word " * 80 \
        + b"</p></article></body></html>"
    case = Case(set="warmup", id="warmup", html_bytes=html, url="https://example.com/a/warm-up")
    for name in systems:
        RUNNERS[name](case, PAGE_TIMEOUT_S)


def evaluate(cases: Iterable[Case], systems: Iterable[str] = SYSTEMS,
             timeout: float = PAGE_TIMEOUT_S, progress: bool = False) -> RunResult:
    """Run every system on every case (one process, in order) and tally per set."""
    systems = tuple(systems)
    warm_up(systems)
    tallies: dict[str, dict[str, Tally]] = {}
    pages: dict[str, dict[str, dict[str, Any]]] = {}
    start = time.perf_counter()
    for count, case in enumerate(cases, 1):
        per_system = tallies.setdefault(case.set, {s: Tally() for s in systems})
        record = pages.setdefault(case.set, {}).setdefault(case.id, {})
        for name in systems:
            record[name] = per_system[name].add(case, RUNNERS[name](case, timeout))
        if progress and count % 50 == 0:
            print(f"  ... {count} pages, {time.perf_counter() - start:.0f}s", file=sys.stderr)
    figures = {s: {n: t.figures() for n, t in per.items()} for s, per in tallies.items()}
    return RunResult(figures, pages, time.perf_counter() - start)


def gate_figures(sets: Iterable[str] = SET_NAMES) -> dict[str, dict[str, Any]]:
    """warta's figures on the gate subset, per set (empty when the corpus is absent)."""
    result = evaluate(iter_sets(sets, subset="gate"), systems=("warta",))
    return {name: per["warta"] for name, per in result.figures.items()}


# --- printing --------------------------------------------------------------------------------

_ROWS: tuple[tuple[str, str, str | None], ...] = (
    ("body_p", "body precision", "body_pages"),
    ("body_r", "body recall", "body_pages"),
    ("body_f1", "body F1", "body_pages"),
    ("with_recall", "with-snippet recall", "snippets"),
    ("with_recall_titled", "  with title + body", "snippets"),
    ("without_leak", "without-snippet leak", "snippets"),
    ("snippet_p", "snippet precision", "snippets"),
    ("snippet_f1", "snippet F1", "snippets"),
    ("title_exact", "title exact", "title_pages"),
    ("date_day_acc", "date day accuracy", "date_pages"),
    ("author_p", "author precision", "author_pages"),
    ("author_r", "author recall", "author_pages"),
    ("author_f1", "author F1", "author_pages"),
    ("not_article", "not-an-article", None),
    ("errors", "errors", None),
    ("ms_median", "ms/page median", None),
    ("ms_mean", "ms/page mean", None),
    ("fields_ms_median", "  all fields, median", None),
)


def _cell(value: Any, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def format_table(set_name: str, per_system: dict[str, dict[str, Any]]) -> str:
    """A plain-text table: one row per figure, one column per system."""
    systems = list(per_system)
    first = per_system[systems[0]]
    lines = [f"== {set_name} ({first['pages']} pages)",
             f"{'figure':<24}{'n':>6}" + "".join(f"{s:>14}" for s in systems)]
    for key, label, n_key in _ROWS:
        if all(per_system[s].get(key) is None for s in systems):
            continue
        n = first.get(n_key, "") if n_key else ""
        digits = 1 if "ms_" in key else 3
        lines.append(f"{label:<24}{n!s:>6}" + "".join(
            f"{_cell(per_system[s].get(key), digits):>14}" for s in systems))
    return "\n".join(lines)


def _headline(figures: dict[str, Any]) -> str:
    """The set's main figure: body F1, else snippet F1, else with-snippet recall, else date
    accuracy."""
    for key in ("body_f1", "snippet_f1", "with_recall", "date_day_acc"):
        if figures.get(key) is not None:
            return key
    return "title_exact"


def summary_line(set_name: str, per_system: dict[str, dict[str, Any]]) -> str:
    """``fundus: warta body F1 0.xxx vs trafilatura 0.xxx`` (main figure of the set)."""
    key = _headline(next(iter(per_system.values())))
    label = next(lbl for k, lbl, _ in _ROWS if k == key)
    first, *others = per_system.items()
    line = f"{set_name}: {first[0]} {label} {_cell(first[1].get(key))}"
    return line + "".join(f" vs {s} {_cell(f.get(key))}" for s, f in others)


# --- baseline --------------------------------------------------------------------------------

BASELINE_COMMENT = (
    "Quality gate for warta's extraction on the fixed gate subset (bench/corpus_sets.py "
    "gate_cases). tests/test_quality_gate.py fails when a figure drops below its floor, rises "
    "above its ceiling (without_leak), or is missing from the run. Floors = measured value "
    "rounded DOWN to 2 decimals minus 0.01; ceilings = rounded UP plus 0.01. Floors may only go "
    "up: regenerate with `python bench/eval_extraction.py --subset gate --write-baseline "
    "tests/quality_baseline.json`, which raises floors that improved and refuses to lower any "
    "unless given --allow-lower \"reason\" (the reason is recorded under 'lowered')."
)


def floor_of(value: float) -> float:
    """Measured value rounded down to 2 decimals minus 0.01, never below 0."""
    return max(0.0, round(math.floor(value * 100 + 1e-9) / 100 - 0.01, 2))


def ceiling_of(value: float) -> float:
    """Measured value rounded up to 2 decimals plus 0.01, never above 1."""
    return min(1.0, round(math.ceil(value * 100 - 1e-9) / 100 + 0.01, 2))


def bound_of(metric: str, value: float) -> float:
    return ceiling_of(value) if metric in CEILING_METRICS else floor_of(value)


def looser(metric: str, new: float, old: float) -> bool:
    """Whether ``new`` is a weaker bound than ``old``."""
    return new > old if metric in CEILING_METRICS else new < old


def fails(metric: str, value: float, bound: float) -> bool:
    """Whether a measured value breaks its bound."""
    return value > bound if metric in CEILING_METRICS else value < bound


def _next_bound(metric: str, value: float | None, before: float | None,
                allow_lower: str | None) -> tuple[float | None, bool]:
    """(bound to pin or None to drop, whether this loosens the old bound)."""
    wanted = bound_of(metric, value) if value is not None else None
    if before is None:
        return wanted, False
    if value is None or fails(metric, value, before):
        return (wanted if allow_lower else before), True
    assert wanted is not None
    return (before if looser(metric, wanted, before) else wanted), False


def merge_baseline(old: dict[str, Any], measured: dict[str, dict[str, Any]],
                   allow_lower: str | None) -> tuple[dict[str, Any], list[str]]:
    """New baseline from ``measured``; returns it and the bounds that would have to loosen.

    A bound never loosens on its own: while the measured value still meets the old bound, the
    old bound is kept (or tightened). It loosens only when the value breaks it (or the figure is
    gone) and ``allow_lower`` is given. Sets not in ``measured`` keep their bounds.
    """
    bounds: dict[str, dict[str, float]] = {k: dict(v) for k, v in old.get("bounds", {}).items()}
    loosened: list[str] = []
    for set_name, figures in sorted(measured.items()):
        prior = bounds.get(set_name, {})
        fresh = {m: figures[m] for m in GATE_METRICS if figures.get(m) is not None}
        kept: dict[str, float] = {}
        for metric in sorted(set(fresh) | set(prior)):
            bound, loosens = _next_bound(metric, fresh.get(metric), prior.get(metric), allow_lower)
            if loosens:
                to = bound_of(metric, fresh[metric]) if metric in fresh else "missing"
                loosened.append(f"{set_name}.{metric}: {prior[metric]} -> {to}")
            if bound is not None:
                kept[metric] = bound
        bounds[set_name] = kept
    history = list(old.get("lowered", []))
    if allow_lower and loosened:
        history.append({"date": datetime.now(UTC).date().isoformat(), "reason": allow_lower,
                        "changes": loosened})
    pinned = dict(old.get("measured", {}))
    pinned.update({s: {m: round(f[m], 4) for m in GATE_METRICS if f.get(m) is not None}
                   for s, f in measured.items()})
    return {
        "_comment": BASELINE_COMMENT,
        "subset": "gate",
        "gate_stride": GATE_STRIDE,
        "ceiling_metrics": sorted(CEILING_METRICS),
        "bounds": dict(sorted(bounds.items())),
        "measured": dict(sorted(pinned.items())),
        "lowered": history,
    }, loosened


def write_baseline(path: Path, measured: dict[str, dict[str, Any]],
                   allow_lower: str | None) -> int:
    """Write the merged baseline; refuse (exit code 1, file untouched) to loosen silently."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    new, loosened = merge_baseline(old, measured, allow_lower)
    if loosened and not allow_lower:
        print("refusing to lower the baseline (pass --allow-lower \"reason\"):", file=sys.stderr)
        for line in loosened:
            print(f"  {line}", file=sys.stderr)
        return 1
    path.write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path}" + (f" (lowered: {'; '.join(loosened)})" if loosened else ""))
    return 0


# --- command line ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", choices=SET_NAMES, dest="sets",
                        help="a set to run (repeatable; default: all)")
    parser.add_argument("--limit", type=int, help="at most N pages per set")
    parser.add_argument("--subset", choices=["gate"], help="only the fixed gate subset")
    parser.add_argument("--json", type=Path, help="write every figure and per-page record here")
    parser.add_argument("--warta-only", action="store_true", help="skip the trafilatura peer")
    parser.add_argument("--timeout", type=float, default=PAGE_TIMEOUT_S,
                        help="seconds allowed per page and call (default %(default)s)")
    parser.add_argument("--write-baseline", type=Path, metavar="PATH",
                        help="update gate floors from this run (needs --subset gate, no --limit)")
    parser.add_argument("--allow-lower", metavar="REASON",
                        help="with --write-baseline: allow floors to go down, recording why")
    args = parser.parse_args(argv)
    if args.write_baseline and (args.subset != "gate" or args.limit):
        parser.error("--write-baseline needs --subset gate and no --limit")
    if args.allow_lower is not None and not args.allow_lower.strip():
        parser.error("--allow-lower needs a reason")
    return args


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for pkg in ("warta", "trafilatura", "htmldate", "lxml"):
        try:
            found[pkg] = version(pkg)
        except PackageNotFoundError:
            found[pkg] = "?"
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("trafilatura", "htmldate", "charset_normalizer", "scrapy"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    if corpus_root() is None:
        print("no corpus: nothing to evaluate", file=sys.stderr)
        return 0
    sets = args.sets or list(SET_NAMES)
    systems = ("warta",) if args.warta_only or args.write_baseline else SYSTEMS
    result = evaluate(iter_sets(sets, subset=args.subset, limit=args.limit), systems,
                      timeout=args.timeout, progress=True)
    for name in sets:
        if name in result.figures:
            print(format_table(name, result.figures[name]), end="\n\n")
    print(f"{sum(f[systems[0]]['pages'] for f in result.figures.values())} pages in "
          f"{result.seconds:.1f}s")
    for name in sets:
        if name in result.figures:
            print(summary_line(name, result.figures[name]))
    if args.json:
        payload = {"run": {"subset": args.subset, "limit": args.limit, "sets": sets,
                           "systems": list(systems), "seconds": round(result.seconds, 1),
                           "versions": _versions(),
                           "at": datetime.now(UTC).isoformat(timespec="seconds")},
                   "figures": result.figures, "pages": result.pages}
        args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=str))
    if args.write_baseline:
        measured = {s: per["warta"] for s, per in result.figures.items()}
        return write_baseline(args.write_baseline, measured, args.allow_lower)
    return 0


if __name__ == "__main__":
    sys.exit(main())
