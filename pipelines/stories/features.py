"""An article's evidence for story clustering: weighted terms from its title, lead and body.

Three kinds of term, told apart by their first character:

- plain words (``gpu``, ``ponsel``): lower-cased, stop words dropped, lightly stemmed per
  language; they compare articles within one language (and brand words across both);
- ``=`` names (``=musk``): capitalised words that are not function words; with ``#`` numbers
  (``#10000``: ``10.000`` and ``10,000`` alike) and ``@`` entity ids from the entity pipeline
  they are *neutral*: the same in Indonesian and English, the only evidence that links
  articles across the two languages;
- title and lead words count more than body words, since they say what the event is.

Weights here are raw (sub-linear term frequency times field weight); inverse document
frequency is applied when comparing, with the archive's current frequencies.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pipelines.stories.stopwords import STOPWORDS

NEUTRAL_PREFIXES = ("=", "#", "@")
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_WORDS = 50
MAX_BODY_WORDS = 600  # the first 600 words decide the event; the rest costs time and adds noise
NAME_WEIGHT = 1.0

# A token: letters/digits, with inner apostrophes, hyphens, dots or commas ("co-founder",
# "10.000", "U.S"); an apostrophe suffix ("Musk's") is cut off by the stemmer.
_TOKEN = re.compile(r"\w+(?:['’.,-]\w+)*")
_NUMBER_SEPARATORS = str.maketrans("", "", ".,")
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "januari februari maret mei juni juli agustus oktober desember "
    "jan feb mar apr jun jul aug agu sep sept oct okt nov dec des".split()
)


@dataclass(frozen=True)
class Features:
    """What clustering needs of one article."""

    terms: dict[str, float]
    """Raw weight per term (sub-linear frequency times field weight, no IDF yet)."""
    body_words: int
    """Word tokens in the body, for the minimum-length rule."""


def _stem(word: str, lang: str | None) -> str:
    """Light suffix stripping: plural -s and possessive 's in English, -nya/-lah/-kah in
    Indonesian. Enough to match "GPUs" with "GPU" and "ponselnya" with "ponsel"."""
    if "'" in word or "’" in word:
        word = re.split(r"['’]", word, maxsplit=1)[0]
    if lang == "id":
        for suffix in ("nya", "lah", "kah"):
            if word.endswith(suffix) and len(word) > len(suffix) + 3:
                return word[: -len(suffix)]
        return word
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        return word[:-1]
    return word


def _add_tokens(counts: dict[str, float], tokens: list[str], weight: float,
                lang: str | None, names: bool) -> int:
    """Count one field's tokens into ``counts``; returns how many word tokens it had."""
    words = 0
    for raw in tokens:
        words += 1
        low = raw.lower()
        if low[0].isdigit():
            number = low.translate(_NUMBER_SEPARATORS)
            if number.isdigit():
                if len(number) > 1:
                    key = "#" + number.lstrip("0")
                    counts[key] = counts.get(key, 0.0) + weight
                continue
        if low in STOPWORDS or len(low) < 2:
            continue
        stem = _stem(low, lang)
        counts[stem] = counts.get(stem, 0.0) + weight
        if names and raw[0].isupper() and low not in _MONTHS:
            key = "=" + stem
            counts[key] = counts.get(key, 0.0) + weight * NAME_WEIGHT
    return words


def _is_title_case(tokens: list[str]) -> bool:
    """Headlines Written Like This say nothing about which words are names."""
    long_words = [t for t in tokens if len(t) > 3 and t[0].isalpha()]
    return len(long_words) >= 3 and sum(t[0].isupper() for t in long_words) > 0.6 * len(long_words)


def article_features(title: str | None, body: str | None, lang: str | None = None,
                     entity_ids: list[str] | tuple[str, ...] = ()) -> Features:
    """Weighted terms of one article: title x3, the first 50 body words x2, the rest x1
    (up to 600 words), plus one ``@`` term per entity id."""
    counts: dict[str, float] = {}
    title_tokens = _TOKEN.findall(title or "")
    _add_tokens(counts, title_tokens, TITLE_WEIGHT, lang, names=not _is_title_case(title_tokens))
    body_tokens = _TOKEN.findall(body or "")
    body_words = len(body_tokens)
    _add_tokens(counts, body_tokens[:LEAD_WORDS], LEAD_WEIGHT, lang, names=True)
    _add_tokens(counts, body_tokens[LEAD_WORDS:MAX_BODY_WORDS], 1.0, lang, names=True)
    terms = {t: (1.0 + math.log(c)) if c >= 1.0 else c for t, c in counts.items()}
    for entity in dict.fromkeys(entity_ids):
        terms["@" + entity] = TITLE_WEIGHT
    return Features(terms=terms, body_words=body_words)


def is_neutral(term: str) -> bool:
    """Names, numbers and entity ids: terms that mean the same in every language."""
    return term.startswith(NEUTRAL_PREFIXES)
