"""The numpy decoding of the NER models gives spaCy's own entities (pipelines/entities/decode.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.entities.decode import GreedyNer
from pipelines.entities.model import MODEL_DIR, load_model
from tests.demo_site import MANIFEST

spacy = pytest.importorskip("spacy")

# Texts the demo articles' paragraphs make, and some that test the decoding's edges: a name
# at a text's end and start, names across paragraph breaks and white space, a one-token text.
EDGES = [
    "Joko Widodo",
    "Presiden Joko Widodo bertemu Elon Musk di Jakarta, kata Budi Santoso",
    "Menurut Sri Mulyani\n\nKementerian Keuangan   menyiapkan dana untuk PT Telkom Indonesia.",
    "NVIDIA",
    "",
    "  \n  ",
    "Elon Musk said Tesla and SpaceX would work with Nvidia in Santa Clara, California.",
]


def _texts(lang: str) -> list[str]:
    texts = ["\n\n".join([a["title"], *a["paragraphs"]]) for a in MANIFEST["articles"]
             if a["lang"] == lang]
    return texts + [" ".join(a["paragraphs"][:1]) for a in MANIFEST["articles"]] + EDGES


def _loaded(lang: str) -> tuple:
    """The language's shipped model (skipped without it): its pipeline, decoder, tok2vec."""
    model = load_model(lang, MODEL_DIR)
    if model is None:
        pytest.skip(f"no {lang} model")
    decoder = GreedyNer.for_pipe(model.nlp.get_pipe("ner"))
    assert decoder is not None  # warta's models are of the supported form
    return model.nlp, decoder, model.nlp.get_pipe("tok2vec")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_decoding_gives_the_entities_spacy_gives(lang: str) -> None:
    nlp, decoder, tok2vec = _loaded(lang)
    texts = _texts(lang)
    found = 0
    for batch in (1, 5):  # alone, and several docs at once (their tokens are concatenated)
        for i in range(0, len(texts), batch):
            chunk = texts[i:i + batch]
            expected = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(chunk)]
            docs = [nlp.make_doc(t) for t in chunk]
            tok2vec.set_annotations(docs, tok2vec.predict(docs))
            assert decoder.entities(docs) == expected, chunk
            found += sum(map(len, expected))
    assert found > 100  # the texts hold names: the comparison is not of empty lists


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_entity_crosses_a_sentence_start_in_either(lang: str) -> None:
    """With sentence starts set (a crawl's texts have none), an entity ends before one."""
    nlp, decoder, tok2vec = _loaded(lang)
    ner = nlp.get_pipe("ner")

    def docs_of(texts: list[str]) -> list:  # noqa: ANN001 - spaCy docs
        docs = [nlp.make_doc(t) for t in texts]
        for doc in docs:
            for token in doc[1:]:  # every capitalised word starts a sentence
                token.is_sent_start = token.text[:1].isupper()
        tok2vec.set_annotations(docs, tok2vec.predict(docs))
        return docs

    texts = _texts(lang)
    expected = [[(e.start, e.end, e.label_) for e in ner(doc).ents] for doc in docs_of(texts)]
    assert decoder.entities(docs_of(texts)) == expected
    plain = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert expected != plain  # the sentence starts changed spaCy's entities: the rule ran

def test_only_models_of_the_reproduced_form_are_decoded() -> None:
    nlp = spacy.blank("xx")
    ner = nlp.add_pipe("ner")
    ner.add_label("PER")
    nlp.initialize()
    assert GreedyNer.for_pipe(ner) is not None  # spaCy's default NER model: maxout, 3 features
    # its tok2vec is its own (no tok2vec component), its weights random: whatever it
    # finds, the decoder finds the same
    import numpy as np

    from pipelines.entities.model import NerModel

    upper = ner.model.get_ref("upper")
    upper.set_param("W", np.random.default_rng(1).normal(
        size=upper.get_param("W").shape).astype("float32"))
    texts = _texts("en")
    expected = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert GreedyNer.for_pipe(ner).entities([nlp.make_doc(t) for t in texts]) == expected
    assert any(expected)
    model = NerModel(nlp, Path("blank"))
    assert model.decoder is not None and model.spans(texts[0]) is not None
    ner.model.attrs["unseen_classes"] = {1}  # a class never seen: scored by the batch's minimum
    assert GreedyNer.for_pipe(ner) is None
    plain = spacy.blank("xx").add_pipe("ner", config={"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": 16, "maxout_pieces": 1,
        "use_upper": True, "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2",
                                       "pretrained_vectors": None, "width": 16, "depth": 1,
                                       "embed_size": 100, "window_size": 1,
                                       "maxout_pieces": 2, "subword_features": False}}})
    assert GreedyNer.for_pipe(plain) is None  # one piece: no maxout
    assert GreedyNer.for_pipe(object()) is None


def test_the_model_uses_the_decoder(monkeypatch) -> None:  # noqa: ANN001
    model = load_model("id", MODEL_DIR)
    if model is None:
        pytest.skip("no id model")
    assert isinstance(model.decoder, GreedyNer)
    text = "Presiden Joko Widodo bertemu Elon Musk di Jakarta."
    with_decoder = model.spans(text)
    monkeypatch.setattr(model, "decoder", None)  # spaCy's component: the same spans
    assert model.spans(text) == with_decoder
    assert {text[a:b] for a, b, _ in with_decoder} >= {"Joko Widodo", "Jakarta"}


def test_the_slim_vocabulary_gives_the_same_spans() -> None:
    """load_model computes only the word attributes the model reads; a full vocabulary
    (every attribute spaCy computes for a new word) finds the same spans."""
    from spacy import attrs
    from thinc.api import NumpyOps

    from pipelines.entities.model import NerModel, load_not_entities

    model = load_model("id", MODEL_DIR)
    if model is None:
        pytest.skip("no id model")
    assert attrs.LIKE_URL not in model.nlp.vocab.lex_attr_getters
    full = spacy.load(model.path)
    assert attrs.LIKE_URL in full.vocab.lex_attr_getters
    ops = NumpyOps(use_blis=False)
    for _, pipe in full.pipeline:
        for node in pipe.model.walk():
            node.ops = ops
    reference = NerModel(full, model.path, load_not_entities(), model.stop_words)
    for text in _texts("id"):
        assert model.spans(text) == reference.spans(text)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_decoding_gives_spacys_entities_on_the_corpus_texts(lang: str) -> None:
    """idner dev's sentences (Indonesian) and GUM's news documents (English), in batches as
    NerModel.spans makes them: the same entities as spaCy's ner (skipped without the corpus)."""
    from bench.eval_entities import gum_documents, gum_text, text_and_spans
    from bench.train_ner import GUM, IDNER, read_conll

    if not (IDNER / "dev.txt").is_file() or not GUM.is_dir():
        pytest.skip("no ../shared/corpus")
    nlp, decoder, tok2vec = _loaded(lang)
    texts = [text_and_spans(s)[0] for s in read_conll(IDNER / "dev.txt")] if lang == "id" \
        else [gum_text(d)[0] for d in gum_documents()]
    for i in range(0, len(texts), 8):
        chunk = texts[i:i + 8]
        expected = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(chunk)]
        docs = [nlp.make_doc(t) for t in chunk]
        tok2vec.set_annotations(docs, tok2vec.predict(docs))
        assert decoder.entities(docs) == expected


def test_past_its_size_the_vocabulary_forgets_each_texts_new_words(monkeypatch) -> None:  # noqa: ANN001
    """spaCy keeps every word it meets: past VOCAB_WORDS a text's new words are freed after
    it (a memory zone), with the same spans as before."""
    import random

    import pipelines.entities.model as model_module

    model = load_model("id", MODEL_DIR)
    if model is None:
        pytest.skip("no id model")
    rng = random.Random(5)

    def text() -> str:
        words = ["".join(rng.choice("bcdfgklmnprst") + rng.choice("aeiou") for _ in range(4))
                 for _ in range(60)]
        return "Presiden Joko Widodo bertemu " + " ".join(words).capitalize() + " di Jakarta."

    texts = [text() for _ in range(20)]
    spans = [model.spans(t) for t in texts[:10]]  # below the limit: the words stay
    strings = model.nlp.vocab.strings
    kept = len(strings)
    monkeypatch.setattr(model_module, "VOCAB_WORDS", 0)
    assert [model.spans(t) for t in texts[:10]] == spans  # the same spans inside a zone
    for t in texts[10:]:
        model.spans(t)
    assert len(strings) == kept  # the last ten texts' new words are gone again
    assert any(spans)


def test_a_loaded_model_is_left_out_of_the_collectors_passes() -> None:
    """Its ~35,000 objects a language would be walked again by every full collection of
    the process (110 ms a pass in a crawl with both models, against 55 without)."""
    import gc

    load_model.cache_clear()  # loaded afresh here, whatever other tests loaded
    try:
        model = load_model("id", MODEL_DIR)
        if model is None:
            pytest.skip("no id model")
        tracked = gc.get_objects()
        assert not any(o is model or o is model.nlp for o in tracked)
        assert gc.get_freeze_count() > 10_000
        fresh = object.__new__(type("Fresh", (), {}))
        assert any(o is fresh for o in gc.get_objects())  # later objects are collected
    finally:
        load_model.cache_clear()
