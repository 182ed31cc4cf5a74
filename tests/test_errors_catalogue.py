"""The catalogue of bad inputs: tests/catalogue/cases.tsv, one row per fixture file.

Each row names a fixture, the exit status of ``budget validate --file FIXTURE``, the
LINE:COLUMN of every problem in the order they must be reported, and a fragment of the
message. Adding a case is one file in tests/catalogue/ and one row in cases.tsv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
TABLE = CATALOGUE / "cases.tsv"
#: The one case whose file must not exist.
MISSING = "no-such-file.yaml"

runner = CliRunner()


@dataclass(frozen=True)
class Case:
    file: str
    exit: int
    where: list[tuple[int, int]] | None  # None: positions not checked
    fragment: str

    @property
    def path(self) -> Path:
        return CATALOGUE / self.file


def read_table() -> list[Case]:
    cases = []
    lines = [ln for ln in TABLE.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    assert lines[0].split("\t") == ["file", "exit", "where", "fragment"]
    for ln in lines[1:]:
        file, exit_, where, fragment = ln.split("\t")
        positions = None
        if where != "-":
            positions = [(int(a), int(b)) for a, b in (p.split(":") for p in where.split(","))]
        cases.append(Case(file, int(exit_), positions, fragment))
    return cases


CASES = read_table()

#: One reported problem: ``FILE:LINE:COL: error: …`` or ``FILE: error: …`` for the whole file.
PROBLEM = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<col>\d+))?: error: (?P<message>.*)$")


@dataclass
class Reported:
    file: str
    line: int
    col: int
    message: str
    expected: str | None
    hint: str | None


def parse_problems(stderr: str) -> list[Reported]:
    """The problems in ``budget``'s error output, with their 'expected' and 'hint' lines."""
    out: list[Reported] = []
    for line in stderr.splitlines():
        m = PROBLEM.match(line)
        if m and not line.startswith(" "):
            out.append(Reported(m["file"], int(m["line"] or 0), int(m["col"] or 0), m["message"], None, None))
        elif line.startswith("    expected: ") and out:
            out[-1].expected = line.removeprefix("    expected: ")
        elif line.startswith("    hint: ") and out:
            out[-1].hint = line.removeprefix("    hint: ")
    return out


def test_every_fixture_has_a_row_and_every_row_a_fixture() -> None:
    files = {p.name for p in CATALOGUE.iterdir() if p.name != TABLE.name}
    rows = [c.file for c in CASES]
    assert len(rows) == len(set(rows)), "a fixture is listed twice"
    assert files == set(rows) - {MISSING}
    assert not (CATALOGUE / MISSING).exists()


def test_the_catalogue_covers_every_class_of_mistake() -> None:
    """Issue 6 and the schema tests of issue 2 name these classes; each must have a case."""
    fragments = " | ".join(c.fragment for c in CASES)
    required = [
        "duplicate key",                         # a duplicated key in any mapping
        "unknown key",                           # an unknown key ('ammounts')
        "invalid amount '150.5'",                # a float amount
        "Danish thousands points are not allowed",  # 4.250, and it suggests 4250
        "write 4250",
        "invalid amount '4.250 kr.'",            # a quoted amount
        "true/false/yes/no are not amounts",     # a boolean amount
        "outside the agreement",                 # a year outside the agreement
        "duplicate id",                          # a duplicated id
        "unknown initiative", "unknown body", "unknown section", "unknown chapter",  # references
        "links to exactly one of",               # each appendix row linked
        "do not match the raw row's numbers",    # the raw-row check
        "the tag '!!python",                     # the safe loader
        "aliases expand to more than",           # an alias bomb
        "save the file as UTF-8",                # Windows-1252
        "the file is empty", "only comments", "this is a directory", "file not found",
        "3 problems found",                      # all at once
    ]
    missing = [r for r in required if r not in fragments]
    assert not missing


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_catalogue_case(case: Case) -> None:
    result = runner.invoke(app, ["validate", "--file", str(case.path)])
    assert result.exit_code == case.exit, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    if case.exit == 0:
        assert result.stdout.startswith("ok: ")
        assert result.stderr == ""
        return
    assert result.stdout == ""
    assert case.fragment in result.stderr
    problems = parse_problems(result.stderr)
    assert problems, result.stderr
    n = len(problems)
    assert result.stderr.rstrip().endswith(f"{n} problem{'s' if n != 1 else ''} found; nothing was changed.")
    for p in problems:
        assert p.file == str(case.path)
        assert p.expected, f"no 'expected:' for {p.message}"
        assert p.hint, f"no 'hint:' for {p.message}"
    if case.where is not None:
        assert [(p.line, p.col) for p in problems] == case.where, result.stderr


def test_problems_come_in_line_order_whatever_the_order_they_are_found_in() -> None:
    """three-mistakes.yaml: the reference (found last, by the whole-document checks) comes first
    in the file, the float amount (found by the schema) in the middle."""
    case = next(c for c in CASES if c.file == "three-mistakes.yaml")
    result = runner.invoke(app, ["validate", "--file", str(case.path)])
    problems = parse_problems(result.stderr)
    assert [p.message.split(" ")[0:2] for p in problems] == [["unknown", "body"], ["invalid", "amount"],
                                                             ["duplicate", "id"]]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_positions_point_at_the_offending_node() -> None:
    """An unknown key at the key; a duplicate key at its second occurrence; a missing key at the
    mapping that lacks it; a bad value at the value."""

    def first_problem(name: str) -> tuple[Reported, list[str]]:
        path = CATALOGUE / name
        text = path.read_text(encoding="utf-8").split("\n")
        result = runner.invoke(app, ["validate", "--file", str(path)])
        return parse_problems(result.stderr)[-1], text

    p, text = first_problem("unknown-key.yaml")
    assert text[p.line - 1][p.col - 1:].startswith("notes:")
    p, text = first_problem("duplicate-key-title.yaml")
    assert text[p.line - 1][p.col - 1:].startswith("title: Nyt park")
    p, text = first_problem("missing-key.yaml")
    assert text[p.line - 1][p.col - 1:].startswith("id: a-park")
    p, text = first_problem("danish-thousands.yaml")
    assert text[p.line - 1][p.col - 1:] == "4.250"
    p, text = first_problem("year-outside-prose.yaml")
    assert text[p.line - 1][p.col - 1:].startswith("2029: 200")


#: A few cases in Danish: the fixture and a fragment of each of the Danish message, expected and hint.
DANISH = [
    ("duplicate-key-title.yaml", "nøglen 'title' er angivet to gange; den står allerede på linje 31",
     "hver nøgle én gang pr. tabel", "YAML ville i det stille kun beholde den sidste"),
    ("octal-amount.yaml", "tallet '0150' er ikke skrevet med almindelige cifre", "et helt tal skrevet med almindelige "
     "cifre", "0150 læses som det oktale tal 104; skriv 150"),
    ("tab-indentation.yaml", "ugyldig YAML", "korrekt YAML", "YAML tillader ikke tabulatorer som indrykning"),
    ("empty.yaml", "filen er tom", "en YAML-tabel med en aftales nøgler", "begynd med den medfølgende"),
]
DANISH_PROBLEM = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+):(?P<col>\d+))?: fejl: (?P<message>.*)$")


@pytest.mark.parametrize(("name", "message", "expected", "hint"), DANISH, ids=[d[0] for d in DANISH])
def test_catalogue_case_in_danish(name: str, message: str, expected: str, hint: str) -> None:
    """The same problem at the same place, with what was expected and a hint, in Danish words."""
    case = next(c for c in CASES if c.file == name)
    result = runner.invoke(app, ["--lang", "da", "validate", "--file", str(case.path)])
    assert result.exit_code == case.exit == 2
    lines = result.stderr.splitlines()
    found = [(m, i) for i, ln in enumerate(lines) if (m := DANISH_PROBLEM.match(ln)) and not ln.startswith(" ")]
    assert len(found) == 1, result.stderr
    m, i = found[0]
    assert m["file"] == str(case.path) and message in m["message"]
    if case.where is not None:
        assert [(int(m["line"] or 0), int(m["col"] or 0))] == case.where
    assert lines[i + 1].startswith("    forventet: ") and expected in lines[i + 1]
    assert lines[i + 2].startswith("    tip: ") and hint in lines[i + 2]
    assert lines[-1] == "1 fejl fundet; intet er ændret."
    assert "error" not in result.stderr and "hint:" not in result.stderr and "expected:" not in result.stderr
