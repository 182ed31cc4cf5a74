"""Renderers for ``check-strategy``: a table for people, JSON for programs, JUnit XML for CI."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from typing import IO, Any

from ..i18n import N_, _, ngettext
from ..vocab import FIGURE_HINTS, ROWS_KEYS
from . import (
    Column,
    TableSpec,
    dk,
    output_width,
    print_line,
    print_table,
    print_wrapped,
    to_json,
    unit_label,
    wrap_cell,
)

UNIT_LABELS = {"kr. per inhabitant": N_("kr. per inhabitant"), "persons": N_("persons")}

#: status → (symbol, style, word) on a terminal; when piped, the word alone
_STATUS = {
    "pass": ("✔", "green", N_("pass")),
    "fail": ("✘", "bold red", N_("FAIL")),
    "not-evaluable": ("?", "yellow", N_("not evaluable")),
}

_COMPARISON_TEXT = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than", "==": "exactly"}


def unit_text(unit: str) -> str:
    return _(UNIT_LABELS[unit]) if unit in UNIT_LABELS else unit_label(unit)


def num(x: int | float | None) -> str:
    """Danish format; fractions (kr. per inhabitant) with two decimals."""
    if x is None:
        return "–"
    if isinstance(x, float):
        whole, frac = f"{abs(x):,.2f}".split(".")
        return ("-" if x < 0 else "") + whole.replace(",", ".") + "," + frac
    return dk(x)


def when(r: dict[str, Any], dash: str = "–") -> str:
    """The year of a result, or its period."""
    if r["year"] is not None:
        return str(r["year"])
    a, b = r["period"]
    return f"{a}{dash}{b}"


def verdict(data: dict[str, Any]) -> str:
    """One line: ok or FAILED, and how many results passed, failed and could not be evaluated."""
    c = data["counts"]
    scope = _(" for {year}").format(year=data["year"]) if data["year"] is not None else ""
    parts = ngettext("{passed} pass, {failed} fail, {open} not evaluable ({total} result)",
                     "{passed} pass, {failed} fail, {open} not evaluable ({total} results)", c["total"]).format(
        passed=c["pass"], failed=c["fail"], open=c["not-evaluable"], total=c["total"])
    if c["fail"]:
        return _("FAILED{scope}: {counts}").format(scope=scope, counts=parts)
    if not data["ok"]:
        return _("FAILED{scope} (--strict): {counts}").format(scope=scope, counts=parts)
    return _("ok{scope}: {counts}").format(scope=scope, counts=parts)


def _is_tty(out: IO[str]) -> bool:
    return bool(out.isatty()) if hasattr(out, "isatty") else False


def show_check(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        to_json(data, out)
    elif fmt == "junit":
        out.write(junit(data))
    else:
        print_check(data, out, width)


def _status_text(result: dict[str, Any], tty: bool) -> str:
    symbol, _style, word = _STATUS[result["status"]]
    return f"{symbol} {_(word)}" if tty else _(word)


def print_check(data: dict[str, Any], out: IO[str], width: int | None = None) -> None:
    tty = _is_tty(out)
    results = data["results"]
    period = data["strategy_period"]
    title = _("Economic strategy {first}–{last}").format(first=period[0], last=period[1])
    if data["year"] is not None:
        title += _(", results for {year}").format(year=data["year"])
    notes = [_("Margin: room to spare; negative when the target is missed.")]
    notes += [_("{target} {when}: from the end of {baseline} to the end of {end}.").format(
        target=r["target"], when=when(r), baseline=r["baseline_year"], end=r["period"][1])
        for r in results if r["baseline_year"] is not None]
    title += f" ({units_title(results)})"
    keys = reading_keys(results)
    rows = [[r["target"], when(r), f"{r['comparison']} {num(r['required'])}", num(r["actual"]),
             num(r["margin"]), " ".join(keys[_reading_id(x)] for x in r["readings"])] for r in results]
    headers = [_("Target"), _("Year"), _("Required"), _("Actual"), _("Margin"), _("Reading")]
    # the target ids may wrap on a narrow terminal, after a '-' only; numbers and statuses never do
    cols = [Column(h, "left" if i in (0, 1, 5) else "right", wrap=i == 0, ids=i == 0) for i, h in enumerate(headers)]
    cols.append(Column(_("Status")))
    for r, row in zip(results, rows, strict=True):
        row.append(_status_text(r, tty))
    styles = {(n, len(headers)): _STATUS[r["status"]][1] for n, r in enumerate(results)} if tty else None
    print_table(TableSpec(title, cols, rows, caption="\n".join(notes), styles=styles), out, width)
    if keys:
        print_wrapped(_("Results marked in 'Reading' rest on a reading of the agreement, not on its words:"),
                      out, width)
        texts = {_reading_id(x): x for r in results for x in r["readings"]}
        key_width = max(len(k) for k in keys.values())
        for rid, key in keys.items():
            x = texts[rid]
            print_wrapped(f"{reading_of(x)}: {x['text']}", out, width, f" {key:<{key_width}} ", " " * (key_width + 2))
        out.write("\n")
    missing = missing_figures(results)
    if missing:
        print_wrapped(_("Missing figures (give them with --figures FILE):"), out, width)
        for name, (years, targets) in missing.items():
            rows_key = next((key for key, figure in ROWS_KEYS.items() if figure == name), None)
            hint = (_("or name the appendix rows that form it: '{key}: [ROW-ID, ...]'").format(key=rows_key)
                    if rows_key is not None else FIGURE_HINTS.get(name))
            line = (_("{figure}: {years} (needed by {targets})").format(
                figure=name, years=", ".join(str(y) for y in years), targets=", ".join(targets))
                + (f"; {hint}" if hint else ""))
            for i, part in enumerate(wrap_cell(line, max(output_width(width) - 4, 16))):  # continued under the name
                out.write(("  " if i == 0 else "    ") + part + "\n")
        out.write("\n")
    for target, unit, years, lines in _row_tables(results):
        _print_rows(out, width, target, unit, years, lines)
    # one line, never wrapped, so that a CI log can be searched for it
    print_line(verdict(data), out, ("bold green" if data["ok"] else "bold red") if tty else "")


def _reading_id(x: dict[str, Any]) -> tuple[str, str, int | None]:
    return (x["of"], x["id"], x["year"])


def reading_keys(results: list[dict[str, Any]]) -> dict[tuple[str, str, int | None], str]:
    """A short key (R1, R2, ...) for every distinct reading the results rest on, in order of appearance."""
    keys: dict[tuple[str, str, int | None], str] = {}
    for r in results:
        for x in r["readings"]:
            keys.setdefault(_reading_id(x), f"R{len(keys) + 1}")
    return keys


def reading_of(x: dict[str, Any]) -> str:
    """What a reading is of: a target, or a figure of a year."""
    if x["of"] == "target":
        return _("target {id}").format(id=x["id"])
    return _("figure {id} {year}").format(id=x["id"], year=x["year"])


def readings_text(r: dict[str, Any]) -> str:
    """The readings a result rests on, in one line; empty when it rests on the agreement's words alone."""
    parts = [reading_of(x) + f": {x['text']}" for x in r["readings"]]
    return _("rests on a reading: {readings}").format(readings="; ".join(parts)) if parts else ""


def units_title(results: list[dict[str, Any]]) -> str:
    """The units of the results: the commonest for all, and the targets in any other unit."""
    by_unit: dict[str, list[str]] = {}
    for r in results:
        targets = by_unit.setdefault(r["unit"], [])
        if r["target"] not in targets:
            targets.append(r["target"])
    if not by_unit:
        return _("no results")
    units = sorted(by_unit, key=lambda u: -len(by_unit[u]))
    text = _("amounts in {unit}").format(unit=unit_text(units[0]))
    for u in units[1:]:
        text += "; " + _("{targets} in {unit}").format(targets=", ".join(by_unit[u]), unit=unit_text(u))
    return text


def missing_figures(results: list[dict[str, Any]]) -> dict[str, tuple[list[int], list[str]]]:
    """Every missing figure: the years it lacks and the targets that need it."""
    out: dict[str, tuple[set[int], list[str]]] = {}
    for r in results:
        for name, years in r["missing_years"].items():
            ys, targets = out.setdefault(name, (set(), []))
            ys.update(years)
            if r["target"] not in targets:
                targets.append(r["target"])
    return {name: (sorted(ys), targets) for name, (ys, targets) in out.items()}


def _row_tables(results: list[dict[str, Any]]) -> list[tuple[str, str, list[int], list[dict[str, Any]]]]:
    """For each target measured from appendix rows: its unit, years and the rows that make up the figure."""
    out: dict[str, tuple[str, list[int], dict[str, dict[str, Any]]]] = {}
    for r in results:
        if not r["rows"] or r["year"] is None:
            continue
        _, years, lines = out.setdefault(r["target"], (r["unit"], [], {}))
        years.append(r["year"])
        for row in r["rows"]:
            entry = lines.setdefault(row["id"], {**row, "amounts": {}})
            entry["amounts"][r["year"]] = row["amount"]
    return [(t, unit, ys, list(ls.values())) for t, (unit, ys, ls) in out.items()]


def _print_rows(out: IO[str], width: int | None, target: str, unit: str, years: list[int],
                lines: list[dict[str, Any]]) -> None:
    files = sorted({ln["file"] for ln in lines if ln.get("file")})
    given = _("; named in {files}").format(files=", ".join(files)) if files else ""
    title = _("Appendix rows behind '{target}' (amounts in {unit}; the figure is minus their "
              "sum{given})").format(target=target, unit=unit_text(unit), given=given)
    cols = [Column(_("Section")), Column(_("Title"), wrap=True), *(Column(str(y), "right") for y in years)]
    cells = [[dk(ln["amounts"].get(y)) for y in years] for ln in lines]
    sums = [sum(ln["amounts"].get(y, 0) for ln in lines) for y in years]
    rows = [[ln["label"] or ln["section"] or "–", ln["title"], *row] for ln, row in zip(lines, cells, strict=True)]
    footer = [["", _("Contribution (minus the sum)"), *[dk(-s) for s in sums]]]
    print_table(TableSpec(title, cols, rows, footer), out, width)


# ----------------------------------------------------------------------------- JUnit


def _message(r: dict[str, Any]) -> str:
    unit = unit_text(r["unit"])
    reading = readings_text(r)
    if r["status"] == "not-evaluable":
        return f"not evaluable: {r['reason']}" + (f"; {reading}" if reading else "")
    return (f"{r['metric']} {when(r, '-')}: actual {num(r['actual'])}, required "
            f"{_COMPARISON_TEXT[r['comparison']]} {num(r['required'])}, margin {num(r['margin'])} ({unit})"
            + (f"; {reading}" if reading else ""))


def junit(data: dict[str, Any]) -> str:
    """JUnit XML: one testcase per target and year; a failure per fail, skipped per not-evaluable.

    With ``--strict`` a not-evaluable result is a failure (type ``not-evaluable``), so that the
    report agrees with the exit status. Its messages are English in every language: JUnit is a
    machine format.
    """
    from .language import in_language

    with in_language("en"):
        return _junit(data)


def _junit(data: dict[str, Any]) -> str:
    results = data["results"]
    strict = data["strict"]
    failures = sum(1 for r in results if r["status"] == "fail" or (strict and r["status"] == "not-evaluable"))
    skipped = sum(1 for r in results if r["status"] == "not-evaluable" and not strict)
    counts = {"tests": str(len(results)), "failures": str(failures), "errors": "0", "skipped": str(skipped),
              "time": "0"}
    period = data["strategy_period"]
    root = ET.Element("testsuites", {"name": "budget check-strategy", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": f"economic strategy {period[0]}-{period[1]}", **counts})
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", {"name": "agreement", "value": data["files"]["agreement"]})
    for f in data["files"]["figures"]:
        ET.SubElement(props, "property", {"name": "figures", "value": f})
    ET.SubElement(props, "property", {"name": "strict", "value": str(strict).lower()})
    for r in results:
        case = ET.SubElement(suite, "testcase", {"classname": f"strategy.{r['target']}",
                                                  "name": f"{r['target']} {when(r, '-')}", "time": "0"})
        if r["readings"]:
            case_props = ET.SubElement(case, "properties")
            for x in r["readings"]:
                what = x["id"] if x["of"] == "target" else f"{x['id']} {x['year']}"
                ET.SubElement(case_props, "property", {"name": f"reading.{x['of']}", "value": f"{what}: {x['text']}"})
        detail = f"{r['wording']}\n{_message(r)}"
        if r["status"] == "fail":
            el = ET.SubElement(case, "failure", {"message": _message(r), "type": "fail"})
            el.text = detail
        elif r["status"] == "not-evaluable":
            if strict:
                el = ET.SubElement(case, "failure", {"message": _message(r), "type": "not-evaluable"})
                el.text = detail
            else:
                ET.SubElement(case, "skipped", {"message": _message(r)})
        else:
            ET.SubElement(case, "system-out").text = detail
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def junit_error(problems: list[Any]) -> str:
    """JUnit XML for input that could not be used: one errored test case with every located problem."""
    n = len(problems)
    counts = {"tests": "1", "failures": "0", "errors": "1", "skipped": "0", "time": "0"}
    root = ET.Element("testsuites", {"name": "budget check-strategy", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "economic strategy", **counts})
    case = ET.SubElement(suite, "testcase", {"classname": "strategy.input", "name": "input files", "time": "0"})
    first = problems[0].format().split("\n")[0] if problems else "the input could not be read"
    el = ET.SubElement(case, "error", {"message": f"{n} problem{'s' if n != 1 else ''} in the input: {first}",
                                       "type": "invalid-input"})
    el.text = "\n".join(p.format() for p in problems)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
