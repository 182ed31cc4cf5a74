"""Renderers for the status overview (``budget status``): table, JSON and markdown from one document."""

from __future__ import annotations

import sys
from typing import IO, Any

from . import dk, to_json, unit_label
from .document import DASH, Block, bullets, heading, paragraph, section_cell, table, to_markdown, to_text

STATE_LABEL = {"not-started": "not started", "on-track": "on track", "delayed": "delayed", "done": "done",
               "cancelled": "cancelled", "ongoing": "ongoing (standing task)", "no-status": "no status"}
MONEY_HEADER = ["Agreed", "Corr.", "Corrected", "Actuals", "Forecast", "Dev."]
MONEY_KEYS = ["agreed", "corrections", "corrected", "actuals", "forecast", "deviation"]
MONEY_CAPTION = ("Agreed: the appendix. Corr.: corrections up to the date. Actuals and Forecast: the latest "
                 "entries up to the date (– where a row has none). Dev.: forecast minus corrected budget.")


def money_cells(money: dict[str, Any]) -> list[str]:
    return [DASH if money[k] is None else dk(money[k]) for k in MONEY_KEYS]


def counts_text(counts: dict[str, int]) -> str:
    parts = [f"{n} {'without status' if state == 'no-status' else STATE_LABEL.get(state, state)}"
             for state, n in counts.items() if n]
    return ", ".join(parts) or "none"


def status_document(data: dict[str, Any]) -> list[Block]:
    """The status overview as document blocks (see :mod:`budget2024.render.document`)."""
    body, tasks = data["body"], data["tasks"]
    unit = unit_label(data["unit"])
    n = len(tasks)
    blocks: list[Block] = [
        heading(f"{body['name']}: status on {data['as_of']}"),
        paragraph(f"{data['agreement']}, follow-up of {data['year']}. {n} task{'s' if n != 1 else ''} under "
                  f"{body['name']}: {counts_text(data['counts'])}."),
    ]
    rows = [[str(t["priority"]) if t["priority"] is not None else DASH, section_cell(t["section"], ""),
             t["title"], STATE_LABEL.get(t["state"] or "no-status", t["state"] or ""), t["status_date"] or DASH]
            for t in tasks]
    blocks.append(table("Tasks by priority", ["Prio", "Section", "Task", "State", "Since"], rows,
                        [True, False, False, False, False], wrap=2,
                        caption="Since: the date of the latest status entry on or before "
                                f"{data['as_of']}. Tasks without a priority follow in section order."))
    quarters = data["quarters"]
    if quarters:
        blocks.append(heading(f"Plan for {' and '.join(quarters)} {data['year']}", 2))
        items = []
        for t in tasks:
            planned = [f"{q}: {t['plan'][q]}" for q in quarters if t["plan"].get(q)]
            if planned:
                items.append("\n".join([t["title"], *planned]))
        blocks.append(bullets(items) if items else paragraph("No plan is recorded for these quarters."))
    notes = [f"{t['title']} ({t['status_date']}, {STATE_LABEL.get(t['state'], t['state'])}): {t['note']}"
             for t in tasks if t["note"]]
    blocks.append(heading("Status notes", 2))
    blocks.append(bullets(notes) if notes else paragraph("None."))
    with_money = [t for t in tasks if t["money"] is not None]
    blocks.append(heading(f"Money in {data['year']}", 2))
    if with_money:
        money_rows = [[t["title"], *money_cells(t["money"])] for t in with_money]
        blocks.append(table(f"Tasks with appendix rows, {data['year']}, up to {data['as_of']} (amounts in {unit})",
                            ["Task", *MONEY_HEADER], money_rows, [False, *[True] * len(MONEY_HEADER)], wrap=0,
                            caption=MONEY_CAPTION))
    else:
        blocks.append(paragraph("No task of this body has appendix rows."))
    return blocks


def show_status(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(data, out)
    elif fmt == "markdown":
        (out or sys.stdout).write(to_markdown(status_document(data)))
    else:
        to_text(status_document(data), out, width)
