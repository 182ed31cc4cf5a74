"""check-strategy: the economic strategy as a CI gate."""

from __future__ import annotations

import sys
from pathlib import Path
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
    parse_file,
    table_output,
    year_option,
)
from ..errors import EXIT_INVALID, LoadError
from ..i18n import _

#: Exit status when a target fails (or, with --strict, cannot be evaluated).
EXIT_FAILED = 1



FiguresOpt = Annotated[
    list[Path] | None,
    typer.Option("--figures", parser=parse_file, metavar="FILE",
                 help="A figures overlay (YAML with 'key_figures: {NAME: {YEAR: VALUE}}', and "
                 "'reprioritisation_rows: [ROW-ID, ...]' for the appendix rows that form the reprioritisation "
                 "contribution). Repeatable; later files win over earlier ones and over the agreement's "
                 "key_figures.",
                 show_default=False),
]


@app.command("check-strategy")
def check_strategy(
    figures: FiguresOpt = None,
    year: Annotated[int | None, year_option(
        help="Only results that concern this year: the yearly targets' results for it, and "
             "the period targets whose period includes it.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="A target that cannot be evaluated (a figure is "
                                         "missing) fails the check.")] = False,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.junit, Format.xlsx,
                                            help="table, json, junit (JUnit XML for CI) or xlsx (with --output).")]
    = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
) -> None:
    """Check the targets of the economic strategy, each for every year it covers.

    Targets needing budget figures the agreement lacks are 'not evaluable' and name the missing
    figures; give them in a figures file. A result that rests on a reading of the agreement (not
    on its words) is marked, with the reading. Exit status: 0 when no target fails, 1 when one
    fails (with --strict also when one is not evaluable), 2 for invalid input.

    Examples:

      budget check-strategy

      budget check-strategy --figures budget-2024.yaml --figures what-if.yaml --strict

      budget check-strategy --format junit > report.xml

      budget check-strategy --format xlsx --output strategy.xlsx

      budget check-strategy --figures contribution-rows.yaml
    """
    from ..render.strategy import show_check, verdict
    from ..reports import ReportError
    from ..reports.strategy import check
    from ..session import load_inputs

    check_output(format.value, output)
    try:
        inputs = load_inputs(file, figures or [])
    except LoadError as exc:
        sys.stderr.write(exc.format() + "\n")
        if format == Format.junit:  # so that the CI step publishing the report has one to read
            from ..render.strategy import junit_error

            sys.stdout.write(junit_error(exc.problems))
        raise typer.Exit(EXIT_INVALID) from None
    try:
        data = check(inputs, year, strict)
    except ReportError as exc:
        fail(str(exc), _("leave out --year to check every year"))
    from ..streams import expect

    expect(0 if data["ok"] else EXIT_FAILED)  # should the reader of the output go away
    from ..render.xlsx import strategy_sheets

    with table_output(format.value, output, force, lambda drawn: strategy_sheets(data, drawn)) as fmt:
        show_check(data, fmt)
    if format != Format.table:
        sys.stderr.write(verdict(data) + "\n")
    if not data["ok"]:
        raise typer.Exit(EXIT_FAILED)
