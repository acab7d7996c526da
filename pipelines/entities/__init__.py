"""Entities: who and what each article is about, with canonical ids (issue #5).

:func:`find_mentions` is the whole recogniser on one text, with no Scrapy and no database:
the curated gazetteer (``gazetteer.py``, data in ``data/gazetteer.tsv``), patterns for model
numbers, tickers and handles (``patterns.py``), the optional spaCy model (``model.py``) and
in-document aliases, combined by ``resolve.py``. :class:`EntityPipeline` runs it on each
article in a crawl.
"""

from __future__ import annotations

from pipelines.entities.gazetteer import Gazetteer, GazetteerError, load_gazetteer
from pipelines.entities.mention import Mention
from pipelines.entities.mentions import find_mentions, summarize
from pipelines.entities.pipeline import EntityPipeline, entities_of_article

__all__ = [
    "EntityPipeline",
    "Gazetteer",
    "GazetteerError",
    "Mention",
    "entities_of_article",
    "find_mentions",
    "load_gazetteer",
    "summarize",
]
