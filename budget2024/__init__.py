"""budget2024: a command-line ledger for Ballerup Kommune's budget agreement 2024."""

__version__ = "0.1.0"

#: True when this process is the ``budget`` program (see _guard_start), not a library user.
program = False


def _interrupted_while_starting(signum: int, frame: object) -> None:
    import os
    import sys

    sys.stderr.write("budget: interrupted\n")
    sys.stderr.flush()
    os._exit(130)


def _guard_start() -> None:
    """When this package is imported to run the ``budget`` program (the console script, or
    ``python -m budget2024``), Ctrl-C before :func:`budget2024.cli.main` takes over, and after
    it has finished, ends the program with one line and 130, not a traceback from the middle of
    an import or of the interpreter's shutdown."""
    import os
    import signal
    import sys

    global program
    name = os.path.basename(sys.argv[0]) if sys.argv else ""
    if name in ("budget", "budget.exe", "-m") and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted_while_starting)
        program = True


_guard_start()
