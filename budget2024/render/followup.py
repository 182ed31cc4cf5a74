"""Renderers for the follow-up money view (``budget followup``), the skeleton (``budget followup init``),
and the corrected budget beside the agreed one (``totals`` and ``committee`` with ``--followup``)."""

from __future__ import annotations

import sys
from typing import IO, Any

from . import KIND_LABEL, dk, to_csv, to_json, unit_label
from .document import DASH, Block, bullets, heading, paragraph, section_cell, table, to_text
from .status import MONEY_HEADER, MONEY_KEYS, money_cells

CSV_HEADER = ["id", "body", "kind", "section", "title", "initiative", "added", *MONEY_KEYS, "over"]


def _body_name(ref: dict[str, Any] | None) -> str:
    return ref["name"] if ref else "No body"


def _threshold_text(limit: dict[str, Any]) -> str:
    return f"{limit['value']} %" if limit["unit"] == "%" else f"{dk(limit['value'])} ({unit_label(limit['unit'])})"


def followup_document(data: dict[str, Any]) -> list[Block]:
    unit = unit_label(data["unit"])
    upto = f" up to {data['as_of']}" if data["as_of"] else ""
    limit = data["threshold"]
    blocks: list[Block] = [heading(f"Follow-up {data['year']}{upto}: the budget's rows"),
                           paragraph(f"{data['agreement']}. {len(data['rows'])} rows with money in {data['year']}"
                                     + (f", of {data['committee']['name']}" if data["committee"] else "")
                                     + (f", {KIND_LABEL[data['kind']].lower()} only" if data["kind"] else "") + ".")]
    header = ["Section", "Title", "Kind", *MONEY_HEADER] + (["Over"] if limit else [])
    right = [False, False, False, *[True] * len(MONEY_HEADER)] + ([False] if limit else [])
    for s in data["sums"]:
        members = [r for r in data["rows"] if r["body"] == s["body"] and r["kind"] == s["kind"]]
        rows = []
        for r in members:
            title = r["title"] + (" (added)" if r["added"] else "")
            rows.append([section_cell(r["section"], r["label"]), title, KIND_LABEL[r["kind"]], *money_cells(r)]
                        + (["over" if r["over"] else ""] if limit else []))
        footer = [["", "Subtotal", KIND_LABEL[s["kind"]], *money_cells(s)] + ([""] if limit else [])]
        added = any(r["added"] for r in members)
        blocks.append(table(f"{_body_name(s['body'])}, {KIND_LABEL[s['kind']].lower()} {data['year']} "
                            f"(amounts in {unit})", header, rows, right, wrap=1, footer=footer,
                            caption="(added): a row added during the year by a decision; not part of the "
                                    "agreement." if added else None))
    if data["totals"]:
        rows = [[KIND_LABEL[t["kind"]], *money_cells(t)] for t in data["totals"]]
        footer = [["Total", *money_cells(data["total"])]]
        blocks.append(table(f"Totals {data['year']} (amounts in {unit})", ["Kind", *MONEY_HEADER], rows,
                            [False, *[True] * len(MONEY_HEADER)], footer=footer,
                            caption="Agreed: the appendix. Corr.: the corrections. Actuals, Forecast: the latest "
                                    "entries; a sum is shown only when every row in it has one (– otherwise). "
                                    "Dev.: forecast minus corrected budget."))
    decisions = [f"{r['title']} [{r['id']}]: {d['date']} {d['decision']}: {dk(d['amount'])}"
                 for r in data["rows"] for d in r["decisions"]]
    blocks.append(heading(f"Corrections and their decisions ({unit}, {data['year']})", 2))
    blocks.append(bullets(decisions) if decisions else paragraph("None."))
    if limit:
        over = data["over"]
        blocks.append(paragraph(f"Threshold {_threshold_text(limit)}: "
                                + (f"{over} row{'s' if over != 1 else ''} over (forecast above the corrected "
                                   "budget by more)." if over else "no row is over.")))
    return blocks


def show_followup(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(data, out)
    elif fmt == "csv":
        to_csv(CSV_HEADER, [[r["id"], (r["body"] or {}).get("id", ""), r["kind"], r["section"] or "", r["title"],
                             r["initiative"] or "", "yes" if r["added"] else "",
                             *["" if r[k] is None else r[k] for k in MONEY_KEYS], "yes" if r["over"] else ""]
                            for r in data["rows"]], out)
    else:
        to_text(followup_document(data), out, width)


def corrected_blocks(data: dict[str, Any]) -> list[Block]:
    """The corrected budget beside the agreed one, per kind, for ``totals`` and ``committee``."""
    unit = unit_label(data["unit"])
    rows = [[KIND_LABEL[k["kind"]], dk(k["agreed"]), dk(k["corrections"]), dk(k["corrected"]),
             dk(k["added"]) if k["added_rows"] else DASH] for k in data["kinds"]]
    footer = [["Total", dk(data["agreed"]), dk(data["corrections"]), dk(data["corrected"]),
               dk(sum(k["added"] for k in data["kinds"])) if any(k["added_rows"] for k in data["kinds"]) else DASH]]
    return [table(f"Corrected budget {data['year']} (amounts in {unit})",
                  ["Kind", "Agreed", "Corrections", "Corrected", "Of which added"], rows,
                  [False, True, True, True, True], footer=footer,
                  caption="Corrections: every correction in the follow-up files. Of which added: the rows added "
                          "during the year (not part of the agreement), included in Corrected.")]


def show_corrected(data: dict[str, Any], out: IO[str] | None = None, width: int | None = None) -> None:
    to_text(corrected_blocks(data), out, width)


# ----------------------------------------------------------------------------- followup init


def _comment(text: str) -> str:
    return " ".join(text.split())


def _yaml_text(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _key(ident: str) -> str:
    """An id as a mapping key: plain when YAML reads it back as the same text, else quoted."""
    import yaml

    try:
        plain = yaml.safe_load(f"{ident}: x")
    except yaml.YAMLError:
        plain = None
    return ident if isinstance(plain, dict) and list(plain) == [ident] else _yaml_text(ident)


def skeleton(data: dict[str, Any]) -> str:
    """The YAML text of a follow-up skeleton (see :func:`budget2024.reports.followup_init.skeleton_data`)."""
    out = [f"# Follow-up of {data['agreement']['title']}, {data['year']}"
           + (f": {data['body']['name']}" if data["body"] else "") + ".",
           "# Fill in each task's priority (1 = first) and plan per quarter; add status entries such as",
           "#   status:",
           "#     - {date: YYYY-MM-DD, state: on-track, note: …}",
           "# (states: not-started, on-track, delayed, done, cancelled, ongoing). Under rows: add corrections",
           "# ({date, decision, amounts: {YEAR: AMOUNT}}), actuals and forecast ({as_of, amount}), in 1.000 kr.",
           "# Check it with: budget validate --followup FILE",
           "schema_version: 1",
           f"agreement: {{municipality: {_yaml_text(data['agreement']['municipality'])}, "
           f"title: {_yaml_text(data['agreement']['title'])}}}",
           f"year: {data['year']}"]
    if data["tasks"]:
        out.append("tasks:")
        for t in data["tasks"]:
            out.append(f"  # {_comment(t['section_label'])}: {_comment(t['title'])}")
            out.append(f"  {_key(t['id'])}:")
            out.append("    priority:")
            out.append("    plan:")
            out += [f"      {q}:" for q in data["quarters"]]
    else:
        out.append("tasks: {}")
    if data["rows"]:
        out.append("rows:")
        for r in data["rows"]:
            amount = f"{r['agreed']}" if r["agreed"] is not None else "no amount"
            out.append(f"  # {KIND_LABEL[r['kind']]}, {_comment(r['section_label'])}: {_comment(r['title'])} "
                       f"(agreed {data['year']}: {amount})")
            out.append(f"  {_key(r['id'])}:")
            out += ["    corrections: []", "    actuals: []", "    forecast: []"]
    else:
        out.append("rows: {}")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- totals and committee


def _csv_rows(render: Any) -> list[list[str]]:
    import csv
    import io

    buf = io.StringIO()
    render(buf)
    return list(csv.reader(io.StringIO(buf.getvalue())))


def show_totals_corrected(data: dict[str, Any], corrected: dict[str, Any], fmt: str, single_year: bool,
                          out: IO[str] | None = None, width: int | None = None) -> None:
    """``budget totals`` with the corrected budget of the follow-up year: the same output, and beside it
    (JSON: under "followup"; CSV: two more columns on the follow-up year's lines; table: a second table)."""
    import io
    import json

    from .views import show_totals

    if fmt == "json":
        buf = io.StringIO()
        show_totals(data, "json", single_year, buf)
        to_json({**json.loads(buf.getvalue()), "followup": corrected}, out)
    elif fmt == "csv":
        rows = _csv_rows(lambda buf: show_totals(data, "csv", single_year, buf))
        by_kind = {k["kind"]: k for k in corrected["kinds"]}
        year = str(corrected["year"])
        table_rows: list[list[Any]] = []
        for row in rows[1:]:
            extra: list[Any] = ["", ""]
            if row[0] == year and row[1] in by_kind:
                extra = [by_kind[row[1]]["corrections"], by_kind[row[1]]["corrected"]]
            elif row[0] == year and row[1] == "total":
                extra = [corrected["corrections"], corrected["corrected"]]
            table_rows.append([*row, *extra])
        to_csv([*rows[0], "corrections", "corrected"], table_rows, out)
    else:
        show_totals(data, "table", single_year, out, width)
        (out or sys.stdout).write("\n")
        show_corrected(corrected, out, width)


def show_committee_corrected(data: dict[str, Any], corrected: dict[str, Any], fmt: str,
                             out: IO[str] | None = None, width: int | None = None) -> None:
    """``budget committee`` with the corrected budget of the follow-up year beside the agreed one."""
    from .committee import committee_markdown, show_committee
    from .document import to_markdown

    out = out or sys.stdout
    if fmt == "json":
        to_json({**data, "followup": corrected}, out)
    elif fmt == "csv":
        rows = _csv_rows(lambda buf: show_committee(data, "csv", buf))
        by_row = {r["id"]: r for r in corrected["rows"]}
        year = corrected["year"]
        body = []
        for row in rows[1:]:
            r = by_row.get(row[0])
            body.append([*row, r["corrections"] if r else "", r["corrected"] if r else ""])
        to_csv([*rows[0], f"corrections_{year}", f"corrected_{year}"], body, out)
    elif fmt == "markdown":
        out.write(committee_markdown(data) + "\n" + to_markdown(committee_corrected_blocks(corrected, 2)))
    else:
        show_committee(data, "table", out, width)
        to_text(committee_corrected_blocks(corrected), out, width)


def committee_corrected_blocks(corrected: dict[str, Any], level: int = 1) -> list[Block]:
    unit = unit_label(corrected["unit"])
    blocks = [heading(f"Follow-up {corrected['year']}: the corrected budget", level), *corrected_blocks(corrected)]
    changed = corrected["rows"]
    if changed:
        rows = [[section_cell(r["section"], ""), r["title"] + (" (added during the year)" if r["added"] else ""),
                 KIND_LABEL[r["kind"]], dk(r["agreed"]), dk(r["corrections"]), dk(r["corrected"])] for r in changed]
        blocks.append(table(f"Rows with corrections {corrected['year']} (amounts in {unit})",
                            ["Section", "Title", "Kind", "Agreed", "Corrections", "Corrected"], rows,
                            [False, False, False, True, True, True], wrap=1))
        decisions = [f"{r['title']}: {d['date']} {d['decision']}: {dk(d['amount'])}"
                     for r in changed for d in r["decisions"]]
        blocks.append(bullets(decisions))
    return blocks
