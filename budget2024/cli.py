"""The ``budget`` command line: thin typer commands over reports and renderers.

Commands load the agreement, call a report, and hand the result to a renderer.
They compute nothing themselves.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from . import fastcli
from .errors import EXIT_INTERNAL, EXIT_INVALID, LoadError

fastcli.install()  # typer would import pydantic just to convert the options (see fastcli)

if False:  # pragma: no cover - typing only
    from .ledger import Ledger

app = fastcli.LazyTyper(  # builds only the command that runs (see fastcli)
    global_flags=("--debug", "--no-cache"),
    # the modules in commands/ register these commands when they are imported
    lazy_commands={
        "committee": "budget2024.commands.committee",
        "committees": "budget2024.commands.committee",
        "list": "budget2024.commands.committee",
        "show": "budget2024.commands.committee",
        "reconcile": "budget2024.commands.reconcile",
        "check-strategy": "budget2024.commands.strategy",
        "site": "budget2024.commands.site",
        "status": "budget2024.commands.followup",
        "followup": "budget2024.commands.followup",
    },
    name="budget",
    help=(
        "A ledger for Ballerup Kommune's budget agreement 2024 (Aftale om budget 2024).\n\n"
        "Amounts are in 1.000 kr. (thousands of kroner). The agreement file defaults to the shipped "
        "data/agreement.yaml; use --file or BUDGET_FILE for another.\n\n"
        "Exit codes: 0 ok, 1 a check failed, 2 invalid input, 3 internal error."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, bool] = {"debug": False}


class TableJsonCsv(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class KindOpt(StrEnum):
    drift = "drift"
    anlaeg = "anlaeg"


FileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file", "-f",
        help="Agreement file to read (default: $BUDGET_FILE, else the shipped agreement).",
        show_default=False, dir_okay=True, exists=False,
    ),
]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Only this year, e.g. 2025.")]
FollowupOpt = Annotated[
    list[Path] | None,
    typer.Option("--followup", help="A follow-up file (plans, status, corrections, actuals, forecasts). "
                 "Repeatable; the files combine. Default: $BUDGET_FOLLOWUP (paths separated by "
                 f"'{os.pathsep}').", show_default=False),
]


def fail(message: str, hint: str | None = None, code: int = EXIT_INVALID) -> NoReturn:
    """Print an error for the user on stderr and exit."""
    sys.stderr.write(f"budget: error: {message}\n")
    if hint:
        sys.stderr.write(f"    hint: {hint}\n")
    raise typer.Exit(code)


def load_ledger(file: Path | None, *, trust_cache: bool = True) -> Ledger:
    """Load and validate the agreement, or report every problem and exit 2.

    A valid entry in the user's cache is used instead of parsing the YAML again (see
    :mod:`budget2024.cache`), unless ``--no-cache``/``BUDGET_NO_CACHE=1`` turn the cache off;
    ``trust_cache=False`` always loads the file in full and refreshes the entry.
    """
    from .cache import load_agreement
    from .ledger import Ledger

    try:
        return Ledger(load_agreement(file, trust_cache=trust_cache))
    except LoadError as exc:
        sys.stderr.write(exc.format() + "\n")
        raise typer.Exit(EXIT_INVALID) from None


def load_followup_files(files: list[Path] | None, ledger: Ledger, agreement_file: Path | None, *,
                        required: bool = False, trust_cache: bool = True) -> Any:
    """The follow-up files of ``--followup``/``BUDGET_FOLLOWUP`` combined and checked (None when there
    are none and they are not ``required``), or report every problem and exit 2."""
    from .paths import ENV_FOLLOWUP

    if not files and not os.environ.get(ENV_FOLLOWUP, "").strip() and not required:
        return None  # the common case, without importing the follow-up machinery
    from .followup import load_followup, resolve_followup

    paths = resolve_followup(files)
    if not paths:
        if required:
            fail("this command needs a follow-up file", f"give one with --followup FILE or {ENV_FOLLOWUP}; "
                 "`budget followup init` prints a skeleton to start from")
        return None
    try:
        return load_followup(paths, ledger, agreement_file, trust_cache=trust_cache)
    except LoadError as exc:
        sys.stderr.write(exc.format() + "\n")
        raise typer.Exit(EXIT_INVALID) from None


F = TypeVar("F", bound=Callable[..., Any])


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the cache of validated agreements "
        "(also BUDGET_NO_CACHE=1). Give it before the command: budget --no-cache totals.")] = False,
) -> None:
    _state["debug"] = debug or bool(os.environ.get("BUDGET_DEBUG"))
    from . import cache

    cache.switch_off(no_cache)


# ----------------------------------------------------------------------------- validate


@app.command()
def validate(
    file: FileOpt = None,
    format: Annotated[TableJsonCsv, typer.Option("--format", help="table (a one-line summary) or json.")]
    = TableJsonCsv.table,
    followup: FollowupOpt = None,
) -> None:
    """Check the agreement file (and follow-up files) and print a one-line summary.

    Every problem is reported at once, as FILE:LINE:COLUMN with what was expected and a hint;
    then the exit status is 2. With --followup (or BUDGET_FOLLOWUP), the follow-up files are
    checked together with the agreement.

    Examples:

      budget validate --file data/agreement.yaml

      budget validate --followup followup/kmu-2024.yaml
    """
    from . import render, reports

    ledger = load_ledger(file, trust_cache=False)  # always checks the file itself; refreshes the cache
    summary = reports.validate_summary(ledger)
    fu = load_followup_files(followup, ledger, file, trust_cache=False)
    if fu is not None:
        from .reports.followup import followup_summary

        summary["followup"] = followup_summary(fu)
    if format == TableJsonCsv.json:
        render.to_json(summary)
        return
    per = summary["lines_per_kind"]
    years = summary["years"]
    text = (f"ok: {summary['initiatives']} initiatives, {summary['lines']} appendix rows "
            f"({per['drift']} drift, {per['anlaeg']} anlæg), years {years[0]}–{years[-1]}")
    if fu is not None:
        f = summary["followup"]
        text += (f"; follow-up of {f['year']}: {len(f['files'])} file{'s' if len(f['files']) != 1 else ''}, "
                 f"{_count(f['tasks'], 'task')}, {_count(f['status_entries'], 'status entry', 'status entries')}, "
                 f"{_count(f['rows'], 'row')} ({f['new_rows']} added during the year)")
    render.print_text(text)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# ----------------------------------------------------------------------------- totals


@app.command()
def totals(
    year: YearOpt = None,
    kind: Annotated[KindOpt | None, typer.Option("--kind", "-k", help="Only drift or anlaeg.")] = None,
    format: Annotated[TableJsonCsv, typer.Option("--format", help="Output format.")] = TableJsonCsv.table,
    file: FileOpt = None,
    chart: Annotated[bool, typer.Option("--chart", help="Horizontal bars of the net amounts per year instead "
                                        "of the table.")] = False,
    followup: FollowupOpt = None,
) -> None:
    """Expansions, savings and net per year and kind (amounts in 1.000 kr.).

    Expansions are the sum of the positive appendix amounts, savings the sum of the negative ones.
    With --followup (or BUDGET_FOLLOWUP), the corrected budget of the follow-up year is shown
    beside the agreed one.

    Examples:

      budget totals --year 2025

      budget totals --kind anlaeg --format csv > anlaeg.csv

      budget totals --chart

      budget totals --followup followup/2024.yaml
    """
    from . import reports
    from .render import views

    if chart and format != TableJsonCsv.table:
        fail("--chart draws bars instead of the table; it does not go with --format " + format.value,
             "leave out --format, or --chart")
    ledger = load_ledger(file)
    try:
        data = reports.totals(ledger, year, kind.value if kind else None)
    except reports.ReportError as exc:
        fail(str(exc), "see `budget validate` for the agreement's years")
    fu = load_followup_files(followup, ledger, file)
    if chart:  # the agreement's amounts; the corrected budget has no bars (yet)
        from .render.bars import show_totals_chart

        show_totals_chart(data)
        return
    if fu is None:
        views.show_totals(data, format.value, single_year=year is not None)
        return
    from .render.followup import show_totals_corrected
    from .reports.followup import corrected_lines

    show_totals_corrected(data, corrected_lines(ledger, fu, kind=kind.value if kind else None), format.value,
                          single_year=year is not None)


# ----------------------------------------------------------------------------- lines


@app.command()
def lines(
    kind: Annotated[KindOpt | None, typer.Option("--kind", "-k", help="Only drift or anlaeg.")] = None,
    format: Annotated[TableJsonCsv, typer.Option("--format", help="Output format.")] = TableJsonCsv.table,
    file: FileOpt = None,
) -> None:
    """Every row of the agreement's appendix, with its section, initiative and committee.

    Examples:

      budget lines --kind anlaeg

      budget lines --format json | jq '.[] | select(.committee == "Klima- og Miljøudvalget")'
    """
    from . import reports
    from .render import views

    ledger = load_ledger(file)
    views.show_lines(reports.lines(ledger, kind.value if kind else None), ledger.years, ledger.unit,
                     format.value)


# the other subcommands register themselves on `app` when their module is imported: when
# they run, or when the whole app is built (see lazy_commands above)
app.seal()


def main() -> None:
    """Entry point: run the app; turn unexpected exceptions into exit 3."""
    from . import cache

    cache.freeze_after_load = True  # this process runs one command (see cache.settle)
    try:
        _run()
    finally:
        cache.freeze_after_load = False


def _run() -> None:
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("budget: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        # the reader of our output went away (e.g. `budget lines | head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except LoadError as exc:  # a command that let a bad input file through: still the user's input
        sys.stderr.write(exc.format() + "\n")
        sys.exit(EXIT_INVALID)
    except Exception:  # noqa: BLE001 - the last line of defence
        if _state["debug"] or "--debug" in sys.argv:
            traceback.print_exc()
        sys.stderr.write("budget: internal error, please report it (run again with --debug for details)\n")
        sys.exit(EXIT_INTERNAL)
