"""The answers chart: per month, answers sent on time and late, stacked (SVG drawn by the template)."""

from dataclasses import dataclass

from django.utils import formats

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 260, 40, 10, 28, 28


@dataclass
class Bar:
    x: float
    width: float
    on_time_y: float
    on_time_height: float
    late_y: float
    late_height: float
    label_x: float
    label: str


@dataclass
class Chart:
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    label_y: int = HEIGHT - BOTTOM + 16


def figures_chart(months) -> Chart:
    top = max([4, *(m.sent for m in months)])
    top += -top % 4  # four whole steps
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(months), 1)
    bars = []
    for i, m in enumerate(months):
        centre = LEFT + slot * (i + 0.5)
        on_time_h = plot_h * (m.sent - m.late) / top
        late_h = plot_h * m.late / top
        base = TOP + plot_h
        bars.append(
            Bar(
                x=round(centre - slot * 0.3, 1),
                width=round(slot * 0.6, 1),
                on_time_y=round(base - on_time_h, 1),
                on_time_height=round(on_time_h, 1),
                late_y=round(base - on_time_h - late_h, 1),
                late_height=round(late_h, 1),
                label_x=round(centre, 1),
                label=formats.date_format(m.month, "M y"),
            )
        )
    ticks = [(round(TOP + plot_h - plot_h * n / 4, 1), top * n // 4) for n in range(5)]
    return Chart(bars=bars, ticks=ticks)
