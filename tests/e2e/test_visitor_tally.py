"""The visitor tally in the browser: from the counter to the chart, per day and per hour, under the CSP."""

import calendar
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from acvs.desk.models import VisitorCount
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_agent_reads_the_visitors_per_day_then_per_hour(page, agent, cavalaire):
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    rows = []
    for back in range(0, 60):
        day = today - datetime.timedelta(days=back)
        for hour in range(9, 18):
            for year_ago in (0, 1):
                moment = datetime.datetime.combine(day.replace(year=day.year - year_ago), datetime.time(hour), zone)
                rows.append(VisitorCount(office=cavalaire, hour=moment, count=(back * 7 + hour * 3 + year_ago) % 9))
    VisitorCount.objects.bulk_create(rows)

    login(page, "agent", PASSWORD)
    page.goto("/desk/")
    page.get_by_role("link", name="Visiteurs").click()
    chart = page.get_by_role("img", name="Visiteurs,")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Visiteurs par période")
    days_in_month = calendar.monthrange(today.year, today.month)[1]
    expect(table.locator("tbody tr")).to_have_count(days_in_month)
    # Today's bar is drawn (the days still to come are empty).
    assert chart.locator("rect").nth(today.day - 1).get_attribute("height") != "0.0"
    page.get_by_role("link", name="Par heure").click()
    expect(page.locator("tbody tr").first).to_contain_text("9 h")
    page.get_by_role("link", name="Par semaine").click()
    expect(page.locator("tbody tr")).to_have_count(datetime.date(today.isocalendar().year, 12, 28).isocalendar().week)
