"""Read key-figure overlays: small YAML files given with ``check-strategy --figures FILE``::

    key_figures:
      operating_surplus: {2024: 230000, 2025: 228000}
      population: {2024: 51237}
    # the appendix rows that form the reprioritisation contribution (minus their sum, per year)
    reprioritisation_rows: [d-1.3.2-rammebesparelse-det-specialiserede-voksenomraade]

Each overlay extends or overrides the figures before it, year by year (the session merges them).
A bad overlay gives located problems, like a bad agreement. The names are :mod:`budget2024.vocab`'s.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from . import numbers
from .errors import LoadError, Problem
from .i18n import T_
from .keyfigures import Figures, FigureValue
from .strategy_checks import locate, unknown_figure, year_value_findings
from .vocab import FIGURE_UNITS, ROWS_KEYS, YEAR_RANGE
from .words import Dashed, either, pasted_character, written_as
from .words import kind_of as _kind_of

if TYPE_CHECKING:  # PyYAML is imported only when a file is parsed (a cached agreement needs none)
    from .views import Agreement
    from .yamlsource import PathT, Source


def _figure_name_problem(source: Source, path: PathT, name: object) -> Problem:
    found = unknown_figure(path, name, FIGURE_UNITS, key=True,
                           hint=T_("the names are fixed so that figures files are portable"))
    assert found is not None
    return locate(source, [found])[0]


def _year_value_problems(source: Source, path: PathT, name: str, year: int, value: object) -> list[Problem]:
    """Problems with one ``year: value`` entry whose year is a number."""
    return locate(source, year_value_findings(path, name, year, value))


def _year_words(year: object, written: str | None = None) -> str:
    """A key that should be a year, as the user wrote it, in words (never a Python repr)."""
    if year is None:
        return T_("'{written}' (an empty key)", written=written) if written else T_("(an empty key)")
    if isinstance(year, bool):
        return T_("'{written}' (a true/false value)", written=written or ("true" if year else "false"))
    if isinstance(year, str):
        return f"'{year}'"
    if isinstance(year, int | float):
        return str(year)
    return T_("({kind})", kind=_kind_of(year))


def _value_problem(source: Source, path: PathT, name: str, value: object) -> Problem | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    text = source.scalar_text.get(path)
    what = T_("'{text}'", text=text) if text is not None else T_('({value})', value=_kind_of(value))
    unit = FIGURE_UNITS.get(name, "1000 DKK")
    expected = (T_("a whole number of persons, e.g. 51237") if unit == "persons" else T_("a whole number of "
                                                                                         "thousands of kroner (1.000 "
                                                                                         "kr.), e.g. 230000"))
    hint: str | None = None
    stripped = text.strip() if text is not None else ""
    if isinstance(value, dict | list):
        hint = T_("overlays are flat: 'NAME: {2024: 230000, 2025: 228000}', one value per year")
        what = T_('({value})', value=_kind_of(value))
    elif text is not None and numbers.DANISH_THOUSANDS.match(stripped):
        hint = (T_('Danish thousands points are not allowed: YAML reads {text} as the decimal {value}; write {value2}',
                   text=text, value=value, value2=stripped.replace('.', '')))
    elif text is not None and numbers.DANISH_DECIMAL.match(stripped):
        hint = (T_("whole persons only") if unit == "persons" else T_("amounts are in 1.000 kr.; 0,3 mio. kr. is "
                                                                      "written 300"))
    elif isinstance(value, bool):
        hint = T_("true/false/yes/no are not numbers; write the number")
    elif isinstance(value, float):
        hint = (T_("whole persons only") if unit == "persons" else T_("amounts are whole thousands; 1,5 mio. kr. is "
                                                                      "written 1500"))
    elif value is None:
        hint = T_("write the number, or leave the year out; a missing figure is never read as 0")
    elif isinstance(value, str):
        pasted = pasted_character(text)
        if pasted:
            hint = T_('{pasted}: a likely paste from a PDF or Word; delete it', pasted=pasted)
        elif isinstance(written_as(stripped), Dashed):  # a minus pasted as a dash of Unicode's
            hint = Dashed.hint_of(written_as(stripped))
        elif unit == "persons":
            hint = T_("write the number of persons alone, without quotes, points or words{written}",
                      written=written_as(stripped))
        else:
            hint = T_("write the number alone, without quotes, units or points: '1.000 kr.' is written 1000{written}",
                      written=written_as(stripped))
    return source.problem(path, T_('invalid value {what} for {name}', what=what, name=name), expected, hint)


def overlay_figures(source: Source) -> tuple[Figures, list[Problem]]:
    """The figures of a parsed overlay, and every problem in it."""
    data = source.data
    problems: list[Problem] = []
    figures: Figures = {}
    example = "key_figures:\n      operating_surplus: {2024: 230000}"
    if not isinstance(data, dict):
        return {}, [source.problem((), T_('the document is {data}, not a mapping', data=_kind_of(data)),
                                   T_("a mapping with the key 'key_figures'"), T_('write it as\n      {example}',
                                                                                  example=example))]
    allowed = ["key_figures", *ROWS_KEYS]
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = (T_("did you mean '{close}'?", close=close[0]) if close
                    else T_("a figures file holds only 'key_figures' and {rows}; the strategy and the rows stay in "
                            "the agreement", rows=", ".join(f"'{k}'" for k in ROWS_KEYS)))
            problems.append(source.problem((key,), T_("unknown key '{key}'", key=key), either(allowed), hint,
                                           key=True))
    if "key_figures" not in data:
        if not problems and not any(k in data for k in ROWS_KEYS):
            problems.append(source.problem((), T_("missing key 'key_figures'"), T_("a top-level 'key_figures:'"),
                                           T_('write it as\n      {example}', example=example)))
        return {}, problems
    block = data["key_figures"]
    if not isinstance(block, dict):
        problems.append(source.problem(("key_figures",), T_("'key_figures' must be a mapping, not {block}",
                                                            block=_kind_of(block)),
                                       T_("figure names, each with a mapping from year to value"),
                                       T_('write it as\n      {example}', example=example)))
        return {}, problems
    lo, hi = YEAR_RANGE
    for name, values in block.items():
        path: PathT = ("key_figures", name)
        if name not in FIGURE_UNITS:
            problems.append(_figure_name_problem(source, path, name))
            continue
        if not isinstance(values, dict):
            problems.append(source.problem(path, T_("'{name}' must be a mapping from year to value, not {values}",
                                                    name=name, values=_kind_of(values)),
            T_("e.g. {2024: 230000, 2025: 228000}"),
                                           T_("give a value per year; positions, not lists, say which year")))
            continue
        good: dict[int, FigureValue] = {}
        for year, value in values.items():
            if not isinstance(year, int) or isinstance(year, bool) or not lo <= year <= hi:
                what = _year_words(year, getattr(source, "key_text", {}).get((*path, year)))
                hint = T_("years are written as plain numbers, e.g. '2025: 230000'")
                if year in {"values", "unit", "source"}:
                    hint = (T_("overlays are flat: 'NAME: {2024: 230000}' — the 'values/unit/source' form "
                            "belongs in the agreement file"))
                elif isinstance(year, str) and year.strip().isdigit():
                    hint = T_('the year is quoted text; write it without quotes: {year}', year=year.strip())
                elif isinstance(year, int) and value is None:
                    hint = (T_("a decimal comma splits the entry in two: YAML reads '{2024: 1,5}' as 2024: 1 and "
                            "5: (nothing); values are whole numbers, e.g. 1500 for 1,5 mio. kr."))
                problems.append(source.problem((*path, year), T_('invalid year {what}', what=what),
                                               T_('a year from {lo} to {hi}', lo=lo, hi=hi), hint, key=True))
                continue
            bad = _value_problem(source, (*path, year), name, value)
            if bad is not None:
                problems.append(bad)
                continue
            assert isinstance(value, int)
            more = _year_value_problems(source, path, name, year, value)
            if more:
                problems.extend(more)
                continue
            good[year] = FigureValue(value, source.file)
        figures[name] = good
    return figures, problems


def overlay_rows(source: Source) -> tuple[dict[str, list[tuple[str, PathT]]], list[Problem]]:
    """The row lists of a parsed overlay (figure name → row ids with their paths), and the
    problems of their form. Whether the rows exist is checked against the agreement
    (:func:`rows_figures`)."""
    data = source.data
    out: dict[str, list[tuple[str, PathT]]] = {}
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return out, problems
    for key, name in ROWS_KEYS.items():
        if key not in data:
            continue
        value = data[key]
        example = f"{key}: [ROW-ID, ROW-ID]"
        if not isinstance(value, list) or not value:
            what = T_("an empty list") if isinstance(value, list) else _kind_of(value)
            problems.append(source.problem((key,), T_("'{key}' must be a list of appendix row ids, not {what}",
                                                      key=key, what=what),
                                           example, T_("name the rows that form the figure; 'budget lines' lists "
                                           "the row ids (an empty list would make the figure 0, which no file says)")))
            continue
        block = data.get("key_figures")
        if isinstance(block, dict) and name in block:
            problems.append(source.problem((key,), T_("'{key}' and key_figures.{name} are both given", key=key,
                                                      name=name),
                                           T_("either the figure or the rows that form it"),
                                           T_("remove one; across files, the later file wins year by year"), key=True))
            continue
        seen: dict[str, int] = {}
        rows: list[tuple[str, PathT]] = []
        for i, row in enumerate(value):
            if not isinstance(row, str) or not row:
                text = source.scalar_text.get((key, i))
                what = T_("'{text}'", text=text) if text is not None else T_('({row})', row=_kind_of(row))
                problems.append(source.problem((key, i), T_('invalid row id {what}', what=what),
                                               T_("an appendix row id as text"),
                                               T_("'budget lines' lists the row ids")))
            elif row in seen:
                problems.append(source.problem((key, i), T_("the row '{row}' is listed twice", row=row),
                                               T_("each row once")))
            else:
                seen[row] = i
                rows.append((row, (key, i)))
        out[name] = rows
    return out, problems


def rows_figures(agreement: Agreement, source: Source, lists: dict[str, list[tuple[str, PathT]]]
                 ) -> tuple[Figures, list[Problem]]:
    """Each row list as a figure for every year of the agreement: minus the rows' sum that year."""
    lines = {ln.id: ln for ln in agreement.lines}
    figures: Figures = {}
    problems: list[Problem] = []
    for name, rows in lists.items():
        good: list[str] = []
        for row, path in rows:
            if row in lines:
                good.append(row)
                continue
            close = difflib.get_close_matches(row, list(lines), n=1)
            problems.append(source.problem(path, T_("unknown appendix row '{row}'", row=row),
                                           T_("the id of a row in the agreement"),
                                           T_("did you mean '{close}'?",
                                              close=close[0]) if close else T_("'budget lines' lists the "
                                           "row ids")))
        if len(good) != len(rows):
            continue
        figures[name] = {y: FigureValue(-sum(lines[r].amounts.get(y, 0) for r in good), source.file, tuple(good))
                         for y in agreement.agreement.years}
    return figures, problems


def load_overlay(path: Path, display: str | None = None) -> Figures:
    """Read one figures overlay's ``key_figures``; raise :class:`LoadError` with every problem."""
    from .yamlsource import load_source

    figures, problems = overlay_figures(load_source(path, display, given="--figures"))
    if problems:
        raise LoadError(problems)
    return figures
