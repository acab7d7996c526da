"""URL canonicalisation: one article URL however it was linked.

w3lib does the mechanics (percent-encoding, query order, fragments); warta adds only the
list of tracking parameters that never change what a page shows.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize
from w3lib.url import url_query_cleaner

_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid"
    r"|ref|ref_src|ref_url|_ga|_gl|cmpid|spm|share|amp;.*)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical form of ``url`` (made absolute against ``base`` when given).

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``, ``ref`` ...), and sorts the remaining query.
    """
    if base:
        url = urljoin(base, url.strip())
    url = _w3lib_canonicalize(url.strip(), keep_fragments=False)
    parts = urlsplit(url)
    if parts.query:
        keep = [k for k in _query_keys(parts.query) if not _TRACKING.match(k)]
        url = url_query_cleaner(url, keep, keep_fragments=False)
        parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def article_id(canonical_url: str) -> str:
    """A stable 16-hex-digit id for an article, derived from its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]  # noqa: S324


def _query_keys(query: str) -> list[str]:
    return [pair.split("=", 1)[0] for pair in query.split("&") if pair]
