"""The candidate index's postings (term -> the recent stories indexed under it, with the
term's weight in each) in arrays, kept and searched by compiled loops (numba).

As Python dicts of dicts, finding the candidates of an article (a dozen dict lookups and
a few hundred additions) and re-indexing the story it joined cost ~0.05 ms of an
assignment; here each is one call.

Layout:

- stories have integer slots (``Postings.slot_of``); per slot: length, first and last
  article time (``times``), and the terms it is indexed under with their entries
  (``story_keys``, ``story_entries``, ``story_count``);
- an entry is one (term, story) posting: its story, weight and the next and previous
  entry of the same term (``entries``: story, next, previous; ``weights``); freed entries
  are kept on a stack (``free``, its size in ``meta[0]``);
- terms are found through an open-addressing table (``table_keys``, ``table_heads``: the
  term's first entry, -1 when it has none now, -2 for an unused row; ``meta[1]`` rows in
  use). Rows whose term lost all its stories are dropped when the table is rebuilt.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from pipelines.stories.kernels import _heaviest

_UNUSED = -2
_NONE = -1
_S29 = np.uint64(29)


@njit(cache=True, inline="always")
def _row(table_keys: np.ndarray, table_heads: np.ndarray, key: np.uint64) -> int:
    """The table row holding ``key``, or the unused row where it would go."""
    mask = np.uint64(table_keys.shape[0] - 1)
    p = np.int64((key ^ (key >> _S29)) & mask)
    while table_heads[p] != _UNUSED and table_keys[p] != key:
        p = (p + 1) & np.int64(mask)
    return p


@njit(cache=True, inline="always")
def _find(values: np.ndarray, n: int, value: int) -> int:
    """The first position among ``values[:n]`` holding ``value``, or -1 (short arrays)."""
    for i in range(n):
        if values[i] == value:
            return i
    return -1


@njit(cache=True, inline="always")
def _unlink(e: int, key: np.uint64, entries: np.ndarray, table_keys: np.ndarray,
            table_heads: np.ndarray, free: np.ndarray, meta: np.ndarray) -> None:
    nxt, prev = entries[e, 1], entries[e, 2]
    if prev == _NONE:
        table_heads[_row(table_keys, table_heads, key)] = nxt
    else:
        entries[prev, 1] = nxt
    if nxt != _NONE:
        entries[nxt, 2] = prev
    free[meta[0]] = e
    meta[0] += 1


@njit(cache=True)
def index_story(slot: int, keys: np.ndarray, weights: np.ndarray, story_keys: np.ndarray,
                story_entries: np.ndarray, story_count: np.ndarray, entries: np.ndarray,
                entry_weights: np.ndarray, table_keys: np.ndarray, table_heads: np.ndarray,
                free: np.ndarray, meta: np.ndarray) -> None:
    """Index the story in ``slot`` under ``keys`` (distinct, at most the width of
    ``story_keys``) with ``weights``: its terms that stay keep their entries (new
    weights), the others are unlinked. There must be room: ``len(keys)`` free entries and
    as many unused table rows, with the table at most half full after."""
    old = story_count[slot]
    n = keys.shape[0]
    for j in range(old):
        key = story_keys[slot, j]
        if _find(keys, n, key) < 0:
            _unlink(story_entries[slot, j], key, entries, table_keys, table_heads, free, meta)
    placed = np.empty(n, dtype=np.int64)
    for i in range(n):
        key = keys[i]
        j = _find(story_keys[slot], old, key)
        e = story_entries[slot, j] if j >= 0 else _NONE
        if e == _NONE:
            meta[0] -= 1
            e = free[meta[0]]
            r = _row(table_keys, table_heads, key)
            if table_heads[r] == _UNUSED:
                table_keys[r] = key
                table_heads[r] = _NONE
                meta[1] += 1
            head = table_heads[r]
            entries[e, 0], entries[e, 1], entries[e, 2] = slot, head, _NONE
            if head != _NONE:
                entries[head, 2] = e
            table_heads[r] = e
        entry_weights[e] = weights[i]
        placed[i] = e
    for i in range(n):
        story_keys[slot, i] = keys[i]
        story_entries[slot, i] = placed[i]
    story_count[slot] = n


@njit(cache=True)
def unindex_story(slot: int, story_keys: np.ndarray, story_entries: np.ndarray,
                  story_count: np.ndarray, entries: np.ndarray, table_keys: np.ndarray,
                  table_heads: np.ndarray, free: np.ndarray, meta: np.ndarray) -> None:
    """Unlink every entry of the story in ``slot``."""
    for j in range(story_count[slot]):
        _unlink(story_entries[slot, j], story_keys[slot, j], entries, table_keys,
                table_heads, free, meta)
    story_count[slot] = 0


@njit(cache=True)
def rebuild_table(table_keys: np.ndarray, table_heads: np.ndarray, new_keys: np.ndarray,
                  new_heads: np.ndarray) -> int:
    """Copy the rows whose term has entries into the (empty) new table; returns them."""
    used = 0
    for p in range(table_keys.shape[0]):
        if table_heads[p] >= 0:
            r = _row(new_keys, new_heads, table_keys[p])
            new_keys[r], new_heads[r] = table_keys[p], table_heads[p]
            used += 1
    return used


@njit(cache=True)
def candidates(q_keys: np.ndarray, q_weights: np.ndarray, start: float, end: float,
               limit: int, times: np.ndarray, entries: np.ndarray,
               entry_weights: np.ndarray, table_keys: np.ndarray, table_heads: np.ndarray,
               scores: np.ndarray, touched: np.ndarray, seen: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """The stories sharing an indexed term with the query terms ``q_keys`` (weights
    ``q_weights``) whose article times overlap [start, end]: their slots and their partial
    cosines (the sum of query weight times entry weight, in query order, over the story's
    length), the best ``limit`` and any that tie with the last of them, best first.
    ``scores`` (zeros), ``touched`` and ``seen`` (all False) are scratch arrays of a slot
    each, left as they were found."""
    m = 0
    for i in range(q_keys.shape[0]):
        e = table_heads[_row(table_keys, table_heads, q_keys[i])]
        w = q_weights[i]
        while e >= 0:
            s = entries[e, 0]
            if not seen[s]:
                seen[s] = True
                touched[m] = s
                m += 1
            scores[s] += w * entry_weights[e]
            e = entries[e, 1]
    slots = np.empty(m, dtype=np.int64)
    ratios = np.empty(m, dtype=np.float64)
    k = 0
    for t in range(m):
        s = touched[t]
        if times[s, 2] >= start and times[s, 1] <= end:
            norm = times[s, 0]
            slots[k] = s
            ratios[k] = scores[s] / (norm if norm != 0.0 else 1.0)
            k += 1
        scores[s] = 0.0
        seen[s] = False
    slots, ratios = slots[:k], ratios[:k]
    top = _heaviest(ratios, limit)
    if limit <= 0 or top.shape[0] < limit:
        return slots[top], ratios[top]
    cut = ratios[top[limit - 1]]
    ties = 0
    for t in range(k):
        if ratios[t] == cut:
            ties += 1
    for t in range(limit):
        if ratios[top[t]] == cut:
            ties -= 1
    if ties == 0:
        return slots[top], ratios[top]
    keep = np.empty(limit + ties, dtype=np.int64)
    keep[:limit] = top
    j = limit
    for t in range(k):
        if ratios[t] == cut and _find(top, limit, t) < 0:
            keep[j] = t
            j += 1
    return slots[keep], ratios[keep]


class Postings:
    """Recent stories' indexed terms (see the module docstring); ``put``, ``drop`` and
    ``search`` by story id."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.slot_of: dict[str, int] = {}
        self.ids: list[str | None] = []
        self.free_slots: list[int] = []
        self.meta = np.zeros(2, dtype=np.int64)
        self.times = np.zeros((0, 3), dtype=np.float64)
        self.story_keys = np.zeros((0, width), dtype=np.uint64)
        self.story_entries = np.zeros((0, width), dtype=np.int64)
        self.story_count = np.zeros(0, dtype=np.int64)
        self.scores = np.zeros(0, dtype=np.float64)
        self.touched = np.zeros(0, dtype=np.int64)
        self.seen = np.zeros(0, dtype=np.bool_)
        self.entries = np.zeros((0, 3), dtype=np.int64)
        self.entry_weights = np.zeros(0, dtype=np.float64)
        self.free = np.zeros(0, dtype=np.int64)
        self.table_keys = np.zeros(64, dtype=np.uint64)
        self.table_heads = np.full(64, _UNUSED, dtype=np.int64)
        self._grow_stories(64)
        self._grow_entries(64 * width)

    def __len__(self) -> int:
        return len(self.slot_of)

    def put(self, story_id: str, keys: np.ndarray, weights: np.ndarray, norm: float,
            first_at: float, last_at: float) -> None:
        """Index a story under ``keys`` (distinct, at most ``width``) with ``weights``,
        replacing what it was indexed under."""
        slot = self.slot_of.get(story_id)
        if slot is None:
            if not self.free_slots:
                self._grow_stories(2 * len(self.ids))
            slot = self.free_slots.pop()
            self.slot_of[story_id] = slot
            self.ids[slot] = story_id
        n = len(keys)
        if self.meta[0] < n:
            self._grow_entries(2 * len(self.entry_weights))
        if 2 * (self.meta[1] + n) > len(self.table_keys):
            self._rebuild_table(n)
        self.times[slot] = norm, first_at, last_at
        index_story(slot, keys, weights, self.story_keys, self.story_entries,
                    self.story_count, self.entries, self.entry_weights, self.table_keys,
                    self.table_heads, self.free, self.meta)

    def drop(self, story_id: str) -> None:
        slot = self.slot_of.pop(story_id, None)
        if slot is None:
            return
        unindex_story(slot, self.story_keys, self.story_entries, self.story_count,
                      self.entries, self.table_keys, self.table_heads, self.free, self.meta)
        self.ids[slot] = None
        self.free_slots.append(slot)

    def search(self, keys: np.ndarray, weights: np.ndarray, start: float, end: float,
               limit: int) -> list[tuple[float, str]]:
        """(-partial cosine, story id) of the stories ``candidates`` finds, best first
        (ties: the smaller id), at most ``limit``."""
        slots, ratios = candidates(keys, weights, start, end, limit, self.times,
                                   self.entries, self.entry_weights, self.table_keys,
                                   self.table_heads, self.scores, self.touched, self.seen)
        ids = self.ids
        ranked = sorted(zip((-ratios).tolist(), [ids[s] for s in slots.tolist()],
                            strict=True))
        return ranked[:limit]

    def update_times(self, story_id: str, norm: float, first_at: float,
                     last_at: float) -> None:
        """A story's length and times changed without its terms being re-indexed."""
        slot = self.slot_of.get(story_id)
        if slot is not None:
            self.times[slot] = norm, first_at, last_at

    def terms_of(self, story_id: str) -> dict[int, float]:
        """The terms a story is indexed under, with their weights."""
        slot = self.slot_of.get(story_id)
        if slot is None:
            return {}
        n = self.story_count[slot]
        return dict(zip(self.story_keys[slot, :n].tolist(),
                        self.entry_weights[self.story_entries[slot, :n]].tolist(),
                        strict=True))

    def stories_of(self, key: int) -> dict[str, float]:
        """The stories indexed under a term, with its weight in each."""
        out = {}
        r = _row(self.table_keys, self.table_heads, np.uint64(key))
        e = int(self.table_heads[r])
        while e >= 0:
            out[self.ids[int(self.entries[e, 0])]] = float(self.entry_weights[e])
            e = int(self.entries[e, 1])
        return out

    def _grow_stories(self, size: int) -> None:
        old = len(self.ids)
        self.ids += [None] * (size - old)
        self.free_slots += range(size - 1, old - 1, -1)
        self.times = _grown(self.times, size)
        self.story_keys = _grown(self.story_keys, size)
        self.story_entries = _grown(self.story_entries, size)
        self.story_count = _grown(self.story_count, size)
        self.scores = _grown(self.scores, size)
        self.touched = _grown(self.touched, size)
        self.seen = _grown(self.seen, size)

    def _grow_entries(self, size: int) -> None:
        old = len(self.entry_weights)
        self.entries = _grown(self.entries, size)
        self.entry_weights = _grown(self.entry_weights, size)
        free = _grown(self.free, size)
        n = int(self.meta[0])
        free[n:n + size - old] = np.arange(size - 1, old - 1, -1)
        self.free = free
        self.meta[0] = n + size - old

    def _rebuild_table(self, room: int) -> None:
        """A new table without the rows of terms that lost their stories, at most a quarter
        full (with ``room`` more rows) so that rebuilds stay rare."""
        live = int(np.count_nonzero(self.table_heads >= 0))
        size = len(self.table_keys)
        while 4 * (live + room) > size:
            size *= 2
        keys = np.zeros(size, dtype=np.uint64)
        heads = np.full(size, _UNUSED, dtype=np.int64)
        self.meta[1] = rebuild_table(self.table_keys, self.table_heads, keys, heads)
        self.table_keys, self.table_heads = keys, heads


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` with its first dimension grown to ``size`` (zeros after)."""
    out = np.zeros((size, *array.shape[1:]), dtype=array.dtype)
    out[:len(array)] = array
    return out
