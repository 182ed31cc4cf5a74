"""--format csv-excel: the CSV of --format csv for Danish Excel (semicolons, decimal comma, UTF-8
with a byte-order mark), on every command that has --format csv."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.render.csvexcel import excel_value, write_csv_excel

from .conftest import FIXTURES, SHIPPED, budget_executable
from .test_widths import numbers

runner = CliRunner()
FOLLOWUP = FIXTURES / "followup" / "shipped-kmu.yaml"
BOM = "\ufeff".encode()

#: every command with --format csv, the part of its JSON the CSV holds, and the keys whose numbers are amounts
CSV_COMMANDS = [
    ("totals", "years", "expansions savings net"),
    ("totals --year 2025 --kind drift", "kinds", "expansions savings net"),
    ("lines", "", "amounts total"),
    ("committee klima", "lines", "amounts total"),
    (f"followup --followup {FOLLOWUP}", "rows", "agreed corrections corrected actuals forecast deviation"),
]


def run(args: list[str]) -> bytes:
    res = runner.invoke(app, [*args, "--file", str(SHIPPED)], env={"NO_COLOR": "1"})
    assert res.exit_code in (0, 1), res.output
    return res.stdout_bytes


def number(text: str) -> int | float | str:
    """A cell as Danish Excel reads it: digits with a decimal comma are a number."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


@pytest.mark.parametrize(("command", "part", "keys"), CSV_COMMANDS, ids=[c[0].split()[0] + str(i) for i, c in
                                                                 enumerate(CSV_COMMANDS)])
def test_csv_excel_is_the_csv_for_danish_excel(command: str, part: str, keys: str) -> None:
    args = command.split()
    plain = run([*args, "--format", "csv"]).decode("utf-8")
    raw = run([*args, "--format", "csv-excel"])
    assert raw.startswith(BOM) and not plain.startswith("\ufeff")
    text = raw[len(BOM):].decode("utf-8")  # strictly UTF-8: ø, æ, å intact
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    expected = list(csv.reader(io.StringIO(plain)))
    assert rows[0] == expected[0]  # the machine header, as --format csv
    assert len(rows) == len(expected)
    for got, want in zip(rows[1:], expected[1:], strict=True):
        assert [number(c) for c in got] == [number(c) if c.replace(".", "", 1).lstrip("-").isdigit() else c
                                            for c in want]
    data = json.loads(run([*args, "--format", "json"]))
    year = int(args[args.index("--year") + 1]) if "--year" in args else None
    amounts = set(numbers(data[part] if part else data, frozenset(keys.split()), year))
    found = {number(c) for r in rows[1:] for c in r}
    assert amounts and amounts <= found


def test_danish_letters_survive() -> None:
    raw = run(["lines", "--format", "csv-excel"])
    assert "Miljøudvalget".encode() in raw and "fællesskab".encode() in raw


def test_decimal_comma_and_no_thousands_separator() -> None:
    assert excel_value(8782.72) == "8782,72"
    assert excel_value(-0.5) == "-0,5"
    assert excel_value(4250) == 4250 and excel_value(4250.0) == "4250"
    assert excel_value("Anlæg") == "Anlæg"
    out = io.StringIO()
    write_csv_excel(["year", "pct"], [[2024, 1.5], [2025, "x;y"]], out)
    assert out.getvalue() == '\ufeffyear;pct\r\n2024;1,5\r\n2025;"x;y"\r\n'


def test_csv_stays_for_programs() -> None:
    raw = run(["totals", "--format", "csv"])
    assert not raw.startswith(BOM)
    assert raw.splitlines()[0] == b"year,kind,expansions,savings,net"


def test_real_process() -> None:
    done = subprocess.run([budget_executable(), "totals", "--format", "csv-excel", "--file", str(SHIPPED)],
                          capture_output=True, timeout=120, check=False, env={"PATH": "/usr/bin:/bin",
                                                                              "LANG": "C"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(BOM + b"year;kind;expansions;savings;net\r\n")
