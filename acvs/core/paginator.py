"""Pagination helpers shared by the paginated lists: one parser of the page asked for."""

from django.core.paginator import Paginator

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
