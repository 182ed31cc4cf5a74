"""Renderers for ``budget diff``: text tables, JSON, and markdown for a pull-request comment."""

from __future__ import annotations

import sys
from typing import IO, Any

from . import KIND_LABEL, Column, TableSpec, amount_text, dk, markdown_table, print_table, to_json, unit_label


def _value(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return dk(v)
    if isinstance(v, dict | list):
        import json

        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _signed(n: int) -> str:
    return amount_text(("+" if n > 0 else "") + dk(n), n)


def _section(r: dict[str, Any]) -> str:
    return r.get("section") or "–"


def _row_amounts(r: dict[str, Any]) -> str:
    return ", ".join(f"{y}: {dk(a)}" for y, a in r["amounts"].items())


def _changed_notes(c: dict[str, Any]) -> list[str]:
    notes = []
    if "kind_change" in c:
        k = c["kind_change"]
        notes.append(f"moved from {KIND_LABEL[k['old']]} to {KIND_LABEL[k['new']]}")
    if "moved_years" in c:
        m = c["moved_years"]
        notes.append(f"moved from {', '.join(map(str, m['from']))} to {', '.join(map(str, m['to']))}")
    if c.get("old_id"):
        notes.append(f"id was {c['old_id']}")
    if "title_change" in c:
        notes.append(f"title was “{c['title_change']['old']}”")
    if "link_change" in c:
        o, n = c["link_change"]["old"], c["link_change"]["new"]
        parts = [f"{k} {o[k] or '–'} → {n[k] or '–'}" for k in o if o[k] != n[k]]
        notes.append("; ".join(parts))
    return notes


def _keyed_lines(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for item in items:
        if item["old"] is None:
            out.append(f"{item['id']}: added")
            continue
        if item["new"] is None:
            out.append(f"{item['id']}: removed")
            continue
        parts = [f"{f['field']}: {_value(f['old'])} → {_value(f['new'])}" if f["field"] else
                 f"{_value(f['old'])} → {_value(f['new'])}" for f in item["fields"]]
        out.append(f"{item['id']}: " + "; ".join(parts))
    return out


def _initiative_lines(ini: dict[str, Any]) -> list[str]:
    out = [f"added: {i['title']} [{i['id']}] in {i['section']}" for i in ini["added"]]
    out += [f"removed: {i['title']} [{i['id']}] in {i['section']}" for i in ini["removed"]]
    for c in ini["changed"]:
        parts = []
        if "title_change" in c:
            parts.append(f"retitled from “{c['title_change']['old']}”")
        if "section_change" in c:
            parts.append(f"section {c['section_change']['old']} → {c['section_change']['new']}")
        if "bodies_change" in c:
            def names(bs: list[dict[str, str]]) -> str:
                return ", ".join(f"{b['body']} ({b['role']})" for b in bs) or "none"
            parts.append(f"bodies {names(c['bodies_change']['old'])} → {names(c['bodies_change']['new'])}")
        if "text" in c["changed"]:
            parts.append("text changed")
        out.append(f"changed: {c['title']} [{c['id']}]: " + "; ".join(parts))
    return out


def _strategy_lines(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for s in items:
        year = f" {s['year']}" if s["year"] is not None else ""
        out.append(f"{s['target']}{year}: {s['old'] or 'absent'} → {s['new'] or 'absent'} "
                   f"(actual {_value(s['old_actual'])} → {_value(s['new_actual'])}) — {s['wording']}")
    return out


def _tables(data: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], list[bool]]]:
    """(title, header, rows, right-aligned) for each non-empty table of the diff."""
    unit = unit_label(data["unit"])
    rows = data["rows"]
    out: list[tuple[str, list[str], list[list[str]], list[bool]]] = []
    for key, word in (("added", "added"), ("removed", "removed")):
        if rows[key]:
            out.append((f"Appendix rows {word} ({len(rows[key])}; amounts in {unit})",
                        ["Kind", "Section", "Title", "Amounts", "Total"],
                        [[KIND_LABEL[r["kind"]], _section(r), r["title"], _row_amounts(r), dk(r["total"])]
                         for r in rows[key]], [False, False, False, False, True]))
    if rows["changed"]:
        table: list[list[str]] = []
        for c in rows["changed"]:
            notes = _changed_notes(c)
            title = c["title"] + ("" if not notes else " (" + "; ".join(notes) + ")")
            years = c.get("years") or [None]
            for i, y in enumerate(years):
                cells = [KIND_LABEL[c["kind"]], _section(c), title] if i == 0 else ["", "", ""]
                if y is None:
                    cells += ["", "", "", ""]
                else:
                    cells += [str(y["year"]), dk(y["old"]) if y["old"] is not None else "–",
                              dk(y["new"]) if y["new"] is not None else "–", _signed(y["change"])]
                table.append(cells)
        out.append((f"Appendix rows changed ({len(rows['changed'])}; amounts in {unit})",
                    ["Kind", "Section", "Title", "Year", "Old", "New", "Change"], table,
                    [False, False, False, False, True, True, True]))
    if data["totals"]:
        out.append((f"Totals that changed (net; amounts in {unit})", ["Year", "Kind", "Before", "After", "Change"],
                    [[str(t["year"]), "Both kinds" if t["kind"] == "net" else KIND_LABEL[t["kind"]], dk(t["old"]),
                      dk(t["new"]), _signed(t["change"])] for t in data["totals"]],
                    [False, False, True, True, True]))
    if data["committees"]:
        table = []
        for c in data["committees"]:
            for i, y in enumerate(c["years"]):
                table.append([c["name"] if i == 0 else "", str(y["year"]), dk(y["old"] or 0), dk(y["new"] or 0),
                              _signed(y["change"])])
        out.append((f"Net change per body (amounts in {unit})", ["Body", "Year", "Before", "After", "Change"], table,
                    [False, False, True, True, True]))
    return out


def _lists(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out = []
    for title, lines in (("Initiatives", _initiative_lines(data["initiatives"])),
                         ("Stated figures", _keyed_lines(data["stated_figures"])),
                         ("Tax rates", _keyed_lines(data["tax_rates"])),
                         ("Key figures", _keyed_lines(data["key_figures"])),
                         ("Strategy targets", _keyed_lines(data["targets"])),
                         ("Strategy results whose status changed", _strategy_lines(data["strategy"]))):
        if lines:
            out.append((title, lines))
    return out


def _headline(data: dict[str, Any]) -> str:
    n = data["changes"]
    if not n:
        return f"No budget changes from {data['old']} to {data['new']}."
    return f"{n} change{'s' if n != 1 else ''} from {data['old']} to {data['new']}."


def show_diff(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        to_json(data, out)
        return
    if fmt == "markdown":
        out.write(diff_markdown(data))
        return
    out.write(_headline(data) + "\n")
    for title, header, rows, right in _tables(data):
        out.write("\n")
        cols = [Column(h, "right" if r else "left", wrap=h == "Title") for h, r in zip(header, right, strict=True)]
        print_table(TableSpec(title, cols, rows), out, width)
    import textwrap

    for title, lines in _lists(data):
        out.write(f"\n{title}:\n")
        for line in lines:
            out.write(textwrap.fill(line, width=width or 100, initial_indent="  - ", subsequent_indent="    ",
                                    break_long_words=False, break_on_hyphens=False) + "\n")


def diff_markdown(data: dict[str, Any]) -> str:
    parts = [f"## Budget changes: {data['old']} → {data['new']}", "", _headline(data)]
    for title, header, rows, right in _tables(data):
        parts += ["", f"### {title}", "", markdown_table(header, rows, right)]
    for title, lines in _lists(data):
        parts += ["", f"### {title}", "", *[f"- {line}" for line in lines]]
    return "\n".join(parts) + "\n"
