"""`budget schema [KIND]`: the JSON Schema of a file kind, for editors and validators."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..cli import app, fail
from ..i18n import _


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(metavar="KIND", show_default=False, help=(
        "The file kind: agreement (the default), figures (a --figures file of check-strategy) or followup (a "
        "--followup file)."))] = "agreement",
) -> None:
    """Print the JSON Schema of a file kind, generated from the data model, with each field's
    description.

    The repository keeps them in schemas/; data/agreement.yaml names its schema in its first
    line, so that an editor with the YAML language server completes keys and marks mistakes.

    Examples:

      budget schema

      budget schema figures > figures.schema.json
    """
    from ..schemas import KINDS, dumps

    if kind not in KINDS:
        import difflib

        close = difflib.get_close_matches(kind, list(KINDS), n=1)
        fail(_("no file kind '{kind}'; the kinds are {kinds}").format(kind=kind, kinds=", ".join(KINDS)),
             _("did you mean {name}?").format(name=close[0]) if close else _("e.g. budget schema agreement"))
    sys.stdout.write(dumps(kind))
