"""site: the agreement as a static website (see budget2024.site)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..cli import FileOpt, FollowupOpt, Format, app, fail, format_option, load_followup_files, load_ledger
from ..errors import EXIT_INVALID, LoadError
from ..i18n import _, language


@app.command()
def site(
    out_dir: Annotated[Path, typer.Argument(metavar="OUT_DIR", show_default=False,
                                            help="The folder to write the website into.")],
    force: Annotated[bool, typer.Option("--force", help="Replace OUT_DIR even when it was not written by "
                                        "`budget site`.")] = False,
    format: Annotated[Format, format_option(Format.text, Format.json,
                                            help="text (one line) or json: what was written.")] = Format.text,
    followup: FollowupOpt = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="With --followup: the status, plan and money as of this date, YYYY-MM-DD (default: today), "
        "as `budget status --as-of` gives them.", show_default=False)] = None,
    file: FileOpt = None,
) -> None:
    """Write the agreement as a static website: a front page with charts, a page per body, chapter,
    section and initiative, the reconciliation and an offline search.

    The folder works opened from disk (OUT_DIR/index.html) and on any static host; nothing is
    loaded from outside it. It is written to a temporary folder and then moved into place. An
    existing OUT_DIR is replaced only when an earlier `budget site` wrote it, or with --force;
    never when it holds the agreement file or the current folder.
    Exit status: 0, or 2 for invalid input or a folder that cannot be written.

    Examples:

      budget site public/

      budget site public/ --lang da --force

      budget site public/ --followup kmu-2024.yaml --as-of 2024-09-10
    """
    import datetime as dt

    from ..paths import resolve_file
    from ..reports.site import site_data
    from ..session import ledger_inputs
    from ..site import SiteError, check_target, render_site, search_json, write_site

    day = dt.date.today()
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            fail(_("invalid date '{date}' for --as-of").format(date=as_of),
                 _("write the date as YYYY-MM-DD, e.g. {example}").format(example="2024-09-10"))
    from ..followup import resolve_followup

    # never replace the folder of the agreement file or of a follow-up file read
    keep = [resolve_file(file), *resolve_followup(followup)]
    try:
        check_target(out_dir, force, keep)  # before the work: refuse early
    except SiteError as exc:
        fail(exc.message, exc.hint)
    ledger = load_ledger(file)
    inputs = None
    if ledger.agreement.strategy is not None:  # the strategy's results as `budget check-strategy` gives them
        try:
            inputs = ledger_inputs(ledger, file)
        except LoadError as exc:
            sys.stderr.write(exc.format() + "\n")
            raise typer.Exit(EXIT_INVALID) from None
    fu = load_followup_files(followup, ledger, file)
    data = site_data(ledger, inputs, fu, day)
    lang = language()  # the global --lang (see budget2024.language): the site's own words; the agreement's are Danish
    pages = render_site(data, lang)
    try:
        count = write_site(pages, search_json(data), out_dir, force, keep)
    except SiteError as exc:
        from ..streams import EXIT_WRITE

        fail(exc.message, exc.hint, code=EXIT_WRITE if exc.written else EXIT_INVALID)
    from ..render import print_text, to_json

    if format == Format.json:
        to_json({"out_dir": str(out_dir), "pages": count, "index": str(out_dir / "index.html"),
                 "lang": lang})
    else:
        print_text(_("wrote {count} pages to {folder} (open {index})").format(count=count, folder=out_dir,
                                                                             index=out_dir / "index.html"))
