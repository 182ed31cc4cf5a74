"""Renderers for ``budget diff``: text tables, JSON, and markdown for a pull-request comment."""

from __future__ import annotations

import sys
from typing import IO, Any

from ..i18n import N_, _, ngettext, pgettext
from . import KIND_LABEL, Column, TableSpec, amount_text, dk, markdown_table, print_table, to_json, unit_label
from .document import section_cell

ROLE_WORDS = {"responsible": N_("responsible"), "involved": N_("involved")}


def _value(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return _("true") if v else _("false")
    if isinstance(v, int | float):
        return dk(v)
    if isinstance(v, dict | list):
        import json

        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _signed(n: int) -> str:
    return amount_text(("+" if n > 0 else "") + dk(n), n)


def _section(r: dict[str, Any]) -> str:
    """A row's section as the other reports show it: its number, its appendix label, else a dash."""
    return section_cell(r.get("section"), r.get("label") or "")


def _row_amounts(r: dict[str, Any]) -> str:
    return ", ".join(f"{y}: {dk(a)}" for y, a in r["amounts"].items())


def _link_word(key: str) -> str:
    """What a row links to (a key of the report's ``link_change``), as a word."""
    words = {"initiative": pgettext("link", "initiative"), "section": pgettext("link", "section"),
             "body": pgettext("link", "body")}
    return words.get(key, key)


def _changed_notes(c: dict[str, Any]) -> list[str]:
    notes = []
    if "kind_change" in c:
        k = c["kind_change"]
        notes.append(_("moved from {old} to {new}").format(old=KIND_LABEL[k["old"]], new=KIND_LABEL[k["new"]]))
    if "moved_years" in c:
        m = c["moved_years"]
        notes.append(_("moved from {old} to {new}").format(old=", ".join(map(str, m["from"])),
                                                           new=", ".join(map(str, m["to"]))))
    if c.get("old_id"):
        notes.append(_("id was {id}").format(id=c["old_id"]))
    if "title_change" in c:
        notes.append(_("title was “{title}”").format(title=c["title_change"]["old"]))
    if "link_change" in c:
        o, n = c["link_change"]["old"], c["link_change"]["new"]
        shown = {"body": c["link_change"]["body_names"]} if "body_names" in c["link_change"] else {}
        parts = [f"{_link_word(k)} {shown[k]['old'] or '–'} → {shown[k]['new'] or '–'}" if k in shown else
                 f"{_link_word(k)} {o[k] or '–'} → {n[k] or '–'}" for k in o if o[k] != n[k]]
        notes.append("; ".join(parts))
    return notes


def _keyed_lines(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for item in items:
        if item["old"] is None:
            out.append(_("{id}: added").format(id=item["id"]))
            continue
        if item["new"] is None:
            out.append(_("{id}: removed").format(id=item["id"]))
            continue
        parts = [f"{f['field']}: {_value(f['old'])} → {_value(f['new'])}" if f["field"] else
                 f"{_value(f['old'])} → {_value(f['new'])}" for f in item["fields"]]
        out.append(f"{item['id']}: " + "; ".join(parts))
    return out


def _initiative_lines(ini: dict[str, Any]) -> list[str]:
    out = [_("added: {title} [{id}] in {section}").format(title=i["title"], id=i["id"], section=i["section"])
           for i in ini["added"]]
    out += [_("removed: {title} [{id}] in {section}").format(title=i["title"], id=i["id"], section=i["section"])
            for i in ini["removed"]]
    for c in ini["changed"]:
        parts = []
        if "title_change" in c:
            parts.append(_("retitled from “{title}”").format(title=c["title_change"]["old"]))
        if "section_change" in c:
            parts.append(_("section {old} → {new}").format(old=c["section_change"]["old"],
                                                           new=c["section_change"]["new"]))
        if "bodies_change" in c:
            def names(bs: list[dict[str, str]]) -> str:
                roles = [_(ROLE_WORDS[b["role"]]) if b["role"] in ROLE_WORDS else b["role"] for b in bs]
                return ", ".join(f"{b.get('name') or b['body']} ({role})"
                                 for b, role in zip(bs, roles, strict=True)) or _("none")
            parts.append(_("bodies {old} → {new}").format(old=names(c["bodies_change"]["old"]),
                                                          new=names(c["bodies_change"]["new"])))
        if "text" in c["changed"]:
            parts.append(_("text changed"))
        out.append(_("changed: {title} [{id}]: {changes}").format(title=c["title"], id=c["id"],
                                                                 changes="; ".join(parts)))
    return out


def _strategy_lines(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for s in items:
        year = f" {s['year']}" if s["year"] is not None else ""
        out.append(_("{target}{year}: {old} → {new} (actual {old_actual} → {new_actual}) — {wording}").format(
            target=s["target"], year=year, old=s["old"] or _("absent"), new=s["new"] or _("absent"),
            old_actual=_value(s["old_actual"]), new_actual=_value(s["new_actual"]), wording=s["wording"]))
    return out


def _tables(data: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], list[bool]]]:
    """(title, header, rows, right-aligned) for each non-empty table of the diff."""
    unit = unit_label(data["unit"])
    rows = data["rows"]
    out: list[tuple[str, list[str], list[list[str]], list[bool]]] = []
    titles = {"added": _("Appendix rows added ({count}; amounts in {unit})"),
              "removed": _("Appendix rows removed ({count}; amounts in {unit})")}
    for key in ("added", "removed"):
        if rows[key]:
            out.append((titles[key].format(count=len(rows[key]), unit=unit),
                        [_("Kind"), _("Section"), _("Title"), _("Amounts"), _("Total")],
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
        out.append((_("Appendix rows changed ({count}; amounts in {unit})").format(count=len(rows["changed"]),
                                                                                    unit=unit),
                    [_("Kind"), _("Section"), _("Title"), _("Year"), _("Old"), _("New"), _("Change")], table,
                    [False, False, False, False, True, True, True]))
    if data["totals"]:
        out.append((_("Totals that changed (net; amounts in {unit})").format(unit=unit),
                    [_("Year"), _("Kind"), _("Before"), _("After"), _("Change")],
                    [[str(t["year"]), _("Both kinds") if t["kind"] == "net" else KIND_LABEL[t["kind"]], dk(t["old"]),
                      dk(t["new"]), _signed(t["change"])] for t in data["totals"]],
                    [False, False, True, True, True]))
    if data["committees"]:
        table = []
        for c in data["committees"]:
            for i, y in enumerate(c["years"]):
                name = c["name"] if c["id"] is not None else _("No body")
                table.append([name if i == 0 else "", str(y["year"]), dk(y["old"] or 0), dk(y["new"] or 0),
                              _signed(y["change"])])
        out.append((_("Net change per body (amounts in {unit})").format(unit=unit),
                    [_("Body"), _("Year"), _("Before"), _("After"), _("Change")], table,
                    [False, False, True, True, True]))
    return out


def _lists(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out = []
    for title, lines in ((_("Initiatives"), _initiative_lines(data["initiatives"])),
                         (_("Stated figures"), _keyed_lines(data["stated_figures"])),
                         (_("Tax rates"), _keyed_lines(data["tax_rates"])),
                         (_("Key figures"), _keyed_lines(data["key_figures"])),
                         (_("Strategy targets"), _keyed_lines(data["targets"])),
                         (_("Strategy results whose status changed"), _strategy_lines(data["strategy"]))):
        if lines:
            out.append((title, lines))
    return out


def _headline(data: dict[str, Any]) -> str:
    n = data["changes"]
    if not n:
        return _("No budget changes from {old} to {new}.").format(old=data["old"], new=data["new"])
    return ngettext("{count} change from {old} to {new}.", "{count} changes from {old} to {new}.", n).format(
        count=n, old=data["old"], new=data["new"])


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
        cols = [Column(h, "right" if r else "left", wrap=h == _("Title")) for h, r in zip(header, right, strict=True)]
        print_table(TableSpec(title, cols, rows), out, width)
    import textwrap

    for title, lines in _lists(data):
        out.write(f"\n{title}:\n")
        for line in lines:
            out.write(textwrap.fill(line, width=width or 100, initial_indent="  - ", subsequent_indent="    ",
                                    break_long_words=False, break_on_hyphens=False) + "\n")


def diff_markdown(data: dict[str, Any]) -> str:
    parts = ["## " + _("Budget changes: {old} → {new}").format(old=data["old"], new=data["new"]), "", _headline(data)]
    for title, header, rows, right in _tables(data):
        parts += ["", f"### {title}", "", markdown_table(header, rows, right)]
    for title, lines in _lists(data):
        parts += ["", f"### {title}", "", *[f"- {line}" for line in lines]]
    return "\n".join(parts) + "\n"
