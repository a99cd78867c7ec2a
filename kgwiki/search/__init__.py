"""DOOR"""

from __future__ import annotations

from kgwiki.search.analysis import terms
from kgwiki.search.index import IndexLockedError, IndexUnavailableError, SearchIndex
from kgwiki.search.results import Hit, SearchResults
from kgwiki.search.writer import IndexUpdate

__all__ = [
    "Hit",
    "IndexLockedError",
    "IndexUnavailableError",
    "IndexUpdate",
    "SearchIndex",
    "SearchResults",
    "terms",
]
