"""Story clustering: articles about the same event grouped into one story, incrementally.

``StoryClusterer(db).assign(StoryDoc(...))`` puts one archived article into a story;
``recluster(db, since)`` rebuilds the stories of a period from the archive, whatever order
the articles came in (``recluster_articles``: the stories of given articles).
"""

from pipelines.stories.cluster import Assignment, StoryClusterer, StoryDoc, StoryParams
from pipelines.stories.features import article_features
from pipelines.stories.recluster import ReclusterReport, recluster, recluster_articles

__all__ = ["Assignment", "ReclusterReport", "StoryClusterer", "StoryDoc", "StoryParams",
           "article_features", "recluster", "recluster_articles"]
