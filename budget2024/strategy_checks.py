"""Located checks of the strategy and the key figures: what makes ``check-strategy`` impossible.

Each check returns *findings* (a path in the document and what is wrong), which need no parsed
source: the session runs them on a cached agreement and parses the file, to locate them, only
when there are any. Light: no pydantic, no PyYAML.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, NamedTuple

from .errors import Problem
from .vocab import FIGURE_UNITS, METRIC_SHAPES, POSITIVE_FIGURES, YEAR_RANGE

if TYPE_CHECKING:
    from .views import Agreement, Target
    from .yamlsource import PathT, Source


class Finding(NamedTuple):
    """A problem before it is located: ``path`` None means the whole file."""

    path: PathT | None
    message: str
    expected: str | None = None
    hint: str | None = None
    key: bool = False


def locate(source: Source, findings: Iterable[Finding]) -> list[Problem]:
    """The findings as problems with the file, line and column ``source`` gives them."""
    return [Problem(source.file, 0, 0, f.message, f.expected, f.hint) if f.path is None
            else source.problem(f.path, f.message, f.expected, f.hint, key=f.key) for f in findings]


def unknown_figure(path: PathT, name: object, known: Collection[str], *, key: bool = False,
                   expected: str | None = None, hint: str | None = None) -> Finding | None:
    """A figure name that is not one of ``known``, with the closest known name as the hint."""
    if name in known:
        return None
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return Finding(path, f"unknown key figure '{name}'", expected or "one of " + ", ".join(known),
                   f"did you mean '{close[0]}'?" if close else hint, key)


def year_value_findings(path: PathT, name: str, year: int, value: object) -> list[Finding]:
    """Problems with one ``year: value`` entry of a key figure whose year is a number."""
    out: list[Finding] = []
    lo, hi = YEAR_RANGE
    if not lo <= year <= hi:
        out.append(Finding((*path, year), f"year {year} is out of range", f"a year from {lo} to {hi}",
                           "is this a year? write the year as the key, e.g. '2025: 230000'", key=True))
    if name in POSITIVE_FIGURES and isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        out.append(Finding((*path, year), f"{name} must be positive, not {value}",
                           "a positive whole number", "other figures are divided by it"))
    return out


def figure_findings(agreement: Agreement) -> list[Finding]:
    """The agreement's own ``key_figures``: known names, the right unit, sane values."""
    out: list[Finding] = []
    for name, kf in agreement.key_figures.items():
        path: PathT = ("key_figures", name)
        bad = unknown_figure(path, name, FIGURE_UNITS, key=True,
                             hint="the names are fixed so that figures files are portable")
        if bad is not None:
            out.append(bad)
            continue
        unit = FIGURE_UNITS[name]
        if kf.unit != unit:
            out.append(Finding((*path, "unit"), f"the key figure '{name}' is in {unit}, not '{kf.unit}'",
                               f"unit: {unit}", "convert the values and write the unit the name implies"))
        for year, value in kf.values.items():
            out.extend(year_value_findings((*path, "values"), name, year, value))
    return out


def target_findings(agreement: Agreement) -> list[Finding]:
    """Problems that make the strategy impossible to evaluate: unknown metrics, wrong units,
    thresholds naming unknown figures, years that do not fit the metric."""
    strategy = agreement.strategy
    if strategy is None:
        return [Finding(None, "the agreement has no 'strategy'; there is nothing to check",
                        "a top-level 'strategy:' with 'targets'", "see the end of the shipped data/agreement.yaml")]
    if not strategy.targets:
        return [Finding(("strategy", "targets"), "the strategy has no targets; there is nothing to check",
                        "a list of targets", "see the end of the shipped data/agreement.yaml")]
    out: list[Finding] = []
    years = agreement.agreement.years
    for i, t in enumerate(strategy.targets):
        out.extend(_target_findings(("strategy", "targets", i), t, years))
    return out


def _target_findings(path: PathT, t: Target, years: list[int]) -> list[Finding]:
    p = Finding
    metric = METRIC_SHAPES.get(t.metric)
    if metric is None:
        close = difflib.get_close_matches(t.metric, list(METRIC_SHAPES), n=1)
        hint = (f"did you mean '{close[0]}'?" if close
                else "a new metric needs code: an entry in METRIC_SHAPES in budget2024/vocab.py and its "
                "measurement in METRICS in budget2024/reports/strategy.py")
        return [p((*path, "metric"), f"unknown metric '{t.metric}' in target '{t.id}'",
                  "one of " + ", ".join(METRIC_SHAPES), hint)]
    out: list[Finding] = []
    if t.unit != metric.unit:
        out.append(p((*path, "unit"), f"target '{t.id}' says unit '{t.unit}', but {t.metric} is in {metric.unit}",
                     f"unit: {metric.unit}", "give the threshold in the metric's unit"))
    if metric.scope == "year":
        if not t.years:
            out.append(p(path, f"target '{t.id}' lists no years", "a 'years:' list, e.g. years: [2024, 2025]",
                         f"{t.metric} is measured per year"))
        if t.period is not None:
            out.append(p((*path, "period"), f"target '{t.id}' has a period, but {t.metric} is measured per year",
                         "'years:' only", "list the years in 'years:' and remove 'period:'", key=True))
    else:
        if t.period is None:
            out.append(p(path, f"target '{t.id}' has no period", "a 'period: [FIRST, LAST]'",
                         f"{t.metric} is measured over a period"))
        elif t.period[0] > t.period[1]:
            out.append(p((*path, "period"), f"the period {t.period[0]}–{t.period[1]} ends before it begins",
                         "[FIRST, LAST] with FIRST <= LAST"))
        if t.years:
            out.append(p((*path, "years"), f"target '{t.id}' lists years, but {t.metric} is measured over a period",
                         "'period:' only", "remove 'years:'", key=True))
    if t.baseline_year is not None:
        if not metric.uses_baseline:
            out.append(p((*path, "baseline_year"), f"{t.metric} does not use a baseline year",
                         None, "remove 'baseline_year:'", key=True))
        elif t.period is not None and t.baseline_year >= t.period[1]:
            out.append(p((*path, "baseline_year"), f"the baseline year {t.baseline_year} is not before the end of "
                         f"the period {t.period[1]}", "an earlier year, usually the year before the period"))
    seen: set[int] = set()
    for j, y in enumerate(t.years):
        if y in seen:
            out.append(p((*path, "years", j), f"year {y} is listed twice in target '{t.id}'", "each year once"))
        seen.add(y)
        if metric.ledger_only and y not in years:
            out.append(p((*path, "years", j), f"{t.metric} comes from the appendix, which has no year {y}",
                         f"a year from {years[0]} to {years[-1]}", "the agreement covers the budget year and "
                         + _overslag_words(len(years) - 1)))
    th = t.threshold
    if not isinstance(th, int | float):  # a Threshold
        bad = unknown_figure((*path, "threshold", "figure"), th.figure, FIGURE_UNITS)
        if bad is not None:
            out.append(bad)
        elif FIGURE_UNITS[th.figure] != metric.unit:
            out.append(p((*path, "threshold", "figure"), f"the threshold figure '{th.figure}' is in "
                         f"{FIGURE_UNITS[th.figure]}, but {t.metric} is in {metric.unit}",
                         f"a figure in {metric.unit}"))
        if not math.isfinite(th.factor):
            out.append(p((*path, "threshold", "factor"), f"the factor {th.factor} is not a number",
                         "a number, e.g. 0.01 for 1 pct."))
    elif isinstance(th, float) and not math.isfinite(th):
        out.append(p((*path, "threshold"), f"the threshold {th} is not a number", "a number"))
    return out


def _overslag_words(n: int) -> str:
    """"the 3 overslagsår after it", from the agreement's own number of years."""
    return "the overslagsår after it" if n < 0 else f"the {n} overslagsår after it"


#: The strategy checks, run in order by :func:`strategy_findings`; adding a check is adding a function.
STRATEGY_CHECKS: list[Callable[[Agreement], list[Finding]]] = [target_findings, figure_findings]


def strategy_findings(agreement: Agreement) -> list[Finding]:
    """Every strategy check's findings, in the order of :data:`STRATEGY_CHECKS`."""
    return [f for check in STRATEGY_CHECKS for f in check(agreement)]
