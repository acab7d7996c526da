"""URL canonicalisation: one article URL however it was linked.

w3lib does the mechanics (percent-encoding, query order, fragments); warta adds only the
list of tracking parameters that never change what a page shows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize
from w3lib.url import url_query_cleaner

_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid"
    r"|ref|ref_src|ref_url|_ga|_gl|cmpid|spm|share|amp;.*)$",
    re.IGNORECASE,
)
_AMP_PARAMS = re.compile(r"^(amp|outputtype|output|format)$", re.IGNORECASE)
_AMP_VALUES = {"", "1", "true", "amp"}
_AMP_PATH = re.compile(r"/amp/?$|\.amp(?=\.html?$|$)")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str, base: str | None = None,
                     host_aliases: Mapping[str, str] | None = None) -> str:
    """The canonical form of ``url`` (made absolute against ``base`` when given).

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters
    (``utm_*``, ``fbclid``, ``gclid``, ``ref`` ...) and AMP markers (``?amp=1``, a trailing
    ``/amp/``), sorts the remaining query, and maps a host to its main host when
    ``host_aliases`` says they are one site (``m.`` / ``amp.`` / ``www.`` variants).
    """
    if base:
        url = urljoin(base, url.strip())
    url = _w3lib_canonicalize(url.strip(), keep_fragments=False)
    parts = urlsplit(url)
    if parts.query:
        keep = [k for k, v in _query_pairs(parts.query) if not _TRACKING.match(k)
                and not (_AMP_PARAMS.match(k) and v.lower() in _AMP_VALUES)]
        url = url_query_cleaner(url, keep, keep_fragments=False)
        parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host_aliases:
        host = host_aliases.get(host, host)
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    path = _AMP_PATH.sub(lambda m: "/" if m.group(0).startswith("/") else "", parts.path) or "/"
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def article_id(canonical_url: str) -> str:
    """A stable 16-hex-digit id for an article, derived from its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]  # noqa: S324


def _query_pairs(query: str) -> list[tuple[str, str]]:
    pairs = []
    for pair in query.split("&"):
        if pair:
            key, _, value = pair.partition("=")
            pairs.append((key, value))
    return pairs


# Country-code TLDs sold worldwide for their letters, not their country (.io, .tv, .me ...).
_GENERIC_CCTLDS = frozenset({
    "ac", "ai", "am", "app", "cc", "co", "fm", "gg", "io", "is", "la", "ly", "me", "ms", "nu",
    "sh", "so", "st", "to", "tv", "vc", "ws",
})


def country_of_host(url: str) -> str | None:
    """The country (ISO 3166 alpha-2) a URL's country-code TLD names: "AT" for orf.at, "GB"
    for bbc.co.uk; None for generic TLDs (.com) and ccTLDs used as brands (.io, .tv, .co)."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    tld = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return None
    return "GB" if tld == "uk" else tld.upper()
