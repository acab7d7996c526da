"""Self-check for the demo site: serves demo/site and verifies it against demo/site_manifest.json.

Not a pytest test; run it after `python demo/build_site.py`:

    python demo/check_site.py        (or: python -m demo.check_site)

Checks: every manifest article, listing, feed and sitemap is reachable and well-formed; feed and
sitemap URLs exist; page text matches the manifest (title, paragraphs in order, captions, dates,
authors); weekday names match their dates; the multi-page article and ?page=all; every internal
link and image on every page resolves; 404, path traversal, HEAD, ETag / If-None-Match /
If-Modified-Since (304); the `python -m demo.server` command line; total size. Exit status 1 on
any failure.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import deque
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

DEMO = Path(__file__).resolve().parent
sys.path.insert(0, str(DEMO.parent))
from demo.server import serve  # noqa: E402

MANIFEST = json.loads((DEMO / "site_manifest.json").read_text(encoding="utf-8"))
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]
BULAN3 = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EN_MONTH = ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"]
TZ = {"WIB": 7, "WITA": 8, "WIT": 9, "EST": -5, "UTC": 0}
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}

FAILURES: list[str] = []
CHECKS = 0


def check(cond: object, msg: str) -> bool:
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILURES.append(msg)
    return bool(cond)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


BLOCK_TAGS = frozenset("p div li ul ol h1 h2 h3 h4 h5 h6 br figure figcaption section article "
                       "header footer aside nav main table tr td title".split())


class Page(HTMLParser):
    """Collects links, <p> texts, headings, meta tags, time[datetime], JSON-LD and all text."""

    def __init__(self, html_text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.paragraphs: list[str] = []
        self.h1: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.times: list[str] = []
        self.jsonld: list[object] = []
        self.text_parts: list[str] = []
        self._p: list[list[str]] = []
        self._h1: list[str] | None = None
        self._script: list[str] | None = None
        self.feed(html_text)
        self.text = norm("".join(self.text_parts))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in BLOCK_TAGS:
            self.text_parts.append("\n")
        for key in ("href", "src"):
            if key in a and tag in ("a", "link", "img", "script"):
                self.links.append(a[key])
        if tag == "p":
            self._p.append([])
        elif tag == "h1":
            self._h1 = []
        elif tag == "meta" and "content" in a:
            self.meta[a.get("property") or a.get("name") or ""] = a["content"]
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag == "time" and "datetime" in a:
            self.times.append(a["datetime"])
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.text_parts.append("\n")
        if tag == "p" and self._p:
            self.paragraphs.append(norm("".join(self._p.pop())))
        elif tag == "h1" and self._h1 is not None:
            self.h1.append(norm("".join(self._h1)))
            self._h1 = None
        elif tag == "script" and self._script is not None:
            self.jsonld.append(json.loads("".join(self._script)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
            return
        for buf in self._p:
            buf.append(data)
        if self._h1 is not None:
            self._h1.append(data)
        self.text_parts.append(data)


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None
          ) -> tuple[int, dict[str, str], bytes]:
    req = Request(url, method=method, headers=headers or {})  # noqa: S310
    try:
        with urlopen(req, timeout=10) as resp:  # noqa: S310 - http only, local server
            return resp.status, dict(resp.headers), resp.read()
    except HTTPError as err:
        return err.code, dict(err.headers), err.read()


def raw_get(base: str, raw_path: str) -> int:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    conn.putrequest("GET", raw_path, skip_accept_encoding=True)
    conn.endheaders()
    resp = conn.getresponse()
    resp.read()
    conn.close()
    status = resp.status
    return status


# ---------------------------------------------------------------------------------------- dates

def parse_id_date(raw: str) -> tuple[datetime, str | None]:
    """Indonesian visible date -> (aware datetime, weekday name or None)."""
    m = re.fullmatch(r"(?:(\w+), )?(\d{1,2}) (\w+) (\d{4}),? (?:pukul )?(\d{2})[:.](\d{2}) "
                     r"(WIB|WITA|WIT)", raw)
    if m:
        day_name, dd, mon, yyyy, hh, mm, tz = m.groups()
        month = (BULAN.index(mon) if mon in BULAN else BULAN3.index(mon)) + 1
    else:
        m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4}), (\d{2}):(\d{2}) (WIB|WITA|WIT)", raw)
        if not m:
            raise ValueError(f"unrecognised Indonesian date: {raw!r}")
        dd, month_s, yyyy, hh, mm, tz = m.groups()
        month, day_name = int(month_s), None
    dt = datetime(int(yyyy), month, int(dd), int(hh), int(mm),
                  tzinfo=timezone(timedelta(hours=TZ[tz])))
    return dt, day_name


def parse_en_date(raw: str) -> datetime:
    raw = raw.removeprefix("Updated ")
    m = re.fullmatch(r"(\w+) (\d{1,2}), (\d{4}) at (\d{1,2}):(\d{2}) (AM|PM) (EST)", raw)
    if m:
        mon, dd, yyyy, h, mm, ampm, tz = m.groups()
        hour = int(h) % 12 + (12 if ampm == "PM" else 0)
        month = EN_MONTH.index(mon) + 1
    else:
        m = re.fullmatch(r"(\w{3})\. (\d{1,2}), (\d{4}), (\d{2}):(\d{2}) (UTC)", raw)
        if not m:
            raise ValueError(f"unrecognised English date: {raw!r}")
        mon, dd, yyyy, h, mm, tz = m.groups()
        hour, month = int(h), [x[:3] for x in EN_MONTH].index(mon) + 1
    return datetime(int(yyyy), month, int(dd), hour, int(mm),
                    tzinfo=timezone(timedelta(hours=TZ[tz])))


def utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_utc(value: str) -> str:
    return utc(datetime.fromisoformat(value.replace("Z", "+00:00")))


def check_weekdays_in_text(text: str, where: str) -> int:
    n = 0
    pattern = rf"\b({'|'.join(HARI)}), (\d{{1,2}}) ({'|'.join(BULAN + BULAN3)}) (\d{{4}})"
    for m in re.finditer(pattern, text):
        day_name, dd, mon, yyyy = m.groups()
        month = (BULAN.index(mon) if mon in BULAN else BULAN3.index(mon)) + 1
        actual = HARI[datetime(int(yyyy), month, int(dd)).weekday()]
        check(actual == day_name, f"{where}: {m.group(0)!r} is a {actual}")
        n += 1
    return n


# ---------------------------------------------------------------------------------------- checks

def check_manifest() -> None:
    arts = MANIFEST["articles"]
    outlets = MANIFEST["outlets"]
    counts = {o: sum(a["outlet"] == o for a in arts) for o in outlets}
    check(len(arts) >= 30, f"only {len(arts)} articles")
    check(counts["gamebrott"] >= 14 and counts["technews"] >= 14 and counts["portal"] >= 4,
          f"article counts {counts}")
    paths = [a["path"] for a in arts]
    check(len(set(paths)) == len(paths), "duplicate article paths")
    for a in arts:
        pattern = outlets[a["outlet"]]["article_url_pattern"]
        check(re.search(pattern, a["path"]), f"{a['path']} does not match its outlet pattern")
        check("2026-11-10" <= a["published_utc"][:10] <= "2026-11-28"
              and "2026-11-10" <= a["published_local"][:10] <= "2026-11-28",
              f"{a['path']} date out of range")
        check(a["published_local"][:10] <= MANIFEST["today"], f"{a['path']} is in the future")
        check(3 <= len(a["paragraphs"]) <= 9, f"{a['path']}: {len(a['paragraphs'])} paragraphs")
        for other in MANIFEST["outlets"]:
            check(not (other != a["outlet"] and re.search(outlets[other]["article_url_pattern"],
                                                          a["path"])),
                  f"{a['path']} also matches {other}'s pattern")
    for p in MANIFEST["non_articles"]:
        for o in outlets.values():
            check(not re.search(o["article_url_pattern"], urlsplit(p).path),
                  f"non-article {p} matches an article pattern")
    multi = [ev for ev, info in MANIFEST["events"].items()
             if len(info["outlets"]) >= 2 and ev != "nusantara-drift"]
    check(len(multi) >= 5, f"only {len(multi)} multi-outlet events")
    synd = [a for a in arts if a["syndicated_from"]]
    check(len(synd) == 1, "expected exactly one syndicated article")
    for a in synd:
        orig = next(x for x in arts if x["path"] == a["syndicated_from"])
        check(a["title"].lower() == orig["title"].lower() and a["title"] != orig["title"],
              "syndicated title should differ only in case")
        check(all(p in orig["paragraphs"] for p in a["paragraphs"]), "syndicated body differs")
    gb = [a for a in arts if a["outlet"] == "gamebrott"]
    no_meta = [a for a in gb if a["date_markup"] == "visible text only"]
    check(len(gb) // 3 <= len(no_meta) <= 2 * len(gb) // 3, "gamebrott meta/no-meta split")
    raws = " | ".join(a["published_raw"] for a in gb)
    for needle in (" WITA", " WIT", "/11/2026, ", " Nov 2026 ", " November 2026 "):
        check(needle in raws + " ", f"gamebrott dates lack a {needle!r} format")
    for a in arts:    # weekday + UTC consistency of every visible date
        if a["outlet"] == "technews":
            dt = parse_en_date(a["published_raw"])
        else:
            dt, day_name = parse_id_date(a["published_raw"])
            if day_name:
                check(day_name == HARI[dt.weekday()],
                      f"{a['path']}: {a['published_raw']!r} but it is a {HARI[dt.weekday()]}")
        check(utc(dt) == a["published_utc"], f"{a['path']}: raw date != published_utc")
        check(utc(datetime.fromisoformat(a["published_local"])) == a["published_utc"],
              f"{a['path']}: published_local != published_utc")


def check_article(base: str, a: dict, boilerplate: list[str]) -> Page | None:
    url = base + a["path"]
    status, headers, body = fetch(url)
    if not check(status == 200, f"{a['path']}: HTTP {status}"):
        return None
    check(headers.get("Content-Type") == "text/html; charset=utf-8", f"{a['path']}: content type")
    html_text = body.decode("utf-8")
    check("{{BASE}}" not in html_text, f"{a['path']}: placeholder left")
    page = Page(html_text)
    check(page.h1 == [a["title"]], f"{a['path']}: h1 {page.h1!r}")
    paras = a["page_paragraphs"][0] if a["pages"] > 1 else a["paragraphs"]
    positions = [page.paragraphs.index(p) if p in page.paragraphs else -1 for p in paras]
    check(-1 not in positions, f"{a['path']}: paragraph(s) missing from <p> elements")
    check(positions == sorted(positions), f"{a['path']}: paragraphs out of order")
    for cap in a["captions"]:
        check(cap in page.text, f"{a['path']}: caption missing")
    check(a["published_raw"] in page.text, f"{a['path']}: visible date {a['published_raw']!r}")
    if a["modified_raw"] and a["outlet"] != "gamebrott":
        check(a["modified_raw"] in page.text, f"{a['path']}: modified text missing")
    for author in a["authors"]:
        check(author in page.text, f"{a['path']}: author {author} missing")
    own = [x for x in MANIFEST["articles"] if x["outlet"] == a["outlet"]]
    real_text = [t for x in own for t in (*x["paragraphs"], *x["captions"], x["title"])]
    for line in boilerplate:   # listed lines never occur in any article's title/text/captions
        check(not any(line in t for t in real_text), f"boilerplate {line!r} occurs in real text")
    check(a["lang"] in ("id", "en"), f"{a['path']}: lang")
    markup = a["date_markup"]
    date_words = ("published_time", "datetime=", "ld+json", "datePublished", "PublishedDate")
    if markup == "visible text only":
        for w in date_words:
            check(w not in html_text, f"{a['path']}: should have no machine date but has {w}")
    if a["outlet"] == "gamebrott":
        check('class="author vcard"' in html_text and 'rel="author"' in html_text,
              f"{a['path']}: author vcard")
        for needle in ('<figure', 'class="wp-caption-text"', "Baca juga: ", "Exit mobile version",
                       "author@gamebrott.com", "Bagikan ini:", "Artikel Terkait"):
            check(needle in html_text, f"{a['path']}: missing {needle!r}")
        if markup.startswith("meta"):
            check(iso_utc(page.meta["article:published_time"]) == a["published_utc"],
                  f"{a['path']}: article:published_time")
            check(page.canonical == url and page.meta.get("og:url") == url
                  and page.meta.get("og:title") == a["title"] and "og:image" in page.meta,
                  f"{a['path']}: canonical/og")
            if a["modified_utc"]:
                check(iso_utc(page.meta["article:modified_time"]) == a["modified_utc"],
                      f"{a['path']}: modified_time")
        else:
            check(page.canonical is None and "og:title" not in page.meta,
                  f"{a['path']}: no-meta article has canonical/og")
    elif a["outlet"] == "technews":
        ld = next((x for x in page.jsonld if isinstance(x, dict)
                   and x.get("@type") == "NewsArticle"), None)
        if check(ld is not None, f"{a['path']}: no NewsArticle JSON-LD"):
            assert isinstance(ld, dict)
            check(ld["headline"] == a["title"], f"{a['path']}: ld headline")
            check(iso_utc(ld["datePublished"]) == a["published_utc"], f"{a['path']}: ld date")
            check(iso_utc(ld["dateModified"]) == a["modified_utc"], f"{a['path']}: ld modified")
            check([p["name"] for p in ld["author"]] == a["authors"], f"{a['path']}: ld authors")
            check(ld["keywords"] == ", ".join(a["tags"]), f"{a['path']}: ld keywords")
        check(page.times and iso_utc(page.times[0]) == a["published_utc"], f"{a['path']}: <time>")
        check(page.canonical == url and page.meta.get("og:url") == url, f"{a['path']}: canonical")
        names = a["authors"]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        byline = "By " + joined
        check(byline in page.text, f"{a['path']}: byline {byline!r}")
        for needle in ("Advertisement", "Read more:", "Subscribe to our newsletter",
                       "Share this story", "Photo: ", "© 2026 The Circuit. All rights reserved."):
            check(needle in page.text, f"{a['path']}: missing {needle!r}")
    else:
        if "content_PublishedDate" in markup:
            local = datetime.fromisoformat(a["published_local"])
            check(page.meta.get("content_PublishedDate") == local.strftime("%Y-%m-%d %H:%M:%S"),
                  f"{a['path']}: content_PublishedDate")
        if markup.startswith("json-ld"):
            first = page.jsonld[0]
            assert isinstance(first, dict)
            check(iso_utc(first["datePublished"]) == a["published_utc"], f"{a['path']}: ld date")
        for needle in ("Baca juga: ", "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT",
                       "Dapatkan informasi dan insight pilihan redaksi Kabar Tekno",
                       "Bagikan artikel ini melalui", "Penulis: ", "Editor: "):
            check(needle in page.text, f"{a['path']}: missing {needle!r}")
    check_weekdays_in_text(page.text, a["path"])
    for alt in a["alt_paths"]:
        s2, _, b2 = fetch(base + alt)
        check(s2 == 200 and b2 == body, f"{alt}: should serve the same page as {a['path']}")
    return page


def check_paged(base: str, a: dict) -> None:
    url = base + a["path"]
    pages = a["page_paragraphs"]
    markers = a["page_markers"]
    check(a["pages"] == 3 and len(pages) == 3 and a["all_in_one"] == "?page=all",
          "paged article shape")
    check([p for block in pages for p in block] == a["paragraphs"], "page_paragraphs != paragraphs")
    bodies = []
    for n, page_path in enumerate(a["page_paths"], start=1):
        status, _, body = fetch(base + page_path)
        text = body.decode()
        bodies.append(text)
        page = Page(text)
        check(status == 200, f"{page_path}: HTTP {status}")
        check(all(p in page.paragraphs for p in pages[n - 1]), f"{page_path}: paragraphs")
        others = [p for i, block in enumerate(pages) if i != n - 1 for p in block]
        check(not any(p in page.paragraphs for p in others), f"{page_path}: other pages' text")
        for k, marker in markers.items():
            check((marker in page.text) == (int(k) == n), f"{page_path}: marker {k}")
        check("read__paging" in text and "?page=all" in text, f"{page_path}: pager")
        if n < 3:
            check(f'?page={n + 1}">Halaman Selanjutnya' in text, f"{page_path}: next link")
        if n > 1:
            check("Halaman Sebelumnya" in text, f"{page_path}: previous link")
    check("Halaman 1 2 3" in Page(bodies[0]).text, "page 1 pager text")
    status, _, body = fetch(url + a["all_in_one"])
    page = Page(body.decode())
    check(status == 200, "?page=all status")
    positions = [page.paragraphs.index(p) if p in page.paragraphs else -1 for p in a["paragraphs"]]
    check(-1 not in positions and positions == sorted(positions), "?page=all paragraphs")
    check("read__paging" not in body.decode(), "?page=all has a pager")
    check(all(m in page.text for m in markers.values()), "?page=all markers")
    s1, _, b1 = fetch(url + "?page=1")
    check(s1 == 200 and b1.decode() == bodies[0], "?page=1 == page 1")
    s9, _, b9 = fetch(url + "?page=9")
    check(s9 == 200 and b9.decode() == bodies[0], "?page=9 falls back to page 1")


def check_feeds(base: str, article_paths: set[str], discovered: set[str]) -> None:
    arts = {a["path"]: a for a in MANIFEST["articles"]}
    for name, o in MANIFEST["outlets"].items():
        status, headers, body = fetch(base + o["feed"])
        check(status == 200, f"{o['feed']}: HTTP {status}")
        expected_type = ("application/atom+xml" if o["feed_format"] == "atom"
                         else "application/rss+xml")
        check(headers.get("Content-Type", "").startswith(expected_type), f"{o['feed']}: type")
        try:
            root = ET.fromstring(body)  # noqa: S314 - our own files
        except ET.ParseError as err:
            check(False, f"{o['feed']}: not well-formed ({err})")
            continue
        links: list[str] = []
        if o["feed_format"] == "atom":
            for entry in root.findall("atom:entry", NS):
                link = entry.find("atom:link[@rel='alternate']", NS)
                assert link is not None
                links.append(link.get("href", ""))
                path = link.get("href", "").removeprefix(base)
                if path in arts:
                    pub = entry.findtext("atom:published", "", NS)
                    check(iso_utc(pub) == arts[path]["published_utc"], f"{path}: atom published")
                    names = [n.text for n in entry.findall("atom:author/atom:name", NS)]
                    check(names == arts[path]["authors"], f"{path}: atom authors")
        else:
            for item in root.iter("item"):
                links.append(item.findtext("link", ""))
                path = item.findtext("link", "").removeprefix(base)
                if path in arts:
                    when = email.utils.parsedate_to_datetime(item.findtext("pubDate", ""))
                    check(when.utcoffset() == timedelta(hours=7), f"{path}: pubDate not +0700")
                    check(utc(when) == arts[path]["published_utc"], f"{path}: RSS pubDate")
                    creator = item.findtext("dc:creator", None, NS)
                    if name == "gamebrott":
                        check(creator == arts[path]["authors"][0], f"{path}: dc:creator")
        paths = [link.removeprefix(base) for link in links]
        check(all(link.startswith(base) for link in links), f"{o['feed']}: foreign link")
        check(sorted(paths) == sorted(o["in_feed"]) and len(paths) == o["feed_size"],
              f"{o['feed']}: items differ from manifest in_feed")
        check(set(paths) <= article_paths, f"{o['feed']}: non-article item")
        if name == "gamebrott":
            check(len(paths) < sum(a["outlet"] == name for a in MANIFEST["articles"]),
                  "gamebrott feed should not list every article")
        for p in paths:
            check(fetch(base + p)[0] == 200, f"feed item {p} unreachable")
        discovered.update(paths)


def check_sitemaps(base: str, article_paths: set[str], discovered: set[str]) -> None:
    status, _, robots = fetch(base + "/robots.txt")
    text = robots.decode()
    check(status == 200 and "Disallow: /private/" in text, "robots.txt")
    listed = re.findall(r"^Sitemap: (\S+)$", text, re.M)
    check(sorted(u.removeprefix(base) for u in listed)
          == sorted(o["sitemap"] for o in MANIFEST["outlets"].values()), "robots Sitemap lines")
    queue = deque(listed)
    seen: set[str] = set()
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        status, headers, body = fetch(url)
        check(status == 200, f"sitemap {url}: HTTP {status}")
        check(headers.get("Content-Type") == "application/xml; charset=utf-8", f"{url}: type")
        try:
            root = ET.fromstring(body)  # noqa: S314 - our own files
        except ET.ParseError as err:
            check(False, f"sitemap {url}: not well-formed ({err})")
            continue
        if root.tag == f"{{{NS['sm']}}}sitemapindex":
            queue.extend(loc.text or "" for loc in root.findall("sm:sitemap/sm:loc", NS))
            continue
        check(root.tag == f"{{{NS['sm']}}}urlset", f"{url}: root {root.tag}")
        for u in root.findall("sm:url", NS):
            loc = u.findtext("sm:loc", "", NS)
            check(loc.startswith(base), f"{url}: foreign loc {loc}")
            path = loc.removeprefix(base)
            check(fetch(loc, "HEAD")[0] == 200, f"sitemap loc {path} unreachable")
            check(bool(u.findtext("sm:lastmod", "", NS)), f"{path}: no lastmod")
            if path in article_paths:
                discovered.add(path)
            news = u.find("news:news", NS)
            if "news-sitemap" in url:
                if check(news is not None, f"{path}: no news:news"):
                    assert news is not None
                    check(news.findtext("news:publication/news:name", "", NS) == "The Circuit"
                          and news.findtext("news:publication/news:language", "", NS) == "en",
                          f"{path}: news:publication")
                    art = next(a for a in MANIFEST["articles"] if a["path"] == path)
                    check(news.findtext("news:title", "", NS) == art["title"], f"{path}: title")
                    check(iso_utc(news.findtext("news:publication_date", "", NS))
                          == art["published_utc"], f"{path}: publication_date")
    for name, o in MANIFEST["outlets"].items():
        for sm in o["sitemaps"]:
            check(base + sm in seen, f"{sm} not reached from robots.txt")
        mine = {a["path"] for a in MANIFEST["articles"] if a["outlet"] == name}
        check(mine <= discovered, f"{name}: sitemap misses {sorted(mine - discovered)[:3]}")


def check_links(base: str, start: list[str], article_paths: set[str], discovered: set[str]) -> None:
    """Crawl every same-host HTML page; every internal href/src must answer 200."""
    queue = deque(start)
    seen: set[str] = set()
    pages = 0
    texts: dict[str, list[str]] = {name: [] for name in MANIFEST["outlets"]}
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = fetch(base + path)
        if not check(status == 200, f"link target {path}: HTTP {status}"):
            continue
        if not headers.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        text = body.decode("utf-8")
        check("{{BASE}}" not in text, f"{path}: placeholder left")
        page = Page(text)
        check_weekdays_in_text(page.text, path)
        outlet = path.split("/")[1]
        if outlet in texts:
            texts[outlet].append(page.text)
        for link in page.links:
            if link.startswith(base):
                target = link.removeprefix(base) or "/"
                if urlsplit(target).path in article_paths and "share=" not in target:
                    discovered.add(urlsplit(target).path)
                if target not in seen:
                    queue.append(target)
            else:
                check(link.startswith(("https://", "mailto:", "#")), f"{path}: odd link {link}")
    check(pages >= 150, f"crawled only {pages} pages")
    for outlet, lines in MANIFEST["boilerplate"].items():
        joined = "\n".join(texts[outlet])
        for line in lines:
            check(line in joined, f"{outlet} boilerplate {line!r} appears on no page")


def check_server(base: str) -> None:
    status, headers, body = fetch(base + "/no/such/page/")
    check(status == 404 and b"404" in body and headers.get("Content-Type", "").startswith(
        "text/html"), "404 page")
    check(fetch(base + "/gamebrott/missing.xml")[0] == 404, "missing file 404")
    for raw in ("/../build_site.py", "/%2e%2e/build_site.py", "/gamebrott/../../server.py",
                "/%2E%2E/%2E%2E/etc/passwd", "/gamebrott/%00/"):
        check(raw_get(base, raw) == 404, f"traversal {raw} not blocked")
    url = base + "/gamebrott/"
    status, headers, body = fetch(url)
    etag, lastmod = headers.get("ETag"), headers.get("Last-Modified")
    check(status == 200 and etag and lastmod, "ETag / Last-Modified present")
    hs, hh, hb = fetch(url, "HEAD")
    check(hs == 200 and hb == b"" and hh.get("Content-Length") == str(len(body))
          and hh.get("ETag") == etag, "HEAD")
    check(fetch(url, headers={"If-None-Match": etag or ""})[0] == 304, "If-None-Match -> 304")
    check(fetch(url, headers={"If-None-Match": '"stale", ' + (etag or "")})[0] == 304,
          "If-None-Match list -> 304")
    check(fetch(url, headers={"If-None-Match": '"stale"'})[0] == 200, "stale ETag -> 200")
    check(fetch(url, headers={"If-Modified-Since": lastmod or ""})[0] == 304,
          "If-Modified-Since -> 304")
    check(fetch(url, headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})[0] == 200,
          "old If-Modified-Since -> 200")
    check(fetch(base + "/gamebrott/?ak_action=reject_mobile")[2] == body, "query ignored")
    check(fetch(base + "/gamebrott")[2] == body, "directory without slash")
    fs, fh, fb = fetch(base + "/gamebrott/feed/")
    check(fs == 200 and fh.get("Content-Type") == "application/rss+xml; charset=utf-8"
          and fb.startswith(b"<?xml"), "/gamebrott/feed/ serves index.rss as RSS")
    rs, rh, rb = fetch(base + "/robots.txt")
    check(rh.get("Content-Type") == "text/plain; charset=utf-8" and base.encode() in rb, "robots")
    ps, ph, _ = fetch(base + MANIFEST["articles"][0]["image"])
    check(ps == 200 and ph.get("Content-Type") == "image/png", "image served")
    track = MANIFEST["tracking_url"]
    ts, _, tb = fetch(base + track)
    clean = fetch(base + urlsplit(track).path)[2]
    check(ts == 200 and tb == clean, "tracking URL serves the clean page")
    home = fetch(base + "/technews/")[2].decode()
    check(track.replace("&", "&amp;") in home, "tracking URL linked from /technews/")
    check(fetch(base + "/private/drafts/")[0] == 200, "/private/drafts/ exists")


def check_cli() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "demo.server", "--port", "0"],  # noqa: S603
                            cwd=DEMO.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        ok = re.fullmatch(r"http://127\.0\.0\.1:\d+", line)
        check(ok, f"CLI first line {line!r}")
        if ok:
            check(fetch(line + "/robots.txt")[0] == 200, "CLI server answers")
        proc.terminate()
        proc.wait(timeout=10)
        check(proc.returncode == 0, f"CLI exit status {proc.returncode}")
        assert proc.stderr is not None
        check(proc.stderr.read().strip() == "", "CLI logged to stderr without --verbose")
    finally:
        if proc.poll() is None:
            proc.kill()


def main() -> int:
    check_manifest()
    server, base = serve()
    try:
        check(re.fullmatch(r"http://127\.0\.0\.1:\d+", base), f"base url {base!r}")
        article_paths = {a["path"] for a in MANIFEST["articles"]}
        boiler = MANIFEST["boilerplate"]
        for a in MANIFEST["articles"]:
            check_article(base, a, boiler[a["outlet"]])
            if a["pages"] > 1:
                check_paged(base, a)
        for line_set in boiler.values():
            check(len(line_set) >= 8, "boilerplate list too short")
        for p in MANIFEST["non_articles"]:
            status, _, body = fetch(base + p)
            check(status == 200, f"non-article {p}: HTTP {status}")
        for o in MANIFEST["outlets"].values():
            for listing in o["listings"]:
                page = Page(fetch(base + listing)[2].decode())
                linked = {link.removeprefix(base) for link in page.links}
                check(linked & article_paths, f"listing {listing} links no article")
        cat = fetch(base + "/gamebrott/category/tech/")[2].decode()
        check(re.search(r"\d{1,2} November 2026", cat), "category page shows Indonesian dates")
        check("/gamebrott/category/tech/page/2/" in cat, "category page links page 2")
        via_feeds: set[str] = set()
        check_feeds(base, article_paths, via_feeds)
        via_sitemaps: set[str] = set()
        check_sitemaps(base, article_paths, via_sitemaps)
        via_links: set[str] = set()
        check_links(base, ["/", *MANIFEST["non_articles"], *sorted(article_paths)], article_paths,
                    via_links)
        check(via_feeds | via_sitemaps == article_paths, "articles unreachable by feed/sitemap")
        check_server(base)
    finally:
        server.shutdown()
        server.server_close()
    check_cli()
    size = sum(f.stat().st_size for f in (DEMO / "site").rglob("*") if f.is_file())
    check(size < 2 * 1024 * 1024, f"demo/site is {size} bytes")
    for msg in FAILURES:
        print("FAIL:", msg)
    print(f"{CHECKS - len(FAILURES)}/{CHECKS} checks passed; {len(MANIFEST['articles'])} articles, "
          f"demo/site {size / 1024:.0f} KiB")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
