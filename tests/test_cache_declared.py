"""Each command declares the parts of the agreement it reads (``commands.READS``); a cache entry's
declared parts are decoded before the report runs, and reading any other part is a bug.

Every command of ``commands.COMMANDS`` runs warm on the shipped file and on a fixture in strict mode,
where reading an undeclared part raises; a part that does not decode late is exit 3, never a reload.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budget2024 import cache, commands
from budget2024.commands import COMMANDS, READS, reads

from .conftest import FIXTURES, SHIPPED
from .test_cache import COMMANDS as CASES
from .test_cache import run
from .test_cache_untrusted import first_row, parts, rebuild, set_in


@pytest.fixture(autouse=True)
def _strict() -> object:
    cache.strict_reads = True
    yield
    cache.strict_reads = False
    cache.switch_off(False)


def test_every_command_declares_what_it_reads() -> None:
    assert set(READS) == set(COMMANDS)


@pytest.mark.parametrize("source", [SHIPPED, FIXTURES / "mini.yaml"], ids=["shipped", "mini"])
@pytest.mark.parametrize("args", [a for cases in CASES.values() for a in cases], ids=" ".join)
def test_no_command_reads_an_undeclared_part(args: list[str], source: Path, tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    file = Path(shutil.copy(source, d / "agreement.yaml"))
    cold = run(*args, "--file", file)
    warm = run(*args, "--file", file)  # raises UndeclaredRead on an undeclared read (run re-raises)
    assert warm == cold
    assert cache.last_status in ("hit", "refresh")


def test_a_declared_part_is_decoded_before_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session hands the report an agreement whose declared parts are already decoded."""
    from budget2024 import session

    file = Path(shutil.copy(FIXTURES / "mini.yaml", tmp_path / "agreement.yaml"))
    run("totals", "--file", file)
    left: list[str] = []
    real = session._agreement

    def spy(*a: object, **k: object) -> object:
        got = real(*a, **k)  # type: ignore[arg-type]
        assert isinstance(got, cache.LazyAgreement)
        d = got.__dict__
        for part in declared:  # what is still to decode when the report starts
            table, _, col = part.partition(".")
            if col:
                left.extend(part for c in d["_columns"][table] if c == col)
            elif table in d["_columns"]:
                left.extend(f"{table}.{c}" for c in d["_columns"][table])
            elif table in d["_blobs"]:
                left.append(table)
        return got

    declared = reads("totals")
    assert declared
    monkeypatch.setattr(session, "_agreement", spy)
    assert run("totals", "--format", "json", "--file", file)[0] == 0
    assert cache.last_status == "hit"
    assert left == []


def test_an_undeclared_part_that_does_not_decode_is_exit_3_not_a_reload(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.strict_reads = False  # production: an undeclared read is decoded then
    file = Path(shutil.copy(FIXTURES / "mini.yaml", tmp_path / "agreement.yaml"))
    assert run("validate", "--file", file)[0] == 0
    directory = cache.cache_dir()
    assert directory is not None
    (entry,) = cache.iter_entries(directory)
    _, header, blobs = parts(entry.read_bytes())
    set_in(header, blobs, "lines", "amounts", first_row(lambda v: [[v[0][0], str(v[0][1])], *v[1:]]))
    entry.write_bytes(rebuild(header, blobs))
    monkeypatch.setitem(READS, "totals", frozenset({"agreement"}))  # a forgotten declaration
    from budget2024.cli import _run

    monkeypatch.setattr("sys.argv", ["budget", "totals", "--format", "json", "--file", str(file)])
    assert _run() == 3
    assert not entry.exists()  # removed: the next run is a full load, and right
    monkeypatch.setitem(READS, "totals", commands.READS["totals"])
