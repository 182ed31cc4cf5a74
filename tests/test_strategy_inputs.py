"""check-strategy's inputs and evaluation: figures overlays, target validation, the metric registry,
exact comparisons, and the terminal rendering."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from budget2024.errors import LoadError
from budget2024.figures import load_overlay
from budget2024.keyfigures import merge
from budget2024.render.strategy import print_check
from budget2024.reports.strategy import METRICS, check
from budget2024.session import load_inputs
from budget2024.vocab import FIGURE_UNITS

from .conftest import FIXTURES

STRATEGY = FIXTURES / "strategy"
AGREEMENT = STRATEGY / "agreement.yaml"
TARGETS_START = "  targets:\n"
TARGETS_END = "\nkey_figures:\n"


def with_targets(tmp_path: Path, targets: str, figures: str | None = None) -> Path:
    """The fixture agreement with its targets (and optionally the entries of its key_figures) replaced."""
    text = AGREEMENT.read_text(encoding="utf-8")
    head, rest = text.split(TARGETS_START)
    _, tail = rest.split(TARGETS_END)
    if figures is not None:
        tail = figures
    out = tmp_path / "agreement.yaml"
    out.write_text(head + TARGETS_START + targets.strip("\n") + "\n" + TARGETS_END + tail, encoding="utf-8")
    return out


def overlay(tmp_path: Path, text: str, name: str = "figures.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(exc: pytest.ExceptionInfo[LoadError]) -> list[str]:
    return [p.format() for p in exc.value.problems]


# ----------------------------------------------------------------------------- overlays


def test_an_overlay_is_read_with_its_file(tmp_path: Path) -> None:
    path = overlay(tmp_path, "key_figures:\n  operating_surplus: {2024: 230000, 2025: 228000}\n"
                             "  population: {2024: 51237}\n")
    figures = load_overlay(path)
    assert {n: {y: v.value for y, v in ys.items()} for n, ys in figures.items()} == {
        "operating_surplus": {2024: 230000, 2025: 228000}, "population": {2024: 51237}}
    assert figures["population"][2024].file == str(path)


@pytest.mark.parametrize(("text", "where", "message", "hint"), [
    ("key_figures:\n  debts: {2021: 1}\n", "2:3", "unknown key figure 'debts'", "did you mean 'debt'?"),
    ("key_figures:\n  debt: {2021: 230.000}\n", "2:16", "invalid value '230.000' for debt", "write 230000"),
    ("key_figures:\n  debt: {2021: 1.5}\n", "2:16", "invalid value '1.5'", "1500"),
    ("key_figures:\n  debt: {2021: '1000'}\n", "2:16", "invalid value '1000'", "without quotes"),
    ("key_figures:\n  debt: {2021: yes}\n", "2:16", "invalid value 'yes'", "true/false"),
    ("key_figures:\n  debt: {2021: }\n", "2:16", "invalid value", "never read as 0"),
    ("key_figures:\n  debt: {2021: 1,5}\n", "2:18", "invalid year 5", "decimal comma"),
    ("key_figures:\n  debt: {'2021': 5}\n", "2:10", "invalid year '2021'", "without quotes"),
    ("key_figures:\n  debt: {20211: 5}\n", "2:10", "invalid year 20211", None),
    ("key_figures:\n  debt: [1, 2]\n", "2:9", "'debt' must be a mapping from year to value", None),
    ("key_figures:\n  debt:\n    values: {2021: 5}\n    unit: 1000 DKK\n", "3:5", "invalid year 'values'",
     "overlays are flat"),
    ("key_figures:\n  population: {2024: 0}\n", "2:22", "population must be positive", None),
    ("key_figures:\n  population: {2024: 51237.5}\n", "2:22", "invalid value '51237.5' for population",
     "whole persons"),
    ("keyfigures:\n  debt: {2021: 5}\n", "1:1", "unknown key 'keyfigures'", "did you mean 'key_figures'?"),
    ("key_figures: [1]\n", "1:14", "'key_figures' must be a mapping", None),
    ("- 1\n", "1:1", "the document is a list", None),
    ("key_figures:\n  debt: {2021: 5, 2021: 6}\n", "2:19", "duplicate key", None),
])
def test_a_bad_overlay_is_a_located_error(tmp_path: Path, text: str, where: str, message: str,
                                          hint: str | None) -> None:
    path = overlay(tmp_path, text)
    with pytest.raises(LoadError) as exc:
        load_overlay(path)
    first = problems(exc)[0]
    assert first.startswith(f"{path}:{where}: error: {message}"), first
    if hint:
        assert hint in first


def test_every_problem_in_an_overlay_is_reported(tmp_path: Path) -> None:
    path = overlay(tmp_path, "key_figures:\n  debt: {2021: 1.000}\n  populaton: {2024: 5}\n  "
                             "average_liquidity: {2024: x}\n")
    with pytest.raises(LoadError) as exc:
        load_overlay(path)
    assert [p.line for p in exc.value.problems] == [2, 3, 4]


def test_merge_later_layers_win_per_year() -> None:
    from budget2024.keyfigures import FigureValue

    a = {"debt": {2021: FigureValue(1, "a"), 2025: FigureValue(2, "a")}}
    b = {"debt": {2025: FigureValue(3, "b")}, "population": {2024: FigureValue(9, "b")}}
    merged = merge(a, b)
    assert merged["debt"] == {2021: FigureValue(1, "a"), 2025: FigureValue(3, "b")}
    assert merged["population"] == {2024: FigureValue(9, "b")}
    assert merge(b, a)["debt"][2025] == FigureValue(2, "a")
    assert a["debt"][2025].value == 2  # the inputs are not changed


# ----------------------------------------------------------------------------- targets and the agreement's figures


TARGET = """    - id: t
      wording: "En målsætning."
      metric: {metric}
      comparison: "{comparison}"
      threshold: {threshold}
      unit: {unit}
{extra}"""


def target(metric: str = "operating_surplus", comparison: str = ">=", threshold: str = "5000",
           unit: str = "1000 DKK", extra: str = "      years: [2030]") -> str:
    return TARGET.format(metric=metric, comparison=comparison, threshold=threshold, unit=unit, extra=extra)


@pytest.mark.parametrize(("text", "message"), [
    (target(metric="surplus"), "unknown metric 'surplus' in target 't'"),
    (target(unit="mio. kr."), "target 't' says unit 'mio. kr.', but operating_surplus is in 1000 DKK"),
    (target(extra=""), "target 't' lists no years"),
    (target(extra="      years: [2030]\n      period: [2030, 2031]"), "has a period, but operating_surplus"),
    (target(metric="debt_reduction"), "target 't' lists years, but debt_reduction is measured over a period"),
    (target(metric="debt_reduction", extra="      period: [2031, 2029]"), "ends before it begins"),
    (target(metric="debt_reduction", extra="      period: [2029, 2031]\n      baseline_year: 2031"),
     "the baseline year 2031 is not before the end of the period"),
    (target(extra="      years: [2030]\n      baseline_year: 2029"), "operating_surplus does not use a baseline"),
    (target(threshold="{figure: service_frames}"), "unknown key figure 'service_frames'"),
    (target(metric="liquidity_per_inhabitant", unit="kr. per inhabitant", threshold="{figure: service_frame}"),
     "the threshold figure 'service_frame' is in 1000 DKK, but liquidity_per_inhabitant"),
    (target(extra="      years: [2030, 2031, 2030]"), "year 2030 is listed twice"),
    (target(threshold=".nan"), "the threshold nan is not a number"),
])
def test_a_bad_target_is_a_located_error(tmp_path: Path, text: str, message: str) -> None:
    path = with_targets(tmp_path, text)
    with pytest.raises(LoadError) as exc:
        load_inputs(path)
    found = problems(exc)
    assert any(message in p for p in found), found
    assert all(p.startswith(f"{path}:") and "strategy.targets[0]" in p for p in found), found


def test_an_unknown_or_mis_united_figure_in_the_agreement_is_an_error(tmp_path: Path) -> None:
    figures = ("  service_frames:\n    values: {2030: 1}\n    unit: 1000 DKK\n    source: x\n"
               "  population:\n    values: {2030: 5}\n    unit: 1000 DKK\n    source: x\n")
    path = with_targets(tmp_path, target(), figures)
    with pytest.raises(LoadError) as exc:
        load_inputs(path)
    found = problems(exc)
    assert any("unknown key figure 'service_frames'" in p and "did you mean 'service_frame'?" in p for p in found)
    assert any("the key figure 'population' is in persons, not '1000 DKK'" in p for p in found)


def test_every_metric_in_the_registry_can_be_used_by_a_target_without_new_code(tmp_path: Path) -> None:
    blocks = []
    for i, (name, metric) in enumerate(METRICS.items()):
        extra = ("      period: [2029, 2031]" if metric.scope == "period" else "      years: [2030]")
        blocks.append(target(metric=name, unit=metric.unit, threshold="0", extra=extra).replace("id: t", f"id: t{i}"))
    path = with_targets(tmp_path, "\n".join(blocks))
    data = check(load_inputs(path))
    assert [r["metric"] for r in data["results"]] == list(METRICS)


def test_a_new_target_on_an_existing_metric_is_evaluated(tmp_path: Path) -> None:
    path = with_targets(tmp_path, target(metric="population", unit="persons", comparison=">", threshold="50000",
                                         extra="      years: [2030, 2031]"))
    figs = overlay(tmp_path, "key_figures:\n  population: {2030: 50001, 2031: 50000}\n")
    results = check(load_inputs(path, [figs]))["results"]
    assert [(r["year"], r["status"]) for r in results] == [(2030, "pass"), (2031, "fail")]


def test_a_threshold_figure_the_agreement_lacks_is_not_evaluable_until_an_overlay_gives_it(tmp_path: Path) -> None:
    # the agreement has key figures, but not the anlæg frame its target is measured against
    figures = "  service_frame:\n    values: {2030: 100000}\n    unit: 1000 DKK\n    source: x\n"
    path = with_targets(tmp_path, target(metric="anlaeg_expenditure", comparison="<=",
                                         threshold="{figure: anlaeg_frame}"), figures)
    (r,) = check(load_inputs(path))["results"]
    assert (r["status"], r["missing"]) == ("not-evaluable", ["anlaeg_expenditure", "anlaeg_frame"])
    figs = overlay(tmp_path, "key_figures:\n  anlaeg_frame: {2030: 5000}\n  anlaeg_expenditure: {2030: 4000}\n")
    (r,) = check(load_inputs(path, [figs]))["results"]
    assert (r["status"], r["required"]) == ("pass", 5000)


def test_every_figure_name_is_a_metric() -> None:
    assert set(FIGURE_UNITS) <= set(METRICS)


# ----------------------------------------------------------------------------- comparisons


@pytest.mark.parametrize(("comparison", "value", "status", "margin"), [
    (">=", 5000, "pass", 0), (">=", 4999, "fail", -1),
    (">", 5000, "fail", 0), (">", 5001, "pass", 1),
    ("<=", 5000, "pass", 0), ("<=", 5001, "fail", -1),
    ("<", 5000, "fail", 0), ("<", 4999, "pass", 1),
    ("==", 5000, "pass", 0), ("==", 5001, "fail", -1), ("==", 4999, "fail", -1),
])
def test_comparisons_on_and_around_the_threshold(tmp_path: Path, comparison: str, value: int, status: str,
                                                 margin: int) -> None:
    path = with_targets(tmp_path, target(comparison=comparison))
    figs = overlay(tmp_path, f"key_figures:\n  operating_surplus: {{2030: {value}}}\n")
    (r,) = check(load_inputs(path, [figs]))["results"]
    assert (r["status"], r["margin"]) == (status, margin)


def test_a_scaled_threshold_is_exact(tmp_path: Path) -> None:
    # 25.000 * 0.07 is 1750.0000000000002 in binary floating point; the contribution of 1.750 is
    # exactly on the threshold and must pass
    path = with_targets(tmp_path, target(metric="reprioritisation_contribution",
                                         threshold="{figure: service_frame, factor: 0.07}"))
    figs = overlay(tmp_path, "key_figures:\n  service_frame: {2030: 25000}\nreprioritisation_rows: [d-save]\n")
    assert 25000 * 0.07 > 1750
    text = path.read_text(encoding="utf-8").replace("amounts: {2030: -1000, 2031: -1000, 2032: -1000}",
                                                      "amounts: {2030: -1750, 2031: -1000, 2032: -1000}")
    path.write_text(text.replace('"1.10 Besparelse på skoler -1.000 -1.000 -1.000"',
                                 '"1.10 Besparelse på skoler -1.750 -1.000 -1.000"'), encoding="utf-8")
    (r,) = check(load_inputs(path, [figs]))["results"]
    assert (r["status"], r["required"], r["actual"], r["margin"]) == ("pass", 1750, 1750, 0)


def test_a_decimal_threshold(tmp_path: Path) -> None:
    path = with_targets(tmp_path, target(metric="liquidity_per_inhabitant", unit="kr. per inhabitant",
                                         threshold="8000.5"))
    figs = overlay(tmp_path, "key_figures:\n  average_liquidity: {2030: 16001}\n  population: {2030: 2000}\n")
    (r,) = check(load_inputs(path, [figs]))["results"]
    assert (r["status"], r["actual"], r["margin"]) == ("pass", 8000.5, 0)


# ----------------------------------------------------------------------------- terminal rendering


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_and_symbols_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    data = check(load_inputs(AGREEMENT, [STRATEGY / "fail.yaml"]))
    tty = Terminal()
    print_check(data, tty, width=100)
    assert "\x1b[" in tty.getvalue()
    assert "✘ FAIL" in tty.getvalue()
    plain = io.StringIO()
    print_check(data, plain, width=100)
    assert "\x1b[" not in plain.getvalue()
    assert "✘" not in plain.getvalue() and "✔" not in plain.getvalue()
    assert "FAIL" in plain.getvalue()


def test_the_table_fits_80_columns_without_cutting_anything() -> None:
    data = check(load_inputs(None))
    out = io.StringIO()
    print_check(data, out, width=80)
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text.count("not evaluable") == data["counts"]["not-evaluable"] + 1  # the rows and the verdict
    assert "operating-surplus" in text and "2022–2025" in text


def test_titles_are_printed_verbatim_not_as_markup(tmp_path: Path) -> None:
    text = AGREEMENT.read_text(encoding="utf-8")
    path = tmp_path / "agreement.yaml"
    path.write_text(text.replace("title: Færre vikarer", 'title: "Færre vikarer [bold]x[/bold]"').replace(
        '"1.10 Færre vikarer  -250  "', '"1.10 Færre vikarer [bold]x[/bold]  -250  "'), encoding="utf-8")
    out = io.StringIO()
    print_check(check(load_inputs(path, [STRATEGY / "pass.yaml"])), out, width=100)
    assert "Færre vikarer [bold]x[/bold]" in out.getvalue()
