"""Work bounded by the input's size, on inputs shaped to make it grow faster.

No wall-clock assertions: each test counts steps (characters scanned, lines printed), or compares
the work at two sizes of the same shape, where quadratic behaviour shows as a ratio near the square
of the sizes' ratio instead of near the ratio itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import budget2024
from budget2024 import render, yamlsource, yamlwords
from budget2024.cli import app
from budget2024.errors import LoadError, Problem

from .conftest import FIXTURES

runner = CliRunner()


def cost(fn: Callable[[], Any]) -> float:
    """The least CPU time of three runs (the least is the one least disturbed by other work)."""
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return max(best, 1e-6)


def grows_linearly(make: Callable[[int], Callable[[], Any]], n: int = 4000, factor: int = 8) -> float:
    """The ratio of the work at ``factor * n`` to the work at ``n``: about ``factor`` when linear,
    ``factor ** 2`` when quadratic. Sizes are chosen so that the small case is measurable."""
    small, large = make(n), make(n * factor)
    small()  # warm up (imports, compiled patterns)
    return cost(large) / cost(small)


# ----------------------------------------------------------------------------- aliases


class CountingPattern:
    """A stand-in for a compiled pattern that counts the characters it is asked to scan."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scanned = 0

    def search(self, text: str) -> re.Match[str] | None:
        self.scanned += len(text)
        return self.pattern.search(text)


def test_one_large_scalar_aliased_many_times_is_refused_after_work_bounded_by_the_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    big = "x" * 400_000
    text = f"a: &big {big}\nb: [" + ", ".join(["*big"] * 80_000) + "]\n"
    counting = CountingPattern(yamlsource._CONTROL_IN_VALUE)
    monkeypatch.setattr(yamlsource, "_CONTROL_IN_VALUE", counting)
    with pytest.raises(LoadError) as info:
        yamlsource.parse(text, "bomb.yaml")
    (problem,) = info.value.problems
    assert "aliases expand to more than" in problem.message
    assert problem.path.startswith("b[")
    # the scalar is scanned once, not once per alias (before: 80,000 times, 32 GB of characters)
    assert counting.scanned <= 2 * len(text)


def test_the_alias_bound_is_on_characters_as_well_as_values() -> None:
    # few values, many characters: within the count of values, over the bound on characters
    n = yamlsource.MAX_ALIAS_CHARS // 10_000 + 2
    text = "a: &s " + "y" * 10_000 + "\nb: [" + ", ".join(["*s"] * n) + "]\n"
    assert n < yamlsource.MAX_ALIAS_NODES
    with pytest.raises(LoadError) as info:
        yamlsource.parse(text, "wide.yaml")
    assert any("characters" in p.message for p in info.value.problems)


def test_aliases_within_the_bounds_still_load() -> None:
    text = "a: &s " + "y" * 1000 + "\nb: [" + ", ".join(["*s"] * 100) + "]\n"
    data = yamlsource.parse(text, "ok.yaml").data
    assert data["b"] == ["y" * 1000] * 100


# ----------------------------------------------------------------------------- regular expressions


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern at the top level of every module of the package, and the patterns
    the render module keeps as text (compiled when a table is first drawn)."""
    import importlib
    import pkgutil

    found: list[tuple[str, re.Pattern[str]]] = []
    for info in pkgutil.walk_packages(budget2024.__path__, "budget2024."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{info.name}.{name}", value))
    for name in ("_TRAILING_SPACE", "_WORD", "_ID_PARTS"):
        found.append((f"budget2024.render.{name}", re.compile(getattr(render, name))))
    return found


#: Shapes that make nested or adjacent unbounded quantifiers backtrack: long runs of one character
#: (space, digit, letter, dot, dash, colon) that end in a character that makes the match fail.
SHAPES = [lambda n, c=c, e=e: "a" + c * n + e for c in (" ", "1", "a", ".", "-", ":", "\u00a0", "a ")
          for e in ("b", "\n", ":")]

#: How the package uses each pattern: from the start of the text only ("match", "fullmatch") or
#: anywhere in it ("search", "finditer", "findall", "sub"). Every pattern must be listed here, so
#: that a new one is audited; the inline patterns of the package are listed too.
USES = {
    "budget2024.reports.followup._THRESHOLD": "match",
    "budget2024.fastyaml._NON_PRINTABLE": "search", "budget2024.fastyaml._NON_ASCII": "search",
    "budget2024.fastyaml._PLAIN_KEY": "match", "budget2024.fastyaml._DQ_KEY": "match",
    "budget2024.fastyaml._SQ_KEY": "match", "budget2024.fastyaml._DQ_VALUE": "match",
    "budget2024.fastyaml._SQ_VALUE": "match", "budget2024.fastyaml._ESCAPE": "search",
    "budget2024.fastyaml._FLOW_ENTRY": "search", "budget2024.fastyaml._FLOW_COVERED": "match",
    "budget2024.yamlsource._FORBIDDEN_CHAR": "search",
    "budget2024.yamlsource._CONTROL_IN_VALUE": "search", "budget2024.checks._NUMBER": "match",
    "budget2024.checks._HYPHEN_BREAK": "search", "budget2024.numbers.DANISH_THOUSANDS": "match",
    "budget2024.numbers.DANISH_DECIMAL": "match",
    "budget2024.reports.reconcile._WORD": "search",
    "budget2024.numbers.PLAIN_INT": "match", "budget2024.numbers.SECTION_NUMBER": "match",
    "budget2024.render._TRAILING_SPACE": "search", "budget2024.render._WORD": "match",
    "budget2024.render._ID_PARTS": "search", "budget2024.reports.filters._NUMBERED": "match",
    "budget2024.render.xlsx._BAD_NAME": "search", "budget2024.render.xlsx._DIGITS": "match",
    "budget2024.yamlwords._PLACEHOLDER": "search", "budget2024.language._CHOICE": "match",
}
INLINE = [("render word parts", re.compile(r"[^/-]*[/-]|[^/-]+"), "search")] + [
    (f"yamlwords {template}", pattern, "match") for pattern, template in yamlwords.patterns()]


def test_every_pattern_of_the_package_is_audited() -> None:
    names = {n for n, _ in _patterns()}
    assert "budget2024.fastyaml._FLOW_ENTRY" in names and "budget2024.render._TRAILING_SPACE" in names
    assert names <= set(USES), f"patterns not audited here: {sorted(names - set(USES))}"


AUDITED = [(n, p, USES.get(n, "search")) for n, p in _patterns()] + INLINE


@pytest.mark.parametrize(("name", "pattern", "use"), AUDITED, ids=[a[0] for a in AUDITED])
def test_every_pattern_takes_linear_time_on_long_runs(name: str, pattern: re.Pattern[str], use: str) -> None:
    worst = 0.0
    for shape in SHAPES:
        def make(n: int, shape: Callable[[int], str] = shape) -> Callable[[], Any]:
            text = shape(n)
            if use == "match":
                return lambda: (pattern.match(text), pattern.fullmatch(text))
            return lambda: (pattern.search(text), list(pattern.finditer(text)))

        worst = max(worst, grows_linearly(make, n=1500, factor=8))
    assert worst < 24, f"{name}: 8 times the input took {worst:.0f} times the work (quadratic: 64)"


def test_render_trailing_space_keeps_its_meaning() -> None:
    pattern = re.compile(render._TRAILING_SPACE)
    for text, want in [("a  ", "  "), ("a", None), ("   ", "   "), ("a b \t", " \t"), ("", None)]:
        m = pattern.search(text)
        assert (m.group(0) if m else None) == want, text


def test_reconcile_a_long_group_name_in_linear_time(tmp_path: Path) -> None:
    from budget2024.ledger import Ledger
    from budget2024.load import load
    from budget2024.reports.reconcile import reconcile

    def make(n: int) -> Callable[[], Any]:
        src = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
        path = tmp_path / f"g{n}.yaml"
        path.write_text(src.replace("group: 1. Første tema", f"group: '1 a{' ' * n}b'", 1), encoding="utf-8")
        ledger = Ledger(load(path))
        return lambda: reconcile(ledger)

    assert grows_linearly(make, n=20_000, factor=8) < 24


# ----------------------------------------------------------------------------- many problems


def test_many_problems_print_the_first_hundred_then_a_count() -> None:
    problems = [Problem("f.yaml", i, 1, f"unknown key 'k{i}'", "a key", "fix it") for i in range(1, 45_001)]
    err = LoadError(problems)
    text = err.format()
    assert text.count("error: unknown key") == 100
    assert "… and 44,900 more problems" in text
    assert text.endswith("45,000 problems found; nothing was changed.")
    assert len(err.problems) == 45_000  # all of them, for the JSON form
    assert len(text) < 30_000  # (before: 16-21 MB on stderr)


def test_a_file_with_thousands_of_unknown_keys_prints_a_bounded_message(tmp_path: Path) -> None:
    src = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    extra = "".join(f"unknown_{i}: 1\n" for i in range(5000))
    path = tmp_path / "keys.yaml"
    path.write_text(src + extra, encoding="utf-8")
    res = runner.invoke(app, ["validate", "--file", str(path)])
    assert res.exit_code == 2
    assert res.stderr.count(": error: ") == 100
    assert "more problems, not shown" in res.stderr
    assert "5,000 problems found" in res.stderr
