"""The cache's key and store: where entries live, what they are keyed by, reading and writing them.

A validated agreement is stored after a full load, so that the next run over the same bytes
needs neither PyYAML nor pydantic. An entry is used only if its key (file SHA-256, schema,
tool and code) and its own checksum match; anything else is a miss, never an error. The
column codec is :mod:`budget2024.cachecodec`, the rebuilt rows :mod:`budget2024.cacherows`;
the README's performance section ("The cache of validated agreements") has the long form.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from . import kinds
from .gcpause import gc_paused

if TYPE_CHECKING:
    from .model import Agreement

from . import cacherows as rows
from .cachecodec import (
    CorruptEntry,
    Decoder,
    Unsupported,
    _column_decoder,
    _Decoders,
    _encode,
    _encode_column,
    describe_classes,
)
from .cachecodec import describe as describe
from .cacherows import Record as Record
from .cacherows import dump

#: Set to anything but "" or "0" to turn the cache off.
ENV_NO_CACHE = "BUDGET_NO_CACHE"
#: The layout of an entry; part of the key.
CACHE_FORMAT = 2
MAGIC = b"budget2024-cache"
#: How many entries are kept; the oldest are removed when a new one is written.
MAX_ENTRIES = 16
#: An entry larger than this many times the data file (plus a margin) is not read.
_MAX_ENTRY_RATIO = 8
_MAX_HEADER = 1 << 20

#: What the last call of :func:`load_agreement` did: "hit", "miss", "stale", "corrupt", "refresh"
#: (a full load that rewrites the entry), or "off".
last_status = ""

# ----------------------------------------------------------------------------- where and when


#: Set for one run by ``budget --no-cache`` (see :func:`switch_off`).
_switched_off = False


def switch_off(off: bool) -> None:
    """Turn the cache off (or back on) for this process, as ``--no-cache`` does."""
    global _switched_off
    _switched_off = off


def disabled() -> bool:
    """True after ``--no-cache``, or when ``BUDGET_NO_CACHE`` is set to anything but "" or "0"."""
    return _switched_off or os.environ.get(ENV_NO_CACHE, "").strip() not in ("", "0")


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/budget2024``, else ``~/.cache/budget2024``; None without a home."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative path is ignored
        return Path(xdg) / "budget2024"
    home = os.environ.get("HOME") or os.path.expanduser("~")
    if not home or home == "~" or not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "budget2024"


def _debug(message: str) -> None:
    if os.environ.get("BUDGET_DEBUG"):
        sys.stderr.write(f"budget: cache: {message}\n")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    import stat

    from .errors import MAX_FILE_BYTES

    st = os.stat(path)  # a device, a pipe or a huge file is never read here; the full load refuses it
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
        raise OSError(f"not a regular file of at most {MAX_FILE_BYTES} bytes")
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size >= _SMALL:
            import hashlib

            return hashlib.file_digest(f, "sha256").hexdigest()
        h = _sha256(size)
        h.update(f.read())
        while chunk := f.read(1 << 20):  # it grew after fstat()
            h.update(chunk)
    return str(h.hexdigest())


#: Inputs smaller than this are hashed by the built-in SHA-256; larger ones by OpenSSL's.
_SMALL = 1 << 20  # where importing OpenSSL (3 ms) pays for its speed (6x the built-in one)


def _sha256(size: int) -> Any:
    """A SHA-256 hasher: the built-in one for small inputs (importing OpenSSL's takes longer
    than hashing a whole agreement), :mod:`hashlib`'s for large ones (several times faster)."""
    if size < _SMALL:
        for name in ("_sha2", "_sha256"):  # Python 3.12+ calls it _sha2
            try:
                return __import__(name).sha256()
            except ImportError:
                pass
    import hashlib

    return hashlib.sha256()


def code_fingerprint() -> str:
    """Size and modification time of every module of the package, hashed.

    An entry written by other code (an edited checkout, a reinstall) is not used.
    """
    root = Path(__file__).resolve().parent
    h = _sha256(0)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                full = os.path.join(dirpath, name)
                st = os.stat(full)
                h.update(f"{os.path.relpath(full, root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return str(h.hexdigest())


def identity(sha: str) -> dict[str, Any]:
    """Everything an entry must match to be used."""
    import budget2024

    return {
        "cache_format": CACHE_FORMAT,
        "schema_version": kinds.SCHEMA_VERSION,
        "tool_version": budget2024.__version__,
        "code": code_fingerprint(),
        "file_sha256": sha,
    }


def entry_path(directory: Path, ident: dict[str, Any]) -> Path:
    h = _sha256(0)
    h.update(json.dumps(ident, sort_keys=True).encode())
    return directory / f"{h.hexdigest()}.jsonl"


def _beside(directory: Path, data_file: Path) -> bool:
    """True when the cache directory is the data file's own directory."""
    try:
        return directory.resolve() == data_file.resolve().parent
    except OSError:
        return True


# ----------------------------------------------------------------------------- the entry point


#: Set by the command-line entry point, a process that ends after one command.
freeze_after_load = False


# ----------------------------------------------------------------------------- reading


def settle() -> None:
    """In a one-command process, exempt everything built so far from the cyclic collector.

    The agreement (millions of objects, no cycles) lives as long as the command; without this,
    each full collection scans all of it again (at 12,100 rows that was a quarter of a cold run).
    """
    if freeze_after_load:
        import gc

        gc.freeze()


#: Where a part of an entry is: (offset in the file, length, decoder).
_Part = tuple[int, int, "Decoder | None"]

class LazyAgreement:
    """The agreement rebuilt from a cache entry; each part is decoded when first used.

    Should a part fail to decode (which the checksum makes all but impossible), the file
    is loaded in full, that part is taken from the full load, and the entry is removed.
    """

    # the attributes of the agreement, made on first use by __getattr__ (mypy checks them against the views)
    schema_version: Literal[1]
    agreement: rows.Meta
    bodies: list[rows.Body]
    chapters: list[rows.Chapter]
    sections: list[rows.Section]
    initiatives: list[rows.Initiative]
    lines: list[rows.Line]
    discrepancies: list[rows.Discrepancy]
    stated_figures: list[rows.StatedFigure]
    tax_rates: list[rows.TaxRate]
    strategy: rows.Strategy | None
    key_figures: dict[str, rows.KeyFigure]

    def __init__(self, f: IO[bytes], blobs: dict[str, _Part], tables: dict[str, tuple[int, type[rows.RowRecord],
                 dict[str, _Part]]], order: list[str], entry: Path, data_file: Path, sha: str) -> None:
        d = self.__dict__
        d["_file"] = f
        d["_blobs"] = dict(blobs)
        d["_columns"] = {name: parts for name, (_, _, parts) in tables.items()}
        d["_tables"] = {name: rows.Table(self, name, n, model) for name, (n, model, _) in tables.items()}
        d["_fields"] = tuple(order)
        d["_unread"] = len(blobs) + sum(len(parts) for _, _, parts in tables.values())
        d["_entry"] = entry
        d["_data_file"] = data_file
        d["_sha"] = sha
        d["_full"] = None
        d["_closer"] = weakref.finalize(self, f.close)

    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        if name in d["_tables"]:
            value = d["_tables"][name].rows()
        elif name in d["_blobs"]:
            value = self._read_part(d["_blobs"].pop(name))
            if value is _FAILED:
                value = getattr(self._full_load(), name)
        else:
            raise AttributeError(name)
        d[name] = value
        return value

    def column(self, table: str, col: str, n: int) -> list[Any]:
        """One column of a table, decoded (a row view reads it on first use)."""
        values = self._read_part(self.__dict__["_columns"][table][col])
        if type(values) is list and len(values) == n:
            return values
        full = [getattr(row, col) for row in getattr(self._full_load(), table)]
        if len(full) != n:
            self._changed()
        return full

    def _read_part(self, part: _Part) -> Any:
        d = self.__dict__
        offset, length, dec = part
        try:
            f = d["_file"]
            f.seek(offset)
            text = f.read(length).decode("ascii")
            with gc_paused(settle):
                value = json.loads(text)
                del text
                if dec is not None and value is not None:
                    value = dec(value)
        except Exception as exc:  # noqa: BLE001 - any failure means the entry is not trusted
            _debug(f"corrupt entry {d['_entry']} ({type(exc).__name__}: {exc}); loading in full")
            return _FAILED
        finally:
            d["_unread"] -= 1
            if d["_unread"] <= 0:
                d["_closer"]()
        return value

    def _full_load(self) -> Any:
        global last_status
        d = self.__dict__
        full = d["_full"]
        if full is None:
            from .filebytes import read_bytes, sha256
            from .load import load

            last_status = "corrupt"
            with contextlib.suppress(OSError):
                os.unlink(d["_entry"])
            data_file = d["_data_file"]
            raw = read_bytes(data_file, str(data_file))
            if sha256(raw) != d["_sha"]:  # the parts already decoded came from other bytes
                self._changed()
            full = load(data_file, raw=raw)
            del raw
            d["_full"] = full
            directory = cache_dir()
            if directory is not None and not disabled():  # the bad entry is replaced by a good one
                write_entry(directory, data_file, identity(d["_sha"]), full)
        return full

    def _changed(self) -> None:
        from .errors import LoadError, Problem

        raise LoadError([Problem(str(self.__dict__["_data_file"]), 0, 0,
                                 "the file changed while it was being read", None, "run the command again")])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the agreement is read-only")

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        as_json = mode == "json"
        return {f: dump(getattr(self, f), as_json) for f in self.__dict__["_fields"]}


class _Failed:
    """What a part that failed to decode reads as; never a valid value."""


_FAILED: Any = _Failed()


def read_entry(entry: Path, ident: dict[str, Any], data_file: Path, data_size: int | None = None
               ) -> LazyAgreement | None:
    """The agreement in ``entry`` if the entry is intact and matches ``ident``; else None.

    The entry is opened without blocking and used only if it is a regular file (a FIFO or a
    device put at its path is a miss, never a hang)."""
    import stat

    global last_status
    try:
        fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        last_status = "miss"
        _debug(f"miss {entry}")
        return None
    except OSError as exc:
        last_status = "miss"
        _debug(f"cannot read {entry}: {exc}")
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        last_status = "miss"
        return None
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        last_status = "miss"
        _debug(f"not a regular file: {entry}")
        return None
    f = os.fdopen(fd, "rb")  # kept open by the LazyAgreement, which closes it
    try:
        size = st.st_size
        if data_size is None:
            data_size = os.stat(data_file).st_size
        limit = _MAX_ENTRY_RATIO * data_size + (1 << 20)
        if size > limit:
            raise CorruptEntry(f"{size} bytes")
        first = f.readline(200).split()
        if len(first) != 3 or first[0] != MAGIC or first[1] != str(CACHE_FORMAT).encode():
            raise CorruptEntry("not a budget2024 cache entry")
        h = _sha256(size)
        header_line = f.readline(_MAX_HEADER)
        h.update(header_line)
        start = f.tell()
        while chunk := f.read(1 << 20):
            h.update(chunk)
        if h.hexdigest().encode() != first[2]:
            raise CorruptEntry("checksum mismatch")
        header = json.loads(header_line)
        if not isinstance(header, dict):
            raise CorruptEntry("header")
        for key, value in ident.items():
            if header.get(key) != value:
                # written for other bytes, another version or other code
                f.close()
                last_status = "stale"
                _debug(f"stale {entry} ({key})")
                return None
        # the entry's description of the schema must be the installed code's own, and every part is
        # decoded by the trusted schema (cacheschema.py), never by what the entry says of itself
        from .cacheschema import MODELS, ROOT

        if header.get("models") != MODELS:
            raise CorruptEntry("the entry describes another schema")
        decoders = _Decoders(MODELS)
        table_rows = header["tables"]
        if type(table_rows) is not dict:
            raise CorruptEntry("tables")
        blobs: dict[str, _Part] = {}
        columns: dict[str, dict[str, _Part]] = {}
        order: list[str] = []
        offset = start
        for part in header["parts"]:
            name, col, spec, length = part
            if type(name) is not str or name not in ROOT or type(length) is not int or length < 0:
                raise CorruptEntry("parts")
            if name not in order:
                order.append(name)
            if col is None and name not in table_rows and name not in blobs:
                if spec != ROOT[name]:
                    raise CorruptEntry(f"the spec of {name}")
                blobs[name] = (offset, length, decoders.compile(spec))
            elif type(col) is str and name in table_rows and col not in columns.get(name, {}):
                model = table_rows[name][1]
                if ROOT[name] != ["l", ["o", model]]:
                    raise CorruptEntry(f"table {name}")
                desc = MODELS[model]
                want = desc["fields"].get(col, desc["props"].get(col))
                if want is None or spec != want:
                    raise CorruptEntry(f"the spec of {name}.{col}")
                columns.setdefault(name, {})[col] = (offset, length, _column_decoder(spec, decoders.compile(spec)))
            else:
                raise CorruptEntry("parts")
            offset += length
        if offset != size:
            raise CorruptEntry("length")
        if set(order) != set(ROOT):
            raise CorruptEntry("fields")
        tables: dict[str, Any] = {}
        for name, (n, model) in table_rows.items():
            fields, props = decoders.description(model)
            if type(n) is not int or n < 0 or set(columns.get(name, {})) != {*fields, *props}:
                raise CorruptEntry(f"table {name}")
            row_class = rows.RECORDS.get(model) if type(model) is str else None
            if row_class is None or not issubclass(row_class, rows.RowRecord):
                raise CorruptEntry(f"table {name}")
            tables[name] = (n, row_class, columns[name])
        return LazyAgreement(f, blobs, tables, order, entry, data_file, ident["file_sha256"])
    except Exception as exc:  # noqa: BLE001 - a bad entry is never an error
        f.close()
        last_status = "corrupt"
        _debug(f"corrupt entry {entry} ({type(exc).__name__}: {exc})")
        return None


# ----------------------------------------------------------------------------- writing


def write_entry(directory: Path, data_file: Path, ident: dict[str, Any], agreement: Agreement) -> Path | None:
    """Store a validated agreement; any failure leaves the cache as it was (and is not an error)."""
    import hashlib
    import tempfile

    if _beside(directory, data_file):
        _debug(f"not writing beside the data file ({directory})")
        return None
    tmp: str | None = None
    try:
        from .cacheschema import MODELS, ROOT

        root, models, classes = describe_classes(type(agreement))
        if (root, models) != (ROOT, MODELS):  # the reader would refuse the entry
            raise Unsupported("the models differ from cacheschema.py; regenerate it")
        blobs: list[bytes] = []
        parts: list[list[Any]] = []
        tables: dict[str, list[Any]] = {}

        def add(name: str, col: str | None, spec: Any, plain: Any) -> None:
            blob = json.dumps(plain, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")
            blobs.append(blob + b"\n")
            parts.append([name, col, spec, len(blob) + 1])

        for name, spec in root.items():
            value = getattr(agreement, name)
            if spec[0] == "l" and isinstance(spec[1], list) and spec[1][0] == "o" and isinstance(value, list):
                model = spec[1][1]
                tables[name] = [len(value), model]
                desc = models[model]
                for col, cspec in [*desc["fields"].items(), *desc["props"].items()]:
                    with gc_paused(settle):
                        plain = _encode_column(value, col, cspec, models, classes)
                    add(name, col, cspec, plain)
            else:
                with gc_paused(settle):
                    plain = _encode(value, spec, models, classes)
                add(name, None, spec, plain)
        header = json.dumps({**ident, "models": models, "tables": tables, "parts": parts}, ensure_ascii=True,
                            separators=(",", ":")).encode("ascii") + b"\n"
        h = hashlib.sha256(header)
        for blob in blobs:
            h.update(blob)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".jsonl")
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + b" " + str(CACHE_FORMAT).encode() + b" " + h.hexdigest().encode() + b"\n")
            out.write(header)
            for blob in blobs:
                out.write(blob)
        entry = entry_path(directory, ident)
        os.replace(tmp, entry)
        tmp = None
        _debug(f"stored {entry}")
        _prune(directory, keep=entry)
        return entry
    except Exception as exc:  # noqa: BLE001 - an unwritable cache must never fail a command
        _debug(f"not stored ({type(exc).__name__}: {exc})")
        return None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _is_own_entry(p: Path) -> bool:
    """True for a file this tool wrote: a name of 64 hex digits and ``.jsonl``, and the magic line.

    Any other file in the cache directory (a user's own ``notes.jsonl``) is never touched."""
    import stat

    name = p.name
    if len(name) != 70 or not name.endswith(".jsonl") or not all(c in "0123456789abcdef" for c in name[:64]):
        return False
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return os.read(fd, len(MAGIC) + 1) == MAGIC + b" "
    except OSError:
        return False
    finally:
        os.close(fd)


def _prune(directory: Path, keep: Path) -> None:
    """Keep the newest :data:`MAX_ENTRIES` of the tool's own entries; remove nothing else."""
    entries: list[tuple[float, Path]] = []
    for p in directory.glob("*.jsonl"):
        if not _is_own_entry(p):
            continue
        try:
            entries.append((p.lstat().st_mtime, p))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, p in entries[MAX_ENTRIES:]:
        if p != keep:
            with contextlib.suppress(OSError):
                p.unlink()


def iter_entries(directory: Path) -> Iterator[Path]:
    """The tool's own entries in a cache directory (for tests and housekeeping)."""
    return iter(sorted(p for p in directory.glob("*.jsonl") if _is_own_entry(p)))


if TYPE_CHECKING:  # mypy checks that the cache's rows satisfy the views that reports read
    from . import views

    def _satisfies_views(a: LazyAgreement) -> views.Agreement:
        return a
