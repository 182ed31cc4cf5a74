"""`--file -` reads standard input and `--file <(…)` a named pipe, for every command; devices and
directories stay refused; the cache stays correct (a stream has no path: its bytes are hashed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import FIXTURES, SHIPPED, budget_executable

runner = CliRunner()
MINI = FIXTURES / "mini.yaml"


def totals_of(path: Path) -> dict:
    result = runner.invoke(app, ["--no-cache", "totals", "--format", "json", "--file", str(path)])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_file_dash_reads_standard_input() -> None:
    result = runner.invoke(app, ["totals", "--format", "json", "-f", "-"], input=SHIPPED.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == totals_of(SHIPPED)


@pytest.mark.parametrize("command", [["validate"], ["lines", "--format", "json"], ["committees"], ["list"],
                                     ["check-strategy"], ["reconcile"], ["committee", "KMU"], ["show", "D3"]])
def test_every_command_reads_standard_input(command: list[str]) -> None:
    piped = runner.invoke(app, [*command, "-f", "-"], input=SHIPPED.read_bytes())
    named = runner.invoke(app, [*command, "-f", str(SHIPPED)])
    assert piped.exit_code == named.exit_code and piped.exit_code in (0, 1), piped.stderr
    assert piped.stdout == named.stdout.replace(str(SHIPPED), "<stdin>")


def test_a_bad_input_on_standard_input_is_located_as_stdin() -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("amounts: {2024: 250, 2026: 250}",
                                                       "amounts: {2024: 2.50, 2026: 250}", 1)
    result = runner.invoke(app, ["validate", "-f", "-"], input=text.encode())
    assert result.exit_code == 2
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "2.50" in ln)
    assert result.stderr.startswith(f"<stdin>:{line}:")


def test_the_cache_hashes_the_bytes_of_standard_input(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "BUDGET_DEBUG": "1"}
    first = runner.invoke(app, ["totals", "--format", "json", "-f", "-"], input=SHIPPED.read_bytes(), env=env)
    again = runner.invoke(app, ["totals", "--format", "json", "-f", "-"], input=SHIPPED.read_bytes(), env=env)
    assert "cache: hit" in again.stderr and again.stdout == first.stdout
    # other bytes on the same "path" are never answered from the entry of the first
    other = runner.invoke(app, ["totals", "--format", "json", "-f", "-"], input=MINI.read_bytes(), env=env)
    assert other.exit_code == 0 and json.loads(other.stdout) == totals_of(MINI)
    assert json.loads(other.stdout) != json.loads(first.stdout)


def _serve_fifo(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(data)

    t = threading.Thread(target=write, daemon=True)
    t.start()
    return t


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "agreement.fifo"
    os.mkfifo(fifo)
    writer = _serve_fifo(fifo, SHIPPED.read_bytes())
    done = subprocess.run([budget_executable(), "totals", "--format", "json", "--file", str(fifo)],
                          capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    writer.join(10)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == totals_of(SHIPPED)


@pytest.mark.skipif(shutil.which("bash") is None, reason="process substitution needs bash")
def test_process_substitution_and_a_pipe_in_a_real_shell(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "EXE": budget_executable(), "F": str(SHIPPED)}
    subst = subprocess.run(["bash", "-c", '"$EXE" validate -f <(cat "$F")'], capture_output=True, text=True,
                           check=False, env=env, timeout=120)
    assert subst.returncode == 0 and subst.stdout.startswith("ok:"), subst.stderr
    pipe = subprocess.run(["bash", "-c", 'cat "$F" | "$EXE" validate -f -'], capture_output=True, text=True,
                          check=False, env=env, timeout=120)
    assert pipe.returncode == 0 and pipe.stdout == subst.stdout


def test_devices_and_directories_stay_refused(tmp_path: Path) -> None:
    for path in ("/dev/null", str(tmp_path)):
        if not Path(path).exists():
            continue
        result = runner.invoke(app, ["validate", "-f", path])
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith(f"{path}: error:")
