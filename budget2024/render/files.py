"""Files and folders written on request (``--output FILE``, an export folder): atomically, and
never over an existing one without ``force``.

A file is written to a temporary file beside its destination and renamed into place
(:func:`os.replace`), so that a reader never sees half a file and an interrupted run leaves
nothing behind. A folder is built as a temporary folder beside its destination and renamed
into place the same way; with ``force``, an existing folder is first moved aside and removed
only once the new one is in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..i18n import T_, Text, os_reason


class OutputExists(Exception):
    """The destination exists and ``force`` was not given."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(T_("{path} already exists", path=str(path)))
        self.path = path
        self.what = what  # "file" or "folder"


class OutputError(Exception):
    """The destination cannot be written (no such parent folder, a folder where a file should
    go, no permission, …). ``written`` is True when writing itself failed (a full disk, no
    permission: exit 74, as for stdout), False when the destination named is wrong (exit 2)."""

    def __init__(self, message: Text, *, written: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.written = written

    def __str__(self) -> str:
        return self.message.shown()


def _cannot_write(path: Path, exc: OSError) -> Text:
    return T_("cannot write {path}: {reason}", path=str(path), reason=os_reason(exc))


def _check_parent(path: Path) -> Path:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(T_("cannot write {path}: the folder {parent} does not exist", path=str(path),
                             parent=str(parent)), written=False)
    return parent


def write_file(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; an existing file is replaced only with ``force``."""
    if path.is_dir():
        raise OutputError(T_("cannot write {path}: it is a folder", path=str(path)), written=False)
    if (path.exists() or path.is_symlink()) and not force:
        raise OutputExists(path, "file")
    parent = _check_parent(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(_cannot_write(path, exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(_cannot_write(path, exc)) from None
        raise


def write_folder(path: Path, fill: Callable[[Path], None], *, force: bool = False) -> None:
    """Build a folder with ``fill(tmp_folder)`` and move it to ``path`` in one rename.

    An existing ``path`` is replaced only with ``force`` (and only if it is a folder); if
    anything fails, ``path`` is left as it was and the temporary folder is removed.
    """
    if path.exists() or path.is_symlink():
        if not force:
            raise OutputExists(path, "folder")
        if not path.is_dir() or path.is_symlink():
            raise OutputError(T_("cannot replace {path}: it is not a folder", path=str(path)), written=False)
    parent = _check_parent(path)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(_cannot_write(path, exc)) from None
    old: Path | None = None
    try:
        fill(tmp)
        os.chmod(tmp, 0o777 & ~_umask())
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.replace(path, old)
        os.replace(tmp, path)
    except BaseException as exc:
        if old is not None and not path.exists():
            os.replace(old, path)  # put the previous folder back
            old = None
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(_cannot_write(path, exc)) from None
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
