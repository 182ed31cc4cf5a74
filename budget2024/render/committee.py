"""Renderers for the committee reports and the initiative browser (table, JSON, CSV, markdown)."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from itertools import groupby
from typing import IO, Any

from ..i18n import _, ngettext
from ..numbers import is_section_number
from . import KIND_LABEL, Column, TableSpec, console, dk, markdown_table, print_table, to_csv, to_json, unit_label
from .docmodel import Block, Bullets, Document, Heading, Paragraph
from .docmodel import Table as DocTable

DASH = "–"


# ----------------------------------------------------------------------------- helpers


class _Text:
    """Plain text written to ``out``, wrapped at the console's width; words are never cut."""

    def __init__(self, out: IO[str] | None, width: int | None) -> None:
        self.out = out or sys.stdout
        self.width = max(int(console(self.out, width).width), 20)

    def line(self, text: str = "", indent: str = "", hanging: str | None = None) -> None:
        if not text:
            self.out.write("\n")
            return
        self.out.write(textwrap.fill(text, width=self.width, initial_indent=indent,
                                     subsequent_indent=indent if hanging is None else hanging,
                                     break_long_words=False, break_on_hyphens=False) + "\n")

    def field(self, label: str, value: str, label_width: int = 13) -> None:
        self.line(f"{label:<{label_width}}{value}", hanging=" " * label_width)


def _names(bodies: list[dict[str, Any]], short: bool = False) -> str:
    """Body names joined; ``short`` uses a body's first alias (KMU) where it has one."""
    return ", ".join(b["aliases"][0] if short and b.get("aliases") else b["name"] for b in bodies) or DASH


def _by_section(items: list[dict[str, Any]]) -> Iterator[tuple[str, str | None, list[dict[str, Any]]]]:
    """Group items that are already in section order by section: (section, section title, items)."""
    for section, group in groupby(items, key=lambda i: i["section"]):
        entries = list(group)
        yield section, entries[0].get("section_title"), entries


def _numbered(section: str | None) -> bool:
    return is_section_number(section)


def _section_cell(section: str | None, label: str) -> str:
    """A numbered section as it is; a row of the general part by its appendix label, else a dash."""
    return section if section is not None and _numbered(section) else (label or DASH)


def _section_heading(section: str, title: str | None) -> str:
    """'3.3.5 Title' for a numbered section; a named section (general part) by its title alone."""
    if not title:
        return section
    return f"{section} {title}" if _numbered(section) else title


def name_error_message(message: str, candidates: list[str], ambiguous: bool) -> str:
    """The error text for a name that matches no body or several: the matching or closest names follow."""
    if not candidates:
        return message
    names = ", ".join(candidates)
    if ambiguous:
        return _("{message}; matching: {names}").format(message=message, names=names)
    return _("{message}; closest: {names}").format(message=message, names=names)


# ----------------------------------------------------------------------------- tables


# ----------------------------------------------------------------------------- budget committee


def _amount_rows(data: dict[str, Any]) -> tuple[list[list[str]], list[list[str]]]:
    """Body rows and footer rows (subtotals per kind, grand total) of the committee table."""
    years = [str(y) for y in data["years"]]
    with_total = len(years) > 1
    rows: list[list[str]] = []
    for r in data["lines"]:
        cells = [_section_cell(r["section"], r["label"]), r["title"], KIND_LABEL[r["kind"]],
                 *[dk(r["amounts"].get(y)) for y in years]]
        if with_total:
            cells.append(dk(sum(r["amounts"].get(y, 0) for y in years)))
        rows.append(cells)
    footer: list[list[str]] = []
    for sub in data["subtotals"]:
        cells = ["", _("Subtotal"), KIND_LABEL[sub["kind"]], *[dk(sub["amounts"][y]) for y in years]]
        if with_total:
            cells.append(dk(sub["total"]))
        footer.append(cells)
    grand = data["grand_total"]
    cells = ["", _("Total"), "", *[dk(grand["amounts"][y]) for y in years]]
    if with_total:
        cells.append(dk(grand["total"]))
    footer.append(cells)
    return rows, footer


def _amount_header(data: dict[str, Any]) -> list[str]:
    years = [str(y) for y in data["years"]]
    return [_("Section"), _("Title"), _("Kind"), *years, *([_("Total")] if len(years) > 1 else [])]


def _summary(data: dict[str, Any]) -> str:
    n, inv = data["initiative_count"], data["involved_count"]
    text = ngettext("Responsible for {count} initiative", "Responsible for {count} initiatives", n).format(count=n)
    if inv:
        text += _("; involved in {count} more").format(count=inv)
    rows = len(data["lines"])
    text += ". " + ngettext("{count} appendix row", "{count} appendix rows", rows).format(count=rows)
    if data["year"] is not None:
        with_amount = sum(1 for r in data["lines"] if str(data["year"]) in r["amounts"])
        text += _(", {count} with an amount in {year}").format(count=with_amount, year=data["year"])
    text += "."
    return text


def _kind_of_body(data: dict[str, Any]) -> str:
    if data.get("section_17_4"):
        return _("§ 17, stk. 4-udvalg, not a standing committee")
    if data.get("finance"):
        return _("finance committee")
    return _("standing committee") if data["is_committee"] else _("not a committee")


def _body_heading(data: dict[str, Any]) -> str:
    """The body as the agreement names it, and what kind of body it is: 'Klima- og Miljøudvalget
    (fagudvalg)'. Ids and aliases are for JSON and look-ups, not for the document."""
    return _("{body} ({kind_of_body})").format(body=data["committee"], kind_of_body=_kind_of_body(data))


def _intro(data: dict[str, Any]) -> str:
    return _("{agreement}: the tasks under {body}.").format(agreement=data["agreement"], body=data["committee"])


def _rows_title(data: dict[str, Any], unit: str) -> str:
    if data["year"] is None:
        return _("Appendix rows (amounts in {unit})").format(unit=unit)
    return _("Appendix rows {year} (amounts in {unit})").format(year=data["year"], unit=unit)


def _rows_heading(data: dict[str, Any]) -> str:
    if data["year"] is None:
        return _("Appendix rows")
    return _("Appendix rows {year}").format(year=data["year"])


def _lists(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The two lists under the table: (heading with its count, items)."""
    without, involved = _without_amounts(data), _involved(data)
    return [(_("Initiatives without amounts ({count})").format(count=len(without)), without),
            (_("Initiatives where it is involved ({count})").format(count=len(involved)), involved)]


def _without_amounts(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in data["initiatives"]
            if i["role"] == "responsible" and (not i["has_amounts"] or i["rows_elsewhere"])]


def _involved(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in data["initiatives"] if i["role"] == "involved"]


def _initiative_suffix(item: dict[str, Any]) -> str:
    inferred = _(" (inferred link: the text does not name this body here)") if item.get("inferred") else ""
    if item["role"] == "involved":
        return _(" (responsible: {names})").format(names=_names(item["responsible"])) + inferred
    if item["rows_elsewhere"]:
        return _(" (has appendix rows, but they are not counted under this body)") + inferred
    return inferred


def show_committee(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(data, out)
        return
    if fmt == "csv":
        years = [str(y) for y in data["years"]]
        to_csv(["id", "section", "label", "title", "kind", "initiative", *years, "total"],
               [[r["id"], r["section"] or "", r["label"], r["title"], r["kind"], r["initiative"] or "",
                 *[r["amounts"].get(y, "") for y in years], sum(r["amounts"].get(y, 0) for y in years)]
                for r in data["lines"]], out)
        return
    if fmt == "markdown":
        (out or sys.stdout).write(committee_markdown(data))
        return
    _committee_text(data, out, width)


def _committee_text(data: dict[str, Any], out: IO[str] | None, width: int | None) -> None:
    t = _Text(out, width)
    t.line(_body_heading(data))
    t.line(f"{_intro(data)} {_summary(data)}")
    t.line()
    unit = unit_label(data["unit"])
    if data["lines"]:
        rows, footer = _amount_rows(data)
        header = _amount_header(data)
        cols = [Column(header[0]), Column(header[1], wrap=True), Column(header[2]),
                *[Column(h, "right") for h in header[3:]]]
        print_table(TableSpec(_rows_title(data, unit), cols, rows, footer), t.out, width)
    else:
        t.line(_("{heading}: none.").format(heading=_rows_heading(data)))
    t.line()
    _initiative_lists(t, data)


def _initiative_lists(t: _Text, data: dict[str, Any]) -> None:
    for heading, items in _lists(data):
        t.line(heading if items else _("{heading}: none.").format(heading=heading))
        for section, title, entries in _by_section(items):
            t.line(_section_heading(section, title), indent="  ", hanging="    ")
            for item in entries:
                t.line(f"- {item['title']} [{item['id']}]{_initiative_suffix(item)}", indent="    ",
                       hanging="      ")
        t.line()


def committee_markdown(data: dict[str, Any]) -> str:
    """A document to paste into a meeting agenda: heading, table and lists."""
    unit = unit_label(data["unit"])
    intro = _("{agreement}: the tasks under {body}.").format(agreement=f"*{data['agreement']}*",
                                                               body=data["committee"])
    parts = [f"# {_body_heading(data)}", "", f"{intro} {_summary(data)}", "",
             f"## {_rows_title(data, unit)}", ""]
    if data["lines"]:
        rows, footer = _amount_rows(data)
        bold = [[f"**{c}**" if c else "" for c in row] for row in footer]
        header = _amount_header(data)
        right = [False, False, False, *[True] * (len(header) - 3)]
        parts.append(markdown_table(header, rows + bold, right))
    else:
        parts.append(_("None."))
    for heading, items in _lists(data):
        parts += ["", f"## {heading}", ""]
        if not items:
            parts.append(_("None."))
        first = True
        for section, title, entries in _by_section(items):
            if not first:
                parts.append("")
            first = False
            parts += [f"**{_section_heading(section, title)}**", ""]
            parts += [f"- {item['title']}{_initiative_suffix(item)}" for item in entries]
    return "\n".join(parts) + "\n"


def committee_document(data: dict[str, Any], date: str) -> Document:
    """The committee report as a generic document (for docx): the markdown form's content, with
    the subtotals as bold rows and the unit in the table's caption; ``date`` goes in the header."""
    unit = unit_label(data["unit"])
    blocks: list[Block] = [
        Heading(_body_heading(data), 0),
        Paragraph(f"{_intro(data)} {_summary(data)}"),
        Heading(_rows_heading(data), 1),
    ]
    if data["lines"]:
        rows, footer = _amount_rows(data)
        header = _amount_header(data)
        cols = [Column(header[0]), Column(header[1], wrap=True), Column(header[2]),
                *[Column(h, "right") for h in header[3:]]]
        caption = (_("Appendix rows of {body} (amounts in {unit})") if data["year"] is None else
                   _("Appendix rows of {body} {year} (amounts in {unit})")).format(
            body=data["committee"], year=data["year"], unit=unit)
        blocks.append(DocTable(caption, cols, rows + footer, frozenset(range(len(rows), len(rows) + len(footer)))))
    else:
        blocks.append(Paragraph(_("None.")))
    for heading, items in _lists(data):
        blocks.append(Heading(heading, 1))
        if not items:
            blocks.append(Paragraph(_("None.")))
        for section, title, entries in _by_section(items):
            blocks.append(Heading(_section_heading(section, title), 2))
            blocks.append(Bullets([f"{item['title']}{_initiative_suffix(item)}" for item in entries]))
    return Document(title=f"{data['committee']}: {data['agreement']}", header=data["agreement"], date=date,
                    blocks=blocks)


# ----------------------------------------------------------------------------- budget committees


def show_committees(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(data, out)
        return
    years = [str(y) for y in data["years"]]
    # the name on a body's first row and its id on the second, so that the table fits 80 columns
    cols = [Column(_("Body (id)"), wrap=True), Column(_("Cmte")), Column(_("Init."), "right"), Column(_("Kind")),
            *[Column(y, "right") for y in years]]
    rows: list[list[str]] = []

    def add(head: list[list[str]], net: dict[str, dict[str, int]], into: list[list[str]]) -> None:
        for i, kind in enumerate(data["kinds"]):
            cells = head[i] if i < len(head) else ["", "", ""]
            into.append([*cells, KIND_LABEL[kind], *[dk(net[y][kind]) for y in years]])

    for b in data["bodies"]:
        name = f"{b['name']} ({', '.join(b['aliases'])})" if b["aliases"] else b["name"]
        cmte = _("yes") if b["committee"] else "§17.4" if b.get("section_17_4") else _("no")
        add([[name, cmte, str(b["initiatives"])], [f"({b['id']})", "", ""]], b["net"], rows)
    add([[_("No body"), DASH, DASH]], data["unassigned"]["net"], rows)
    footer: list[list[str]] = []
    add([[_("Total"), "", ""]], data["totals"], footer)
    caption = _("Net amounts (expansions plus savings) of the appendix rows each body answers for. "
                "Cmte: a standing committee; §17.4: a § 17, stk. 4-udvalg. Init.: the initiatives it is "
                "responsible for. Aliases in brackets are lookup conveniences, not the agreement's words. "
                "The totals equal `budget totals`.")
    unit = unit_label(data["unit"])
    if data.get("filters"):
        from .views import filter_words

        n = data["rows"]
        title = ngettext("Responsible bodies — {filters}; {count} appendix row (net amounts in {unit})",
                         "Responsible bodies — {filters}; {count} appendix rows (net amounts in {unit})", n).format(
            filters=filter_words(data["filters"]), count=n, unit=unit)
    else:
        title = _("Responsible bodies (net amounts in {unit})").format(unit=unit)
    print_table(TableSpec(title, cols, rows, footer, caption=caption), out, width)


# ----------------------------------------------------------------------------- budget list / show


def _narrow(name: str) -> str:
    """A name of several words on as few lines as its longest word allows, so that a long name
    (a § 17, stk. 4-udvalg has no alias) does not widen the column the ids need."""
    return "\n".join(textwrap.wrap(name, width=max(len(w) for w in name.split()), break_long_words=False)) \
        if " " in name else name


def show_list(records: list[dict[str, Any]], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(records, out)
        return
    if not records:
        (out or sys.stdout).write(_("No initiatives match.") + "\n")
        return
    cols = [Column(_("Section")), Column(_("Initiative (id)"), wrap=True), Column(_("Responsible")),
            Column(_("Rows"), "right")]
    rows = [[_section_cell(r["section"], ""), _list_title(r),
             _names(r["responsible"], short=True).replace(", ", "\n"), str(len(r["lines"]))] for r in records]
    # a long name (a § 17, stk. 4-udvalg has no alias) gives way, on lines of its own words, when the
    # column would otherwise leave the ids too little room to be printed whole
    total = width or int(os.environ.get("COLUMNS", "0") or 0) or 80
    need = (max(len(cols[0].header), *(len(row[0]) for row in rows)) + max(len(f"[{r['id']}]") for r in records)
            + max(len(cols[3].header), *(len(row[3]) for row in rows)) + 3)
    if max(len(x) for row in rows for x in row[2].split("\n")) > total - need:
        for row in rows:
            row[2] = "\n".join(_narrow(n) for n in row[2].split("\n"))
    caption = _("Responsible: short names as in `budget committees`. Rows: appendix rows with amounts. "
                "`budget show ID` shows one initiative.")
    print_table(TableSpec(_("Initiatives ({count})").format(count=len(records)), cols, rows, caption=caption),
                out, width)


def _list_title(r: dict[str, Any]) -> str:
    """'Title [id]', and the appendix rows a search found by their title."""
    if r.get("type") == "row":
        ref = r["matched_rows"][0]["ref"]
        return _("Appendix row {ref}: {title} [{id}]").format(ref=ref, title=r["title"], id=r["id"])
    text = f"{r['title']} [{r['id']}]"
    for m in r.get("matched_rows", []):
        text += "\n" + _("matched row {ref}: {title}").format(ref=m["ref"], title=m["title"])
    return text


def _prose_amount(p: dict[str, Any]) -> str:
    parts: list[str] = []
    if p["amounts"]:
        parts.append(", ".join(f"{y}: {dk(a)}" for y, a in p["amounts"].items()))
    if p["per_year"] is not None:
        parts.append(_("{amount} a year").format(amount=dk(p["per_year"])))
    if p["total"] is not None:
        parts.append(_("{amount} in total").format(amount=dk(p["total"])))
    kind = f" ({KIND_LABEL[p['kind']].lower()})" if p["kind"] else ""
    note = f" — {p['note']}" if p["note"] else ""
    reading = _(" — a reading: {reading}").format(reading=p["reading"]) if p.get("reading") else ""
    return f"“{p['text']}”: {'; '.join(parts)}{kind}{note}{reading}"


def show_initiative(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(data, out)
        return
    if data.get("type") == "section":
        _section_text(data, out, width)
        return
    t = _Text(out, width)
    unit = unit_label(data["unit"])
    t.line(data["title"])
    t.line()
    t.field(_("Id"), data["id"])
    section = _section_heading(data["section"], data["section_title"])
    t.field(_("Section"), section if _numbered(data["section"]) else f"{section} ({data['section']})")
    chapter = data["chapter"]
    if chapter["id"] is not None:
        t.field(_("Chapter"), _section_heading(chapter["id"], chapter["title"]))
    t.field(_("Responsible"), _names(data["responsible"]))
    t.field(_("Involved"), _names(data["involved"]))
    for b in data.get("bodies", []):
        if b["inferred"]:
            t.field(_("Inferred"), f"{b['id']}: {b['inferred']}")
    if data["text"]:
        t.line()
        t.line(data["text"])
    if data["note"]:
        t.line()
        t.line(_("Note: {note}").format(note=data["note"]))
    t.line()
    if data["lines"]:
        years = [str(y) for y in data["years"]]
        cols = [Column(_("Kind")), Column(_("Title"), wrap=True), *[Column(y, "right") for y in years],
                Column(_("Total"), "right")]
        rows = [[KIND_LABEL[r["kind"]], r["title"], *[dk(r["amounts"].get(y)) for y in years], dk(r["total"])]
                for r in data["lines"]]
        print_table(TableSpec(_("Appendix rows (amounts in {unit})").format(unit=unit), cols, rows), t.out, width)
    else:
        t.line(_("{heading}: none.").format(heading=_("Appendix rows")))
    t.line()
    t.line(_("Amounts in the prose (in {unit}):").format(unit=unit) if data["prose_amounts"]
           else _("{heading}: none.").format(heading=_("Amounts in the prose")))
    for p in data["prose_amounts"]:
        t.line(f"- {_prose_amount(p)}", indent="  ", hanging="    ")
    t.line()
    differences = _("Recorded differences between the prose and the appendix")
    t.line(f"{differences}:" if data["discrepancies"] else _("{heading}: none.").format(heading=differences))
    from .reconcile import category_name

    for d in data["discrepancies"]:
        t.line(f"- [{category_name(d['category'])}] {d['text']}", indent="  ", hanging="    ")


def _rows_table(data: dict[str, Any], out: IO[str], width: int | None) -> None:
    unit = unit_label(data["unit"])
    years = [str(y) for y in data["years"]]
    cols = [Column(_("Ref")), Column(_("Kind")), Column(_("Title"), wrap=True), *[Column(y, "right") for y in years],
            Column(_("Total"), "right")]
    rows = [[r["ref"], KIND_LABEL[r["kind"]], r["title"], *[dk(r["amounts"].get(y)) for y in years], dk(r["total"])]
            for r in data["lines"]]
    print_table(TableSpec(_("Appendix rows (amounts in {unit})").format(unit=unit), cols, rows), out, width)


def _section_text(data: dict[str, Any], out: IO[str] | None, width: int | None) -> None:
    t = _Text(out, width)
    t.line(_section_heading(data["id"], data["title"]))
    t.line()
    t.field(_("Section"), data["id"])
    chapter = data["chapter"]
    t.field(_("Chapter"), _section_heading(chapter["id"], chapter["title"]))
    t.field(_("Responsible"), _names(data["responsible"]) or DASH)
    if data["involved"]:
        t.field(_("Involved"), _names(data["involved"]))
    if data["asked_for_row"]:
        t.field(_("Row"), _("{ref} belongs to this section, not to an initiative").format(ref=data["asked_for_row"]))
    if data["note"]:
        t.line()
        t.line(_("Note: {note}").format(note=data["note"]))
    t.line()
    heading = _("Initiatives ({count})").format(count=len(data["initiatives"]))
    t.line(heading if data["initiatives"] else _("{heading}: none.").format(heading=heading))
    for i in data["initiatives"]:
        t.line(f"- {i['title']} [{i['id']}]", indent="  ", hanging="    ")
    t.line()
    if data["lines"]:
        _rows_table(data, t.out, width)
    else:
        t.line(_("{heading}: none.").format(heading=_("Appendix rows")))
    if data["general"]:
        from .views import show_general

        show_general(data["general"], t.out)
