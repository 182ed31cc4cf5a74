"""The command reference in docs/cli.md is generated from --help and cannot go stale; every command
has help with an example (as sqlite-utils' tests/test_docs.py checks its commands)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
import typer.main
from cogapp import Cog  # type: ignore[import-untyped]
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.commands import COMMANDS

from .conftest import ROOT

REFERENCE = ROOT / "docs" / "cli.md"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "BUDGET_LANG": "en", "LC_ALL": "C.UTF-8"}
runner = CliRunner()


def every_command() -> list[list[str]]:
    group = typer.main.get_command(app)
    names: list[list[str]] = []
    for name in COMMANDS:
        names.append([name])
        names += [[name, sub] for sub in getattr(group.commands[name], "commands", {})]  # type: ignore[attr-defined]
    return names


def test_the_command_reference_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    drawn_by = re.search(r"<!-- drawn by typer (\S+) -->", REFERENCE.read_text(encoding="utf-8"))
    assert drawn_by, "the reference names no typer version: run `cog -r docs/cli.md`"
    if drawn_by.group(1) != ".".join(typer.__version__.split(".")[:2]):  # help is typer's layout
        pytest.skip(f"docs/cli.md was drawn by typer {drawn_by.group(1)}; this is typer {typer.__version__}")
    code = Cog().main(["cog", "--check", str(REFERENCE)])
    assert code == 0, f"{REFERENCE} is stale: run `cog -r docs/cli.md`\n{capsys.readouterr().out}"


def test_a_stale_reference_is_caught(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(REFERENCE.read_text(encoding="utf-8").replace("Usage: budget totals", "Usage: budget sums"),
                     encoding="utf-8")
    assert Cog().main(["cog", "--check", str(stale)]) != 0


@pytest.mark.parametrize("args", every_command(), ids=" ".join)
def test_every_command_has_help_with_an_example_and_is_in_the_reference(args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--help"], env=ENV)
    assert result.exit_code == 0, result.output
    assert re.search(r"^\s*Examples?:", result.stdout, re.M), f"`budget {' '.join(args)} --help` has no example"
    assert re.search(r"^\s*(Examples?:\s+)?budget " + re.escape(args[0]) + r"\b", result.stdout, re.M)
    assert f"\n## budget {' '.join(args)}\n" in REFERENCE.read_text(encoding="utf-8")


def test_the_help_lists_the_commands_in_the_order_of_the_list() -> None:
    """Whatever module was imported first (tests import them in any order), `budget --help` and the
    reference list the commands in the order of commands.COMMANDS (sub-apps after the commands)."""
    names = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    groups = [n for n in COMMANDS if n in {g.name or g.typer_instance.info.name for g in app.registered_groups}]
    assert names == [n for n in COMMANDS if n not in groups] + groups
