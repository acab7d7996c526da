"""Date normalisation: any date a page or feed writes, to an aware UTC datetime.

Structured dates (ISO 8601, RFC 822) are parsed directly; only textual dates go through
dateparser, always with the source's language and day/month order set (auto-detection is
slow and guesses wrong on Indonesian day-first dates). Indonesian zone names (WIB, WITA,
WIT) are turned into offsets first.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

_ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}
_ZONE_RE = re.compile(r"\b(WIB|WITA|WIT)\b")
_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_DAY_FIRST_NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD_LANGS = {"zh", "ja", "ko", "hu", "lt", "mn"}
_DOTTED = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b")
# A clock time on its own ("2:33 PM", "08:00", "15h14") is not a date: without a day it
# would silently become "today".
_TIME_ONLY = re.compile(
    r"^\W*\d{1,2}\s*[:.h]\s*\d{2}(\s*[:.]\s*\d{2})?\s*([ap]\.?\s?m\.?)?\s*"
    r"([a-z]{2,5}|[+-]\d{2}:?\d{2})?\W*$", re.IGNORECASE)


_EMBEDDED = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(,?\s+(pukul\s+)?\d{1,2}[:.]\d{2}(\s*[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}\.?\s+[^\W\d]{3,10}\.?\s+\d{4}(,?\s+(pukul\s+)?\d{1,2}[:.]\d{2}"
    r"(\s*[+-]\d{2}:?\d{2})?)?")


def _order_for(lang: str | None, text: str) -> str | None:
    """Day/month order for numeric dates: dotted dates are day-first everywhere; English
    keeps dateparser's month-first default; most other languages write day-first."""
    if _DOTTED.search(text):
        return "DMY"
    if not lang or lang == "en":
        return None
    return "YMD" if lang in _YMD_LANGS else "DMY"
# Words that say "this is a date" in front of it ("Diterbitkan: ..."), dropped before parsing.
_LABELS = re.compile(
    r"^(?:published|updated|posted|diterbitkan|dipublikasikan|diperbarui|terbit|"
    r"tanggal|posted on|on)\s*:?\s*",
    re.IGNORECASE,
)


def to_iso(dt: datetime | None) -> str | None:
    """ISO-8601 UTC with a ``Z`` suffix, seconds precision."""
    if dt is None:
        return None
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_date(
    raw: str | None,
    *,
    lang: str | None = None,
    timezone: str = "UTC",
    date_order: str | None = None,
    relative_base: datetime | None = None,
) -> datetime | None:
    """Parse ``raw`` into an aware UTC datetime, or ``None`` when it is not a date.

    Naive times are read in ``timezone`` (the source's zone). Relative dates ("2 jam yang
    lalu", "kemarin", "3 hours ago") are resolved against ``relative_base`` (the fetch time).
    """
    if not raw:
        return None
    text = " ".join(raw.split())
    if not text or len(text) > 120:
        return None
    zone = ZoneInfo(timezone)
    dt = _parse_structured(text)
    if dt is None:
        dt = _parse_textual(text, lang, timezone, date_order, relative_base)
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return dt.astimezone(UTC)


def _parse_structured(text: str) -> datetime | None:
    if _ISO_RE.match(text):
        try:
            return datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
        except ValueError:
            pass
    if "," in text[:5] and text[:3].isalpha() and text[:3].lower() in _RFC_DAYS:
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return None


_RFC_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def _parse_textual(
    text: str,
    lang: str | None,
    timezone: str,
    date_order: str | None,
    relative_base: datetime | None,
) -> datetime | None:
    text = _LABELS.sub("", text)
    if _TIME_ONLY.match(text):
        return None
    text = _ZONE_RE.sub(lambda m: _ZONES[m.group(1)], text)
    order = date_order or _order_for(lang, text)
    if order == "DMY":
        # "02/11/2023, 21:34" : dateparser reads the comma badly after a numeric date.
        text = _DAY_FIRST_NUMERIC.sub(lambda m: f"{m.group(1)}/{m.group(2)}/{m.group(3)}", text)
        text = re.sub(r"^(\d{1,2}/\d{1,2}/\d{4}),", r"\1", text)
    base = relative_base.astimezone(ZoneInfo(timezone)) if relative_base else None
    found = _dateparser(text, lang, timezone, order or "", base)
    if found is None:
        # "Kabar Tekno - 18/11/2026, 20:30 WIB": the date inside a longer label
        inner = _EMBEDDED.search(text)
        if inner and inner.group(0) != text:
            found = _dateparser(inner.group(0).replace(",", ""), lang, timezone, order or "", base)
    return found


_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")
_ABSOLUTE_PARSERS = ["timestamp", "custom-formats", "absolute-time"]


@lru_cache(maxsize=64)
def _absolute_parser(languages: tuple[str, ...], timezone: str, order: str) -> object:
    """A reusable dateparser parser for dates that carry their year.

    ``dateparser.parse`` builds its language and settings machinery anew on every call
    (~10 ms); a date with a year needs no relative base, so one parser per (languages,
    zone, order) serves them all, and the relative-time parsers are skipped.
    """
    from dateparser.date import DateDataParser

    settings = {"TIMEZONE": timezone, "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DATES_FROM": "past", "PARSERS": _ABSOLUTE_PARSERS}
    if order:
        settings["DATE_ORDER"] = order
    return DateDataParser(languages=list(languages), settings=settings)


def _dateparser(
    text: str, lang: str | None, timezone: str, order: str, base: datetime | None
) -> datetime | None:
    import dateparser

    # The page's language first, English as a fallback; unknown: warta's two languages.
    languages = ["en", "id"] if not lang else [lang] if lang == "en" else [lang, "en"]
    with warnings.catch_warnings():
        # dateparser trips over its own regex/pytz deprecations on some inputs
        warnings.simplefilter("ignore")
        try:
            dt = None
            if _YEAR.search(text):
                found = _absolute_parser(tuple(languages), timezone, order).get_date_data(text)
                dt = found.date_obj if found else None
            if dt is None:
                settings = {
                    "TIMEZONE": timezone,
                    "RETURN_AS_TIMEZONE_AWARE": True,
                    "PREFER_DATES_FROM": "past",
                }
                if order:
                    settings["DATE_ORDER"] = order
                if base is not None:
                    settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
                dt = dateparser.parse(text, languages=languages, settings=settings)
        except (ValueError, OverflowError, TypeError, LookupError):
            return None
    if dt is None:
        return None
    # dateparser reads relative dates as local time in TIMEZONE; keep them there.
    if base is not None and dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(timezone))
    return dt


def within(dt: datetime | None, days: int | None, now: datetime | None = None) -> bool:
    """True when ``dt`` is unknown, ``days`` is unset, or ``dt`` lies in the last ``days`` days."""
    if dt is None or days is None:
        return True
    now = now or datetime.now(UTC)
    return dt >= now - timedelta(days=days)
