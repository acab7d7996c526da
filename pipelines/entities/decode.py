"""Greedy decoding of a spaCy NER model's entities, a token at a time only inside entities.

spaCy's transition-based ``ner`` decides every token in turn: for each, it sums three
precomputed feature vectors (the token, the open entity's first token, the token before),
scores the actions and takes the best valid one. In spaCy 3.8 that C loop acquires the GIL
several times a token (the parser state's inline methods carry Cython 3's exception checks),
so it costs ~17 us a token here: half of the model's time on a news text.

:class:`GreedyNer` decodes the same model to the same entities with numpy. Outside an entity
the state's features depend on the token alone (no entity is open: both other features are
padding), so the actions of every token are scored in one matrix operation and the best
valid one picked for all of them at once. Only from a token that begins an entity (B) to the
one that ends it (L) does the next decision depend on the previous one; those few tokens are
decided one by one (scored a few at a time: while the entity is open, their states do not
depend on what is decided between). The arithmetic is spaCy's, in its order (float32 sums of
the three features, then the bias, maxout over the pieces, then the upper layer where the
model has one), and so are the validity rules of the BILUO actions for a text without preset
entities (no entity across a sentence start, none beginning on white space, B and I never on
a document's last token) and the tie rule (the first best action). Tested against spaCy's
own ``ner`` (tests/test_entities_decode.py) on the demo site's texts, edge cases, and, with
../shared/corpus, idner dev's sentences and GUM's documents: the same entities.

Only models of that form are decoded so (``ner`` state features of 3 tokens, maxout,
every class seen in training); :meth:`GreedyNer.for_pipe` returns None for any other, and the
caller runs spaCy's component.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import numpy as np

_MOVES = ("B", "I", "L", "U")
_AHEAD = 8
"""Tokens scored at once past an open entity's first (most entities end within 8)."""


def max_over_pieces(units: np.ndarray) -> np.ndarray:
    """Maxout: the largest of each unit's pieces (the last axis), a piece at a time (numpy's
    ``.max(axis=-1)`` over a last axis of 2 or 3 was 10x slower). The same floats as any
    order of comparison gives."""
    best = units[..., 0]
    for piece in range(1, units.shape[-1]):
        best = np.maximum(best, units[..., piece])
    return best


class GreedyNer:
    """The entities of docs that ``tok2vec`` has annotated, as spaCy's ``ner`` would set them."""

    def __init__(self, ner: Any) -> None:
        model = ner.model
        self.tok2vec = model.get_ref("tok2vec")
        self.lower = model.get_ref("lower")
        upper = model.get_ref("upper") if model.attrs["has_upper"] else None
        self.upper = None if upper is None else (upper.get_param("W").T, upper.get_param("b"))
        """The upper layer's weights, transposed, and bias; None: the lower layer scores."""
        self.bias = self.lower.get_param("b")  # (nO, nP)
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self.kinds = [name.partition("-")[0] for name in names]
        self.labels = [name.partition("-")[2] for name in names]
        pairs = list(zip(self.kinds, self.labels, strict=True))
        self.begin = np.array([k == "B" and bool(lab) for k, lab in pairs])
        self.unit = np.array([k == "U" and bool(lab) for k, lab in pairs])
        self.outside = np.array([k == "O" for k, _ in pairs])
        # an open entity of a label goes on with that label's I or ends with its L
        self.inside = {lab: pairs.index(("I", lab)) for k, lab in pairs if k == "I"}
        self.last = {lab: pairs.index(("L", lab)) for k, lab in pairs if k == "L"}

    @classmethod
    def for_pipe(cls, ner: Any) -> GreedyNer | None:
        """A decoder for this ``ner`` component, or None if its model is not of the form
        this module reproduces (then spaCy's component must run)."""
        try:
            model = ner.model
            lower = model.get_ref("lower")
            names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
            labels = {n.partition("-")[2] for n in names if n != "O"} - {""}
            supported = (
                getattr(ner.moves, "name", "ner") == "ner"
                and ner.cfg.get("beam_width", 1) == 1
                and not model.attrs.get("unseen_classes")
                and lower.get_dim("nF") == 3
                and lower.get_dim("nP") >= 2
                and all(n == "O" or n.partition("-")[0] in _MOVES for n in names)
                and all(f"{m}-{lab}" in names for lab in labels for m in _MOVES)
            )
        except (AttributeError, KeyError, ValueError, StopIteration):
            return None
        return cls(ner) if supported else None

    def _scores(self, hidden_in: np.ndarray) -> np.ndarray:
        """Action scores from summed state features (..., nO, nP): bias, maxout, upper."""
        hidden = max_over_pieces(hidden_in + self.bias)
        if self.upper is None:
            return hidden
        w, b = self.upper
        return hidden @ w + b

    def entities(self, docs: list[Any]) -> list[list[tuple[int, int, str]]]:
        """Each doc's entities as (start token, end token, label), in order."""
        sizes = [len(doc) for doc in docs]
        out: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        if not sum(sizes):
            return out
        tokvecs = self.tok2vec.predict(docs)
        feats = self.lower.predict(tokvecs)  # (tokens + 1, 3, nO, nP); row 0 is padding
        pad = feats[0]
        # no entity open: the token's features, then the padding of the other two, in
        # spaCy's order of addition
        closed = self._scores((feats[1:, 0] + pad[1]) + pad[2])
        space = np.concatenate([doc.to_array("IS_SPACE") for doc in docs]).astype(bool)
        next_starts = np.zeros(len(space), dtype=bool)  # the next token starts a sentence
        is_last = np.zeros(len(space), dtype=bool)
        offset = 0
        for size, doc in zip(sizes, docs, strict=True):
            if size:
                starts = doc.to_array("SENT_START") == 1
                next_starts[offset:offset + size - 1] = starts[1:]
                is_last[offset + size - 1] = True
            offset += size
        valid = np.broadcast_to(self.outside, closed.shape).copy()
        valid |= self.unit & ~space[:, None]
        valid |= self.begin & ~(space | is_last | next_starts)[:, None]
        best = np.where(valid, closed, -np.inf).argmax(axis=1)  # the first best valid one
        opens = np.flatnonzero(~self.outside[best]).tolist()  # tokens that begin one
        best = best.tolist()
        ends = np.cumsum(sizes).tolist()  # where each doc's tokens end
        i = 0  # the first token not yet decided (those inside an entity are)
        for t in opens:
            if t < i:
                continue
            k = bisect_right(ends, t)  # the token's doc: an entity never leaves it
            offset, label = ends[k] - sizes[k], self.labels[best[t]]
            i = t + 1 if self.kinds[best[t]] == "U" else \
                self._close(feats, t, label, ends[k], next_starts)
            out[k].append((t - offset, i - offset, label))
        return out

    def _close(self, feats: np.ndarray, start: int, label: str, end: int,
               next_starts: np.ndarray) -> int:
        """Decide the tokens after an entity's first (``start``, begun with B) until one
        ends it (L); returns the token after the entity. While the entity is open, a
        token's state is (the token, the entity's first, the token before) whatever was
        decided in between, so the tokens ahead are scored :data:`_AHEAD` at a time."""
        inside, last = self.inside[label], self.last[label]
        a, b = sorted((inside, last))  # of the two valid actions, the first best wins
        first = feats[start + 1, 1]
        i = start + 1
        while True:
            stop = min(i + _AHEAD, end)
            scores = self._scores((feats[i + 1:stop + 1, 0] + first) + feats[i:stop, 2])
            ends = (scores[:, b] > scores[:, a]) if b == last else ~(scores[:, b] > scores[:, a])
            for j, ended in enumerate(ends.tolist(), start=i):
                if ended or j + 1 >= end or next_starts[j]:  # L, or L the only valid action
                    return j + 1
            i = stop
