"""Exports for the systems around the tool: ``budget export fdp`` (a Fiscal Data Package)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..cli import FileOpt, FollowupOpt, Format, app, fail, format_option, load_followup_files, load_ledger
from ..i18n import _, ngettext

export_app = typer.Typer(
    name="export", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)



ForceOpt = Annotated[bool, typer.Option("--force", help="Replace OUT_DIR if it exists.")]


@export_app.callback()
def export() -> None:
    """Write the agreement in formats that other systems read.

    Example:  budget export fdp ballerup-2024
    """


@export_app.command()
def fdp(
    out_dir: Annotated[Path, typer.Argument(metavar="OUT_DIR", show_default=False,
                                            help="The folder to write; it must not exist (unless --force).")],
    force: ForceOpt = False,
    format: Annotated[Format, format_option(Format.text, Format.json, help="text: a line on stderr; json: a summary "
                                            "of what was written on stdout.")] = Format.text,
    followup: FollowupOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="With --followup: only corrections and actuals "
                                              "dated up to this date, YYYY-MM-DD (default: all).",
                                              show_default=False)] = None,
    file: FileOpt = None,
) -> None:
    """Write the agreement as a Fiscal Data Package (datapackage.json and a CSV file) in OUT_DIR.

    One CSV row per appendix row and year, with the amount in 1.000 kr. (the descriptor states
    currency DKK and factor 1000), the kind as the economic classification, the body as the
    administrative one, chapter and section as the functional one, and the budget phase
    (approved). The folder is written in full beside OUT_DIR and then renamed into place; an
    existing OUT_DIR is replaced only with --force. Set SOURCE_DATE_EPOCH for a reproducible
    "created" time. With --followup (or BUDGET_FOLLOWUP), the follow-up year's corrected budget
    (phase adjusted) and actuals (phase executed) are rows of their own.

    Examples:

      budget export fdp ballerup-2024

      budget export fdp ballerup-2024 --force --format json

      budget export fdp ballerup-2024-q2 --followup 2024.yaml --as-of 2024-06-30
    """
    from ..clock import now
    from ..failing import writing
    from ..render import to_json
    from ..render.fdp import write_fdp
    from ..reports.fdp import fdp_export

    day = None
    if as_of is not None:
        import datetime as dt

        try:
            day = dt.date.fromisoformat(as_of.strip())
        except ValueError:
            fail(_("invalid date '{date}' for --as-of").format(date=as_of),
                 _("write the date as YYYY-MM-DD, e.g. {example}").format(example="2024-06-30"))
    ledger = load_ledger(file)
    fu = load_followup_files(followup, ledger, file)
    if fu is None and day is not None:
        fail(_("--as-of needs --followup"), _("give the follow-up files with --followup FILE"))
    created = now().isoformat().replace("+00:00", "Z")
    if fu is None:
        data = fdp_export(ledger, created=created)
    else:
        from ..reports.fdp import PHASES, followup_rows

        data = fdp_export(ledger, created=created, extra=followup_rows(ledger, fu, day), phases=PHASES)
    with writing(out_dir, _("give --force to replace it, or name a new folder"), report=False):
        summary = write_fdp(data, out_dir, force=force)
    rows = summary["resources"][0]["rows"]
    if format == Format.json:
        to_json(summary)
    else:
        sys.stderr.write(ngettext("wrote {folder}: datapackage.json and {csv} ({rows} row)",
                                  "wrote {folder}: datapackage.json and {csv} ({rows} rows)", rows).format(
            folder=out_dir, csv=data["descriptor"]["resources"][0]["path"], rows=rows) + "\n")


app.add_typer(export_app)
