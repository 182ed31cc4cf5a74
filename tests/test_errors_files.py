"""Files as people really have them: too large, unreadable, not a file, BOM, CRLF, Windows-1252."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024 import filebytes, yamlsource
from budget2024.cli import app
from budget2024.errors import LoadError
from budget2024.load import load

from .conftest import FIXTURES, ROOT, SHIPPED

runner = CliRunner()


def validate(path: Path | str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["validate", "--file", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def only_problem(path: Path) -> yamlsource.Problem:
    with pytest.raises(LoadError) as info:
        load(path)
    assert len(info.value.problems) == 1, info.value.format()
    return info.value.problems[0]


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(yamlsource.MAX_BYTES + 1)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "read_text", no_reading)
    problem = only_problem(big)
    assert problem.line == 0
    assert f"{yamlsource.MAX_BYTES + 1:,} bytes" in problem.message
    assert "refused" in problem.message


def test_the_limit_is_on_size_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of exactly the limit is read; one byte more is refused."""
    monkeypatch.setattr(filebytes, "MAX_BYTES", 1000)
    text = "# padding\n" + "#" * 1000
    at, over = tmp_path / "at.yaml", tmp_path / "over.yaml"
    at.write_text(text[:1000], encoding="utf-8")
    over.write_text(text[:1001], encoding="utf-8")
    assert "only comments" in only_problem(at).message
    assert "1,001 bytes" in only_problem(over).message


def test_the_readme_states_the_limit() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"over {yamlsource.MAX_BYTES // (1024 * 1024)} MB" in readme


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text("schema_version: 1\n", encoding="utf-8")

    real_open = os.open

    def denied(name: object, *args: object, **kwargs: object) -> int:
        if os.fspath(name) == str(path):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    code, out, err = validate(path)
    assert (code, out) == (2, "")
    assert f"{path}: error: permission denied" in err
    assert "check the file's permissions" in err


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_for_real(tmp_path: Path) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text("schema_version: 1\n", encoding="utf-8")
    path.chmod(0)
    try:
        code, _, err = validate(path)
    finally:
        path.chmod(0o600)
    assert code == 2 and "permission denied" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_not_read_forever() -> None:
    code, _, err = validate("/dev/zero")
    assert code == 2
    assert "/dev/zero: error: this is not a regular file" in err


def test_a_path_through_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    code, _, err = validate(tmp_path / "a.yaml" / "b.yaml")
    assert code == 2 and "file not found" in err


def test_missing_empty_comments_and_directory_each_get_their_own_message(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_bytes(b"")
    (tmp_path / "comments.yaml").write_text("# only a comment\n", encoding="utf-8")
    (tmp_path / "dir.yaml").mkdir()
    messages = {}
    for name in ["missing.yaml", "empty.yaml", "comments.yaml", "dir.yaml"]:
        code, out, err = validate(tmp_path / name)
        assert (code, out) == (2, "")
        assert err.startswith(f"{tmp_path / name}: error: ")
        messages[name] = err.splitlines()[0].split(": error: ")[1]
    assert len(set(messages.values())) == 4, messages


def shipped_dump() -> dict[str, object]:
    return load(SHIPPED).model_dump()


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf"])
def test_bom_and_crlf_read_the_same(tmp_path: Path, variant: str) -> None:
    raw = SHIPPED.read_bytes()
    if "crlf" in variant:
        raw = raw.replace(b"\n", b"\r\n")
    if "bom" in variant:
        raw = b"\xef\xbb\xbf" + raw
    path = tmp_path / "agreement.yaml"
    path.write_bytes(raw)
    assert load(path).model_dump() == shipped_dump()


def test_positions_in_a_crlf_file_are_the_same(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("amounts: {2031: 4250}",
                                                                        "amounts: {2031: 4.250}")
    lf, crlf = tmp_path / "lf.yaml", tmp_path / "crlf.yaml"
    lf.write_bytes(text.encode())
    crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    a, b = only_problem(lf), only_problem(crlf)
    assert (a.line, a.column, a.message, a.hint) == (b.line, b.column, b.message, b.hint)


def test_windows_1252_names_the_first_offending_line(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    path = tmp_path / "agreement.yaml"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    first = next(i for i, line in enumerate(text.split("\n"), start=1) if not line.isascii())
    problem = only_problem(path)
    assert problem.line == first
    assert "not UTF-8" in problem.message
    assert problem.hint is not None and "save the file as UTF-8" in problem.hint


def test_latin1_in_the_middle_of_a_utf8_file(tmp_path: Path) -> None:
    """Someone pasted one Latin-1 line into a good file: that line, not the first, is named."""
    lines = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if "Besparelse på skoler" in line)
    raw = "\n".join(lines[:n]).encode() + b"\n" + lines[n].encode("latin-1") + b"\n" + \
        "\n".join(lines[n + 1:]).encode()
    path = tmp_path / "mixed.yaml"
    path.write_bytes(raw)
    problem = only_problem(path)
    assert problem.line == n + 1
    assert problem.column == lines[n].index("å") + 1


def test_the_safe_loader_never_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"x: !!python/object/apply:os.system ['touch {marker}']\n"
                    f"y: !!python/object/new:pathlib.Path ['{marker}']\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load(path)
    assert not marker.exists()
    assert [p.line for p in info.value.problems if "is not allowed" in p.message] == [1, 2]


def test_an_alias_bomb_stops_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting, not timing: the builder is asked for a bounded number of values."""
    calls = 0
    build = yamlsource._Builder.build

    def counting(self: yamlsource._Builder, *args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return build(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlsource._Builder, "build", counting)
    levels = ["a0: &a0 [" + ", ".join(["x"] * 50) + "]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 50) + "]" for i in range(1, 9)]  # 50**9 values
    with pytest.raises(LoadError) as info:
        yamlsource.parse("\n".join(levels) + "\n", "bomb.yaml")
    assert "aliases expand to more than" in info.value.problems[0].message
    assert calls < 3 * yamlsource.MAX_ALIAS_NODES


@pytest.mark.parametrize("depth", [yamlsource.MAX_DEPTH + 1, 300_000])
def test_deep_nesting_is_refused_not_a_crash(depth: int) -> None:
    """300.000 levels would overflow the C stack of PyYAML's own composer."""
    with pytest.raises(LoadError) as info:
        yamlsource.parse("[" * depth + "]" * depth + "\n", "deep.yaml")
    assert "nested more than" in info.value.problems[0].message


def test_nesting_below_the_limit_is_fine() -> None:
    depth = yamlsource.MAX_DEPTH - 1
    source = yamlsource.parse("a: " + "[" * depth + "]" * depth + "\n", "ok.yaml")
    assert source.data["a"] == eval("[" * depth + "]" * depth)


def test_deep_nesting_through_aliases_is_refused() -> None:
    chain = ["l0: &l0 [1]"] + [f"l{i}: &l{i} [*l{i - 1}]" for i in range(1, yamlsource.MAX_DEPTH + 5)]
    with pytest.raises(LoadError) as info:
        yamlsource.parse("\n".join(chain) + "\n", "chain.yaml")
    assert "nested more than" in info.value.problems[0].message


def test_problems_are_sorted_and_counted() -> None:
    from budget2024.errors import Problem

    err = LoadError([Problem("f", 9, 1, "b", "x", "y"), Problem("f", 2, 5, "a", "x", "y"), Problem("f", 0, 0, "c")])
    assert [p.line for p in err.problems] == [0, 2, 9]
    text = err.format()
    assert text.splitlines()[0] == "f: error: c"
    assert text.splitlines()[1] == "f:2:5: error: a"
    assert text.endswith("3 problems found; nothing was changed.")
