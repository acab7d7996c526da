"""Bytes to text for HTML pages whose declared charset may be wrong.

w3lib reads the charset the way browsers do (BOM, HTTP header, ``<meta charset>``); on top,
two mislabellings common on news sites are repaired: windows-1252 served as UTF-8, and
UTF-8 served as a Latin charset.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

_LATIN = {"cp1252", "windows-1252", "iso-8859-1", "latin-1", "latin1"}


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of an HTML page's bytes."""
    encoding, text = html_to_unicode(content_type, body)
    norm = encoding.lower().replace("_", "-")
    if text.count("\ufffd") > 3 and norm.replace("-", "") in ("utf8", "ascii"):
        return body.decode("cp1252", errors="replace"), "cp1252"
    if norm in _LATIN:
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return text, encoding
