"""`budget totals --chart` and `budget committees --chart`: horizontal bars in the terminal."""

from __future__ import annotations

import io
import re
import subprocess

from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.render import dk
from budget2024.render.bars import Bar, Group, cells, draw, layout

from .conftest import budget_executable

ANSI = re.compile(r"\x1b\[")


def _bar_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if "│" in ln or "|" in ln]


def test_totals_chart_labels_every_net_with_danish_amounts_and_the_unit() -> None:
    result = CliRunner().invoke(app, ["totals", "--chart"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1.000 kr." in out.splitlines()[0]
    data = __import__("json").loads(CliRunner().invoke(app, ["totals", "--format", "json"]).stdout)
    for y in data["years"]:
        assert re.search(rf"^{y['year']}$", out, re.M)
        for k in ("drift", "anlaeg"):
            assert f" {dk(y['kinds'][k]['net'])} " in out
        assert f" {dk(y['net'])} " in out
    assert len(_bar_lines(out)) == 4 * 3


def test_negative_amounts_are_drawn_left_of_the_axis() -> None:
    out = CliRunner().invoke(app, ["totals", "--chart"]).stdout
    axis_cols = set()
    for line in _bar_lines(out):
        left, right = line.split("│")
        m = re.search(r" (-?[\d.]+) +█*$", left)
        assert m, line
        amount = m.group(1)
        axis_cols.add(len(left))
        if amount.startswith("-"):
            assert left.rstrip().endswith("█") and right.strip() == ""
        else:
            assert "█" not in left and right.strip().startswith("█")
    assert len(axis_cols) == 1  # one axis for every bar


def test_piped_output_is_plain_text_without_colour_codes() -> None:
    proc = subprocess.run([budget_executable(), "committees", "--chart"], capture_output=True, text=True,
                          timeout=60, env={**__import__("os").environ, "COLUMNS": "80", "TERM": "xterm-256color"})
    assert proc.returncode == 0, proc.stderr
    assert not ANSI.search(proc.stdout)
    lines = proc.stdout.splitlines()
    assert "1.000 kr." in lines[0]
    assert all(len(ln) <= 80 for ln in lines if "│" in ln)
    assert "KMU Drift" in proc.stdout and "KMU: Klima- og Miljøudvalget" in proc.stdout


def test_committees_chart_has_every_body_and_kind_per_year() -> None:
    import json

    data = json.loads(CliRunner().invoke(app, ["committees", "--format", "json"]).stdout)
    out = CliRunner().invoke(app, ["committees", "--chart"]).stdout
    per_year = (len(data["bodies"]) + 1) * len(data["kinds"])
    assert len(_bar_lines(out)) == per_year * len(data["years"])
    assert "-31.750" in out or any(dk(v) in out for v in (data["unassigned"]["net"]["2024"]["drift"],))


def test_chart_does_not_go_with_another_format() -> None:
    for cmd in (["totals", "--chart", "--format", "csv"], ["committees", "--chart", "--format", "json"]):
        result = CliRunner().invoke(app, cmd)
        assert result.exit_code == 2 and "--chart" in result.stderr


def test_ascii_output_uses_hash_and_bar() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    draw("T (1.000 kr.)", [Group("2030", [Bar("a", -5), Bar("b", 10)])], out, width=40)
    out.flush()
    text = raw.getvalue().decode("ascii")
    assert "#|" in text and "|#" in text


def test_scale_and_small_amounts() -> None:
    assert cells(0, 10.0) == 0
    assert cells(1, 1000.0) == 1  # an amount that is not zero is never invisible
    assert cells(-5000, 1000.0) == 5
    label_w, value_w, left, right = layout([Group("g", [Bar("x", -100), Bar("yy", 300)])], 40)
    assert (label_w, value_w) == (2, 4) and left + right == 40 - 2 - 2 - 1 - 4 - 2
    assert abs(left * 3 - right) <= 3
    assert layout([Group("g", [Bar("x", 5)])], 40)[2] == 0  # nothing negative: no room left of the axis


def test_year_and_kind_narrow_the_chart() -> None:
    out = CliRunner().invoke(app, ["totals", "--chart", "--year", "2026", "--kind", "drift"]).stdout
    assert _bar_lines(out) == [ln for ln in out.splitlines() if "Drift, net" in ln]
    assert "-14.355" in out and "2025" not in out and "begge" not in out


def test_no_amount_is_cut_at_any_width() -> None:
    import json

    data = json.loads(CliRunner().invoke(app, ["committees", "--format", "json"]).stdout)
    for width in (20, 40, 80, 200):
        out = io.StringIO()
        from budget2024.render.bars import show_committees_chart

        show_committees_chart(data, out, width)
        lines = _bar_lines(out.getvalue())
        amounts = [re.search(r" (-?[\d.]+) +[█ ]*│", ln).group(1) for ln in lines]  # type: ignore[union-attr]
        want = [dk(b["net"][str(y)][k]) for y in data["years"] for b in data["bodies"] for k in data["kinds"]]
        assert [a for i, a in enumerate(amounts) if i % (len(data["bodies"]) * 2 + 2) < len(data["bodies"]) * 2] \
            == want, width
