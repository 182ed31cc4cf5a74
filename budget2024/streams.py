"""The process's output streams: what a command does when its output cannot be written.

Used by :func:`budget2024.cli.main` only (a real process); the test runner's streams are left alone.

* A closed pipe (``budget lines | head -1``): nothing more is printed, and the exit status is
  the command's own result where it is known (:func:`expect`), else 141 (the shell's code for
  a process ended by SIGPIPE).
* Any other failed write to stdout (a full disk, ``>&-``): one line on stderr and exit
  :data:`EXIT_WRITE` (74, ``EX_IOERR`` of sysexits.h); never 0 when the output was lost.
* stderr that cannot be written (``2>&-``, ``2>/dev/full``): messages are dropped, and the exit
  status stays what it would have been.
* A stream whose encoding lacks a character (``PYTHONIOENCODING=ascii``, ``cp850``, ``LC_ALL=C``)
  gets a stand-in of one character (``ø`` → ``o``, ``–`` → ``-``, else ``?``), so that tables stay
  aligned; JSON is written with ``\\uXXXX`` escapes there instead, which loses nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import sys
from typing import Any

from .i18n import _

#: Exit status when the output could not be written (EX_IOERR in sysexits.h).
EXIT_WRITE = 74
#: Exit status when the reader of the output went away before the command's result was known (128 + SIGPIPE).
EXIT_PIPE = 141
#: Exit status after Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130

#: The error handler registered for streams that cannot encode every character.
ERRORS = "budget2024-standin"

_STANDIN = {
    "ø": "o", "Ø": "O", "æ": "a", "Æ": "A", "ß": "s",
    "–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-", "─": "-", "━": "-", "│": "|", "┃": "|",
    "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "…": ".", "•": "*", "·": ".", "✔": "v", "✘": "x", "×": "x", "÷": "/", "\u00a0": " ", "€": "E",
}


class WriteFailed(Exception):
    """The output could not be written (not an OSError, so that no library's handler takes it for its own)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.errno = code
        self.reason = reason


class PipeClosed(WriteFailed):
    """The reader of the output went away."""


#: The exit status a command will have, once it is known (see :func:`expect`).
_expected: list[int] = []


def expect(code: int) -> None:
    """Say which exit status the running command ends with, should its reader go away now."""
    _expected[:] = [code]


def expected() -> int | None:
    return _expected[0] if _expected else None


def standin(char: str) -> str:
    """One character that an 8-bit or ASCII stream can show for ``char``."""
    if char in _STANDIN:
        return _STANDIN[char]
    import unicodedata  # (only when a character cannot be written)

    base = unicodedata.normalize("NFKD", char)[:1]
    if base and base.isascii() and base.isprintable():
        return base
    return "?"


def _handler(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    out = []
    for ch in bad:
        s = standin(ch)
        try:
            s.encode(exc.encoding)
        except (UnicodeError, LookupError):
            s = "?"
        out.append(s)
    return "".join(out), exc.end


codecs.register_error(ERRORS, _handler)


def is_utf(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith("utf")


class Output:
    """stdout, with every failed write turned into :class:`WriteFailed` (:class:`PipeClosed` for a pipe)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def _fail(self, exc: OSError) -> WriteFailed:
        code = exc.errno or errno.EIO
        reason = exc.strerror or os.strerror(code)
        if code == errno.EPIPE or isinstance(exc, BrokenPipeError):
            return PipeClosed(errno.EPIPE, reason)
        return WriteFailed(code, reason)

    def write(self, text: str) -> int:
        if self._stream is None:
            raise WriteFailed(errno.EBADF, _("standard output is closed"))
        try:
            return int(self._stream.write(text))
        except OSError as exc:
            raise self._fail(exc) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._fail(exc) from None

    def isatty(self) -> bool:
        try:
            return self._stream is not None and bool(self._stream.isatty())
        except (OSError, ValueError):
            return False

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


class Messages(Output):
    """stderr, where a failed write is dropped: a message that cannot be shown must not change the exit status."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except WriteFailed:
            return len(text)

    def flush(self) -> None:
        with contextlib.suppress(WriteFailed):
            super().flush()


def install() -> tuple[Output, Messages]:
    """Put the guarded streams in place of sys.stdout and sys.stderr; returns them."""
    _expected.clear()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not is_utf(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ERRORS)
    out, err = Output(sys.stdout), Messages(sys.stderr)
    sys.stdout, sys.stderr = out, err
    return out, err


def silence_stdout() -> None:
    """After a failed write: point fd 1 at the null device so that Python's exit flush has nothing to fail on."""
    stream = sys.stdout
    inner = getattr(stream, "_stream", stream)
    try:
        fd = inner.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
