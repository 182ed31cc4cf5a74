"""Committee reports and browsing: committee, committees, list, show (issue: committee reports)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..cli import (
    FileOpt,
    FollowupOpt,
    ForceOpt,
    Format,
    OutputOpt,
    YearOpt,
    app,
    fail,
    format_option,
    kind_option,
    load_followup_files,
    load_ledger,
    table_output,
)
from ..cli import check_output as _check_output
from ..failing import NAME_HINT as NAME_HINT
from ..failing import did_you_mean as did_you_mean
from ..failing import fail_report as _fail_report
from ..filteropts import ChapterOpt, CommitteeOpt, SearchOpt, SectionOpt, row_filter
from ..i18n import _
from ..kinds import Kind
from ..reports import ReportError


def check_output(fmt: str, output: Path | None, binary: tuple[str, ...] = ("docx", "xlsx")) -> None:
    """A binary format needs --output; the text formats go to stdout (redirect them with >)."""
    _check_output(fmt, output, binary)


def write_document(doc_for: Any, output: Path, force: bool) -> None:
    """Write a generic document, made by ``doc_for(date)``, to ``output`` as docx; exit 2 when the
    file exists (without ``force``) or cannot be written."""
    from ..clock import now
    from ..failing import writing
    from ..render.docx import write_docx

    stamp = now()
    with writing(output):
        write_docx(doc_for(stamp.astimezone().date().isoformat()), output, force=force, created=stamp)


@app.command()
def committee(
    name: Annotated[str, typer.Argument(
        metavar="NAME", show_default=False,
        help="The committee or body: name, id, alias, or a unique part of the name; Danish letters may be "
             "spelt oe/o, ae/a, aa/a.")],
    year: YearOpt = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.csv, Format.markdown, Format.docx,
                                            Format.csv_excel, Format.xlsx,
                                            help="Output format (docx needs --output).")] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
    followup: FollowupOpt = None,
) -> None:
    """The overview of a committee's tasks in the agreement (amounts in 1.000 kr.).

    The appendix rows it answers for (by section, with subtotals per kind and year), the
    initiatives without amounts it is responsible for, and those where it is only involved.
    Works for the bodies that are not committees too. With --followup (or BUDGET_FOLLOWUP), the
    corrected budget of the follow-up year is shown beside the agreed one.

    Examples:

      budget committee klima

      budget committee okonomi --year 2025

      budget committee KMU --format markdown > kmu.md

      budget committee KMU --format docx --output kmu.docx

      budget committee KMU --format xlsx --output kmu.xlsx

      budget committee KMU --followup kmu-2024.yaml
    """
    from ..render.committee import show_committee
    from ..reports.committee import committee_report

    check_output(format.value, output)
    ledger = load_ledger(file)
    try:
        data = committee_report(ledger, name, year)
    except ReportError as exc:
        _fail_report(exc)
    if format == Format.docx and output is not None:
        if followup:
            fail(_("--format docx does not show the corrected budget of --followup yet"),
                 _("leave out --followup, or use --format markdown"))
        from ..render.committee import committee_document

        write_document(lambda date: committee_document(data, date), output, force)
        return
    fu = load_followup_files(followup, ledger, file)
    from ..render.xlsx import committee_sheets

    if fu is None:
        with table_output(format.value, output, force, lambda drawn: committee_sheets(data, drawn)) as fmt:
            show_committee(data, fmt)
        return
    from ..render.followup import show_committee_corrected
    from ..reports.followup import corrected_lines

    with table_output(format.value, output, force, lambda drawn: committee_sheets(data, drawn)) as fmt:
        show_committee_corrected(data, corrected_lines(ledger, fu, body_id=data["id"]), fmt)


@app.command()
def committees(
    format: Annotated[Format, format_option(Format.table, Format.json, Format.xlsx)] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
    section: SectionOpt = None,
    chapter: ChapterOpt = None,
    committee: CommitteeOpt = None,
    kind: Annotated[Kind | None, kind_option(help="Only rows of drift or anlaeg.")] = None,
    search: SearchOpt = None,
    chart: Annotated[bool, typer.Option("--chart", help="Horizontal bars of each body's net amounts per year "
                                        "instead of the table.")] = False,
) -> None:
    """Every responsible body with its initiatives and its net drift and anlæg per year (1.000 kr.).

    A last row holds the appendix rows that belong to no body, so that the columns add up to
    `budget totals` (with the same filters).

    Examples:

      budget committees --format json

      budget committees --chapter 4

      budget committees --format xlsx --output committees.xlsx

      budget committees --chart
    """
    from ..render.committee import show_committees
    from ..reports.committee import committees_overview
    from ..reports.filters import select

    if chart and format != Format.table:
        fail(_("--chart draws bars instead of the table; it does not go with --format {format}").format(
            format=format.value), _("leave out --format, or --chart"))
    check_output(format.value, output)
    ledger = load_ledger(file)
    flt = row_filter(ledger, section, chapter, committee, kind.value if kind else None, search)
    data = committees_overview(ledger, select(ledger, flt) if flt.active() else None, flt.committee, flt.describe())
    if chart:
        from ..render.bars import show_committees_chart

        show_committees_chart(data)
        return
    with table_output(format.value, output, force) as fmt:
        show_committees(data, fmt)


@app.command("list")
def list_(
    section: Annotated[str | None, typer.Option("--section", help="Only this section and its subsections, "
                                                                  "e.g. 3.3.")] = None,
    committee: Annotated[str | None, typer.Option("--committee", "-c", help="Only initiatives this body is "
                                                  "responsible for or involved in (a name as for "
                                                  "`budget committee`).")] = None,
    kind: Annotated[Kind | None, kind_option(help="Only initiatives with an appendix row of this kind "
                                            "(drift or anlaeg; anlæg; any case).")] = None,
    with_amounts: Annotated[bool | None, typer.Option("--with-amounts/--without-amounts",
                                                      help="Only initiatives with (or without) appendix rows.",
                                                      show_default=False)] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in the title or prose; case and "
                                               "accents are ignored.")] = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.xlsx)] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
) -> None:
    """The initiatives of the agreement, in section order, with their responsible bodies.

    Examples:

      budget list --section 3.3 --with-amounts

      budget list --committee klima --search cykel

      budget list --without-amounts --format json

      budget list --committee klima --format xlsx --output klima.xlsx
    """
    from ..render.committee import show_list
    from ..reports.committee import list_initiatives

    check_output(format.value, output)
    ledger = load_ledger(file)
    try:
        records = list_initiatives(ledger, section=section, committee=committee,
                                   kind=kind.value if kind else None, with_amounts=with_amounts, search=search)
    except ReportError as exc:
        _fail_report(exc)
    with table_output(format.value, output, force) as fmt:
        show_list(records, fmt)


@app.command()
def show(
    initiative: Annotated[str, typer.Argument(
        metavar="ID", help="An initiative's id (see `budget list`), a section (4.3.1), or an appendix row's "
                           "id or Ref (D3, see `budget lines`); case does not matter.", show_default=False)],
    format: Annotated[Format, format_option(Format.table, Format.json, Format.xlsx)] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
) -> None:
    """One initiative: section, bodies, appendix rows, the amounts in the prose, and any recorded
    difference between the two. A section shows its initiatives and rows; a section of the
    general part also the stated figures and the tax rates. An appendix row shows its
    initiative (or its section).

    Examples:

      budget show 1.1-borgermillionen

      budget show D3

      budget show 4.3.1

      budget show 4.3.1 --format xlsx --output 4.3.1.xlsx
    """
    from ..render.committee import show_initiative
    from ..reports.committee import SectionWanted, show_section
    from ..reports.committee import show_initiative as show_report

    check_output(format.value, output)
    ledger = load_ledger(file)
    try:
        data = show_report(ledger, initiative)
    except SectionWanted as wanted:
        data = show_section(ledger, wanted.section_id, wanted.line_id)
    except ReportError as exc:
        _fail_report(exc)
    from ..render.xlsx import show_sheets

    with table_output(format.value, output, force, lambda drawn: show_sheets(data, drawn)) as fmt:
        show_initiative(data, fmt)
