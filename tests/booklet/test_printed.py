"""Hours, prices and colours as a booklet prints them."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from acvs.booklet import printed


def period(weekdays, opens=None, closes=None, start=(4, 1), end=(10, 31)):
    return SimpleNamespace(
        start_date=datetime.date(2026, *start),
        end_date=datetime.date(2026, *end),
        weekdays=weekdays,
        opens=opens and datetime.time(*opens),
        closes=closes and datetime.time(*closes),
        note="",
    )


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "lun.–sam. 9 h–12 h 30, 14 h–19 h"),
        ("en", "Mon–Sat 9am–12:30pm, 2pm–7pm"),
        ("de", "Mo.–Sa. 9–12:30 Uhr, 14–19 Uhr"),
        ("it", "lun–sab 9–12:30, 14–19"),
        ("es", "lun–sáb 9–12:30 h, 14–19 h"),
        ("nl", "ma–za 9–12:30 uur, 14–19 uur"),
    ],
)
def test_a_split_day_is_one_short_line_and_the_days_are_never_listed_twice(language, line):
    periods = [period([0, 1, 2, 3, 4, 5], (14,), (19,)), period([0, 1, 2, 3, 4, 5], (9,), (12, 30))]
    stay = {"stay_start": datetime.date(2026, 7, 10), "stay_end": datetime.date(2026, 7, 17)}
    assert printed.hours_lines(periods, language, **stay) == [line]


def test_dates_show_when_a_period_does_not_cover_the_stay_and_days_apart_are_listed():
    lines = printed.hours_lines([period([5, 6], start=(7, 1), end=(7, 12)), period([0, 2, 4], (10,), (17,))], "fr")
    assert lines == ["1er juil. – 12 juil.\u00a0: sam., dim.", "1er avr. – 31 oct.\u00a0: lun., mer., ven. 10 h–17 h"]
    assert printed.hours_lines([period(list(range(7)), (9,), (19,))], "en") == ["Apr 1 – Oct 31: 9am–7pm"]
    assert printed.hours_lines([period(list(range(7)))], "en") == ["Apr 1 – Oct 31: daily"]


def test_prices_in_the_local_form():
    price = SimpleNamespace(label="Enfant", min_amount=Decimal("6"), max_amount=Decimal("8.50"), unit="night")
    assert printed.price_line(price, "en") == "Enfant: €6 – €8.50 per night"
    with translation.override("fr"):  # as the booklet renders: in its language
        assert printed.price_line(price, "fr") == "Enfant\u00a0: 6\u00a0€ – 8,50\u00a0€ la nuit"


@pytest.mark.parametrize(
    ("primary", "accent"),
    [("#0f766e", "#f59e0b"), ("#fde047", "#facc15"), ("#ffffff", "#ffffff"), ("#000000", "#111111")],
)
def test_every_text_colour_passes_wcag_aa_on_its_background(primary, accent):
    colours = printed.palette(primary, accent)
    assert printed.contrast(colours["on_primary"], primary) >= 4.5
    for page in ("#ffffff", "#fafaf9"):
        assert printed.contrast(colours["primary_text"], page) >= 4.5
        assert printed.contrast(colours["accent_text"], page) >= 4.5
    assert colours["primary"] == primary  # the branding itself is kept for surfaces and lines
    assert printed.palette("#0f766e", "#f59e0b")["primary_text"] == "#0f766e"  # already readable: unchanged
