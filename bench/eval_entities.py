"""Measure warta's entity recogniser (issue #5): accuracy on real corpora, tech gold, speed.

- ``idner``: idner-news-2k dev (PER/ORG/LOC, exact span and type), entity-level P/R/F1 per
  type and overall, for plain spaCy pipelines (the reference ``build/ner-id-baseline`` and
  the others ``bench/train_ner.py`` builds, where present) and warta's ``find_mentions``;
- ``gum``: the 24 GUM Wikinews documents (named people/organisations/places, exact spans) for
  ``find_mentions(.., "en")`` as shipped and, when ``build/en-fold<K>`` exist, for models that
  never saw the document (4-fold cross-validation);
- ``tech``: precision/recall of canonical entity ids per text on ``tests/entities_gold.json``
  (``all``: demo site and ``fresh`` texts; :data:`HELD_OUT`: texts written after the rules
  they measure, see the file's ``about``);
- ``speed``: CPU ms per 4 KB of article text, gazetteer + patterns + cues (``gazetteer_patterns``)
  and with the model (``combined``).

    .venv/bin/python bench/eval_entities.py [idner gum tech speed] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.train_ner import (  # noqa: E402
    BUILD,
    GUM,
    GUM_FOLDS,
    IDNER,
    TEACHERS,
    TEACHERS_DIR,
    Sentence,
    gum_documents,
    majority_labels,
    read_conll,
    read_gum,
    text_and_spans,
)
from pipelines.entities import find_mentions, summarize  # noqa: E402
from pipelines.entities.model import MODEL_DIR  # noqa: E402

GOLD = REPO / "tests" / "entities_gold.json"
HELD_OUT = ("heldout", "heldout2", "heldout3", "heldout4", "heldout5")
"""The gold's sets of texts written after the rules they measure (see its ``about``)."""
MANIFEST = REPO / "demo" / "site_manifest.json"
TO_GOLD = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC"}
Span = tuple[int, int, str]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), "gold": n_gold}


def score(pairs: Iterable[tuple[list[Span], list[Span]]]) -> dict[str, dict[str, float]]:
    """Exact span-and-type scores per type and overall over (predicted, gold) pairs."""
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for pred, gold in pairs:
        for kind in ("ALL", *{s[2] for s in (*pred, *gold)}):
            p = {s for s in pred if kind in ("ALL", s[2])}
            g = {s for s in gold if kind in ("ALL", s[2])}
            tp[kind] += len(p & g)
            npred[kind] += len(p)
            ngold[kind] += len(g)
    return {k: prf(tp[k], npred[k], ngold[k]) for k in sorted(ngold | npred)}


def warta_spans(lang: str, **options: Any) -> Callable[[str], list[Span]]:
    def run(text: str) -> list[Span]:
        return [(m.start, m.end, TO_GOLD[m.type]) for m in find_mentions(text, lang, **options)
                if m.type in TO_GOLD]
    return run


def plain_spacy(path: Path) -> Callable[[str], list[Span]]:
    """A spaCy pipeline as it comes: its entities, no warta filtering or gazetteer."""
    import spacy

    nlp = spacy.load(path)
    return lambda text: [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]


def over_sentences(sentences: list[Sentence], spans: Callable[[str], list[Span]]
                   ) -> dict[str, dict[str, float]]:
    pairs = []
    for sent in sentences:
        text, gold = text_and_spans(sent)
        pairs.append((spans(text), gold))
    return score(pairs)


def gum_text(doc: str) -> tuple[str, list[Span]]:
    """A GUM document as one text (a sentence a line) with its gold spans."""
    text, gold = "", []
    for sent in read_gum(GUM / f"{doc}.conllu"):
        line, spans = text_and_spans(sent)
        gold += [(a + len(text), b + len(text), k) for a, b, k in spans]
        text += line + "\n"
    return text, gold


def eval_idner() -> dict[str, Any]:
    dev = read_conll(IDNER / "dev.txt")
    out: dict[str, Any] = {}
    teachers = [TEACHERS_DIR / name for name in TEACHERS]
    for name, path in (("plain_spacy_idner_only", BUILD / "ner-id-baseline"),
                       *((f"teacher_{p.name}", p) for p in teachers),
                       ("plain_spacy_shipped", MODEL_DIR / "ner-id")):
        if (path / "config.cfg").is_file():
            out[name] = over_sentences(dev, plain_spacy(path))
    if all((p / "config.cfg").is_file() for p in teachers):
        voted = {tuple(s.words): s for s in majority_labels(dev, teachers)}
        out["teachers_majority_vote"] = score(
            (text_and_spans(voted[tuple(s.words)])[1], text_and_spans(s)[1]) for s in dev)
    out["warta_gazetteer_patterns"] = over_sentences(dev, warta_spans("id", use_model=False))
    out["warta_combined"] = over_sentences(dev, warta_spans("id"))
    return out


def eval_gum() -> dict[str, Any]:
    docs = {d: gum_text(d) for d in gum_documents()}
    out: dict[str, Any] = {
        "warta_gazetteer_patterns": score((warta_spans("en", use_model=False)(t), g)
                                          for t, g in docs.values()),
        "warta_shipped": score((warta_spans("en")(t), g) for t, g in docs.values()),
    }
    folds = [BUILD / f"en-fold{k}" for k in range(GUM_FOLDS)]
    if all((f / "ner-en" / "config.cfg").is_file() for f in folds):
        pairs = []
        for i, (text, gold) in enumerate(docs.values()):
            pairs.append((warta_spans("en", model_dir=folds[i % GUM_FOLDS])(text), gold))
        out["warta_cross_validated"] = score(pairs)
    return out


def demo_texts() -> dict[str, tuple[str, str]]:
    articles = json.loads(MANIFEST.read_text(encoding="utf-8"))["articles"]
    return {a["key"]: (a["lang"], "\n\n".join([a["title"], *a["paragraphs"]])) for a in articles}


def eval_tech(verbose: bool = False, *, use_model: bool = True) -> dict[str, Any]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    demo = demo_texts()
    cases = [(c["key"], *demo[c["key"]], c["entities"]) for c in gold["demo"]]
    cases += [(c["key"], c["lang"], c["text"], c["entities"])
              for name in ("fresh", *HELD_OUT) for c in gold[name]]
    groups = {name: {c["key"] for c in gold[name]} for name in ("demo", "fresh", *HELD_OUT)}
    out: dict[str, Any] = {}
    for group, keys in (("all", groups["demo"] | groups["fresh"]), ("fresh", groups["fresh"]),
                        *((name, groups[name]) for name in HELD_OUT)):
        tp = npred = ngold = 0
        for key, lang, text, expected in cases:
            if key not in keys:
                continue
            found = {e["entity_id"]: e["name"]
                     for e in summarize(find_mentions(text, lang, use_model=use_model))}
            tp += len(found.keys() & expected.keys())
            npred += len(found)
            ngold += len(expected)
            if verbose and group != "fresh" and found.keys() != expected.keys():
                print(f"{key}: missed {sorted(expected.keys() - found.keys())} "
                      f"extra {[found[k] for k in found.keys() - expected.keys()]}")
        out[group] = {**prf(tp, npred, ngold), "texts": len(keys)}
    return out


def eval_speed() -> dict[str, Any]:
    """CPU per 4 KB of the demo site's text (its articles joined and cut in 4 KB pieces),
    read as Indonesian and as English: gazetteer, patterns and cues alone, and with the
    model (per language too). A first round is not timed (it loads the models and meets
    every word for the first time)."""
    text = "\n\n".join(t for _, t in demo_texts().values())
    chunks = [text[i:i + 4096] for i in range(0, len(text) - 4096, 4096)]
    out: dict[str, Any] = {"chunks_of_4kb": len(chunks)}
    for name, use_model, rounds in (("gazetteer_patterns", False, 20), ("combined", True, 3)):
        spent = {}
        for lang in ("id", "en"):
            for chunk in chunks:  # the untimed round
                find_mentions(chunk, lang, use_model=use_model)
            began = time.process_time()
            for _ in range(rounds):
                for chunk in chunks:
                    find_mentions(chunk, lang, use_model=use_model)
            spent[lang] = (time.process_time() - began) * 1000 / (rounds * len(chunks))
        out[f"{name}_cpu_ms_per_4kb"] = round(sum(spent.values()) / 2, 3)
        if use_model:
            out.update({f"{name}_{lang}_cpu_ms_per_4kb": round(ms, 3)
                        for lang, ms in spent.items()})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="*",
                        default=["idner", "gum", "tech", "tech_without_model", "speed"])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("-v", "--verbose", action="store_true", help="tech: list errors")
    args = parser.parse_args(argv)
    runs = {"idner": eval_idner, "gum": eval_gum, "tech": lambda: eval_tech(args.verbose),
            "tech_without_model": lambda: eval_tech(use_model=False), "speed": eval_speed}
    figures = {}
    for what in args.what:
        if what in ("idner", "gum") and not IDNER.parent.parent.is_dir():
            print(f"{what}: skipped, no ../shared/corpus")
            continue
        figures[what] = runs[what]()
        print(what, json.dumps(figures[what], indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
