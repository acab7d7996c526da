"""Train warta's small spaCy NER models, reproducibly, from the corpora in ../shared/corpus.

Indonesian (the shipped model, ``pipelines/entities/data/ner-id``): all of idner-news-2k
train, 1750 steps, the last checkpoint. That step count is where the reference model
(``--baseline``: 90% of idner train, every tenth sentence held back to pick the best
checkpoint) stopped improving. ``--with-nergrit`` adds all of NERGrit (PERSON/PLACE/
ORGANISATION mapped to PER/LOC/ORG): it scored higher on the held-back sentences during
training but lower on them and on idner dev once done (its Wikipedia-style annotation tags
places that idner's news annotation leaves untagged), so it is not shipped. NERP is left out:
its text is lower-cased (the model would unlearn capitalisation, the strongest cue in edited
news) and its IND/EVT/FNB classes do not map onto PER/ORG/LOC. idner dev is never trained on.

English (``en``): there is no freely licensed English NER training set here except GUM's 24
Wikinews documents, which are also the English evaluation set. ``en --fold K`` trains on the
documents outside fold K of 4 (for a cross-validated figure); ``en`` trains on all 24 and ships
``pipelines/entities/data/ner-en``. Run from the repository root::

    .venv/bin/python bench/train_ner.py id                 # ~10 min on 2 idle cores
    .venv/bin/python bench/train_ner.py id --baseline      # build/ner-id-baseline
    .venv/bin/python bench/train_ner.py id --with-nergrit  # build/ner-id-nergrit
    .venv/bin/python bench/train_ner.py en [--fold 0..3]   # 600 steps, ~5 min each

Training is seeded (seed 0); spaCy on CPU reproduces a model up to float noise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
IDNER = CORPUS / "indonesian_ner" / "idner_news_2k"
NERGRIT = CORPUS / "indonesian_ner" / "indonlu_nergrit"
GUM = CORPUS / "english_ner_gum_news"
DATA = REPO / "pipelines" / "entities" / "data"
BUILD = REPO / "build"
GUM_FOLDS = 4

NERGRIT_LABELS = {"PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG"}
GUM_LABELS = {"person": "PER", "organization": "ORG", "place": "LOC"}
_GUM_ENTITY = re.compile(r"\((\d+)-([^()]*)(\))?|(\d+)\)")
_DETERMINERS = {"the", "a", "an", "The", "A", "An"}
_POSSESSIVES = {"'s", "'", "\u2019s", "\u2019"}


@dataclass
class Sentence:
    """One tokenised sentence with its entity spans as (first token, end token, label)."""

    words: list[str]
    spaces: list[bool]
    spans: list[tuple[int, int, str]]
    doc_id: str = ""


def read_conll(path: Path, labels: dict[str, str] | None = None) -> list[Sentence]:
    """A CoNLL/BIO file (token first, tag last on each line), tags mapped through ``labels``."""
    sentences: list[Sentence] = []
    rows: list[tuple[str, str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if parts:
            rows.append((parts[0], parts[-1]))
            continue
        if not rows:
            continue
        spans: list[tuple[int, int, str]] = []
        for i, (_, tag) in enumerate(rows):
            kind = tag[2:]
            kind = labels.get(kind, "") if labels is not None else kind
            if tag.startswith("B-") or (tag.startswith("I-") and (not spans or spans[-1][1] != i)):
                if kind:
                    spans.append((i, i + 1, kind))
            elif tag.startswith("I-") and kind and spans[-1][2] == kind:
                spans[-1] = (spans[-1][0], i + 1, kind)
        words = [w for w, _ in rows]
        sentences.append(Sentence(words, [True] * len(words), spans))
        rows = []
    return sentences


def read_gum(path: Path) -> list[Sentence]:
    """A GUM CoNLL-U file: named mentions (those with a Wikipedia identity) of people,
    organisations and places, leading determiners dropped; nominal mentions are not names."""
    sentences: list[Sentence] = []
    words: list[str] = []
    spaces: list[bool] = []
    upos: list[str] = []
    spans: list[tuple[int, int, str]] = []
    open_: dict[str, list[tuple[int, str, bool]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                sentences.append(Sentence(words, spaces, spans, path.stem))
            words, spaces, upos, spans = [], [], [], []
            continue
        cols = line.split("\t")
        if not cols[0].isdigit():
            continue  # multi-word token ranges and empty nodes
        i = len(words)
        words.append(cols[1])
        upos.append(cols[3])
        spaces.append("SpaceAfter=No" not in cols[9])
        entity = next((f[7:] for f in cols[9].split("|") if f.startswith("Entity=")), "")
        for m in _GUM_ENTITY.finditer(entity):
            if m.group(1):
                fields = m.group(2).split("-")
                named = len(fields) >= 7 and fields[0] in GUM_LABELS
                open_.setdefault(m.group(1), []).append((i, fields[0], named))
                if not m.group(3):
                    continue
                eid = m.group(1)
            else:
                eid = m.group(4)
            if not open_.get(eid):
                continue
            start, etype, named = open_[eid].pop()
            end = i + 1
            while start < end and words[start] in _DETERMINERS:
                start += 1
            while start < end and words[end - 1] in _POSSESSIVES:
                end -= 1
            if named and start < end and "PROPN" in upos[start:end]:
                spans.append((start, end, GUM_LABELS[etype]))
    if words:
        sentences.append(Sentence(words, spaces, spans, path.stem))
    for sent in sentences:  # nested names ("Kabul" in "Kabul University"): keep the outer one
        sent.spans = [s for s in sent.spans
                      if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in sent.spans)]
    return sentences


def gum_documents() -> list[str]:
    """The GUM news document names, sorted (the fold of a document is its index mod 4)."""
    return sorted(p.stem for p in GUM.glob("GUM_news_*.conllu"))


def text_and_spans(sent: Sentence) -> tuple[str, list[tuple[int, int, str]]]:
    """The sentence as text and its entity spans as character offsets into that text."""
    starts: list[int] = []
    ends: list[int] = []
    text = ""
    for word, space in zip(sent.words, sent.spaces, strict=True):
        starts.append(len(text))
        text += word
        ends.append(len(text))
        if space:
            text += " "
    return text.rstrip(" "), [(starts[a], ends[b - 1], label) for a, b, label in sent.spans]


def docbin(sentences: list[Sentence], lang: str, path: Path) -> None:
    """Write sentences as a spaCy DocBin with gold entities."""
    import spacy
    from spacy.tokens import DocBin, Span

    nlp = spacy.blank(lang)
    db = DocBin()
    for sent in sentences:
        doc = spacy.tokens.Doc(nlp.vocab, words=sent.words, spaces=sent.spaces)
        doc.ents = [Span(doc, a, b, label=label) for a, b, label in sent.spans]
        db.add(doc)
    db.to_disk(path)


def train(lang: str, train_set: list[Sentence], select_set: list[Sentence], out: Path,
          *, max_steps: int, keep: str = "model-best", seed: int = 0) -> None:
    """Train tok2vec+ner (CNN, no vectors, small hash tables); copy ``keep`` to ``out``."""
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train as spacy_train

    config = init_config(lang=lang, pipeline=["ner"], optimize="efficiency")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docbin(train_set, lang, work / "train.spacy")
        docbin(select_set, lang, work / "select.spacy")
        config.to_disk(work / "config.cfg")
        spacy_train(work / "config.cfg", work / "out", overrides={
            "paths.train": str(work / "train.spacy"),
            "paths.dev": str(work / "select.spacy"),
            "system.seed": seed,
            "training.max_steps": max_steps,
            "training.patience": 2000,
            "training.eval_frequency": 250,
            "components.tok2vec.model.encode.width": 96,
            "components.tok2vec.model.embed.rows": [4000, 1000, 2000, 1000],
        })
        if out.exists():
            shutil.rmtree(out)
        # saved with the language-neutral tokenizer: spaCy's Indonesian one has 16,000
        # exceptions that take ~15 s to load (see pipelines/entities/model.py)
        nlp = spacy.load(work / "out" / keep, config={"nlp": {"lang": "xx"}},
                         exclude=["tokenizer"])
        nlp.to_disk(out)


def indonesian(baseline: bool, nergrit: bool) -> tuple[list[Sentence], list[Sentence]]:
    """(train, selection) sets for the Indonesian model.

    The shipped model trains on all of idner train for a fixed number of steps (the selection
    set is then only logged); the baseline and the NERGrit experiment hold every tenth idner
    sentence back and keep their best checkpoint on it.
    """
    idner = read_conll(IDNER / "train.txt")
    select_set = [s for i, s in enumerate(idner) if i % 10 == 9]
    if baseline or nergrit:
        train_set = [s for i, s in enumerate(idner) if i % 10 != 9]
    else:
        train_set = idner
    if nergrit:
        for split in ("train", "valid", "test"):
            train_set += read_conll(NERGRIT / f"{split}_preprocess.txt", NERGRIT_LABELS)
    return train_set, select_set


def english(fold: int | None) -> tuple[list[Sentence], list[Sentence]]:
    """(train, selection) sets for the English model, outside ``fold`` when given."""
    docs = gum_documents()
    keep = [d for i, d in enumerate(docs) if fold is None or i % GUM_FOLDS != fold]
    sentences = [s for d in keep for s in read_gum(GUM / f"{d}.conllu")]
    return ([s for i, s in enumerate(sentences) if i % 10 != 9],
            [s for i, s in enumerate(sentences) if i % 10 == 9])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lang", choices=["id", "en"])
    parser.add_argument("--baseline", action="store_true",
                        help="id: the reference model (90%% of idner train, best checkpoint)")
    parser.add_argument("--with-nergrit", action="store_true",
                        help="id: experiment adding NERGrit (not shipped: worse on idner)")
    parser.add_argument("--fold", type=int, choices=range(GUM_FOLDS), help="en: leave out fold")
    parser.add_argument("--max-steps", type=int, default=0, help="0: the language's default")
    parser.add_argument("--out", type=Path, help="where the model goes")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    keep = "model-best"
    if args.lang == "id":
        train_set, select_set = indonesian(args.baseline, args.with_nergrit)
        if args.baseline or args.with_nergrit:
            out = args.out or BUILD / ("ner-id-baseline" if args.baseline else "ner-id-nergrit")
            steps = args.max_steps or (1750 if args.baseline else 2500)
        else:
            out, steps, keep = args.out or DATA / "ner-id", args.max_steps or 1750, "model-last"
    else:
        train_set, select_set = english(args.fold)
        default = DATA / "ner-en" if args.fold is None else BUILD / f"en-fold{args.fold}" / "ner-en"
        out = args.out or default
        steps = args.max_steps or 600
    entities = sum(len(s.spans) for s in train_set)
    print(f"training {args.lang}: {len(train_set)} sentences, {entities} entities; "
          f"selecting on {len(select_set)} -> {out}", flush=True)
    train(args.lang, train_set, select_set, out, max_steps=steps, keep=keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
