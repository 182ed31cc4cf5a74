"""Every value of an agreement replaced by the same wrong thing: null, a list, a mapping, text, a
decimal, a Danish number, a huge number. Each gives located problems and exit 2, never a traceback;
and the document itself as something other than a mapping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.errors import LoadError
from budget2024.load import validate_source
from budget2024.yamlsource import parse

from .conftest import FIXTURES

runner = CliRunner()
CATALOGUE = Path(__file__).resolve().parent / "catalogue"
VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+: )(?!\s*$)(.+)$")
REPLACEMENTS = ["null", "~", "[]", "[1, 2]", "{}", "{a: 1}", "x", '""', "1.5", "-1.000", "true", "2025-10-04",
                "9" * 40, "1e400", '"\\0"', "[[[[[[[[[[1]]]]]]]]]]", "{2024: [1]}", "[{}]"]


def every_value(text: str, replacement: str) -> str:
    return "\n".join(VALUE.sub(lambda m: m.group(1) + replacement, line) for line in text.split("\n"))


@pytest.mark.parametrize("replacement", REPLACEMENTS)
def test_every_value_replaced(replacement: str, tmp_path: Path) -> None:
    text = every_value((FIXTURES / "mini.yaml").read_text(encoding="utf-8"), replacement)
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--file", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    located = [ln for ln in result.stderr.splitlines() if ln.startswith(f"{path}:")]
    assert located and all(re.match(rf"^{re.escape(str(path))}:\d+:\d+: error: ", ln) for ln in located)


@pytest.mark.parametrize("replacement", ["null", "[]", "{}", "[1]"])
def test_every_flow_item_replaced(replacement: str) -> None:
    """Items written as {…} on one line (bodies, chapters) replaced as a whole."""
    text = re.sub(r"- \{[^\n]*\}$", "- " + replacement, (FIXTURES / "mini.yaml").read_text(encoding="utf-8"),
                  flags=re.M)
    with pytest.raises(LoadError) as info:
        validate_source(parse(text, "a.yaml"))
    assert all(p.line >= 1 and p.expected and p.hint for p in info.value.problems)


@pytest.mark.parametrize("document, what", [
    ("- 1\n- 2\n", "a list"), ("5\n", "a whole number"), ("text\n", "text"), ("null\n", "an empty value"),
    ("~\n", "an empty value"), ("[]\n", "a list"), ("2025-10-04\n", "a date"), ("true\n", "a true/false value"),
    ('"\\x00"\n', None), ("? [a]\n: b\n", None), ("{[a]: b}\n", None), ("&a [*a]\n", None),
])
def test_a_document_that_is_not_a_mapping(document: str, what: str | None) -> None:
    with pytest.raises(LoadError) as info:
        validate_source(parse(document, "a.yaml"))
    problems = info.value.problems
    assert [p.line for p in problems] == [1]
    if what is not None:
        assert problems[0].message == f"the document is {what}, not a mapping"


def test_three_independent_mistakes_are_three_problems() -> None:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    # after the inserted line 8, mini.yaml's lines 37 and 63 are 38 and 64
    text = text.replace("amounts: {2031: 4250}", "amounts: {2031: 4.250}")  # a float
    text = text.replace("budget_year: 2030", "budget_year: 2030\n  budget_yaer: 2030")  # an unknown key
    text = text.replace("  - id: study\n", "  - id: park\n")  # a duplicate id
    with pytest.raises(LoadError) as info:
        validate_source(parse(text, "a.yaml"))
    lines = text.split("\n")
    assert [(p.line, lines[p.line - 1][p.column - 1:][:12]) for p in info.value.problems] == [
        (8, "budget_yaer:"), (38, "park"), (64, "4.250}")]


@pytest.mark.parametrize("threshold, messages", [
    ("abc", ["invalid value 'abc'"]),
    ("[1]", ["expected a number or a mapping such as {figure: …}, found a list"]),
    ("null", ["invalid value 'null'"]),
    ("{figure: 5}", ["expected text, found a whole number '5'"]),
    ("{figur: service_frame}", ["missing key 'figure'", "unknown key 'figur'"]),  # two real problems
])
def test_a_value_that_may_be_a_number_or_a_mapping_gets_one_message(threshold: str, messages: list[str]) -> None:
    """pydantic reports a union (a target's threshold: a number, or {figure: …}) once per member;
    the user sees one problem per mistake, about what they wrote."""
    text = (CATALOGUE / "valid-strategy.yaml").read_text(encoding="utf-8")
    text = text.replace("threshold: {figure: service_frame}", f"threshold: {threshold}")
    with pytest.raises(LoadError) as info:
        validate_source(parse(text, "a.yaml"))
    problems = [p for p in info.value.problems if "key figure" not in p.message]
    line = next(i for i, ln in enumerate(text.split("\n"), start=1) if "threshold:" in ln)
    assert [(p.line, p.message) for p in problems] == [(line, m) for m in messages], info.value.format()
    for p in problems:
        assert p.expected and ".int" not in p.path and ".float" not in p.path and "Threshold" not in p.path
