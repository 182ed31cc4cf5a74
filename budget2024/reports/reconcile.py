"""Reconcile the agreement's prose with its appendix.

The agreement gives many amounts twice: in the prose, rounded to 0,1 mio. kr., and in
the appendix, in 1.000 kr. This module *computes* where the two disagree, from the
prose amounts of each initiative and the appendix rows linked to it; the discrepancies
recorded by hand in the data are only used to say which findings were already known.

The rules, in brief (the README explains them with examples):

* **Agreement.** A prose amount that is a multiple of 100 (0,1 mio. kr.) agrees with an
  appendix amount that rounds to it, half away from zero: 150 reads as 0,2 mio. kr.,
  -250 as a saving of 0,3 mio. kr. A prose amount stated more precisely (50.000 kr.)
  must be equal.
* **Kinds.** Each prose amount is compared with one kind, drift or anlæg: its own
  ``kind`` if given; else the only kind the initiative has rows of; else the kind whose
  rows it agrees with in the most years (then: whose signs it shares most; then drift).
* **Combining.** Per initiative, kind and year, the prose amounts are summed and the
  appendix rows are summed, and the two sums are compared. A ``per_year`` amount
  ("årligt" without years) stands for each year that has rows and that no prose amount
  of the kind names. A ``total`` ("i alt"/"samlet" without years) agrees with the rows' sum
  over all years, or over the years no prose amount of the kind names; the rows' years then
  need no prose year of their own.

Nothing here prints or formats; :mod:`budget2024.render.reconcile` writes the sentences.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..folding import fold
from ..i18n import T_
from ..ledger import Ledger, section_sort_key
from ..numbers import is_section_number
from . import KINDS, ReportError

if TYPE_CHECKING:  # reports run on cached data without importing pydantic
    from ..views import Discrepancy, Initiative, Line, ProseAmount, StatedFigure

#: The finding categories, in the order findings are grouped.
CATEGORIES = ["amount", "sign", "year", "total", "prose-only", "appendix-only", "name", "section-label",
              "stated-figure"]
#: ``--fail-on mismatch``: differences on an initiative that has amounts on both sides (in one kind).
MISMATCH = frozenset({"amount", "sign", "year", "total"})
#: Categories about amounts; a recorded discrepancy of one of them may cover a finding of another.
AMOUNT_CATEGORIES = frozenset({"amount", "sign", "year", "total", "prose-only", "appendix-only"})
#: 0,1 mio. kr. in the agreement's unit (1.000 kr.): the precision of the prose.
PROSE_STEP = 100
#: A first word of a row title counts as a (misspelt) name when this similar to a name in the prose.
SIMILAR_NAME = 0.7
#: Stated figures whose measure is the sum of the appendix amounts of one sign.
SUM_MEASURES = {"expansions": 1, "savings": -1}

Amounts = dict[int, int]


# ----------------------------------------------------------------------------- rounding


def round_half_up(amount: int, step: int = PROSE_STEP) -> int:
    """Round to a multiple of ``step``, halves away from zero: 150 → 200, -250 → -300, 149 → 100."""
    magnitude = (abs(amount) + step // 2) // step * step
    return magnitude if amount >= 0 else -magnitude


def agrees(prose: int, appendix: int) -> bool:
    """Does an appendix amount agree with a prose amount, allowing the prose's rounding?"""
    if prose == appendix:
        return True
    if prose % PROSE_STEP:
        return False  # stated more precisely than 0,1 mio. kr. (e.g. 50.000 kr.): must be exact
    return round_half_up(appendix) == prose


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


# ----------------------------------------------------------------------------- findings


@dataclass
class Finding:
    category: str
    reason: str
    section: str | None
    initiative: str | None = None
    lines: list[str] = field(default_factory=list)
    kind: str | None = None
    years: list[int] = field(default_factory=list)
    prose: Any = None
    appendix: Any = None
    prose_text: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    order: int = 0
    recorded: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        prose, appendix = self.prose, self.appendix
        difference = None
        if isinstance(prose, dict) and isinstance(appendix, dict):
            both = [k for k in prose if k in appendix]
            difference = {k: prose[k] - appendix[k] for k in both} or None
        return {
            "category": self.category,
            "reason": self.reason,
            "section": self.section,
            "initiative": self.initiative,
            "line": self.lines[0] if len(self.lines) == 1 else None,
            "lines": self.lines,
            "kind": self.kind,
            "years": self.years,
            "prose": prose,
            "appendix": appendix,
            "difference": difference,
            "prose_text": self.prose_text,
            "detail": self.detail,
            "mismatch": self.category in MISMATCH,
            "recorded": self.recorded,
        }


def _ymap(amounts: Amounts, years: Iterable[int] | None = None) -> dict[str, int] | None:
    """Year → amount with string keys (as in JSON), restricted to ``years``; None when empty."""
    keys = sorted(amounts) if years is None else [y for y in sorted(years) if y in amounts]
    return {str(y): amounts[y] for y in keys} or None


# ----------------------------------------------------------------------------- kinds


def _row_sums(lines: list[Line]) -> dict[str, Amounts]:
    """Per kind, the rows' sum per year; years whose rows cancel out are left out."""
    out: dict[str, Amounts] = {}
    for ln in lines:
        cell = out.setdefault(ln.kind.value, {})
        for y, a in ln.amounts.items():
            cell[y] = cell.get(y, 0) + a
    return {k: {y: a for y, a in v.items() if a} for k, v in out.items()}


def _score(pa: ProseAmount, rows: Amounts) -> tuple[int, int]:
    """(checks that agree, checks whose sign agrees) of a prose amount against one kind's rows."""
    checks: list[tuple[int, int]] = [(v, rows.get(y, 0)) for y, v in pa.amounts.items()]
    if pa.per_year is not None:
        checks += [(pa.per_year, a) for a in rows.values()]
    if pa.total is not None:
        checks.append((pa.total, sum(rows.values())))
    return (sum(agrees(p, a) for p, a in checks), sum(_sign(p) == _sign(a) for p, a in checks))


def assign_kind(pa: ProseAmount, rows: dict[str, Amounts]) -> str | None:
    """The kind a prose amount is compared with (None: the initiative has no rows)."""
    if pa.kind is not None:
        return pa.kind.value
    present = [k for k in KINDS if rows.get(k)]
    if not present:
        return None
    return max(present, key=lambda k: (*_score(pa, rows[k]), -KINDS.index(k)))


# ----------------------------------------------------------------------------- initiatives


@dataclass
class _Context:
    ledger: Ledger
    findings: list[Finding] = field(default_factory=list)


def _lines_in_years(lines: list[Line], years: Iterable[int]) -> list[str]:
    ys = set(years)
    return [ln.id for ln in lines if ys & set(ln.amounts)]


def _texts(pas: list[ProseAmount], years: Iterable[int] | None = None, per_year: bool = False,
           total: bool = False) -> list[str]:
    ys = set(years or ())
    return [pa.text for pa in pas
            if ys & set(pa.amounts) or (per_year and pa.per_year is not None) or (total and pa.total is not None)]


def _combined(pas: list[ProseAmount]) -> dict[str, int] | None:
    """The prose amounts of one initiative and kind as one mapping: years, 'per_year', 'total'."""
    years: Amounts = {}
    for pa in pas:
        for y, a in pa.amounts.items():
            years[y] = years.get(y, 0) + a
    out: dict[str, int] = _ymap(years) or {}
    per_year = [pa.per_year for pa in pas if pa.per_year is not None]
    totals = [pa.total for pa in pas if pa.total is not None]
    if per_year:
        out["per_year"] = sum(per_year)
    if totals:
        out["total"] = sum(totals)
    return out or None


def _compare_initiative(ctx: _Context, ini: Initiative, order: int) -> None:
    lines = ctx.ledger.lines_by_initiative.get(ini.id, [])
    rows = _row_sums(lines)
    by_kind: dict[str | None, list[ProseAmount]] = {}
    for pa in ini.prose_amounts:
        by_kind.setdefault(assign_kind(pa, rows), []).append(pa)

    def add(category: str, reason: str, **kw: Any) -> None:
        ctx.findings.append(Finding(category, reason, ini.section, ini.id, order=order, **kw))

    if None in by_kind:  # the initiative has no rows at all
        pas = by_kind.pop(None)
        add("prose-only", "no-rows", prose=_combined(pas), prose_text=[pa.text for pa in pas])
    for kind in KINDS:
        pas = by_kind.get(kind, [])
        kind_lines = [ln for ln in lines if ln.kind.value == kind]
        if not pas and not kind_lines:
            continue
        if not kind_lines:
            add("prose-only", "no-rows-of-kind", kind=kind, prose=_combined(pas),
                prose_text=[pa.text for pa in pas], detail={"other_kinds": sorted(rows)})
            continue
        if not pas:
            reason = "no-prose-of-kind" if ini.prose_amounts else "no-prose"
            for ln in kind_lines:
                ctx.findings.append(Finding("appendix-only", reason, ini.section, ini.id, [ln.id], kind,
                                            sorted(ln.amounts), None, _ymap(ln.amounts),
                                            order=order))
            continue
        _compare_kind(kind, pas, kind_lines, rows.get(kind, {}), add)


def _compare_kind(kind: str, pas: list[ProseAmount], lines: list[Line], rows: Amounts,
                  add: Callable[..., None]) -> None:
    """Compare one initiative's prose amounts of one kind with its rows of that kind."""
    prose: Amounts = {}
    for pa in pas:
        for y, a in pa.amounts.items():
            prose[y] = prose.get(y, 0) + a
    per_year = [pa.per_year for pa in pas if pa.per_year is not None]
    totals = [pa.total for pa in pas if pa.total is not None]
    per_year_sum = sum(per_year) if per_year else None
    amount_years: list[int] = []
    sign_years: list[int] = []
    prose_only: list[int] = []
    rows_only: list[int] = []
    per_year_diff: list[int] = []
    for y in sorted(set(prose) | set(rows)):
        pv, av = prose.get(y), rows.get(y)
        if pv is not None and av is not None:
            if agrees(pv, av):
                continue
            (sign_years if _sign(pv) == -_sign(av) != 0 else amount_years).append(y)
        elif pv is not None:
            if pv:
                prose_only.append(y)
        elif av is not None:
            if per_year_sum is not None:
                if not agrees(per_year_sum, av):
                    per_year_diff.append(y)
            elif not totals:
                rows_only.append(y)

    common = {"kind": kind}
    differing = sorted(amount_years + sign_years + prose_only + rows_only)
    p_sum = sum(prose.get(y, 0) for y in differing)
    a_sum = sum(rows.get(y, 0) for y in differing)
    if len(differing) >= 2 and p_sum and agrees(p_sum, a_sum):
        add("year", "shifted", years=differing, lines=_lines_in_years(lines, differing),
            prose=_ymap(prose, differing), appendix=_ymap(rows, differing),
            prose_text=_texts(pas, differing), detail={"prose_sum": p_sum, "appendix_sum": a_sum}, **common)
    else:
        for category, years in (("amount", amount_years), ("sign", sign_years)):
            if years:
                add(category, "differs", years=years, lines=_lines_in_years(lines, years),
                    prose=_ymap(prose, years), appendix=_ymap(rows, years), prose_text=_texts(pas, years),
                    **common)
        if prose_only:
            add("year", "prose-years", years=prose_only, lines=[], prose=_ymap(prose, prose_only),
                appendix=None, prose_text=_texts(pas, prose_only), **common)
        if rows_only:
            add("year", "appendix-years", years=rows_only, lines=_lines_in_years(lines, rows_only),
                prose=None, appendix=_ymap(rows, rows_only), prose_text=[pa.text for pa in pas], **common)
    if per_year_diff and per_year_sum is not None:
        add("amount", "per-year", years=per_year_diff, lines=_lines_in_years(lines, per_year_diff),
            prose={"per_year": per_year_sum}, appendix=_ymap(rows, per_year_diff),
            prose_text=_texts(pas, per_year=True), **common)
    if totals:
        # a total includes the amounts the prose names by year ("yderligere 0,7 mio. kr. ..., så der i alt
        # er 1,4 mio. kr."), or is an amount without a year beside them ("tidligere afsat 28 mio. kr. og
        # yderligere 30 mio. kr. i 2025"): it agrees with the rows' sum over all years or over the rest
        total, row_total = sum(totals), sum(rows.values())
        rest = sum(a for y, a in rows.items() if y not in prose)
        if not (agrees(total, row_total) or (prose and agrees(total, rest))):
            add("total", "differs", years=sorted(rows), lines=[ln.id for ln in lines],
                prose={"total": total}, appendix={"total": row_total}, prose_text=_texts(pas, total=True),
                detail={"rest": rest if prose else None}, **common)


# ----------------------------------------------------------------------------- rows of sections


def _figure_amounts(fig: StatedFigure) -> Amounts:
    if fig.amounts:
        return dict(fig.amounts)
    if fig.value is not None:
        return {y: fig.value for y in fig.years}
    return {}


def _stating_figure(line: Line, figures: Sequence[StatedFigure]) -> StatedFigure | None:
    """A stated figure of the general part with exactly this row's years and amounts."""
    for fig in figures:
        target = _figure_amounts(fig)
        if target and set(target) == set(line.amounts) and all(agrees(v, line.amounts[y])
                                                                 for y, v in target.items()):
            return fig
    return None


def _section_rows(ctx: _Context) -> None:
    ag = ctx.ledger.agreement
    for i, ln in enumerate(ag.lines):
        if ln.initiative is not None:
            continue
        fig = _stating_figure(ln, ag.stated_figures)
        if fig is None:
            ctx.findings.append(Finding("appendix-only", "section-row", ln.section, None, [ln.id], ln.kind.value,
                                        sorted(ln.amounts), None, _ymap(ln.amounts), order=10_000 + i))


# ----------------------------------------------------------------------------- names and labels

_WORD = re.compile(r"[^\W\d_]+")


_fold = fold


def _names(title: str) -> list[tuple[str, bool]]:
    """Capitalised words of a title, each with whether it is the title's first word."""
    words = _WORD.findall(title)
    return [(w, i == 0) for i, w in enumerate(words) if len(w) >= 3 and w[0].isupper()]


def _respelt(a: str, b: str) -> bool:
    """Two different words with the same beginning and end but a different middle
    (telegrafkvarteret / telegrafvejskvarteret): one name spelt differently, not an inflection."""
    if a == b:
        return False
    prefix = len(os.path.commonprefix([a, b]))
    suffix = len(os.path.commonprefix([a[::-1], b[::-1]]))
    return prefix >= 3 and suffix >= 3 and prefix + suffix <= min(len(a), len(b)) + 1


def row_name_difference(row_title: str, section_prose: str, prose: str, prose_title: str) \
        -> dict[str, list[str]] | None:
    """Names in a row title that the prose does not have.

    A name is a capitalised word of the row title. It is different when it occurs nowhere in
    the prose of the section (titles and texts of its initiatives), not even inside a compound
    word (``skole`` is in ``Baltorpskolen``). The first word is capitalised anyway, so it
    counts only when the initiative's prose has a similar word with the same beginning and
    end but a different middle: a name spelt differently (Telegrafkvarteret /
    Telegrafvejskvarteret). Returns the different names and the prose's names they most
    likely stand for.
    """
    folded = _fold(section_prose)
    candidates = list(dict.fromkeys(w for w, _ in _names(prose)))
    missing: list[str] = []
    similar: list[str] = []
    for word, first in _names(row_title):
        if _fold(word) in folded:
            continue
        close = [n for n in difflib.get_close_matches(_fold(word), [_fold(c) for c in candidates], n=3,
                                                      cutoff=SIMILAR_NAME) if _respelt(_fold(word), n)]
        if first and not close:
            continue
        missing.append(word)
        similar += [c for c in candidates if close and _fold(c) == close[0] and c not in similar]
    if not missing:
        return None
    row_folded = _fold(row_title)
    absent = [w for w, first in _names(prose_title) if not first and _fold(w) not in row_folded]
    return {"appendix": missing, "prose": similar or list(dict.fromkeys(absent))}


def _names_and_labels(ctx: _Context) -> None:
    ledger = ctx.ledger
    order_of = {ini.id: i for i, ini in enumerate(ledger.agreement.initiatives)}
    section_prose: dict[str, list[str]] = {}
    for sec in ledger.agreement.sections:
        section_prose[sec.id] = [sec.title]
    for ini in ledger.agreement.initiatives:
        section_prose.setdefault(ini.section, []).append(f"{ini.title} {ini.text or ''}")
    joined = {section: " ".join(texts) for section, texts in section_prose.items()}
    for ln in ledger.agreement.lines:
        if ln.initiative is None or ln.initiative not in ledger.initiatives:
            continue
        ini = ledger.initiatives[ln.initiative]
        order = order_of[ini.id]
        diff = row_name_difference(ln.title, joined.get(ini.section, ""),
                                   f"{ini.title} {ini.text or ''}", ini.title)
        if diff is not None:
            ctx.findings.append(Finding("name", "row-name", ini.section, ini.id, [ln.id], ln.kind.value,
                                        prose=ini.title, appendix=ln.title, detail={"names": diff}, order=order))
        if ln.label and ln.label != ini.section:
            ctx.findings.append(Finding("section-label", "label", ini.section, ini.id, [ln.id], ln.kind.value,
                                        prose=ini.section, appendix=ln.label, order=order))
    chapters = {c.id: c.title for c in ledger.agreement.chapters}
    groups: dict[str, list[str]] = {}
    for ln in ledger.agreement.lines:
        groups.setdefault(ln.group, []).append(ln.id)
    for group, ids in groups.items():
        split = _group_heading(group)
        if split is None or split[0] not in chapters:
            continue
        number, name = split
        if _fold(name) != _fold(chapters[number]):
            ctx.findings.append(Finding("name", "group-name", number, None, [], None,
                                        prose=chapters[number], appendix=name,
                                        detail={"group": group, "rows": ids}, order=-1))


def _group_heading(group: str) -> tuple[str, str] | None:
    """A group heading "1. Første tema" as its chapter number and name; None without a name.

    (In linear time: the pattern it replaces, with two lazy quantifiers around a run of
    spaces, took time quadratic in the length of that run.)"""
    parts = group.split(None, 1)
    if len(parts) != 2:
        return None
    number, name = parts
    if number.endswith(".") and len(number) > 1:
        number = number[:-1]
    return number, name.rstrip()


# ----------------------------------------------------------------------------- stated figures


def _sums(ledger: Ledger, sign: int, kinds: list[str], initiatives_only: bool, years: Iterable[int]) -> Amounts:
    out = dict.fromkeys(years, 0)
    for ln in ledger.agreement.lines:
        if ln.kind.value not in kinds or (initiatives_only and ln.initiative is None):
            continue
        for y, a in ln.amounts.items():
            if y in out and _sign(a) == sign:
                out[y] += a
    return out


def _derivations(ledger: Ledger, fig: StatedFigure, target: Amounts) -> list[dict[str, Any]]:
    """Every reading of the appendix that could give the figure, each with its amounts per year."""
    if fig.measure in SUM_MEASURES:
        sign = SUM_MEASURES[fig.measure]
        kind_sets = [[fig.kind.value]] if fig.kind else [[k] for k in KINDS] + [list(KINDS)]
        out = []
        for kinds in kind_sets:
            for only in (False, True):
                amounts = _sums(ledger, sign, kinds, only, target)
                out.append({"kinds": kinds, "initiatives_only": only, "line": None, "title": None,
                            "amounts": amounts})
        return out
    return [{"kinds": [ln.kind.value], "initiatives_only": False, "line": ln.id, "title": ln.title,
             "amounts": {y: ln.amounts[y] for y in target}}
            for ln in ledger.agreement.lines if all(y in ln.amounts for y in target)]


def _stated_figures(ctx: _Context) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, fig in enumerate(ctx.ledger.agreement.stated_figures):
        target = _figure_amounts(fig)
        if not target:
            continue
        derivations = _derivations(ctx.ledger, fig, target)
        agreeing = [d for d in derivations if all(agrees(v, d["amounts"][y]) for y, v in target.items())]
        closest = min(derivations, key=lambda d: sum(abs(v - d["amounts"][y]) for y, v in target.items()),
                      default=None)
        best = agreeing[0] if agreeing else (closest if fig.measure in SUM_MEASURES else None)
        status = "agrees" if agreeing else "not-derivable"
        record = {
            "id": fig.id,
            "measure": fig.measure,
            "kind": fig.kind.value if fig.kind else None,
            "years": sorted(target),
            "stated": _ymap(target),
            "approximate": fig.approximate,
            "sentence": fig.sentence,
            "status": status,
            "basis": _basis(best),
            "appendix": _ymap(best["amounts"]) if best else None,
            "difference": ({str(y): v - best["amounts"][y] for y, v in sorted(target.items())} if best else None),
            "derivations": [{"basis": _basis(d), "amounts": _ymap(d["amounts"]) or {}} for d in derivations
                            if fig.measure in SUM_MEASURES],
        }
        out.append(record)
        if status != "agrees":
            ctx.findings.append(Finding(
                "stated-figure", "not-derivable", None, None, [best["line"]] if best and best["line"] else [],
                fig.kind.value if fig.kind else None, sorted(target), _ymap(target),
                record["appendix"], [fig.sentence],
                {"figure": fig.id, "measure": fig.measure, "basis": record["basis"],
                 "derivations": record["derivations"], "sum_measure": fig.measure in SUM_MEASURES},
                order=i))
    return out


def _basis(d: dict[str, Any] | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"kinds": d["kinds"], "initiatives_only": d["initiatives_only"], "line": d["line"], "title": d["title"]}


# ----------------------------------------------------------------------------- recorded discrepancies


def _mio_text(value: int) -> str:
    """An amount as the agreement writes it in the prose: 88000 → '88 mio. kr.', 300 → '0,3 mio. kr.'."""
    whole, rest = divmod(abs(value), 1000)
    return f"{whole}{',' + str(rest).rjust(3, '0').rstrip('0') if rest else ''} mio. kr."


def _covers(d: Discrepancy, f: Finding, figures: dict[str, StatedFigure]) -> bool:
    if f.category == "stated-figure":
        fig = figures.get(f.detail.get("figure", ""))
        if fig is None or d.initiative is not None:
            return False
        return any(re.search(r"(?<![\d,.])" + re.escape(_mio_text(v)), d.text) for v in _figure_amounts(fig).values())
    if d.initiative is None and d.line is None:
        return f.initiative is None and d.section == f.section and d.category == f.category
    if d.line is not None and d.line in f.lines:
        return True
    return d.initiative is not None and d.initiative == f.initiative and (d.line is None or not f.lines)


def _match_recorded(ctx: _Context, recorded: list[Discrepancy]) -> set[str]:
    """Which recorded discrepancies cover each finding: those about the same initiative or row
    (or, for a stated figure, mentioning its amount) and of the same category; failing that,
    of a related category, preferring those no other finding uses."""
    figures = {fig.id: fig for fig in ctx.ledger.agreement.stated_figures}
    candidates = {id(f): [d for d in recorded if _covers(d, f, figures)] for f in ctx.findings}
    for f in ctx.findings:
        f.recorded = [d.id for d in candidates[id(f)] if d.category == f.category]
    exact = {i for f in ctx.findings for i in f.recorded}
    for f in ctx.findings:
        if f.recorded:
            continue
        if f.category in AMOUNT_CATEGORIES:
            related = [d.id for d in candidates[id(f)] if d.category in AMOUNT_CATEGORIES]
        elif f.category == "stated-figure":
            related = [d.id for d in candidates[id(f)]]
        else:
            related = []
        f.recorded = [i for i in related if i not in exact] or related
    return {i for f in ctx.findings for i in f.recorded}


# ----------------------------------------------------------------------------- the report


def _in_section(ledger: Ledger, section: str | None, wanted: str) -> bool:
    if section is None:
        return False
    if section == wanted or section.startswith(wanted + "."):
        return True
    return ledger.chapter_of(section) == wanted


def check_section(ledger: Ledger, section: str | None) -> None:
    if section is None:
        return
    chapters = {c.id for c in ledger.agreement.chapters}
    if section not in ledger.sections and section not in chapters:
        numbered = sorted((s for s in ledger.sections if is_section_number(s)), key=section_sort_key)
        close = difflib.get_close_matches(section, list(ledger.sections) + sorted(chapters), n=1)
        span = {"first": numbered[0], "last": numbered[-1], "chapters": ", ".join(sorted(chapters))}
        if close:
            raise ReportError(T_("unknown section '{section}' (did you mean {name}?); sections run from {first} to "
                                 "{last}, chapters are {chapters}", section=section, name=close[0], **span))
        raise ReportError(T_("unknown section '{section}'; sections run from {first} to {last}, chapters are "
                             "{chapters}", section=section, **span))


def reconcile(ledger: Ledger, section: str | None = None) -> dict[str, Any]:
    """Every computed difference between the prose and the appendix.

    With ``section``, only findings in that section, its subsections, or (for a chapter
    id) its chapter; stated figures have no section and are left out then.
    """
    check_section(ledger, section)
    ctx = _Context(ledger)
    for i, ini in enumerate(ledger.agreement.initiatives):
        _compare_initiative(ctx, ini, i)
    _section_rows(ctx)
    _names_and_labels(ctx)
    stated = _stated_figures(ctx)

    recorded = list(ledger.agreement.discrepancies)
    used = _match_recorded(ctx, recorded)  # before the section filter: "not found" means not found at all
    if section is not None:
        ctx.findings = [f for f in ctx.findings if _in_section(ledger, f.section, section)]
        recorded = [d for d in recorded if _in_section(ledger, d.section, section)]
        stated = []

    rank = {c: i for i, c in enumerate(CATEGORIES)}
    ctx.findings.sort(key=lambda f: (rank[f.category], f.section is None,
                                     section_sort_key(f.section or ""), f.order))
    titles = {ln.id: ln.title for ln in ledger.agreement.lines}
    findings = []
    for f in ctx.findings:
        rec = f.record()
        owner = ledger.initiatives.get(f.initiative or "")
        rec["initiative_title"] = owner.title if owner else None
        rec["line_titles"] = [titles[i] for i in f.lines]
        findings.append(rec)
    summary = {c: sum(1 for f in findings if f["category"] == c) for c in CATEGORIES}
    not_found = [{"id": d.id, "category": d.category, "section": d.section, "initiative": d.initiative,
                  "line": d.line, "text": d.text} for d in recorded if d.id not in used]
    return {
        "unit": ledger.unit,
        "section": section,
        "rounding": {"step": PROSE_STEP, "rule": "half away from zero"},
        "findings": findings,
        "summary": summary,
        "count": len(findings),
        "mismatches": sum(1 for f in findings if f["mismatch"]),
        "stated_figures": stated,
        "recorded": {"total": len(recorded), "covering": sum(1 for d in recorded if d.id in used),
                     "not_found": not_found},
    }


def failed(data: dict[str, Any], fail_on: str | None) -> bool:
    """Does ``--fail-on`` turn this report into a failure (exit 1)?"""
    if fail_on == "any":
        return bool(data["count"])
    if fail_on == "mismatch":
        return bool(data["mismatches"])
    return False
