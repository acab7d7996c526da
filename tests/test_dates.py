"""Date normalisation: Indonesian and English, absolute and relative, always UTC."""

from datetime import UTC, datetime, timedelta

import pytest

from pipelines.dates import parse_date, to_iso

FETCHED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("Senin, 23 November 2026 14:05 WIB", "id", "2026-11-23T07:05:00Z"),
        ("Sabtu, 28 November 2026 14:05 WIB", "id", "2026-11-28T07:05:00Z"),
        ("Kamis, 02 Nov 2023 20:59 WIB", "id", "2023-11-02T13:59:00Z"),
        ("02/11/2023, 21:34 WIB", "id", "2023-11-02T14:34:00Z"),
        ("Rabu, 25 November 2026 10:00 WITA", "id", "2026-11-25T02:00:00Z"),
        ("1 Agu 2026 10:00 WIT", "id", "2026-08-01T01:00:00Z"),
        ("Jumat, 14 April 2023 10:12 WIB", "id", "2023-04-14T03:12:00Z"),
        ("2 jam yang lalu", "id", "2026-11-28T08:00:00Z"),
        ("5 menit lalu", "id", "2026-11-28T09:55:00Z"),
        ("kemarin", "id", "2026-11-27T10:00:00Z"),
        ("3 hours ago", "en", "2026-11-28T07:00:00Z"),
        ("November 3, 2026 at 5:00 PM EST", "en", "2026-11-03T22:00:00Z"),
        ("2026-11-23T14:05:00+07:00", None, "2026-11-23T07:05:00Z"),
        ("2026-11-23T07:05:00Z", None, "2026-11-23T07:05:00Z"),
        ("Sat, 28 Nov 2026 07:05:00 +0700", None, "2026-11-28T00:05:00Z"),
        ("20180619T055000+0900", None, "2018-06-18T20:50:00Z"),  # ISO 8601 basic format
        ("20180619T0550Z", None, "2018-06-19T05:50:00Z"),
    ],
)
def test_dates_normalise_to_utc(raw, lang, expected):
    tz = "Asia/Jakarta" if lang == "id" else "UTC"
    assert to_iso(parse_date(raw, lang=lang, timezone=tz, relative_base=FETCHED)) == expected


def test_naive_times_are_read_in_the_source_time_zone():
    assert to_iso(parse_date("2026-11-26 14:20:00", timezone="Asia/Jakarta")) == \
        "2026-11-26T07:20:00Z"
    assert to_iso(parse_date("2026-11-26 14:20:00", timezone="UTC")) == "2026-11-26T14:20:00Z"


def test_numeric_indonesian_dates_are_day_first():
    # 03/04 is 3 April on an Indonesian site, never 4 March.
    d = parse_date("03/04/2026 10:00", lang="id", timezone="Asia/Jakarta")
    assert (d.month, d.day) == (4, 3)


@pytest.mark.parametrize("order", ["DMY", "MDY"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Jakarta", "Europe/Berlin", "America/New_York"])
def test_numeric_dates_read_directly_agree_with_dateparser(monkeypatch, order, zone):
    # A numeric date in a known order skips dateparser; both must give the same moment,
    # and a date that is no date ("31.02.2024") is left to dateparser, which refuses it too.
    from pipelines import dates

    texts = ["03.05.2024", "3.5.2024", "03.05.2024 14:30", "03.05.2024, 14:30",
             "03/05/2024 14:30:05", "12-11-2023", "03. 05. 2024", "3.05.2024 9.15",
             "01/12/2025 23:59", "10.03.2024 02:30", "11/10/2026, 10:15 +07:00",
             "04/05/2026 10:15+0700", "01.02.2024 08:00 UTC", "31.02.2024", "13/13/2024"]
    direct = [dates._numeric(t, order, zone) for t in texts]
    monkeypatch.setattr(dates, "_numeric", lambda *args: None)
    parsed = [dates._dateparser(t, "en", zone, order, None) for t in texts]
    assert [d is None for d in direct] == [False] * 13 + [True, True]
    # as instants (a clock time in a DST gap never compares equal across tzinfo classes)
    assert [d.astimezone(UTC) for d in direct[:13]] == [p.astimezone(UTC) for p in parsed[:13]]
    assert parsed[13] is None
    first = direct[2].astimezone(UTC)
    assert (first.month, first.day) == ((5, 3) if order == "DMY" else (3, 5))


DAY_MONTH_YEAR = {
    "id": ["Senin, 28 November 2026 14:05 +07:00", "Kamis, 02 Nov 2023 20:59 +07:00",
           "28 November 2026", "1 Agu 2026 10:00 +09:00", "3 Mei 2024, 09.15",
           "Sabtu, 28 Nov 2026 | 14:05", "17 Agustus 2025 pukul 08:00 +07:00",
           "Minggu, 1 Desember 2024 - 23:59", "5 Des 2024 07:30:15", "30 Februari 2024"],
    "en": ["Friday, 28 November 2026 14:05", "3 May 2024, 09:15 GMT", "12 Sept 2023 18:00 UTC",
           "1 January 2020 at 10:00", "Thu, 5 Dec 2024 07:30 -05:00", "4th March 2024"],
    "de": ["Montag, 4. März 2024 12:00", "3. Mai 2024"],
    "fr": ["lundi 4 mars 2024 12:00", "28 novembre 2026 14:05"],
}


@pytest.mark.parametrize("zone", ["UTC", "Asia/Jakarta", "Europe/Berlin"])
@pytest.mark.parametrize("lang", sorted(DAY_MONTH_YEAR))
def test_day_month_year_dates_read_directly_agree_with_dateparser(monkeypatch, lang, zone):
    # "Senin, 28 November 2026 14:05 WIB" and its kin skip dateparser, reading month and day
    # names from dateparser's own locale data; both readings must be the same moment. What
    # the direct reading does not take ("4th March", "30 Februari") stays dateparser's.
    from pipelines import dates

    languages = ("en",) if lang == "en" else (lang, "en")
    texts = DAY_MONTH_YEAR[lang]
    direct = [dates._day_month_year(t, languages, zone) for t in texts]
    monkeypatch.setattr(dates, "_day_month_year", lambda *args: None)
    parsed = [dates._dateparser(t, lang, zone, "DMY", None) for t in texts]
    for text, d, p in zip(texts, direct, parsed, strict=True):
        if d is not None:
            assert p is not None and d.astimezone(UTC) == p.astimezone(UTC), text
    left = {t for t, d in zip(texts, direct, strict=True) if d is None}
    assert left == {"30 Februari 2024", "4th March 2024"} & set(texts)


MONTH_DAY_YEAR = ["August 12, 2010, 5:00PM", "Aug 13, 2010 – 4:39 PM", "June 8, 2012 6:14 AM",
                  "Aug 18th 2010 7:30PM", "November 8, 2023 at 6:09 p.m.",
                  "Tuesday, Aug. 17, 2010", "Sep 1, 2024 12:00 AM", "Sep 1, 2024 12:30 pm",
                  "March 3rd, 2024", "December 25, 2023 23:15", "Jan 2, 2025 07:05:09 GMT",
                  "May 5, 2024 10:00 +07:00", "Thu, Dec 5, 2024 7:30 AM", "April 1 2024",
                  # US zone names, as dateparser's fixed offsets ("ET" is -5 all year)
                  "August 12, 2010, 5:00PM EST", "Wednesday, Sep 21, 2011 4:35 PM ET",
                  "January 3, 2024 10:15 am PDT", "Aug 18, 2010 3:21 PM CDT",
                  # left to dateparser: no such day, a 13 o'clock p.m., a zone it does not know
                  "February 30, 2024", "Jan 2, 2025 13:05 PM", "August 12, 2010, 5:00PM CT"]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Jakarta"])
def test_month_day_year_dates_read_directly_agree_with_dateparser(monkeypatch, zone):
    # American news writes the month first ("August 12, 2010, 5:00PM"): read directly,
    # the same moment as dateparser's (~3-7 ms a date) reading of it.
    from pipelines import dates

    direct = [dates._month_day_year(t, ("en",), zone) for t in MONTH_DAY_YEAR]
    monkeypatch.setattr(dates, "_month_day_year", lambda *args: None)
    parsed = [dates._dateparser(t, "en", zone, "", None) for t in MONTH_DAY_YEAR]
    for text, d, p in zip(MONTH_DAY_YEAR, direct, parsed, strict=True):
        if d is not None:
            assert p is not None and d.astimezone(UTC) == p.astimezone(UTC), text
    assert [d is None for d in direct] == [False] * 18 + [True] * 3
    assert direct[4].hour == 18  # 6:09 p.m.
    assert direct[6].hour == 0 and direct[7].hour == 12  # 12 a.m. is midnight, 12 p.m. noon


@pytest.mark.parametrize(("raw", "lang"), [("35 Min.", "de"), ("15 – 30 Min", "de"),
                                           ("4 min", "en"), ("3 days", "en"), ("2 jam", "id")])
def test_a_bare_length_of_time_is_not_a_date(raw, lang):
    # a recipe's "35 Min." or a "4 min" reading time: dateparser would say "35 minutes ago"
    base = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert parse_date(raw, lang=lang, timezone="UTC", relative_base=base) is None


@pytest.mark.parametrize(("raw", "lang", "hours"), [("2 jam yang lalu", "id", 2),
                                                    ("5 menit lalu", "id", 5 / 60),
                                                    ("3 days ago", "en", 72)])
def test_relative_dates_that_say_so_are_read(raw, lang, hours):
    base = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert parse_date(raw, lang=lang, timezone="UTC", relative_base=base) == base - timedelta(
        hours=hours)


@pytest.mark.parametrize("raw", ["", None, "hello world", "x" * 500, "Baca juga: berita lain"])
def test_non_dates_are_none(raw):
    assert parse_date(raw, lang="id", timezone="Asia/Jakarta") is None


# --- the publisher's local time ------------------------------------------------------------

def _local(raw: str, **kw: object) -> str | None:
    from pipelines.dates import publisher_local, to_local_iso

    return to_local_iso(publisher_local(parse_date(raw), raw, **kw))


def test_local_time_keeps_the_offset_the_date_is_written_with() -> None:
    assert _local("2023-11-08T22:35:29-08:00") == "2023-11-08T22:35:29-08:00"
    assert _local("Senin, 28 November 2026 14:05 WIB") == "2026-11-28T14:05:00+07:00"


def test_local_time_of_a_configured_source_is_in_its_zone() -> None:
    assert _local("2026-11-28T00:30:00Z", timezone="Asia/Jakarta") == "2026-11-28T07:30:00+07:00"


def test_utc_metadata_takes_its_offset_from_the_same_moment_shown_in_local_time() -> None:
    # JSON-LD in UTC, the visible <time> in Denver's wall-clock time: the day is 8 November
    others = ["November 8, 2023 at 6:09 p.m.", "2023-11-08 18:09:55"]
    assert _local("2023-11-09T01:09:55Z", others=others) == "2023-11-08T18:09:55-07:00"
    # minutes only on the page: still the same moment
    assert _local("2023-11-09T01:09:55Z", others=["2023-11-08 18:09"]) == "2023-11-08T18:09:55-07:00"


def test_local_time_is_unknown_rather_than_guessed() -> None:
    # another time on the page that is not the same moment (an update 2 h 13 min later)
    assert _local("2023-11-09T01:09:55Z", others=["2023-11-09 03:22:00"]) is None
    # a day without a clock says nothing about the offset
    assert _local("2023-11-09T01:00:00Z", others=["2023-11-08"]) is None
    # written without an offset on an unknown site: its zone is a guess
    assert _local("2023-11-08 18:09:55") is None
    assert _local("2023-11-09T01:09:55Z") is None


def test_local_time_from_the_same_moment_written_with_an_offset_or_in_words() -> None:
    assert _local("2023-11-09T06:35:29+00:00",
                  others=["2023-11-08T22:35:29-08:00"]) == "2023-11-08T22:35:29-08:00"
    assert _local("2020-02-25T02:25:54Z", others=["February 24, 2020 | 9:25pm"],
                  lang="en") == "2020-02-24T21:25:54-05:00"
    # words that name their zone are the same moment in that zone, not a local wall time
    assert _local("2020-02-25T02:25:54Z", others=["February 25, 2020 2:25 UTC"], lang="en") is None
    # a parser that drops the clock ("... 2023Updated08:47 ...") gives no offset
    assert _local("2023-11-03T08:44:04Z", others=["08:44, 3 NOV 2023Updated08:47, 3 NOV 2023"],
                  lang="en") is None


def test_a_date_without_a_day_is_not_a_publication_date() -> None:
    # the parser would fill in today's month and day ("1988" -> 1988-11-29)
    assert parse_date("1988", lang="en") is None
    assert parse_date("Mai 2014", lang="de") is None
    assert parse_date("5 November 2023", lang="en") is not None


def test_english_numeric_dates_follow_the_region_of_the_language_tag() -> None:
    from pipelines.dates import date_order_of

    assert date_order_of("en", "GB") == "DMY"
    assert date_order_of("en", "AU") == "DMY"
    assert date_order_of("en", "US") is None
    assert date_order_of("en", None) is None
    assert date_order_of("id", "ID") is None  # other languages keep their own rule
    assert to_iso(parse_date("02/10/2020", lang="en", date_order=date_order_of("en", "GB"))) \
        == "2020-10-02T00:00:00Z"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2022-01-10T22:06:08:684Z", "2022-01-10T22:06:08Z"),  # milliseconds after a colon
    ("2022-01-27T12:45:36.270+01", "2022-01-27T11:45:36Z"),  # an hour-only offset
    ("2022-01-27T12:45:36+0530", "2022-01-27T07:15:36Z"),
])
def test_malformed_iso_dates_stay_year_first(raw, expected):
    # handed to dateparser with a day-first language they came out as 2010-01-22 and 1927
    assert to_iso(parse_date(raw, lang="de", timezone="Europe/Berlin")) == expected


def test_zone_of_a_pages_country():
    from pipelines.dates import zone_of_region
    from warta.urls import country_of_host

    at = datetime(2026, 11, 28, tzinfo=UTC)
    assert zone_of_region("AT", at) == "Europe/Vienna"
    assert zone_of_region("GB", at) == "Europe/London"
    assert zone_of_region("US", at) is None  # several offsets
    assert zone_of_region("ID", at) is None
    assert country_of_host("https://www.nachrichten.at/x") == "AT"
    assert country_of_host("https://www.bbc.co.uk/news") == "GB"
    assert country_of_host("https://techcrunch.com/x") is None
    assert country_of_host("https://example.io/x") is None  # a brand, not a country


def test_utc_date_on_a_page_of_a_country_is_that_countrys_day() -> None:
    from pipelines.dates import publisher_local, to_local_iso

    raw = "2019-10-18T22:04:00Z"
    local = publisher_local(parse_date(raw), raw, region_zone="Europe/Vienna")
    assert to_local_iso(local) == "2019-10-19T00:04:00+02:00"
    # unless the page itself shows the UTC day (a site whose clock is set to UTC)
    local = publisher_local(parse_date(raw), raw, region_zone="Europe/Vienna",
                            others=["18/10/2019"], lang="en")
    assert to_local_iso(local) == "2019-10-18T22:04:00+00:00"


SPANISH_PAGE = ('<html lang="es"><head><title>Titulo</title></head><body><article><h1>Titulo</h1>'
                '<div class="meta">Jueves 28 de Abril de 2022 5:03 PM</div><p>'
                + "texto de la noticia " * 40 + "</p></article></body></html>")


def test_htmldate_reads_a_written_date_in_the_pages_language_only(monkeypatch) -> None:
    import htmldate.extractors

    from pipelines import htmldate_fallback
    from pipelines.body import parse_html

    assert htmldate_fallback.INSTALLED
    used = []
    real = htmldate_fallback._external_parser

    def spy():
        parser = real()
        used.append(parser.languages)
        return parser

    monkeypatch.setattr(htmldate.extractors, "get_external_parser", spy)
    tree = parse_html(SPANISH_PAGE)
    assert htmldate_fallback.page_date(tree, "https://example.invalid/a", lang="es") == "2022-04-28"
    assert used and all(languages == ["es", "en"] for languages in used)
    # an unknown language, or none, leaves htmldate's own parser of every language
    assert htmldate_fallback._parser_for("xx") is None
    assert htmldate_fallback._external_parser().languages is None  # outside page_date


def test_an_htmldate_that_parses_elsewhere_is_left_alone(monkeypatch, caplog) -> None:
    import logging

    import htmldate.extractors

    from pipelines import htmldate_fallback

    def other(string):
        return None

    monkeypatch.setattr(htmldate.extractors, "_external_date", other)
    monkeypatch.setattr(htmldate.extractors, "get_external_parser", lambda: None)
    with caplog.at_level(logging.WARNING, logger="pipelines.htmldate_fallback"):
        assert htmldate_fallback._install() is False
    assert "parsed in every language" in caplog.text


def test_a_dated_string_is_read_by_dateparser_once():
    """A date that writes its year depends on nothing but its text, language, zone and
    order: a page that writes it in several places (or a site on every page) pays
    dateparser (3-5 ms) once."""
    from pipelines import dates

    text = "Wednesday, 21 Sep 2011 | 4:35 PM ET"  # not one of the forms read directly
    first = parse_date(text, lang="en", timezone="UTC")
    hits = dates._absolute_reading.cache_info().hits
    assert parse_date(text, lang="en", timezone="UTC") == first
    assert dates._absolute_reading.cache_info().hits == hits + 1
    assert first == datetime(2011, 9, 21, 21, 35, tzinfo=UTC)  # ET is -5, as dateparser has it
    # another zone is another reading
    assert parse_date(text, lang="en", timezone="Asia/Jakarta") == first
    assert dates._absolute_reading.cache_info().hits == hits + 1
