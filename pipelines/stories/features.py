"""An article's evidence for story clustering: weighted terms from its title, lead and body.

Kinds of term, told apart by their first character (as written here; in memory and in the
archive each term is a 63-bit key, ``term_key``, with the top bit set for neutral ones):

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

Speed: the text is split into tokens and each token hashed in one compiled pass over its
UTF-8 bytes (``tokens.scan``); each token is looked up by its hash in a per-language
vocabulary (token -> its term, name and pair-part keys; ``_Vocabulary``), so a known token
costs one probe of a compiled hash table and a new one is decoded, lower-cased, stemmed and
hashed once; the weighing is one compiled pass (``kernels.term_weights``), and an article
whose tokens are all known is scanned, looked up and weighed in one call
(``kernels.known_terms``). The vocabulary is stored with the clusterer's snapshots
(``vocabularies_blob``), so a new process starts with what the last one learnt. On this
machine, for 250-word synthetic articles whose tokens are known: 0.035-0.04 ms an article
alone, ~0.05 ms inside the 1M-article benchmark (0.17 ms with the tokens split and hashed
in Python, 0.20-0.30 ms with string terms).
"""

from __future__ import annotations

import json
import re
from array import array
from dataclasses import dataclass, field
from hashlib import blake2b
from zlib import crc32

import numpy as np

from pipelines.stories import kernels
from pipelines.stories.kernels import (
    known_terms,
    pair_keys,
    term_weights,
    vocabulary_find,
    vocabulary_put,
)
from pipelines.stories.stopwords import STOPWORDS
from pipelines.stories.tokens import encode, token_hashes, tokenize, word_table

TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
LEAD_WORDS = 50
MAX_BODY_WORDS = 600  # the first 600 words decide the event; the rest costs time and adds noise
NAME_WEIGHT = 1.0
BIGRAM_WEIGHT = 2.0
BIGRAM_WORDS = 150  # word pairs from the title and the first 150 body words only
NEUTRAL_BOOST = 2.0
ENTITY_WEIGHT = 2.0

NEUTRAL = int(kernels.NEUTRAL)
"""The top bit of a neutral term's key."""
_NO_KEYS = np.zeros(0, dtype=np.uint64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)

# Per token position: the field's weight, and the field (0 title, 1 lead, 2 body with pairs,
# 3 body without). A word pair joins two neighbours of one field, never of field 3.
_NO_PAIRS = 3
_BODY_WEIGHTS = np.concatenate((np.full(LEAD_WORDS, LEAD_WEIGHT),
                                np.ones(MAX_BODY_WORDS - LEAD_WORDS)))
_BODY_FIELDS = np.array([1] * LEAD_WORDS + [2] * (BIGRAM_WORDS - LEAD_WORDS)
                        + [_NO_PAIRS] * (MAX_BODY_WORDS - BIGRAM_WORDS), dtype=np.int8)

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
    """What clustering needs of one article. Terms are 63-bit keys (``term_key``,
    ``pair_keys``), sorted, each once."""

    keys: np.ndarray
    """The terms' keys (uint64, ascending; neutral ones have the top bit set)."""
    weights: np.ndarray
    """Raw weight per term (sub-linear frequency times field weight, no IDF yet)."""
    body_words: int
    """Word tokens in the body, for the minimum-length rule."""
    title_keys: np.ndarray = field(default_factory=lambda: _NO_KEYS)
    """The keys of the title's terms (what ``article_features(title, None, lang)`` gives),
    ascending."""

    @property
    def terms(self) -> dict[int, float]:
        """Term key -> raw weight."""
        return dict(zip(self.keys.tolist(), self.weights.tolist(), strict=True))

    def __len__(self) -> int:
        return len(self.keys)


def _stem(word: str, lang: str | None) -> str:
    """Light suffix stripping: plural -s and possessive 's in English, -nya/-lah/-kah in
    Indonesian. Enough to match "chips" with "chip" and "ponselnya" with "ponsel" (not
    "GPUs" with "GPU": a word ending in -us keeps its s, as "campus" and "virus" must)."""
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


def term_key(term: str) -> int:
    """A term's 63-bit key, with the top bit set for a neutral term (``=`` name, ``#``
    number, ``@`` entity id): the CRC-32 of its UTF-8 bytes and of their reverse, side by
    side (two terms share a key with a probability of about 1e-7 in 2 million terms)."""
    data = term.encode()
    key = (crc32(data) << 31) ^ crc32(data[::-1])
    return key | NEUTRAL if term[0] in "=#@" else key


def pair_key(first: str, second: str) -> int:
    """The key of the word pair of two terms (``"betty"``, ``"ford"``)."""
    a = np.array([term_key(first)], dtype=np.uint64)
    b = np.array([term_key(second)], dtype=np.uint64)
    return int(pair_keys(a, b)[0])


class _Vocabulary:
    """The keys each token contributes: its term (0 for a token without evidence), its name
    (``=term`` for a capitalised word that may be a name, else 0) and its pair part (the
    term's key when the token may be part of a word pair, a word and not a number, else
    0). News repeats its vocabulary, so most tokens are looked up, not lower-cased, stemmed
    and hashed again; one per language.

    The lookup is a compiled open-addressing table on the tokens' hashes
    (``tokens.scan``'s, 64 bits; two of 300,000 tokens share one with a probability of
    about 1e-8), each row holding the hash and the three keys: one memory access a token,
    where a dict of strings took three (its index, its entry, the stored string), the cost
    of a lookup in a large process whose caches hold everything else."""

    def __init__(self, lang: str | None, size: int = 1 << 12) -> None:
        self.lang = lang
        self.tokens: list[str] = []
        self.table = np.zeros((size, 4), dtype=np.uint64)

    def __len__(self) -> int:
        return len(self.tokens)

    def rows_of(self, data: bytes, hashes: np.ndarray, starts: np.ndarray,
                ends: np.ndarray) -> np.ndarray:
        """The rows in ``table`` of the tokens ``tokens.scan`` found in ``data`` (their
        hashes and byte spans); new tokens are added."""
        rows, missing = vocabulary_find(self.table, hashes)
        if missing:
            new: dict[int, str] = {}
            at = np.flatnonzero(rows < 0)
            for h, a, b in zip(hashes[at].tolist(), starts[at].tolist(), ends[at].tolist(),
                               strict=True):
                if h not in new:
                    new[h] = data[a:b].decode("utf-8", "surrogatepass")
            size = len(self.table)
            self.add(list(new.values()), np.fromiter(new, dtype=np.uint64, count=len(new)))
            if len(self.table) != size:  # resized: every row moved
                rows, _ = vocabulary_find(self.table, hashes)
            else:
                rows[at] = vocabulary_find(self.table, hashes[at])[0]
        return rows

    def add(self, tokens: list[str], hashes: np.ndarray | None = None,
            keys: np.ndarray | None = None) -> None:
        """Store new tokens with their keys (worked out here unless given, n x 3) under
        their hashes (``tokens.token_hashes`` unless given)."""
        if keys is None:
            lang, flat = self.lang, array("Q")
            for token in tokens:
                flat.extend(_row(token, lang))
            keys = np.frombuffer(flat, dtype=np.uint64).reshape(-1, 3)
        if hashes is None:
            hashes = token_hashes(tokens)
        size = len(self.table)
        if 2 * (len(self.tokens) + len(tokens)) > size:  # at most half full
            while 2 * (len(self.tokens) + len(tokens)) > size:
                size *= 2
            old, self.table = self.table, np.zeros((size, 4), dtype=np.uint64)
            used = old[old[:, 0] != 0]
            vocabulary_put(self.table, used[:, 0].copy(), used[:, 1:].copy())
        vocabulary_put(self.table, hashes, np.ascontiguousarray(keys))
        self.tokens += tokens

    def keys(self) -> np.ndarray:
        """The tokens' keys, n x 3, in the order of ``tokens``."""
        rows, _ = vocabulary_find(self.table, token_hashes(self.tokens))
        return self.table[rows, 1:]


def _row(token: str, lang: str | None) -> tuple[int, int, int]:
    """A token's keys: term, name, pair part (see ``_Vocabulary``)."""
    term = _term(token, lang)
    if not term:
        return 0, 0, 0
    key = term_key(term)
    if term[0] == "#":
        return key, 0, 0
    if token[0].isupper() and term not in _MONTHS:
        return key, term_key("=" + term), key
    return key, 0, key


_VOCABULARIES: dict[str | None, _Vocabulary] = {}
_VOCABULARY_MAX = 300_000  # tokens; a vocabulary that grows past this starts afresh


def _vocabulary(lang: str | None) -> _Vocabulary:
    vocabulary = _VOCABULARIES.get(lang)
    if vocabulary is None or len(vocabulary) > _VOCABULARY_MAX:
        vocabulary = _VOCABULARIES[lang] = _Vocabulary(lang)
    return vocabulary


def _fingerprint() -> str:
    """What a stored vocabulary must match to be used: the stop words, month names and
    the keys of probe tokens (so that any change to how tokens become terms and keys
    makes older vocabularies stale)."""
    h = blake2b(digest_size=8)
    h.update("\x1f".join(sorted(STOPWORDS | _MONTHS)).encode())
    for lang in ("en", "id", None):
        for token in ("Musk's", "GPUs", "companies", "ponselnya", "10.000", "10,000", "The",
                      "Januari", "U.S", "co-founder", "Bapak", "x", "7"):
            h.update(repr(_row(token, lang)).encode())
    return h.hexdigest()


def vocabularies_size() -> int:
    """Tokens in this process's vocabularies (what ``vocabularies_blob`` would hold)."""
    return sum(map(len, _VOCABULARIES.values()))


def vocabularies_blob() -> bytes:
    """This process's token vocabularies as bytes (``load_vocabularies`` reads them back),
    so that a new process starts with its predecessor's: a crawl is a short process, and
    a token seen for the first time costs ten times a known one."""
    header: dict = {"fingerprint": _fingerprint(), "langs": []}
    parts = []
    for lang, vocabulary in _VOCABULARIES.items():
        text = "\x1f".join(vocabulary.tokens).encode()  # tokens never hold \x1f (white space)
        header["langs"].append([lang, len(vocabulary), len(text)])
        parts += [text, vocabulary.keys().tobytes()]
    return json.dumps(header).encode() + b"\n" + b"".join(parts)


def load_vocabularies(blob: bytes) -> int:
    """Take the vocabularies of ``vocabularies_blob`` where they are larger than this
    process's; none when they were made by other code (fingerprint). Returns the tokens
    taken."""
    head, _, body = blob.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return 0
    if not isinstance(header, dict) or header.get("fingerprint") != _fingerprint() or \
            sum(size + 24 * n for _, n, size in header["langs"]) != len(body):
        return 0  # other code's, or cut short
    taken, at = 0, 0
    for lang, n, size in header["langs"]:
        text, keys = body[at:at + size], body[at + size:at + size + 24 * n]
        at += size + 24 * n
        current = _VOCABULARIES.get(lang)
        if n > _VOCABULARY_MAX or (current is not None and len(current) >= n):
            continue
        tokens = text.decode().split("\x1f") if n else []
        if len(tokens) != n:
            continue
        vocabulary = _Vocabulary(lang)
        try:
            vocabulary.add(tokens, keys=np.frombuffer(keys, dtype=np.uint64).reshape(n, 3))
        except ValueError:  # a "token" that is not one: not a vocabulary this code wrote
            continue
        _VOCABULARIES[lang] = vocabulary
        taken += n
    return taken


def _is_title_case(tokens: list[str]) -> bool:
    """Headlines Written Like This say nothing about which words are names."""
    long_words = [t for t in tokens if len(t) > 3 and t[0].isalpha()]
    return len(long_words) >= 3 and sum(t[0].isupper() for t in long_words) > 0.6 * len(long_words)


def article_features(title: str | None, body: str | None, lang: str | None = None,
                     entity_ids: list[str] | tuple[str, ...] = ()) -> Features:
    """Weighted terms of one article: title x3, the first 50 body words x2, the rest x1
    (up to 600 words), word pairs x2, names, numbers and entity ids x2."""
    vocabulary = _vocabulary(lang)
    data, split = encode(title, body)
    known, keys, weights, title_keys, body_words = known_terms(
        np.frombuffer(data, dtype=np.uint8), split, word_table(), MAX_BODY_WORDS,
        vocabulary.table, _BODY_WEIGHTS, _BODY_FIELDS, _NO_PAIRS, TITLE_WEIGHT, NAME_WEIGHT,
        BIGRAM_WEIGHT, NEUTRAL_BOOST)
    if not known:  # new tokens, a title word beginning outside ASCII, or beyond the BMP
        keys, weights, title_keys, body_words = _learning_terms(vocabulary, title, body)
    f = Features(keys, weights, body_words, title_keys)
    return _with_entities(f, entity_ids) if entity_ids else f


def _learning_terms(vocabulary: _Vocabulary, title: str | None, body: str | None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """What ``kernels.known_terms`` gives, for any article: its new tokens are added to
    the vocabulary, and ``_is_title_case`` says whether the title is in Title Case."""
    data, hashes, starts, ends, nt, body_words, _, _ = tokenize(title, body, MAX_BODY_WORDS)
    if not len(hashes):
        return _NO_KEYS, _NO_WEIGHTS, _NO_KEYS, body_words
    rows = vocabulary.rows_of(data, hashes, starts, ends)  # before reading .table
    title_case = bool(nt) and _is_title_case(_tokens(title or ""))
    keys, weights, title_keys = term_weights(
        vocabulary.table, rows, nt, not title_case, _BODY_WEIGHTS, _BODY_FIELDS, _NO_PAIRS,
        TITLE_WEIGHT, NAME_WEIGHT, BIGRAM_WEIGHT, NEUTRAL_BOOST)  # a Headline Like This
    return keys, weights, title_keys, body_words  # names nothing


def _with_entities(f: Features, entity_ids: list[str] | tuple[str, ...]) -> Features:
    """``f`` with the ``@`` terms of the entity ids, each weighing ENTITY_WEIGHT x the
    neutral boost."""
    extra = np.unique(np.fromiter((term_key("@" + e) for e in entity_ids), dtype=np.uint64,
                                  count=len(entity_ids)))
    extra = extra[~np.isin(extra, f.keys)]
    if not len(extra):
        return f
    keys = np.concatenate((f.keys, extra))
    order = np.argsort(keys, kind="stable")
    weights = np.concatenate((f.weights, np.full(len(extra), ENTITY_WEIGHT * NEUTRAL_BOOST)))
    return Features(keys[order], weights[order], f.body_words, f.title_keys)


def is_neutral(key: int) -> bool:
    """Names, numbers and entity ids: terms that mean the same in every language."""
    return key >= NEUTRAL
