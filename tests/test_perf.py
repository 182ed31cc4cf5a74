"""Start-up and scale, without timing anything: what a run imports, how the typer app is built,
and how the work of every command grows with the number of rows.

Timings are in the benchmark (benchmarks/run.py) and the README, never here.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.core
import typer.main
from typer.testing import CliRunner

from budget2024 import fastcli
from budget2024.cli import app
from budget2024.commands import COMMANDS as ALL_COMMANDS

from .conftest import ROOT, SHIPPED

sys.path.insert(0, str(ROOT / "benchmarks"))
import followup  # noqa: E402
import generate  # noqa: E402

runner = CliRunner()
#: Where `budget site` writes in these tests (a folder of its own, replaced on every run).
SITE_DIR = Path(tempfile.mkdtemp(prefix="budget-site-perf-tests-"))
atexit.register(shutil.rmtree, SITE_DIR, True)
#: A made-up follow-up file for the shipped agreement (for the scaled agreements, one made by the benchmark).
FOLLOWUP = ROOT / "tests" / "fixtures" / "followup" / "shipped-kmu.yaml"

#: One JSON run of every command on the shipped agreement.
JSON_RUNS: dict[str, list[str]] = {
    "validate": ["validate", "--format", "json"],
    "totals": ["totals", "--year", "2025", "--format", "json"],
    "lines": ["lines", "--format", "json"],
    "committee": ["committee", "Klima- og Miljøudvalget", "--format", "json"],
    "committees": ["committees", "--format", "json"],
    "list": ["list", "--format", "json"],
    "show": ["show", "1.1-borgermillionen", "--format", "json"],
    "reconcile": ["reconcile", "--format", "json"],
    "check-strategy": ["check-strategy", "--format", "json"],
    # a folder outside the checkout (the subprocess runs in it); --force, since it is written again
    "export": ["export", "fdp", str(Path(tempfile.mkdtemp(prefix="budget-export-")) / "fdp"), "--force",
               "--format", "json"],
    "site": ["site", str(SITE_DIR / "site"), "--format", "json"],
    "status": ["status", "klima", "--followup", str(FOLLOWUP), "--as-of", "2024-09-30", "--format", "json"],
    "followup": ["followup", "--followup", str(FOLLOWUP), "--format", "json"],
    "diff": ["diff", str(SHIPPED), "--format", "json"],
}
#: Commands that read no agreement (`schema` is generated from the pydantic models, so needs pydantic).
NO_AGREEMENT = {"schema"}
HEAVY = {"pydantic", "yaml", "rich"}


def budget(*args: str, cache_home: Path, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    """Run this checkout's ``budget`` in a fresh interpreter, as the console script does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGET_")}
    env.update({"PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache_home), "COLUMNS": "100"})
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run([sys.executable, *flags, "-m", "budget2024", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def imported(stderr: str) -> set[str]:
    """The top-level packages a ``-X importtime`` run imported."""
    out = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            out.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return out


def test_every_command_has_a_json_run() -> None:
    assert set(JSON_RUNS) | NO_AGREEMENT == set(ALL_COMMANDS)


@pytest.mark.parametrize("name", list(JSON_RUNS))
def test_a_warm_json_run_imports_neither_pydantic_nor_yaml_nor_rich(name: str, tmp_path: Path) -> None:
    args = [*JSON_RUNS[name], "--file", str(SHIPPED)]
    cold = budget(*args, cache_home=tmp_path, importtime=True)
    assert cold.returncode in (0, 1), cold.stderr
    assert {"pydantic", "yaml"} <= imported(cold.stderr)  # the control: a full load needs them
    warm = budget(*args, cache_home=tmp_path, importtime=True)
    assert warm.returncode == cold.returncode
    if name == "validate":  # validate always reads the YAML itself (see the README)
        assert {"pydantic", "yaml"} <= imported(warm.stderr)
    else:
        assert not HEAVY & imported(warm.stderr), sorted(HEAVY & imported(warm.stderr))


def test_a_warm_piped_table_imports_neither_rich_nor_pydantic_nor_yaml(tmp_path: Path) -> None:
    args = ["totals", "--year", "2025", "--file", str(SHIPPED)]
    budget(*args, cache_home=tmp_path)
    warm = budget(*args, cache_home=tmp_path, importtime=True)
    assert warm.returncode == 0
    assert "1.000 kr." in warm.stdout  # a real table was drawn, by the plain drawer
    assert not imported(warm.stderr) & HEAVY, sorted(imported(warm.stderr) & HEAVY)


def test_no_cache_loads_in_full(tmp_path: Path) -> None:
    args = ["totals", "--year", "2025", "--format", "json", "--file", str(SHIPPED)]
    budget(*args, cache_home=tmp_path)
    off = budget("--no-cache", *args, cache_home=tmp_path, importtime=True)
    assert {"pydantic", "yaml"} <= imported(off.stderr)


# ----------------------------------------------------------------------------- building only the command that runs


@pytest.mark.parametrize(("argv", "expected"), [
    (["totals", "--year", "2025"], "totals"),
    (["--no-cache", "check-strategy"], "check-strategy"),
    (["--debug", "--no-cache", "list", "--help"], "list"),
    (["--help"], None),
    (["-h", "totals"], None),
    ([], None),
    (["no-such-command"], None),
    (["--unknown", "totals"], None),
    (["--file", "x.yaml", "totals"], None),
])
def test_only_the_named_command_is_built(argv: list[str], expected: str | None) -> None:
    assert isinstance(app, fastcli.LazyTyper)
    assert app.only_command(argv) == expected


def test_the_app_has_exactly_the_listed_commands_each_from_the_module_named_for_it() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert isinstance(app, fastcli.LazyTyper)
    assert set(commands) == set(ALL_COMMANDS)
    for name, command in commands.items():
        assert command.callback.__module__ == ALL_COMMANDS[name], name
        assert (name in app.lazy_commands) == (ALL_COMMANDS[name] != "budget2024.cli"), name


def _modules(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


@pytest.mark.parametrize(("args", "needed"), [
    (["totals", "--year", "2025", "--format", "json"], set()),
    (["committee", "klima", "--format", "json"], {"budget2024.commands.committee"}),
    (["check-strategy", "--format", "json"], {"budget2024.commands.strategy"}),
])
def test_a_command_imports_only_its_own_command_module(args: list[str], needed: set[str],
                                                      tmp_path: Path) -> None:
    run = budget(*args, "--file", str(SHIPPED), cache_home=tmp_path, importtime=True)
    assert run.returncode == 0, run.stderr
    assert {m for m in _modules(run.stderr) if m.startswith("budget2024.commands.")} == needed


def test_the_lazy_app_gives_the_output_of_the_whole_app(tmp_path: Path) -> None:
    for args in (["totals", "--year", "2025", "--format", "json"], ["committees", "--format", "json"],
                 ["list", "--format", "json"]):
        whole = runner.invoke(app, [*args, "--file", str(SHIPPED)])  # CliRunner builds every command
        lazy = budget(*args, "--file", str(SHIPPED), cache_home=tmp_path)
        assert lazy.returncode == whole.exit_code == 0
        assert lazy.stdout == whole.stdout


def test_help_still_lists_every_command(tmp_path: Path) -> None:
    out = budget("--help", cache_home=tmp_path).stdout
    for name in JSON_RUNS:
        assert name in out
    assert "--no-cache" in out
    sub = budget("totals", "--help", cache_home=tmp_path)
    assert sub.returncode == 0 and "--year" in sub.stdout


def test_a_bad_value_is_refused_in_the_tools_style(tmp_path: Path) -> None:
    """Through the fast path, a bad value is still refused: one error naming the option and the
    value, a hint, exit 2 (the wording after the option's name is typer's and is not asserted)."""
    for args, option, value in [(["totals", "--year", "abc"], "--year", "abc"),
                                (["totals", "--format", "JSON"], "--format", "JSON"),
                                (["lines", "--kind", "both"], "--kind", "both")]:
        bad = budget(*args, cache_home=tmp_path)
        assert bad.returncode == 2 and bad.stdout == ""
        first, *rest = bad.stderr.splitlines()
        assert first.startswith("budget: error: ") and option in first and value in first
        assert rest and rest[0].lstrip().startswith("hint: ")


# ----------------------------------------------------------------------------- converting values without pydantic

SAMPLES: list[Any] = ["2025", "-3", "+7", "007", "2025.0", " 2025", "", "abc", "99999999999999999999", "1_000",
                      "json", "JSON", "drift", "anlaeg", "Drift", "table", "markdown", "junit", "x.yaml", "-",
                      "a/b.yaml", ("a.yaml", "b.yaml"), True, False]


def _outcome(rp: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = rp.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # noqa: BLE001 - the comparison is of what is raised
        return type(exc).__name__, str(exc)
    return "ok", (type(got), got)


@pytest.mark.skipif(not fastcli.install(), reason="this typer has no conversion hook: plain typer is used")
def test_fast_conversion_equals_typers_for_every_option() -> None:
    """For every parameter of every command, the fast path gives what typer's pydantic-based
    conversion gives: the same value of the same type, or the same refusal."""
    import typer._coercion  # (typer 0.29 on)

    assert typer.core.build_runtime_param is not typer._coercion.build_runtime_param  # installed
    group = typer.main.get_command(app)
    compared = fast = 0
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        ctx = command.make_context(name, [], resilient_parsing=True)
        for param in command.params:
            desc = getattr(param, "type_descriptor", None)
            if desc is None:
                continue
            ours = typer.core.build_runtime_param(desc)
            theirs = typer._coercion.build_runtime_param(desc)
            fast += type(ours).__name__ == "FastRuntimeParam"
            for value in SAMPLES:
                assert _outcome(ours, value, param, ctx) == _outcome(theirs, value, param, ctx), \
                    (name, param.name, value)
                compared += 1
    assert fast >= 20 and compared > 500


# ----------------------------------------------------------------------------- linear in rows


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    d = tmp_path_factory.mktemp("scaled")
    data = generate.read_source(SHIPPED)
    out = {}
    for k in (2, 8):
        out[k] = d / f"agreement-K{k}.yaml"
        generate.write(out[k], generate.yaml_lines(generate.scaled(data, k)))
        followup.write_followup(out[k], d / f"followup-K{k}.yaml")  # every initiative and row of it
    return out


def _calls(args: list[str]) -> int:
    """How many Python and C function calls a run makes: a count, not a time."""
    n = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal n
        n += 1

    sys.setprofile(count)
    try:
        res = runner.invoke(app, args)
    finally:
        sys.setprofile(None)
    assert res.exit_code in (0, 1), res.output
    return n


@pytest.mark.parametrize("name", list(JSON_RUNS))
def test_every_command_is_linear_in_rows(name: str, scaled: dict[int, Path]) -> None:
    """Four times the rows and initiatives, at most about four times the work (a nested scan of rows
    per initiative or per committee would be sixteen times)."""
    calls = {}
    for k, path in scaled.items():
        args = [a if a != str(FOLLOWUP) else str(path.parent / f"followup-K{k}.yaml") for a in JSON_RUNS[name]]
        args += ["--file", str(path)]
        runner.invoke(app, args)  # writes the cache entry: the second run is the warm one
        calls[k] = _calls(args)
    assert calls[8] / calls[2] < 5.5, calls


# ----------------------------------------------------------------------------- the cyclic garbage collector


@pytest.mark.parametrize("one_command", [True, False])
def test_only_a_one_command_process_exempts_the_loaded_agreement_from_the_collector(
        one_command: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import gc

    from budget2024 import cache, session

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(cache, "freeze_after_load", one_command)
    gc.unfreeze()
    try:
        for _ in range(2):  # a full load, then a cache hit with its columns decoded
            gc.unfreeze()
            agreement = session.load_agreement(SHIPPED)
            assert len(agreement.lines) > 100
            assert (gc.get_freeze_count() > 0) is one_command
    finally:
        gc.unfreeze()


def test_main_sets_the_one_command_flag_only_while_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from budget2024 import cache, cli

    seen = []
    monkeypatch.setattr(cli, "_run", lambda: seen.append(cache.freeze_after_load))
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code in (0, None)
    assert seen == [True] and cache.freeze_after_load is False
