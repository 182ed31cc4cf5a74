"""The pydantic types of a follow-up file: the year's plans, status reports, corrections and spending.

The agreement file keeps what was signed; a follow-up file records what happens during the
budget year, with dates and decisions. Unknown keys are refused, amounts are strict integers in
1.000 kr. Checks against the agreement (ids, years, dates, states, quarters) are in
:mod:`budget2024.followup_checks`, so that every problem is located.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, StrictInt, StrictStr, model_validator

from .i18n import T_
from .kinds import QUARTERS, STATES
from .model import Amount, Amounts, Id, KindValue, Strict, Text, Year


class AgreementRef(Strict):
    """Which agreement the file follows up; must match the agreement read."""

    municipality: Text
    title: Text


class StatusEntry(Strict):
    """One status report on a task (for the March or September meeting, or any date)."""

    date: dt.date
    # the checks give a did-you-mean for another state; the schema lists the states for an editor
    state: StrictStr = Field(description=", ".join(STATES), json_schema_extra={"enum": list(STATES)})
    note: Text | None = None


class Task(Strict):
    """The follow-up of one initiative: the committee's priority, the plan per quarter, the status history."""

    priority: StrictInt | None = Field(default=None, description="the committee's priority, 1 = first")
    plan: dict[StrictStr, Text | None] | None = Field(default=None, description="Q1–Q4: the administration's "
                                                      "assessment of the work in each quarter",
                                                      json_schema_extra={"propertyNames": {"enum": list(QUARTERS)}})
    status: list[StatusEntry] | None = None
    note: Text | None = None


class Correction(Strict):
    """A change to a row's budget (tillægsbevilling, omplacering), with the decision that made it."""

    date: dt.date
    decision: Text
    amounts: Amounts = Field(min_length=1, description="year → change in 1.000 kr.")
    note: Text | None = None


class Dated(Strict):
    """An amount as of a date: actuals spent so far, or the forecast for the whole year (1.000 kr.)."""

    as_of: dt.date
    amount: Amount
    note: Text | None = None


class RowFollowUp(Strict):
    corrections: list[Correction] | None = None
    actuals: list[Dated] | None = None
    forecast: list[Dated] | None = None
    note: Text | None = None


class NewRow(RowFollowUp):
    """A budget row created by a decision during the year; never part of the agreement."""

    kind: KindValue
    title: Text
    initiative: Id | None = None
    section: Id | None = None
    body: Id | None = None

    @model_validator(mode="after")
    def _linked(self) -> NewRow:
        if (self.initiative is None) == (self.section is None):
            raise ValueError(T_("a new row links to exactly one of 'initiative' or 'section'"))
        return self


class FollowUpFile(Strict):
    schema_version: Literal[1]
    agreement: AgreementRef
    year: Year = Field(description="the budget year followed up; one of the agreement's years")
    tasks: dict[Id, Task | None] | None = None
    rows: dict[Id, RowFollowUp | None] | None = None
    new_rows: dict[Id, NewRow] | None = None
