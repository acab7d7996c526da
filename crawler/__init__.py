"""The Scrapy project: settings, items, the news spider, middlewares and the crawl entry point."""
