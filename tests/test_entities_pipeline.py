"""EntityPipeline in a crawler, and the optional model: fallback with one warning, model use."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.items import Article, Page
from pipelines.entities import EntityPipeline, find_mentions
from pipelines.entities.model import MODEL_DIR, load_model


def seed() -> Article:
    return Article(
        url="https://example.com/a", canonical_url="https://example.com/a", lang="id",
        title="Elon Musk Borong GPU NVIDIA",
        body="Bos Tesla itu membeli NVIDIA H100.\n\nElon ingin menyaingi ChatGPT.",
    )
HAS_ID_MODEL = (MODEL_DIR / "ner-id" / "config.cfg").is_file()


def test_pipeline_sets_entities_and_counts_stats() -> None:
    crawler = get_crawler()  # the model is off in crawls unless WARTA_ENTITY_MODEL is set
    crawler.stats.open_spider()
    pipeline = build_from_crawler(EntityPipeline, crawler)
    item = pipeline.process_item(seed())
    entities = item.entities
    assert [e["entity_id"] for e in entities] == [
        "Q317521", "Q182477", "Q478214", "warta:nvidia-h100", "warta:chatgpt"]
    assert entities[0] == {"entity_id": "Q317521", "name": "Elon Musk", "type": "PERSON",
                           "count": 2, "first_position": 0, "method": "gazetteer",
                           "aliases": ["Elon"]}
    stats = crawler.stats.get_stats()
    assert stats["warta/entities/articles"] == 1
    assert stats["warta/entities/entities"] == 5
    assert stats["warta/entities/by_method/gazetteer"] == 5


def test_pipeline_passes_other_items_unchanged() -> None:
    pipeline = EntityPipeline(None)
    page = Page(url="https://example.com/", html="<p>Nvidia</p>")
    assert pipeline.process_item(page) is page
    assert not hasattr(page, "entities")


def test_missing_model_falls_back_with_one_warning(tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipelines.entities.model"):
        assert load_model("id", tmp_path) is None
        first = find_mentions("Elon Musk di Jakarta.", "id", model_dir=tmp_path)
        find_mentions("Nvidia di Bandung.", "id", model_dir=tmp_path)
    warnings = [r for r in caplog.records if "no NER model" in r.getMessage()]
    assert len(warnings) == 1
    assert [m.method for m in first] == ["gazetteer", "gazetteer"]


def test_unsupported_language_uses_no_model(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert [m.name for m in find_mentions("Nvidia in Berlin.", "de")] == ["Nvidia", "Berlin"]
    assert not caplog.records


@pytest.mark.skipif(not HAS_ID_MODEL, reason="the Indonesian NER model is not built")
def test_model_adds_names_the_gazetteer_does_not_know() -> None:
    text = ("Direktur Utama PT Sinar Abadi, Budi Santoso, mengatakan di Surabaya bahwa "
            "perusahaannya akan bekerja sama dengan Telkomsel. Budi juga menyebut rencana itu.")
    mentions = find_mentions(text, "id")
    by_text = {m.text: m for m in mentions}
    assert by_text["Budi Santoso"].method == "model"
    assert by_text["Budi Santoso"].type == "PERSON"
    assert by_text["Budi"].entity_id == by_text["Budi Santoso"].entity_id == "warta:budi-santoso"
    assert by_text["Telkomsel"].method == "gazetteer"
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_headlines_and_generic_acronyms_are_not_read_by_the_model() -> None:
    from pipelines.entities.model import _headline, load_not_entities

    assert _headline("Elon Musk Diam-diam Borong 10.000 GPU NVIDIA untuk Proyek AI Barunya")
    assert not _headline("Elon Musk kembali bikin heboh dengan membeli GPU dari NVIDIA.")
    assert {"gpu", "amoled", "hp"} <= load_not_entities()


def test_model_spans_filter_clitics_and_codes_but_keep_names() -> None:
    """The filter on model spans, with a rule-based stand-in for the trained model."""
    spacy = pytest.importorskip("spacy")
    from pipelines.entities.model import NerModel

    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": label, "pattern": word} for word, label in (
        ("Fanshurullah", "PER"), ("Sisanya", "PER"), ("Inilah", "LOC"), ("UKP4", "ORG"),
        ("Rp750", "ORG"), ("Abdullah", "PER"))])
    model = NerModel(nlp, Path("."))
    text = ("Fanshurullah berkata. Sisanya dibagi. Inilah Rp750 dari UKP4 untuk Abdullah.")
    assert [text[a:b] for a, b, _ in model.spans(text)] == ["Fanshurullah", "UKP4", "Abdullah"]


def test_model_runs_on_numpy_blas_in_one_thread() -> None:
    """thinc's bundled BLIS took twice as long a page on the CPU here; OpenBLAS's worker
    threads doubled the CPU time of a page for no gain."""
    from threadpoolctl import threadpool_info

    model = load_model("id")
    assert model is not None
    for _, pipe in model.nlp.pipeline:
        assert {node.ops.name for node in pipe.model.walk()} == {"numpy"}
        assert not any(getattr(node.ops, "use_blis", False) for node in pipe.model.walk())
    assert all(pool["num_threads"] == 1 for pool in threadpool_info()
               if pool["user_api"] == "blas")
