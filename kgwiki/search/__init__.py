"""DOOR"""

from __future__ import annotations

from kgwiki.search.analysis import terms
from kgwiki.search.index import IndexLockedError, IndexUnavailableError, SearchIndex
from kgwiki.search.results import Hit, SearchResults, TrustWeighting
from kgwiki.search.schema import ClientDoc, client_doc
from kgwiki.search.writer import IndexUpdate

__all__ = [
    "ClientDoc",
    "Hit",
    "IndexLockedError",
    "IndexUnavailableError",
    "IndexUpdate",
    "SearchIndex",
    "SearchResults",
    "TrustWeighting",
    "client_doc",
    "terms",
]
