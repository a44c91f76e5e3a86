"""The visitor tally: hourly counts summed per hour, day, week and month against the year before; chart and exports."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from acvs.desk.models import VisitorCount
from acvs.desk.tally import Period, Unit, change_label, visitor_tally, year_before


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


@pytest.fixture
def counts(cavalaire):
    """Cavalaire: December 2026 and December 2025 (a few hours), a summer day."""
    rows = [
        (cavalaire, at(datetime.date(2026, 12, 1), 9), 4),
        (cavalaire, at(datetime.date(2026, 12, 1), 10), 6),
        (cavalaire, at(datetime.date(2026, 12, 1), 16), 5),
        (cavalaire, at(datetime.date(2026, 12, 3), 10), 7),
        (cavalaire, at(datetime.date(2026, 12, 31), 23), 2),  # the last hour of the year, local time
        (cavalaire, at(datetime.date(2026, 7, 14), 11), 40),
        (cavalaire, at(datetime.date(2025, 12, 1), 10), 3),
        (cavalaire, at(datetime.date(2025, 12, 2), 10), 8),
    ]
    VisitorCount.objects.bulk_create(VisitorCount(office=o, hour=h, count=c) for o, h, c in rows)


@pytest.fixture
def crowd(croix_valmer):
    """Another office's visitors at the same hour: they never show in Cavalaire's tally (the page reads in its scope;
    the tests of the sums below read with scopes disabled, hence without them)."""
    VisitorCount.objects.create(office=croix_valmer, hour=at(datetime.date(2026, 12, 1), 10), count=500)


def tally_of(office, unit, anchor):
    return visitor_tally(unit, anchor)


def test_per_day_sums_the_hours_of_each_day_of_the_month(counts, cavalaire):
    result = tally_of(cavalaire, Unit.DAY, datetime.date(2026, 12, 17))
    assert (result.period.start, result.period.end) == (datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))
    assert len(result.rows) == 31
    by_day = {row.key: (row.count, row.count_before) for row in result.rows}
    assert by_day[1] == (15, 3)
    assert by_day[2] == (0, 8)
    assert by_day[3] == (7, 0)
    assert by_day[31] == (2, 0)
    assert (result.total, result.total_before) == (24, 11)
    assert result.rows[0].label == "mar. 1er déc."


def test_per_hour_shows_the_open_hours_of_the_day(counts, cavalaire):
    result = tally_of(cavalaire, Unit.HOUR, datetime.date(2026, 12, 1))
    assert [(row.key, row.count, row.count_before) for row in result.rows] == [
        (9, 4, 0), (10, 6, 3), (11, 0, 0), (12, 0, 0), (13, 0, 0), (14, 0, 0), (15, 0, 0), (16, 5, 0),
    ]  # fmt: skip
    assert result.rows[0].label == "9 h"


def test_per_week_and_per_month_compare_with_the_year_before(counts, cavalaire):
    weeks = tally_of(cavalaire, Unit.WEEK, datetime.date(2026, 12, 3))
    assert len(weeks.rows) == 53  # ISO 2026 has 53 weeks
    week = {row.key: (row.count, row.count_before) for row in weeks.rows}
    assert week[49] == (22, 11)  # Mon 30 Nov–Sun 6 Dec 2026 against Mon 1–Sun 7 Dec 2025
    assert week[53] == (2, 0)
    assert week[29] == (40, 0)  # 14 July
    months = tally_of(cavalaire, Unit.MONTH, datetime.date(2026, 3, 3))
    month = {row.key: (row.count, row.count_before) for row in months.rows}
    assert month[12] == (24, 11)
    assert month[7] == (40, 0)
    assert months.total == 64
    assert months.rows[11].label == "décembre"


def test_change_and_the_year_before():
    assert change_label(110, 100) == "+10 %"
    assert change_label(95, 100) == "−5 %"
    assert change_label(100, 100) == "="
    assert change_label(5, 0) == ""
    assert year_before(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)
    assert Period.around(Unit.WEEK, datetime.date(2027, 1, 2)).start == datetime.date(2026, 1, 1) - datetime.timedelta(
        days=3
    )  # 2 January 2027 is in the 53rd week of ISO 2026


def test_the_page_draws_the_chart_and_its_table(client, agent, counts, crowd):
    client.force_login(agent)
    response = client.get(reverse("desk:visitors"), {"unit": "day", "date": "2026-12-10"})
    assert response.status_code == 200
    page = response.text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert "style=" not in svg  # the Content-Security-Policy refuses style attributes
    assert svg.count("<rect ") == 31 + 1  # a bar per day, and the legend's
    heights = [float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)]
    assert max(heights[:31]) == heights[0]  # the 1st of December is the busiest day
    assert "<caption" in page
    assert "mar. 1er déc." in page
    assert "500" not in page.split("<tbody>")[1].split("</tbody>")[0]  # La Croix-Valmer's crowd is not ours


def test_a_bad_date_is_refused_with_a_message(client, agent):
    client.force_login(agent)
    response = client.get(reverse("desk:visitors"), {"unit": "day", "date": "3026-13-45"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text


def test_the_exports_hold_the_same_figures_and_no_formula(client, agent, counts):
    client.force_login(agent)
    query = {"unit": "month", "date": "2026-06-01"}
    answer = client.get(reverse("desk:visitors_export", args=["csv"]), query)
    assert answer.status_code == 200
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Période", "2026", "2025", "Évolution (%)"]
    assert lines[12] == ["décembre", "24", "11", "118"]
    assert lines[7] == ["juillet", "40", "0", ""]
    assert lines[-1] == ["Total", "64", "11", "482"]

    answer = client.get(reverse("desk:visitors_export", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[12] == ("décembre", 24, 11, 118)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_partners_have_no_tally(client, partner):
    client.force_login(partner)
    assert client.get(reverse("desk:visitors")).status_code == 403
