"""Exit codes that mean one thing, through a real process: closed pipes, failed writes, closed or
full stderr, encodings that lack a character, Ctrl-C; and the basics of any command line tool.

0 ok, 1 a check failed, 2 bad input, 3 a bug; 74 the output could not be written, 130 interrupted,
141 the reader went away before the command's result was known (see the README's exit codes).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.commands import COMMANDS as ALL_COMMANDS
from budget2024.streams import EXIT_INTERRUPTED, EXIT_PIPE, EXIT_WRITE

from .conftest import FIXTURES, ROOT, SHIPPED, budget_executable

BAD = ROOT / "tests" / "catalogue" / "bad-kind.yaml"
STRATEGY = FIXTURES / "strategy"

#: Every command, with what it needs, and the exit status it has on the shipped agreement.
COMMANDS: dict[str, tuple[list[str], int]] = {
    "validate": ([], 0),
    "totals": ([], 0),
    "lines": ([], 0),
    "committee": (["klima"], 0),
    "committees": ([], 0),
    "list": ([], 0),
    "show": (["1.1-borgermillionen"], 0),
    "reconcile": ([], 0),
    "check-strategy": ([], 0),
    "reconcile --fail-on any": (["--fail-on", "any"], 1),
    "check-strategy --strict": (["--strict"], 1),
    # an overrun and a difference are known before the output: a closed pipe keeps the verdict
    "followup --threshold": (["-f", str(FIXTURES / "committee.yaml"), "--followup",
                              str(FIXTURES / "followup" / "finance.yaml"), "--threshold", "10"], 1),
    "diff --exit-code": ([str(FIXTURES / "diff" / "old.yaml"), str(FIXTURES / "diff" / "new.yaml"),
                          "--exit-code"], 1),
    "diff": ([str(FIXTURES / "diff" / "old.yaml"), str(FIXTURES / "diff" / "new.yaml")], 0),
}
#: Commands whose output is a folder or needs no agreement: their exit codes are tested in their own files.
NOT_HERE = {"export": "writes a folder", "site": "writes a folder", "schema": "reads no agreement",
            "status": "needs a follow-up file"}


def test_every_command_is_here_or_says_why_not() -> None:
    assert {name.split()[0] for name in COMMANDS} | set(NOT_HERE) == set(ALL_COMMANDS)


def argv(name: str, *extra: str) -> list[str]:
    args, _ = COMMANDS[name]
    return [sys.executable, "-m", "budget2024", name.split()[0], *args, *extra]


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith(("BUDGET_", "PYTHONIO", "LC_", "PYTHONUTF8"))}
    e.update({"PYTHONPATH": str(ROOT), "COLUMNS": "100", "BUDGET_FILE": str(SHIPPED)})
    e.update(extra)
    return e


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs.setdefault("capture_output", True)
    return subprocess.run(cmd, text=True, env=kwargs.pop("env", env()), timeout=120, **kwargs)  # type: ignore[call-overload,no-any-return]


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _shared_cache(monkeypatch: pytest.MonkeyPatch, module_cache: Path) -> None:
    """One cache for the module's processes (a warm run, as a user's second run is)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(module_cache))


# ----------------------------------------------------------------------------- closed pipes


def no_reader(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run with stdout a pipe whose reading end is already closed: every write fails with EPIPE."""
    r, w = os.pipe()
    os.close(r)
    try:
        return run(cmd, stdout=w, stderr=subprocess.PIPE, **kwargs)
    finally:
        os.close(w)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_closed_pipe_exits_with_the_commands_own_result_and_prints_nothing(name: str) -> None:
    res = no_reader(argv(name))
    assert res.returncode == COMMANDS[name][1]
    assert res.stderr == ""


@pytest.mark.parametrize("name", ["totals", "check-strategy"])
def test_a_closed_pipe_in_json_and_junit(name: str) -> None:
    fmt = "junit" if name == "check-strategy" else "json"
    res = no_reader(argv(name, "--format", fmt))
    assert res.returncode == 0
    assert "Traceback" not in res.stderr and "error" not in res.stderr


def test_a_closed_pipe_before_the_result_is_known_is_141() -> None:
    res = no_reader([sys.executable, "-m", "budget2024", "--help"])
    assert (res.returncode, res.stderr) == (EXIT_PIPE, "")


@pytest.mark.parametrize("name", ["lines", "check-strategy", "reconcile", "diff", "followup --threshold",
                                  "diff --exit-code"])
def test_head_under_pipefail(name: str) -> None:
    """The CI case: `set -o pipefail; budget X | head -1` passes when the command passes, and fails
    when its check fails (an overrun, a difference), as without the pipe."""
    cmd = " ".join(f"'{a}'" for a in argv(name))
    res = run(["bash", "-c", f"set -o pipefail; {cmd} 2>/dev/null | head -1"])
    assert res.returncode == COMMANDS[name][1], res.stderr
    assert len(res.stdout.splitlines()) == 1


# ----------------------------------------------------------------------------- failed writes


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_full_disk_is_a_failed_write(name: str) -> None:
    with open("/dev/full", "w") as full:
        res = run(argv(name), stdout=full, stderr=subprocess.PIPE)
    assert res.returncode == EXIT_WRITE
    assert res.stderr == "budget: error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("name", ["totals", "reconcile", "check-strategy", "validate"])
def test_a_closed_stdout_is_a_failed_write(name: str) -> None:
    cmd = " ".join(f"'{a}'" for a in argv(name))
    res = run(["bash", "-c", f"{cmd} >&-"])
    assert res.returncode == EXIT_WRITE
    assert res.stderr.splitlines() == ["budget: error: cannot write the output: standard output is closed"]


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
@pytest.mark.parametrize("name", ["validate", "totals", "check-strategy"])
def test_stderr_that_cannot_be_written_keeps_the_exit_status(name: str, redirect: str) -> None:
    cmd = " ".join(f"'{a}'" for a in argv(name, "--file", str(BAD)))
    assert run(["bash", "-c", f"{cmd} {redirect}"]).returncode == 2
    cmd = " ".join(f"'{a}'" for a in argv(name))
    assert run(["bash", "-c", f"{cmd} {redirect}"]).returncode == 0


# ----------------------------------------------------------------------------- encodings

#: (environment, the encoding the output is then written in)
ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "cp850": {"PYTHONIOENCODING": "cp850"},
    "C locale": {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
}
CODEC = {"ascii": "ascii", "latin-1": "latin-1", "cp850": "cp850", "C locale": "ascii"}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_works_under_any_encoding(name: str, encoding: str) -> None:
    res = run(argv(name), env=env(**ENCODINGS[encoding]), encoding=CODEC[encoding])
    assert res.returncode == COMMANDS[name][1], res.stderr
    assert res.stdout.strip() and "Traceback" not in res.stderr


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_validate_and_its_errors_under_any_encoding(encoding: str) -> None:
    ok = run(argv("validate"), env=env(**ENCODINGS[encoding]), encoding=CODEC[encoding])
    assert ok.returncode == 0 and ok.stdout.startswith("ok: ")
    bad = run(argv("validate", "--file", str(BAD)), env=env(**ENCODINGS[encoding]), encoding=CODEC[encoding])
    assert bad.returncode == 2 and f"{BAD}:38:11" in bad.stderr and "Traceback" not in bad.stderr


def test_ascii_output_is_ascii_and_keeps_the_table_aligned() -> None:
    res = subprocess.run(argv("totals"), capture_output=True, env=env(PYTHONIOENCODING="ascii"), timeout=120)
    text = res.stdout.decode("ascii")  # raises if a byte is not ASCII
    utf = run(argv("totals")).stdout
    assert "Anlag" in text and "Anlæg" in utf
    # one stand-in character per character: every number in the same column as in UTF-8
    rows = [ln for ln in text.splitlines() if "Netto (net)" in ln]
    assert [len(r) for r in rows] == [len(r) for r in utf.splitlines() if "Netto (net)" in r]


@pytest.mark.parametrize("encoding", ["ascii", "C locale"])
def test_json_under_a_narrow_encoding_is_the_same_data(encoding: str) -> None:
    for name in ("committee", "lines", "validate"):
        narrow = run(argv(name, "--format", "json"), env=env(**ENCODINGS[encoding]), encoding="ascii")
        assert narrow.stdout.isascii()
        assert json.loads(narrow.stdout) == json.loads(run(argv(name, "--format", "json")).stdout)


# ----------------------------------------------------------------------------- Ctrl-C


def _default_sigint() -> None:
    """In the child: Ctrl-C as at a terminal (a background job of a shell starts with it ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("moment", ["budget2024", "typer", "budget2024.cli", "budget2024.model", "running"])
def test_ctrl_c_is_one_line_and_130_at_any_moment(moment: str) -> None:
    """From the moment the package is imported (before that, Python is still starting) to the end:
    during the imports of typer, of the CLI, of the model (pydantic), and while the command runs."""
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "budget2024", "--no-cache", "lines",
                             "--format", "json"], env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_default_sigint)
    assert proc.stderr is not None
    target = "budget2024.load" if moment == "running" else moment
    for line in proc.stderr:
        if line.startswith("import time:") and line.rsplit("|", 1)[-1].strip() == target:
            break
    if moment == "running":  # the agreement is being read, checked and printed
        time.sleep(0.03)
    if proc.poll() is not None:
        pytest.skip("the command ended before the interrupt")
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    proc.wait(timeout=120)
    if moment == "running" and proc.returncode == -signal.SIGINT and not rest.strip():
        # it had finished: Python's own shutdown had restored the default action, and the signal
        # ended the process as it ends any (the shell reports 130, and nothing is printed)
        pytest.skip("the command had ended before the interrupt")
    assert proc.returncode == EXIT_INTERRUPTED
    assert [ln for ln in rest.splitlines() if not ln.startswith("import time:")] == ["budget: interrupted"]


# ----------------------------------------------------------------------------- the basics


def test_version() -> None:
    for flag in ("--version", "-V"):
        res = run([sys.executable, "-m", "budget2024", flag])
        assert res.returncode == 0 and res.stdout.startswith("budget ") and res.stdout.split()[1][0].isdigit()


def test_shell_completion() -> None:
    # typer finds the shell from the parent process: run it from bash
    shown = run(["bash", "-c", f"'{budget_executable()}' --show-completion"])
    assert shown.returncode == 0 and "complete" in shown.stdout
    # what the installed script answers when bash asks for the words after `budget che`
    res = run([budget_executable()], env=env(_BUDGET_COMPLETE="complete_bash", COMP_WORDS="budget che",
                                             COMP_CWORD="1"))
    assert "check-strategy" in res.stdout


def test_option_errors_are_in_the_tools_style() -> None:
    for args, option in [(["totals", "--kind", "bad"], "--kind"), (["lines", "--frobnicate"], "--frobnicate"),
                         (["committee"], "NAME"), (["totals", "--year", "abc"], "--year")]:
        res = run([sys.executable, "-m", "budget2024", *args])
        assert res.returncode == 2 and res.stdout == ""
        lines = res.stderr.splitlines()
        assert lines[0].startswith("budget: error: ") and option in lines[0], res.stderr
        assert not any(ln.startswith(("Error:", "Usage:", "Try ")) for ln in lines), res.stderr


runner = CliRunner()


def cli_json(*args: str) -> object:
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("spelling,kind", [("anlæg", "anlaeg"), ("Anlæg", "anlaeg"), ("ANLAEG", "anlaeg"),
                                           ("anlag", "anlaeg"), ("Drift", "drift"), ("DRIFT", "drift")])
def test_kind_as_the_tables_print_it(spelling: str, kind: str) -> None:
    for command in ("totals", "lines"):
        assert cli_json(command, "--kind", spelling) == cli_json(command, "--kind", kind)
    assert cli_json("list", "-k", spelling) == cli_json("list", "-k", kind)


@pytest.mark.parametrize("year", ["2025.0", "2_025", "+2025", " 2025", "２０２５"])
@pytest.mark.parametrize("command", [["totals"], ["committee", "klima"], ["check-strategy"]])
def test_a_year_is_digits(command: list[str], year: str) -> None:
    res = runner.invoke(app, [*command, "--year", year])
    assert res.exit_code == 2 and res.stdout == ""
    assert runner.invoke(app, [*command, "--year", "2025"]).exit_code == 0


@pytest.mark.parametrize("args", [["totals", "-f", ""], ["check-strategy", "--figures", ""]])
def test_an_empty_path_is_called_empty(args: list[str]) -> None:
    res = run([sys.executable, "-m", "budget2024", *args])
    assert res.returncode == 2
    assert "empty" in res.stderr and "directory" not in res.stderr


def test_one_short_option_means_one_thing() -> None:
    import typer

    meaning: dict[str, set[str]] = {}
    for command in typer.main.get_command(app).commands.values():  # type: ignore[attr-defined]
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")]
            for short in (o for o in param.opts + param.secondary_opts if len(o) == 2 and o[0] == "-"):
                meaning.setdefault(short, set()).update(longs)
    assert {s: m for s, m in meaning.items() if len(m) > 1} == {}
    assert meaning["-s"] == {"--search"}
    assert runner.invoke(app, ["reconcile", "--section", "3.3.5", "--format", "json"]).exit_code == 0


def test_validate_has_json_for_both_cases_and_no_csv() -> None:
    assert runner.invoke(app, ["validate", "--format", "csv"]).exit_code == 2
    res = runner.invoke(app, ["validate", "--file", str(BAD), "--format", "json"])
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert data["ok"] is False
    (problem,) = data["problems"]
    assert {"file", "line", "column", "message", "expected", "hint"} <= set(problem)
    assert (problem["file"], problem["line"], problem["column"]) == (str(BAD), 38, 11)
    good = json.loads(runner.invoke(app, ["validate", "--format", "json"]).stdout)
    assert good["ok"] is True and good["problems"] == []


def test_a_bad_figures_file_still_gives_a_junit_report(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text("key_figures: {population: {2024: abc}}\n", encoding="utf-8")
    report = tmp_path / "report.xml"
    with report.open("w") as out:
        res = run(argv("check-strategy", "--figures", str(figures), "--format", "junit"), stdout=out,
                  stderr=subprocess.PIPE)
    assert res.returncode == 2
    root = ET.parse(report).getroot()
    assert root.get("errors") == "1" and root.get("tests") == "1"
    (error,) = root.iter("error")
    assert f"{figures}:1:" in (error.text or "") and f"{figures}:1:" in res.stderr


def test_budget_alone_shows_the_help() -> None:
    res = run([sys.executable, "-m", "budget2024"])
    assert res.returncode == 2 and res.stdout == ""
    assert "check-strategy" in res.stderr and "budget: error" not in res.stderr
