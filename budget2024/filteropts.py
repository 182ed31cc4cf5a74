"""The row filters' command-line options, defined once for ``totals``, ``lines`` and ``committees``.

Each command takes them as parameters (``section: SectionOpt = None`` …) and hands them to
:func:`row_filter`, which checks them against the agreement (exit 2 with the closest names for
a section, chapter or committee that does not exist). The filtering itself is
:mod:`budget2024.reports.filters`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .i18n import N_, _

if TYPE_CHECKING:
    from .ledger import Ledger
    from .reports.filters import RowFilter

SectionOpt = Annotated[str | None, typer.Option(
    "--section", help="Only rows of this section and its subsections, in numeric order: 4.3 takes 4.3.1 and "
                      "4.3.10, not 4.30.", show_default=False)]
ChapterOpt = Annotated[str | None, typer.Option(
    "--chapter", help="Only rows of the sections of this chapter, e.g. 4.", show_default=False)]
CommitteeOpt = Annotated[str | None, typer.Option(
    "--committee", "-c", help="Only rows that belong to this body (a name, alias or id, as for "
                              "`budget committee`).", show_default=False)]
SearchOpt = Annotated[str | None, typer.Option(
    "--search", "-s", help="Only rows whose title, or whose initiative's title or text, holds this text; "
                           "case and accents are ignored.", show_default=False)]
SortOpt = Annotated[str | None, typer.Option(
    "--sort", help="Order by 'amount' (of --year; the total without it), 'total', 'section' or 'title'; a leading "
                   "'-' sorts in descending order, e.g. --sort -amount.", show_default=False)]
TopOpt = Annotated[int | None, typer.Option(  # no min=: typer would import pydantic to check it (see fastcli)
    "--top", help="Only the first N rows (after --sort); N is at least 1.", show_default=False)]

NO_SECTION_HINT = N_("`budget list` shows the sections and chapters")


def row_filter(ledger: Ledger, section: str | None = None, chapter: str | None = None,
               committee: str | None = None, kind: str | None = None, search: str | None = None) -> RowFilter:
    """The checked filter, or an error on stderr and exit 2."""
    from .failing import did_you_mean, fail, fail_report
    from .reports import ReportError
    from .reports.filters import FilterError, make_filter

    try:
        return make_filter(ledger, section=section, chapter=chapter, committee=committee, kind=kind,
                           search=search)
    except FilterError as exc:
        fail(str(exc), did_you_mean(exc.candidates) or _(NO_SECTION_HINT))
    except ReportError as exc:  # a committee name that matches no body, or several
        fail_report(exc)

