"""Committee reports and browsing: pure functions from a ledger to plain data.

- :func:`resolve_body` finds a body by id, name, alias, prefix or substring, with or without
  Danish letters (``okonomi`` and ``oekonomi`` both find "Økonomiudvalget").
- :func:`committee_report` is the overview the agreement promises each fagudvalg.
- :func:`committees_overview` is one row per body, plus the rows that belong to no body.
- :func:`list_initiatives` and :func:`show_initiative` browse the initiatives.

Every function here is linear in the rows and initiatives: look-ups are built once as dicts.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..folding import fold_variants as fold_variants
from ..i18n import T_
from ..kinds import Role
from ..ledger import Ledger, section_sort_key
from . import KINDS, ReportError, check_year, line_record
from .names import BodyNameError as BodyNameError
from .names import resolve_body as resolve_body

if TYPE_CHECKING:  # reports run on cached data without importing pydantic
    from ..views import Initiative, Line


class UnknownInitiative(ReportError):
    """An initiative id that does not exist; ``candidates`` are the closest ids."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates
        self.ambiguous = False


def _body_ref(ledger: Ledger, body_id: str) -> dict[str, Any]:
    body = ledger.bodies.get(body_id)
    return {"id": body_id, "name": body.name if body else body_id, "aliases": list(body.aliases) if body else []}


# ----------------------------------------------------------------------------- roles


def _involved(initiative: Initiative) -> list[str]:
    return [r.body for r in initiative.bodies if r.role == Role.involved]


def body_initiatives(ledger: Ledger, body_id: str) -> list[tuple[Initiative, str]]:
    """The initiatives a body is responsible for or involved in, with its role, in section order."""
    out: list[tuple[Initiative, str]] = []
    for ini in ledger.agreement.initiatives:
        if body_id in ledger.responsible(ini):
            out.append((ini, Role.responsible.value))
        elif body_id in _involved(ini):
            out.append((ini, Role.involved.value))
    return sorted(out, key=lambda p: section_sort_key(p[0].section))


def _inferred(ledger: Ledger, ini: Initiative, body_id: str) -> str | None:
    """Why the body's link to the initiative is inferred (its own role, else its section's), or None."""
    for r in ini.bodies:
        if r.body == body_id:
            return r.inferred
    section = ledger.sections.get(ini.section)
    for r in section.bodies if section else []:
        if r.body == body_id:
            return r.inferred
    return None


def _section_ref(ledger: Ledger, section_id: str) -> dict[str, Any]:
    section = ledger.sections.get(section_id)
    return {"section": section_id, "section_title": section.title if section else None}


# ----------------------------------------------------------------------------- committee report


def committee_report(ledger: Ledger, name: str, year: int | None = None) -> dict[str, Any]:
    """The overview of the tasks a body answers for: its appendix rows (sorted by section, with
    subtotals per kind and year), its initiatives without amounts, and those it is involved in.

    With ``year``, only that year's column is shown and ``totals`` holds only that year; the year
    never decides which tasks are listed (a row without an amount that year keeps its place, with
    an empty cell).
    """
    check_year(ledger, year)
    body = resolve_body(ledger, name)
    years = [year] if year is not None else list(ledger.years)
    totals = {str(y): {k: 0 for k in KINDS} for y in years}
    records: list[dict[str, Any]] = []
    in_table: set[str] = set()  # the initiatives with a row in this body's table, in any year
    for line in ledger.agreement.lines:
        if ledger.line_body(line) != body.id:
            continue
        if line.initiative is not None:
            in_table.add(line.initiative)
        records.append(line_record(ledger, line))
        for y, amount in line.amounts.items():
            if str(y) in totals:
                totals[str(y)][line.kind.value] += amount
    records = sorted(records, key=lambda r: section_sort_key(r["section"] or ""))
    lines_by_ini = ledger.lines_by_initiative

    initiatives: list[dict[str, Any]] = []
    for ini, role in body_initiatives(ledger, body.id):
        has_amounts = ini.id in lines_by_ini
        initiatives.append({
            "id": ini.id,
            **_section_ref(ledger, ini.section),
            "title": ini.title,
            "role": role,
            "has_amounts": has_amounts,
            # True when the initiative has appendix rows but none of them is in this body's table
            "rows_elsewhere": has_amounts and ini.id not in in_table,
            "responsible": [_body_ref(ledger, b) for b in ledger.responsible(ini)],
            "inferred": _inferred(ledger, ini, body.id),
        })
    kinds_present = [k for k in KINDS if any(r["kind"] == k for r in records)]
    subtotals = [
        {"kind": k, "amounts": {y: totals[y][k] for y in totals}, "total": sum(totals[y][k] for y in totals)}
        for k in kinds_present
    ]
    grand = {y: sum(totals[y].values()) for y in totals}
    return {
        "committee": body.name,
        "id": body.id,
        "is_committee": body.committee,
        "section_17_4": body.section_17_4,
        "finance": body.finance,
        "aliases": list(body.aliases),
        "agreement": ledger.agreement.agreement.title,
        "unit": ledger.unit,
        "year": year,
        "years": years,
        "lines": records,
        "initiatives": initiatives,
        "initiative_count": sum(1 for i in initiatives if i["role"] == Role.responsible.value),
        "involved_count": sum(1 for i in initiatives if i["role"] == Role.involved.value),
        "totals": totals,
        "subtotals": subtotals,
        "grand_total": {"amounts": grand, "total": sum(grand.values())},
    }


# ----------------------------------------------------------------------------- committees overview


def committees_overview(ledger: Ledger, rows: list[Line] | None = None, only: str | None = None,
                        filters: dict[str, str] | None = None) -> dict[str, Any]:
    """One row per body: its initiatives and its net drift and anlæg per year; then a row for the
    appendix rows that belong to no body. The columns add up to :func:`reports.totals`.

    ``rows`` are the appendix rows to count (default: all; see :mod:`.filters`); ``only`` keeps
    the one body of that id (a committee filter); ``filters`` are recorded in the result."""
    years = [str(y) for y in ledger.years]

    def zero() -> dict[str, dict[str, int]]:
        return {y: {k: 0 for k in KINDS} for y in years}

    net: dict[str | None, dict[str, dict[str, int]]] = {b: zero() for b in ledger.bodies}
    net[None] = zero()
    rows_count: dict[str | None, int] = dict.fromkeys(net, 0)
    for line in ledger.agreement.lines if rows is None else rows:
        body = ledger.line_body(line)
        key = body if body in ledger.bodies else None
        rows_count[key] += 1
        for y, amount in line.amounts.items():
            if str(y) in net[key]:
                net[key][str(y)][line.kind.value] += amount
    counts: dict[str, int] = dict.fromkeys(ledger.bodies, 0)
    involved: dict[str, int] = dict.fromkeys(ledger.bodies, 0)
    for ini in ledger.agreement.initiatives:
        responsible = ledger.responsible(ini)
        for b in responsible:
            if b in counts:
                counts[b] += 1
        for b in set(_involved(ini)) - set(responsible):
            if b in involved:
                involved[b] += 1
    bodies = [
        {"id": b.id, "name": b.name, "aliases": list(b.aliases), "committee": b.committee,
         "section_17_4": b.section_17_4,
         "initiatives": counts[b.id], "involved": involved[b.id], "lines": rows_count[b.id], "net": net[b.id]}
        for b in ledger.agreement.bodies if only is None or b.id == only
    ]
    totals = zero()
    for per_year in net.values():
        for year in years:
            for k in KINDS:
                totals[year][k] += per_year[year][k]
    return {
        "unit": ledger.unit,
        "years": [int(y) for y in years],
        "kinds": list(KINDS),
        "bodies": bodies,
        "unassigned": {"lines": rows_count[None], "net": net[None]},
        "totals": totals,
        "filters": filters or {},
        "rows": sum(rows_count.values()),
    }


# ----------------------------------------------------------------------------- list and show


def _search_keys(ini: Initiative) -> str:
    parts: Iterable[str] = [ini.title, ini.text or "", *(p.text for p in ini.prose_amounts)]
    return "\n".join(v for part in parts for v in fold_variants(part))


def initiative_record(ledger: Ledger, ini: Initiative) -> dict[str, Any]:
    rows = ledger.lines_by_initiative.get(ini.id, [])
    responsible = ledger.responsible(ini)
    return {
        "id": ini.id,
        "type": "initiative",
        **_section_ref(ledger, ini.section),
        "title": ini.title,
        "responsible": [_body_ref(ledger, b) for b in responsible],
        "involved": [_body_ref(ledger, b) for b in _involved(ini) if b not in responsible],
        "has_amounts": bool(rows),
        "kinds": sorted({ln.kind.value for ln in rows}, key=KINDS.index),
        "lines": [ln.id for ln in rows],
    }


def list_initiatives(ledger: Ledger, section: str | None = None, committee: str | None = None,
                     kind: str | None = None, with_amounts: bool | None = None,
                     search: str | None = None) -> list[dict[str, Any]]:
    """The initiatives, in section order, filtered by section prefix, body (responsible or
    involved), kind of appendix row, whether they have appendix rows, and a text search that
    ignores case and accents (in the title, the prose and the prose amounts)."""
    from .filters import check_section, row_match

    body = resolve_body(ledger, committee) if committee is not None else None
    if section is not None:
        section = check_section(ledger, section)
    needles = frozenset(fold_variants(search.strip())) if search and search.strip() else frozenset()
    out: list[dict[str, Any]] = []
    for ini in ledger.agreement.initiatives:
        if section is not None and not _in_section(ini.section, section):
            continue
        rec = initiative_record(ledger, ini)
        if body is not None and body.id not in {b["id"] for b in rec["responsible"] + rec["involved"]}:
            continue
        if kind is not None and kind not in rec["kinds"]:
            continue
        if with_amounts is not None and rec["has_amounts"] != with_amounts:
            continue
        if needles:
            haystack = _search_keys(ini)
            rows = [ln for ln in ledger.lines_by_initiative.get(ini.id, [])
                    if (kind is None or ln.kind.value == kind) and row_match(ledger, ln, needles) == "row title"]
            if not rows and not any(n in haystack for n in needles):
                continue
            rec["matched_rows"] = [_row_ref(ledger, ln) for ln in rows]
        out.append(rec)
    if needles and with_amounts is not False:
        # appendix rows linked to a section rather than an initiative are found by their title too
        for ln in ledger.agreement.lines:
            if ln.initiative is not None or ln.section is None:
                continue
            if section is not None and not _in_section(ln.section, section):
                continue
            if kind is not None and ln.kind.value != kind:
                continue
            if body is not None and ledger.line_body(ln) != body.id:
                continue
            if row_match(ledger, ln, needles) is None:
                continue
            out.append(_section_row_record(ledger, ln))
    return sorted(out, key=lambda r: section_sort_key(r["section"]))


def _row_ref(ledger: Ledger, line: Any) -> dict[str, Any]:
    return {"id": line.id, "ref": ledger.line_ref(line), "title": line.title, "kind": line.kind.value}


def _section_row_record(ledger: Ledger, line: Any) -> dict[str, Any]:
    """A search hit on an appendix row that belongs to a section, not to an initiative."""
    section = ledger.sections.get(line.section)
    responsible = [r.body for r in section.bodies if r.role == Role.responsible] if section else []
    return {
        "id": line.id,
        "type": "row",
        **_section_ref(ledger, line.section),
        "title": line.title,
        "responsible": [_body_ref(ledger, b) for b in responsible],
        "involved": [],
        "has_amounts": True,
        "kinds": [line.kind.value],
        "lines": [line.id],
        "matched_rows": [_row_ref(ledger, line)],
    }


def _in_section(section_id: str, prefix: str) -> bool:
    """'3.3' holds 3.3, 3.3.1 and 3.3.10 but not 3.30."""
    prefix = prefix.strip().rstrip(".")
    return section_id == prefix or section_id.startswith(prefix + ".")


def show_initiative(ledger: Ledger, initiative_id: str) -> dict[str, Any]:
    """One initiative: section and chapter, bodies, appendix rows, prose amounts, and the recorded
    differences between the prose and the appendix that name it or one of its rows."""
    ini = ledger.initiatives.get(initiative_id)
    if ini is None:
        ini = _find_initiative(ledger, initiative_id)
    rec = initiative_record(ledger, ini)
    rows = ledger.lines_by_initiative.get(ini.id, [])
    row_ids = {ln.id for ln in rows}
    chapter_id = ledger.chapter_of(ini.section)
    chapters = {c.id: c.title for c in ledger.agreement.chapters}
    discrepancies = [
        {"id": d.id, "category": d.category, "section": d.section, "initiative": d.initiative,
         "line": d.line, "text": d.text}
        for d in ledger.agreement.discrepancies
        if d.initiative == ini.id or (d.line is not None and d.line in row_ids)
    ]
    return {
        **rec,
        "chapter": {"id": chapter_id, "title": chapters.get(chapter_id) if chapter_id else None},
        "text": ini.text,
        "note": ini.note,
        "unit": ledger.unit,
        "years": list(ledger.years),
        "lines": [line_record(ledger, ln) for ln in rows],
        "prose_amounts": [
            {"text": p.text, "kind": p.kind.value if p.kind else None,
             "amounts": {str(y): p.amounts[y] for y in sorted(p.amounts)},
             "per_year": p.per_year, "total": p.total, "note": p.note, "reading": p.reading}
            for p in ini.prose_amounts
        ],
        # how the text names each body: a note, and why the link is inferred when the text does not make it
        "bodies": [{"id": r.body, "role": r.role.value, "note": r.note, "inferred": r.inferred} for r in ini.bodies],
        "discrepancies": discrepancies,
    }


class SectionWanted(ReportError):  # noqa: N818 - not an error: `show` of a section, or of a section's row
    def __init__(self, section_id: str, line_id: str | None = None) -> None:
        super().__init__(section_id)
        self.section_id = section_id
        self.line_id = line_id


def _find_initiative(ledger: Ledger, wanted: str) -> Initiative:
    """An initiative by its id in any case, or by the id or short reference of one of its appendix
    rows. A section (or a row that belongs to a section) raises :class:`SectionWanted`; nothing
    raises :class:`UnknownInitiative` with the closest ids and titles."""
    key = wanted.strip().casefold()
    by_fold = {i.casefold(): i for i in ledger.initiatives}
    if key in by_fold:
        return ledger.initiatives[by_fold[key]]
    line = ledger.lines_by_ref.get(wanted.strip().upper())
    if line is None:
        line = next((ln for ln in ledger.agreement.lines if ln.id.casefold() == key), None)
    if line is not None:
        if line.initiative is not None and line.initiative in ledger.initiatives:
            return ledger.initiatives[line.initiative]
        if line.section is not None:
            raise SectionWanted(line.section, line.id)
    sections = {s.casefold(): s for s in ledger.sections}
    if key in sections:
        raise SectionWanted(sections[key])
    raise UnknownInitiative(T_("no initiative with the id '{id}' (nor a section or an appendix row)", id=wanted),
                            closest_ids(ledger, wanted))


def closest_ids(ledger: Ledger, wanted: str, n: int = 5) -> list[str]:
    """Ids whose title or id holds ``wanted`` (case and accents ignored), then ids spelt like it."""
    needles = fold_variants(wanted.strip())
    out: list[str] = []
    for ini in ledger.agreement.initiatives:
        hay = fold_variants(ini.title) | fold_variants(ini.id)
        if any(nd in h for nd in needles for h in hay):
            out.append(f"{ini.id} ({ini.title})")
    for ln in ledger.agreement.lines:
        if any(nd in h for nd in needles for h in fold_variants(ln.title)):
            out.append(f"{ledger.line_ref(ln)} (appendix row: {ln.title})")
    for sec in ledger.agreement.sections:
        if sec.id.startswith(wanted.strip() + ".") or any(nd in h for nd in needles for h in fold_variants(sec.title)):
            out.append(f"{sec.id} ({sec.title})")
    ids = [*ledger.initiatives, *ledger.sections]
    folded = {i.casefold(): i for i in ids}
    for close in difflib.get_close_matches(wanted.strip().casefold(), list(folded), n=n, cutoff=0.5):
        if not any(o.startswith(folded[close] + " ") for o in out):
            out.append(folded[close])
    return out[:n]


def show_section(ledger: Ledger, section_id: str, line_id: str | None = None) -> dict[str, Any]:
    """One section: its bodies, its initiatives, the appendix rows that belong to it (directly or
    through its initiatives); for a named section of the general part, the stated figures and tax
    rates too. ``line_id`` is the row that was asked for, if any."""
    from . import general_figures

    section = ledger.sections[section_id]
    chapters = {c.id: c.title for c in ledger.agreement.chapters}
    initiatives = [ini for ini in ledger.agreement.initiatives if ini.section == section_id]
    ini_ids = {ini.id for ini in initiatives}
    rows = [ln for ln in ledger.agreement.lines if ln.section == section_id or ln.initiative in ini_ids]
    responsible = [r.body for r in section.bodies if r.role == Role.responsible]
    involved = [r.body for r in section.bodies if r.role == Role.involved]
    named = section_sort_key(section_id)[1] != ""
    return {
        "type": "section",
        "id": section_id,
        "title": section.title,
        "asked_for_row": line_id,
        "chapter": {"id": section.chapter, "title": chapters.get(section.chapter)},
        "responsible": [_body_ref(ledger, b) for b in responsible],
        "involved": [_body_ref(ledger, b) for b in involved],
        "note": section.note,
        "unit": ledger.unit,
        "years": list(ledger.years),
        "initiatives": [{"id": i.id, "title": i.title} for i in initiatives],
        "lines": [line_record(ledger, ln) for ln in rows],
        "general": general_figures(ledger) if named else None,
    }
