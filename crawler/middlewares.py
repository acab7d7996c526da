"""Downloader middlewares: retries that back off instead of hammering a struggling site."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings

MAX_BACKOFF_SECONDS = 120.0


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting ``WARTA_RETRY_BACKOFF * 2**(attempt-1)`` seconds (with jitter,
    or the server's ``Retry-After``) before each retry of the same request."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("WARTA_RETRY_BACKOFF", 1.0)

    async def process_response(self, request: Request, response: Response,  # type: ignore[override]
                               spider: Any = None) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await asyncio.sleep(self.delay(result, response))
        return result

    async def process_exception(self, request: Request, exception: Exception,  # type: ignore[override]
                                spider: Any = None) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await asyncio.sleep(self.delay(result, None))
        return result

    def delay(self, retry: Request, response: Response | None) -> float:
        """Seconds to wait before sending ``retry``."""
        attempt = max(1, int(retry.meta.get("retry_times", 1)))
        wait = self.base * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
        header = response.headers.get(b"Retry-After") if response is not None else None
        if header and header.strip().isdigit():
            wait = max(wait, float(header.strip()))
        return min(wait, MAX_BACKOFF_SECONDS)
