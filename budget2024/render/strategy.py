"""Renderers for ``check-strategy``: a table for people, JSON for programs, JUnit XML for CI."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from typing import IO, Any

from ..vocab import FIGURE_HINTS
from . import console, dk, print_fitted, to_json, unit_label, wrap_cell

UNIT_LABELS = {"kr. per inhabitant": "kr. pr. indbygger", "persons": "personer"}

#: status → (symbol, style, word) on a terminal; when piped, the word alone
_STATUS = {
    "pass": ("✔", "green", "pass"),
    "fail": ("✘", "bold red", "FAIL"),
    "not-evaluable": ("?", "yellow", "not evaluable"),
}

_COMPARISON_TEXT = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than", "==": "exactly"}


def unit_text(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit_label(unit))


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
    scope = f" for {data['year']}" if data["year"] is not None else ""
    parts = f"{c['pass']} pass, {c['fail']} fail, {c['not-evaluable']} not evaluable ({c['total']} results)"
    if c["fail"]:
        return f"FAILED{scope}: {parts}"
    if not data["ok"]:
        return f"FAILED{scope} (--strict): {parts}"
    return f"ok{scope}: {parts}"


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
    symbol, _, word = _STATUS[result["status"]]
    return f"{symbol} {word}" if tty else word


def print_check(data: dict[str, Any], out: IO[str], width: int | None = None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    tty = _is_tty(out)
    con = console(out, width)
    results = data["results"]
    period = data["strategy_period"]
    title = f"Economic strategy {period[0]}–{period[1]}"
    if data["year"] is not None:
        title += f", results for {data['year']}"
    notes = ["Margin: room to spare; negative when the target is missed."]
    notes += [f"{r['target']} {when(r)}: from the end of {r['baseline_year']} to the end of {r['period'][1]}."
              for r in results if r["baseline_year"] is not None]
    title += f" ({units_title(results)})"
    table = Table(title=Text(title), box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
                  title_justify="left", caption_justify="left", caption=Text("\n".join(notes)))
    keys = reading_keys(results)
    rows = [[r["target"], when(r), f"{r['comparison']} {num(r['required'])}", num(r["actual"]),
             num(r["margin"]), " ".join(keys[_reading_id(x)] for x in r["readings"])] for r in results]
    headers = ["Target", "Year", "Required", "Actual", "Margin", "Reading"]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    status_width = max(len(_status_text(r, tty)) for r in results) if results else len("Status")
    # ids are the one column that may wrap on a narrow terminal: after a '-', and inside a word only
    # where the word alone is wider than the room; numbers never do (else the table is drawn wider)
    room = con.width - (sum(widths[1:]) + max(status_width, len("Status")) + 2 * (len(headers) + 1))
    if rows and room < widths[0]:
        # never narrower than a part between hyphens (operating- surplus), so that only a word
        # without a hyphen that is wider than the room itself is ever folded
        parts = [p for row in rows if "-" in row[0] for p in re.findall(r"[^-]*-|[^-]+", row[0])]
        w = max([room, len(headers[0]), *(len(p) for p in parts)])
        for row in rows:
            row[0] = "\n".join(wrap_cell(row[0], w))
        widths[0] = max([len(headers[0]), *(len(x) for row in rows for x in row[0].split("\n"))])
    for i, h in enumerate(headers):
        table.add_column(h, justify="left" if i in (0, 1, 5) else "right", no_wrap=True, min_width=widths[i])
    table.add_column("Status", no_wrap=True, min_width=status_width)  # never wrapped or cut
    for r, row in zip(results, rows, strict=True):
        symbol, style, word = _STATUS[r["status"]]
        status = Text(_status_text(r, tty), style=style if tty else "")
        table.add_row(*(Text(c) for c in row), status)  # Text: ids are data, never markup
    print_fitted(con, table)
    if keys:
        con.print(Text("Results marked in 'Reading' rest on a reading of the agreement, not on its words:"))
        texts = {_reading_id(x): x for r in results for x in r["readings"]}
        grid = Table.grid(padding=(0, 1), pad_edge=True)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold", ratio=1)
        for rid, key in keys.items():
            x = texts[rid]
            what = f"target {x['id']}" if x["of"] == "target" else f"figure {x['id']} {x['year']}"
            grid.add_row(Text(key), Text(f"{what}: {x['text']}"))
        con.print(grid)
        con.print()
    missing = missing_figures(results)
    if missing:
        con.print(Text("Missing figures (give them with --figures FILE):"))
        for name, (years, targets) in missing.items():
            hint = FIGURE_HINTS.get(name)
            line = (f"{name}: {', '.join(str(y) for y in years)} (needed by {', '.join(targets)})"
                    + (f"; {hint}" if hint else ""))
            for i, part in enumerate(wrap_cell(line, max(con.width - 4, 16))):  # continued under the name
                con.print(Text(("  " if i == 0 else "    ") + part), soft_wrap=True)
        con.print()
    for target, unit, years, lines in _row_tables(results):
        _print_rows(con, target, unit, years, lines)
    # one line, never wrapped, so that a CI log can be searched for it
    con.print(Text(verdict(data), style=("bold green" if data["ok"] else "bold red") if tty else ""), soft_wrap=True)


def _reading_id(x: dict[str, Any]) -> tuple[str, str, int | None]:
    return (x["of"], x["id"], x["year"])


def reading_keys(results: list[dict[str, Any]]) -> dict[tuple[str, str, int | None], str]:
    """A short key (R1, R2, ...) for every distinct reading the results rest on, in order of appearance."""
    keys: dict[tuple[str, str, int | None], str] = {}
    for r in results:
        for x in r["readings"]:
            keys.setdefault(_reading_id(x), f"R{len(keys) + 1}")
    return keys


def readings_text(r: dict[str, Any]) -> str:
    """The readings a result rests on, in one line; empty when it rests on the agreement's words alone."""
    parts = [f"{'target ' + x['id'] if x['of'] == 'target' else 'figure ' + x['id'] + ' ' + str(x['year'])}: "
             f"{x['text']}" for x in r["readings"]]
    return ("rests on a reading: " + "; ".join(parts)) if parts else ""


def units_title(results: list[dict[str, Any]]) -> str:
    """The units of the results: the commonest for all, and the targets in any other unit."""
    by_unit: dict[str, list[str]] = {}
    for r in results:
        targets = by_unit.setdefault(r["unit"], [])
        if r["target"] not in targets:
            targets.append(r["target"])
    if not by_unit:
        return "no results"
    units = sorted(by_unit, key=lambda u: -len(by_unit[u]))
    text = f"amounts in {unit_text(units[0])}"
    for u in units[1:]:
        text += f"; {', '.join(by_unit[u])} in {unit_text(u)}"
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


def _print_rows(con: Any, target: str, unit: str, years: list[int], lines: list[dict[str, Any]]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    files = sorted({ln["file"] for ln in lines if ln.get("file")})
    given = f"; named in {', '.join(files)}" if files else ""
    table = Table(title=Text(f"Appendix rows behind '{target}' (amounts in {unit_text(unit)}; the figure is minus "
                             f"their sum{given})"),
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left")
    table.add_column("Section", no_wrap=True)
    table.add_column("Title", overflow="fold", ratio=1, min_width=14)
    cells = [[dk(ln["amounts"].get(y)) for y in years] for ln in lines]
    sums = [sum(ln["amounts"].get(y, 0) for ln in lines) for y in years]
    for j, y in enumerate(years):
        widest = max([len(str(y)), len(dk(-sums[j])), *(len(c[j]) for c in cells)])
        table.add_column(str(y), justify="right", no_wrap=True, min_width=widest)
    for ln, row in zip(lines, cells, strict=True):
        table.add_row(Text(ln["label"] or ln["section"] or "–"), Text(ln["title"]), *row)
    table.add_section()
    table.add_row("", "Contribution (minus the sum)", *[dk(-s) for s in sums], style="bold")
    print_fitted(con, table)


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
    report agrees with the exit status.
    """
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
