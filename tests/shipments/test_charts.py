"""Dashboard charts: accessible SVG (title, description, escaped labels) and the same figures
as a table. No database."""

from __future__ import annotations

from shipments import charts


def test_stacked_columns_carry_title_description_and_a_table() -> None:
    chart = charts.stacked_columns(
        chart_id="per-day",
        title="Shipments per day",
        description="Shipments by decision, last 3 days.",
        categories=["1 Dec", "2 Dec", "3 Dec"],
        series=[
            charts.Series("Release", [10, 20, 0], charts.DECISION_COLOURS["release"]),
            charts.Series("Hold", [1, 0, 2], charts.DECISION_COLOURS["hold"]),
        ],
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="per-day-title">Shipments per day</title>' in svg
    assert 'aria-labelledby="per-day-title per-day-desc"' in svg
    assert "<title>2 Dec, Release: 20</title>" in svg
    assert "<script" not in svg
    assert "style=" not in svg
    assert chart.columns == ["", "Release", "Hold", "Total"]
    assert chart.rows[0] == ["1 Dec", "10", "1", "11"]


def test_labels_are_escaped_and_empty_charts_say_so() -> None:
    chart = charts.horizontal_bars(
        chart_id="rules",
        title="Holds by rule",
        description="d",
        labels=["<script>alert(1)</script>"],
        values=[3],
    )
    assert "<script>" not in str(chart.svg)
    assert "&lt;script&gt;" in str(chart.svg)
    empty = charts.horizontal_bars(chart_id="e", title="t", description="d", labels=[], values=[])
    assert "No data" in str(empty.svg)
    assert empty.rows == []


def test_axis_ceiling_is_a_round_number() -> None:
    assert charts._nice_ceiling(0) == 1.0
    assert charts._nice_ceiling(7) == 10
    assert charts._nice_ceiling(130) == 200
    assert charts._nice_ceiling(2400) == 2500
