"""The NER models' token vectors computed with numpy, as spaCy's ``tok2vec`` computes them.

A model's ``tok2vec`` (``spacy.Tok2Vec.v2``: ``MultiHashEmbed.v2`` without static vectors,
then ``MaxoutWindowEncoder.v2``) is about twenty thinc layers. On a 4 KB news text (~660
tokens) thinc's ``predict`` took ~16 ms here, of which its matrix products ~7 ms, its maxout
kernel (which also records each unit's winning piece, for training) ~2.6 ms, its window
kernel ~1.5 ms, and the layers' plumbing much of the rest; on a one-sentence text 0.8-1.7 ms.
Computed here: ~9 ms and 0.6 ms, and 4-6 ms for 4 KB once its words' embeddings are kept
(each word's is computed once: see :meth:`Tok2Vec._embedded`).

:class:`Tok2Vec` computes the same vectors with the same arithmetic in the same order (the
products by the same BLAS, the layer norms with numpy's own reductions), so the vectors are
the same bit for bit, which tests/test_entities_tok2vec.py checks against the component on
the demo texts and, with ../shared/corpus, on idner dev and GUM. What it does differently
changes no number: the max over each unit's pieces is taken a piece at a time over the whole
matrix (no record of the winner), each token's window is built by copying three shifted
blocks into one buffer, and there is no layer plumbing. The products are thinc's very calls,
on the same layout: a copy of the weights laid out otherwise was faster on short texts, but
BLAS then rounded some sums differently. Models whose products thinc leaves to blis are not
reproduced.

Only that architecture is reproduced: :meth:`Tok2Vec.for_pipe` returns None for any other
(other attributes are fine, static vectors or another encoder are not), and the caller runs
spaCy's component.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipelines.entities.decode import max_over_pieces

_EMBED = "extract_features>>list2ragged>>with_array({embeds})>>with_array(maxout>>layernorm" \
         ">>dropout)>>ragged2list"
_ENCODE = "with_array({layers})"
_LAYER = "residual(expand_window>>maxout>>layernorm>>dropout)"
WORDS_KEPT = 1 << 16
"""Words whose embedding a model's encoder keeps (25 MB; see ``Tok2Vec._embedded``)."""
_FEW = 64
"""Batches of fewer tokens are embedded whole, as thinc does; new words are embedded in
products of at least this many rows (see ``Tok2Vec._embedded``)."""


class _Maxout:
    """A thinc ``Maxout`` layer and the ``LayerNorm`` after it (``normalize=True``)."""

    def __init__(self, maxout: Any, norm: Any) -> None:
        n_out, pieces = maxout.get_dim("nO"), maxout.get_dim("nP")
        # thinc's product: the inputs by the transpose of the (nO * nP, nI) weights, the very
        # call (a copy laid out otherwise, or ordered piece by piece, is ~2x faster on
        # a few tokens, but BLAS then rounds some sums differently)
        self.weights = maxout.get_param("W").reshape(n_out * pieces, -1).T
        self.bias = maxout.get_param("b").reshape(-1)
        self.pieces, self.width = pieces, n_out
        self.gain, self.shift = norm.get_param("G"), norm.get_param("b")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        y = np.dot(x, self.weights)
        y += self.bias
        best = max_over_pieces(y.reshape(len(y), self.width, self.pieces))
        n = self.width
        # thinc's LayerNorm: X.mean and X.var (whose own mean is the same sum divided the
        # same way, and whose deviations are the same differences), then scale and shift
        mean = best.mean(axis=1, keepdims=True)
        deviation = best - mean
        var = np.add.reduce(deviation * deviation, axis=1, keepdims=True)
        var /= n
        var += 1e-08
        out = deviation * var ** (-1.0 / 2.0)
        out *= self.gain
        out += self.shift
        return out


class Tok2Vec:
    """Token vectors of docs, as the ``tok2vec`` component's ``predict`` returns them."""

    def __init__(self, model: Any, embeds: list[Any], maxouts: list[Any], norms: list[Any],
                 pad: int) -> None:
        self.ops = model.ops
        self.columns = next(n for n in model.walk() if n.name == "extract_features") \
            .attrs["columns"]
        self.embeds = [(int(e.attrs["column"]), int(e.attrs["seed"]), e.get_param("E"))
                       for e in embeds]
        self.mix = _Maxout(maxouts[0], norms[0])
        self.layers = [_Maxout(m, n) for m, n in zip(maxouts[1:], norms[1:], strict=True)]
        self.pad = pad
        self.width = self.mix.width
        self._slots: dict[bytes, int] = {}
        """A word's features (its row of ``to_array``, as bytes) -> its row in ``_words``."""
        self._words = np.zeros((1024, self.width), dtype="f")
        """The embedding layer's output for each word in ``_slots``, in its first rows
        (grown by doubling up to :data:`WORDS_KEPT`)."""

    @classmethod
    def for_pipe(cls, tok2vec: Any) -> Tok2Vec | None:
        """An encoder for this ``tok2vec`` component, or None if its model is not of the
        form this module reproduces (then spaCy's component must run)."""
        try:
            model = tok2vec.model
            nodes = list(model.walk())
            embeds = [n for n in nodes if n.name == "hashembed"]
            maxouts = [n for n in nodes if n.name == "maxout"]
            norms = [n for n in nodes if n.name == "layernorm"]
            windows = [n for n in nodes if n.name == "expand_window"]
            encoder = next(n for n in nodes if n.name.startswith("with_array(residual("))
            expected = _EMBED.format(embeds="|".join(["ints-getitem>>hashembed"] * len(embeds)))
            expected += ">>" + _ENCODE.format(layers=">>".join([_LAYER] * len(windows)))
            supported = (
                model.name == expected
                and all(type(n.ops).__name__ == "NumpyOps" and not n.ops.use_blis
                        for n in maxouts)  # products by numpy's BLAS, as load_model sets
                and len(maxouts) == len(norms) == len(windows) + 1
                and all(w.attrs["window_size"] == 1 for w in windows)
                and all(e.attrs["column"] == i for i, e in enumerate(embeds))
                and all(m.get_dim("nO") == maxouts[0].get_dim("nO") for m in maxouts)
            )
            if not supported:
                return None
            return cls(model, embeds, maxouts, norms, int(encoder.attrs["pad"]))
        except (AttributeError, KeyError, ValueError, StopIteration):
            return None

    def predict(self, docs: list[Any]) -> list[np.ndarray]:
        """Each doc's token vectors (tokens x width, float32), as thinc computes them."""
        lengths = [len(doc) for doc in docs]
        if not any(lengths):
            return [np.zeros((0, self.width), dtype="f") for _ in docs]
        features = np.concatenate(
            [doc.to_array(self.columns).astype("uint64", copy=False) for doc in docs])
        return self._encode(self._embedded(features), lengths)

    def _embed(self, features: np.ndarray) -> np.ndarray:
        """The embedding layer: each feature's hashed rows summed, the four side by side,
        mixed by a maxout and normalised."""
        ops, vectors = self.ops, []
        for column, seed, table in self.embeds:
            ids = np.ascontiguousarray(features[:, column])
            vectors.append(ops.gather_add(table, ops.hash(ids, seed) % table.shape[0]))
        return self.mix(np.hstack(vectors))

    def _embedded(self, features: np.ndarray) -> np.ndarray:
        """:meth:`_embed`, each word's row computed once and then looked up: it depends on
        the word's features alone. News repeats its words, so a crawl computes a few
        new words a page instead of every token (about a third of the token vectors' time
        on a 1 KB page). BLAS computes a row of a product of a few rows otherwise than of a
        product of many (at most 4 rows with this machine's OpenBLAS; the same bits from 5
        up), so the words of a batch
        under :data:`_FEW` tokens are computed as thinc does, all together, and new words
        always in a product of at least that many rows."""
        if len(features) < _FEW:
            return self._embed(features)
        width = features.shape[1] * features.itemsize
        raw = features.tobytes()
        keys = [raw[i:i + width] for i in range(0, len(raw), width)]
        slots = self._slots
        rows = list(map(slots.get, keys))
        if None in rows:
            new = {k: i for i, k in enumerate(keys) if k not in slots}  # a token of each
            if len(slots) + len(new) > WORDS_KEPT:
                slots.clear()  # rarely: start again rather than grow past the bound
                new = dict(zip(keys, range(len(keys)), strict=True))
            picked = list(new.values())
            picked += [picked[0]] * (_FEW - len(picked))  # at least _FEW rows a product
            vectors = self._embed(features[picked])[:len(new)]
            first, end = len(slots), len(slots) + len(new)
            if end > len(self._words):
                size = max(end, min(2 * len(self._words), WORDS_KEPT))
                grown = np.zeros((size, self.width), dtype="f")
                grown[:first] = self._words[:first]
                self._words = grown
            self._words[first:end] = vectors
            slots.update(zip(new, range(first, end), strict=True))
            rows = list(map(slots.__getitem__, keys))
        return self._words[rows]

    def _encode(self, mixed: np.ndarray, lengths: list[int]) -> list[np.ndarray]:
        """The residual window layers over the docs' rows laid out as thinc's
        ``with_array(pad=...)`` lays them: ``pad`` zero rows before each non-empty doc and
        after the last (the padding's rows go through the layers too, and the windows of a
        doc's first and last tokens read them)."""
        pad, width = self.pad, self.width
        starts, parts, at, row = [], [], 0, 0
        for n in lengths:
            starts.append(row + pad if n else -1)
            if n:
                parts += [np.zeros((pad, width), dtype=mixed.dtype), mixed[at:at + n]]
                row += pad + n
            at += n
        parts.append(np.zeros((pad, width), dtype=mixed.dtype))
        x = np.concatenate(parts)
        window = np.zeros((len(x), 3 * width), dtype=x.dtype)
        for layer in self.layers:
            # each row's window: the row before, the row, the row after (zeros past the ends)
            window[1:, :width] = x[:-1]
            window[:, width:2 * width] = x
            window[:-1, 2 * width:] = x[1:]
            x = x + layer(window)
        return [x[s:s + n] if n else np.zeros((0, width), dtype=x.dtype)
                for s, n in zip(starts, lengths, strict=True)]
