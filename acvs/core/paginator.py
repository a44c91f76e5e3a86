"""Pages of lists: one parser of the page asked for, and a paginator that finds a page and the total number of results
in one scan of the matching rows."""

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import Count, Value, Window, prefetch_related_objects

# Far past the last page of any list (past it, every paginator gives the last page). Larger numbers only made the
# query's OFFSET overflow: beyond 2^63 the search crashed.
MAX_PAGE = 100_000


def page_number(number) -> int:
    """The page asked for: a whole number from 1 to MAX_PAGE; page 1 for anything else (as Paginator.get_page)."""
    try:
        return min(max(1, int(number)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def paginate(request, object_list, per_page: int):
    """The page of `object_list` that ?page= asks for: every list pages through here."""
    return Paginator(object_list, per_page).get_page(page_number(request.GET.get("page")))


class OneQueryPaginator(Paginator):
    """Ids first: one query orders the matching rows and counts them (`COUNT(*) OVER ()`) carrying only their ids
    and computed values (distance, rank), then the page's rows are read by primary key. A page and its total used to
    cost two scans of the matching rows (page, then count); on searches that filter thousands of rows (availability,
    distance) this halves it, and the sort handles narrow rows instead of whole offers with their texts.
    `object_list` must be a QuerySet. Past the last page it falls back to a count, as `get_page` does.
    SQLite counts apart: its full-text rank (FTS5 bm25) cannot sit beside a window function, and its databases are
    the small embedded ones.
    """

    def get_page(self, number):
        number = page_number(number)
        qs = self.object_list
        computed = list(qs.query.annotation_select)
        bottom = (number - 1) * self.per_page
        windowed = connections[qs.db].vendor == "postgresql"
        total = Window(Count("*")) if windowed else Value(0)
        head = list(qs.annotate(_total=total).values_list("pk", "_total", *computed)[bottom : bottom + self.per_page])
        if not head and number > 1:
            try:
                return self.page(self.num_pages)
            except InvalidPage:  # pragma: no cover - num_pages is always a valid page
                return self.page(1)
        if windowed:
            self.__dict__["count"] = head[0][1] if head else 0  # Paginator.count is a cached property
        return self._get_page(self._rows(qs, head, computed), number, self)

    @staticmethod
    def _rows(qs, head, computed) -> list:
        """The page's objects by primary key, in order, with the values computed by the search."""
        by_id = type(qs)(qs.model, using=qs.db).filter(pk__in=[row[0] for row in head])
        if qs.query.select_related:
            by_id.query.select_related = qs.query.select_related
        found = {obj.pk: obj for obj in by_id}
        rows = []
        for pk, _total, *values in head:
            if pk in found:  # deleted in between: left out
                obj = found[pk]
                for name, value in zip(computed, values, strict=True):
                    setattr(obj, name, value)
                rows.append(obj)
        prefetch_related_objects(rows, *qs._prefetch_related_lookups)
        return rows
