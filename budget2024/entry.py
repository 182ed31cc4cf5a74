"""The ``budget`` executable: Ctrl-C, even while the modules are still being imported, ends with one line and 130."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from . import cli
    except KeyboardInterrupt:
        sys.stderr.write("budget: interrupted\n")
        sys.exit(130)
    cli.main()
