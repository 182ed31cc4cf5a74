"""The site's SVG bar charts (budget2024.render.svgchart)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from budget2024.render.svgchart import Series, axis_range, bar_chart, nice_step

NS = {"s": "http://www.w3.org/2000/svg"}


def _chart(**kw: object) -> ET.Element:
    args: dict[str, object] = {
        "title": "Net", "groups": ["2024", "2025", "2026"],
        "series": [Series("Drift", [-6070, -8775, 1200]), Series("Anlæg", [222294, None, 0])],
        "unit": "1.000 kr.", "x_label": "Year", "y_label": "Net amount", "chart_id": "c1", "desc": "the table",
    }
    args.update(kw)
    return ET.fromstring(bar_chart(**args))  # type: ignore[arg-type]


def test_one_bar_per_amount_with_its_value() -> None:
    svg = _chart()
    bars = svg.findall(".//s:rect[@class='bar']", NS)
    assert len(bars) == 5  # the None has no bar; a zero has a bar of no height
    assert [(b.get("data-series"), b.get("data-group"), b.get("data-value")) for b in bars] == [
        ("Drift", "2024", "-6070"), ("Anlæg", "2024", "222294"), ("Drift", "2025", "-8775"),
        ("Drift", "2026", "1200"), ("Anlæg", "2026", "0")]


def test_negative_bars_hang_below_the_zero_line() -> None:
    svg = _chart()
    axis_y = float(svg.findall(".//s:line[@class='axis']", NS)[0].get("y1", "0"))
    for bar in svg.findall(".//s:rect[@class='bar']", NS):
        y, h, v = float(bar.get("y", "0")), float(bar.get("height", "0")), int(bar.get("data-value", "0"))
        if v < 0:
            assert y == pytest.approx(axis_y, abs=0.11) and h > 0
        elif v > 0:
            assert y + h == pytest.approx(axis_y, abs=0.11) and h > 0
        else:
            assert h == 0


def test_heights_are_proportional_to_the_amounts() -> None:
    svg = _chart(series=[Series("A", [100, 300, -200])], groups=["x", "y", "z"])
    h = [float(b.get("height", "0")) for b in svg.findall(".//s:rect[@class='bar']", NS)]
    assert h[1] == pytest.approx(3 * h[0], rel=0.01) and h[2] == pytest.approx(2 * h[0], rel=0.01)


def test_title_text_alternative_axis_labels_unit_and_danish_ticks() -> None:
    svg = _chart()
    assert svg.get("role") == "img"
    assert svg.find("s:title", NS) is not None and svg.find("s:title", NS).text == "Net"  # type: ignore[union-attr]
    assert svg.find("s:desc", NS).text == "the table"  # type: ignore[union-attr]
    texts = ["".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Year" in texts and "Net amount (1.000 kr.)" in texts
    ticks = [t for t in texts if t.replace(".", "").lstrip("-").isdigit()]
    assert "0" in ticks and any("." in t for t in ticks)  # thousands point: 50.000, not 50000
    assert "Drift" in texts and "Anlæg" in texts  # the legend


def test_markup_in_names_is_escaped() -> None:
    text = bar_chart("<script>x</script>", ["<b>"], [Series("a&b", [1])], "kr.", "x", "y", "c")
    assert "<script>" not in text and "&lt;script&gt;" in text
    ET.fromstring(text)  # still well-formed


@pytest.mark.parametrize(("span", "step"), [(10, 2), (7, 2), (100, 20), (228364, 50000), (1, 1), (0, 1)])
def test_nice_step(span: int, step: int) -> None:
    assert nice_step(span) == step


def test_axis_range_includes_zero_and_every_value() -> None:
    assert axis_range([-6070, 222294]) == (-50000, 250000, 50000)
    assert axis_range([5, 40]) == (0, 40, 10)
    assert axis_range([]) == (0, 1, 1)
    lo, hi, step = axis_range([-3, -17])
    assert lo <= -17 and hi == 0 and (hi - lo) % step == 0


def _contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        r, g, b_ = (int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        f = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b_)]
        return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]

    hi, lo = sorted([lum(a), lum(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_bar_colours_have_enough_contrast_against_the_page() -> None:
    from budget2024.render.svgchart import PALETTE

    assert all(_contrast(c, "#ffffff") >= 4.5 for c in PALETTE)


def test_the_stylesheet_s_text_colours_have_enough_contrast() -> None:
    import re
    from importlib.resources import files

    css = files("budget2024.site").joinpath("static/style.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", css))
    for fg, bg in (("ink", "bg"), ("muted", "bg"), ("accent", "bg"), ("ink", "band"), ("muted", "band")):
        assert _contrast(var[fg], var[bg]) >= 4.5, (fg, bg)
    assert _contrast("#ffffff", var["accent"]) >= 4.5  # the header's and the button's white text
