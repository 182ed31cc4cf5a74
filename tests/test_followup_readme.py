"""The README's "Following up during the year" shows real output: every `$ budget …` block of the
section is run here on the test fixtures it names, and must be what budget prints (a block ending
in "…" shows the first lines). The example file of the section is a valid follow-up file."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import FIXTURES, ROOT

runner = CliRunner()
ENV = {"BUDGET_FILE": "tests/fixtures/committee.yaml", "COLUMNS": "80",
       "BUDGET_FOLLOWUP": os.pathsep.join(["tests/fixtures/followup/klima.yaml",
                                           "tests/fixtures/followup/finance.yaml"])}


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("<!-- section: followup -->", 1)[1].split("<!-- /section: followup -->", 1)[0]


EXAMPLES = re.findall(r"```\n\$ (budget[^\n]*)\n(.*?)```", section(), re.S)


def test_the_section_walks_through_both_years() -> None:
    text = section()
    for words in ("### The secretary's year", "### The finance staff's year", "followup init", "--as-of 2030-03-12",
                  "--as-of 2030-09-10", "decision", "actuals", "forecast", "--threshold"):
        assert words in text
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_the_readme_output_is_what_budget_prints(command: str, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    res = runner.invoke(app, shlex.split(command)[1:], env=ENV)
    assert res.exit_code in (0, 1), res.output
    printed = [line.rstrip() for line in res.stdout.splitlines()]
    lines = [line.rstrip() for line in shown.splitlines()]
    if lines and lines[-1] == "…":
        assert printed[: len(lines) - 1] == lines[:-1]
    else:
        assert printed == lines


def test_the_example_file_is_a_valid_follow_up_file(tmp_path: Path) -> None:
    (example,) = re.findall(r"```yaml\n(schema_version.*?)```", section(), re.S)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    res = runner.invoke(app, ["validate", "--file", str(FIXTURES / "committee.yaml"), "--followup", str(path)])
    assert res.exit_code == 0, res.stderr
