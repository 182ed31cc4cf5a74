"""`budget diff OLD [NEW]`: what changed between two versions of the agreement."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..cli import FileOpt, ForceOpt, Format, OutputOpt, app, check_output, format_option, table_output
from ..errors import EXIT_INVALID, LoadError, Problem
from ..i18n import T_

#: Exit status of ``--exit-code`` when the two versions differ (as ``git diff --exit-code``).
EXIT_DIFFERENT = 1



def _git_show(rev: str, file: Path) -> tuple[bytes | None, str]:
    """``git show REV:./NAME`` run in the file's directory: the file as it was at ``rev``, read
    from git's object store (the work tree is never touched). None and git's reason on failure."""
    import subprocess

    directory = file.resolve().parent
    try:
        done = subprocess.run(["git", "-C", str(directory), "show", f"{rev}:./{file.name}"],
                              capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"git could not be run ({exc})"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, reason[-1] if reason else f"git exited with {done.returncode}"
    return done.stdout, ""


def load_side(spec: str, file: Path, which: str, *, as_file: bool = False) -> tuple[object | None, list[Problem], str]:
    """One side of the diff: an agreement file (or ``-``/a pipe), else a git revision of ``file``.
    Returns the agreement (or None), its problems, and the name it is shown by. ``as_file``: the
    side is a file even when it does not exist (then that is the problem reported)."""
    from ..paths import display_name, is_stream
    from ..session import load_agreement

    path = Path(spec)
    if as_file or spec == "-" or is_stream(path) or path.exists() or (
            path.suffix.lower() in {".yaml", ".yml"} and not _is_revision(spec, file)):
        try:
            return load_agreement(path, given=which), [], display_name(path)
        except LoadError as exc:
            return None, list(exc.problems), display_name(path)
    display = f"{spec}:{file}"
    if str(file) == "-":
        return None, [Problem(spec, 0, 0, T_("{which}: '{spec}' is not a file, and standard input has no git history",
                                             which=which, spec=spec),
        T_("an agreement file, or a git revision of --file"),
                              T_("name a file, or give --file the path of the agreement in git"))], display
    raw, reason = _git_show(spec, file)
    if raw is None:
        return None, [Problem(display, 0, 0,
                              T_("{which}: '{spec}' is neither a file nor a git revision that has {file} ({reason})",
                                 which=which, spec=spec, file=file, reason=reason),
                              T_("an agreement file, or a git revision such as HEAD~1, main or a tag"),
                              T_("check the revision with `git log --oneline -- FILE`, or the file's path"))], display
    from ..session import load_bytes

    try:
        return load_bytes(raw, display), [], display
    except LoadError as exc:
        return None, list(exc.problems), display


def _is_revision(spec: str, file: Path) -> bool:
    """Whether git knows ``spec`` as a revision in the file's repository."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(file.resolve().parent), "rev-parse", "--verify", "--quiet",
                               f"{spec}^{{commit}}"], capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", show_default=False, help=(
        "The old version: an agreement file, or a git revision (HEAD~1, main, a tag) of the --file path."))],
    new: Annotated[str | None, typer.Argument(metavar="NEW", show_default=False, help=(
        "The new version, the same way (default: the --file as it is now)."))] = None,
    format: Annotated[Format, format_option(Format.table, Format.json, Format.markdown, Format.xlsx,
                                            help="table, json, markdown (for a pull-request comment) or xlsx "
                                            "(with --output).")]
    = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 when the versions differ, 0 when "
                                            "they do not (as `git diff --exit-code`).")] = False,
    file: FileOpt = None,
) -> None:
    """What changed between two versions of the agreement, as a budget change (amounts in 1.000 kr.).

    Appendix rows added, removed and changed (per year, old → new), rows moved between years or
    kinds, initiatives added, removed, retitled or given other bodies, stated figures, key
    figures and targets; then the totals per year and kind, the net change per body and every
    strategy result whose status changed. Unchanged things are not listed. A git revision is
    read with `git show REV:PATH`; the work tree is never touched.

    Examples:

      budget diff HEAD~1

      budget diff main --format markdown > change.md

      budget diff old.yaml new.yaml --exit-code

      budget diff HEAD~1 --format xlsx --output change.xlsx
    """
    from ..ledger import Ledger
    from ..paths import display_name, resolve_file
    from ..render.diff import show_diff
    from ..reports.diff import diff as diff_report

    check_output(format.value, output)
    path = resolve_file(file)
    a, problems_a, name_a = load_side(old, path, "OLD")
    new_spec = str(path) if new is None else new
    b, problems_b, name_b = load_side(new_spec, path, "NEW", as_file=new is None)
    if new is None:
        name_b = display_name(path)
    problems = problems_a + problems_b
    if problems or a is None or b is None:
        sys.stderr.write(LoadError(problems).format() + "\n")
        raise typer.Exit(EXIT_INVALID)
    data = diff_report(Ledger(a), Ledger(b), name_a, name_b)  # type: ignore[arg-type]
    from ..streams import expect

    expect(EXIT_DIFFERENT if exit_code and data["changes"] else 0)  # should the reader of the output go away
    with table_output(format.value, output, force) as fmt:
        show_diff(data, fmt)
    if exit_code and data["changes"]:
        raise typer.Exit(EXIT_DIFFERENT)
