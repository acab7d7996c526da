"""The numpy token vectors of the NER models are thinc's, bit for bit
(pipelines/entities/tok2vec.py)."""

from __future__ import annotations

import numpy as np
import pytest
from thinc.api import NumpyOps

from pipelines.entities.model import MODEL_DIR, load_model
from pipelines.entities.tok2vec import Tok2Vec
from tests.test_entities_decode import _texts

spacy = pytest.importorskip("spacy")


def _same(component, texts: list[str], batch: int, nlp) -> int:  # noqa: ANN001 - spaCy objects
    """Assert the encoder's vectors equal the component's on ``texts`` in batches; returns
    the tokens compared."""
    encoder = Tok2Vec.for_pipe(component)
    assert encoder is not None
    tokens = 0
    for i in range(0, len(texts), batch):
        docs = [nlp.make_doc(t) for t in texts[i:i + batch]]
        expected, got = component.predict(docs), encoder.predict(docs)
        assert len(got) == len(expected) == len(docs)
        for doc, want, have in zip(docs, expected, got, strict=True):
            assert have.shape == want.shape == (len(doc), encoder.width)
            assert have.dtype == want.dtype
            assert np.array_equal(have, want), doc.text[:80]
            tokens += len(doc)
    return tokens


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_shipped_models_vectors_are_thincs(lang: str) -> None:
    model = load_model(lang, MODEL_DIR)
    if model is None:
        pytest.skip(f"no {lang} model")
    assert isinstance(model.encoder, Tok2Vec)  # warta's models are of the reproduced form
    component = model.nlp.get_pipe("tok2vec")
    texts = _texts(lang)
    # alone, and batched with empty docs among them (thinc pads only non-empty ones)
    assert _same(component, texts, 1, model.nlp) > 1000
    assert _same(component, ["", *texts[:3], "", " ", texts[-1], ""], 4, model.nlp)
    assert [v.shape for v in Tok2Vec.for_pipe(component).predict(
        [model.nlp.make_doc(""), model.nlp.make_doc("")])] == [(0, 96), (0, 96)]


@pytest.mark.parametrize("config", [
    {},  # spaCy's default tok2vec: width 96, depth 4, maxout of 3 pieces
    {"model": {"@architectures": "spacy.Tok2Vec.v2",
               "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 32,
                         "attrs": ["NORM", "SHAPE"], "rows": [500, 50],
                         "include_static_vectors": False},
               "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 32,
                          "depth": 2, "window_size": 1, "maxout_pieces": 2}}},
])
def test_random_weights_give_thincs_vectors_too(config: dict) -> None:
    """Whatever the weights (random here, layer norms' gains and shifts too) and the sizes."""
    nlp = spacy.blank("xx")
    component = nlp.add_pipe("tok2vec", config=config)
    nlp.initialize()
    assert Tok2Vec.for_pipe(component) is None  # products by blis: not reproduced
    ops = NumpyOps(use_blis=False)  # by numpy's BLAS, as load_model sets
    for node in component.model.walk():
        node.ops = ops
    rng = np.random.default_rng(3)
    for node in component.model.walk():
        for name in node.param_names:
            if node.has_param(name):
                value = node.get_param(name)
                node.set_param(name, rng.normal(size=value.shape).astype(value.dtype))
    assert _same(component, _texts("en"), 3, nlp) > 1000


def test_only_the_reproduced_architecture_is_computed() -> None:
    nlp = spacy.blank("xx")
    wider = nlp.add_pipe("tok2vec", name="wide", config={"model": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 32,
                  "attrs": ["NORM"], "rows": [100], "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 32,
                   "depth": 2, "window_size": 2, "maxout_pieces": 2}}})
    chars = nlp.add_pipe("tok2vec", name="chars", config={"model": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.CharacterEmbed.v2", "width": 32, "rows": 100,
                  "nM": 8, "nC": 4, "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 32,
                   "depth": 1, "window_size": 1, "maxout_pieces": 2}}})
    nlp.initialize()
    ops = NumpyOps(use_blis=False)
    for node in [*wider.model.walk(), *chars.model.walk()]:
        node.ops = ops
    assert Tok2Vec.for_pipe(wider) is None  # a window of two tokens each side
    assert Tok2Vec.for_pipe(chars) is None  # character embeddings
    assert Tok2Vec.for_pipe(object()) is None


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_corpus_texts_give_thincs_vectors(lang: str) -> None:
    """idner dev's sentences and GUM's documents, 8 a batch as NerModel.spans may make them
    (skipped without ../shared/corpus)."""
    from bench.eval_entities import gum_documents, gum_text, text_and_spans
    from bench.train_ner import GUM, IDNER, read_conll

    if not (IDNER / "dev.txt").is_file() or not GUM.is_dir():
        pytest.skip("no ../shared/corpus")
    model = load_model(lang, MODEL_DIR)
    if model is None:
        pytest.skip(f"no {lang} model")
    texts = [text_and_spans(s)[0] for s in read_conll(IDNER / "dev.txt")] if lang == "id" \
        else [gum_text(d)[0] for d in gum_documents()]
    assert _same(model.nlp.get_pipe("tok2vec"), texts, 8, model.nlp) > 5_000


def test_the_model_uses_the_encoder(monkeypatch) -> None:  # noqa: ANN001
    model = load_model("en", MODEL_DIR)
    if model is None:
        pytest.skip("no en model")
    text = ("On Monday, Elon Musk met Nvidia chief executive Jensen Huang in Santa Clara, "
            "California, and said his company would buy thousands of GPUs.")
    with_encoder = model.spans(text)
    monkeypatch.setattr(model, "encoder", None)  # thinc's vectors: the same spans
    assert model.spans(text) == with_encoder
    assert {text[a:b] for a, b, _ in with_encoder} >= {"Nvidia", "Santa Clara"}


def test_words_embedded_once_give_the_same_vectors(monkeypatch) -> None:  # noqa: ANN001
    """A batch of 64 tokens or more takes each word's embedding from what earlier batches
    computed (new words in one product of at least 64 rows); past WORDS_KEPT words the
    store starts again. The vectors stay thinc's throughout."""
    import pipelines.entities.tok2vec as module

    model = load_model("id", MODEL_DIR)
    if model is None:
        pytest.skip("no id model")
    component = model.nlp.get_pipe("tok2vec")
    texts = [t for t in _texts("id") if len(model.nlp.make_doc(t)) >= module._FEW]
    assert len(texts) >= 5
    encoder = Tok2Vec.for_pipe(component)
    short = model.nlp.make_doc("Presiden Joko Widodo di Jakarta.")
    encoder.predict([short])
    assert not encoder._slots  # a short batch is computed whole, as thinc does
    for text in texts * 2:  # the second time round every word is known
        doc = model.nlp.make_doc(text)
        assert np.array_equal(encoder.predict([doc])[0], component.predict([doc])[0])
    known = len(encoder._slots)
    assert known >= len({t.text for t in model.nlp.make_doc(" ".join(texts))}) * 0.5
    for word in ("Zulkarnaen", "Xylofonia", "Qwertyuiop"):  # one new word among known ones
        doc = model.nlp.make_doc(f"{texts[0]} {word}")
        assert np.array_equal(encoder.predict([doc])[0], component.predict([doc])[0])
    assert len(encoder._slots) == known + 3
    monkeypatch.setattr(module, "WORDS_KEPT", 150)
    fresh = Tok2Vec.for_pipe(component)
    for text in texts:  # each text brings more new words than fit beside the last ones
        doc = model.nlp.make_doc(text)
        assert np.array_equal(fresh.predict([doc])[0], component.predict([doc])[0])
        assert len(fresh._slots) <= max(150, len(doc))
