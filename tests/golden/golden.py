"""Load golden pages and extract them with their source's rules (shared by the test and
the regenerate script)."""

from __future__ import annotations

import gzip
import os
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = REPO.parent / "shared"
SPEC = tomllib.loads((HERE / "sources.toml").read_text(encoding="utf-8"))
FIELDS = ("title", "authors", "published_at", "published_raw", "published_local", "lang",
          "canonical_url", "tags", "captions", "image", "pages_via")
DEMO_BASE = "http://demo.invalid"


def page_html(spec: dict[str, Any]) -> str | None:
    """The golden page's HTML, or None when it lives in an absent ../shared."""
    if "file" in spec:
        return (HERE / spec["file"]).read_text(encoding="utf-8")
    if "shared" in spec:
        path = SHARED / spec["shared"]
        return gzip.open(path).read().decode("utf-8", "replace") if path.exists() else None
    root = REPO / "demo" / "site"
    path, _, query = spec["demo"].partition("?")
    name = "index.html"
    if query:
        key, _, value = query.partition("=")
        name = f"index.{key}-{value}.html"
    text = (root / path.strip("/") / name).read_text(encoding="utf-8")
    return text.replace("{{BASE}}", DEMO_BASE)


def page_url(spec: dict[str, Any]) -> str:
    return spec.get("url") or DEMO_BASE + spec["demo"]


def extract(name: str) -> dict[str, Any] | None:
    """The fields of the source's golden page as extracted now (None: page unavailable)."""
    from pipelines import article_from_html
    from warta.config import load_config

    spec = SPEC[name]
    os.environ.setdefault("WARTA_DEMO_BASE", DEMO_BASE)
    source = load_config(REPO / spec["config"]).sources[name]
    html = page_html(spec)
    if html is None:
        return None
    article = article_from_html(html, page_url(spec), source, fetched_at="2026-11-28T00:00:00Z")
    data = article.to_dict()
    out = {k: data[k] for k in FIELDS}
    out["body_start"] = article.body[:300]
    out["body_end"] = article.body[-300:]
    out["paragraphs"] = len(article.body.split("\n\n"))
    out["removed_rules"] = sorted({f"{r['origin']}:{r['rule']}" for r in article.removed})
    return out
