"""budget2024: a command-line ledger for Ballerup Kommune's budget agreement 2024."""

__version__ = "0.1.0"


def _interrupted_while_starting(signum: int, frame: object) -> None:
    import os
    import sys

    sys.stderr.write("budget: interrupted\n")
    sys.stderr.flush()
    os._exit(130)


def _guard_start() -> None:
    """When this package is imported to run the ``budget`` program (the console script, or
    ``python -m budget2024``), Ctrl-C before :func:`budget2024.cli.main` takes over ends the
    program with one line and 130, not a traceback from the middle of an import."""
    import os
    import signal
    import sys

    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    if program in ("budget", "budget.exe", "-m") and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted_while_starting)


_guard_start()
