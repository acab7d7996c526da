"""Cleaning accuracy: how much real article text the boilerplate rules remove.

On ../shared/corpus/fundus the expected body paragraphs are known; a paragraph that
``article_from_html`` removed (its audit trail) and that is one of the expected paragraphs
is a false removal. Also reports, on trafilatura_eval, how many ``without`` snippets the rules
themselves removed (the leakage the rules prevent).

    .venv/bin/python bench/eval_cleaning.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus_sets as cs  # noqa: E402

from pipelines import NotAnArticle, article_from_html  # noqa: E402


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def main() -> None:
    expected_total = removed_real = pages = 0
    examples: list[str] = []
    for case in cs.load_set("fundus"):
        if not case.expected_body:
            continue
        expected = {norm(p) for p in case.expected_body.split("\n") if p.strip()}
        try:
            article = article_from_html(case.html_bytes, case.url, fetched_at=case.fetched_at)
        except NotAnArticle:
            continue
        pages += 1
        expected_total += len(expected)
        for r in article.removed:
            if r["rule"] != "title-repeat" and norm(r["text"]) in expected:
                removed_real += 1
                if len(examples) < 10:
                    examples.append(f"{case.id}: [{r['origin']}:{r['rule']}] {r['text'][:90]}")
    share = removed_real / expected_total if expected_total else 0.0
    print(f"fundus: {pages} pages, {expected_total} expected paragraphs, {removed_real} removed "
          f"by cleaning rules = {100 * share:.2f}% false removals (target < 1%)")
    for line in examples:
        print("  " + line)


if __name__ == "__main__":
    main()
