"""The one chart helper (acvs.core.charts) and its template: geometry, accessibility, palette, fallback table."""

import pytest
from django.template.loader import render_to_string

from acvs.core import charts


def axis(chart: charts.Chart) -> list[str]:
    return [text.label for text in chart.texts if text.anchor == "end"]


@pytest.mark.parametrize(
    ("top", "labels"),
    [(50, ["0", "10", "20", "30", "40", "50"]), (20, ["0", "5", "10", "15", "20"]), (2, ["0", "1", "2"])],
)
def test_the_axis_has_whole_numbers(top, labels):
    chart = charts.columns("c", "T", "D", [("1", "1")], [charts.Series("now", [top])])
    assert axis(chart) == labels


def test_stacked_bars_add_up_and_a_line_is_drawn_with_dots():
    chart = charts.columns(
        "c",
        "T",
        "D",
        [("January", "J"), ("February", "F")],
        [
            charts.Series("on time", [30, 10]),
            charts.Series("late", [20, 0]),
            charts.Series("before", [5, 45], line=True),
        ],
    )
    on_time, late = chart.rects[:2], chart.rects[2:]
    assert late[0].y + late[0].height == pytest.approx(on_time[0].y, abs=0.1)  # stacked on the series before
    assert on_time[0].height + late[0].height == pytest.approx(on_time[0].height * 50 / 30, abs=0.2)
    assert {r.fill for r in on_time} == {charts.PALETTE[0]}
    assert {r.fill for r in late} == {charts.PALETTE[1]}
    assert len(chart.lines) == 1
    assert len(chart.lines[0].dots) == 2
    assert [k.label for k in chart.legend] == ["on time", "late", "before"]
    assert chart.legend[1].x > chart.legend[0].x + 20  # side by side, not on top of each other
    assert chart.rows == [["January", 30, 20, 5], ["February", 10, 0, 45]]  # no table beside: its own


def test_the_template_draws_an_accessible_chart_without_style_attributes():
    chart = charts.columns("visits", "Visits, 2026", "Bars: 2026.", [("January", "J")], [charts.Series("2026", [12.5])])
    html = render_to_string("core/_chart.html", {"chart": chart})
    assert 'role="img"' in html
    assert 'aria-labelledby="visits-title visits-desc"' in html
    assert '<title id="visits-title">Visits, 2026</title>' in html
    assert '<desc id="visits-desc">Bars: 2026.</desc>' in html
    assert "style=" not in html
    assert "<table>" in html  # the fallback table
    assert "<caption>Visits, 2026</caption>" in html
    beside = charts.columns("v", "T", "D", [("January", "J")], [charts.Series("2026", [3])], table_beside=True)
    assert "<table>" not in render_to_string("core/_chart.html", {"chart": beside})


def test_coordinates_stay_dotted_in_french():
    from django.utils import translation

    chart = charts.columns("c", "T", "D", [(str(n), str(n)) for n in range(7)], [charts.Series("s", [1] * 7)])
    with translation.override("fr"):
        html = render_to_string("core/_chart.html", {"chart": chart})
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert any("." in rect for rect in svg.split("<rect ")[1:])
    assert "," not in svg.split("<rect ")[1].split("fill=")[0]


def test_shares_are_labelled_with_count_and_percent_and_have_their_table():
    chart = charts.shares("f", "Share", "D", [("Delivered", 52, 92.9), ("Bounced", 1, 1.8)], ["", "n", "%"])
    assert [t.label for t in chart.texts if t.anchor == "start"] == [
        "52 (92,9 %)",
        "1 (1,8 %)",
    ]  # the language of the page (French here)
    assert chart.rects[0].width == pytest.approx(300 * 0.929, abs=0.1)
    assert chart.intrinsic
    assert chart.rows == [["Delivered", 52, 92.9], ["Bounced", 1, 1.8]]
