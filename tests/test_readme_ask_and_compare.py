"""The README's sections on filters, diff, pipes and schema show real output: every example is run
here, and what it prints must be what the README shows (trailing spaces aside; an example that
ends in '…' is compared up to there)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import ROOT, SHIPPED

runner = CliRunner()
SECTIONS = ("filters", "diff", "pipes", "schema")
KLIMAPULJE = ('amounts: {2024: 5000, 2025: 5000, 2026: 5000, 2027: 5000}\n'
              '    raw: "4.3.1 Klimapulje i samarbejde med grønt omstillingsudvalg 5.000 5.000 5.000 5.000 "')


def section(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"<!-- section: {name} -->", 1)[1].split(f"<!-- /section: {name} -->", 1)[0]


def examples() -> list[tuple[str, str, str]]:
    out = []
    for name in SECTIONS:
        for block in re.findall(r"```\n(\$ .*?)```", section(name), re.S):
            command, _, shown = block.partition("\n")
            out.append((name, command[2:], shown))
    return out


def test_every_section_has_examples() -> None:
    assert {name for name, _, _ in examples()} == set(SECTIONS)


def strip(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.rstrip("\n").split("\n")]


@pytest.mark.parametrize(("name", "command", "shown"), examples(), ids=[c for _, c, _ in examples()])
def test_the_example_prints_what_the_readme_shows(name: str, command: str, shown: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "agreement.yaml").write_bytes(SHIPPED.read_bytes())
    text = SHIPPED.read_text(encoding="utf-8")
    assert KLIMAPULJE in text
    (tmp_path / "old.yaml").write_text(text.replace(KLIMAPULJE, KLIMAPULJE.replace("2026: 5000", "2026: 4000")
                                                    .replace("5.000 5.000 5.000 5.000", "5.000 5.000 4.000 5.000")),
                                       encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    stdin = None
    if command.startswith("git show HEAD:data/agreement.yaml | "):  # the file as committed: the shipped one
        command = command.split("| ", 1)[1]
        stdin = SHIPPED.read_bytes()
    argv = shlex.split(command)
    assert argv[0] == "budget"
    result = runner.invoke(app, argv[1:], input=stdin)
    assert result.exit_code in (0, 2)
    printed = strip(result.stdout + result.stderr)
    want = strip(shown)
    if want[-1].strip() == "…":
        want = want[:-1]
        printed = printed[:len(want)]
    assert printed == want


def test_the_hint_example_is_what_validate_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    block = re.search(r"```\n(data/agreement\.yaml:.*?)```", section("schema"), re.S)
    assert block is not None
    (tmp_path / "data").mkdir()
    text = SHIPPED.read_text(encoding="utf-8").replace("body: klima-miljoe", "body: KMU", 1)
    (tmp_path / "data" / "agreement.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "--file", "data/agreement.yaml"])
    assert result.exit_code == 2
    assert strip(result.stderr)[:3] == strip(block.group(1))
