"""reconcile: where the prose and the appendix disagree."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from ..cli import (
    FileOpt,
    ForceOpt,
    Format,
    OutputOpt,
    app,
    check_output,
    fail,
    format_option,
    load_ledger,
    table_output,
)
from ..i18n import _

#: Exit status when --fail-on is given and findings of that kind exist.
EXIT_FINDINGS = 1



class FailOn(StrEnum):
    mismatch = "mismatch"
    any = "any"


@app.command()
def reconcile(
    section: Annotated[str | None, typer.Option(
        "--section", metavar="SECTION",  # no -s: that is --search in `budget list` show_default=False,
        help="Only this section and its subsections (3.3 includes 3.3.5), or a chapter (3, or 0 for the general "
        "part's named sections).")] = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.markdown, Format.xlsx)] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    fail_on: Annotated[FailOn | None, typer.Option(
        "--fail-on", help="Exit 1 when findings exist: 'mismatch' = amount, sign, year or total differences on "
        "initiatives with amounts on both sides; 'any' = any finding.", show_default=False)] = None,
    file: FileOpt = None,
) -> None:
    """Where the agreement's prose and its appendix disagree (amounts in 1.000 kr.).

    Compares each initiative's prose amounts with its appendix rows, year by year and kind by
    kind; rounding to 0,1 mio. kr. (half up: 150 reads as 0,2) counts as agreement. Also prose
    amounts with no row, rows with no prose amount, names and section labels that differ, and
    the general part's stated figures against what the appendix adds up to. Each finding says
    whether a discrepancy recorded in the data covers it.

    Exit status: 0, or 1 with --fail-on when findings of that kind exist; 2 for invalid input.

    Examples:

      budget reconcile --section 3.3.5

      budget reconcile --format json | jq '.findings[] | select(.category == "sign")'

      budget reconcile --fail-on mismatch --format markdown > reconcile.md

      budget reconcile --format xlsx --output reconcile.xlsx
    """
    from ..reports import ReportError
    from ..reports.reconcile import failed
    from ..reports.reconcile import reconcile as compute

    check_output(format.value, output)
    ledger = load_ledger(file)
    try:
        data = compute(ledger, section)
    except ReportError as exc:
        fail(exc.message,
             _("give a section number such as 3.3.5 or a chapter such as 3; `budget validate` checks the file"))
    from ..render.reconcile import show_reconcile, verdict
    from ..streams import expect

    code = EXIT_FINDINGS if fail_on is not None and failed(data, fail_on.value) else 0
    expect(code)  # should the reader of the output go away
    from ..render.xlsx import reconcile_sheets

    with table_output(format.value, output, force, lambda drawn: reconcile_sheets(data, drawn)) as fmt:
        show_reconcile(data, fmt)
    if format != Format.table:
        sys.stderr.write(verdict(data) + "\n")
    if code:
        raise typer.Exit(code)
