"""Bytes to text for HTML pages whose declared charset may be wrong.

Valid UTF-8 is taken as UTF-8 whatever the page declares: non-ASCII text in another charset
almost never forms valid UTF-8 by accident, while pages that declare gb2312, iso-8859-x or
windows-1252 and are really UTF-8 are common. Otherwise w3lib reads the charset the way
browsers do (BOM, HTTP header, ``<meta charset>``). A page declared UTF-8 that is mostly not
(windows-1252 served as UTF-8) is decoded as windows-1252; a few stray bad bytes in a UTF-8
page are only replaced.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

BAD_SHARE = 0.2
"""Share of non-ASCII characters that may be undecodable before UTF-8 is ruled out."""


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of an HTML page's bytes."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding, text = html_to_unicode(content_type, body)
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "ascii"):
        bad = text.count("\ufffd")
        non_ascii = sum(1 for ch in text if ord(ch) > 127)
        if bad and bad > BAD_SHARE * non_ascii:
            return body.decode("cp1252", errors="replace"), "cp1252"
    return text, encoding
