"""Text keys shared by extraction and the archive."""

from __future__ import annotations


def line_key(text: str) -> str:
    """A line as compared for sameness: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()
