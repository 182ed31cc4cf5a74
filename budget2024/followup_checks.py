"""Checks of follow-up files against the agreement, and the combining of several files.

Each check returns located problems: ids that the agreement does not have (with did-you-mean,
and which list an id of the other kind belongs in), states and quarters, dates before the
signing, years outside the agreement, and the same date twice for one item, in one file or
across files (naming both places).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from typing import Any

from .errors import Problem
from .followup import QUARTERS, STATES, Correction, Dated, FollowUp, NewRow, Row, Status, Task
from .i18n import T_
from .ledger import Ledger
from .yamlsource import PathT, Source

#: An entry that failed validation (already reported); its id still counts as given.
INVALID: Any = object()


class FileParts:
    """The valid parts of one follow-up file, and its source for positions."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.schema_version: int | None = None
        self.agreement: Any = None
        self.year: int | None = None
        self.tasks: dict[str, Any] = {}
        self.rows: dict[str, Any] = {}
        self.new_rows: dict[str, Any] = {}


def _close(value: str, options: list[str]) -> str | None:
    found = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return found[0] if found else None


def _where(source: Source, path: PathT, *, key: bool = False) -> str:
    line, col = source.locate(path, key=key)
    return f"{source.file}:{line}:{col}"


def check(files: list[FileParts], ledger: Ledger) -> tuple[FollowUp, list[Problem]]:
    """Check every file against the agreement and against each other; combine them into one follow-up."""
    problems: list[Problem] = []
    meta = ledger.agreement.agreement
    initiatives = ledger.initiatives
    line_ids = {ln.id for ln in ledger.agreement.lines}
    new_ids: dict[str, str] = {}  # new row id → where it was first declared
    for f in files:
        for rid in f.new_rows:
            if rid not in new_ids:
                new_ids[rid] = _where(f.source, ("new_rows", rid), key=True)
    year: int | None = None
    year_place = ""
    tasks: dict[str, Task] = {}
    rows: dict[str, Row] = {}
    task_places: dict[tuple[str, str], str] = {}  # (task, field) → where it was given
    dates: dict[tuple[str, str, str, dt.date], str] = {}  # (section, item, list, date) → where

    def dated_ok(s: Source, path: PathT, day: dt.date) -> None:
        p = s.problem
        if day < meta.signed:
            problems.append(p(path, T_('the date {day} is before the agreement was signed ({signed})',
                                       day=day.isoformat(), signed=meta.signed.isoformat()),
                              T_('a date on or after {signed}', signed=meta.signed.isoformat()),
                              T_("check the year of the date")))

    def once(s: Source, section: str, item: str, lst: str, path: PathT, day: dt.date) -> bool:
        p = s.problem
        k = (section, item, lst, day)
        here = _where(s, path)
        if k in dates:
            problems.append(p(path, T_("two {lst} entries of '{item}' are dated {day}; the other is at {dates}",
                                       lst=lst, item=item, day=day.isoformat(), dates=dates[k]),
                              T_("one entry per date for each item"),
                              T_("merge the two entries, or correct one of the dates")))
            return False
        dates[k] = here
        return True

    def row_lists(s: Source, rid: str, path: PathT, entry: Any, merged: Row) -> Row:
        p = s.problem
        fixes = list(merged.corrections)
        for i, c in enumerate(entry.corrections or []):
            if c is None:
                continue
            cpath = (*path, "corrections", i)
            good = True
            for y, amount in c.amounts.items():
                if y not in ledger.years:
                    lo, hi = ledger.years[0], ledger.years[-1]
                    problems.append(p((*cpath, "amounts", y), T_('year {y} is outside the agreement', y=y),
                                      T_('a year from {lo} to {hi}',
                                         lo=lo, hi=hi), T_("a correction changes a year of the "
                                      "agreement"), key=True))
                    good = False
                elif amount == 0:
                    problems.append(p((*cpath, "amounts", y), T_("a correction of 0"),
                                      T_("a non-zero amount, or no entry for that year"),
                                      T_("leave a year out when the decision does not change it; never write 0")))
                    good = False
            dated_ok(s, (*cpath, "date"), c.date)
            good = once(s, "rows", rid, "corrections", (*cpath, "date"), c.date) and good
            if good:
                fixes.append(Correction(c.date, c.decision, dict(sorted(c.amounts.items())), c.note,
                                        _where(s, cpath)))
        lists: dict[str, list[Dated]] = {"actuals": list(merged.actuals), "forecast": list(merged.forecast)}
        for name, into in lists.items():
            for i, d in enumerate(getattr(entry, name) or []):
                if d is None:
                    continue
                dpath = (*path, name, i)
                dated_ok(s, (*dpath, "as_of"), d.as_of)
                if once(s, "rows", rid, name, (*dpath, "as_of"), d.as_of):
                    into.append(Dated(d.as_of, d.amount, d.note, _where(s, dpath)))
        by_date: Callable[[Any], Any] = lambda e: getattr(e, "date", None) or e.as_of  # noqa: E731
        return Row(rid, sorted(fixes, key=by_date), sorted(lists["actuals"], key=by_date),
                   sorted(lists["forecast"], key=by_date), merged.new)

    for f in files:
        s = f.source
        p = s.problem
        if f.agreement is not None:
            for field in ("municipality", "title"):
                got, want = getattr(f.agreement, field), getattr(meta, field)
                if got != want:
                    problems.append(p(("agreement", field),
                                      T_("this file follows up '{got}', but the agreement read has {field} '{want}'",
                                         got=got, field=field, want=want),
                                      T_("{field}: {want}", field=field, want=want),
                                      T_("a follow-up file belongs to one agreement; check --file and --followup")))
        if f.year is not None:
            if f.year not in ledger.years:
                problems.append(p(("year",), T_('year {year} is not a year of the agreement', year=f.year),
                                  T_("one of {values}", values=", ".join(str(y) for y in ledger.years)),
                                  T_("the follow-up year is the budget year or one of the overslag years")))
            elif year is None:
                year, year_place = f.year, _where(s, ("year",))
            elif f.year != year:
                problems.append(p(("year",), T_('this file follows up {year}, but {year_place} follows up {year2}',
                                                year=f.year, year_place=year_place, year2=year),
                                  T_('year: {year}',
                                     year=year), T_("files combined in one run follow up the same year")))

        for tid, task in f.tasks.items():
            path: PathT = ("tasks", tid)
            if tid not in initiatives:
                if tid in line_ids:
                    problems.append(p(path, T_("'{tid}' is an appendix row, not an initiative", tid=tid),
                                      T_("an initiative id under 'tasks:'"),
                                      T_("move it under 'rows:', where the money of appendix rows is followed up"),
                                      key=True))
                elif tid in new_ids:
                    problems.append(p(path, T_("'{tid}' is a row added during the year, not an initiative", tid=tid),
                                      T_("an initiative id under 'tasks:'"),
                                      T_("record its corrections, actuals and forecast under 'rows:' or 'new_rows:'"),
                                      key=True))
                else:
                    close = _close(tid, list(initiatives))
                    problems.append(p(path, T_("unknown initiative '{tid}'", tid=tid),
                                      T_("the id of an initiative of the agreement"),
                                      T_("did you mean '{close}'?", close=close) if close
                                      else T_("`budget list` shows the ids"), key=True))
                continue
            if task is INVALID:
                continue
            merged = tasks.get(tid) or Task(tid, None, {}, [])
            priority = merged.priority
            if task is not None and task.priority is not None:
                if task.priority < 1:
                    problems.append(p((*path, "priority"), T_('invalid priority {priority}', priority=task.priority),
                                      T_("a whole number from 1 (first)"), T_("1 is the committee's first priority")))
                elif (tid, "priority") in task_places and priority != task.priority:
                    problems.append(p((*path, "priority"),
                                      T_("the priority of '{tid}' is {priority} here and {priority2} at {task_places}",
                                         tid=tid, priority=task.priority, priority2=priority,
                                         task_places=task_places[(tid, "priority")]),
                                      T_("one priority per task"), T_("give the priority in one file only")))
                else:
                    task_places[(tid, "priority")] = _where(s, (*path, "priority"))
                    priority = task.priority
            plan = dict(merged.plan)
            for q, text in ((task.plan or {}) if task is not None else {}).items():
                qpath = (*path, "plan", q)
                if q not in QUARTERS:
                    close = next((x for x in QUARTERS if x.lower() == str(q).strip().lower()), None)
                    close = close or _close(str(q), list(QUARTERS))
                    problems.append(p(qpath, T_("unknown quarter '{q}'", q=q), T_("Q1, Q2, Q3 or Q4"),
                                      T_("did you mean '{close}'?",
                                         close=close) if close else T_("write the quarter as Q1–Q4"),
                                      key=True))
                    continue
                if text is None:
                    continue
                if q in plan and plan[q] != text:
                    problems.append(p(qpath, T_("the plan of '{tid}' for {q} is also given at {task_places}",
                                                tid=tid, q=q, task_places=task_places[(tid, 'plan ' + q)]),
                                      T_("one plan per quarter"),
                                      T_("write each quarter's plan in one file only"), key=True))
                    continue
                task_places[(tid, "plan " + q)] = _where(s, qpath, key=True)
                plan[q] = text
            status = list(merged.status)
            for i, entry in enumerate((task.status or []) if task is not None else []):
                if entry is None:  # failed validation; reported already
                    continue
                epath = (*path, "status", i)
                good = True
                if entry.state not in STATES:
                    close = _close(entry.state.strip().lower().replace(" ", "-").replace("_", "-"), list(STATES))
                    problems.append(p((*epath, "state"), T_("unknown state '{state}'",
                                                            state=entry.state), ", ".join(STATES),
                                      T_("did you mean '{close}'?",
                                         close=close) if close else T_("use one of the states listed")))
                    good = False
                dated_ok(s, (*epath, "date"), entry.date)
                good = once(s, "tasks", tid, "status", (*epath, "date"), entry.date) and good
                if good:
                    status.append(Status(entry.date, entry.state, entry.note, _where(s, epath)))
            tasks[tid] = Task(tid, priority, plan, sorted(status, key=lambda e: e.date))

        for rid, new in f.new_rows.items():
            path = ("new_rows", rid)
            if rid in line_ids or rid in initiatives:
                what = (T_("an appendix row of the agreement") if rid in line_ids
                        else T_("an initiative of the agreement"))
                problems.append(p(path, T_("'{rid}' is already {what}",
                                           rid=rid, what=what), T_("a new id for a row added during the year"),
                                  T_("record changes to an agreement row under 'rows:'; give a new row an id "
                                  "of its own"), key=True))
                continue
            if new_ids.get(rid) != _where(s, path, key=True):
                problems.append(p(path, T_("the new row '{rid}' is also declared at {new_ids}",
                                           rid=rid, new_ids=new_ids[rid]),
                                  T_("each new row declared once"),
                                  T_("declare it in one file; other files may follow it "
                                  "up under 'rows:'"), key=True))
                continue
            if new is INVALID:
                continue
            ok = True
            if new.initiative is not None and new.initiative not in initiatives:
                close = _close(new.initiative, list(initiatives))
                problems.append(p((*path, "initiative"), T_("unknown initiative '{initiative}'",
                                                            initiative=new.initiative),
                                  T_("the id of an initiative of the agreement"),
                                  T_("did you mean '{close}'?",
                                     close=close) if close else T_("`budget list` shows the ids")))
                ok = False
            if new.section is not None and new.section not in ledger.sections:
                close = _close(new.section, list(ledger.sections))
                problems.append(p((*path, "section"), T_("unknown section '{section}'", section=new.section),
                                  T_("the id of a section of the agreement"),
                                  T_("did you mean '{close}'?", close=close) if close else T_("see `budget list`")))
                ok = False
            if new.body is not None and new.body not in ledger.bodies:
                close = _close(new.body, list(ledger.bodies))
                problems.append(p((*path, "body"), T_("unknown body '{body}'",
                                                      body=new.body), T_("the id of a body of the agreement"),
                                  T_("did you mean '{close}'?",
                                     close=close) if close else T_("`budget committees` lists them")))
                ok = False
            if not new.corrections:
                problems.append(p(path, T_("the new row '{rid}' has no correction",
                                           rid=rid), T_("at least one correction with "
                                  "its decision"), T_("a row added during the year comes from a decision: "
                                  "corrections: [{date: …, decision: …, amounts: {…}}]"), key=True))
                ok = False
            info = NewRow(new.kind.value, new.section, new.initiative, new.title, new.body)
            row = row_lists(s, rid, path, new, rows.get(rid) or Row(rid, [], [], [], info))
            if ok:
                rows[rid] = row._replace(new=info)

        for rid, entry in f.rows.items():
            path = ("rows", rid)
            if rid not in line_ids and rid not in new_ids:
                if rid in initiatives:
                    problems.append(p(path, T_("'{rid}' is an initiative, not an appendix row", rid=rid),
                                      T_("an appendix row id under 'rows:'"),
                                      T_("move it under 'tasks:', where plans and status are followed up"), key=True))
                else:
                    close = _close(rid, sorted(line_ids | set(new_ids)))
                    problems.append(p(path, T_("unknown appendix row '{rid}'",
                                               rid=rid), T_("the id of an appendix row (see "
                                      "`budget lines --format json`), or of a row under 'new_rows:'"),
                                      T_("did you mean '{close}'?",
                                         close=close)
                                     if close else T_("a row added during the year goes under 'new_rows:'"), key=True))
                continue
            if entry is INVALID or entry is None:
                continue
            rows[rid] = row_lists(s, rid, path, entry, rows.get(rid) or Row(rid, [], [], [], None))

    # a new row that failed its own checks is not kept; its follow-up under rows: is then dropped too
    rows = {rid: r for rid, r in rows.items() if rid in line_ids or r.new is not None}
    fu = FollowUp(year if year is not None else ledger.years[0], [f.source.file for f in files], tasks, rows)
    return fu, problems
