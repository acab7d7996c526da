"""Serve the bundled demo site and crawl it once per test session."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawling import REPO

MANIFEST = json.loads((REPO / "demo" / "site_manifest.json").read_text(encoding="utf-8"))
DEMO_CONFIG = REPO / "demo" / "sources.toml"
SOURCE_OF = {"gamebrott": "demo-gamebrott", "technews": "demo-technews", "portal": "demo-portal"}


def articles(outlet: str | None = None) -> list[dict]:
    return [a for a in MANIFEST["articles"] if outlet in (None, a["outlet"])]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def demo_db_rows(db) -> dict[str, dict]:  # noqa: ANN001
    """Archived articles by URL path."""
    return {path_of(r["canonical_url"]): r for r in db.query("select * from articles")}


__all__ = ["MANIFEST", "DEMO_CONFIG", "SOURCE_OF", "articles", "path_of", "demo_db_rows", "Path"]
