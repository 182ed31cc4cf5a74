"""The money of the follow-up year: agreed, corrections, corrected budget, actuals, forecast, deviation.

Pure functions over a ledger and a :class:`~budget2024.followup.FollowUp`, returning plain data.
A sum of actuals or forecasts is given only when every row in it has one (else ``None``): a
partial sum would be a wrong number. Rows added during the year are marked ``added``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..followup import Dated, FollowUp, NewRow, Row
from ..i18n import T_
from ..kinds import Role
from ..ledger import Ledger, section_sort_key
from . import KINDS, ReportError

#: ``500`` or ``10%`` (the text is stripped first; no two unbounded runs meet, so matching is linear)
_THRESHOLD = re.compile(r"(\d{1,12}) ?(%?)")


def parse_threshold(text: str | None) -> dict[str, Any] | None:
    """``500`` (thousand kroner) or ``10%`` (of the corrected budget)."""
    if text is None:
        return None
    m = _THRESHOLD.fullmatch(text.strip())
    if m is None:
        raise ReportError(T_("invalid threshold '{text}': expected a whole number of thousand kroner, such as 500, "
                             "or a percentage of the corrected budget, such as 10%", text=text),
                          T_("write it as --threshold 500 (thousand kroner) or --threshold 10%"))
    return {"value": int(m[1]), "unit": "%" if m[2] else "1000 DKK"}


def _latest(entries: list[Dated], as_of: dt.date | None) -> Dated | None:
    found = None
    for e in entries:  # in date order
        if as_of is None or e.as_of <= as_of:
            found = e
    return found


def new_row_body(ledger: Ledger, new: NewRow) -> str | None:
    """A row added during the year belongs to its body, else to the one body responsible for its initiative
    (or section), as an agreement row does."""
    if new.body is not None:
        return new.body
    candidates: list[str] = []
    if new.initiative is not None and new.initiative in ledger.initiatives:
        candidates = ledger.responsible(ledger.initiatives[new.initiative])
    elif new.section is not None and new.section in ledger.sections:
        candidates = [r.body for r in ledger.sections[new.section].bodies if r.role == Role.responsible]
    return candidates[0] if len(candidates) == 1 else None


def row_money(agreed: int | None, row: Row | None, year: int, as_of: dt.date | None) -> dict[str, Any] | None:
    """One row's money in ``year`` up to ``as_of`` (None: every entry); None when the row has nothing that year."""
    corrections: list[dict[str, Any]] = []
    if row is not None:
        for c in row.corrections:
            if year in c.amounts and (as_of is None or c.date <= as_of):
                corrections.append({"date": c.date.isoformat(), "decision": c.decision, "amount": c.amounts[year],
                                    "note": c.note})
    actual = _latest(row.actuals, as_of) if row is not None else None
    forecast = _latest(row.forecast, as_of) if row is not None else None
    if agreed is None and not corrections and actual is None and forecast is None:
        return None
    agreed = agreed or 0
    fixes = sum(c["amount"] for c in corrections)
    corrected = agreed + fixes
    return {
        "agreed": agreed, "corrections": fixes, "corrected": corrected,
        "actuals": actual.amount if actual else None, "actuals_as_of": actual.as_of.isoformat() if actual else None,
        "forecast": forecast.amount if forecast else None,
        "forecast_as_of": forecast.as_of.isoformat() if forecast else None,
        "deviation": forecast.amount - corrected if forecast else None,
        "decisions": corrections,
    }


def sum_money(moneys: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of rows' money; actuals, forecast and deviation only when every row has them."""

    def complete(key: str) -> int | None:
        values = [m[key] for m in moneys]
        return sum(values) if values and all(v is not None for v in values) else None

    return {"agreed": sum(m["agreed"] for m in moneys), "corrections": sum(m["corrections"] for m in moneys),
            "corrected": sum(m["corrected"] for m in moneys), "actuals": complete("actuals"),
            "forecast": complete("forecast"), "deviation": complete("deviation"), "rows": len(moneys),
            "rows_with_actuals": sum(1 for m in moneys if m["actuals"] is not None),
            "rows_with_forecast": sum(1 for m in moneys if m["forecast"] is not None)}


def _body_ref(ledger: Ledger, body_id: str | None) -> dict[str, Any] | None:
    body = ledger.bodies.get(body_id) if body_id is not None else None
    return {"id": body.id, "name": body.name} if body is not None else None


def money_rows(ledger: Ledger, fu: FollowUp, as_of: dt.date | None) -> list[dict[str, Any]]:
    """Every agreement row with money in the follow-up year (an amount, or a follow-up entry), then the
    rows added during the year; each with its section, body and money."""
    year = fu.year
    out: list[dict[str, Any]] = []
    for line in ledger.agreement.lines:
        money = row_money(line.amounts.get(year), fu.rows.get(line.id), year, as_of)
        if money is None:
            continue
        out.append({"id": line.id, "kind": line.kind.value, "section": ledger.line_section(line),
                    "label": line.label, "title": line.title, "initiative": line.initiative,
                    "body": _body_ref(ledger, ledger.line_body(line)), "added": False, **money})
    for row in fu.rows.values():
        if row.new is None:
            continue
        money = row_money(None, row, year, as_of)
        if money is None:
            continue
        new = row.new
        section = new.section if new.section is not None else (
            ledger.initiatives[new.initiative].section if new.initiative in ledger.initiatives else None)
        out.append({"id": row.id, "kind": new.kind, "section": section, "label": section or "", "title": new.title,
                    "initiative": new.initiative, "body": _body_ref(ledger, new_row_body(ledger, new)),
                    "added": True, **money})
    return out


def _over(money: dict[str, Any], threshold: dict[str, Any] | None) -> bool:
    dev = money["deviation"]
    if threshold is None or dev is None or dev <= 0:
        return False
    if threshold["unit"] == "%":
        return bool(dev * 100 > threshold["value"] * abs(money["corrected"]))
    return bool(dev > threshold["value"])


def followup_report(ledger: Ledger, fu: FollowUp, committee: str | None = None, kind: str | None = None,
                    as_of: dt.date | None = None, threshold: str | None = None) -> dict[str, Any]:
    """The money view over every row of the follow-up year, per row and summed per body and kind.

    ``threshold`` marks the rows whose deviation (forecast minus corrected budget) is larger: a number of
    thousand kroner, or a percentage of the corrected budget (``10%``)."""
    from .committee import resolve_body

    limit = parse_threshold(threshold)
    body = resolve_body(ledger, committee) if committee is not None else None
    if kind is not None and kind not in KINDS:
        raise ReportError(T_("unknown kind '{kind}'", kind=kind))
    rows = [r for r in money_rows(ledger, fu, as_of)
            if (body is None or (r["body"] or {}).get("id") == body.id) and (kind is None or r["kind"] == kind)]
    order: dict[str | None, int] = {b: i for i, b in enumerate(ledger.bodies)}
    rows.sort(key=lambda r: (order.get((r["body"] or {}).get("id"), len(order)), KINDS.index(r["kind"]),
                             section_sort_key(r["section"] or "")))
    for r in rows:
        r["over"] = _over(r, limit)
    groups: list[dict[str, Any]] = []
    for r in rows:
        key = ((r["body"] or {}).get("id"), r["kind"])
        if not groups or (groups[-1]["body_id"], groups[-1]["kind"]) != key:
            groups.append({"body_id": key[0], "body": r["body"], "kind": r["kind"], "members": []})
        groups[-1]["members"].append(r)
    sums = [{"body": g["body"], "kind": g["kind"], **sum_money(g["members"])} for g in groups]
    totals = [{"kind": k, **sum_money([r for r in rows if r["kind"] == k])} for k in KINDS
              if any(r["kind"] == k for r in rows)]
    return {
        "agreement": ledger.agreement.agreement.title, "unit": ledger.unit, "year": fu.year,
        "as_of": as_of.isoformat() if as_of else None, "files": fu.files,
        "committee": _body_ref(ledger, body.id) if body is not None else None, "kind": kind,
        "threshold": limit, "rows": rows, "sums": sums, "totals": totals,
        "total": sum_money(rows), "over": sum(1 for r in rows if r["over"]),
    }


def corrected_lines(ledger: Ledger, fu: FollowUp, body_id: str | None = None,
                    kind: str | None = None) -> dict[str, Any]:
    """For ``totals`` and ``committee`` with a follow-up: the corrected budget beside the agreed one in
    the follow-up year, per kind, with the rows added during the year counted apart. Every correction
    counts (no date limit)."""
    rows = [r for r in money_rows(ledger, fu, None)
            if (body_id is None or (r["body"] or {}).get("id") == body_id) and (kind is None or r["kind"] == kind)]
    per_kind = []
    for k in KINDS if kind is None else [kind]:
        mine = [r for r in rows if r["kind"] == k]
        added = [r for r in mine if r["added"]]
        per_kind.append({"kind": k, "agreed": sum(r["agreed"] for r in mine),
                         "corrections": sum(r["corrections"] for r in mine),
                         "corrected": sum(r["corrected"] for r in mine),
                         "added_rows": len(added), "added": sum(r["corrected"] for r in added)})
    return {
        "year": fu.year, "files": fu.files, "unit": ledger.unit, "kinds": per_kind,
        "agreed": sum(k["agreed"] for k in per_kind), "corrections": sum(k["corrections"] for k in per_kind),
        "corrected": sum(k["corrected"] for k in per_kind),
        "rows": [{"id": r["id"], "kind": r["kind"], "section": r["section"], "title": r["title"], "added": r["added"],
                  "agreed": r["agreed"], "corrections": r["corrections"], "corrected": r["corrected"],
                  "decisions": r["decisions"]} for r in rows if r["corrections"] or r["added"]],
    }


def skeleton_data(ledger: Ledger, committee: str | None = None, year: int | None = None) -> dict[str, Any]:
    """What ``budget followup init`` writes: every initiative the body is responsible for (or every one) and
    every appendix row it answers for (or every row), with titles and sections, for the follow-up year."""
    from ..followup import QUARTERS
    from . import check_year
    from .committee import body_initiatives, resolve_body

    check_year(ledger, year)
    year = year if year is not None else ledger.years[0]
    body = resolve_body(ledger, committee) if committee is not None else None

    def label(section_id: str | None) -> str:
        section = ledger.sections.get(section_id) if section_id is not None else None
        if section is None:
            return section_id or "no section"
        return f"{section.id} {section.title}" if re.fullmatch(r"\d+(\.\d+)*", section.id) else section.title

    if body is not None:
        initiatives = [ini for ini, role in body_initiatives(ledger, body.id) if role == Role.responsible.value]
    else:
        initiatives = sorted(ledger.agreement.initiatives, key=lambda i: section_sort_key(i.section))
    lines = [ln for ln in ledger.agreement.lines if body is None or ledger.line_body(ln) == body.id]
    lines.sort(key=lambda ln: section_sort_key(ledger.line_section(ln) or ""))
    meta = ledger.agreement.agreement
    return {
        "agreement": {"municipality": meta.municipality, "title": meta.title}, "year": year,
        "body": {"id": body.id, "name": body.name} if body is not None else None, "quarters": list(QUARTERS),
        "tasks": [{"id": ini.id, "section_label": label(ini.section), "title": ini.title} for ini in initiatives],
        "rows": [{"id": ln.id, "kind": ln.kind.value, "section_label": label(ledger.line_section(ln)),
                  "title": ln.title, "agreed": ln.amounts.get(year)} for ln in lines],
    }


def followup_summary(fu: FollowUp) -> dict[str, Any]:
    """What ``budget validate --followup`` counts."""
    return {"year": fu.year, "files": fu.files, "tasks": len(fu.tasks),
            "status_entries": sum(len(t.status) for t in fu.tasks.values()), "rows": len(fu.rows),
            "new_rows": sum(1 for r in fu.rows.values() if r.new is not None),
            "corrections": sum(len(r.corrections) for r in fu.rows.values())}
