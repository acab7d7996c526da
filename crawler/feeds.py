"""The entries of a news feed: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0
and 1.1 (https://jsonfeed.org/version/1.1) read here: feedparser 6, the released line, reads
only XML.

Each entry gives the article's URL and what the feed says of it (title, publication date),
which the spider passes on as hints. A feed that gives no entry raises :class:`FeedError`
with a one-line reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import feedparser


class FeedError(ValueError):
    """A feed that is malformed or lists no entry; the message is one line."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    title: str | None = None
    published_raw: str | None = None


_JSON_START = b"{"
_WHITESPACE = b" \t\r\n\xef\xbb\xbf"  # and a UTF-8 byte-order mark


def feed_entries(body: bytes, headers: dict[str, str] | None = None) -> list[FeedEntry]:
    """The entries of a feed document that name a URL, in feed order."""
    headers = headers or {}
    first = body.lstrip(_WHITESPACE)[:1]  # what the document is, whatever the server says
    content_type = headers.get("content-type", "").lower()
    if first == _JSON_START or (first != b"<" and "json" in content_type):
        return _json_feed(body)
    feed = feedparser.parse(body, response_headers=headers)
    entries = []
    for e in feed.entries:
        url = next((u for u in (e.get("link"), e.get("id")) if _is_http(u)), None)
        if url:  # not "urn:uuid:...": an id that is no address
            entries.append(FeedEntry(url.strip(), e.get("title"),
                                     e.get("published") or e.get("updated")))
    if not entries:
        reason = feed.get("bozo_exception") or "no entries"
        raise FeedError(f"malformed or empty feed: {_one_line(reason)}")
    return entries


def _json_feed(body: bytes) -> list[FeedEntry]:
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError(f"malformed JSON feed: {_one_line(exc)}") from None
    except RecursionError:  # "[[[[...": nested past what the JSON parser will follow
        raise FeedError("malformed JSON feed: nested too deeply") from None
    items = doc.get("items") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise FeedError("malformed or empty feed: a JSON document without a JSON Feed's items")
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        # "url" is the item's own page; "id" may be one too; "external_url" is the page a
        # link post points to, not the article
        url = next((u for u in (item.get("url"), item.get("id")) if _is_http(u)), None)
        if url:
            entries.append(FeedEntry(url.strip(), _text(item.get("title")),
                                     _text(item.get("date_published") or
                                           item.get("date_modified"))))
    if not entries:
        raise FeedError("malformed or empty feed: no entries")
    return entries


def _is_http(value: Any) -> bool:
    return isinstance(value, str) and value.strip().startswith(("http://", "https://"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _one_line(reason: object) -> str:
    return " ".join(str(reason).split())[:200]
