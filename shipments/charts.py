"""Server-rendered SVG charts for the targeting dashboard: no script, so the page keeps the
Content Security Policy without inline script, and every chart is an image with a title and
a description that screen readers announce. Each chart on a page is followed by a table of
the same figures (the accessible alternative and the exact numbers).

No database and no clock here: the figures come in as plain lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe palette (Okabe and Ito); the legend and the table carry the meaning too.
PALETTE = ("#0072B2", "#E69F00", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000")
# Decisions keep one colour on every chart.
DECISION_COLOURS = {"release": "#009E73", "review": "#E69F00", "hold": "#D55E00"}


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    colour: str = ""


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the table that says the same thing."""

    chart_id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _tick(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:g}"


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (axis top)."""
    if value <= 0:
        return 1.0
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart" id="{escape(chart_id)}"'
        f' viewBox="0 0 {width} {height}" width="100%" role="img"'
        f' aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _legend(series: Sequence[Series], colours: list[str], x: float, y: float) -> list[str]:
    parts = []
    for index, (one, colour) in enumerate(zip(series, colours, strict=True)):
        left = x + index * 130
        parts.append(
            f'<rect x="{left:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + 16:.1f}" y="{y:.1f}" class="chart-legend">'
            f"{escape(one.label)}</text>"
        )
    return parts


def stacked_columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    width: int = 720,
    height: int = 300,
) -> Chart:
    """Vertical columns, one per category (e.g. a day), stacked by series (e.g. decision)."""
    colours = [one.colour or PALETTE[i % len(PALETTE)] for i, one in enumerate(series)]
    left, right, top, bottom = 56, 12, 28, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(one.values[i] for one in series) for i in range(len(categories))]
    ceiling = _nice_ceiling(max(totals, default=0))
    parts = _open(chart_id, title, description, width, height)
    parts += _legend(series, colours, left, 16)
    for tick in range(5):
        value = ceiling * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"'
            f' stroke="#ccc"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end"'
            f' class="chart-axis">{_tick(value)}</text>'
        )
    slot = plot_w / max(len(categories), 1)
    bar = max(slot * 0.7, 1.0)
    # Room for about one label per 80 units of width.
    label_every = max(1, -(-len(categories) * 80 // plot_w))
    for index, category in enumerate(categories):
        x = left + slot * index + (slot - bar) / 2
        base: float = top + plot_h
        for one, colour in zip(series, colours, strict=True):
            value = one.values[index]
            if value <= 0:
                continue
            h = plot_h * value / ceiling
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}"'
                f' fill="{colour}"><title>{escape(category)}, {escape(one.label)}: '
                f"{_number(value)}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle"'
                f' class="chart-axis">{escape(category)}</text>'
            )
    parts.append("</svg>")
    rows = [
        [category, *(_number(one.values[i]) for one in series), _number(totals[i])]
        for i, category in enumerate(categories)
    ]
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text part is escaped above
        columns=["", *(one.label for one in series), "Total"],
        rows=rows,
    )


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    value_label: str = "Count",
    colour: str = PALETTE[0],
    width: int = 720,
) -> Chart:
    """One bar per label, longest first as given (e.g. holds by rule)."""
    row_h, top, label_w, right = 26, 8, 240, 70
    height = top * 2 + row_h * max(len(labels), 1)
    ceiling = _nice_ceiling(max(values, default=0))
    plot_w = width - label_w - right
    parts = _open(chart_id, title, description, width, height)
    if not labels:
        parts.append(f'<text x="{width / 2}" y="{top + 16}" text-anchor="middle">No data</text>')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row_h * index
        length = plot_w * value / ceiling
        short = label if len(label) <= 34 else label[:33] + "\u2026"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="chart-axis">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}"'
            f' fill="{colour}"><title>{escape(label)}: {_number(value)}</title></rect>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" class="chart-value">'
            f"{_number(value)}</text>"
        )
    parts.append("</svg>")
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text part is escaped above
        columns=["", value_label],
        rows=[[label, _number(value)] for label, value in zip(labels, values, strict=True)],
    )
