"""htmldate as the last resort for a page's date, its text parser told the page's language.

When neither metadata nor the article's header gives a date, htmldate searches the page. In
its extensive search a few date-like strings (~1 page in 80 on the corpus) go to dateparser
with all of dateparser's 205 locales: the first such string in a process loads every one of
them (4 s and +44 MB RSS here), and each string costs ~30 ms after that. warta knows the
page's language, so :func:`page_date` has htmldate parse those strings in that language and
English only (~1 ms, nothing more loaded than those two). htmldate remembers each string's
result: the same string on a later page in another language is read as it was the first time.

This is installed over ``htmldate.extractors.get_external_parser``, after checking that
htmldate still calls it for those strings; if it does not, htmldate runs as shipped (slower,
the same dates) and a warning says so once. It applies only inside :func:`page_date`.
"""

from __future__ import annotations

import contextvars
import inspect
import logging
from functools import lru_cache
from typing import Any

import htmldate
import htmldate.extractors as _extractors
from dateparser import DateDataParser
from dateparser.data.languages_info import language_order

log = logging.getLogger(__name__)

_KNOWN = frozenset(language_order)
_ORIGINAL: Any = None
"""htmldate's own ``get_external_parser`` (every language), once installed over."""
_LANGUAGE = contextvars.ContextVar("warta_htmldate_language", default=None)


@lru_cache(maxsize=64)
def _parser_for(lang: str) -> DateDataParser | None:
    """htmldate's own parser settings, reading ``lang`` and English; None for a language
    dateparser does not know."""
    if lang not in _KNOWN:
        return None
    try:
        return DateDataParser(languages=list(dict.fromkeys([lang, "en"])),
                              settings=_ORIGINAL()._settings)
    except (ValueError, TypeError, AttributeError):  # htmldate's settings moved
        return None


def _external_parser() -> Any:  # noqa: ANN401 - htmldate's type, a DateDataParser
    """The parser for the current page's language, else htmldate's (every language)."""
    lang = _LANGUAGE.get()
    parser = _parser_for(lang) if lang else None
    return parser if parser is not None else _ORIGINAL()


def _install() -> bool:
    global _ORIGINAL
    original = getattr(_extractors, "get_external_parser", None)
    if original is _external_parser:
        return True
    try:
        source = inspect.getsource(_extractors._external_date)
    except (AttributeError, TypeError, OSError):
        source = ""
    if "get_external_parser()" not in source or not callable(original):
        log.warning("htmldate %s: its date parser is not set where warta expects it; dates "
                    "found in page text are parsed in every language (slower, the same "
                    "dates)", htmldate.__version__)
        return False
    _ORIGINAL = original
    _extractors.get_external_parser = _external_parser
    return True


INSTALLED = _install()


def page_date(tree: Any, url: str, *, lang: str | None, extensive: bool = True) -> str | None:  # noqa: ANN401
    """htmldate's publication day of ``tree`` (``YYYY-MM-DD``), None when it finds none or
    gives up on an odd tree. ``lang``: the page's language (two letters), if known."""
    token = _LANGUAGE.set(lang if INSTALLED else None)
    try:
        return htmldate.find_date(tree, extensive_search=extensive, original_date=True, url=url)
    except (ValueError, TypeError):  # htmldate gives up on odd trees
        return None
    finally:
        _LANGUAGE.reset(token)
