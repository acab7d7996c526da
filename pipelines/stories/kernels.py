"""The numeric inner loops of story clustering, compiled with numba.

Assigning an article to a story is a few hundred small steps over arrays of a few hundred
terms: an article's weighted terms, its TF-IDF vector, its dot product with a dozen
centroids, the centroid it joins. As numpy calls each step costs 1-3 us of call overhead
whatever its size, and they added up to most of an assignment; compiled, each of these
functions is one call and a pass or two over its arrays.

Term keys are 63-bit integers (``features.term_key``), neutral ones with the top bit set;
every key array here is sorted ascending with each key once, so that two of them meet by
merging. Document frequencies are ``DocFrequencies.counts``, indexed by a key's low bits.

Compiled on first use and cached beside this file (``cache=True``), so only the first
process after an install pays the compile time (about 12 s here).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from pipelines.stories.tokens import scan

NEUTRAL = np.uint64(1 << 63)
"""The top bit of a neutral term's key (names, numbers, entity ids)."""
_MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9)
_LOW63 = np.uint64((1 << 63) - 1)
_S29, _S32 = np.uint64(29), np.uint64(32)


@njit(cache=True, inline="always")
def _pair(a: np.uint64, b: np.uint64) -> np.uint64:
    h = a * _MIX1 + b
    h ^= h >> _S29
    h *= _MIX2
    h ^= h >> _S32
    return h & _LOW63


@njit(cache=True)
def pair_keys(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Keys of word pairs from their words' keys: an order-sensitive mix, top bit clear (a
    pair is never neutral)."""
    out = np.empty(first.shape[0], dtype=np.uint64)
    for i in range(first.shape[0]):
        out[i] = _pair(first[i], second[i])
    return out


@njit(cache=True)
def vocabulary_find(table: np.ndarray, hashes: np.ndarray) -> tuple[np.ndarray, int]:
    """Each token's row in an open-addressing ``table`` (rows: token hash, then the
    token's three keys; hash 0 marks an empty row, a token hashing to 0 is stored as 1),
    -1 where it is missing, and how many are missing."""
    mask = table.shape[0] - 1
    out = np.empty(hashes.shape[0], dtype=np.int64)
    missing = 0
    for i in range(hashes.shape[0]):
        h = hashes[i] if hashes[i] != 0 else np.uint64(1)
        p = np.int64(h & np.uint64(mask))
        while True:
            stored = table[p, 0]
            if stored == h:
                out[i] = p
                break
            if stored == 0:
                out[i] = -1
                missing += 1
                break
            p = (p + 1) & mask
    return out, missing


@njit(cache=True)
def vocabulary_put(table: np.ndarray, hashes: np.ndarray, rows: np.ndarray) -> None:
    """Store tokens (their hashes and rows of three keys) in ``table`` (see
    ``vocabulary_find``), which must have room."""
    mask = table.shape[0] - 1
    for i in range(hashes.shape[0]):
        h = hashes[i] if hashes[i] != 0 else np.uint64(1)
        p = np.int64(h & np.uint64(mask))
        while table[p, 0] != 0 and table[p, 0] != h:
            p = (p + 1) & mask
        table[p, 0] = h
        table[p, 1], table[p, 2], table[p, 3] = rows[i, 0], rows[i, 1], rows[i, 2]


_SEEN = np.uint32(1 << 31)  # a mark on a count while a document's terms are counted


@njit(cache=True)
def count_terms(counts: np.ndarray, keys: np.ndarray, mask: np.uint64, step: int) -> None:
    """Add one document (``step`` 1) or take one away (-1) from the document frequencies
    ``counts`` (uint32) of terms ``keys``: a slot (a key's low bits) changes once however
    many of the keys fall in it, and never below 0."""
    for i in range(keys.shape[0]):
        s = keys[i] & mask
        c = counts[s]
        if c & _SEEN == 0:
            if step > 0:
                c += np.uint32(1)
            elif c > 0:
                c -= np.uint32(1)
            counts[s] = c | _SEEN
    for i in range(keys.shape[0]):
        s = keys[i] & mask
        counts[s] = counts[s] & ~_SEEN


@njit(cache=True, inline="always")
def _slot(key: np.uint64, mask: int) -> int:
    return np.int64((key ^ (key >> _S29)) & np.uint64(mask))


@njit(cache=True)
def term_weights(table: np.ndarray, codes: np.ndarray, n_title: int, title_names: bool,
                 body_weights: np.ndarray, body_fields: np.ndarray, no_pairs: int,
                 title_weight: float, name_weight: float, pair_weight: float,
                 neutral_boost: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An article's terms from its tokens' rows of ``table`` (``vocabulary_find``; title
    first, then body): each token's term, its name (not in the title unless
    ``title_names``) and the pair it starts with the next token of its field (fields and
    weights per body position in ``body_fields``/``body_weights``; no pairs in field
    ``no_pairs``), each occurrence weighing its field's weight (times
    ``name_weight``/``pair_weight``). Returns the distinct keys ascending, their weights
    (1 + ln of the summed occurrences, times ``neutral_boost`` for neutral ones) and the
    keys that occur in the title. Occurrences are summed in a small hash table, then only
    the distinct keys are sorted (``_sorted_with``)."""
    n = codes.shape[0]
    size = 64
    while size < 6 * n:  # at most half full: three occurrences a token at most
        size *= 2
    mask = size - 1
    slot_keys = np.zeros(size, dtype=np.uint64)
    sums = np.zeros(size, dtype=np.float64)
    titled = np.zeros(size, dtype=np.bool_)
    found = np.empty(3 * n, dtype=np.uint64)
    found_slots = np.empty(3 * n, dtype=np.int64)
    m = 0
    for i in range(n):
        c = codes[i]
        in_title = i < n_title
        w = title_weight if in_title else body_weights[i - n_title]
        field = 0 if in_title else body_fields[i - n_title]
        for kind in range(3):
            key = np.uint64(0)
            if kind == 0:
                key, weight = table[c, 1], w
            elif kind == 1:
                if title_names or not in_title:
                    key = table[c, 2]
                weight = w * name_weight
            else:
                if i + 1 < n and field != no_pairs:
                    a, b = table[c, 3], table[codes[i + 1], 3]
                    following = 0 if i + 1 < n_title else body_fields[i + 1 - n_title]
                    if a != 0 and b != 0 and following == field:
                        key = _pair(a, b)
                weight = w * pair_weight
            if key == 0:
                continue
            p = _slot(key, mask)
            while slot_keys[p] != 0 and slot_keys[p] != key:
                p = (p + 1) & mask
            if slot_keys[p] == 0:
                slot_keys[p] = key
                found[m], found_slots[m] = key, p
                m += 1
            sums[p] += weight
            titled[p] |= in_title
    keys, slots = _sorted_with(found[:m], found_slots[:m])
    weights = np.empty(m, dtype=np.float64)
    title_keys = np.empty(m, dtype=np.uint64)
    t = 0
    for j in range(m):
        key, p = keys[j], slots[j]
        weights[j] = sums[p]  # a whole number, at least 1
        if titled[p]:
            title_keys[t] = key
            t += 1
    for j in range(m):  # apart: a loop of logarithms alone runs faster (see _idfs)
        weights[j] = np.log(weights[j]) + 1.0
    for j in range(m):
        if keys[j] >= NEUTRAL:
            weights[j] *= neutral_boost
    return keys, weights, title_keys[:t].copy()


@njit(cache=True)
def known_terms(data: np.ndarray, split: int, word: np.ndarray, max_body: int,
                table: np.ndarray, body_weights: np.ndarray, body_fields: np.ndarray,
                no_pairs: int, title_weight: float, name_weight: float, pair_weight: float,
                neutral_boost: float
                ) -> tuple[bool, np.ndarray, np.ndarray, np.ndarray, int]:
    """``tokens.scan``, ``vocabulary_find`` and ``term_weights`` in one call, for the
    common article: every token in the vocabulary ``table``, every title word beginning
    in ASCII, every code point within ``word``. Returns True, the keys, weights, title
    keys (as ``term_weights``) and the body's token count; or False first for any other
    article (the caller takes the longer way). In a large process each compiled call
    costs several microseconds before it starts (its code and the dispatcher's data are
    no longer in the caches); this saves two of them an article."""
    none_keys, none_weights = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.float64)
    hashes, _, _, n_title, body_words, long, upper = scan(data, split, word, max_body)
    if n_title < 0 or long < 0:
        return False, none_keys, none_weights, none_keys, 0
    rows, missing = vocabulary_find(table, hashes)
    if missing:
        return False, none_keys, none_weights, none_keys, 0
    title_names = not (long >= 3 and upper > 0.6 * long)  # as features._is_title_case
    keys, weights, title_keys = term_weights(
        table, rows, n_title, title_names, body_weights, body_fields, no_pairs,
        title_weight, name_weight, pair_weight, neutral_boost)
    return True, keys, weights, title_keys, body_words


@njit(cache=True)
def _sorted_with(keys: np.ndarray, payload: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` sorted ascending, with ``payload`` in the same order: a radix sort, a
    byte a pass (a pass whose byte is the same for every key is skipped). For the ~300
    random 64-bit keys of an article 5.6 us against 14.5 for ``np.sort``'s quicksort,
    which would also need a second pass to find each key's payload."""
    n = keys.shape[0]
    a, b = keys.copy(), np.empty_like(keys)
    pa, pb = payload.copy(), np.empty_like(payload)
    counts = np.empty(256, dtype=np.int64)
    for shift in range(0, 64, 8):
        s = np.uint64(shift)
        counts[:] = 0
        for i in range(n):
            counts[(a[i] >> s) & np.uint64(255)] += 1
        if n == 0 or counts[(a[0] >> s) & np.uint64(255)] == n:
            continue
        total = 0
        for d in range(256):
            c = counts[d]
            counts[d] = total
            total += c
        for i in range(n):
            d = (a[i] >> s) & np.uint64(255)
            b[counts[d]], pb[counts[d]] = a[i], pa[i]
            counts[d] += 1
        a, b = b, a
        pa, pb = pb, pa
    return a, pa


_SIGN = np.uint64(1 << 63)
_ALL = np.uint64((1 << 64) - 1)


@njit(cache=True)
def _kth_largest(values: np.ndarray, k: int) -> float:
    """The ``k``-th largest of ``values`` (1 <= k <= len), what ``np.partition`` finds, by
    a radix select on the floats' bits (mapped so that their order is the floats'), a
    byte a pass from the top: about twice as fast for a few hundred values."""
    n = values.shape[0]
    keys = np.empty(n, dtype=np.uint64)
    bits = values.view(np.uint64)
    for i in range(n):
        b = bits[i]
        keys[i] = b ^ _ALL if b & _SIGN else b | _SIGN
    counts = np.empty(256, dtype=np.int64)
    prefix = mask = np.uint64(0)
    rank = k
    for shift in range(56, -8, -8):
        s = np.uint64(shift)
        counts[:] = 0
        for i in range(n):
            if keys[i] & mask == prefix:
                counts[(keys[i] >> s) & np.uint64(255)] += 1
        for d in range(255, -1, -1):
            if counts[d] >= rank:
                prefix |= np.uint64(d) << s
                mask |= np.uint64(255) << s
                break
            rank -= counts[d]
    out = np.empty(1, dtype=np.uint64)
    out[0] = prefix ^ _SIGN if prefix & _SIGN else prefix ^ _ALL
    return out.view(np.float64)[0]


@njit(cache=True)
def _heaviest(weights: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest weights, largest first, ties in position order (what
    a stable sort of the negated weights gives), by insertion into a short sorted list:
    most weights fall below its last entry and cost one comparison."""
    n = weights.shape[0]
    k = max(min(k, n), 0)
    top = np.empty(k, dtype=np.int64)
    if k == 0:
        return top
    m = 0
    for i in range(n):
        w = weights[i]
        if m == k:
            if w <= weights[top[m - 1]]:
                continue
            m -= 1  # the last one drops out
        j = m
        while j > 0 and weights[top[j - 1]] < w:
            top[j] = top[j - 1]
            j -= 1
        top[j] = i
        m += 1
    return top


@njit(cache=True, inline="always")
def _idf(counts: np.ndarray, docs: float, key: np.uint64, mask: np.uint64) -> float:
    """Smoothed IDF of a term, ln((N + 1) / (df + 1)) + 1, as scikit-learn computes it."""
    return np.log((docs + 1.0) / (counts[key & mask] + 1.0)) + 1.0


@njit(cache=True)
def _idfs(keys: np.ndarray, counts: np.ndarray, docs: float, mask: np.uint64) -> np.ndarray:
    """``_idf`` of each key, in two passes: the table reads, then the logarithms. A loop of
    logarithms alone runs about three times faster than one that also reads the table
    (the same values to the bit)."""
    n = keys.shape[0]
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        out[i] = (docs + 1.0) / (counts[keys[i] & mask] + 1.0)
    for i in range(n):
        out[i] = np.log(out[i]) + 1.0
    return out


@njit(cache=True)
def query(keys: np.ndarray, raw: np.ndarray, counts: np.ndarray, docs: float,
          mask: np.uint64, heaviest: int, count: bool
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float, np.ndarray]:
    """An article's TF-IDF vector: its terms' IDF, the unit vector, which terms are
    neutral, the length of the neutral part of the unit vector, 1 / the vector's length
    (1 for an empty one), and the positions of the ``heaviest`` heaviest terms, heaviest
    first (ties in key order). ``count``: first add the article to ``counts`` (as
    ``count_terms``; ``docs`` already counts it): one call where two each paid the table's
    cache misses."""
    if count:
        count_terms(counts, keys, mask, 1)
    n = keys.shape[0]
    idf = _idfs(keys, counts, docs, mask)
    unit = np.empty(n, dtype=np.float64)
    neutral = np.empty(n, dtype=np.bool_)
    total = 0.0
    for i in range(n):
        unit[i] = raw[i] * idf[i]
        total += unit[i] * unit[i]
    norm = np.sqrt(total)
    if norm == 0.0:
        norm = 1.0
    neutral_total = 0.0
    for i in range(n):
        unit[i] /= norm
        neutral[i] = keys[i] >= NEUTRAL
        if neutral[i]:
            neutral_total += unit[i] * unit[i]
    return idf, unit, neutral, np.sqrt(neutral_total), 1.0 / norm, _heaviest(unit, heaviest)


@njit(cache=True, inline="always")
def _seek(keys: np.ndarray, j: int, key: np.uint64) -> int:
    """The first position from ``j`` whose key is not below ``key`` (keys ascending): a
    step of a merge of two sorted key arrays."""
    while j < keys.shape[0] and keys[j] < key:
        j += 1
    return j


@njit(cache=True)
def dot(keys: np.ndarray, raw: np.ndarray, q_keys: np.ndarray, q_unit: np.ndarray,
        q_idf: np.ndarray, q_neutral: np.ndarray) -> tuple[float, float, float]:
    """A query's dot product with a centroid (raw weights times the query's IDF), over all
    shared terms and over the neutral ones, and the query's squared length over the shared
    terms."""
    j = 0
    total = neutral = own = 0.0
    for i in range(q_keys.shape[0]):
        j = _seek(keys, j, q_keys[i])
        if j == keys.shape[0]:
            break
        if keys[j] == q_keys[i]:
            part = q_unit[i] * raw[j] * q_idf[i]
            total += part
            own += q_unit[i] * q_unit[i]
            if q_neutral[i]:
                neutral += part
    return total, neutral, own


@njit(cache=True)
def merge_add(keys: np.ndarray, raw: np.ndarray, q_keys: np.ndarray, q_raw: np.ndarray,
              scale: float) -> tuple[np.ndarray, np.ndarray]:
    """A centroid with a member's raw weights times ``scale`` added: the union of the keys,
    ascending, with the weights of shared keys summed."""
    n, m = keys.shape[0], q_keys.shape[0]
    out_keys = np.empty(n + m, dtype=np.uint64)
    out_raw = np.empty(n + m, dtype=np.float64)
    i = j = o = 0
    while i < n or j < m:
        if j == m or (i < n and keys[i] < q_keys[j]):
            out_keys[o], out_raw[o] = keys[i], raw[i]
            i += 1
        elif i == n or q_keys[j] < keys[i]:
            out_keys[o], out_raw[o] = q_keys[j], q_raw[j] * scale
            j += 1
        else:
            out_keys[o], out_raw[o] = keys[i], raw[i] + q_raw[j] * scale
            i += 1
            j += 1
        o += 1
    return out_keys[:o].copy(), out_raw[:o].copy()


@njit(cache=True)
def refresh(keys: np.ndarray, raw: np.ndarray, counts: np.ndarray, docs: float,
            mask: np.uint64, max_terms: int, top: int
            ) -> tuple[np.ndarray, np.ndarray, float, float, np.ndarray]:
    """A centroid weighed with the current IDF: pruned to its ``max_terms`` heaviest terms
    (keys still ascending), its length, the length of its neutral part, and the positions
    of its ``top`` heaviest terms, heaviest first (ties in key order)."""
    n = keys.shape[0]
    weighted = _idfs(keys, counts, docs, mask)
    for i in range(n):
        weighted[i] *= raw[i]
    if n > max_terms:  # keep the max_terms heaviest (ties: the first), in key order
        cut = _kth_largest(weighted, max_terms)
        ties = max_terms - np.count_nonzero(weighted > cut)
        keep = np.empty(max_terms, dtype=np.int64)
        m = 0
        for i in range(n):
            if weighted[i] > cut or (weighted[i] == cut and ties > 0):
                if weighted[i] == cut:
                    ties -= 1
                keep[m] = i
                m += 1
        keys, raw, weighted = keys[keep], raw[keep], weighted[keep]
        n = max_terms
    total = neutral = 0.0
    for i in range(n):
        total += weighted[i] * weighted[i]
        if keys[i] >= NEUTRAL:
            neutral += weighted[i] * weighted[i]
    return keys, raw, np.sqrt(total), np.sqrt(neutral), _heaviest(weighted, top)


@njit(cache=True)
def idf_dot(keys: np.ndarray, raw: np.ndarray, of: np.ndarray, counts: np.ndarray,
            docs: float, mask: np.uint64) -> float:
    """The sum over the keys ``of`` (ascending) of the centroid's raw weight times the
    key's IDF (0 for keys the centroid lacks)."""
    j = 0
    total = 0.0
    for i in range(of.shape[0]):
        j = _seek(keys, j, of[i])
        if j == keys.shape[0]:
            break
        if keys[j] == of[i]:
            total += raw[j] * _idf(counts, docs, of[i], mask)
    return total
