"""The validated-data cache: every command gives the same output from it, and a stale or
corrupt entry is never used.

The strongest evidence that an entry is not used: a *forged* entry (intact, with the right
key and checksum, but holding another agreement) does change the output when it is used
(``test_a_forged_entry_is_used``), and each stale or corrupt variant of it does not.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from budget2024 import cache, session
from budget2024.cli import app
from budget2024.commands import COMMANDS as ALL_COMMANDS
from budget2024.load import load

from .conftest import FIXTURES, SHIPPED

runner = CliRunner()
#: Where `budget site` writes in these tests (a folder of its own, replaced on every run).
SITE_DIR = Path(tempfile.mkdtemp(prefix="budget-site-cache-tests-"))
atexit.register(shutil.rmtree, SITE_DIR, True)
#: A made-up follow-up file for the shipped agreement.
FOLLOWUP = FIXTURES / "followup" / "shipped-kmu.yaml"

#: Every command, with arguments for the shipped agreement, in each of its output formats.
COMMANDS: dict[str, list[list[str]]] = {
    "validate": [["validate"], ["validate", "--format", "json"]],
    "totals": [["totals"], ["totals", "--year", "2025", "--format", "json"], ["totals", "--kind", "anlaeg",
                                                                             "--format", "csv"]],
    "lines": [["lines", "--format", "json"], ["lines", "--kind", "drift"]],
    "committee": [["committee", "Klima- og Miljøudvalget"], ["committee", "KMU", "--format", "json"],
                  ["committee", "oekonomi", "--year", "2026", "--format", "markdown"],
                  ["committee", "grønt omstillingsudvalg", "--format", "json"]],
    "committees": [["committees"], ["committees", "--format", "json"]],
    "list": [["list"], ["list", "--format", "json"], ["list", "--search", "skole", "--with-amounts",
                                                      "--format", "json"]],
    "show": [["show", "1.1-borgermillionen"], ["show", "1.1-borgermillionen", "--format", "json"],
             ["show", "3.3.2-tid-med-boern", "--format", "json"], ["show", "4.2.1-kolonihaver"]],
    "reconcile": [["reconcile"], ["reconcile", "--format", "json"]],
    "check-strategy": [["check-strategy"], ["check-strategy", "--format", "json"],
                       ["check-strategy", "--format", "junit"],
                       # the overlay names rows: they are read from the cached agreement on a warm run
                       ["check-strategy", "--figures", str(FIXTURES / "strategy" / "shipped-rows.yaml")],
                       ["check-strategy", "--figures", str(FIXTURES / "strategy" / "shipped-rows.yaml"),
                        "--format", "json"]],
    "export": [["export", "fdp", str(Path(tempfile.mkdtemp(prefix="budget-export-")) / "fdp"), "--force",
                "--format", "json"]],
    "site": [["site", str(SITE_DIR / "site")], ["site", str(SITE_DIR / "site"), "--lang", "da"]],
    "status": [["status", "klima", "--followup", str(FOLLOWUP), "--as-of", "2024-03-31"],
               ["status", "klima", "--followup", str(FOLLOWUP), "--as-of", "2024-09-30", "--format", "json"],
               ["status", "KMU", "--followup", str(FOLLOWUP), "--as-of", "2024-09-30", "--format", "markdown"]],
    "followup": [["followup", "--followup", str(FOLLOWUP)], ["followup", "--followup", str(FOLLOWUP), "--format",
                                                             "json"],
                 ["followup", "init", "--committee", "klima"]],
}
#: Commands not in the table: `schema` reads no agreement file; `diff` reads two (one cache entry
#: each), and tests/test_diff.py checks that its output is the same cold, warm and without cache.
NOT_HERE = {"schema", "diff"}


@pytest.fixture(autouse=True)
def _cache_switched_on() -> object:
    """``--no-cache`` switches the cache off for the process; the next test starts with it on."""
    yield
    cache.switch_off(False)


def run(*args: str | Path) -> tuple[int, str, str]:
    res = runner.invoke(app, [str(a) for a in args])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A private copy of the shipped agreement, in a directory of its own."""
    d = tmp_path / "data"
    d.mkdir()
    return Path(shutil.copy(SHIPPED, d / "agreement.yaml"))


def key_of(path: Path) -> Path:
    directory = cache.cache_dir()
    assert directory is not None
    return cache.entry_path(directory, cache.identity(cache.file_sha256(path)))


def entries() -> list[Path]:
    directory = cache.cache_dir()
    assert directory is not None
    return list(cache.iter_entries(directory)) if directory.exists() else []


def test_every_command_is_covered() -> None:
    assert set(COMMANDS) | NOT_HERE == set(ALL_COMMANDS)


@pytest.mark.parametrize("args", [a for cases in COMMANDS.values() for a in cases], ids=" ".join)
def test_output_is_the_same_cold_warm_and_without_cache(args: list[str], shipped: Path) -> None:
    cold = run(*args, "--file", shipped)
    cold_status = cache.last_status
    warm = run(*args, "--file", shipped)
    warm_status = cache.last_status
    off = run("--no-cache", *args, "--file", shipped)
    assert cold[0] in (0, 1), cold
    assert cold == warm == off
    if args[0] == "validate":  # validate always reads the file itself, and refreshes the entry
        assert (cold_status, warm_status) == ("refresh", "refresh")
    else:
        # "hit" also proves that no part of the entry failed to decode (that would be "corrupt")
        assert (cold_status, warm_status) == ("miss", "hit")
    assert len(entries()) == 1


# ----------------------------------------------------------------------------- the records


def _same(pyd: object, light: object, path: str) -> None:
    """``light`` has every attribute of the pydantic object ``pyd``, with equal values of the same types."""
    if isinstance(pyd, BaseModel):
        assert type(light).__name__ == type(pyd).__name__ or path == "agreement", path
        for name in type(pyd).model_fields:
            _same(getattr(pyd, name), getattr(light, name), f"{path}.{name}")
        for name, attr in vars(type(pyd)).items():
            if isinstance(attr, property) and not name.startswith("_"):
                _same(getattr(pyd, name), getattr(light, name), f"{path}.{name}")
        return
    assert type(light) is type(pyd), (path, type(pyd), type(light))
    if isinstance(pyd, list):
        assert len(light) == len(pyd), path  # type: ignore[arg-type]
        for i, (a, b) in enumerate(zip(pyd, light, strict=True)):  # type: ignore[call-overload]
            _same(a, b, f"{path}[{i}]")
    elif isinstance(pyd, dict):
        assert list(light) == list(pyd), path  # type: ignore[call-overload]
        for k, v in pyd.items():
            assert type(next(x for x in light if x == k)) is type(k), path  # type: ignore[attr-defined]
            _same(v, light[k], f"{path}[{k!r}]")  # type: ignore[index]
    else:
        assert light == pyd, path


@pytest.mark.parametrize("name", ["shipped", "mini.yaml", "committee.yaml", "strategy/agreement.yaml"])
def test_the_cached_agreement_equals_the_loaded_one(name: str, tmp_path: Path) -> None:
    path = SHIPPED if name == "shipped" else FIXTURES / name
    full = load(path)
    ident = cache.identity(cache.file_sha256(path))
    entry = cache.write_entry(tmp_path / "c", path, ident, full)
    assert entry is not None
    light = cache.read_entry(entry, ident, path)
    assert light is not None
    _same(full, light, "agreement")
    assert light.model_dump(mode="json") == full.model_dump(mode="json")
    assert light.model_dump() == full.model_dump()
    assert light.__dict__["_full"] is None  # nothing fell back to a full load
    assert light.agreement.years == full.agreement.years  # a property, stored with the record
    assert light.lines[0] == light.lines[0] and light.lines[0] != light.lines[1]
    with pytest.raises(AttributeError):
        light.lines[0].amounts = {}  # type: ignore[misc]


def test_a_schema_the_cache_cannot_store_is_not_cached(tmp_path: Path) -> None:
    class Odd(BaseModel):
        tags: set[str]

    with pytest.raises(cache.Unsupported):
        cache.describe(Odd)
    assert cache.write_entry(tmp_path, FIXTURES / "mini.yaml", {"x": 1}, Odd(tags={"a"})) is None  # type: ignore[arg-type]
    assert not list(tmp_path.glob("*.jsonl"))


# ----------------------------------------------------------------------------- stale and corrupt entries


def rechecksum(data: bytes) -> bytes:
    """An entry with its first line's checksum made right again."""
    first, rest = data.split(b"\n", 1)
    magic, fmt, _ = first.split()
    return b" ".join([magic, fmt, hashlib.sha256(rest).hexdigest().encode()]) + b"\n" + rest


def edit_header(data: bytes, **changes: object) -> bytes:
    first, header, rest = data.split(b"\n", 2)
    h = json.loads(header)
    h.update(changes)
    return rechecksum(first + b"\n" + json.dumps(h).encode() + b"\n" + rest)


@pytest.fixture
def forged(shipped: Path, tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """(key of the shipped copy, a genuine entry of *another* agreement, that entry forged for the key)."""
    other = Path(shutil.copy(FIXTURES / "mini.yaml", tmp_path / "other.yaml"))
    assert run("totals", "--format", "json", "--file", other)[0] == 0
    genuine = key_of(other).read_bytes()
    key_of(other).unlink()
    return key_of(shipped), genuine, edit_header(genuine, file_sha256=cache.file_sha256(shipped))


def true_totals(shipped: Path) -> tuple[int, str, str]:
    return run("--no-cache", "totals", "--format", "json", "--file", shipped)


def test_a_forged_entry_is_used(shipped: Path, forged: tuple[Path, bytes, bytes]) -> None:
    """The control for the tests below: an intact entry is trusted, so its data shows in the output."""
    key, _, fake = forged
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(fake)
    got = run("totals", "--format", "json", "--file", shipped)
    assert cache.last_status == "hit"
    assert got != true_totals(shipped)
    assert json.loads(got[1])["years"][0]["year"] == 2030  # the other agreement's years


def _flip_digit(data: bytes) -> bytes:
    i = data.rindex(b"2031")  # an amount's year, in the last part of the entry
    return data[:i] + b"3" + data[i + 1:]


CORRUPTIONS: dict[str, Callable[[bytes, bytes], bytes]] = {
    # stale: written for other bytes, another version, other code, another schema
    "another file's entry": lambda genuine, fake: genuine,
    "another tool version": lambda genuine, fake: edit_header(fake, tool_version="0.0.0"),
    "other code": lambda genuine, fake: edit_header(fake, code="0" * 64),
    "another schema version": lambda genuine, fake: edit_header(fake, schema_version=99),
    "another cache format": lambda genuine, fake: edit_header(fake, cache_format=99),
    # corrupt
    "a digit changed": lambda genuine, fake: _flip_digit(fake),
    "truncated": lambda genuine, fake: fake[: len(fake) // 2],
    "one byte short": lambda genuine, fake: fake[:-1],
    "a byte more": lambda genuine, fake: fake + b" ",
    "wrong checksum": lambda genuine, fake: fake[:19] + b"00000000" + fake[27:],
    "empty": lambda genuine, fake: b"",
    "garbage": lambda genuine, fake: os.urandom(4096),
    "not UTF-8": lambda genuine, fake: b"\xff\xfe" + fake,
    "JSON that is not an entry": lambda genuine, fake: rechecksum(b"budget2024-cache 2 x\n[1, 2, 3]\n"),
    "a header without parts": lambda genuine, fake: edit_header(fake, parts=[]),
    "parts longer than the file": lambda genuine, fake: edit_header(
        fake, parts=[[p[0], p[1], p[2], p[3] + 1] for p in json.loads(fake.split(b"\n")[1])["parts"]]),
}


@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_a_stale_or_corrupt_entry_is_never_used(kind: str, shipped: Path,
                                                forged: tuple[Path, bytes, bytes]) -> None:
    key, genuine, fake = forged
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(CORRUPTIONS[kind](genuine, fake))
    got = run("totals", "--format", "json", "--file", shipped)
    assert cache.last_status in ("stale", "corrupt")
    assert got == true_totals(shipped)  # the file's own data, no error
    assert got[2] == ""
    # and the entry is replaced by a good one
    assert run("totals", "--format", "json", "--file", shipped) == got
    assert cache.last_status == "hit"


def test_an_entry_whose_content_does_not_decode_falls_back_to_a_full_load(shipped: Path) -> None:
    """An intact entry (right checksum) whose rows do not decode: the rows come from a full load."""
    run("totals", "--file", shipped)
    key = key_of(shipped)
    data = key.read_bytes()
    bad = rechecksum(data.replace(b'"drift"', b'"dr1ft"'))
    assert bad != data
    key.write_bytes(bad)
    got = run("totals", "--format", "json", "--file", shipped)
    assert cache.last_status == "corrupt"
    assert got == true_totals(shipped)
    assert not key.exists() or key.read_bytes() != bad


def test_an_entry_that_is_a_directory_is_not_an_error(shipped: Path) -> None:
    key_of(shipped).mkdir(parents=True)
    assert run("totals", "--format", "json", "--file", shipped) == true_totals(shipped)


def test_a_changed_file_is_read_again(shipped: Path) -> None:
    run("totals", "--year", "2025", "--format", "json", "--file", shipped)
    text = shipped.read_text(encoding="utf-8")
    changed = text.replace("amounts: {2024: -41000, 2025: -70000, 2026: -104000, 2027: -135000}",
                           "amounts: {2024: -41000, 2025: -70001, 2026: -104000, 2027: -135000}", 1)
    changed = changed.replace('raw: "Kendt sparemål  -41.000 -70.000 -104.000', 'raw: "Kendt sparemål  -41.000 '
                              '-70.001 -104.000', 1)
    assert changed != text
    shipped.write_text(changed, encoding="utf-8")
    code, out, _ = run("totals", "--year", "2025", "--format", "json", "--file", shipped)
    assert cache.last_status == "miss"
    assert code == 0
    before = json.loads(true_totals_for(SHIPPED))["kinds"]["drift"]["net"]
    assert json.loads(out)["kinds"]["drift"]["net"] == before - 1


def true_totals_for(path: Path) -> str:
    return run("--no-cache", "totals", "--year", "2025", "--format", "json", "--file", path)[1]


def test_a_changed_file_that_is_now_invalid_is_an_error_not_a_cache_hit(shipped: Path) -> None:
    assert run("totals", "--file", shipped)[0] == 0
    shipped.write_text(shipped.read_text(encoding="utf-8").replace("amounts: {2024: -41000,",
                                                                   "amounts: {2024: -41.000,", 1), encoding="utf-8")
    code, out, err = run("totals", "--file", shipped)
    assert code == 2
    assert "-41.000" in err and out == ""


# ----------------------------------------------------------------------------- turning it off, where it goes


@pytest.mark.parametrize("how", ["--no-cache", "BUDGET_NO_CACHE=1"])
def test_the_cache_can_be_turned_off(how: str, shipped: Path, forged: tuple[Path, bytes, bytes],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    key, _, fake = forged
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(fake)  # would be used if the cache were read (see test_a_forged_entry_is_used)
    before = sorted(p.name for p in key.parent.iterdir())
    args = ["totals", "--format", "json", "--file", str(shipped)]
    if how == "--no-cache":
        args.insert(0, "--no-cache")
    else:
        monkeypatch.setenv("BUDGET_NO_CACHE", "1")
    got = run(*args)
    assert cache.last_status == "off"
    assert json.loads(got[1])["years"][0]["year"] == 2024
    assert sorted(p.name for p in key.parent.iterdir()) == before  # nothing written either
    assert key.read_bytes() == fake


@pytest.mark.parametrize("value", ["", "0"])
def test_budget_no_cache_empty_or_zero_leaves_it_on(value: str, shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_NO_CACHE", value)
    run("totals", "--file", shipped)
    run("totals", "--file", shipped)
    assert cache.last_status == "hit"


def test_validate_never_trusts_the_cache(shipped: Path, forged: tuple[Path, bytes, bytes]) -> None:
    key, _, fake = forged
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(fake)
    code, out, _ = run("validate", "--file", shipped)
    assert code == 0
    assert "121 appendix rows" in out  # the shipped file's, not the other agreement's 5 rows
    assert key.read_bytes() != fake  # and the entry is refreshed
    run("totals", "--format", "json", "--file", shipped)
    assert cache.last_status == "hit"


def test_nothing_is_written_beside_the_data_file(shipped: Path) -> None:
    for args in COMMANDS.values():
        run(*args[0], "--file", shipped)
    assert sorted(p.name for p in shipped.parent.iterdir()) == ["agreement.yaml"]
    directory = cache.cache_dir()
    assert directory is not None and directory.is_dir() and len(entries()) == 1


def test_not_even_when_the_cache_directory_is_the_data_files_own(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "budget2024"
    data_dir.mkdir()
    f = Path(shutil.copy(SHIPPED, data_dir / "agreement.yaml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the cache directory would be data_dir
    assert run("totals", "--file", f)[0] == 0
    assert sorted(p.name for p in data_dir.iterdir()) == ["agreement.yaml"]


def test_an_unwritable_cache_is_not_an_error(shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert run("totals", "--format", "json", "--file", shipped) == true_totals(shipped)


def test_the_xdg_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "budget2024"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the spec says
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "budget2024"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "budget2024"


def test_entries_are_json_lines_not_pickle(shipped: Path) -> None:
    run("totals", "--file", shipped)
    first, *rest = key_of(shipped).read_bytes().decode("ascii").splitlines()
    assert first.startswith("budget2024-cache 2 ")
    header = json.loads(rest[0])
    assert header["file_sha256"] == hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert header["schema_version"] == 1
    for line in rest[1:]:  # one JSON document per part
        json.loads(line)


def test_old_entries_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    files = []
    for i in range(4):
        f = tmp_path / f"a{i}.yaml"
        f.write_text(SHIPPED.read_text(encoding="utf-8") + f"\n# copy {i}\n", encoding="utf-8")
        files.append(f)
        assert run("totals", "--file", f)[0] == 0
        os.utime(key_of(f), (1_000_000 + i, 1_000_000 + i))
    assert sorted(entries()) == sorted([key_of(files[2]), key_of(files[3])])


def test_the_cache_carries_readings_inferred_bodies_and_section_17_4(shipped: Path) -> None:
    # a cold run writes the entry, a warm one rebuilds the agreement from it
    assert run("totals", "--file", shipped)[0] == 0
    light = session.load_agreement(shipped)
    assert cache.last_status == "hit"
    full = load(shipped)
    targets = {t.id: t for t in light.strategy.targets}
    assert targets["operating-surplus"].reading == {t.id: t for t in full.strategy.targets}["operating-surplus"].reading
    assert targets["operating-surplus"].reading and targets["liquidity"].reading is None
    assert light.key_figures["service_frame"].reading == full.key_figures["service_frame"].reading is not None
    bodies = {b.id: b for b in light.bodies}
    assert bodies["groent-omstillingsudvalg"].section_17_4 is True and bodies["oekonomi"].section_17_4 is False
    section = next(s for s in light.sections if s.id == "3.3.2")
    assert section.bodies[0].inferred == next(s for s in full.sections if s.id == "3.3.2").bodies[0].inferred
    assert section.bodies[0].inferred
    ini = next(i for i in light.initiatives if i.id == "4.2.1-kolonihaver")
    assert ini.prose_amounts[0].reading and "årligt" in ini.prose_amounts[0].reading
