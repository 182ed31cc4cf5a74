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
from .i18n import T_
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
    return Finding(path, T_("unknown key figure '{name}'", name=name),
                   expected or T_("one of {values}", values=", ".join(known)),
                   T_("did you mean '{close}'?", close=close[0]) if close else hint, key)


def year_value_findings(path: PathT, name: str, year: int, value: object) -> list[Finding]:
    """Problems with one ``year: value`` entry of a key figure whose year is a number."""
    out: list[Finding] = []
    lo, hi = YEAR_RANGE
    if not lo <= year <= hi:
        out.append(Finding((*path, year), T_('year {year} is out of range', year=year), T_('a year from {lo} to {hi}',
                                                                                           lo=lo, hi=hi),
                           T_("is this a year? write the year as the key, e.g. '2025: 230000'"), key=True))
    if name in POSITIVE_FIGURES and isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        out.append(Finding((*path, year), T_('{name} must be positive, not {value}', name=name, value=value),
                           T_("a positive whole number"), T_("other figures are divided by it")))
    return out


def figure_findings(agreement: Agreement) -> list[Finding]:
    """The agreement's own ``key_figures``: known names, the right unit, sane values."""
    out: list[Finding] = []
    for name, kf in agreement.key_figures.items():
        path: PathT = ("key_figures", name)
        bad = unknown_figure(path, name, FIGURE_UNITS, key=True,
                             hint=T_("the names are fixed so that figures files are portable"))
        if bad is not None:
            out.append(bad)
            continue
        unit = FIGURE_UNITS[name]
        if kf.unit != unit:
            out.append(Finding((*path, "unit"), T_("the key figure '{name}' is in {unit}, not '{unit2}'", name=name,
                                                   unit=unit, unit2=kf.unit),
                               T_('unit: {unit}', unit=unit),
                               T_("convert the values and write the unit the name implies")))
        for year, value in kf.values.items():
            out.extend(year_value_findings((*path, "values"), name, year, value))
    return out


def target_findings(agreement: Agreement) -> list[Finding]:
    """Problems that make the strategy impossible to evaluate: unknown metrics, wrong units,
    thresholds naming unknown figures, years that do not fit the metric."""
    strategy = agreement.strategy
    if strategy is None:
        return [Finding(None, T_("the agreement has no 'strategy'; there is nothing to check"),
                        T_("a top-level 'strategy:' with 'targets'"),
                        T_("see the end of the shipped data/agreement.yaml"))]
    if not strategy.targets:
        return [Finding(("strategy", "targets"), T_("the strategy has no targets; there is nothing to check"),
                        T_("a list of targets"), T_("see the end of the shipped data/agreement.yaml"))]
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
        hint = (T_("did you mean '{close}'?",
                   close=close[0]) if close else T_("a new metric needs code: an entry in METRIC_SHAPES in "
                                                    "budget2024/vocab.py and its "
                "measurement in METRICS in budget2024/reports/strategy.py"))
        return [p((*path, "metric"), T_("unknown metric '{metric}' in target '{id}'", metric=t.metric, id=t.id),
                  T_("one of {values}", values=", ".join(METRIC_SHAPES)), hint)]
    out: list[Finding] = []
    if t.unit != metric.unit:
        out.append(p((*path, "unit"), T_("target '{id}' says unit '{unit}', but {metric} is in {unit2}", id=t.id,
                                         unit=t.unit, metric=t.metric, unit2=metric.unit),
                     T_('unit: {unit}', unit=metric.unit), T_("give the threshold in the metric's unit")))
    if metric.scope == "year":
        if not t.years:
            out.append(p(path, T_("target '{id}' lists no years", id=t.id),
                         T_("a 'years:' list, e.g. years: [2024, 2025]"),
                         T_('{metric} is measured per year', metric=t.metric)))
        if t.period is not None:
            out.append(p((*path, "period"), T_("target '{id}' has a period, but {metric} is measured per year",
                                               id=t.id, metric=t.metric),
                         T_("'years:' only"), T_("list the years in 'years:' and remove 'period:'"), key=True))
    else:
        if t.period is None:
            out.append(p(path, T_("target '{id}' has no period", id=t.id), T_("a 'period: [FIRST, LAST]'"),
                         T_('{metric} is measured over a period', metric=t.metric)))
        elif t.period[0] > t.period[1]:
            out.append(p((*path, "period"), T_('the period {period}–{period2} ends before it begins',
                                               period=t.period[0], period2=t.period[1]),
                         T_("[FIRST, LAST] with FIRST <= LAST")))
        if t.years:
            out.append(p((*path, "years"), T_("target '{id}' lists years, but {metric} is measured over a period",
                                              id=t.id, metric=t.metric),
                         T_("'period:' only"), T_("remove 'years:'"), key=True))
    if t.baseline_year is not None:
        if not metric.uses_baseline:
            out.append(p((*path, "baseline_year"), T_('{metric} does not use a baseline year', metric=t.metric),
                         None, T_("remove 'baseline_year:'"), key=True))
        elif t.period is not None and t.baseline_year >= t.period[1]:
            out.append(p((*path, "baseline_year"),
                         T_('the baseline year {baseline_year} is not before the end of the period {period}',
                            baseline_year=t.baseline_year, period=t.period[1]),
            T_("an earlier year, usually the year before the period")))
    seen: set[int] = set()
    for j, y in enumerate(t.years):
        if y in seen:
            out.append(p((*path, "years", j), T_("year {y} is listed twice in target '{id}'", y=y, id=t.id),
                         T_("each year once")))
        seen.add(y)
        if metric.ledger_only and y not in years:
            out.append(p((*path, "years", j), T_('{metric} comes from the appendix, which has no year {y}',
                                                 metric=t.metric, y=y),
                         T_('a year from {years} to {years2}', years=years[0], years2=years[-1]),
                         _overslag_words(len(years) - 1)))
    th = t.threshold
    if not isinstance(th, int | float):  # a Threshold
        bad = unknown_figure((*path, "threshold", "figure"), th.figure, FIGURE_UNITS)
        if bad is not None:
            out.append(bad)
        elif FIGURE_UNITS[th.figure] != metric.unit:
            out.append(p((*path, "threshold", "figure"),
                         T_("the threshold figure '{figure}' is in {FIGURE_UNITS}, but {metric} is in {unit}",
                            figure=th.figure, FIGURE_UNITS=FIGURE_UNITS[th.figure], metric=t.metric, unit=metric.unit),
                         T_('a figure in {unit}', unit=metric.unit)))
        if not math.isfinite(th.factor):
            out.append(p((*path, "threshold", "factor"), T_('the factor {factor} is not a number', factor=th.factor),
                         T_("a number, e.g. 0.01 for 1 pct.")))
    elif isinstance(th, float) and not math.isfinite(th):
        out.append(p((*path, "threshold"), T_('the threshold {th} is not a number', th=th), T_("a number")))
    return out


def _overslag_words(n: int) -> str:
    """"the agreement covers the budget year and the 3 overslagsår after it", from the agreement's own
    number of years."""
    if n < 0:
        return T_("the agreement covers the budget year and the overslagsår after it")
    return T_("the agreement covers the budget year and the {n} overslagsår after it", n=n)


#: The strategy checks, run in order by :func:`strategy_findings`; adding a check is adding a function.
STRATEGY_CHECKS: list[Callable[[Agreement], list[Finding]]] = [target_findings, figure_findings]


def strategy_findings(agreement: Agreement) -> list[Finding]:
    """Every strategy check's findings, in the order of :data:`STRATEGY_CHECKS`."""
    return [f for check in STRATEGY_CHECKS for f in check(agreement)]
