"""Dates in text for people: "4. oktober 2023" in Danish, "4 October 2023" in English.

JSON and CSV keep ISO 8601 (2023-10-04); only text goes through here.
"""

from __future__ import annotations

import datetime as dt

from ..i18n import N_, _

MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))


def long_date(value: dt.date | str | None) -> str:
    """``value`` (a date or an ISO date) written out in the chosen language; anything else as given."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    # TRANSLATORS: a date in running text, e.g. "4 October 2023"; Danish "{day}. {month} {year}"
    return _("{day} {month} {year}").format(day=day.day, month=_(MONTHS[day.month - 1]), year=day.year)
