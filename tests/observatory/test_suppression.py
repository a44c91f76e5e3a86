"""Secondary suppression: across offices, a figure under 5 is shown "< 5", and it cannot be worked out from what the
page publishes besides (a total, the sum of a column, the origin table's France and abroad)."""

import datetime
import random

import pytest

from acvs.observatory.selectors import (
    ADDITIVE,
    HIDDEN,
    SMALL,
    SUPPRESSED,
    Period,
    department_dashboard,
    network_dashboard,
    origin_map,
    secondary,
)
from acvs.observatory.services import recount

from .conftest import at, random_activity, raw_request

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 1))


def attempt(cells: list, total) -> list[int]:
    """What a reader could work out of a column: the hidden cells' sum, when the total is published."""
    if not isinstance(total, int):
        return []
    unknown = [cell for cell in cells if not isinstance(cell, int)]
    if not unknown:
        return []
    rest = total - sum(cell for cell in cells if isinstance(cell, int))
    return [rest] if len(unknown) == 1 else [rest, len(unknown)]


def assert_safe(cells: list, total, where: str) -> None:
    worked_out = attempt(cells, total)
    if worked_out:
        assert len(worked_out) == 2, f"{where}: one hidden cell, {worked_out[0]}, is the total minus the others"
        assert worked_out[0] >= 2 * SMALL - 1, f"{where}: hidden cells add up to {worked_out[0]}"


def test_secondary_cells_are_the_smallest_until_nothing_can_be_worked_out():
    assert secondary([120, 3, 40, 7]) == {3}  # 3 + 7 ≥ 9, two cells
    assert secondary([120, 0, 40, 6]) == {3, 2}  # 0 + 6 < 9: a third cell
    assert secondary([120, 1, 2, 40]) == {3}  # two small ones add up to 3: the next smallest
    assert secondary([120, 40, 9]) == set()  # nothing under 5
    assert secondary([4]) == set()  # nothing to hide it beside: the total is under 5 itself


@pytest.fixture
def activity(cavalaire, croix_valmer, greoux):
    random_activity(random.Random(5), [cavalaire, croix_valmer, greoux], datetime.date(2025, 1, 1), 520, 150)
    for n in range(3):  # La Croix-Valmer's only phone calls: a small office in a small channel
        raw_request(croix_valmer, at(datetime.date(2026, 2, 3), 9, n), channel="phone", country="IT")
    recount()


@pytest.mark.parametrize("level", ["department", "network"])
def test_no_small_figure_can_be_worked_out_from_a_total(activity, cavalaire, level):
    dashboard = (
        department_dashboard(cavalaire.department, PERIOD) if level == "department" else network_dashboard(PERIOD)
    )
    tables = [dashboard.requests, dashboard.visitors, *(t for t in dashboard.tables if t.slug in ADDITIVE)]
    suppressed = 0
    for table in tables:
        for column in ("now_shown", "before_shown"):
            cells = [getattr(row, column) for row in table.rows]
            suppressed += cells.count(SUPPRESSED)
            total = getattr(table.total, column)
            if table.slug in ("country", "department"):  # they add up to a row of the origin table
                origin = {row.key: row for row in dashboard.table("origin").rows}
                total = getattr(origin["abroad" if table.slug == "country" else "france"], column)
            assert_safe(cells, total, f"{level} {table.slug} {column}")
    assert suppressed > 10  # the data has small cells to protect
    units = [unit.cells() for unit in dashboard.units]
    key = {figure.label: figure for figure in dashboard.key_figures}
    outcome = {row.key: row.now_shown for row in dashboard.table("outcome").rows}
    origin = {row.key: row.now_shown for row in dashboard.table("origin").rows}
    totals = [key["Demandes"].now_shown, key["Visiteurs"].now_shown, origin["abroad"], outcome["not"]]
    for column, total in enumerate(totals, start=1):
        assert_safe([cells[column] for cells in units], total, f"{level} units column {column}")
    hidden_on_map = {area.name for area in origin_map(dashboard).areas if area.shown == HIDDEN}
    hidden_in_table = {row.label for row in dashboard.table("department").rows if row.now_shown == HIDDEN}
    assert len(hidden_on_map) == len(hidden_in_table)
