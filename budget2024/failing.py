"""How a command stops on bad input: one message and a hint on stderr, then exit 2.

Below ``cli.py`` and ``commands/`` so that the option helpers (``filteropts.py``) and every
command can stop the same way without importing the app.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import typer

from .errors import EXIT_INVALID
from .i18n import N_, _, shown

if TYPE_CHECKING:
    from .reports import ReportError

NAME_HINT = N_("give more of the name, an alias or the id; `budget committees` lists every body")


def fail(message: str, hint: str | None = None, code: int = EXIT_INVALID) -> NoReturn:
    """Print an error for the user on stderr and exit (a :class:`~.i18n.Text` in the chosen language)."""
    sys.stderr.write(_("budget: error: {message}").format(message=shown(message)) + "\n")
    if hint:
        sys.stderr.write("    " + _("hint: {hint}").format(hint=shown(hint)) + "\n")
    raise typer.Exit(code)


def did_you_mean(candidates: list[str]) -> str | None:
    if not candidates:
        return None
    return _("did you mean {names}?").format(names=_(" or ").join(candidates[:3]))


def fail_report(exc: ReportError) -> NoReturn:
    """Stop on a report's refusal (a name that matches no body, an unknown id, a bad filter)."""
    from .render.committee import name_error_message
    from .reports.committee import BodyNameError, UnknownInitiative
    from .reports.filters import FilterError

    if isinstance(exc, BodyNameError):
        fail(name_error_message(str(exc), exc.candidates, exc.ambiguous), _(NAME_HINT))
    if isinstance(exc, UnknownInitiative):
        hint = _("`budget list` shows the ids; `budget list --search TEXT` finds one by its title")
        fail(name_error_message(str(exc), exc.candidates, False), hint)
    if isinstance(exc, FilterError):
        fail(str(exc), did_you_mean(exc.candidates) or _("`budget list` shows the sections and chapters"))
    fail(exc.message, exc.hint or _("see `budget validate` for the agreement's years"))


@contextmanager
def writing(path: object, exists_hint: str | None = None, *, report: bool = True) -> Iterator[None]:
    """Stop on a file or folder written on request that exists (exit 2, with ``exists_hint``) or that
    cannot be written (exit 74 when writing failed, 2 when the destination is wrong); ``report`` says
    "wrote PATH" on stderr after it."""
    from .render.files import OutputError, OutputExists

    try:
        yield
    except OutputExists as exc:
        fail(_("{path} already exists").format(path=exc.path),
             exists_hint or _("give --force to replace it, or another --output file"))
    except OutputError as exc:
        from .streams import EXIT_WRITE

        fail(exc.message, code=EXIT_WRITE if exc.written else EXIT_INVALID)
    if report:
        sys.stderr.write(_("wrote {path}").format(path=path) + "\n")
