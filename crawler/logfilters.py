"""One line per failure: Scrapy components that log whole tracebacks for expected network
errors (a dead host's robots.txt, say) are cut down to their message."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

NOISY_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper")


class _OneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.levelno >= logging.WARNING:
            record.exc_info = None
            record.exc_text = None
        return True


class QuietTracebacks:
    """Scrapy extension: installs the one-line filter on the noisy loggers."""

    def __init__(self) -> None:
        for name in NOISY_LOGGERS:
            log = logging.getLogger(name)
            if not any(isinstance(f, _OneLine) for f in log.filters):
                log.addFilter(_OneLine())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietTracebacks:
        return cls()
