"""Committee reports and browsing: committee, committees, list, show (issue: committee reports)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, NoReturn

import typer

from ..cli import FileOpt, FollowupOpt, KindOpt, YearOpt, app, fail, load_followup_files, load_ledger
from ..reports import ReportError


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class TableJson(StrEnum):
    table = "table"
    json = "json"


NAME_HINT = "give more of the name, an alias or the id; `budget committees` lists every body"


def _fail_report(exc: ReportError) -> NoReturn:
    from ..render.committee import name_error_message
    from ..reports.committee import BodyNameError, UnknownInitiative

    if isinstance(exc, BodyNameError):
        fail(name_error_message(str(exc), exc.candidates, exc.ambiguous), NAME_HINT)
    if isinstance(exc, UnknownInitiative):
        hint = "`budget list` shows the ids; `budget list --search TEXT` finds one by its title"
        fail(name_error_message(str(exc), exc.candidates, False), hint)
    fail(str(exc), "see `budget validate` for the agreement's years")


@app.command()
def committee(
    name: Annotated[str, typer.Argument(
        metavar="NAME", show_default=False,
        help="The committee or body: name, id, alias, or a unique part of the name; Danish letters may be "
             "spelt oe/o, ae/a, aa/a.")],
    year: YearOpt = None,
    format: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = ReportFormat.table,
    file: FileOpt = None,
    followup: FollowupOpt = None,
) -> None:
    """The overview of a committee's tasks in the agreement (amounts in 1.000 kr.).

    The appendix rows it answers for (by section, with subtotals per kind and year), the
    initiatives without amounts it is responsible for, and those where it is only involved.
    Works for Administrationen and Direktionen too. With --followup (or BUDGET_FOLLOWUP), the
    corrected budget of the follow-up year is shown beside the agreed one.

    Examples:

      budget committee klima

      budget committee okonomi --year 2025

      budget committee KMU --format markdown > kmu.md

      budget committee KMU --followup kmu-2024.yaml
    """
    from ..render.committee import show_committee
    from ..reports.committee import committee_report

    ledger = load_ledger(file)
    try:
        data = committee_report(ledger, name, year)
    except ReportError as exc:
        _fail_report(exc)
    fu = load_followup_files(followup, ledger, file)
    if fu is None:
        show_committee(data, format.value)
        return
    from ..render.followup import show_committee_corrected
    from ..reports.followup import corrected_lines

    show_committee_corrected(data, corrected_lines(ledger, fu, body_id=data["id"]), format.value)


@app.command()
def committees(
    format: Annotated[TableJson, typer.Option("--format", help="Output format.")] = TableJson.table,
    file: FileOpt = None,
    chart: Annotated[bool, typer.Option("--chart", help="Horizontal bars of each body's net amounts per year "
                                        "instead of the table.")] = False,
) -> None:
    """Every responsible body with its initiatives and its net drift and anlæg per year (1.000 kr.).

    A last row holds the appendix rows that belong to no body, so that the columns add up to
    `budget totals`.

    Examples:

      budget committees --format json

      budget committees --chart
    """
    from ..render.committee import show_committees
    from ..reports.committee import committees_overview

    if chart and format != TableJson.table:
        fail("--chart draws bars instead of the table; it does not go with --format " + format.value,
             "leave out --format, or --chart")
    data = committees_overview(load_ledger(file))
    if chart:
        from ..render.bars import show_committees_chart

        show_committees_chart(data)
        return
    show_committees(data, format.value)


@app.command("list")
def list_(
    section: Annotated[str | None, typer.Option("--section", help="Only this section and its subsections, "
                                                                  "e.g. 3.3.")] = None,
    committee: Annotated[str | None, typer.Option("--committee", "-c", help="Only initiatives this body is "
                                                  "responsible for or involved in (a name as for "
                                                  "`budget committee`).")] = None,
    kind: Annotated[KindOpt | None, typer.Option("--kind", "-k", help="Only initiatives with an appendix "
                                                                      "row of this kind.")] = None,
    with_amounts: Annotated[bool | None, typer.Option("--with-amounts/--without-amounts",
                                                      help="Only initiatives with (or without) appendix rows.",
                                                      show_default=False)] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in the title or prose; case and "
                                               "accents are ignored.")] = None,
    format: Annotated[TableJson, typer.Option("--format", help="Output format.")] = TableJson.table,
    file: FileOpt = None,
) -> None:
    """The initiatives of the agreement, in section order, with their responsible bodies.

    Examples:

      budget list --section 3.3 --with-amounts

      budget list --committee klima --search cykel

      budget list --without-amounts --format json
    """
    from ..render.committee import show_list
    from ..reports.committee import list_initiatives

    ledger = load_ledger(file)
    try:
        records = list_initiatives(ledger, section=section, committee=committee,
                                   kind=kind.value if kind else None, with_amounts=with_amounts, search=search)
    except ReportError as exc:
        _fail_report(exc)
    show_list(records, format.value)


@app.command()
def show(
    initiative: Annotated[str, typer.Argument(metavar="ID", help="The initiative's id (see `budget list`).",
                                              show_default=False)],
    format: Annotated[TableJson, typer.Option("--format", help="Output format.")] = TableJson.table,
    file: FileOpt = None,
) -> None:
    """One initiative: section, bodies, appendix rows, the amounts in the prose, and any recorded
    difference between the two.

    Example:  budget show 1.1-borgermillionen
    """
    from ..render.committee import show_initiative
    from ..reports.committee import show_initiative as show_report

    ledger = load_ledger(file)
    try:
        data = show_report(ledger, initiative)
    except ReportError as exc:
        _fail_report(exc)
    show_initiative(data, format.value)
