"""Pagination helpers shared by the paginated lists."""


def page_number(number) -> int:
    """The page asked for: a whole number from 1, page 1 for anything else (as Paginator.get_page)."""
    try:
        return max(1, int(number))
    except (TypeError, ValueError):
        return 1
