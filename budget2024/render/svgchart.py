"""Grouped bar charts as static SVG, drawn at build time for ``budget site``.

A small module of our own rather than a charting library: the site needs one kind of chart
(grouped vertical bars with a zero line, negatives below it), Danish number formatting on the
axis, a title and text alternative for screen readers, and no script, font or stylesheet from
outside the page. matplotlib would bring tens of megabytes and SVG text as glyph paths; pygal's
SVG loads its tooltip script from a CDN by default. This one has no dependency and is tested
in tests/test_svgchart.py.

Every bar is a ``<rect class="bar">`` with ``data-value`` (the amount) and ``data-series``
and ``data-group`` (its kind and year), so that a test can count the bars and read their values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from . import dk

#: Colours with at least 4.5:1 contrast against white (WCAG AA for text, and so for bars).
PALETTE = ("#1f4e79", "#a0410d", "#2e6b30", "#6a3d9a")


class Series(NamedTuple):
    name: str
    values: Sequence[int | None]  # one per group; None: no amount (no bar)


def nice_step(span: float, ticks: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten) that divides ``span`` into about ``ticks`` parts."""
    if span <= 0:
        return 1
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return max(1, int(m * power))
    return max(1, int(10 * power))  # pragma: no cover - the loop always returns


def axis_range(values: Sequence[int]) -> tuple[int, int, int]:
    """(low, high, step): round limits that include 0 and every value."""
    lo = min([0, *values])
    hi = max([0, *values])
    if lo == hi == 0:
        return 0, 1, 1
    step = nice_step(hi - lo)
    return step * math.floor(lo / step), step * math.ceil(hi / step), step


def bar_chart(title: str, groups: Sequence[str], series: Sequence[Series], unit: str,
              x_label: str, y_label: str, chart_id: str, desc: str = "",
              width: int = 640, height: int = 320) -> str:
    """An SVG grouped bar chart: one group of bars per entry of ``groups``, one bar per series.

    ``unit`` is shown with the y axis label; ``desc`` is the text alternative (the table beside
    the chart holds the same numbers).
    """
    values = [v for s in series for v in s.values if v is not None]
    lo, hi, step = axis_range(values)
    left, right, top, bottom = 84, 12, 40, 64
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<text class="chart-title" x="{width / 2:g}" y="18" text-anchor="middle">{escape(title)}</text>',
    ]
    # horizontal grid lines and y tick labels
    tick = lo
    while tick <= hi:
        ty = y(tick)
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{escape(dk(tick))}</text>')
        tick += step
    # bars
    n_groups, n_series = max(1, len(groups)), max(1, len(series))
    group_w = plot_w / n_groups
    bar_w = group_w * 0.8 / n_series
    zero = y(0)
    for gi, group in enumerate(groups):
        gx = left + gi * group_w + group_w * 0.1
        for si, s in enumerate(series):
            v = s.values[gi] if gi < len(s.values) else None
            if v is None:
                continue
            top_y, bot_y = (y(v), zero) if v >= 0 else (zero, y(v))
            out.append(
                f'<rect class="bar" x="{gx + si * bar_w:.1f}" y="{top_y:.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{max(bot_y - top_y, 0):.1f}" fill="{PALETTE[si % len(PALETTE)]}" '
                f'data-series="{escape(s.name)}" data-group="{escape(group)}" data-value="{v}">'
                f'<title>{escape(s.name)} {escape(group)}: {escape(dk(v))} {escape(unit)}</title></rect>'
            )
        out.append(f'<text class="tick" x="{left + gi * group_w + group_w / 2:.1f}" y="{top + plot_h + 18}" '
                   f'text-anchor="middle">{escape(group)}</text>')
    # the zero line (the axis) on top of the bars
    out.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{zero:.1f}" y2="{zero:.1f}"/>')
    out.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/>')
    # axis labels
    out.append(f'<text class="axis-label" x="{left + plot_w / 2:.1f}" y="{height - 26}" '
               f'text-anchor="middle">{escape(x_label)}</text>')
    out.append(f'<text class="axis-label" transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle">{escape(y_label)} ({escape(unit)})</text>')
    # legend
    lx = left
    for si, s in enumerate(series):
        out.append(f'<rect class="legend" x="{lx}" y="{height - 14}" width="12" height="12" '
                   f'fill="{PALETTE[si % len(PALETTE)]}"/>')
        out.append(f'<text class="legend-label" x="{lx + 16}" y="{height - 4}">{escape(s.name)}</text>')
        lx += 24 + 8 * len(s.name)
    out.append("</svg>")
    return "\n".join(out)
