"""Entity quality gates: tech gold (repo data) and idner-news-2k dev (../shared/corpus).

Floors are the figures measured by ``bench/eval_entities.py`` less a small margin; raise them
when the recogniser improves, lower them only with a recorded reason.
"""

from __future__ import annotations

import json

import pytest

from bench.eval_entities import GOLD, eval_tech, over_sentences, warta_spans
from bench.train_ner import IDNER, read_conll
from pipelines.entities.gazetteer import default_gazetteer
from pipelines.entities.model import MODEL_DIR

HAS_MODELS = all((MODEL_DIR / f"ner-{lang}" / "config.cfg").is_file() for lang in ("id", "en"))
TECH_FLOOR = {"p": 0.93, "r": 0.90}  # measured 0.970 / 0.933
TECH_FLOOR_WITHOUT_MODEL = {"p": 0.97, "r": 0.90}  # measured 0.986 / 0.933
HELDOUT_FLOORS_WITHOUT_MODEL = {  # texts written after the rules they measure (heldout5:
    # the only one no change has looked at since; see the gold file's "about")
    "heldout": {"p": 0.88, "r": 0.78},  # measured 0.923 / 0.828
    "heldout2": {"p": 0.95, "r": 0.84},  # measured 1.000 / 0.887
    "heldout3": {"p": 0.86, "r": 0.77},  # measured 0.909 / 0.816
    "heldout4": {"p": 0.91, "r": 0.84},  # measured 0.959 / 0.887
    "heldout5": {"p": 0.82, "r": 0.67},  # measured 0.868 / 0.719
}
IDNER_DEV_F1_FLOOR = 0.82  # measured 0.825; plain spaCy on idner train: 0.76-0.81


def test_tech_gold_without_model() -> None:
    figures = eval_tech(use_model=False)
    assert figures["all"]["texts"] >= 30
    for group, floor in (("all", TECH_FLOOR_WITHOUT_MODEL), *HELDOUT_FLOORS_WITHOUT_MODEL.items()):
        assert figures[group]["p"] >= floor["p"]
        assert figures[group]["r"] >= floor["r"]


def test_tech_gold_follows_its_id_rule() -> None:
    """The gold's own rule: the gazetteer's id wherever the gazetteer knows the name."""
    gaz = default_gazetteer()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    wrong = [(c["key"], name, entity_id, known.id)
             for group in ("demo", "fresh", *HELDOUT_FLOORS_WITHOUT_MODEL) for c in gold[group]
             for entity_id, name in c["entities"].items()
             if (known := gaz.lookup(name)) is not None and known.id != entity_id]
    assert wrong == []


@pytest.mark.skipif(not HAS_MODELS, reason="the NER models are not built")
def test_tech_gold_with_model() -> None:
    figures = eval_tech()["all"]
    assert figures["p"] >= TECH_FLOOR["p"]
    assert figures["r"] >= TECH_FLOOR["r"]


@pytest.mark.corpus
@pytest.mark.skipif(not HAS_MODELS, reason="the NER models are not built")
def test_idner_dev_f1(corpus) -> None:
    dev = read_conll(IDNER / "dev.txt")
    assert over_sentences(dev, warta_spans("id"))["ALL"]["f1"] >= IDNER_DEV_F1_FLOOR
