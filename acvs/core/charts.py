"""Charts drawn server-side as SVG by one template, core/_chart.html (no script, no style attribute, no library).

The geometry is computed here; the template only draws rectangles, lines, dots and texts. Every chart has a title,
a description and its figures as a table: the page's own table beside it (`table_beside`), or else the chart's own
table (`header`, `rows`) drawn under it. Its colours are Okabe and Ito's, told apart by colour-blind readers, and a
series of the year before is also another shape (a dashed line with dots, against bars) so that a chart reads in
grey too.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format

# Okabe–Ito: blue, vermilion, orange, bluish green, sky blue, reddish purple.
PALETTE = ["#0072B2", "#D55E00", "#E69F00", "#009E73", "#56B4E9", "#CC79A7"]
INK, GRID = "#374151", "#d0d5dd"
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 36
MAX_LABELS = 16  # at most about this many labels under the axis
MAX_DOTS = 31  # a line of more points is drawn without its dots


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass
class Text:
    x: float
    y: float
    label: str
    anchor: str = "middle"


@dataclass
class Line:
    points: str
    colour: str
    dots: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Key:
    """One entry of the legend: a square (bars) or a dashed line with a dot (a line)."""

    x: float
    colour: str
    label: str
    line: bool = False

    @property
    def text_x(self) -> float:
        return self.x + (32 if self.line else 20)

    @property
    def line_end(self) -> float:
        return self.x + 24

    @property
    def dot_x(self) -> float:
        return self.x + 12


@dataclass
class Series:
    """A named row of figures, one per category: drawn as bars (stacked on the series before) or as a line."""

    label: str
    values: list[float]
    line: bool = False
    colour: str = ""


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    rects: list[Rect]
    texts: list[Text]
    lines: list[Line] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)  # y of the horizontal grid lines
    legend: list[Key] = field(default_factory=list)
    plot_left: float = LEFT
    plot_right: float = WIDTH - RIGHT
    table_beside: bool = False  # the page gives every figure in a table beside the chart
    header: list[str] = field(default_factory=list)  # else the chart's own table, drawn under it
    rows: list[list] = field(default_factory=list)
    intrinsic: bool = False  # drawn at its own size (else as wide as its box)

    @property
    def labelledby(self) -> str:
        return f"{self.id}-title {self.id}-desc"


def nice_top(value: float) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at least `value`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _legend(series: list[Series]) -> list[Key]:
    keys, x = [], LEFT
    for s in series:
        keys.append(Key(x, s.colour, s.label, s.line))
        x += (32 if s.line else 20) + 7 * len(s.label) + 28  # about 7 px per character at 12 px
    return keys


def columns(
    id: str,
    title: str,
    description: str,
    categories: list[tuple[str, str]],
    series: list[Series],
    table_beside: bool = False,
) -> Chart:
    """One column per category (`(label, short label under the axis)`), its bar series stacked, its line series
    drawn across the columns. Unless the page has a table beside, the chart carries its own table of every figure."""
    for n, s in enumerate(series):
        s.colour = s.colour or PALETTE[n % len(PALETTE)]
    bars = [s for s in series if not s.line]
    lines = [s for s in series if s.line]
    count = len(categories)
    stacks = [sum(s.values[i] for s in bars) for i in range(count)]
    top = nice_top(max([1, *stacks, *(v for s in lines for v in s.values)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = plot_w / max(count, 1)
    every = max(1, round(count / MAX_LABELS))
    rects, texts = [], []
    # Bars series by series (so that each series is one run of rectangles), stacked on the series before.
    heights_below = [0.0] * count
    for s in bars:
        for i, value in enumerate(s.values):
            centre = LEFT + slot * (i + 0.5)
            height = plot_h * value / top
            y = base - heights_below[i] - height
            x, width = round(centre - slot * 0.3, 1), round(slot * 0.6, 1)
            rects.append(Rect(x, round(y, 1), width, round(height, 1), s.colour))
            heights_below[i] += height
    drawn = []
    for s in lines:
        points = [
            (round(LEFT + slot * (i + 0.5), 1), round(base - plot_h * v / top, 1)) for i, v in enumerate(s.values)
        ]
        drawn.append(Line(" ".join(f"{x},{y}" for x, y in points), s.colour, points if count <= MAX_DOTS else []))
    for i, (_label, axis) in enumerate(categories):
        if i % every == 0:
            texts.append(Text(round(LEFT + slot * (i + 0.5), 1), HEIGHT - BOTTOM + 16, axis))
    # Whole numbers on the axis: 1 and 5 (×10ⁿ) split in five, 2 in four; a small top in units.
    steps = min(top, 4 if str(top)[0] == "2" else 5)
    grid = []
    for n in range(steps + 1):
        y = round(base - plot_h * n / steps, 1)
        grid.append(y)
        texts.append(Text(LEFT - 6, y + 4, number_format(top * n // steps), "end"))
    header = ["", *(s.label for s in series)]
    rows = [[label, *(s.values[i] for s in series)] for i, (label, _axis) in enumerate(categories)]
    return Chart(
        id, title, description, WIDTH, HEIGHT, rects, texts, drawn, grid, _legend(series),
        table_beside=table_beside, header=[] if table_beside else header, rows=[] if table_beside else rows,
    )  # fmt: skip


BAR_ROW, LABEL_W, BAR_W = 20, 136, 300


def shares(id: str, title: str, description: str, items: list[tuple[str, int, float]], header: list[str]) -> Chart:
    """Horizontal bars of shares in percent (`(label, count, percent)`), each labelled with its count and percent;
    the chart's own table gives them too (`header`: the label's, the count's and the percent's column titles)."""
    rects, texts = [], []
    for n, (label, count, percent) in enumerate(items):
        y = n * BAR_ROW
        width = round(BAR_W * percent / 100, 1)
        texts.append(Text(LABEL_W - 6, y + 13, label, "end"))
        rects.append(Rect(LABEL_W, y + 3, width, 12, PALETTE[0]))
        texts.append(Text(LABEL_W + width + 6, y + 13, f"{count} ({number_format(percent)} %)", "start"))
    rows = [[label, count, percent] for label, count, percent in items]
    return Chart(
        id, title, description, 540, BAR_ROW * len(items), rects, texts, plot_left=LABEL_W, plot_right=LABEL_W,
        header=header, rows=rows, intrinsic=True,
    )  # fmt: skip
