"""Follow-up through the budget year: status, followup (the money view) and followup init."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, NoReturn

import typer

from ..cli import (
    FileOpt,
    FollowupOpt,
    ForceOpt,
    Format,
    OutputOpt,
    app,
    fail,
    format_option,
    kind_option,
    load_followup_files,
    load_ledger,
    table_output,
    year_option,
)
from ..i18n import _, ngettext
from ..kinds import Kind
from ..reports import ReportError
from .committee import check_output, write_document

#: Exit status when a row's deviation is over --threshold.
EXIT_FAILED = 1




AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="The date of the overview, YYYY-MM-DD "
                                             "(default: today). Entries dated after it are ignored.",
                                             show_default=False)]


def _date(text: str | None, default_today: bool) -> dt.date | None:
    if text is None:
        return dt.date.today() if default_today else None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        fail(_("invalid date '{date}' for --as-of").format(date=text),
             _("write the date as YYYY-MM-DD, e.g. {example}").format(example="2024-03-31"))


def _fail_report(exc: ReportError) -> NoReturn:
    from ..failing import fail_report as committee_fail

    committee_fail(exc)


@app.command()
def status(
    name: Annotated[str, typer.Argument(
        metavar="NAME", show_default=False,
        help="The committee or body: name, id, alias, or a unique part of the name (as for `budget committee`).")],
    followup: FollowupOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.markdown, Format.docx, Format.xlsx,
                                            help="table, json, markdown (a document for the meeting's agenda) "
                                            "or docx or xlsx (with --output).")]
    = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
) -> None:
    """A committee's status overview for a meeting (March, September): each task it is responsible for,
    by priority, with the plan for this quarter and the next, the latest status, and its money in the
    follow-up year (1.000 kr.).

    Needs a follow-up file (--followup or BUDGET_FOLLOWUP).

    Examples:

      budget status KMU --followup kmu-2024.yaml --as-of 2024-03-12

      budget status klima --followup kmu-2024.yaml --as-of 2024-09-10 --format markdown > status.md

      budget status KMU --followup kmu-2024.yaml --format docx --output status.docx

      budget status KMU --followup kmu-2024.yaml --format xlsx --output status.xlsx
    """
    from ..render.status import show_status
    from ..reports.status import status_report

    check_output(format.value, output)
    day = _date(as_of, default_today=True)
    assert day is not None
    ledger = load_ledger(file)
    fu = load_followup_files(followup, ledger, file, required=True)
    try:
        data = status_report(ledger, fu, name, day)
    except ReportError as exc:
        _fail_report(exc)
    if format == Format.docx and output is not None:
        from ..render.docmodel import from_blocks
        from ..render.status import status_document, status_title

        write_document(lambda date: from_blocks(status_document(data), title=status_title(data),
                                                header=data["agreement"], date=date), output, force)
        return
    with table_output(format.value, output, force) as fmt:
        show_status(data, fmt)


followup_app = typer.Typer(
    name="followup", invoke_without_command=True, no_args_is_help=False, add_completion=False,
    rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})


@followup_app.callback(invoke_without_command=True)
def followup(
    ctx: typer.Context,
    committee: Annotated[str | None, typer.Option("--committee", "-c", help="Only the rows of this body (a name "
                                                  "as for `budget committee`).")] = None,
    kind: Annotated[Kind | None, kind_option(help="Only drift or anlaeg.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Only corrections, actuals and forecasts dated "
                                              "up to this date, YYYY-MM-DD (default: all).",
                                              show_default=False)] = None,
    threshold: Annotated[str | None, typer.Option(
        "--threshold", help="Mark the rows whose deviation (forecast minus corrected budget) is larger: thousand "
        "kroner (500) or a percentage of the corrected budget (10%); exit 1 when there is one.",
        show_default=False)] = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.csv, Format.csv_excel,
                                            Format.xlsx)] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    followup: FollowupOpt = None,
    file: FileOpt = None,
) -> None:
    """The money of the follow-up year for every appendix row (1.000 kr.): agreed, corrections, corrected
    budget, actuals, forecast and deviation, summed per body and kind, with each correction's decision.

    Exit status: 0, or 1 when --threshold is given and a row's deviation is over it (a CI pipeline can
    stop on an overrun); 2 for invalid input.

    Examples:

      budget followup --followup 2024.yaml --committee KMU

      budget followup --followup 2024.yaml --as-of 2024-06-30 --threshold 10% --format csv > q2.csv

      budget followup --followup 2024.yaml --format xlsx --output 2024.xlsx

      budget followup init --committee KMU > kmu-2024.yaml
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..render.followup import show_followup
    from ..reports.followup import followup_report

    check_output(format.value, output)
    day = _date(as_of, default_today=False)
    ledger = load_ledger(file)
    fu = load_followup_files(followup, ledger, file, required=True)
    try:
        data = followup_report(ledger, fu, committee, kind.value if kind else None, day, threshold)
    except ReportError as exc:
        _fail_report(exc)
    from ..streams import expect

    expect(EXIT_FAILED if data["over"] else 0)  # should the reader of the output go away, the verdict stands
    with table_output(format.value, output, force) as fmt:
        show_followup(data, fmt)
    if data["threshold"] is not None:
        n = data["over"]
        sys.stderr.write((ngettext("{n} row over the threshold", "{n} rows over the threshold", n).format(n=n) if n
                          else _("no row is over the threshold")) + "\n")
    if data["over"]:
        raise typer.Exit(EXIT_FAILED)


@followup_app.command("init")
def init(
    committee: Annotated[str | None, typer.Option("--committee", "-c", help="Only this body's tasks and rows "
                                                  "(a name as for `budget committee`); default: all.")] = None,
    year: Annotated[int | None, year_option(help="The year to follow up (default: the budget year).")] = None,
    file: FileOpt = None,
) -> None:
    """Print a skeleton follow-up file for a body (or for all) on stdout: every initiative it is
    responsible for and every appendix row it answers for, with titles and sections as comments,
    empty plan quarters and no status. `budget validate --followup` accepts it as printed.

    Example:  budget followup init --committee KMU --year 2024 > kmu-2024.yaml
    """
    from ..render.followup import skeleton
    from ..reports.followup import skeleton_data

    ledger = load_ledger(file)
    try:
        data = skeleton_data(ledger, committee, year)
    except ReportError as exc:
        _fail_report(exc)
    sys.stdout.write(skeleton(data))


app.add_typer(followup_app)
