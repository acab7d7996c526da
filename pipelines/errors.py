"""The one exception type extraction raises for pages that are not articles."""

from __future__ import annotations


class NotAnArticle(ValueError):  # noqa: N818 - the name says what the page is, not an error
    """The page is not a storable article; ``reason`` is a short stats key."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        self.reason = reason
        super().__init__(message or reason)
