"""Read an input file's bytes once, refusing what is missing, too large or not a regular file.

Every file the tool reads (the agreement, a figures overlay) is read here exactly once; the
same bytes are then hashed (for the cache), decoded and parsed, so that a file that changes
while it is being read can never be hashed as one version and parsed as another. Light: no
PyYAML, no pydantic (a cached run needs neither).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import MAX_FILE_BYTES, LoadError, Problem
from .i18n import T_, Count, os_reason

#: Files larger than this are refused without being read.
MAX_BYTES = MAX_FILE_BYTES


def _whole(display: str, msg: str, expected: str, hint: str) -> LoadError:
    return LoadError([Problem(display, 0, 0, msg, expected, hint)])


def given_by(option: str, variable: str | None = None) -> str:
    """Where a path came from, for the hint of a file that is not found: "--file or BUDGET_FILE"."""
    return option if variable is None else T_("{first} or {second}", first=option, second=variable)


#: Where the path of an agreement comes from.
AGREEMENT_GIVEN = given_by("--file", "BUDGET_FILE")


def read_bytes(path: Path, display: str, given: str = AGREEMENT_GIVEN) -> bytes:
    """The bytes of ``path``, read once; :class:`LoadError` for a file that cannot be used. ``given``
    names where the path came from (``--figures``), for the hint.

    Standard input (``-``) and a named pipe (``<(git show REV:FILE)``) are read whole, once per
    command (see :func:`budget2024.paths.stream_bytes`); a device or a socket is refused."""
    from .paths import STDIN, is_stream, stream_bytes

    if is_stream(path):
        try:
            data = stream_bytes(path, MAX_BYTES)
        except OSError as exc:
            raise _whole(display, T_("cannot read {what}: {reason}",
                                     what=T_("standard input") if str(path) == STDIN else T_("the pipe"),
                                     reason=os_reason(exc)),
                         T_("a readable YAML stream"), T_("check the command that writes it")
                         ) from None
        if len(data) > MAX_BYTES:
            raise _whole(display, T_("the input is over {limit} bytes; such inputs are refused",
                                     limit=Count(MAX_BYTES)),
                         T_("an agreement file of a sane size"), T_("is this the right input?"))
        return data
    try:
        # O_NONBLOCK: a FIFO or a device at the path must not make the command hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise _whole(display, T_("file not found"), T_("an existing YAML file"),
                     T_("check the path given with {option}", option=given)) from None
    except NotADirectoryError:
        raise _whole(display, T_("file not found: a part of the path is a file, not a directory"),
                     T_("an existing YAML file"), T_("check the path given with {option}", option=given)) from None
    except IsADirectoryError:
        raise _whole(display, T_("this is a directory, not a file"), T_("a YAML file"),
                     T_("name the file itself, e.g. data/agreement.yaml")) from None
    except PermissionError:
        if path.is_dir():
            raise _whole(display, T_("this is a directory, not a file"), T_("a YAML file"),
                         T_("name the file itself, e.g. data/agreement.yaml")) from None
        raise _whole(display, T_("permission denied: the file cannot be read"), T_("a readable file"),
                     T_("check the file's permissions, or copy it somewhere you can read it")) from None
    except (OSError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise _whole(display, T_("cannot read the file: {reason}", reason=reason),
                     T_("a readable YAML file"), T_("check the path given with {option}", option=given)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _whole(display, T_("this is a directory, not a file"), T_("a YAML file"),
                         T_("name the file itself, e.g. data/agreement.yaml"))
        if not stat.S_ISREG(st.st_mode):
            raise _whole(display, T_("this is not a regular file (a device or a socket)"),
                         T_("a YAML file or a pipe"),
                         T_("save the agreement to a file and name that file, or pipe it in with --file -"))
        if st.st_size > MAX_BYTES:
            raise _whole(display, T_("the file is {size} bytes; files over {limit} bytes are refused without "
                                     "being read", size=Count(st.st_size), limit=Count(MAX_BYTES)),
                         T_("an agreement file of a sane size (the shipped one is about 200 kB)"),
                         T_("is this the right file?"))
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, min(MAX_BYTES + 1 - total, max(st.st_size - total, 0) + (1 << 16)))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except IsADirectoryError:
        raise _whole(display, T_("this is a directory, not a file"), T_("a YAML file"),
                     T_("name the file itself, e.g. data/agreement.yaml")) from None
    except OSError as exc:
        raise _whole(display, T_("cannot read the file: {reason}", reason=os_reason(exc)),
                     T_("a readable YAML file"),
                     T_("check the file and try again")) from None
    finally:
        os.close(fd)
    if total > MAX_BYTES:  # it grew after fstat()
        raise _whole(display, T_("the file is over {limit} bytes; such files are refused", limit=Count(MAX_BYTES)),
                     T_("an agreement file of a sane size"), T_("is this the right file?"))
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def sha256(raw: bytes) -> str:
    """The SHA-256 of ``raw``: the built-in hasher for small inputs, OpenSSL's for large ones."""
    if len(raw) < (1 << 20):
        try:
            from _sha2 import sha256 as small  # type: ignore[import-not-found]
        except ImportError:
            try:
                from _sha256 import sha256 as small  # type: ignore[import-not-found]
            except ImportError:
                small = None
        if small is not None:
            return str(small(raw).hexdigest())
    import hashlib

    return hashlib.sha256(raw).hexdigest()
