"""Every command: its exit codes (the README's table), --file against BUDGET_FILE, bad
arguments, internal errors, and that no command ever writes to its input files."""

from __future__ import annotations

import atexit
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from budget2024 import cli, fastyaml, yamlsource
from budget2024.cli import app
from budget2024.commands import COMMANDS as ALL_COMMANDS

from .conftest import ROOT, SHIPPED

runner = CliRunner()
CATALOGUE = Path(__file__).resolve().parent / "catalogue"
#: Where `budget site` writes in these tests (a folder of its own, replaced on every run).
SITE_DIR = Path(tempfile.mkdtemp(prefix="budget-site-tests-"))
atexit.register(shutil.rmtree, SITE_DIR, True)
#: A small valid agreement with a strategy, so that every command has something to do.
GOOD = CATALOGUE / "valid-strategy.yaml"
#: A small agreement with one mistake (a float amount on line 33).
BAD = CATALOGUE / "float-amount.yaml"
#: Made-up follow-up files for GOOD and for the shipped agreement.
FOLLOWUP_GOOD = ROOT / "tests" / "fixtures" / "followup" / "valid-strategy.yaml"
FOLLOWUP_SHIPPED = ROOT / "tests" / "fixtures" / "followup" / "shipped-kmu.yaml"

#: Every command with a minimal valid argument list for GOOD (and for the shipped agreement,
#: SHIPPED_ARGS). A command registered on the app but missing here fails
#: test_every_command_is_in_the_table: add it, so that it is tested like the others.
COMMANDS: dict[str, list[str]] = {
    "validate": [],
    "totals": [],
    "lines": [],
    "committee": ["green"],
    "committees": [],
    "list": [],
    "show": ["park"],
    "reconcile": [],
    "check-strategy": [],
    # writes a folder outside the input's directory; --force, since every test here runs it again
    "export": ["fdp", str(Path(tempfile.mkdtemp(prefix="budget-export-")) / "fdp"), "--force", "--format", "json"],
    "site": [str(SITE_DIR / "site")],
    "status": ["green", "--followup", str(FOLLOWUP_GOOD), "--as-of", "2030-03-31"],
    "followup": ["--followup", str(FOLLOWUP_GOOD)],
    "diff": [str(Path(__file__).resolve().parent / "catalogue" / "valid.yaml")],
}
#: Commands that read no agreement file.
NO_AGREEMENT = {"schema"}
SHIPPED_ARGS: dict[str, list[str]] = {"committee": ["klima"], "show": ["1.1-borgermillionen"],
                                      "status": ["klima", "--followup", str(FOLLOWUP_SHIPPED)],
                                      "followup": ["--followup", str(FOLLOWUP_SHIPPED)]}
#: Extra runs for the read-only test: every output format, and the options that read other files.
EXTRA_RUNS: list[list[str]] = [
    ["validate", "--format", "json"],
    ["totals", "--year", "2025", "--format", "json"], ["totals", "--format", "csv"],
    ["lines", "--format", "json"], ["lines", "--format", "csv"],
    ["committee", "klima", "--format", "json"], ["committee", "klima", "--format", "csv"],
    ["committee", "klima", "--format", "markdown"],
    ["committees", "--format", "json"], ["list", "--format", "json"], ["show", "1.1-borgermillionen", "--format", "json"],
    ["reconcile", "--format", "json"], ["reconcile", "--format", "markdown"], ["reconcile", "--fail-on", "any"],
    ["check-strategy", "--format", "json"], ["check-strategy", "--format", "junit"], ["check-strategy", "--strict"],
    ["status", "klima", "--followup", str(FOLLOWUP_SHIPPED), "--format", "json"],
    ["status", "klima", "--followup", str(FOLLOWUP_SHIPPED), "--format", "markdown"],
    ["followup", "--followup", str(FOLLOWUP_SHIPPED), "--format", "csv"],
    ["followup", "--followup", str(FOLLOWUP_SHIPPED), "--threshold", "1"], ["followup", "init"],
    ["totals", "--followup", str(FOLLOWUP_SHIPPED), "--format", "json"],
    ["committee", "klima", "--followup", str(FOLLOWUP_SHIPPED), "--format", "markdown"],
    ["validate", "--followup", str(FOLLOWUP_SHIPPED)],
]
LOCATED = re.compile(r"^\S+:\d+:\d+: error: ", re.M)


def registered_commands() -> set[str]:
    group = typer.main.get_command(app)
    return set(group.commands)  # type: ignore[attr-defined]


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_every_command_is_in_the_table() -> None:
    assert set(COMMANDS) | NO_AGREEMENT == set(ALL_COMMANDS)


# ----------------------------------------------------------------------------- read-only


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(directory.iterdir())}


def test_no_command_writes_to_its_input_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command, in every format, and again through BUDGET_FILE (then a cache may be used), on a copy of the
    shipped agreement and a figures file: the bytes, the modification times and the directory's
    listing are unchanged afterwards."""
    work = tmp_path / "work"
    work.mkdir()
    agreement = work / "agreement.yaml"
    shutil.copy2(SHIPPED, agreement)
    figures = work / "figures.yaml"
    figures.write_text("key_figures:\n  population: {2024: 51000}\n  operating_surplus: {2024: 230000}\n",
                       encoding="utf-8")
    before = snapshot(work)
    runs = [[name, *SHIPPED_ARGS.get(name, args)] for name, args in COMMANDS.items()] + EXTRA_RUNS
    runs.append(["check-strategy", "--figures", str(figures)])
    monkeypatch.chdir(work)
    for run in runs:
        code, _, err = invoke(*run, "--file", str(agreement))
        assert code in (0, 1), (run, err)
    for run in runs[: len(COMMANDS)]:  # again, through BUDGET_FILE (and a warm cache, if there is one)
        code, _, err = invoke(*run, env={"BUDGET_FILE": str(agreement)})
        assert code in (0, 1), (run, err)
    assert snapshot(work) == before
    assert {r[0] for r in runs} == set(COMMANDS)


# ----------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_exit_0_on_a_valid_file(command: str) -> None:
    code, out, err = invoke(command, *COMMANDS[command], "--file", str(GOOD))
    assert code == 0, err
    assert out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_exit_2_on_an_invalid_file_with_a_located_message(command: str) -> None:
    code, out, err = invoke(command, *COMMANDS[command], "--file", str(BAD))
    assert code == 2
    assert out == ""
    assert f"{BAD}:33:13: error: invalid amount '150.5'" in err
    assert err.rstrip().endswith("1 problem found; nothing was changed.")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_exit_2_on_a_missing_file(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, out, err = invoke(command, *COMMANDS[command], "--file", str(missing))
    assert (code, out) == (2, "")
    assert err.startswith(f"{missing}: error: file not found")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_exit_2_on_an_unknown_option(command: str) -> None:
    code, out, err = invoke(command, *COMMANDS[command], "--file", str(GOOD), "--frobnicate")
    assert (code, out) == (2, "")
    assert "--frobnicate" in err and "Traceback" not in err  # the option is named (in typer's words here)


@pytest.mark.parametrize("command", ["committee", "show"])
def test_exit_2_on_a_missing_argument(command: str) -> None:
    code, out, err = invoke(command, "--file", str(GOOD))
    assert (code, out) == (2, "")
    assert {"committee": "NAME", "show": "ID"}[command] in err and "Traceback" not in err  # the argument is named


@pytest.mark.parametrize("args", [
    ["totals", "--year", "abc"], ["totals", "--year", "1999"], ["totals", "--kind", "both"],
    ["lines", "--format", "xml"], ["committee", "nobody"], ["show", "no-such-initiative"],
    ["check-strategy", "--year", "1999"], ["reconcile", "--fail-on", "everything"],
])
def test_exit_2_on_a_bad_argument_value(args: list[str]) -> None:
    code, out, err = invoke(*args, "--file", str(GOOD))
    assert (code, out) == (2, "")
    assert err.strip()


@pytest.mark.parametrize("args", [["valid"], ["com"], ["frobnicate"], ["--frobnicate", "totals"]])
def test_exit_2_on_an_unknown_or_ambiguous_command(args: list[str]) -> None:
    """'valid' is a prefix of validate and 'com' of committee and committees: commands are never
    guessed from a prefix."""
    code, out, err = invoke(*args)
    assert (code, out) == (2, "")
    assert args[0] in err and "Traceback" not in err  # the command (or option) that was not understood


def test_exit_1_when_a_check_fails() -> None:
    code, _, _ = invoke("check-strategy", "--strict", "--file", str(GOOD))  # a figure is missing
    assert code == 1
    code, _, _ = invoke("reconcile", "--fail-on", "any", "--file", str(GOOD))  # the prose and the rows differ
    assert code == 1


def test_exit_2_on_a_bad_figures_file(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text("key_figures:\n  population: {2030: 51.000}\n", encoding="utf-8")
    code, out, err = invoke("check-strategy", "--file", str(GOOD), "--figures", str(figures))
    assert (code, out) == (2, "")
    assert LOCATED.search(err) and f"{figures}:2:" in err


# ----------------------------------------------------------------------------- --file and BUDGET_FILE


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_file_flag_wins_over_budget_file(command: str, tmp_path: Path) -> None:
    args = COMMANDS[command]
    # the flag wins: BUDGET_FILE names a bad file that is never read
    code, _, err = invoke(command, *args, "--file", str(GOOD), env={"BUDGET_FILE": str(BAD)})
    assert code == 0, err
    # without the flag, BUDGET_FILE is read
    code, _, err = invoke(command, *args, env={"BUDGET_FILE": str(BAD)})
    assert code == 2 and f"{BAD}:33:13" in err
    code, _, err = invoke(command, *args, env={"BUDGET_FILE": str(GOOD)})
    assert code == 0, err
    # the flag is read even when BUDGET_FILE is fine
    code, _, err = invoke(command, *args, "--file", str(BAD), env={"BUDGET_FILE": str(GOOD)})
    assert code == 2 and f"{BAD}:33:13" in err


def test_without_flag_or_variable_the_shipped_agreement_is_read(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke("validate", "--format", "json")
    assert code == 0
    assert '"initiatives"' in out


# ----------------------------------------------------------------------------- internal errors


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the console script's entry point in-process; return the exit status and stderr."""
    monkeypatch.setattr(sys, "argv", ["budget", *args])
    with pytest.raises(SystemExit) as info:
        cli.main()
    code = info.value.code
    return (code if isinstance(code, int) else (0 if code is None else 1)), capsys.readouterr().err


def break_the_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the loader")

    # both readers: the fast one reads the shipped file, the full one reads figures overlays
    monkeypatch.setattr(yamlsource._Builder, "build", boom)
    monkeypatch.setattr(fastyaml._Reader, "read", boom)
    monkeypatch.setenv("BUDGET_NO_CACHE", "1")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_exit_3_on_an_internal_error_without_a_traceback(command: str, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    break_the_loader(monkeypatch)
    code, err = run_main(monkeypatch, capsys, command, *COMMANDS[command], "--file", str(GOOD))
    assert code == 3
    assert "internal error, please report it" in err
    assert "Traceback" not in err and "a bug in the loader" not in err


@pytest.mark.parametrize("command", ["validate", "check-strategy"])
def test_debug_shows_the_traceback(command: str, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    break_the_loader(monkeypatch)
    code, err = run_main(monkeypatch, capsys, "--debug", command, "--file", str(GOOD))
    assert code == 3
    assert "Traceback" in err and "RuntimeError: a bug in the loader" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_main_exit_codes_0_and_2(command: str, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The console script itself (not only the app) exits 0, 2 and 2 for a good file, a bad
    file and a bad option."""
    assert run_main(monkeypatch, capsys, command, *COMMANDS[command], "--file", str(GOOD))[0] == 0
    code, err = run_main(monkeypatch, capsys, command, *COMMANDS[command], "--file", str(BAD))
    assert code == 2 and LOCATED.search(err) and "Traceback" not in err
    code, err = run_main(monkeypatch, capsys, command, "--no-such-option")
    assert code == 2 and err.startswith("budget: error: ") and "--no-such-option" in err  # the tool's style


def test_a_load_error_escaping_a_command_is_still_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """main() is the last line of defence: a command that forgets to catch a LoadError still
    reports it as invalid input."""
    from budget2024.errors import LoadError, Problem

    def escape(*args: object, **kwargs: object) -> None:
        raise LoadError([Problem("x.yaml", 3, 1, "something is wrong", "something right", "fix it")])

    monkeypatch.setattr(cli, "load_ledger", escape)
    monkeypatch.setattr("budget2024.commands.committee.load_ledger", escape, raising=False)
    code, err = run_main(monkeypatch, capsys, "committees", "--file", str(GOOD))
    assert code == 2
    assert "x.yaml:3:1: error: something is wrong" in err


# ----------------------------------------------------------------------------- the README's table


def test_the_readme_documents_every_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", table, re.M))
    assert set(rows) == {"0", "1", "2", "3", "74", "130", "141"}
    assert "--debug" in rows["3"]
    from budget2024 import streams

    assert "written" in rows[str(streams.EXIT_WRITE)] and "interrupted" in rows[str(streams.EXIT_INTERRUPTED)]
    assert "went away" in rows[str(streams.EXIT_PIPE)]
