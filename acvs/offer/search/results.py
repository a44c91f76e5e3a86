"""The search's entry points: the matching offers, a page of them with its (capped) total, their facets."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from acvs.core.paginator import page_number

from ..models import Offer
from .backends import total_cap
from .backends.base import Total
from .compiled import Search
from .query import OfferQuery
from .rows import OfferRows


def offers_search(query: OfferQuery, *, using: str = "default") -> QuerySet[Offer]:
    """Offers matching `query` in result order, annotated with `rank` (text; lower is better) and `distance_km`
    (around a centre). The search page reads it through `search_page`, which pages it without counting every match.
    """
    return Search(query, using).queryset


def search_page(
    query: OfferQuery, number, per_page: int, *, select_related=(), only=(), using: str = "default"
) -> Page:
    """Page `number` of the results, with the total counted up to the cap (`page.paginator.capped` above it).
    `only`: the offer fields to read (the page's columns; all by default)."""
    paginator = SearchPaginator(query, per_page, select_related=select_related, only=only, using=using)
    return paginator.get_page(number)


def offer_facets(query: OfferQuery, *, using: str = "default") -> dict:
    """Counts of the results per type family (ids), label, feature and commune (the 12 first, with names).

    Exact up to the total cap; above it the backend may estimate them from a sample ("estimated": True).
    "matches": the offers the counts were taken over (the sample's when estimated).
    """
    search = Search(query, using)
    return search.backend.facets(search, guess=not query.in_area)


class SearchPaginator(Paginator):
    """A page in one statement: the page's ids, order and computed values (rank, distance) with its offers' rows
    (`only` their fields, and the foreign keys of `select_related`). The total is counted up to the cap (`capped`
    above it, `estimated` when that "more" is the database's estimate, not a count); past the cap the pages stop.
    See backends.base for how narrow and broad searches are answered."""

    def __init__(self, query: OfferQuery, per_page: int, *, select_related=(), only=(), using: str = "default"):
        # The search is the object list: its statements are compiled once per shape, no queryset built per page.
        super().__init__(Search(query, using), per_page)
        self.query, self.backend = query, self.object_list.backend
        self.rows = OfferRows.of(self.backend.connection, select_related=tuple(select_related), only=tuple(only))
        self.total = None

    @property
    def count(self) -> int:
        if self.total is None:
            self.total = Total(self.backend.count(self.object_list))
        return min(self.total.count, total_cap())

    @property
    def capped(self) -> bool:
        return self.total.count > total_cap()

    @property
    def estimated(self) -> bool:
        return self.total.estimated

    @property
    def num_pages(self) -> int:  # not cached: the total may be corrected by a later get_page
        return max(1, -(-self.count // self.per_page))

    def get_page(self, number, *, guess: bool = True, again: bool = False) -> Page:
        number = page_number(number)
        bottom = (number - 1) * self.per_page
        guess = guess and not self.query.in_area
        offers, self.total = self.backend.head(self.object_list, bottom, bottom + self.per_page, self.rows, guess=guess)
        if not offers and number > 1 and not again:
            if self.total.estimated:  # fewer matches than estimated: count them
                return self.get_page(number, guess=False)
            return self.get_page(min(number, self.num_pages), guess=False, again=True)  # past the last page
        return self._get_page(offers, number, self)
