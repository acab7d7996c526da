"""The SQLite archive: schema and migrations, writes, queries, the crawl lock."""
