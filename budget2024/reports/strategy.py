"""The economic strategy: evaluate each target for each year it covers.

Targets are data (``strategy.targets`` in the agreement file). Each names a *metric*;
:data:`METRICS` maps every metric name to the function that measures it, so a new
target needs no new code as long as its metric is in the registry. A metric is
measured from key figures (:mod:`budget2024.figures`); a figures overlay may give one
of them as the appendix rows that form it (``reprioritisation_rows``), and the result
then lists those rows. A figure that is missing makes the result ``not-evaluable`` and
is named; it is never read as zero, and no row of the agreement stands in for it.

A result carries ``readings``: the target's ``reading`` and those of the key figures it
used, where the file reads a rule or a value into the agreement's words.

Arithmetic is exact (:class:`fractions.Fraction`), so that a value exactly on the
threshold passes a ``>=`` target however the threshold was scaled.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from ..i18n import T_
from ..keyfigures import StrategyInput
from ..vocab import FIGURE_UNITS, METRIC_SHAPES, ROWS_KEYS
from . import ReportError

if TYPE_CHECKING:  # reports run on cached data without importing pydantic or PyYAML
    from ..views import Agreement, Target

PASS, FAIL, NOT_EVALUABLE = "pass", "fail", "not-evaluable"
STATUSES = (PASS, FAIL, NOT_EVALUABLE)

#: Kroner per unit of "1000 DKK".
KR_PER_THOUSAND = 1000

_COMPARE: dict[str, Callable[[Fraction, Fraction], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq,
}


@dataclass
class Context:
    """What a metric may read: the ledger and the merged key figures."""

    inputs: StrategyInput

    @property
    def agreement(self) -> Agreement:
        return self.inputs.ledger.agreement


@dataclass
class Measure:
    """What measuring a metric (or a threshold) found: a value, or the figures it lacked."""

    missing: dict[str, list[int]] = field(default_factory=dict)
    used: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def figure(self, ctx: Context, name: str, year: int) -> Fraction | None:
        fv = ctx.inputs.figures.get(name, {}).get(year)
        if fv is None:
            years = self.missing.setdefault(name, [])
            if year not in years:
                years.append(year)
            return None
        used: dict[str, Any] = {"figure": name, "year": year, "value": fv.value, "file": fv.file}
        if fv.rows:
            used["rows"] = list(fv.rows)
        if fv.reading is not None:
            used["reading"] = fv.reading
        self.used.append(used)
        return Fraction(fv.value)


MetricFn = Callable[[Context, "Target", int | None, Measure], Fraction | None]


@dataclass(frozen=True)
class Metric:
    """A measurable quantity.

    ``scope`` is ``"year"`` for a value per year (the target lists ``years``) or
    ``"period"`` for one value over the target's ``period``. ``ledger_only`` metrics
    come from the appendix, so they exist only for the agreement's years.
    """

    unit: str
    scope: Literal["year", "period"]
    description: str
    measure: MetricFn
    ledger_only: bool = False
    uses_baseline: bool = False

    @classmethod
    def of(cls, name: str, description: str, measure: MetricFn) -> Metric:
        """The metric ``name`` of :data:`~budget2024.vocab.METRIC_SHAPES`, measured by ``measure``."""
        shape = METRIC_SHAPES[name]
        return cls(shape.unit, shape.scope, description, measure, shape.ledger_only, shape.uses_baseline)


def _key_figure(name: str) -> MetricFn:
    def measure(ctx: Context, target: Target, year: int | None, m: Measure) -> Fraction | None:
        assert year is not None
        return m.figure(ctx, name, year)

    return measure


def _from_rows(name: str) -> MetricFn:
    """A key figure that a figures overlay may give as the appendix rows that form it: the
    rows it was summed from are listed with the result."""

    def measure(ctx: Context, target: Target, year: int | None, m: Measure) -> Fraction | None:
        assert year is not None
        value = m.figure(ctx, name, year)
        fv = ctx.inputs.figures.get(name, {}).get(year)
        if value is not None and fv is not None and fv.rows:
            ledger = ctx.inputs.ledger
            lines = {ln.id: ln for ln in ctx.agreement.lines}
            for row in fv.rows:
                line = lines[row]
                if year in line.amounts:
                    m.rows.append({"id": line.id, "section": ledger.line_section(line), "label": line.label,
                                   "title": line.title, "kind": line.kind.value, "amount": line.amounts[year],
                                   "file": fv.file})
        return value

    return measure


def baseline_year(target: Target) -> int:
    """The year whose end a period is measured from: ``baseline_year``, else the year before the period."""
    assert target.period is not None
    return target.baseline_year if target.baseline_year is not None else target.period[0] - 1


def _debt_reduction(ctx: Context, target: Target, year: int | None, m: Measure) -> Fraction | None:
    assert target.period is not None
    start = m.figure(ctx, "debt", baseline_year(target))
    end = m.figure(ctx, "debt", target.period[1])
    return None if start is None or end is None else start - end


def _liquidity_per_inhabitant(ctx: Context, target: Target, year: int | None, m: Measure) -> Fraction | None:
    assert year is not None
    liquidity = m.figure(ctx, "average_liquidity", year)
    population = m.figure(ctx, "population", year)
    if liquidity is None or population is None:
        return None
    return liquidity * KR_PER_THOUSAND / population


#: Every metric a target may name. Add an entry here to make a new kind of target possible.
METRICS: dict[str, Metric] = {
    **{name: Metric.of(name, f"the key figure {name}", _key_figure(name)) for name in FIGURE_UNITS},
    **{name: Metric.of(name, f"the key figure {name}, given as a figure or as the appendix "
                       f"rows that form it ('{key}': minus their sum in the year)", _from_rows(name))
       for key, name in ROWS_KEYS.items()},
    "debt_reduction": Metric.of(
        "debt_reduction", "debt at the end of the baseline year minus debt at the end of the period",
        _debt_reduction),
    "liquidity_per_inhabitant": Metric.of(
        "liquidity_per_inhabitant", "average_liquidity × 1000 / population", _liquidity_per_inhabitant),
}
assert set(METRICS) == set(METRIC_SHAPES), "every metric of the vocabulary is measured here, and only those"


# ----------------------------------------------------------------------------- evaluation


def exact(x: int | float) -> Fraction:
    """A number as written: 0.01 is exactly 1/100, not the nearest binary fraction."""
    return Fraction(x) if isinstance(x, int) else Fraction(repr(x))


def number(x: Fraction | None) -> int | float | None:
    """A JSON number: an integer when the value is whole."""
    if x is None:
        return None
    return int(x) if x.denominator == 1 else float(x)


def _threshold(ctx: Context, t: Target, year: int, m: Measure) -> Fraction | None:
    th = t.threshold
    if not isinstance(th, int | float):  # a Threshold view
        value = m.figure(ctx, th.figure, year)
        return None if value is None else value * exact(th.factor)
    return exact(th)


def _margin(comparison: str, actual: Fraction, required: Fraction) -> Fraction:
    """Room to spare: positive when the target is met with room, negative when it is missed."""
    if comparison in (">=", ">"):
        return actual - required
    if comparison in ("<=", "<"):
        return required - actual
    return -abs(actual - required)


def evaluate(ctx: Context, t: Target, year: int | None) -> dict[str, Any]:
    """One result: the target in one year (or over its period when ``year`` is None)."""
    metric = METRICS[t.metric]
    m = Measure()
    actual = metric.measure(ctx, t, year, m)
    at = year if year is not None else (t.period[1] if t.period else None)
    assert at is not None
    required = _threshold(ctx, t, at, m)
    if actual is None or required is None:
        status, margin = NOT_EVALUABLE, None
    else:
        status = PASS if _COMPARE[t.comparison](actual, required) else FAIL
        margin = _margin(t.comparison, actual, required)
    readings = [{"of": "target", "id": t.id, "year": None, "text": t.reading}] if t.reading else []
    for f in m.used:
        if "reading" in f and not any(r["id"] == f["figure"] and r["year"] == f["year"] for r in readings):
            readings.append({"of": "figure", "id": f["figure"], "year": f["year"], "text": f["reading"]})
    reason = None
    if m.missing:
        reason = "missing " + "; ".join(f"{name} for {', '.join(str(y) for y in ys)}"
                                        for name, ys in m.missing.items())
    return {
        "target": t.id,
        "goal": t.goal,
        "wording": t.wording,
        "metric": t.metric,
        "comparison": t.comparison,
        "year": year,
        "period": list(t.period) if year is None and t.period else None,
        "baseline_year": baseline_year(t) if year is None and t.period and metric.uses_baseline else None,
        "unit": t.unit,
        "status": status,
        "required": number(required),
        "actual": number(actual),
        "margin": number(margin),
        "missing": list(m.missing),
        "missing_years": {name: sorted(ys) for name, ys in m.missing.items()},
        "reason": reason,
        "figures": m.used,
        "rows": m.rows,
        "readings": readings,
    }


def covers(t: Target, year: int) -> bool:
    """Whether a target concerns ``year``: one of its years, or a year in its period."""
    if t.years:
        return year in t.years
    return t.period is not None and t.period[0] <= year <= t.period[1]


def check(inputs: StrategyInput, year: int | None = None, strict: bool = False) -> dict[str, Any]:
    """Evaluate every target for every year it covers.

    With ``year``, only that year: the yearly targets' results for it, and the period
    targets whose period includes it. ``ok`` is False when a result fails, and with
    ``strict`` also when one is not evaluable.
    """
    ctx = Context(inputs)
    strategy = inputs.ledger.agreement.strategy
    if strategy is None:  # pragma: no cover - refused when loading
        raise ReportError(T_("the agreement has no strategy"))
    targets = strategy.targets
    if year is not None and not any(covers(t, year) for t in targets):
        covered = sorted({y for t in targets for y in (t.years or (list(range(t.period[0], t.period[1] + 1))
                                                                  if t.period else []))})
        if covered:
            raise ReportError(T_("no target covers {year}; the targets cover {first}–{last}", year=year,
                                 first=covered[0], last=covered[-1]))
        raise ReportError(T_("no target covers {year}; the targets cover no years", year=year))
    results: list[dict[str, Any]] = []
    for t in targets:
        if t.years:
            for y in t.years:
                if year is None or y == year:
                    results.append(evaluate(ctx, t, y))
        elif year is None or covers(t, year):
            results.append(evaluate(ctx, t, None))
    counts = {s: sum(1 for r in results if r["status"] == s) for s in STATUSES}
    ok = counts[FAIL] == 0 and not (strict and counts[NOT_EVALUABLE])
    return {
        "ok": ok,
        "strict": strict,
        "year": year,
        "strategy_period": list(strategy.period),
        "counts": {**counts, "total": len(results)},
        "on_readings": sum(1 for r in results if r["readings"]),
        "files": {"agreement": inputs.agreement_file, "figures": list(inputs.overlay_files)},
        "results": results,
    }
