"""The catalogue of bad follow-up files: tests/catalogue_followup/cases.tsv, one row per case.

Each case is checked with ``budget validate --file tests/fixtures/committee.yaml --followup FILE``
(several files joined by ``+``, for the mistakes that need two files): the exit status, the
LINE:COLUMN of every problem in order, a fragment of the message, and for every problem an
'expected' and a 'hint' line. Adding a case is one file and one row.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import FIXTURES
from .test_errors_catalogue import Case, parse_problems

CATALOGUE = Path(__file__).resolve().parent / "catalogue_followup"
TABLE = CATALOGUE / "cases.tsv"
AGREEMENT = FIXTURES / "committee.yaml"
runner = CliRunner()


def read_table() -> list[Case]:
    lines = [ln for ln in TABLE.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    assert lines[0].split("\t") == ["file", "exit", "where", "fragment"]
    cases = []
    for ln in lines[1:]:
        file, exit_, where, fragment = ln.split("\t")
        positions = None if where == "-" else [(int(a), int(b)) for a, b in (p.split(":") for p in where.split(","))]
        cases.append(Case(file, int(exit_), positions, fragment))
    return cases


CASES = read_table()


def followup_args(case: Case) -> list[str]:
    out: list[str] = []
    for name in case.file.split("+"):
        out += ["--followup", str(CATALOGUE / name)]
    return out


def test_every_fixture_has_a_row_and_every_row_a_fixture() -> None:
    files = {p.name for p in CATALOGUE.iterdir() if p.name != TABLE.name}
    used = {name for c in CASES for name in c.file.split("+")}
    assert len({c.file for c in CASES}) == len(CASES)
    assert files == used


def test_the_catalogue_covers_every_kind_of_follow_up_mistake() -> None:
    fragments = " | ".join(c.fragment for c in CASES)
    required = [
        "unknown initiative", "unknown appendix row", "is an appendix row, not an initiative",
        "is an initiative, not an appendix row", "unknown state", "unknown quarter", "unknown key",
        "duplicate key", "invalid amount '1.250'", "invalid amount '420.5'", "invalid amount '420 kr.'",
        "invalid date", "cannot read the value '2030-09-31'", "before the agreement was signed",
        "is outside the agreement", "a correction of 0", "is not a year of the agreement",
        "but the agreement read has", "dated 2030-03-12; the other is at", "also declared at",
        "is already an appendix row", "has no correction", "links to exactly one of", "invalid priority",
        "the file is empty", "only comments", "not a mapping", "3 problems found", "follows up 2031",
    ]
    assert [r for r in required if r not in fragments] == []


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_catalogue_case(case: Case) -> None:
    result = runner.invoke(app, ["validate", "--file", str(AGREEMENT), *followup_args(case)])
    assert result.exit_code == case.exit, result.output
    assert "Traceback" not in result.output
    if case.exit == 0:
        assert result.stdout.startswith("ok: ") and "follow-up of" in result.stdout
        return
    assert result.stdout == ""
    assert case.fragment in result.stderr
    problems = parse_problems(result.stderr)
    n = len(problems)
    assert result.stderr.rstrip().endswith(f"{n} problem{'s' if n != 1 else ''} found; nothing was changed.")
    named = {str(CATALOGUE / name) for name in case.file.split("+")}
    for p in problems:
        assert p.file in named
        assert p.expected, p.message
        assert p.hint, p.message
    if case.where is not None:
        assert [(p.line, p.col) for p in problems] == case.where, result.stderr


def test_the_same_date_in_two_files_names_both_places() -> None:
    case = next(c for c in CASES if c.file == "valid.yaml+second-file-same-date.yaml")
    result = runner.invoke(app, ["validate", "--file", str(AGREEMENT), *followup_args(case)])
    (problem,) = parse_problems(result.stderr)
    assert problem.file == str(CATALOGUE / "second-file-same-date.yaml")
    assert f"{CATALOGUE / 'valid.yaml'}:12:16" in problem.message  # where the first entry of that date is
    text = (CATALOGUE / "valid.yaml").read_text(encoding="utf-8").split("\n")
    assert text[11][15:].startswith("2030-03-12")
