"""Offer search: one interface (OfferQuery in, offers, pages and facets out) over one backend per database.

- query.py: OfferQuery, the criteria; filters.py: the criteria as ORM filters, the same on both databases.
- compiled.py: a Search (a query, its criteria's values, its backend) and its statements, compiled to SQL once per
  shape of query and rebound with each search's values.
- backends/: the text match, pages and facets of PostgreSQL (RUM index) and SQLite (FTS5).
- indexing.py: the search document of each offer, rebuilt by a task after every change commits.
"""

from .query import OfferQuery
from .results import SearchPaginator, offer_facets, offers_search, search_page

__all__ = ["OfferQuery", "SearchPaginator", "offer_facets", "offers_search", "search_page"]
