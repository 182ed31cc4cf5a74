"""The ``budget`` command line: thin typer commands over reports and renderers.

Commands load the agreement, call a report, and hand the result to a renderer.
They compute nothing themselves.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import fastcli
from .commands import COMMANDS
from .errors import EXIT_INTERNAL, EXIT_INVALID, LoadError
from .failing import fail as fail
from .filteropts import ChapterOpt, CommitteeOpt, SearchOpt, SectionOpt, SortOpt, TopOpt, row_filter
from .i18n import _
from .kinds import Kind
from .language import LangGroup

fastcli.install()  # typer would import pydantic just to convert the options (see fastcli)

if TYPE_CHECKING:
    from .ledger import Ledger

app = fastcli.LazyTyper(  # builds only the command that runs (see fastcli)
    global_flags=("--debug", "--no-cache"),
    # the modules in commands/ register their commands when they are imported
    lazy_commands={name: module for name, module in COMMANDS.items() if module != __name__},
    command_order=COMMANDS,
    name="budget",
    cls=LangGroup,  # takes --lang out of the arguments and chooses the language first (see language.py)
    help=(
        "A ledger for a municipal budget agreement: totals, checks and reports from one YAML file.\n\n"
        "Amounts are in 1.000 kr. (thousands of kroner). The agreement file defaults to the shipped "
        "data/agreement.yaml; use --file or BUDGET_FILE for another.\n\n"
        "Exit codes: 0 ok, 1 a check failed, 2 invalid input, 3 internal error; 74 the output could not "
        "be written, 130 interrupted, 141 the reader of the output went away.\n\n"
        "Example:  budget totals --year 2025"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion, --show-completion (typer's)
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, bool] = {"debug": False}


class Format(StrEnum):
    """Every output format of every command; each command takes the ones it can write (see :func:`format_option`)."""

    table = "table"
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    docx = "docx"
    junit = "junit"
    csv_excel = "csv-excel"
    xlsx = "xlsx"


def format_option(*choices: Format, help: str = "Output format.") -> Any:
    """The --format option of a command that writes ``choices``: one definition, the choices per command."""
    names = tuple(c.value for c in choices)

    def parse(text: str) -> Format:
        if text not in names:
            raise typer.BadParameter(_("{text!r} is not one of {names}.").format(
                text=text, names=", ".join(repr(n) for n in names)))
        return Format(text)

    return typer.Option("--format", parser=parse, metavar=f"[{'|'.join(names)}]", help=help,
                        autocompletion=lambda: list(names))


def parse_file(text: str) -> Path:
    """(The parsers raise BadParameter, which every typer names the option in, whatever converts the value.)

    --file: a path; an empty one is refused (Path('') would be the current directory)."""
    if not text.strip():
        raise typer.BadParameter(_("the path is empty: give a file, or leave the option out"))
    return Path(text)


def parse_year(text: str) -> int:
    """--year: a year written as digits (2025), not 2025.0 or 2_025."""
    if not (text.isascii() and text.isdigit()):
        raise typer.BadParameter(_("{text!r} is not a year: write it as digits, e.g. 2025").format(text=text))
    return int(text)


def parse_kind(text: str) -> Kind:
    """--kind: drift or anlæg as the tables print them, in any case, with or without the Danish letter."""
    key = text.strip().casefold().replace("æ", "ae")
    key = {"anlag": "anlaeg"}.get(key, key)
    try:
        return Kind(key)
    except ValueError:
        raise typer.BadParameter(_("{text!r} is not a kind: give drift or anlaeg (anlæg)").format(text=text)) from None


FileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file", "-f", parser=parse_file, metavar="FILE",
        help="Agreement file to read (default: $BUDGET_FILE, else the shipped agreement).",
        show_default=False,
    ),
]


def year_option(help: str = "Only this year, e.g. 2025.") -> Any:
    """--year (-y): a year as digits; the help says what the year does for this command."""
    return typer.Option("--year", "-y", parser=parse_year, metavar="YEAR", help=help)


def kind_option(help: str = "Only drift or anlaeg (anlæg; any case).") -> Any:
    """--kind (-k): drift or anlæg, read as :func:`parse_kind` reads it."""
    return typer.Option("--kind", "-k", parser=parse_kind, metavar="[drift|anlaeg]", help=help)


YearOpt = Annotated[int | None, year_option()]
KindOption = Annotated[Kind | None, kind_option()]
FollowupOpt = Annotated[
    list[Path] | None,
    typer.Option("--followup", parser=parse_file, metavar="FILE",
                 help="A follow-up file (plans, status, corrections, actuals, forecasts). "
                 "Repeatable; the files combine. Default: $BUDGET_FOLLOWUP (paths separated by ':', on "
                 "Windows by ';').", show_default=False),
]


OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE", show_default=False,
    help="The file to write, with --format xlsx (or docx where offered); written atomically, never over an "
         "existing file without --force.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")]


def check_output(fmt: str, output: Path | None, binary: tuple[str, ...] = ("xlsx",)) -> None:
    """A binary format (xlsx, docx) needs --output; the text formats go to stdout (redirect them with >)."""
    from .i18n import _

    if fmt in binary and output is None:
        fail(_("--format {format} writes a file: give --output FILE").format(format=fmt),
             _("e.g. --format {format} --output report.{format}").format(format=fmt))
    if fmt not in binary and output is not None:
        fail(_("--output is for --format {formats}").format(formats=_(" or ").join(binary)),
             _("--format {format} prints to stdout; redirect it: > FILE").format(format=fmt))


@contextlib.contextmanager
def table_output(fmt: str, output: Path | None, force: bool,
                 sheets: Callable[[list[Any]], list[Any]] | None = None) -> Iterator[str]:
    """Around a renderer's call: the format to give it, and the workbook or Excel CSV to make of what it draws.

    xlsx: the renderer draws its tables (``"table"``), which are collected and written to
    ``output`` as a workbook (or ``sheets(collected)`` gives the sheets, from the report's data); csv-excel:
    it writes CSV (``"csv"``) for Danish Excel. Any other format is passed on as it is.
    """
    check_output(fmt, output)
    if fmt == "csv-excel":
        from .render.csvexcel import csv_for_excel

        with csv_for_excel():
            yield "csv"
        return
    if fmt != "xlsx" or output is None:
        yield fmt
        return
    from .failing import writing
    from .render import xlsx
    from .render.files import OutputExists

    if output.exists() and not force:  # before the report is drawn
        with writing(output):
            raise OutputExists(output, "file")
    with xlsx.collect() as collected:
        yield "table"
    with writing(output):
        xlsx.write_xlsx(sheets(collected) if sheets is not None else collected, output, force=force)


def load_ledger(file: Path | None, *, trust_cache: bool = True) -> Ledger:
    """Load and validate the agreement, or report every problem and exit 2.

    A valid entry in the user's cache is used instead of parsing the YAML again (see
    :mod:`budget2024.cache`), unless ``--no-cache``/``BUDGET_NO_CACHE=1`` turn the cache off;
    ``trust_cache=False`` always loads the file in full and refreshes the entry.
    """
    from .ledger import Ledger
    from .session import load_agreement
    from .streams import expect

    try:
        ledger = Ledger(load_agreement(file, trust_cache=trust_cache))
    except LoadError as exc:
        sys.stderr.write(exc.format() + "\n")
        raise typer.Exit(EXIT_INVALID) from None
    expect(0)  # what is left is output: should its reader go away, the command has done its work
    return ledger


def load_followup_files(files: list[Path] | None, ledger: Ledger, agreement_file: Path | None, *,
                        required: bool = False, trust_cache: bool = True) -> Any:
    """The follow-up files of ``--followup``/``BUDGET_FOLLOWUP`` combined and checked (None when there
    are none and they are not ``required``), or report every problem and exit 2."""
    from .paths import ENV_FOLLOWUP

    if not files and not os.environ.get(ENV_FOLLOWUP, "").strip() and not required:
        return None  # the common case, without importing the follow-up machinery
    from .followup import resolve_followup
    from .session import load_followup

    paths = resolve_followup(files)
    if not paths:
        if required:
            fail(_("this command needs a follow-up file"),
                 _("give one with --followup FILE or {env}; `budget followup init` prints a skeleton to start "
                   "from").format(env=ENV_FOLLOWUP))
        return None
    try:
        return load_followup(paths, ledger, agreement_file, trust_cache=trust_cache)
    except LoadError as exc:
        sys.stderr.write(exc.format() + "\n")
        raise typer.Exit(EXIT_INVALID) from None


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        try:
            from importlib.metadata import version

            installed = version("budget2024")
        except Exception:  # noqa: BLE001 - not installed (run from the source tree)
            installed = __version__
        sys.stdout.write(f"budget {installed}\n")
        raise typer.Exit(0)


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", is_eager=True, callback=_show_version,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Neither read nor write the cache of validated agreements "
        "(also BUDGET_NO_CACHE=1). Give it before the command: budget --no-cache totals.")] = False,
) -> None:
    _state["debug"] = debug or bool(os.environ.get("BUDGET_DEBUG"))
    from . import cache, paths

    paths.forget_streams()  # each command reads its standard input anew (several may run in one process)

    cache.switch_off(no_cache)
    from .commands import reads

    cache.expect_reads(reads(ctx.invoked_subcommand))  # decoded up front from a cache entry (see READS)
    ctx.call_on_close(lambda: cache.expect_reads(None))  # a library caller after the command: every part


# ----------------------------------------------------------------------------- validate


@app.command()
def validate(
    file: FileOpt = None,
    format: Annotated[Format, format_option(Format.table, Format.json, help="table (a one-line summary) or json.")]
    = Format.table,
    followup: FollowupOpt = None,
) -> None:
    """Check the agreement file (and follow-up files) and print a one-line summary.

    Every problem is reported at once, as FILE:LINE:COLUMN with what was expected and a hint;
    then the exit status is 2. With --format json, stdout has the summary, or the problems as a
    list of objects with 'file', 'line', 'column', 'message', 'expected' and 'hint'. With --followup (or
    BUDGET_FOLLOWUP), the follow-up files are checked together with the agreement.

    Examples:

      budget validate --file data/agreement.yaml

      budget validate --followup followup/kmu-2024.yaml
    """
    from . import render, reports
    from .ledger import Ledger
    from .session import load_agreement

    try:  # always checks the file itself; refreshes the cache
        ledger = Ledger(load_agreement(file, trust_cache=False))
    except LoadError as exc:
        sys.stderr.write(exc.format() + "\n")
        if format == Format.json:
            render.to_json(reports.validate_problems(exc.problems))
        raise typer.Exit(EXIT_INVALID) from None
    from .streams import expect

    expect(0)
    summary = reports.validate_summary(ledger)
    fu = load_followup_files(followup, ledger, file, trust_cache=False)
    if fu is not None:
        from .reports.followup import followup_summary

        summary["followup"] = followup_summary(fu)
    if format == Format.json:
        render.to_json(summary)
        return
    per = summary["lines_per_kind"]
    years = summary["years"]
    from .i18n import ngettext

    text = _("ok: {initiatives}, {rows} ({drift} drift, {anlaeg} anlæg), years {first}–{last}").format(
        initiatives=ngettext("{n} initiative", "{n} initiatives", summary["initiatives"]).format(
            n=summary["initiatives"]),
        rows=ngettext("{n} appendix row", "{n} appendix rows", summary["lines"]).format(n=summary["lines"]),
        drift=per["drift"], anlaeg=per["anlaeg"], first=years[0], last=years[-1])
    if fu is not None:
        f = summary["followup"]
        text += _("; follow-up of {year}: {files}, {tasks}, {entries}, {rows} ({new} added during the year)").format(
            year=f["year"], files=ngettext("{n} file", "{n} files", len(f["files"])).format(n=len(f["files"])),
            tasks=ngettext("{n} task", "{n} tasks", f["tasks"]).format(n=f["tasks"]),
            entries=ngettext("{n} status entry", "{n} status entries", f["status_entries"]).format(
                n=f["status_entries"]),
            rows=ngettext("{n} row", "{n} rows", f["rows"]).format(n=f["rows"]), new=f["new_rows"])
    render.print_text(text)


# ----------------------------------------------------------------------------- totals


@app.command()
def totals(
    year: YearOpt = None,
    kind: KindOption = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.csv, Format.csv_excel,
                                            Format.xlsx)] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
    chart: Annotated[bool, typer.Option("--chart", help="Horizontal bars of the net amounts per year instead "
                                        "of the table.")] = False,
    followup: FollowupOpt = None,
    section: SectionOpt = None,
    chapter: ChapterOpt = None,
    committee: CommitteeOpt = None,
    search: SearchOpt = None,
) -> None:
    """Expansions, savings and net per year and kind (amounts in 1.000 kr.).

    Expansions are the sum of the positive appendix amounts, savings the sum of the negative ones.
    With --followup (or BUDGET_FOLLOWUP), the corrected budget of the follow-up year is shown
    beside the agreed one (without filters).
    The filters (--section, --chapter, --committee, --kind, --search) choose the rows that are
    added up; the title names them and says how many rows were summed. Without filters, the
    agreement's tax rates and stated figures follow the table.

    Examples:

      budget totals --year 2025

      budget totals --year 2026 --search klima

      budget totals --kind anlaeg --format csv > anlaeg.csv

      budget totals --format xlsx --output totals.xlsx

      budget totals --chart

      budget totals --followup followup/2024.yaml
    """
    from . import reports
    from .render import views
    from .reports.filters import select

    if chart and format != Format.table:
        fail(_("--chart draws bars instead of the table; it does not go with --format {format}").format(
            format=format.value), _("leave out --format, or --chart"))
    check_output(format.value, output)
    ledger = load_ledger(file)
    kind_value = kind.value if kind else None
    flt = row_filter(ledger, section, chapter, committee, kind_value, search)
    try:
        data = reports.totals(ledger, year, kind_value, select(ledger, flt), flt.describe())
    except reports.ReportError as exc:
        fail(str(exc), _("see `budget validate` for the agreement's years"))
    fu = load_followup_files(followup, ledger, file)
    if chart:  # the agreement's amounts; the corrected budget has no bars (yet)
        from .render.bars import show_totals_chart

        show_totals_chart(data)
        return
    if fu is None:
        if not flt.active():
            data["general"] = reports.general_figures(ledger)
        def sheets(drawn: list[Any]) -> list[Any]:
            from .render.xlsx import totals_sheets  # only for a workbook

            return totals_sheets(data, drawn)

        with table_output(format.value, output, force, sheets) as fmt:
            views.show_totals(data, fmt, single_year=year is not None)
        return
    if any(v is not None for v in (section, chapter, committee, search)):
        fail(_("--followup does not combine with --section, --chapter, --committee or --search yet"),
             _("leave out the filters, or use `budget followup --committee NAME` for one body's money"))
    from .render.followup import show_totals_corrected
    from .reports.followup import corrected_lines

    with table_output(format.value, output, force) as fmt:
        show_totals_corrected(data, corrected_lines(ledger, fu, kind=kind_value), fmt, single_year=year is not None)


# ----------------------------------------------------------------------------- lines


@app.command()
def lines(
    kind: KindOption = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.csv, Format.csv_excel,
                                            Format.xlsx)] = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    file: FileOpt = None,
    year: YearOpt = None,
    section: SectionOpt = None,
    chapter: ChapterOpt = None,
    committee: CommitteeOpt = None,
    search: SearchOpt = None,
    sort: SortOpt = None,
    top: TopOpt = None,
) -> None:
    """Every row of the agreement's appendix, with its reference (for `budget show`), section,
    kind and amounts; the committee where the width allows.

    --year keeps the rows with an amount that year, with that year's column. The filters
    combine; the title names them.

    Examples:

      budget lines --kind anlaeg

      budget lines --year 2025 --sort amount --top 10

      budget lines --section 4.3 --search klima

      budget lines --format json | jq '.[] | select(.committee == "Klima- og Miljøudvalget")'

      budget lines --format csv-excel > lines.csv
    """
    from . import reports
    from .render import views
    from .reports.filters import select

    check_output(format.value, output)
    ledger = load_ledger(file)
    kind_value = kind.value if kind else None
    flt = row_filter(ledger, section, chapter, committee, kind_value, search)
    try:
        records = reports.lines(ledger, kind_value, select(ledger, flt), year, sort, top)
    except reports.ReportError as exc:
        fail(str(exc), _("see `budget lines --help`"))
    with table_output(format.value, output, force) as fmt:
        views.show_lines(records, [year] if year is not None else ledger.years, ledger.unit, fmt,
                         filters=flt.describe(), total_rows=len(ledger.agreement.lines))


# the other subcommands register themselves on `app` when their module is imported: when
# they run, or when the whole app is built (see lazy_commands above)
app.seal()


def main() -> None:
    """Entry point: run the app; turn unexpected exceptions into exit 3 (see the README's exit codes)."""
    import signal

    from . import cache, streams

    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # from here on, Ctrl-C is handled below
        signal.signal(signal.SIGINT, signal.default_int_handler)
    saved = sys.stdout, sys.stderr
    out, _ = streams.install()
    cache.freeze_after_load = True  # this process runs one command (see cache.settle)
    try:
        code = _run()
        try:
            out.flush()
        except streams.PipeClosed:  # the command ran to its end: its own result stands
            streams.silence_stdout()
        except streams.WriteFailed as exc:
            code = _write_failed(exc)
    except KeyboardInterrupt:
        code = _interrupted()
    finally:
        cache.freeze_after_load = False
        if sys.stdout is out:  # (silence_stdout puts the null device there instead)
            sys.stdout = saved[0]
        sys.stderr = saved[1]
    import budget2024

    if budget2024.program and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # Ctrl-C while exiting
        signal.signal(signal.SIGINT, budget2024._interrupted_while_starting)
    sys.exit(code)


def _interrupted() -> int:
    from .streams import EXIT_INTERRUPTED

    sys.stderr.write(_("budget: interrupted") + "\n")
    return EXIT_INTERRUPTED


def _write_failed(exc: Exception) -> int:
    """The output could not be written: the command's own result after a closed pipe, else EXIT_WRITE."""
    from . import streams

    streams.silence_stdout()
    if isinstance(exc, streams.PipeClosed):
        code = streams.expected()
        return streams.EXIT_PIPE if code is None else code
    from .i18n import os_reason, shown

    reason = shown(os_reason(OSError(exc.errno, exc.reason))) if isinstance(exc, streams.WriteFailed) else str(exc)
    sys.stderr.write(_("budget: error: {message}").format(
        message=_("cannot write the output: {reason}").format(reason=reason)) + "\n")
    return streams.EXIT_WRITE


def _click_exception() -> type[BaseException]:
    """The ClickException class of the click this typer uses (its own copy from typer 0.26 on)."""
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == "ClickException":
            return cls
    return typer.BadParameter  # pragma: no cover


def _run() -> int:
    from . import streams

    click_error = _click_exception()
    try:
        from .language import moved_to_end

        # --lang may stand before the command: moved after it, the fast path still sees the command first
        result = app(args=moved_to_end(sys.argv[1:]), standalone_mode=False)
    except streams.WriteFailed as exc:
        return _write_failed(exc)
    except KeyboardInterrupt:
        return _interrupted()
    except click_error as exc:  # a bad option or argument: the tool's own error style
        return _usage_error(exc)
    except typer.Abort:  # click's answer to Ctrl-C (and to end of input at a prompt)
        return _interrupted()
    except typer.Exit as exc:
        return int(exc.exit_code)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BrokenPipeError:  # written past the guarded stream (should not happen)
        streams.silence_stdout()
        code = streams.expected()
        return streams.EXIT_PIPE if code is None else code
    except LoadError as exc:  # a command that let a bad input file through: still the user's input
        sys.stderr.write(exc.format() + "\n")
        return EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        from .cache import UndeclaredRead

        if isinstance(exc, UndeclaredRead):  # a bad cache entry found too late to be a miss (a bug)
            sys.stderr.write(_("budget: internal error: {reason}").format(reason=exc) + "\n")
            return EXIT_INTERNAL
        if _state["debug"] or "--debug" in sys.argv:
            traceback.print_exc()
        sys.stderr.write(_("budget: internal error, please report it (run again with --debug for details)") + "\n")
        return EXIT_INTERNAL
    if result == streams.EXIT_INTERRUPTED:  # typer turns Ctrl-C into a silent Exit(130)
        return _interrupted()
    return result if isinstance(result, int) else 0


def _usage_error(exc: Any) -> int:
    """An option or argument typer refused, in the tool's own style: one line, a hint, exit 2."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # `budget` alone: the help, on stderr, as click shows it
        exc.show()
        return EXIT_INVALID
    from .language import usage_message

    sys.stderr.write(_("budget: error: {message}").format(message=usage_message(exc)) + "\n")
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        sys.stderr.write("    " + _("hint: {hint}").format(
            hint=_("see `{command} --help`").format(command=ctx.command_path)) + "\n")
    return EXIT_INVALID
