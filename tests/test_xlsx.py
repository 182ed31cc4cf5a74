"""--format xlsx --output FILE: every table command writes a workbook, read back here with openpyxl.

Each command of tests/test_widths.py's TABLES (every command that prints a table) is written to
xlsx, and every amount its ``--format json`` holds must be a number in the workbook (not text),
with a thousands-separator format; each sheet has a title row (with the unit where it holds
amounts), a frozen header row with a filter, and columns as wide as their headers.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import SHIPPED, budget_executable
from .test_widths import TABLES, Table, numbers, year_of

runner = CliRunner()
NUMBER_FORMATS = {"#,##0", "#,##0.0#"}
#: a cell that is a Danish-formatted number written as text (4.250, -135.000, 8.782,72, +50)
NUMBER_AS_TEXT = re.compile(r"[+\-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?|[+\-]?\d+,\d+")


def run(args: list[str]) -> Any:
    if "--file" not in args:
        args = [*args, "--file", str(SHIPPED)]
    return runner.invoke(app, args, env={"NO_COLOR": "1"})


def cells(path: Path) -> list[tuple[Any, Any]]:
    """(worksheet, cell) for every cell with a value."""
    book = openpyxl.load_workbook(path)
    return [(ws, c) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]


def table_id(tb: Table) -> str:
    return " ".join(a for a in tb.args if "/" not in a)


@pytest.mark.parametrize("table", TABLES, ids=table_id)
def test_every_table_writes_a_workbook_with_the_json_numbers(table: Table, tmp_path: Path) -> None:
    res = run([*table.args, "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    data = json.loads(res.stdout)
    amounts = list(numbers(data, table.amount_keys, year_of(table.args), skip=table.skip))
    out = tmp_path / "report.xlsx"
    res2 = run([*table.args, "--format", "xlsx", "--output", str(out)])
    assert res2.exit_code == res.exit_code, res2.output
    assert res2.stdout == ""  # the workbook is the output; messages go to stderr
    found = cells(out)
    # (a workbook keeps 15 significant digits, as Excel does)
    formatted = [c.value for _, c in found if isinstance(c.value, int | float) and not isinstance(c.value, bool)
                 and c.number_format in NUMBER_FORMATS]
    missing = sorted({a for a in amounts if not any(math.isclose(a, v, rel_tol=1e-14) for v in formatted)})
    assert not missing, f"amounts of the JSON that are not numbers with a thousands format in the workbook: " \
        f"{missing[:10]}"
    as_text = [c.value for _, c in found if isinstance(c.value, str) and NUMBER_AS_TEXT.fullmatch(c.value)]
    assert not as_text, f"numbers written as text: {as_text[:10]}"


@pytest.mark.parametrize("table", TABLES, ids=table_id)
def test_every_sheet_has_a_title_a_frozen_filtered_header_and_wide_columns(table: Table, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    assert run([*table.args, "--format", "xlsx", "--output", str(out)]).exit_code in (0, 1)
    book = openpyxl.load_workbook(out)
    tables = [ws for ws in book if ws.max_row >= 2 and ws.freeze_panes]
    assert tables, "no sheet with a table"
    for ws in book:
        assert isinstance(ws["A1"].value, str) and ws["A1"].value, f"{ws.title}: no title row"
        assert len(ws.title) <= 31
    for ws in tables:
        assert ws.freeze_panes == "A3", ws.title
        header = [c.value for c in ws[2] if c.value is not None]
        assert header and all(isinstance(h, str) for h in header), ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:"), ws.title
        has_amounts = any(c.number_format in NUMBER_FORMATS for row in ws.iter_rows(min_row=3) for c in row
                          if isinstance(c.value, int | float))
        if has_amounts:  # the unit in the title row, or a unit per row
            assert "kr." in ws["A1"].value or "Unit" in header, \
                f"{ws.title}: the title row does not give the unit: {ws['A1'].value!r}"
        for i, h in enumerate(header, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            assert ws.column_dimensions[letter].width >= min(len(h), 60), (ws.title, h)


def test_the_committee_report_has_a_sheet_for_each_part(tmp_path: Path) -> None:
    out = tmp_path / "kmu.xlsx"
    assert run(["committee", "klima", "--format", "xlsx", "--output", str(out)]).exit_code == 0
    data = json.loads(run(["committee", "klima", "--format", "json"]).stdout)
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) >= 3
    rows, without, involved = book.worksheets[:3]
    ids = {c.value for ws in (without, involved) for row in ws.iter_rows(min_row=3) for c in row}
    assert {i["id"] for i in data["initiatives"] if i["role"] == "involved"} <= ids
    assert rows.max_row - 2 >= len(data["lines"])  # every appendix row (and the subtotals)
    line_totals = [c.value for row in rows.iter_rows(min_row=3) for c in row if isinstance(c.value, int)]
    assert all(ln["total"] in line_totals for ln in data["lines"])


def test_totals_has_the_tax_rates_and_stated_figures_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    assert run(["totals", "--format", "xlsx", "--output", str(out)]).exit_code == 0
    general = json.loads(run(["totals", "--format", "json"]).stdout)["general"]
    book = openpyxl.load_workbook(out)
    values = [c.value for ws in book.worksheets[1:] for row in ws.iter_rows(min_row=3) for c in row]
    assert all(t["value"] in values for t in general["tax_rates"])
    assert all(f["value"] in values for f in general["stated_figures"] if f["value"] is not None)


def test_check_strategy_has_its_targets_and_missing_figures(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    assert run(["check-strategy", "--format", "xlsx", "--output", str(out)]).exit_code == 0
    data = json.loads(run(["check-strategy", "--format", "json"]).stdout)
    book = openpyxl.load_workbook(out)
    targets = book.worksheets[0]
    assert targets.max_row - 2 == len(data["results"])
    required = [row[3].value for row in targets.iter_rows(min_row=3)]
    assert required == [r["required"] for r in data["results"]]
    missing = {r[0].value for ws in book.worksheets[1:] for r in ws.iter_rows(min_row=3)}
    assert {m for r in data["results"] for m in r["missing"]} <= missing


def test_danish_sheets_and_headers(tmp_path: Path) -> None:
    out_en, out_da = tmp_path / "en.xlsx", tmp_path / "da.xlsx"
    assert run(["check-strategy", "--format", "xlsx", "--output", str(out_en)]).exit_code == 0
    from budget2024.i18n import set_language

    set_language("da")  # as the CLI chooses it from BUDGET_LANG
    try:
        res = runner.invoke(app, ["check-strategy", "--format", "xlsx", "--output", str(out_da),
                                  "--file", str(SHIPPED)], env={"BUDGET_LANG": "da"})
    finally:
        set_language("en")
    assert res.exit_code == 0, res.output
    en, da = openpyxl.load_workbook(out_en), openpyxl.load_workbook(out_da)
    assert en.sheetnames[:3] == ["Targets", "Readings", "Missing figures"]
    assert da.sheetnames[:3] == ["Mål", "Fortolkninger", "Manglende tal"]
    assert [c.value for c in en.worksheets[0][2]] != [c.value for c in da.worksheets[0][2]]
    # the numbers do not change with the language
    assert [[c.value for c in r[3:6]] for r in en.worksheets[0].iter_rows(min_row=3)] == \
        [[c.value for c in r[3:6]] for r in da.worksheets[0].iter_rows(min_row=3)]


# ----------------------------------------------------------------------------- --output and --force


def test_xlsx_needs_output() -> None:
    res = run(["totals", "--format", "xlsx"])
    assert res.exit_code == 2
    assert "--output" in res.stderr and res.stdout == ""


def test_output_is_only_for_files() -> None:
    res = run(["totals", "--output", "x.xlsx"])
    assert res.exit_code == 2 and "--output" in res.stderr


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"mine")
    res = run(["totals", "--format", "xlsx", "--output", str(out)])
    assert res.exit_code == 2 and "--force" in res.stderr
    assert out.read_bytes() == b"mine"
    res = run(["totals", "--format", "xlsx", "--output", str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert openpyxl.load_workbook(out).worksheets[0]["A1"].value


def test_a_write_that_fails_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from budget2024.render import files

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", broken)
    out = tmp_path / "t.xlsx"
    res = run(["totals", "--format", "xlsx", "--output", str(out)])
    assert res.exit_code == 74, res.output
    assert "No space left" in res.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".t.xlsx")]


def test_an_interrupted_write_leaves_no_file_and_keeps_the_old_one(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from budget2024.render import files, xlsx

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    out = tmp_path / "t.xlsx"
    sheet = xlsx.Sheet("S", "S (1.000 kr.)", ["a"], [[1]])
    with pytest.raises(KeyboardInterrupt):
        xlsx.write_xlsx([sheet], out)
    assert list(tmp_path.iterdir()) == []
    out.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        xlsx.write_xlsx([sheet], out, force=True)
    assert out.read_bytes() == b"old" and list(tmp_path.iterdir()) == [out]


def test_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    res = run(["lines", "--format", "xlsx", "--output", str(tmp_path / "no" / "t.xlsx")])
    assert res.exit_code == 2 and "does not exist" in res.stderr


def test_sheet_names_are_short_unique_and_valid() -> None:
    from budget2024.render.xlsx import _unique

    used: set[str] = set()
    names = [_unique("Klima- og Miljøudvalget, anlæg 2024 [x]", used) for _ in range(3)]
    assert len(set(n.casefold() for n in names)) == 3
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    # a long name is cut after a whole word, not inside one
    assert _unique("Budgetaftalens udvidelser og besparelser 2025", set()) == "Budgetaftalens udvidelser og"
    assert _unique("Budgetaftalens udvidelser og besparelser 2025", {"budgetaftalens udvidelser og"}) == \
        "Budgetaftalens udvidelser (2)"
    assert _unique("Overslagsårenesamledebesparelserogudvidelser", set()) == "Overslagsårenesamledebesparelse"


def test_decimals_keep_their_value_and_get_a_decimal_format(tmp_path: Path) -> None:
    from budget2024.render.xlsx import Sheet, write_xlsx

    out = tmp_path / "d.xlsx"
    write_xlsx([Sheet("S", "S (pct.)", ["x", "y"], [["a", 8782.72], ["b", 4250]])], out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws["B3"].value == 8782.72 and ws["B3"].number_format == "#,##0.0#"
    assert ws["B4"].value == 4250 and ws["B4"].number_format == "#,##0"


def test_real_process_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "lines.xlsx"
    done = subprocess.run([budget_executable(), "lines", "--format", "xlsx", "--output", str(out),
                           "--file", str(SHIPPED)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and str(out) in done.stderr
    data = json.loads(subprocess.run([budget_executable(), "lines", "--format", "json", "--file", str(SHIPPED)],
                                     capture_output=True, text=True, timeout=120, check=True).stdout)
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[2]]
    totals = [r[header.index("Total")].value for r in ws.iter_rows(min_row=3, max_row=2 + len(data))]
    assert totals == [r["total"] for r in data]


#: commands whose --format table is not a table: validate prints a one-line summary
NOT_TABLES = {"validate"}


def command_names() -> list[str]:
    """Every command the app lists in its --help (sub-command groups included)."""
    text = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    names = re.findall(r"^  ([a-z][a-z-]*)\s{2,}", text.split("Commands:", 1)[1], re.M)
    assert len(names) >= 10, text
    return names


def format_choices(command: str) -> set[str]:
    text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).stdout
    found = re.search(r"^\s+--format\s+[\[<]([a-z|-]+)[\]>]", text, re.M)
    return set(found.group(1).split("|")) if found else set()


def test_every_command_with_a_table_writes_xlsx_and_is_tested_here() -> None:
    tested = {tb.args[0] for tb in TABLES}
    for name in command_names():
        choices = format_choices(name)
        if "table" in choices and name not in NOT_TABLES:
            assert "xlsx" in choices, f"`budget {name}` prints a table but has no --format xlsx"
            assert name in tested, f"`budget {name}` has a table but no line in tests/test_widths.py TABLES"
        if "csv" in choices:
            assert "csv-excel" in choices, f"`budget {name}` has --format csv but not csv-excel"


@pytest.mark.parametrize("table", TABLES, ids=table_id)
def test_a_danish_workbook_has_danish_tabs_titles_headers_and_words(table: Table, tmp_path: Path) -> None:
    """The workbook's own words in Danish: tab names, the title row, the header row, and the words
    the program puts in cells (kinds, categories, statuses, what a reading is of). The data's own
    texts (titles, quotes) and ids are left out of the check by `tests/english.py`."""
    from .english import english_words

    out = tmp_path / "report.xlsx"
    assert run(["--lang", "da", *table.args, "--format", "xlsx", "--output", str(out)]).exit_code in (0, 1)
    book = openpyxl.load_workbook(out)
    codes = {"anlaeg", "pass", "fail", "not evaluable", "not-evaluable", "amount", "sign", "year", "total",
             "prose-only", "appendix-only", "name", "section-label", "stated-figure", "kr. per inhabitant",
             "persons"}
    for ws in book:
        assert english_words(ws.title) == set(), ws.title
        header = [c.value for c in ws[2]] if ws.max_row >= 2 and ws.freeze_panes else []
        for value in [ws["A1"].value, *header]:
            assert not isinstance(value, str) or english_words(value) == set(), (ws.title, value)
        for row in ws.iter_rows(min_row=3, values_only=True):
            assert not [v for v in row if isinstance(v, str) and v in codes], (ws.title, row)
