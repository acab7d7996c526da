"""Scrapy settings for warta: polite by default.

``crawler.run`` overrides a few of these from the config file's ``[crawl]`` table
(contact URL, delay, concurrency); everything else is fixed here.
"""

from warta import __version__

BOT_NAME = "warta"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who we are and how to reach the operator: set [crawl] contact in sources.toml.
WARTA_CONTACT = "https://github.com/warta-news/warta"
USER_AGENT = f"warta/{__version__} (+{WARTA_CONTACT}; news archive crawler)"

# Politeness
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 3 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
WARTA_RETRY_BACKOFF = 1.0
# Archived articles found again in a feed are re-fetched (to catch edits) only this long after
# their last fetch, or when a sitemap's lastmod says they changed.
WARTA_RECHECK_AFTER_HOURS = 24.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.conditional.ConditionalGetMiddleware": 580,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.boilerplate.BoilerplatePipeline": 200,
    "pipelines.entities.EntityPipeline": 300,
    "pipelines.dedup.DedupPipeline": 400,
    "pipelines.archive.ArchivePipeline": 900,
}
EXTENSIONS = {
    "crawler.extensions.CrawlRunRecorder": 100,
    "crawler.logfilters.QuietTracebacks": 0,
}

# The statistical NER model adds ~16% to the CPU per page (gazetteer, patterns, cues: ~1%);
# crawls run without it unless this is True. find_mentions() and the evaluation use it.
WARTA_ENTITY_MODEL = False

# Where the archive lives and which config to read (overridable: -s WARTA_DB=...).
WARTA_DB = "data/warta.db"
WARTA_CONFIG = None

# Modern Scrapy: asyncio reactor, no spider argument in components.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
