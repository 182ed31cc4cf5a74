"""The committee's status overview for a meeting: each task's priority, plan, latest status and money.

A pure function over the ledger and the follow-up data. Its result is plain data (the JSON of
``budget status``), which every renderer walks: the table and the markdown document here, and
any other form (a Word document, a web page) from the same structure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..followup import NO_STATUS, QUARTERS, STATES, FollowUp, Status, quarter_of
from ..kinds import Role
from ..ledger import Ledger
from .committee import body_initiatives, resolve_body
from .followup import row_money, sum_money


def shown_quarters(year: int, as_of: dt.date) -> list[str]:
    """The quarter of ``as_of`` and the next one, within the follow-up year."""
    if as_of.year < year:
        return [QUARTERS[0]]
    if as_of.year > year:
        return []
    i = QUARTERS.index(quarter_of(as_of))
    return list(QUARTERS[i:i + 2])


def latest_status(entries: list[Status], as_of: dt.date) -> Status | None:
    found = None
    for e in entries:  # in date order
        if e.date <= as_of:
            found = e
    return found


def status_report(ledger: Ledger, fu: FollowUp, name: str, as_of: dt.date) -> dict[str, Any]:
    """The tasks a body is responsible for, ordered by priority (those without one after, in section order),
    each with the plan for the quarter of ``as_of`` and the next, the latest status entry dated on or before
    ``as_of``, and, for a task with appendix rows, its money in the follow-up year up to ``as_of``."""
    body = resolve_body(ledger, name)
    year = fu.year
    quarters = shown_quarters(year, as_of)
    new_by_initiative: dict[str, list[Any]] = {}
    for row in fu.rows.values():
        if row.new is not None and row.new.initiative is not None:
            new_by_initiative.setdefault(row.new.initiative, []).append(row)
    tasks: list[dict[str, Any]] = []
    for ini, role in body_initiatives(ledger, body.id):
        if role != Role.responsible.value:
            continue
        task = fu.tasks.get(ini.id)
        entry = latest_status(task.status, as_of) if task is not None else None
        lines = ledger.lines_by_initiative.get(ini.id, [])
        added = new_by_initiative.get(ini.id, [])
        money = None
        if lines or added:
            details: list[dict[str, Any]] = []
            for rid, title, is_new, m in [*((ln.id, ln.title, False, row_money(ln.amounts.get(year),
                                                                                fu.rows.get(ln.id), year, as_of))
                                            for ln in lines),
                                          *((r.id, r.new.title, True, row_money(None, r, year, as_of))
                                            for r in added)]:
                if m is not None:
                    details.append({"id": rid, "title": title, "added": is_new, **m})
            total = sum_money(details)
            money = {k: total[k] for k in ("agreed", "corrections", "corrected", "actuals", "forecast",
                                           "deviation", "rows", "rows_with_actuals", "rows_with_forecast")}
            money["added_rows"] = len(added)
            money["row_details"] = details  # each row's own money, for forms that show the rows
        section = ledger.sections.get(ini.section)
        tasks.append({
            "initiative": ini.id, "section": ini.section, "section_title": section.title if section else None,
            "title": ini.title, "priority": task.priority if task is not None else None,
            "plan": {q: (task.plan.get(q) if task is not None else None) for q in quarters},
            "state": entry.state if entry else None, "status_date": entry.date.isoformat() if entry else None,
            "note": entry.note if entry else None,
            "history": [{"date": e.date.isoformat(), "state": e.state, "note": e.note}
                        for e in (task.status if task is not None else []) if e.date <= as_of],
            "money": money,
        })
    # by priority; without one after, in section order (body_initiatives gives section order; sorted is stable)
    tasks.sort(key=lambda t: (t["priority"] is None, t["priority"] or 0))
    counts = dict.fromkeys(STATES, 0)
    counts[NO_STATUS] = 0
    for t in tasks:
        counts[t["state"] or NO_STATUS] += 1
    return {
        "body": {"id": body.id, "name": body.name, "aliases": list(body.aliases), "committee": body.committee},
        "agreement": ledger.agreement.agreement.title, "as_of": as_of.isoformat(), "year": year,
        "unit": ledger.unit, "quarters": quarters, "files": fu.files, "tasks": tasks, "counts": counts,
    }

