"""Renderers for the status overview (``budget status``): table, JSON and markdown from one document."""

from __future__ import annotations

import sys
from typing import IO, Any

from ..i18n import N_, _, ngettext
from . import dk, to_json, unit_label
from .dates import long_date
from .document import DASH, Block, bullets, heading, paragraph, section_cell, table, to_markdown, to_text

STATE_LABEL = {"not-started": N_("not started"), "on-track": N_("on track"), "delayed": N_("delayed"),
               "done": N_("done"), "cancelled": N_("cancelled"), "ongoing": N_("ongoing (standing task)"),
               "no-status": N_("no status")}
MONEY_HEADER = [N_("Agreed"), N_("Corr."), N_("Corrected"), N_("Actuals"), N_("Forecast"), N_("Dev.")]
MONEY_KEYS = ["agreed", "corrections", "corrected", "actuals", "forecast", "deviation"]
MONEY_CAPTION = N_("Agreed: the appendix. Corr.: corrections up to the date. Actuals and Forecast: the latest "
                   "entries up to the date (– where a row has none). "
                   "Dev.: forecast minus corrected budget.")


def state_label(state: str | None) -> str:
    """A state's words in the chosen language (an unknown state as it is written)."""
    key = state or "no-status"
    return _(STATE_LABEL[key]) if key in STATE_LABEL else key


QUARTER_LABEL = {"Q1": N_("Q1"), "Q2": N_("Q2"), "Q3": N_("Q3"), "Q4": N_("Q4")}


def quarter_label(quarter: str) -> str:
    """A quarter (the files' Q1–Q4) as a reader writes it: Q1, or in Danish 1. kvartal."""
    return _(QUARTER_LABEL[quarter]) if quarter in QUARTER_LABEL else quarter


def money_header() -> list[str]:
    return [_(h) for h in MONEY_HEADER]


def money_cells(money: dict[str, Any]) -> list[str]:
    return [DASH if money[k] is None else dk(money[k]) for k in MONEY_KEYS]


def counts_text(counts: dict[str, int]) -> str:
    parts = [_("{count} without status").format(count=n) if state == "no-status" else f"{n} {state_label(state)}"
             for state, n in counts.items() if n]
    return ", ".join(parts) or _("none")


def status_title(data: dict[str, Any]) -> str:
    """The status overview's title: its heading, and the title of its docx file."""
    return _("{body}: status on {date}").format(body=data["body"]["name"], date=long_date(data["as_of"]))


def status_document(data: dict[str, Any]) -> list[Block]:
    """The status overview as document blocks (see :mod:`budget2024.render.document`)."""
    body, tasks = data["body"], data["tasks"]
    unit = unit_label(data["unit"])
    n = len(tasks)
    blocks: list[Block] = [
        heading(status_title(data)),
        paragraph(_("{agreement}, follow-up of {year}.").format(agreement=data["agreement"], year=data["year"]) + " "
                  + ngettext("{count} task under {body}: {states}.", "{count} tasks under {body}: {states}.", n)
                  .format(count=n, body=body["name"], states=counts_text(data["counts"]))),
    ]
    rows = [[str(t["priority"]) if t["priority"] is not None else DASH, section_cell(t["section"], ""),
             t["title"], state_label(t["state"]), long_date(t["status_date"]) if t["status_date"] else DASH]
            for t in tasks]
    blocks.append(table(_("Tasks by priority"), [_("Prio"), _("Section"), _("Task"), _("State"), _("Since")], rows,
                        [True, False, False, False, False], wrap=2,
                        caption=_("Since: the date of the latest status entry on or before {date}. Tasks without "
                                  "a priority follow in section order.").format(date=long_date(data["as_of"]))))
    quarters = data["quarters"]
    if quarters:
        blocks.append(heading(_("Plan for {quarters} {year}").format(
            quarters=_(" and ").join(quarter_label(q) for q in quarters), year=data["year"]), 2))
        items = []
        for t in tasks:
            planned = [f"{quarter_label(q)}: {t['plan'][q]}" for q in quarters if t["plan"].get(q)]
            if planned:
                items.append("\n".join([t["title"], *planned]))
        blocks.append(bullets(items) if items else paragraph(_("No plan is recorded for these quarters.")))
    notes = [f"{t['title']} ({long_date(t['status_date'])}, {state_label(t['state'])}): {t['note']}"
             for t in tasks if t["note"]]
    blocks.append(heading(_("Status notes"), 2))
    blocks.append(bullets(notes) if notes else paragraph(_("None.")))
    with_money = [t for t in tasks if t["money"] is not None]
    blocks.append(heading(_("Money in {year}").format(year=data["year"]), 2))
    if with_money:
        money_rows = [[t["title"], *money_cells(t["money"])] for t in with_money]
        blocks.append(table(_("Tasks with appendix rows, {year}, up to {date} (amounts in {unit})").format(
                                year=data["year"], date=long_date(data["as_of"]), unit=unit),
                            [_("Task"), *money_header()], money_rows, [False, *[True] * len(MONEY_HEADER)], wrap=0,
                            caption=_(MONEY_CAPTION)))
    else:
        blocks.append(paragraph(_("No task of this body has appendix rows.")))
    return blocks


def show_status(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(data, out)
    elif fmt == "markdown":
        (out or sys.stdout).write(to_markdown(status_document(data)))
    else:
        to_text(status_document(data), out, width)
