"""The whole-document checks are a list of named functions run in order, and the strategy's checks
need no parsed source until there is something to locate."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget2024 import checks, strategy_checks
from budget2024.errors import LoadError, Problem
from budget2024.load import load_bytes

VALID = (Path(__file__).resolve().parent / "catalogue" / "valid-strategy.yaml").read_text(encoding="utf-8")


def test_adding_a_check_is_adding_a_function_to_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_agreements_at_all(c: checks.Context) -> list[Problem]:
        return [c.source.problem(("agreement",), "refused by a new check", "nothing", "remove the file")]

    load_bytes(VALID.encode(), "valid.yaml")  # valid with the shipped list
    monkeypatch.setattr(checks, "CHECKS", [*checks.CHECKS, no_agreements_at_all])
    with pytest.raises(LoadError) as exc:
        load_bytes(VALID.encode(), "valid.yaml")
    (problem,) = exc.value.problems
    assert problem.message == "refused by a new check"
    assert problem.line == 4  # located at the agreement's mapping


def test_every_check_is_named_and_runs_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    originals = list(checks.CHECKS)
    assert all(f.__doc__ for f in originals), "each check says what it checks"
    ran: list[str] = []

    def spy(check: checks.Check) -> checks.Check:
        def run(c: checks.Context) -> list[Problem]:
            ran.append(check.__name__)
            return check(c)
        return run

    monkeypatch.setattr(checks, "CHECKS", [spy(f) for f in originals])
    load_bytes(VALID.encode(), "valid.yaml")
    assert ran == [f.__name__ for f in originals]


def test_the_overslag_example_follows_the_agreements_own_years() -> None:
    text = VALID.replace("overslag_years: [2031, 2032, 2033]", "overslag_years: [2031, 2031]")
    with pytest.raises(LoadError) as exc:
        load_bytes(text.encode(), "two.yaml")
    (problem,) = [p for p in exc.value.problems if "overslag year" in p.message]
    assert problem.expected is not None and "[2031, 2032]" in problem.expected
    assert "three" not in (problem.hint or "")


def test_strategy_findings_are_located_only_with_a_source() -> None:
    found = strategy_checks.unknown_figure(("key_figures", "debts"), "debts", ["debt", "population"])
    assert found is not None and found.hint == "did you mean 'debt'?" and found.path == ("key_figures", "debts")
    from budget2024.yamlsource import parse

    source = parse("key_figures:\n  debts: {2024: 1}\n", "f.yaml")
    (problem,) = strategy_checks.locate(source, [found])
    assert (problem.file, problem.line, problem.message) == ("f.yaml", 2, "unknown key figure 'debts'")
    (whole,) = strategy_checks.locate(source, [strategy_checks.Finding(None, "no strategy")])
    assert (whole.line, whole.column) == (0, 0)
