"""Date normalisation: any date a page or feed writes, to an aware UTC datetime.

Structured dates (ISO 8601, RFC 822) are parsed directly; only textual dates go through
dateparser, always with the source's language and day/month order set (auto-detection is
slow and guesses wrong on Indonesian day-first dates). Indonesian zone names (WIB, WITA,
WIT) are turned into offsets first.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as fixed_offset
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

_ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}
_ZONE_RE = re.compile(r"\b(WIB|WITA|WIT)\b")
_ZONE_OFFSETS = {"WIB": timedelta(hours=7), "WITA": timedelta(hours=8), "WIT": timedelta(hours=9)}
_ISO_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_BASIC_ISO = re.compile(r"^\d{8}T\d{4}(?:\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
"""ISO 8601's basic format, without separators ("20180619T055000+0900")."""
_LOOSE_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?[^+\-Z]*"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?$")
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


def date_order_of(lang: str | None, region: str | None) -> str | None:
    """Numeric date order a page's language tag implies: English outside the US, Canada and
    the Philippines writes day-first ("02/10/2020" is 2 October on an en-GB page)."""
    if lang == "en" and region and region not in _MONTH_FIRST_REGIONS:
        return "DMY"
    return None


_MONTH_FIRST_REGIONS = {"US", "CA", "PH", "UM", "AS", "GU", "MP", "PR", "VI"}


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
    if _ISO_RE.match(text) or _BASIC_ISO.match(text):
        try:
            return datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
        except ValueError:
            pass
    loose = _LOOSE_ISO.match(text)
    if loose:  # "2022-01-10T22:06:08:684Z", "2022-01-27T12:45:36.270+01": year first, always
        y, mo, d, h, mi, sec = (int(g) if g else 0 for g in loose.groups()[:6])
        try:
            return datetime(y, mo, d, h, mi, sec, tzinfo=_written_zone(loose["zone"]))
        except ValueError:
            return None
    if "," in text[:5] and text[:3].isalpha() and text[:3].lower() in _RFC_DAYS:
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return None


_RFC_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def _written_zone(zone: str | None) -> tzinfo | None:
    """The zone a date writes after its time: "Z", "UTC" or "GMT", or an offset ("+07:00",
    "+0700", "-05"); None when it writes none."""
    if not zone:
        return None
    if zone.upper() in ("Z", "UTC", "GMT"):
        return UTC
    if zone in _US_ZONES:
        return fixed_offset(timedelta(hours=_US_ZONES[zone]))
    sign = -1 if zone[0] == "-" else 1
    return fixed_offset(sign * timedelta(hours=int(zone[1:3]),
                                         minutes=int(zone[-2:]) if len(zone) > 3 else 0))


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


def has_year(text: str) -> bool:
    """Whether a date string writes its year (1800-2199)."""
    return bool(_YEAR.search(text))
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


@lru_cache(maxsize=1024)
def _absolute_reading(text: str, languages: tuple[str, ...], timezone: str,
                      order: str) -> tuple[datetime | None, str | None]:
    """dateparser's reading of a date that writes its year, and its period ("day",
    "month"...), remembered: it depends on nothing else (no relative parser runs), and a
    page writes its date in several places (3-5 ms a reading), a site the same strings on
    every page."""
    found = _absolute_parser(languages, timezone, order).get_date_data(text)
    return (found.date_obj, found.period) if found else (None, None)


_NUMERIC_DATE = re.compile(r"(\d{1,2})([./-])\s?(\d{1,2})\2\s?(\d{4}),?"
                           r"(?:\s+(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?"
                           r"(?:\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}))?", re.IGNORECASE)
"""A numeric day and month with a four-digit year, and maybe a clock and its zone:
"03.05.2024, 14:30", "3/5/2024 14:30:05", "24/11/2026, 10:15 WIB" (WIB written as +07:00
by then: kompas.com's form)."""


def _numeric(text: str, order: str, timezone: str) -> datetime | None:
    """A numeric date in a known day/month order, read directly: no words to translate,
    so dateparser (~3 ms a date) has nothing to add. None when it is not one (or invalid)."""
    match = _NUMERIC_DATE.fullmatch(text) if order in ("DMY", "MDY") else None
    if match is None:
        return None
    first, _, second, year, hour, minute, second_s, zone = match.groups()
    day, month = (first, second) if order == "DMY" else (second, first)
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                        int(second_s or 0), tzinfo=_written_zone(zone) or ZoneInfo(timezone))
    except ValueError:
        return None


_DAY_MONTH_YEAR = re.compile(
    r"(?:(?P<dayname>[^\W\d_]+),?\s+)?(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d_]+)\.?\s+"
    r"(?P<year>\d{4})(?:\s*(?:,|\||-|–)?\s*(?:pukul\s+|at\s+)?(?P<hour>\d{1,2})[:.]"
    r"(?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?)?"
    r"(?:\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2}))?", re.IGNORECASE)
"""The day-month-year form of Indonesian and European news: "Senin, 28 November 2026 14:05
WIB" (WIB written as +07:00 by then), "02 Nov 2023 20:59", "28 November 2026"."""


_MONTH_DAY_YEAR = re.compile(
    r"(?:(?P<dayname>[^\W\d_]+),?\s+)?(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})"
    r"(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?:\s*(?:,|\||-|–)?\s*(?:at\s+)?(?P<hour>\d{1,2}):"
    r"(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\s*(?P<half>[ap])\.?m\.?)?)?"
    r"(?:\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2}|(?-i:E[SD]?T|[CM][SD]T|P[SD]?T)))?", re.IGNORECASE)
"""The month-day-year form of American news: "August 12, 2010, 5:00PM EST", "Aug 18th 2010
7:30PM", "November 8, 2023 at 6:09 p.m.", "Tuesday, Aug. 17, 2010"."""
_US_ZONES = {"EST": -5, "EDT": -4, "ET": -5, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
             "PST": -8, "PDT": -7, "PT": -8}
"""US zone abbreviations as fixed offsets, as dateparser reads them (its table: "ET" is
always -5, even in summer; "CT" and "MT" it does not know; tested against it)."""


@lru_cache(maxsize=16)
def _calendar_words(languages: tuple[str, ...]) -> tuple[dict[str, int], frozenset[str]]:
    """Month names (full and short) to month numbers, and day names, in ``languages``, as
    dateparser's own locale data writes them (lower case)."""
    from dateparser.languages.loader import default_loader

    months: dict[str, int] = {}
    days: set[str] = set()
    for lang in languages:
        try:
            info = default_loader.get_locale(lang).info
        except (KeyError, ValueError):
            continue
        for number, name in enumerate(_MONTH_KEYS, start=1):
            for word in info.get(name, []):
                months.setdefault(word.lower(), number)
        for name in _DAY_KEYS:
            days.update(word.lower() for word in info.get(name, []))
    return months, frozenset(days)


_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_DAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day_month_year(text: str, languages: tuple[str, ...], timezone: str) -> datetime | None:
    """A day-month-year date with a month name, read directly (dateparser takes ~3 ms to
    find the same), or None when ``text`` is not one of that exact form (dateparser then)."""
    return _named_month_date(_DAY_MONTH_YEAR, text, languages, timezone)


def _month_day_year(text: str, languages: tuple[str, ...], timezone: str) -> datetime | None:
    """A month-day-year date with a month name (:data:`_MONTH_DAY_YEAR`), read directly;
    None when ``text`` is not exactly one (dateparser then)."""
    return _named_month_date(_MONTH_DAY_YEAR, text, languages, timezone)


def _named_month_date(pattern: re.Pattern[str], text: str, languages: tuple[str, ...],
                      timezone: str) -> datetime | None:
    """``text`` read with one of the named-month patterns, its month and day names looked up
    in ``languages``; None unless it is exactly that form and a real date."""
    match = pattern.fullmatch(text)
    if match is None:
        return None
    months, days = _calendar_words(languages)
    month = months.get(match["month"].lower())
    if month is None or (match["dayname"] and match["dayname"].lower() not in days):
        return None
    hour, half = int(match["hour"] or 0), match.groupdict().get("half")
    if half:  # 12-hour clock: 12 a.m. is midnight, 12 p.m. noon
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    try:
        return datetime(int(match["year"]), month, int(match["day"]), hour,
                        int(match["minute"] or 0), int(match["second"] or 0),
                        tzinfo=_written_zone(match["zone"]) or ZoneInfo(timezone))
    except ValueError:
        return None


_BARE_DURATION = re.compile(
    r"\s*\d+(?:\s*[–-]\s*\d+)?\s*(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|"
    r"weeks?|months?|years?|yrs?|detik|menit|jam|hari|minggu|bulan|tahun|sekunden?|minuten?|"
    r"std|stunden?|tage?|wochen?|monate?|jahre?|heures?|jours?|minutos?|horas?|días?)\.?\s*",
    re.IGNORECASE)
"""A length of time with nothing saying it is past: "35 Min." (a recipe), "4 min" (reading
time), "15 – 30 Min". dateparser reads these as "35 minutes ago"; a relative date says so
("2 jam yang lalu", "5 menit lalu", "3 days ago", "vor 10 Minuten")."""


def _dateparser(
    text: str, lang: str | None, timezone: str, order: str, base: datetime | None
) -> datetime | None:
    """A textual date: the three fixed forms read directly (:func:`_numeric`,
    :func:`_day_month_year`, :func:`_month_day_year`), every other one (relative dates,
    US zone abbreviations, other orders ...) by dateparser in the page's language."""
    import dateparser

    # The page's language first, English as a fallback; unknown: warta's two languages.
    languages = ["en", "id"] if not lang else [lang] if lang == "en" else [lang, "en"]
    direct = (_numeric(text, order, timezone) or _day_month_year(text, tuple(languages), timezone)
              or _month_day_year(text, tuple(languages), timezone))
    if direct is not None:
        return direct

    if _BARE_DURATION.fullmatch(text):
        return None
    with warnings.catch_warnings():
        # dateparser trips over its own regex/pytz deprecations on some inputs
        warnings.simplefilter("ignore")
        try:
            dt = None
            if _YEAR.search(text):
                dt, period = _absolute_reading(text, tuple(languages), timezone, order)
                if dt and period in ("month", "year"):
                    return None  # "1988", "Mai 2014": no day, the parser would invent one
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


_CLOCK = re.compile(r"\d{1,2}\s*[:.]\s*\d{2}")
_CLOCK_PARTS = re.compile(r"(?<![\d.:/-])(\d{1,2})\s*:\s*(\d{2})(?!\d)")
_QUARTER_HOUR = 15 * 60
_MAX_OFFSET_S = (-12 * 3600, 14 * 3600)


def written_offset(raw: str | None) -> timedelta | None:
    """The UTC offset a structured date (ISO 8601, RFC 822) is written with ("Z" is zero);
    None for a date written without one, or a textual date."""
    dt = _parse_structured(" ".join(raw.split())) if raw else None
    return dt.utcoffset() if dt is not None and dt.tzinfo is not None else None


_NAMED_ZONE = re.compile(r"\b(UTC|GMT|[ECMP][SD]T|CET|CEST|BST|WIB|WITA|WIT)\b|[+-]\d{2}:?\d{2}$")


def written_zone(text: str) -> bool:
    """Whether a textual date names its zone or offset ("EST", "GMT+1", "+07:00")."""
    return bool(_NAMED_ZONE.search(text))


def publisher_local(
    published: datetime | None,
    raw: str | None,
    *,
    timezone: str | None = None,
    others: Iterable[str] = (),
    lang: str | None = None,
    region_zone: str | None = None,
) -> datetime | None:
    """The publication time in the publisher's own UTC offset, when that offset is known.

    Known when the date is written with a non-zero offset ("+07:00", "WIB" via the source),
    when the source's zone is configured (``timezone``), or, for a date written in UTC on an
    unknown site, when the page also shows the same moment as local wall-clock time (a
    ``<time datetime="2023-11-08 18:09:55">`` beside JSON-LD's ``2023-11-09T01:09:55Z``): the
    difference, a whole quarter hour between -12 and +14 hours, is the offset. Last, the
    zone of the country the page's language tag names (``region_zone``, see
    :func:`zone_of_region`). That local day is the day the page and its readers call the
    publication day. None when unknown.
    """
    if published is None:
        return None
    offset = written_offset(raw)
    zone = _ZONE_RE.search(raw or "") if offset is None else None
    if zone:  # "14:05 WIB"
        offset = _ZONE_OFFSETS[zone.group(1)]
    if offset:
        return published.astimezone(fixed_offset(offset))
    if timezone:
        return published.astimezone(ZoneInfo(timezone))
    if offset is None:  # written without an offset: read in region_zone, else a guess
        return published.astimezone(ZoneInfo(region_zone)) if region_zone else None
    utc_wall = published.astimezone(UTC).replace(tzinfo=None)
    days_only = []  # renderings without a clock: they show the day the site counts
    for text in others:
        text = " ".join(text.split())
        if text == raw or not _CLOCK.search(text):
            days_only.append(text)
            continue
        dt = _parse_structured(text)
        if dt is not None and dt.tzinfo is not None:
            # the same moment written with a non-zero offset ("2023-11-08T22:35:29-08:00")
            if dt == published and dt.utcoffset():
                return dt
            continue
        if dt is None:  # "February 24, 2020 | 9:25pm": a wall time, read as if it were UTC
            clock = _CLOCK_PARTS.search(text)
            # the same moment to the minute in a quarter-hour offset: its minutes differ
            # from the UTC time's by 0 or 1 modulo 15 (checked before parsing: dateparser
            # takes 3-5 ms a string, and most clocks on a page are other times)
            if not clock or written_zone(text) or \
                    (int(clock[2]) - utc_wall.minute) % 15 not in (0, 1, 14):
                continue
            aware = parse_date(text, lang=lang)
            # the parser must have read the written clock (it drops it from some strings)
            if aware is None or aware.minute != int(clock[2]):
                continue
            dt = aware.replace(tzinfo=None)
        seconds = (dt - utc_wall).total_seconds()
        offset_s = _QUARTER_HOUR * round(seconds / _QUARTER_HOUR)
        # the same moment to the minute (a page may drop the seconds), a real zone's offset
        low, high = _MAX_OFFSET_S
        if offset_s and abs(seconds - offset_s) < 60 and low <= offset_s <= high:
            return published.astimezone(fixed_offset(timedelta(seconds=offset_s)))
    if not region_zone:
        return None
    local = published.astimezone(ZoneInfo(region_zone))
    if local.date() != published.astimezone(UTC).date():
        # the page showing the UTC day (a site set to UTC) outweighs the country's zone
        for text in days_only[:10]:
            shown = parse_date(text, lang=lang) if text != raw else None
            if shown is not None and shown.date() == published.astimezone(UTC).date():
                return published.astimezone(UTC)
    return local


def zone_of_region(region: str | None, at: datetime) -> str | None:
    """The time zone of the country a language tag names ("de-AT" -> Europe/Vienna), when
    all of that country's zones keep one offset at ``at`` (not the US, not Indonesia)."""
    if not region:
        return None
    # zones change their offsets on the hour: one answer per country and hour (the US has
    # 29 zones, and ZoneInfo keeps only a few of them loaded: ~1 ms a page unremembered)
    return _zone_of_region(region.upper(), at.astimezone(UTC).replace(minute=0, second=0,
                                                                      microsecond=0))


@lru_cache(maxsize=256)
def _zone_of_region(region: str, hour: datetime) -> str | None:
    import pytz

    zones = pytz.country_timezones.get(region, [])
    offsets = {hour.astimezone(ZoneInfo(z)).utcoffset() for z in zones}
    return zones[0] if zones and len(offsets) == 1 else None


def to_local_iso(dt: datetime | None) -> str | None:
    """ISO 8601 with the datetime's own offset, seconds precision."""
    return dt.replace(microsecond=0).isoformat() if dt is not None else None


def within(dt: datetime | None, days: int | None, now: datetime | None = None) -> bool:
    """True when ``dt`` is unknown, ``days`` is unset, or ``dt`` lies in the last ``days`` days."""
    if dt is None or days is None:
        return True
    now = now or datetime.now(UTC)
    return dt >= now - timedelta(days=days)
