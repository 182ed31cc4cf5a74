"""Reports: pure functions from a ledger to plain data (dicts, lists, ints).

Nothing here prints or formats; :mod:`budget2024.render` turns the results into
tables, JSON or CSV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..kinds import Kind
from ..ledger import Ledger, section_sort_key

if TYPE_CHECKING:  # reports run on cached data without importing pydantic
    from ..model import Line

KINDS = [k.value for k in Kind]


class ReportError(ValueError):
    """A request the data cannot answer (e.g. a year outside the agreement)."""


def check_year(ledger: Ledger, year: int | None) -> None:
    if year is not None and year not in ledger.years:
        raise ReportError(f"year {year} is not in the agreement; its years are "
                          f"{', '.join(str(y) for y in ledger.years)}")


def _empty_kind() -> dict[str, int]:
    return {"expansions": 0, "savings": 0, "net": 0}


def totals(ledger: Ledger, year: int | None = None, kind: str | None = None) -> dict[str, Any]:
    """Expansions (sum of positive amounts), savings (sum of negative amounts) and net,
    per year and kind, with the net over the kinds shown."""
    check_year(ledger, year)
    years = [year] if year is not None else ledger.years
    kinds = [kind] if kind is not None else KINDS
    acc = {y: {k: _empty_kind() for k in kinds} for y in years}
    for line in ledger.agreement.lines:
        line_kind = line.kind.value
        if line_kind not in kinds:
            continue
        for y, amount in line.amounts.items():
            if y in acc:
                cell = acc[y][line_kind]
                cell["expansions" if amount > 0 else "savings"] += amount
                cell["net"] += amount
    per_year = [
        {"year": y, "kinds": acc[y], "net": sum(acc[y][k]["net"] for k in kinds)} for y in years
    ]
    return {"unit": ledger.unit, "kinds": kinds, "years": per_year}


def line_record(ledger: Ledger, line: Line) -> dict[str, Any]:
    body = ledger.line_body(line)
    return {
        "id": line.id,
        "kind": line.kind.value,
        "section": ledger.line_section(line),
        "label": line.label,
        "title": line.title,
        "initiative": line.initiative,
        "committee": ledger.bodies[body].name if body in ledger.bodies else None,
        "committee_id": body,
        "amounts": {str(y): line.amounts[y] for y in sorted(line.amounts)},
        "total": sum(line.amounts.values()),
        "raw": line.raw,
        "note": line.note,
    }


def lines(ledger: Ledger, kind: str | None = None) -> list[dict[str, Any]]:
    """Every appendix row, in the appendix's order."""
    return [line_record(ledger, ln) for ln in ledger.agreement.lines if kind is None or ln.kind.value == kind]


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
