"""How a command stops on bad input: one message and a hint on stderr, then exit 2.

Below ``cli.py`` and ``commands/`` so that the option helpers (``filteropts.py``) and every
command can stop the same way without importing the app.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import typer

from .errors import EXIT_INVALID
from .i18n import N_, _

if TYPE_CHECKING:
    from .reports import ReportError

NAME_HINT = N_("give more of the name, an alias or the id; `budget committees` lists every body")


def fail(message: str, hint: str | None = None, code: int = EXIT_INVALID) -> NoReturn:
    """Print an error for the user on stderr and exit."""
    sys.stderr.write(_("budget: error: {message}").format(message=message) + "\n")
    if hint:
        sys.stderr.write("    " + _("hint: {hint}").format(hint=hint) + "\n")
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
    fail(str(exc), exc.hint or _("see `budget validate` for the agreement's years"))
