"""A cache entry is untrusted input: whatever an entry holds, the output is the file's own.

An entry with a recomputed checksum whose values do not have the schema's types (string or float
amounts, string year keys, nulls where the schema has none, another schema's description) is a
miss: the file is loaded in full and the entry rewritten; never exit 3, never a wrong number. The
miss is decided before the report starts: the report is fed by the cache or by the full load, never
by a cache row that fails later (the session decodes the parts a command declares up front). A
FIFO at an entry's path is never opened for reading in a way that blocks, and pruning removes
only the tool's own entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from budget2024 import cache, cacheschema
from budget2024.cli import app
from budget2024.commands import reads
from budget2024.model import Agreement

from .conftest import FIXTURES, budget_executable

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cache_on() -> object:
    yield
    cache.switch_off(False)


def run(*args: str | Path) -> tuple[int, str, str]:
    res = runner.invoke(app, [str(a) for a in args])
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return Path(shutil.copy(FIXTURES / "mini.yaml", d / "agreement.yaml"))


def the_entry() -> Path:
    directory = cache.cache_dir()
    assert directory is not None
    (entry,) = cache.iter_entries(directory)
    return entry


def parts(data: bytes) -> tuple[bytes, dict[str, Any], list[Any]]:
    first, header, *blobs = data.split(b"\n")
    assert blobs[-1] == b""
    return first, json.loads(header), [json.loads(b) for b in blobs[:-1]]


def rebuild(header: dict[str, Any], blobs: list[Any]) -> bytes:
    """An entry with these parts, lengths and checksum made right: intact, as a forger would write it."""
    encoded = [json.dumps(b, separators=(",", ":")).encode() + b"\n" for b in blobs]
    for part, blob in zip(header["parts"], encoded, strict=True):
        part[3] = len(blob)
    rest = json.dumps(header, separators=(",", ":")).encode() + b"\n" + b"".join(encoded)
    return b"budget2024-cache " + str(cache.CACHE_FORMAT).encode() + b" " + \
        hashlib.sha256(rest).hexdigest().encode() + b"\n" + rest


def column(header: dict[str, Any], name: str, col: str | None) -> int:
    return next(i for i, p in enumerate(header["parts"]) if p[0] == name and p[1] == col)


def set_in(header: dict[str, Any], blobs: list[Any], name: str, col: str | None, change: Callable[[Any], Any]
           ) -> None:
    i = column(header, name, col)
    blobs[i] = change(blobs[i])


def first_row(fn: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    return lambda col: [fn(col[0]), *col[1:]]


#: Tamperings a sync tool, a script or a restore from backup might leave in an entry.
TAMPER: dict[str, tuple[str, str | None, Callable[[Any], Any]]] = {
    "a string amount": ("lines", "amounts", first_row(lambda v: [[v[0][0], str(v[0][1])], *v[1:]])),
    "a float amount": ("lines", "amounts", first_row(lambda v: [[v[0][0], v[0][1] + 0.5], *v[1:]])),
    "a true amount": ("lines", "amounts", first_row(lambda v: [[v[0][0], True], *v[1:]])),
    "a string year key": ("lines", "amounts", first_row(lambda v: [[str(v[0][0]), v[0][1]], *v[1:]])),
    "a float year key": ("lines", "amounts", first_row(lambda v: [[v[0][0] + 0.0, v[0][1]], *v[1:]])),
    "a year given twice": ("lines", "amounts", first_row(lambda v: [v[0], v[0], *v[1:]])),
    "null amounts": ("lines", "amounts", first_row(lambda v: None)),
    "a null title": ("lines", "title", first_row(lambda v: None)),
    "a number as a title": ("lines", "title", first_row(lambda v: 17)),
    "an unknown kind": ("lines", "kind", first_row(lambda v: "other")),
    "a null row of bodies": ("bodies", "name", first_row(lambda v: None)),
    "a column too short": ("lines", "id", lambda col: col[:-1]),
    "a string budget year": ("agreement", None, lambda d: {**d, "budget_year": str(d["budget_year"])}),
    "a float overslag year": ("agreement", None, lambda d: {**d, "overslag_years": [2031.0, *d["overslag_years"][1:]]}),
    "a wrong schema version": ("schema_version", None, lambda v: 2),
    "a date that is a number": ("agreement", None, lambda d: {**d, "signed": 20231004}),
}


@pytest.fixture
def fed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What fed each report, in order: "cache" or "full" when the session hands the agreement over,
    "late failure" when a part of a cache entry fails to decode after that (never expected).
    Reading a part the command did not declare raises (strict mode)."""
    from budget2024 import session

    events: list[str] = []
    real_agreement, real_remove = session._agreement, cache.LazyAgreement._remove

    def agreement(*a: Any, **k: Any) -> Any:
        got = real_agreement(*a, **k)
        events.append("cache" if isinstance(got, cache.LazyAgreement) else "full")
        return got

    def remove(self: cache.LazyAgreement) -> None:
        if self.__dict__["_prepared"]:
            events.append("late failure")
        real_remove(self)

    monkeypatch.setattr(session, "_agreement", agreement)
    monkeypatch.setattr(cache.LazyAgreement, "_remove", remove)
    monkeypatch.setattr(cache, "strict_reads", True)
    return events


def declared(command: str, name: str, col: str | None) -> bool:
    parts = reads(command)
    return parts is None or name in parts or f"{name}.{col}" in parts or name == "schema_version"


@pytest.mark.parametrize("what", list(TAMPER))
def test_a_tampered_entry_is_a_miss_never_a_crash_or_a_wrong_number(mini: Path, what: str, fed: list[str]
                                                                    ) -> None:
    truth = run("--no-cache", "lines", "--format", "json", "--file", mini)
    assert truth[0] == 0
    assert run("validate", "--file", mini)[0] == 0
    entry = the_entry()
    first, header, blobs = parts(entry.read_bytes())
    name, col, change = TAMPER[what]
    set_in(header, blobs, name, col, change)
    bad = rebuild(header, blobs)
    entry.write_bytes(bad)
    for command in (["lines", "--format", "json"], ["totals", "--format", "json"]):
        del fed[:]
        forged = entry.exists() and entry.read_bytes() == bad
        got = run(*command, "--file", mini)
        # decided before the report: a command that reads the forged part got a full load, and no
        # part failed once the report had the agreement (an undeclared read would have raised)
        assert "late failure" not in fed, what
        if forged:
            assert fed == (["full"] if declared(command[0], name, col) else ["cache"]), what
        want = run("--no-cache", *command, "--file", mini)
        assert got == want, what
    # the entry was rewritten with the file's own data: the next run is a hit, and right
    assert run("lines", "--format", "json", "--file", mini) == truth
    assert cache.last_status == "hit"


def test_the_untampered_rebuild_is_used(mini: Path) -> None:
    """The control for the test above: an entry rebuilt with no change is trusted (a hit)."""
    assert run("validate", "--file", mini)[0] == 0
    entry = the_entry()
    _, header, blobs = parts(entry.read_bytes())
    set_in(header, blobs, "lines", "title", first_row(lambda v: "Forged title"))
    entry.write_bytes(rebuild(header, blobs))
    got = run("lines", "--format", "json", "--file", mini)
    assert cache.last_status == "hit"
    assert "Forged title" in got[1]


def test_an_entry_describing_another_schema_is_a_miss(mini: Path) -> None:
    assert run("validate", "--file", mini)[0] == 0
    entry = the_entry()
    _, header, blobs = parts(entry.read_bytes())
    header["models"]["Line"]["fields"]["amounts"] = "s"  # "amounts are text": decode them as they stand
    i = column(header, "lines", "amounts")
    header["parts"][i][2] = "s"
    blobs[i] = [json.dumps(v) for v in blobs[i]]
    entry.write_bytes(rebuild(header, blobs))
    got = run("totals", "--format", "json", "--file", mini)
    assert cache.last_status == "corrupt"
    assert got == run("--no-cache", "totals", "--format", "json", "--file", mini)


def test_the_trusted_schema_is_what_the_models_give() -> None:
    assert cache.describe(Agreement) == (cacheschema.ROOT, cacheschema.MODELS)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_at_the_entrys_path_does_not_hang(mini: Path, tmp_path: Path) -> None:
    assert run("validate", "--file", mini)[0] == 0
    entry = the_entry()
    entry.unlink()
    os.mkfifo(entry)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.cache_dir().parent)}  # type: ignore[union-attr]
    for command in (["totals"], ["validate"]):
        res = subprocess.run([budget_executable(), *command, "--file", str(mini)], capture_output=True, text=True,
                             env=env, timeout=60)
        assert res.returncode == 0, res.stderr
    assert run("totals", "--file", mini)[0] == 0


def test_pruning_removes_only_the_tools_own_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = cache.cache_dir()
    assert directory is not None
    directory.mkdir(parents=True)
    mine = [directory / f"notes-{i}.jsonl" for i in range(10)]
    lookalike = [directory / (f"{i:064x}.jsonl") for i in range(10)]  # the right name, not the magic line
    for p in mine + lookalike:
        p.write_text('{"a user\'s": "own file"}\n', encoding="utf-8")
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    written = []
    for n in range(5):
        f = tmp_path / f"a{n}.yaml"
        f.write_text((FIXTURES / "mini.yaml").read_text(encoding="utf-8") + f"# {n}\n", encoding="utf-8")
        assert run("validate", "--file", f)[0] == 0
        written.append(f)
    assert all(p.exists() for p in mine + lookalike)
    assert len(list(cache.iter_entries(directory))) == 2


def test_a_subprocess_reads_a_tampered_entry_as_a_miss(mini: Path) -> None:
    assert run("validate", "--file", mini)[0] == 0
    entry = the_entry()
    _, header, blobs = parts(entry.read_bytes())
    set_in(header, blobs, "lines", "amounts", first_row(lambda v: [[v[0][0], str(v[0][1])], *v[1:]]))
    entry.write_bytes(rebuild(header, blobs))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.cache_dir().parent)}  # type: ignore[union-attr]
    res = subprocess.run([budget_executable(), "totals", "--format", "json", "--file", str(mini)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout == run("--no-cache", "totals", "--format", "json", "--file", mini)[1]
