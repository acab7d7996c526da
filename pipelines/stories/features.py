"""An article's evidence for story clustering: weighted terms from its title, lead and body.

Kinds of term, told apart by their first character:

- plain words (``gpu``, ``ponsel``): lower-cased, stop words dropped, lightly stemmed per
  language; they compare articles within one language (and brand words across both);
- ``=`` names (``=musk``): capitalised words that are not function words; with ``#`` numbers
  (``#10000``: ``10.000`` and ``10,000`` alike) and ``@`` entity ids from the entity pipeline
  they are *neutral*: the same in Indonesian and English, the only evidence that links
  articles across the two languages;
- ``~`` word pairs (``~betty_ford``, ``~red_sox``) from the title and the first 150 body
  words: phrases tell two events of one kind apart better than their words do;
- title and lead words count more than body words, since they say what the event is.

The weights (title x3, lead x2, pairs x2, neutral terms x2) were chosen by topic-split
cross-validation on the ECB+ dev set (bench/eval_stories.py).

Weights here are raw (sub-linear term frequency times field weight); inverse document
frequency is applied when comparing, with the archive's current frequencies.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from pipelines.stories.stopwords import STOPWORDS

NEUTRAL_PREFIXES = ("=", "#", "@")
TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_WORDS = 50
MAX_BODY_WORDS = 600  # the first 600 words decide the event; the rest costs time and adds noise
NAME_WEIGHT = 1.0
BIGRAM_WEIGHT = 2.0
BIGRAM_WORDS = 150  # word pairs from the title and the first 150 body words only
NEUTRAL_BOOST = 2.0
ENTITY_WEIGHT = 2.0

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


def _term(token: str, lang: str | None) -> str:
    """A token's term: ``#digits`` for a number of two or more digits, the stem of a word,
    or "" for what carries no evidence (stop words, single characters)."""
    low = token.lower()
    if low[0].isdigit():
        number = low.translate(_NUMBER_SEPARATORS)
        if number.isdigit():
            return "#" + number.lstrip("0") if len(number) > 1 else ""
    if low in STOPWORDS or len(low) < 2:
        return ""
    return _stem(low, lang)


# Token -> term, per language: news repeats its vocabulary, so most tokens are looked up
# instead of lower-cased and stemmed again. Cleared when it grows past _CACHE_MAX.
_CACHES: dict[str | None, dict[str, str]] = {}
_CACHE_MAX = 300_000


def _terms(tokens: list[str], lang: str | None) -> list[str]:
    cache = _CACHES.get(lang)
    if cache is None or len(cache) > _CACHE_MAX:
        cache = _CACHES[lang] = {}
    keys = [cache.get(t) for t in tokens]
    if None in keys:
        for i, k in enumerate(keys):
            if k is None:
                keys[i] = cache[tokens[i]] = _term(tokens[i], lang)
    return keys  # type: ignore[return-value]


def _add_field(counts: dict[str, float], tokens: list[str], weight: float,
               lang: str | None, names: bool, pairs: bool = True) -> None:
    """Count one field's words, word pairs and names into ``counts``, times ``weight``."""
    if not tokens:
        return
    keys = _terms(tokens, lang)
    found = Counter(filter(None, keys))
    if pairs and BIGRAM_WEIGHT:
        found_pairs = Counter([f"~{a}_{b}" for a, b in zip(keys, keys[1:], strict=False)
                         if a and b and a[0] != "#" and b[0] != "#"])
        for t, c in found_pairs.items():
            counts[t] = counts.get(t, 0.0) + c * weight * BIGRAM_WEIGHT
    if names:
        found_names = Counter(["=" + k for t, k in zip(tokens, keys, strict=True)
                               if k and t[0].isupper() and k[0] != "#" and k not in _MONTHS])
        for t, c in found_names.items():
            counts[t] = counts.get(t, 0.0) + c * weight * NAME_WEIGHT
    for t, c in found.items():
        counts[t] = counts.get(t, 0.0) + c * weight


def _is_title_case(tokens: list[str]) -> bool:
    """Headlines Written Like This say nothing about which words are names."""
    long_words = [t for t in tokens if len(t) > 3 and t[0].isalpha()]
    return len(long_words) >= 3 and sum(t[0].isupper() for t in long_words) > 0.6 * len(long_words)


def article_features(title: str | None, body: str | None, lang: str | None = None,
                     entity_ids: list[str] | tuple[str, ...] = ()) -> Features:
    """Weighted terms of one article: title x3, the first 50 body words x2, the rest x1
    (up to 600 words), word pairs x2, names, numbers and entity ids x2."""
    counts: dict[str, float] = {}
    title_tokens = _TOKEN.findall(title or "")
    _add_field(counts, title_tokens, TITLE_WEIGHT, lang, names=not _is_title_case(title_tokens))
    body_tokens = _TOKEN.findall(body or "")
    _add_field(counts, body_tokens[:LEAD_WORDS], LEAD_WEIGHT, lang, names=True)
    _add_field(counts, body_tokens[LEAD_WORDS:BIGRAM_WORDS], 1.0, lang, names=True)
    _add_field(counts, body_tokens[BIGRAM_WORDS:MAX_BODY_WORDS], 1.0, lang, names=True,
               pairs=False)
    log, boost = math.log, NEUTRAL_BOOST
    terms = {t: ((1.0 + log(c)) if c >= 1.0 else c) * (boost if t[0] in "=#" else 1.0)
             for t, c in counts.items()}
    for entity in dict.fromkeys(entity_ids):
        terms["@" + entity] = ENTITY_WEIGHT * boost
    return Features(terms=terms, body_words=len(body_tokens))


def is_neutral(term: str) -> bool:
    """Names, numbers and entity ids: terms that mean the same in every language."""
    return term.startswith(NEUTRAL_PREFIXES)
