"""Reports: pure functions from a ledger to plain data (dicts, lists, ints).

Nothing here prints or formats; :mod:`budget2024.render` turns the results into
tables, JSON or CSV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import T_, shown
from ..kinds import Kind
from ..ledger import Ledger, section_sort_key

if TYPE_CHECKING:  # reports run on cached data without importing pydantic
    from ..views import Line

KINDS = [k.value for k in Kind]


class ReportError(ValueError):
    """A request the data cannot answer (e.g. a year outside the agreement), with a hint where one helps."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message  # a Text: English in the program, the chosen language when shown
        self.hint = hint

    def __str__(self) -> str:
        return str(shown(self.message))


def check_year(ledger: Ledger, year: int | None) -> None:
    if year is not None and year not in ledger.years:
        raise ReportError(T_("year {year} is not in the agreement; its years are {years}", year=year,
                             years=", ".join(str(y) for y in ledger.years)))


def _empty_kind() -> dict[str, int]:
    return {"expansions": 0, "savings": 0, "net": 0}


def totals(ledger: Ledger, year: int | None = None, kind: str | None = None,
           rows: list[Line] | None = None, filters: dict[str, str] | None = None) -> dict[str, Any]:
    """Expansions (sum of positive amounts), savings (sum of negative amounts) and net,
    per year and kind, with the net over the kinds shown.

    ``rows`` are the appendix rows to add up (default: all; see :mod:`.filters`), ``filters``
    the filters that chose them; ``rows`` in the result is how many rows were summed."""
    check_year(ledger, year)
    years = [year] if year is not None else ledger.years
    kinds = [kind] if kind is not None else KINDS
    acc = {y: {k: _empty_kind() for k in kinds} for y in years}
    summed = 0
    for line in ledger.agreement.lines if rows is None else rows:
        line_kind = line.kind.value
        if line_kind not in kinds:
            continue
        if year is not None and year not in line.amounts:
            continue
        summed += 1
        for y, amount in line.amounts.items():
            if y in acc:
                cell = acc[y][line_kind]
                cell["expansions" if amount > 0 else "savings"] += amount
                cell["net"] += amount
    per_year = [
        {"year": y, "kinds": acc[y], "net": sum(acc[y][k]["net"] for k in kinds)} for y in years
    ]
    return {"unit": ledger.unit, "kinds": kinds, "years": per_year, "rows": summed, "filters": filters or {}}


def line_record(ledger: Ledger, line: Line) -> dict[str, Any]:
    body = ledger.line_body(line)
    return {
        "id": line.id,
        "ref": ledger.line_ref(line),
        "kind": line.kind.value,
        "section": ledger.line_section(line),
        "label": line.label,
        "title": line.title,
        "initiative": line.initiative,
        "committee": ledger.bodies[body].name if body in ledger.bodies else None,
        "committee_short": _short_name(ledger, body),
        "committee_id": body,
        "amounts": {str(y): line.amounts[y] for y in sorted(line.amounts)},
        "total": sum(line.amounts.values()),
        "raw": line.raw,
        "note": line.note,
    }


def _short_name(ledger: Ledger, body: str | None) -> str | None:
    b = ledger.bodies.get(body) if body else None
    if b is None:
        return None
    return b.aliases[0] if b.aliases else b.name


def lines(ledger: Ledger, kind: str | None = None, rows: list[Line] | None = None, year: int | None = None,
          sort: str | None = None, top: int | None = None) -> list[dict[str, Any]]:
    """The appendix rows (all, or ``rows``), in the appendix's order.

    ``year`` keeps the rows with an amount that year; ``sort`` orders them by ``amount`` (that
    year's, else the total), ``total``, ``section`` or ``title``, descending with a leading '-'
    (a stable sort: equal rows keep the appendix's order); ``top`` keeps the first N."""
    check_year(ledger, year)
    if top is not None and top < 1:
        raise ReportError(T_("--top {top}: give a number of rows of at least 1", top=top))
    key = sort_key(sort, year) if sort else None
    out = [line_record(ledger, ln) for ln in (ledger.agreement.lines if rows is None else rows)
           if (kind is None or ln.kind.value == kind) and (year is None or year in ln.amounts)]
    if key is not None:
        out.sort(key=key, reverse=sort is not None and sort.strip().startswith("-"))
    return out[:top] if top is not None else out


SORT_FIELDS = ("amount", "total", "section", "title")


def sort_key(sort: str, year: int | None) -> Any:
    """The key function for ``--sort FIELD`` (a leading '-' is the caller's reverse)."""
    field = sort.strip().lstrip("-").strip().lower()
    if field not in SORT_FIELDS:
        raise ReportError(T_("cannot sort by '{sort}'; sort by one of {fields} (a leading '-' for descending order)",
                             sort=sort, fields=", ".join(f"'{f}'" for f in SORT_FIELDS)))
    if field == "amount" and year is not None:
        return lambda r: r["amounts"].get(str(year), 0)
    if field in {"amount", "total"}:
        return lambda r: r["total"]
    if field == "section":
        return lambda r: section_sort_key(r["section"] or "")
    return lambda r: danish_order(r["title"])


def danish_order(text: str) -> tuple[tuple[int, ...], str]:
    """A sort key in Danish alphabetical order (see :mod:`budget2024.collate`)."""
    from ..collate import danish_key

    return danish_key(text)


def validate_summary(ledger: Ledger) -> dict[str, Any]:
    ag = ledger.agreement
    per_kind = {k: sum(1 for ln in ag.lines if ln.kind.value == k) for k in KINDS}
    return {
        "ok": True,
        "problems": [],
        "title": ag.agreement.title,
        "municipality": ag.agreement.municipality,
        "initiatives": len(ag.initiatives),
        "lines": len(ag.lines),
        "lines_per_kind": per_kind,
        "years": ledger.years,
        "sections": len(ag.sections),
        "bodies": len(ag.bodies),
        "discrepancies": len(ag.discrepancies),
    }


def validate_problems(problems: list[Any]) -> dict[str, Any]:
    """``validate --format json`` for a file that cannot be used: every problem, located."""
    return {"ok": False, "problems": [p.as_dict() for p in problems]}


def sort_lines_by_section(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stable sort of line records by section number in numeric order (3.4.2 < 3.4.10)."""
    return sorted(records, key=lambda r: section_sort_key(r["section"] or ""))


def general_figures(ledger: Ledger) -> dict[str, Any]:
    """The figures the general part states, and the tax rates, each with its sentence."""
    ag = ledger.agreement
    return {
        "tax_rates": [{"id": t.id, "value": t.value, "unit": t.unit, "sentence": t.sentence} for t in ag.tax_rates],
        "stated_figures": [
            {"id": f.id, "measure": f.measure, "kind": f.kind.value if f.kind else None, "value": f.value,
             "amounts": {str(y): f.amounts[y] for y in sorted(f.amounts)}, "years": list(f.years),
             "approximate": f.approximate, "sentence": f.sentence, "note": f.note}
            for f in ag.stated_figures
        ],
    }
