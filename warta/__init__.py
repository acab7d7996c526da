"""warta: a tech-news crawler and story archive (Scrapy spiders into SQLite)."""

__version__ = "0.1.0"
