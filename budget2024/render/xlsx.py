"""Tables as an Excel workbook (``--format xlsx --output FILE``), written with XlsxWriter.

A report is drawn as for a terminal, but its tables are collected instead of drawn
(:func:`collect`): each table becomes a sheet, its amounts numbers (the values :func:`render.dk`
drew) with a thousands-separator format (Danish Excel shows 4.250), a title row with the
table's title and unit, a frozen and filtered header row and columns wide enough for their
cells. Text the report writes beside its tables goes to a last sheet of notes. A report whose
table cells are not plain amounts (check-strategy, reconcile) gives its sheets itself, from its
data (:func:`strategy_sheets`, :func:`reconcile_sheets`).

The workbook is built in memory and written by :func:`render.files.write_file`: atomically, and
never over an existing file without ``force``.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..i18n import _
from . import KIND_LABEL, Amount, TableSpec, unit_label

#: Excel's number formats: thousands separator, and up to two decimals where a value has them
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
MAX_WIDTH = 60  # a wider text column wraps
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


class Plain(int):
    """A whole number drawn as digits (a count, a year): a number in the workbook, without a thousands separator."""


class Sheet(NamedTuple):
    name: str  # the tab's name (made unique and short enough when written)
    title: str  # the title row: what the table is, and its unit
    header: list[str]
    rows: list[list[Any]]  # str, int, float or None per cell
    footer: list[list[Any]] = []  # totals, in bold below the rows
    notes: list[str] = []  # lines below the table


def cell(value: Any) -> Any:
    """A table cell for the workbook: an amount as its number, a text as its text."""
    if isinstance(value, Amount):
        return value.value
    if isinstance(value, str):
        return value
    plain = getattr(value, "plain", None)  # a rich Text
    return plain if isinstance(plain, str) else value


def sheet_name(title: str) -> str:
    """A tab's name from a table's title: the words before its unit or filters."""
    name = re.split(r" \(| — |: ", title, maxsplit=1)[0].strip()
    return name or title


_DIGITS = re.compile(r"-?[0-9]+")


def _cells(row: Sequence[Any], right: Sequence[bool]) -> list[Any]:
    """A row's cells; digits in a right-aligned column (a count) are a number too."""
    out = [cell(c) for c in row]
    return [Plain(v) if isinstance(v, str) and r and _DIGITS.fullmatch(v) else v
            for v, r in zip(out, [*right, *[False] * (len(out) - len(right))], strict=False)]


def from_spec(spec: TableSpec) -> Sheet:
    right = [c.justify == "right" for c in spec.columns]
    rows = [_cells(r, right) for r in spec.rows]
    footer = [_cells(r, right) for r in spec.footer_rows or []]
    return Sheet(sheet_name(spec.title), spec.title, [c.header for c in spec.columns], rows, footer,
                 spec.caption.split("\n") if spec.caption else [])


def from_rich(table: Any) -> Sheet:
    """A rich Table that a renderer drew directly: its cells as they are (amounts stay numbers)."""
    title = str(cell(table.title) or "")
    header = [str(cell(c.header)) for c in table.columns]
    cells = [[cell(c) for c in col._cells] for col in table.columns]
    cells = [[Plain(v) if isinstance(v, str) and col.justify == "right" and _DIGITS.fullmatch(v) else v
              for v in column] for col, column in zip(table.columns, cells, strict=True)]
    body: list[list[Any]] = []
    footer: list[list[Any]] = []
    for i in range(table.row_count):
        row = [col[i] if i < len(col) else None for col in cells]
        style = table.rows[i].style if i < len(table.rows) else None
        (footer if style == "bold" else body).append(row)
    caption = str(cell(table.caption) or "")
    return Sheet(sheet_name(title), title, header, body, footer, caption.split("\n") if caption else [])


@contextlib.contextmanager
def collect() -> Iterator[list[Sheet]]:
    """While inside, the tables a renderer draws (and the text it prints, as a sheet of notes)
    are collected into the list this yields, when the block ends."""
    from .. import render

    saved = render._collect
    drawn: list[Any] = []
    text = io.StringIO()
    render._collect = drawn
    sheets: list[Sheet] = []
    try:
        with contextlib.redirect_stdout(text):
            yield sheets
    finally:
        render._collect = saved
    sheets += [from_spec(t) if isinstance(t, TableSpec) else from_rich(t) for t in drawn]
    lines = [line.rstrip() for line in text.getvalue().splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    if any(lines):
        sheets.append(Sheet(_("Notes"), _("Notes"), [], [], [], lines))


def _text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, int | float):
        from . import dk

        return len(dk(value)) + 1
    return max((len(line) for line in str(value).split("\n")), default=0)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as the bytes of an .xlsx file."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    styles: dict[Any, Any] = {
        "title": book.add_format({"bold": True, "font_size": 12}),
        "header": book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "bottom"}),
        **{(kind, bold, wrap): book.add_format({**({"num_format": kind} if kind else {}), "bold": bold,
                                                "text_wrap": wrap, "valign": "top"})
           for kind in (INTEGER_FORMAT, DECIMAL_FORMAT, None) for bold in (False, True) for wrap in (False, True)},
    }
    used: set[str] = set()
    for sheet in sheets or [Sheet(_("Notes"), "", [], [], [], [])]:
        _write_sheet(book.add_worksheet(_unique(sheet.name, used)), sheet, styles)
    book.close()
    return buf.getvalue()


def _write_sheet(ws: Any, sheet: Sheet, styles: dict[Any, Any]) -> None:
    ncols = max([len(sheet.header), *(len(r) for r in sheet.rows + sheet.footer), 1])
    widths = [_text_width(h) for h in sheet.header] + [0] * (ncols - len(sheet.header))
    for r in sheet.rows + sheet.footer:
        for i, v in enumerate(r):
            widths[i] = max(widths[i], _text_width(v))
    wrap = [w > MAX_WIDTH for w in widths]
    for i, w in enumerate(widths):
        ws.set_column(i, i, min(max(w, 4), MAX_WIDTH) + 2)
    if not sheet.header:  # notes: one line a row
        ws.set_column(0, 0, 120)
    ws.write_string(0, 0, sheet.title, styles["title"])
    row = 1
    if sheet.header:
        for i, h in enumerate(sheet.header):
            ws.write_string(row, i, h, styles["header"])
        ws.freeze_panes(row + 1, 0)
        row += 1

    def put(values: list[Any], bold: bool) -> None:
        for i, v in enumerate(values):
            if v is None or v == "":
                continue
            if isinstance(v, bool):
                ws.write_boolean(row, i, v, styles[(None, bold, False)])
            elif isinstance(v, Plain):
                ws.write_number(row, i, v, styles[(None, bold, False)])
            elif isinstance(v, int | float):
                kind = INTEGER_FORMAT if float(v).is_integer() else DECIMAL_FORMAT
                ws.write_number(row, i, v, styles[(kind, bold, False)])
            else:
                ws.write_string(row, i, str(v), styles[(None, bold, wrap[i] or "\n" in str(v))])

    for values in sheet.rows:
        put(values, False)
        row += 1
    if sheet.header:
        ws.autofilter(1, 0, max(row - 1, 1), len(sheet.header) - 1)
    if sheet.footer:
        row += 1  # a blank row: the totals stay out of the filter
        for values in sheet.footer:
            put(values, True)
            row += 1
    if sheet.notes:
        row += 1
        for line in sheet.notes:
            if line:
                ws.write_string(row, 0, line)
            row += 1


def _fit(name: str, size: int) -> str:
    """``name`` in at most ``size`` characters, cut after a whole word where it has one."""
    if len(name) <= size:
        return name
    cut = name[:size]
    return cut.rsplit(" ", 1)[0] if name[size] != " " and " " in cut else cut.rstrip()


def _unique(name: str, used: set[str]) -> str:
    """A tab name Excel accepts: at most 31 characters, none of []:*?/\\, unique in any case."""
    base = _BAD_NAME.sub("-", name).strip("'") or "Sheet"
    candidate, n = _fit(base, 31), 1
    while candidate.casefold() in used:
        n += 1
        suffix = f" ({n})"
        candidate = _fit(base, 31 - len(suffix)) + suffix
    used.add(candidate.casefold())
    return candidate


def write_xlsx(sheets: Sequence[Sheet], path: Path, *, force: bool = False) -> None:
    """Write the workbook to ``path`` atomically (see render/files.py)."""
    from .files import write_file

    write_file(path, workbook(sheets), force=force)


# ----------------------------------------------------------------------------- reports with their own sheets


def committee_sheets(data: dict[str, Any], drawn: list[Sheet]) -> list[Sheet]:
    """committee: the tables it draws (its appendix rows), then its initiatives without amounts and
    those where it is only involved, one sheet each, then the notes."""
    from .committee import _involved, _without_amounts

    tables = [s for s in drawn if s.header]
    notes = [s for s in drawn if not s.header]
    name = data["committee"]

    def names(bodies: list[dict[str, Any]]) -> str:
        return ", ".join(b["name"] for b in bodies)

    for heading, items in ((_("Initiatives without amounts"), _without_amounts(data)),
                           (_("Initiatives where it is involved"), _involved(data))):
        rows = [[i["section"] or "", i["section_title"] or "", i["title"], i["id"], names(i["responsible"]),
                 _("yes") if i.get("inferred") else "", _("yes") if i.get("rows_elsewhere") else ""] for i in items]
        tables.append(Sheet(heading, f"{name}: {heading} ({len(items)})",
                            [_("Section"), _("Section title"), _("Initiative"), _("Id"), _("Responsible"),
                             _("Inferred link"), _("Rows under another body")], rows))
    return tables + notes


def totals_sheets(data: dict[str, Any], drawn: list[Sheet]) -> list[Sheet]:
    """totals: the table it draws, then (without filters) the agreement's tax rates and the
    figures its general part states, as numbers, each with its sentence."""
    tables = [s for s in drawn if s.header]
    general = data.get("general") or {}
    if general.get("tax_rates"):
        tables.append(Sheet(_("Tax rates"), _("Tax rates (as the agreement states them)"),
                            [_("Value"), _("Unit"), _("Sentence")],
                            [[t["value"], t["unit"], t["sentence"]] for t in general["tax_rates"]]))
    if general.get("stated_figures"):
        rows: list[list[Any]] = []
        for f in general["stated_figures"]:
            approx = _("yes") if f.get("approximate") else ""
            if f.get("value") is not None:
                rows.append([", ".join(str(y) for y in f.get("years") or []), f["value"], approx, f["sentence"]])
            for year, amount in (f.get("amounts") or {}).items():
                rows.append([_year(str(year)), amount, approx, f["sentence"]])
        tables.append(Sheet(_("Stated figures"), _("Figures stated in the general part (1.000 kr.)"),
                            [_("Year"), _("Amount"), _("Approximate"), _("Sentence")], rows))
    return tables


def show_sheets(data: dict[str, Any], drawn: list[Sheet]) -> list[Sheet]:
    """show: the tables it draws (the appendix rows), then the amounts its prose states, one row
    per quote and year, then the notes."""
    tables = [s for s in drawn if s.header]
    notes = [s for s in drawn if not s.header]
    prose = data.get("prose_amounts") or []
    if prose:
        rows: list[list[Any]] = []
        for p in prose:
            kind = p.get("kind") or ""
            for year, amount in (p.get("amounts") or {}).items():
                rows.append([p["text"], kind, _year(year), amount])
            if p.get("total") is not None:
                rows.append([p["text"], kind, _("total"), p["total"]])
            if not p.get("amounts") and p.get("total") is None and p.get("per_year") is not None:
                rows.append([p["text"], kind, _("a year"), p["per_year"]])
        tables.append(Sheet(_("Amounts in the prose"), _("Amounts in the prose (in {unit})").format(
            unit=unit_label(data["unit"])), [_("Quote"), _("Kind"), _("Year"), _("Amount")], rows))
    return tables + notes


def strategy_sheets(data: dict[str, Any], drawn: list[Sheet] | None = None) -> list[Sheet]:
    """check-strategy: its results (one row per target and year), the readings they rest on, and
    the missing figures."""
    from .strategy import (
        _STATUS,
        _reading_id,
        _row_tables,
        missing_figures,
        reading_keys,
        reading_of,
        unit_text,
        units_title,
        when,
    )

    results = data["results"]
    keys = reading_keys(results)
    period = data["strategy_period"]
    title = _("Economic strategy {start}–{end}").format(start=period[0], end=period[1])
    if data["year"] is not None:
        title += _(", results for {year}").format(year=data["year"])
    header = [_("Target"), _("Year"), _("Comparison"), _("Required"), _("Actual"), _("Margin"), _("Unit"),
              _("Reading"), _("Status")]
    rows = [[r["target"], when(r), r["comparison"], r["required"], r["actual"], r["margin"], unit_text(r["unit"]),
             " ".join(keys[_reading_id(x)] for x in r["readings"]), _(_STATUS[r["status"]][2])] for r in results]
    sheets = [Sheet(_("Targets"), f"{title} ({units_title(results)})", header, rows)]
    if keys:
        texts = {_reading_id(x): x for r in results for x in r["readings"]}
        sheets.append(Sheet(_("Readings"), _("Results that rest on a reading of the agreement, not on its words"),
                            [_("Reading"), _("Of"), _("Text")],
                            [[k, reading_of(texts[rid]), texts[rid]["text"]] for rid, k in keys.items()]))
    missing = missing_figures(results)
    if missing:
        sheets.append(Sheet(_("Missing figures"), _("Missing figures (give them with --figures FILE)"),
                            [_("Figure"), _("Years"), _("Needed by")],
                            [[name, ", ".join(str(y) for y in ys), ", ".join(by)]
                             for name, (ys, by) in missing.items()]))
    for target, unit, years, lines in _row_tables(results):
        sums = [sum(ln["amounts"].get(y, 0) for ln in lines) for y in years]
        sheets.append(Sheet(
            target, _("Appendix rows behind '{target}' (amounts in {unit}; the figure is minus their sum)").format(
                target=target, unit=unit_text(unit)),
            [_("Section"), _("Title"), *[str(y) for y in years]],
            [[ln["label"] or ln["section"] or "–", ln["title"], *[ln["amounts"].get(y) for y in years]]
             for ln in lines],
            [["", _("Contribution (minus the sum)"), *[-s for s in sums]]]))
    return sheets + [s for s in drawn or [] if not s.header]


def _year(key: str) -> Any:
    return Plain(int(key)) if key.isdigit() else _("total") if key == "total" else key


def reconcile_sheets(data: dict[str, Any], drawn: list[Sheet] | None = None) -> list[Sheet]:
    """reconcile: one row per finding and year, with the prose's and the appendix's amounts (or
    texts, for names and labels); then the general part's stated figures against each reading
    of the appendix, one row per reading and year."""
    from .reconcile import _basis_text, category_name, explain

    unit = unit_label(data["unit"])
    header = [_("Category"), _("Section"), _("Initiative / row"), _("Kind"), _("Year"), _("Prose"), _("Appendix"),
              _("Difference"), _("Explanation"), _("Recorded")]
    rows: list[list[Any]] = []
    for f in data["findings"]:
        what = f.get("initiative_title") or ", ".join(f.get("line_titles") or []) or f.get("initiative") or ""
        kind = f.get("kind")
        common = [category_name(f["category"]), f.get("section") or "", what,
                  KIND_LABEL.get(kind, kind) if kind else ""]
        tail = [explain(f), _("yes") if f.get("recorded") else _("no")]
        sides = [f.get(k) for k in ("prose", "appendix", "difference")]
        keys = sorted({k for side in sides if isinstance(side, dict) for k in side})
        if not keys:
            rows.append([*common, None, *[v if isinstance(v, str) else None for v in sides], *tail])
        for k in keys:
            rows.append([*common, _year(k), *[side.get(k) if isinstance(side, dict) else None for side in sides],
                         *tail])
    sheets = [Sheet(_("Findings"), _("Where the prose and the appendix disagree (amounts in {unit})").format(
        unit=unit), header, rows)]
    figures: list[list[Any]] = []
    for st in data.get("stated_figures") or []:
        readings = st["derivations"] or ([{"basis": st["basis"], "amounts": st["appendix"]}] if st["appendix"] else [])
        status = _("agrees") if st["status"] == "agrees" else _("cannot be derived from the appendix")
        for k in sorted(st["stated"]):
            for d in readings or [None]:
                given = d["amounts"].get(k) if d else None
                figures.append([st["id"], _year(k), st["stated"][k], _basis_text(d["basis"]) if d else _("no row"),
                                given, st["stated"][k] - given if given is not None else None, status])
    if figures:
        sheets.append(Sheet(_("Stated figures"), _("The general part's figures against the appendix "
                                                   "(amounts in {unit})").format(unit=unit),
                            [_("Stated figure"), _("Year"), _("Stated"), _("Appendix reading"), _("Appendix gives"),
                             _("Difference"), _("Status")], figures))
    return sheets + [s for s in drawn or [] if not s.header]
