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
from operator import itemgetter

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
    title_terms: tuple[str, ...] = ()
    """The title's terms (what ``article_features(title, None, lang)`` gives), in order:
    the first ``len(title_terms)`` of ``terms``."""
    neutral_at: list[int] | None = None
    """Positions in ``terms`` of the neutral terms (names, numbers, entity ids)."""


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


# Whole-number multiples of a token for each field and kind: counting a list with each token
# repeated that many times gives the weighted counts in one C-level Counter pass.
_MULTIPLES = {name: int(w) for name, w in (
    ("title", TITLE_WEIGHT), ("title_pair", TITLE_WEIGHT * BIGRAM_WEIGHT),
    ("title_name", TITLE_WEIGHT * NAME_WEIGHT), ("lead", LEAD_WEIGHT),
    ("lead_pair", LEAD_WEIGHT * BIGRAM_WEIGHT), ("lead_name", LEAD_WEIGHT * NAME_WEIGHT),
    ("pair", BIGRAM_WEIGHT), ("name", NAME_WEIGHT)) if w == int(w)}
if len(_MULTIPLES) != 8:
    raise ValueError("story feature weights must be whole numbers")


def _tokens(text: str) -> list[str]:
    """``_TOKEN.findall(text)``, faster: no token spans white space, so the text's
    white-space separated pieces can be tokenised one by one, and a piece of letters and
    digits only (``str.isalnum`` is exactly what ``\\w`` matches, less ``_``) is one token."""
    pieces = text.split()
    if all(map(str.isalnum, pieces)):
        return pieces
    out: list[str] = []
    findall = _TOKEN.findall
    for piece in pieces:
        if piece.isalnum():
            out.append(piece)
        else:
            out += findall(piece)
    return out


# Token -> (term, name, pair part), per language: news repeats its vocabulary, so most tokens
# are looked up instead of lower-cased and stemmed again. Cleared when it grows past
# _CACHE_MAX. The term is "" for a token without evidence; the name is "=term" for a
# capitalised word that may be a name, else ""; the pair part is the term when the token
# may be part of a word pair (a word, not a number), else "".
_CACHES: dict[str | None, dict[str, tuple[str, str, str]]] = {}
_CACHE_MAX = 300_000
_TERM, _NAME, _PAIR = itemgetter(0), itemgetter(1), itemgetter(2)


def _lookup(token: str, lang: str | None) -> tuple[str, str, str]:
    key = _term(token, lang)
    word = key if key and key[0] != "#" else ""
    name = "=" + word if word and token[0].isupper() and word not in _MONTHS else ""
    return key, name, word


def _entries(tokens: list[str], lang: str | None) -> list[tuple[str, str, str]]:
    cache = _CACHES.get(lang)
    if cache is None or len(cache) > _CACHE_MAX:
        cache = _CACHES[lang] = {}
    entries = list(map(cache.get, tokens))
    if None in entries:
        for i, e in enumerate(entries):
            if e is None:
                entries[i] = cache[tokens[i]] = _lookup(tokens[i], lang)
    return entries  # type: ignore[return-value]


def _add_field(parts: list[str], tokens: list[str], field: str, lang: str | None,
               names: bool, pairs: bool = True) -> None:
    """Append one field's word pairs, names and words to ``parts``, each repeated its
    weight's number of times (in this order: the order in which terms first appear is
    kept, and with it the order of the features)."""
    if not tokens:
        return
    entries = _entries(tokens, lang)
    if pairs and BIGRAM_WEIGHT:
        words = list(map(_PAIR, entries))
        found = [f"~{a}_{b}" for a, b in zip(words, words[1:], strict=False) if a and b]
        parts += found * _MULTIPLES[f"{field}_pair" if field != "body" else "pair"]
    if names:
        found = list(filter(None, map(_NAME, entries)))
        parts += found * _MULTIPLES[f"{field}_name" if field != "body" else "name"]
    found = list(filter(None, map(_TERM, entries)))
    parts += found * _MULTIPLES.get(field, 1)


def _is_title_case(tokens: list[str]) -> bool:
    """Headlines Written Like This say nothing about which words are names."""
    long_words = [t for t in tokens if len(t) > 3 and t[0].isalpha()]
    return len(long_words) >= 3 and sum(t[0].isupper() for t in long_words) > 0.6 * len(long_words)


class _Sublinear(dict):
    """count -> 1 + ln(count) (the count itself below 1), remembered; times ``boost``."""

    def __init__(self, boost: float) -> None:
        super().__init__()
        self.boost = boost

    def __missing__(self, c: float) -> float:
        w = self[c] = ((1.0 + math.log(c)) if c >= 1.0 else c) * self.boost
        return w


_PLAIN_WEIGHT = _Sublinear(1.0)
_NEUTRAL_WEIGHT = _Sublinear(NEUTRAL_BOOST)


def article_features(title: str | None, body: str | None, lang: str | None = None,
                     entity_ids: list[str] | tuple[str, ...] = ()) -> Features:
    """Weighted terms of one article: title x3, the first 50 body words x2, the rest x1
    (up to 600 words), word pairs x2, names, numbers and entity ids x2."""
    parts: list[str] = []
    title_tokens = _tokens(title) if title else []
    _add_field(parts, title_tokens, "title", lang, names=not _is_title_case(title_tokens))
    title_terms = tuple(dict.fromkeys(parts))
    body_tokens = _tokens(body) if body else []
    _add_field(parts, body_tokens[:LEAD_WORDS], "lead", lang, names=True)
    _add_field(parts, body_tokens[LEAD_WORDS:BIGRAM_WORDS], "body", lang, names=True)
    _add_field(parts, body_tokens[BIGRAM_WORDS:MAX_BODY_WORDS], "body", lang, names=True,
               pairs=False)
    counts = Counter(parts)
    terms = dict(zip(counts, map(_PLAIN_WEIGHT.__getitem__, counts.values()), strict=True))
    neutral = [(i, t) for i, t in enumerate(counts) if t[0] in "=#"]
    for _, t in neutral:
        terms[t] = _NEUTRAL_WEIGHT[counts[t]]
    positions = [i for i, _ in neutral]
    for entity in dict.fromkeys(entity_ids):
        positions.append(len(terms))
        terms["@" + entity] = ENTITY_WEIGHT * NEUTRAL_BOOST
    return Features(terms=terms, body_words=len(body_tokens), title_terms=title_terms,
                    neutral_at=positions)


def is_neutral(term: str) -> bool:
    """Names, numbers and entity ids: terms that mean the same in every language."""
    return term.startswith(NEUTRAL_PREFIXES)
