"""Extraction quality gate: warta on the fixed gate subset must meet every pinned bound.

Runs ``article_from_html`` (warta only, no peer) over the gate subset of each corpus set
(``bench/corpus_sets.py`` ``gate_cases``, about 40 s) and checks each figure against
``tests/quality_baseline.json``: floors for body_f1, title_exact, date_day_acc, author_f1,
with_recall, snippet_f1; a ceiling for without_leak. A figure pinned in the baseline but missing from the
run fails too. Skipped when ``../shared/corpus`` is absent.

Regenerate (floors only go up; lowering needs a recorded reason)::

    python bench/eval_extraction.py --subset gate --write-baseline tests/quality_baseline.json \
        [--allow-lower "reason"]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus_sets import CORPUS, GATE_STRIDE, SET_NAMES
from bench.eval_extraction import CEILING_METRICS, fails, gate_figures

BASELINE_PATH = Path(__file__).with_name("quality_baseline.json")
BASELINE: dict[str, Any] = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
BOUNDS: dict[str, dict[str, float]] = BASELINE["bounds"]

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def figures() -> dict[str, dict[str, Any]]:
    """warta's figures per set on the gate subset, computed once for the module."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present (real pages are kept outside the repo)")
    return gate_figures([s for s in SET_NAMES if s in BOUNDS])


def test_baseline_is_well_formed() -> None:
    assert BASELINE.get("_comment"), "the baseline must explain its rules in _comment"
    assert BASELINE.get("subset") == "gate"
    assert BASELINE.get("gate_stride") == GATE_STRIDE, (
        "the gate subset changed since the baseline was written: regenerate it"
    )
    for set_name, bounds in BOUNDS.items():
        assert set_name in SET_NAMES, f"unknown set {set_name!r} in the baseline"
        for metric, bound in bounds.items():
            assert 0.0 <= bound <= 1.0, f"{set_name}.{metric} bound {bound} out of [0, 1]"


@pytest.mark.parametrize(
    ("set_name", "metric"),
    [(s, m) for s, bounds in sorted(BOUNDS.items()) for m in sorted(bounds)],
)
def test_figure_meets_bound(figures: dict[str, dict[str, Any]], set_name: str,
                            metric: str) -> None:
    bound = BOUNDS[set_name][metric]
    value = figures.get(set_name, {}).get(metric)
    assert value is not None, f"{set_name}.{metric} is pinned in the baseline but missing"
    kind = "ceiling" if metric in CEILING_METRICS else "floor"
    assert not fails(metric, value, bound), (
        f"{set_name}.{metric} = {value:.4f} breaks its {kind} {bound} "
        f"(run `python bench/eval_extraction.py --subset gate --set {set_name} --json out.json` "
        "to see the failing pages)"
    )
