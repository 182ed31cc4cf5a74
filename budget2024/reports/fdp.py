"""The agreement as a Fiscal Data Package: pure functions to rows and a descriptor.

A Fiscal Data Package (Frictionless Data's open budget standard, which OpenSpending reads) is a
Tabular Data Package (CSV files described by ``datapackage.json``) whose descriptor also maps the
columns to fiscal concepts. :func:`fdp_rows` gives one row per appendix row, year and budget
phase; :func:`fdp_descriptor` the descriptor: the table schema of those rows, the ``model`` of
version 0.3 of the specification (measures and dimensions, the form OpenSpending's packager
writes), and on every field the ``columnType`` of version 1.0, so that either reader
understands it.

Nothing here writes a file: :mod:`budget2024.render.fdp` does.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ..ledger import Ledger
from . import KINDS

if TYPE_CHECKING:  # reports run on cached data without importing pydantic
    from ..views import Line

#: The budget phases of the specification that the export can hold.
PHASES = ["approved", "adjusted", "executed"]

KIND_TITLE = {"drift": "Drift", "anlaeg": "Anlæg"}

#: The data file's path inside the package.
DATA_PATH = "data/budget.csv"

# (name, type, title, description, columnType of FDP 1.0)
_FIELDS: list[tuple[str, str, str, str, str]] = [
    ("municipality", "string", "Municipality", "The municipality whose budget agreement this is.",
     "administrative-classification:generic:level1:label"),
    ("year", "integer", "Fiscal year", "The budget year or an overslag year (the fiscal year is the calendar year).",
     "date:fiscal-year"),
    ("phase", "string", "Budget phase", "approved: as the agreement states it; adjusted: the corrected budget; "
     "executed: the actuals.", "phase:id"),
    ("line_id", "string", "Appendix row id", "The id of the appendix row in the agreement file.",
     "budget-line-id"),
    ("line_title", "string", "Appendix row", "The title of the appendix row.", "budget-line-id:label"),
    ("line_label", "string", "Section label as printed", "The section label that the appendix prints beside "
     "the row (may differ from the section of its initiative).", "budget-line-id:section-label"),
    ("kind", "string", "Kind (code)", "drift (operating) or anlaeg (capital).", "economic-classification:generic:code"),
    ("kind_title", "string", "Kind", "Drift or Anlæg, as the appendix names its two tables.",
     "economic-classification:generic:label"),
    ("body_id", "string", "Responsible body (id)", "The committee or body the row belongs to; empty for the "
     "rows of the general part, which belong to no body.", "administrative-classification:generic:level2:code"),
    ("body_name", "string", "Responsible body", "The name of the committee or body.",
     "administrative-classification:generic:level2:label"),
    ("chapter_id", "string", "Chapter (id)", "The chapter of the agreement (0 is the general part).",
     "functional-classification:generic:level1:code"),
    ("chapter_title", "string", "Chapter", "The chapter's title.", "functional-classification:generic:level1:label"),
    ("section_id", "string", "Section (id)", "The section of the agreement (3.3.5, or a named section of the "
     "general part).", "functional-classification:generic:level2:code"),
    ("section_title", "string", "Section", "The section's title.", "functional-classification:generic:level2:label"),
    ("initiative_id", "string", "Initiative (id)", "The initiative the row funds; empty for a row linked to a "
     "section only.", "activity:generic:program:code"),
    ("initiative_title", "string", "Initiative", "The initiative's title.", "activity:generic:program:label"),
    ("currency", "string", "Currency", "ISO 4217 code of the amount's currency.", "value-currency:code"),
    ("amount", "integer", "Amount", "", "value"),
]

#: With the follow-up phases: the date of the actuals of an ``executed`` row.
_AS_OF = ("as_of", "date", "As of", "For phase executed: the date up to which the actuals are counted; "
          "empty for the other phases.", "date:as-of")

_REQUIRED = {"municipality", "year", "phase", "line_id", "line_title", "kind", "kind_title", "currency", "amount"}


def _unit(unit: str) -> tuple[str, int]:
    """'1000 DKK' → ('DKK', 1000): the currency and the factor that turns an amount into it."""
    m = re.fullmatch(r"(\d+)\s+([A-Z]{3})", unit.strip())
    if m:
        return m.group(2), int(m.group(1))
    m = re.fullmatch(r"[A-Z]{3}", unit.strip())
    if m:
        return unit.strip(), 1
    raise ValueError(f"unit {unit!r} is not a currency with a factor")


def slug(text: str) -> str:
    """A package name: lower case ASCII letters, digits and hyphens (æ → ae, ø → oe, å → aa)."""
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "budget"


def _fields(phases: list[str] | None) -> list[tuple[str, str, str, str, str]]:
    if phases and phases != ["approved"]:
        return [*_FIELDS[:3], _AS_OF, *_FIELDS[3:]]
    return _FIELDS


def fdp_rows(ledger: Ledger, extra: list[dict[str, Any]] | None = None,
             phases: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per appendix row and year with an amount (phase ``approved``), in the appendix's
    order, year by year; then ``extra`` rows (other phases), as given.

    A year without an amount has no row (never a 0). Amounts are in the agreement's unit.
    """
    ag = ledger.agreement
    currency, _ = _unit(ledger.unit)
    chapters = {c.id: c.title for c in ag.chapters}
    municipality = ag.agreement.municipality
    rows: list[dict[str, Any]] = []
    for line in ag.lines:
        base = line_dimensions(ledger, line, chapters)
        for year in sorted(line.amounts):
            rows.append({**base, "municipality": municipality, "year": year, "phase": "approved",
                         "currency": currency, "amount": line.amounts[year]})
    for row in extra or []:
        rows.append({"municipality": municipality, "currency": currency, **row})
    return [{name: row.get(name) for name, *_ in _fields(phases)} for row in rows]


def line_dimensions(ledger: Ledger, line: Line, chapters: dict[str, str]) -> dict[str, Any]:
    """The classification columns of one appendix row (everything but year, phase and amount);
    ``chapters`` maps a chapter id to its title."""
    return dimensions(ledger, chapters, line_id=line.id, title=line.title, label=line.label, kind=line.kind.value,
                      section_id=ledger.line_section(line), body_id=ledger.line_body(line),
                      initiative_id=line.initiative)


def dimensions(ledger: Ledger, chapters: dict[str, str], *, line_id: str, title: str, label: str | None, kind: str,
               section_id: str | None, body_id: str | None, initiative_id: str | None) -> dict[str, Any]:
    """The classification columns of a budget row, from its ids (titles looked up)."""
    section = ledger.sections.get(section_id) if section_id else None
    chapter_id = section.chapter if section else None
    body = ledger.bodies.get(body_id) if body_id else None
    ini = ledger.initiatives.get(initiative_id) if initiative_id else None
    return {
        "line_id": line_id,
        "line_title": title,
        "line_label": label or None,
        "kind": kind,
        "kind_title": KIND_TITLE.get(kind, kind),
        "body_id": body.id if body else None,
        "body_name": body.name if body else None,
        "chapter_id": chapter_id,
        "chapter_title": chapters.get(chapter_id) if chapter_id else None,
        "section_id": section_id,
        "section_title": section.title if section else None,
        "initiative_id": ini.id if ini else None,
        "initiative_title": ini.title if ini else None,
    }


def fdp_descriptor(ledger: Ledger, created: str, phases: list[str] | None = None) -> dict[str, Any]:
    """The ``datapackage.json`` of the export, for rows of these ``phases`` (default: approved);
    ``created`` is the export's time (ISO 8601), which the caller supplies."""
    ag = ledger.agreement
    meta = ag.agreement
    currency, factor = _unit(ledger.unit)
    phases = phases or ["approved"]
    years = ledger.years
    unit_text = f"{factor:,}".replace(",", ".") + f" {currency}" if factor != 1 else currency
    fields: list[dict[str, Any]] = []
    for name, type_, title, description, column_type in _fields(phases):
        field: dict[str, Any] = {"name": name, "type": type_, "title": title}
        if name == "amount":
            description = (f"The amount in {unit_text} ({currency} × {factor}): expansions (udvidelser) positive, "
                           f"savings (besparelser) negative.")
        if description:
            field["description"] = description
        field["columnType"] = column_type
        constraints: dict[str, Any] = {}
        if name in _REQUIRED:
            constraints["required"] = True
        if name == "kind":
            constraints["enum"] = list(KINDS)
        if name == "phase":
            constraints["enum"] = list(phases)
        if name == "currency":
            constraints["enum"] = [currency]
        if name == "year":
            constraints["minimum"], constraints["maximum"] = min(years), max(years)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    resource_name = "budget"
    measure: dict[str, Any] = {"source": "amount", "resource": resource_name, "currency": currency, "factor": factor,
                               "title": f"Amount ({unit_text})"}
    if phases == ["approved"]:
        measure["phase"] = "approved"
    attrs = _attributes
    dimensions: dict[str, Any] = {
        "date": {"dimensionType": "datetime", "primaryKey": ["year"],
                 "attributes": attrs(year=("year", None, None))},
        "phase": {"dimensionType": "other", "primaryKey": ["code"],
                  "attributes": attrs(code=("phase", None, None))},
        "municipality": {"dimensionType": "entity", "primaryKey": ["title"],
                         "attributes": attrs(title=("municipality", None, None))},
        "economic-classification": {
            "dimensionType": "classification", "classificationType": "economic", "primaryKey": ["code"],
            "attributes": attrs(code=("kind", None, None), title=("kind_title", "code", None))},
        "administrative-classification": {
            "dimensionType": "classification", "classificationType": "administrative", "primaryKey": ["code"],
            "attributes": attrs(code=("body_id", None, None), title=("body_name", "code", None))},
        "functional-classification": {
            "dimensionType": "classification", "classificationType": "functional", "primaryKey": ["code"],
            "attributes": attrs(chapter=("chapter_id", None, None), chapter_title=("chapter_title", "chapter", None),
                                code=("section_id", None, "chapter"), title=("section_title", "code", None))},
        "initiative": {"dimensionType": "activity", "primaryKey": ["id"],
                       "attributes": attrs(id=("initiative_id", None, None), title=("initiative_title", "id", None))},
        "budget-line": {"dimensionType": "fact", "primaryKey": ["id"],
                        "attributes": attrs(id=("line_id", None, None), title=("line_title", "id", None),
                                            label=("line_label", None, None))},
    }
    for dim in dimensions.values():
        for attr in dim["attributes"].values():
            attr["resource"] = resource_name
    description = (
        f"{meta.title}, {meta.municipality}, signed {meta.signed.isoformat()}: every row of the appendix "
        f"(Drift and Anlæg) for each of the years {years[0]}–{years[-1]}, as a change to the budget "
        f"(expansions positive, savings negative), in {unit_text}. Exported by budget2024 from the "
        f"agreement file; the appendix is the ledger."
    )
    if phases != ["approved"]:
        description += (" Besides the agreement's amounts (phase approved), the rows of phase adjusted hold the "
                        "corrected budget and those of phase executed the actuals, from the follow-up files.")
    return {
        "profile": "tabular-data-package",
        "name": slug(f"{meta.municipality} {meta.title}"),
        "title": f"{meta.title} ({meta.municipality})",
        "description": description,
        "version": "1.0.0",
        "created": created,
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"},
        "sources": [{"title": meta.source or meta.title}],
        "resources": [{
            "name": resource_name,
            "path": DATA_PATH,
            "profile": "tabular-data-resource",
            "title": f"{meta.title}: appendix rows per year",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            "schema": {
                "fields": fields,
                "primaryKey": ["line_id", "year", "phase"],
                "missingValues": [""],
            },
        }],
        "model": {"measures": {"amount": measure}, "dimensions": dimensions},
    }


def _attributes(**spec: tuple[str, str | None, str | None]) -> dict[str, dict[str, Any]]:
    """Model attributes: name → (source column, labelfor, parent)."""
    out: dict[str, dict[str, Any]] = {}
    for name, (source, labelfor, parent) in spec.items():
        attr: dict[str, Any] = {"source": source}
        if labelfor:
            attr["labelfor"] = labelfor
        if parent:
            attr["parent"] = parent
        out[name] = attr
    return out


def fdp_export(ledger: Ledger, created: str, extra: list[dict[str, Any]] | None = None,
               phases: list[str] | None = None) -> dict[str, Any]:
    """The whole export as data: ``descriptor``, ``columns`` (the CSV header) and ``rows``."""
    rows = fdp_rows(ledger, extra, phases)
    return {"descriptor": fdp_descriptor(ledger, created, phases), "columns": [f[0] for f in _fields(phases)],
            "rows": rows}


def followup_rows(ledger: Ledger, fu: Any, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The follow-up year's phases from follow-up files: for every row with money in that year (the
    agreement's rows and those added during the year), the corrected budget as phase ``adjusted``
    and, where the row has actuals, the latest of them as phase ``executed`` (with its date in
    ``as_of``). Entries dated after ``as_of`` are left out (None: every entry)."""
    from .followup import money_rows

    chapters = {c.id: c.title for c in ledger.agreement.chapters}
    out: list[dict[str, Any]] = []
    for m in money_rows(ledger, fu, as_of):
        dims = dimensions(ledger, chapters, line_id=m["id"], title=m["title"],
                          label=None if m["added"] else m["label"], kind=m["kind"], section_id=m["section"],
                          body_id=m["body"]["id"] if m["body"] else None, initiative_id=m["initiative"])
        out.append({**dims, "year": fu.year, "phase": "adjusted", "amount": m["corrected"], "as_of": None})
        if m["actuals"] is not None:
            out.append({**dims, "year": fu.year, "phase": "executed", "amount": m["actuals"],
                        "as_of": m["actuals_as_of"]})
    return out
