"""The plain table drawer writes, byte for byte, what rich writes for the same table when the output
is not a terminal; where it has not been verified it leaves the table to rich."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget2024 import render
from budget2024.render import Column, TableSpec, wrap_cell

from .conftest import SHIPPED
from .test_perf import HEAVY, budget, imported


def both(spec: TableSpec, width: int | None) -> tuple[str, str, bool]:
    """(print_table's output, rich's output, whether the plain drawer drew it)."""
    plain = io.StringIO()
    render.print_table(spec, plain, width)
    # print_table draws a table whose numbers do not fit wider, never cut: rich at that width
    wide = render._needed_width(spec, render.output_width(width))
    theirs = io.StringIO()
    render._rich_table(spec, theirs, wide)
    con_width = render._plain_width(io.StringIO(), wide)
    assert con_width is not None
    widths, rows, footer, _ = render._fit(spec, con_width)
    drew = render._plain_table(spec, widths, rows, footer, con_width) is not None
    return plain.getvalue(), theirs.getvalue(), drew


# ----------------------------------------------------------------------------- fixed cases

TOTALS = TableSpec(
    "Budgetaftalens udvidelser og besparelser 2025 (amounts in 1.000 kr.)",
    [Column("Kind"), Column("Measure"), Column("2025", "right")],
    [["Drift", "Udvidelser (expansions)", "4.250"], ["Drift", "Besparelser (savings)", "-1.200"],
     ["Anlæg", "Netto (net)", "3.050"]],
    [["Total", "Netto, begge arter", "7.300"]])

LONG = ("Borgermillionen og [bold]grøn[/bold] omstilling af Århus' fjernvarme/el-net med en "
        "særdeles-lang-sammensat-betegnelse-uden-mellemrum og flere ord end der er plads til")


def lines_spec(n: int, caption: str | None = None) -> TableSpec:
    cols = [Column("Section"), Column("Kind"), Column("Title", wrap=True), Column("2025", "right"),
            Column("2026", "right"), Column("Total", "right")]
    rows = [[f"{i}.{i}", "Drift" if i % 2 else "Anlæg", LONG[: 7 * i + 3], "1.000", "", "-25.500"]
            for i in range(1, n + 1)]
    return TableSpec(f"Appendix rows ({n}; amounts in 1.000 kr.)", cols, rows, caption=caption)


@pytest.mark.parametrize("width", [20, 30, 40, 60, 80, 100, 120, 160, None])
@pytest.mark.parametrize("spec", [
    TOTALS,
    lines_spec(12),
    lines_spec(4, caption="Responsible: short names as in `budget committees`. [red]Rows[/red]: appendix rows."),
    TableSpec("", [Column("A")], []),
    TableSpec("T", [Column("")], [[""]]),
    TableSpec("Kun total", [Column("x"), Column("y", "right")], [], [["Total", "1"]]),
    TableSpec("Header\nmed to linjer", [Column("a\nb"), Column("c", "right")], [["1\n2\n3", "4 "], [" 5", "6\n"]],
              [["7", "8"], ["9", "10"]], caption="caption\n\nwith blank line"),
    TableSpec("A title far longer than the table it heads, " * 5, [Column("a"), Column("b", "right")],
              [["x", "1"]], caption="supercalifragilisticexpialidocious" * 6 + " end"),
    # several wrapping columns sharing the room by ratio, an id column, multi-line cells, styles
    TableSpec("Reconcile-like (amounts in 1.000 kr.)",
              [Column("Id", wrap=True, ids=True, ratio=2), Column("Stated", "right"),
               Column("Appendix gives", wrap=True, ratio=3), Column("Difference", "right", wrap=True, ratio=2),
               Column("Status")],
              [["demographic-adjustment-2024", "2024: 1.000", "drift and anlæg: 1.000 / 2.000\nrow “x”: 5",
                "2024: −500\n(to drift, initiatives only)", "cannot be derived from the appendix"],
               ["property-tax-2025-2027", "a year: 250", "no row", "–", "agrees"]],
              [["all", "1.250", "", "", ""]], caption="difference = stated − closest reading",
              styles={(0, 4): "bold red"}),
])
def test_fixed_tables_equal_rich(spec: TableSpec, width: int | None) -> None:
    ours, theirs, _ = both(spec, width)
    assert ours == theirs


def test_the_shipped_reports_take_the_plain_path(monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in (TOTALS, lines_spec(12)):
        for width in (80, 100, 160):
            ours, theirs, drew = both(spec, width)
            assert drew and ours == theirs


# ----------------------------------------------------------------------------- generated tables

ALPHABET = st.sampled_from(list("abcxyzABZ019 .,;:-/()[]'\"`#%&*+=?!æøåÆØÅéü–—’«»§€½") + [" ", " ", " ", "\u00a0"])
WORDS = st.text(ALPHABET, max_size=30) | st.text(st.sampled_from(list("abcdefæøå-/")), min_size=20, max_size=60)


@st.composite
def specs(draw: st.DrawFn) -> tuple[TableSpec, int]:
    n = draw(st.integers(1, 8))
    wrap_at = draw(st.sampled_from([None, None, *range(n)]))
    cols = [Column(draw(st.text(ALPHABET, max_size=12) | st.sampled_from(["Kind", "2025", "[bold]x[/]", "a\nb"])),
                   draw(st.sampled_from(["left", "right"])),
                   wrap=(i == wrap_at or draw(st.integers(0, 3)) == 0), ids=draw(st.booleans()),
                   ratio=draw(st.integers(1, 4)))
            for i in range(n)]
    width = draw(st.integers(20, 160))

    def cell(i: int) -> str:
        text = draw(WORDS)
        if cols[i].wrap or draw(st.integers(0, 9)) == 0:  # a multi-line cell, as wrap_cell makes them
            text = "\n".join(wrap_cell(text, draw(st.integers(1, 25))))
        return text

    rows = [[cell(i) for i in range(n)] for _ in range(draw(st.integers(0, 6)))]
    footer = draw(st.none() | st.just(1) | st.just(2))
    footer_rows = None if footer is None else [[cell(i) for i in range(n)] for _ in range(footer)]
    title = draw(st.text(ALPHABET, max_size=200) | st.sampled_from(["", "Totals (amounts in 1.000 kr.)"]))
    caption = draw(st.none() | st.text(ALPHABET, max_size=300))
    return TableSpec(title, cols, rows, footer_rows, caption), width


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_generated_tables_equal_rich(case: tuple[TableSpec, int]) -> None:
    spec, width = case
    ours, theirs, _ = both(spec, width)
    assert ours == theirs


def test_many_generated_tables_take_the_plain_path() -> None:
    """The comparison above is not vacuous: the plain drawer draws many of the generated tables."""
    drew = []

    @settings(max_examples=300, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(specs())
    def count(case: tuple[TableSpec, int]) -> None:
        drew.append(both(*case)[2])

    count()
    assert sum(drew) >= len(drew) / 5, (sum(drew), len(drew))  # the rest are wider than the console


# ----------------------------------------------------------------------------- where rich still draws


def test_every_plain_character_is_one_cell_wide_for_rich() -> None:
    from rich.cells import cell_len

    chars = [chr(c) for c in range(0x30000) if re.fullmatch(render._PLAIN_CHARS, chr(c)) and chr(c) != "\n"]
    assert len(chars) > 700
    assert [c for c in chars if cell_len(c) != 1] == []


def test_a_table_wider_than_the_console_is_drawn_wider_not_cut() -> None:
    ours, theirs, drew = both(TableSpec("Too wide", [Column("a" * 30), Column("b" * 30)], [["x", "y"]]), 40)
    assert drew and ours == theirs
    assert "a" * 30 in ours and "b" * 30 in ours


@pytest.mark.parametrize("spec", [
    TableSpec("Wide 東京", [Column("a")], [["x"]]),  # characters two cells wide
    TableSpec("Combining", [Column("a")], [["e\u0301"]]),
    TableSpec("Tab", [Column("a")], [["x\ty"]]),
    TableSpec("Control", [Column("a")], [["x\ry"]]),
    TableSpec("No columns", [], []),
])
def test_unverified_tables_fall_back_to_rich(spec: TableSpec) -> None:
    ours, theirs, drew = both(spec, 40)
    assert not drew
    assert ours == theirs


def test_a_non_utf8_stream_falls_back_to_rich() -> None:
    class Latin1(io.StringIO):
        encoding = "latin-1"

    assert render._plain_width(Latin1(), 80) is None
    out = Latin1()
    render.print_table(TableSpec("T", [Column("a")], [["x"]]), out, 80)
    assert "─" not in out.getvalue()  # rich's ASCII rules


def test_a_terminal_gets_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    def refuse(*args: object) -> None:
        raise AssertionError("the plain drawer drew for a terminal")

    monkeypatch.setattr(render, "_plain_table", refuse)
    out = Tty()
    render.print_table(TOTALS, out, 80)
    assert "Udvidelser" in out.getvalue()


def test_columns_gives_the_piped_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert render._plain_width(io.StringIO(), None) == 60
    ours, theirs, _ = both(lines_spec(5), None)
    assert ours == theirs and max(len(line) for line in ours.splitlines()) <= 60
    monkeypatch.delenv("COLUMNS")
    assert render._plain_width(io.StringIO(), None) == 80  # no terminal, no COLUMNS: 80


# ----------------------------------------------------------------------------- a piped run imports no rich


def test_a_warm_piped_table_run_imports_no_rich(tmp_path: Path) -> None:
    args = ["totals", "--year", "2025", "--file", str(SHIPPED)]
    cold = budget(*args, cache_home=tmp_path)
    assert cold.returncode == 0, cold.stderr
    warm = budget(*args, cache_home=tmp_path, importtime=True)
    assert warm.returncode == 0
    assert not HEAVY & imported(warm.stderr), sorted(HEAVY & imported(warm.stderr))
    assert warm.stdout == cold.stdout and "─" in warm.stdout


def test_the_piped_run_prints_what_rich_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same run's table, drawn by rich in-process, gives the same bytes."""
    import budget2024.render.views as views

    args = ["totals", "--year", "2025", "--file", str(SHIPPED)]
    data = json.loads(budget(*args, "--format", "json", cache_home=tmp_path).stdout)
    table = budget(*args, cache_home=tmp_path).stdout
    captured: list[TableSpec] = []
    monkeypatch.setattr(views, "print_table", lambda spec, out=None, width=None: captured.append(spec))
    views.show_totals({"unit": data["unit"], "kinds": list(data["kinds"]), "rows": data["rows"],
                       "years": [{"year": 2025, "kinds": data["kinds"], "net": data["net"]}]}, "table", True)
    rich_out = io.StringIO()
    render._rich_table(captured[0], rich_out, 100)  # the subprocess runs with COLUMNS=100
    # the table, then (unfiltered totals) the tax rates and the stated figures, which are plain text
    assert table.startswith(rich_out.getvalue())
    assert table[len(rich_out.getvalue()):].startswith("\nTax rates")
