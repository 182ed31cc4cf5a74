"""Which agreement file to read: ``--file``, else ``BUDGET_FILE``, else the shipped one.

Kept apart from :mod:`budget2024.load` (which re-exports these names) so that the
cache can find the file without importing the YAML and pydantic machinery.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_FILE = "BUDGET_FILE"
#: Follow-up files (separated by os.pathsep) when no --followup is given.
ENV_FOLLOWUP = "BUDGET_FOLLOWUP"


def default_file() -> Path:
    """The shipped agreement: installed with the package, or beside the source tree.

    The two usual places are looked at first (a stat each): importing importlib.resources costs a
    warm start several milliseconds, so it is asked only for another kind of install (a zip)."""
    here = Path(__file__).resolve().parent
    installed = here / "data" / "agreement.yaml"  # budget2024/data/, as a wheel installs it
    if installed.is_file():
        return installed
    source = here.parent / "data" / "agreement.yaml"  # an editable install or a checkout
    if (here.parent / "pyproject.toml").is_file() and source.is_file():
        return source
    try:
        from importlib.resources import files

        res = files("budget2024.data").joinpath("agreement.yaml")
        if res.is_file():
            return Path(str(res))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    return Path(__file__).resolve().parent.parent / "data" / "agreement.yaml"


def resolve_file(option: Path | None) -> Path:
    """``--file`` wins over ``BUDGET_FILE``, which wins over the shipped file."""
    if option is not None:
        return option
    env = os.environ.get(ENV_FILE)
    if env:
        return Path(env)
    return default_file()


# ----------------------------------------------------------------------------- streams

#: ``--file -`` reads the agreement from standard input.
STDIN = "-"
#: How standard input is named in messages.
STDIN_DISPLAY = "<stdin>"

#: The bytes of each stream read in this process: a pipe can be read only once, and a command
#: may read its file twice (the cache's hash, then the load; a re-read to locate problems).
_streams: dict[str, bytes] = {}


def display_name(path: Path) -> str:
    return STDIN_DISPLAY if str(path) == STDIN else str(path)


def is_stream(path: Path) -> bool:
    """True for standard input (``-``) and for a named pipe such as ``<(git show HEAD:FILE)``."""
    if str(path) == STDIN:
        return True
    import stat

    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def stream_bytes(path: Path, limit: int) -> bytes:
    """Every byte of standard input or of a named pipe, read once per process (at most
    ``limit`` + 1 bytes, so that the caller can refuse a larger input)."""
    key = str(path)
    if key not in _streams:
        import sys

        if key == STDIN:
            stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
            data = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode()
        else:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
        _streams[key] = data
    return _streams[key]


def forget_streams() -> None:
    """Forget the bytes read from streams (for tests that run several commands in one process)."""
    _streams.clear()
