"""A cache of validated agreements, so that a second run needs neither PyYAML nor pydantic.

After a successful full load (YAML → pydantic → checks), the validated agreement is
written to the user's cache directory (``$XDG_CACHE_HOME/budget2024``, by default
``~/.cache/budget2024``), never beside the data file. The next run that reads the same
bytes rebuilds the agreement from the entry with :mod:`json` alone.

An entry is used only when everything it was made from is unchanged:

* the SHA-256 of the agreement file's bytes,
* the schema version, the tool version, and a fingerprint of the installed code
  (size and modification time of every module, as Python checks its ``.pyc`` files),
* the entry's own SHA-256 checksum, which covers every byte after its first line.

Anything else (a changed file, another version, a truncated, garbled or foreign entry)
is a miss: the file is loaded in full, as without a cache, and the entry is rewritten.
A bad entry is never an error and never trusted. ``--no-cache`` or
``BUDGET_NO_CACHE=1`` turns the cache off (neither read nor written).

The entry format (JSON lines, ASCII)::

    budget2024-cache 1 <sha256 of the rest of the file>
    {"schema_version": 1, "tool_version": ..., "file_sha256": ..., "models": ..., "fields": ...}
    <one JSON document per top-level key of the agreement, in the order of "fields">

``models`` describes, for every model of the schema, which fields need converting back
from JSON (enums, dates, integer years as keys, nested models); it is derived from the
pydantic schema when the entry is written, so the reader needs no schema of its own.
The reader decodes a top-level key only when a report first asks for it: ``budget
totals`` never decodes the initiatives.

The rebuilt objects (:class:`Record`) have the attributes of the pydantic models, with
the same values and types (``kind`` is a :class:`~budget2024.kinds.Kind`, ``amounts``
has integer keys, ``signed`` is a date), and computed properties such as
``Meta.years`` are stored with them. They are read-only.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import weakref
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import kinds
from .paths import resolve_file

if TYPE_CHECKING:
    from .model import Agreement

#: Set to anything but "" or "0" to turn the cache off.
ENV_NO_CACHE = "BUDGET_NO_CACHE"
#: The layout of an entry; part of the key.
CACHE_FORMAT = 1
MAGIC = b"budget2024-cache"
#: How many entries are kept; the oldest are removed when a new one is written.
MAX_ENTRIES = 16
#: An entry larger than this many times the data file (plus a margin) is not read.
_MAX_ENTRY_RATIO = 8
_MAX_HEADER = 1 << 20

#: What the last call of :func:`load_agreement` did: "hit", "miss", "stale", "corrupt", "refresh"
#: (a full load that rewrites the entry), or "off".
last_status = ""

Decoder = Callable[[Any], Any]


class Unsupported(Exception):
    """The schema has a type the cache cannot store faithfully; nothing is cached."""


class CorruptEntry(ValueError):
    """A cache entry that does not describe the data it claims to."""


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
    from .paths import is_stream, stream_bytes

    if is_stream(path):  # standard input or a pipe: the bytes read once (the load reads the same ones)
        data = stream_bytes(path, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            raise OSError(f"over {MAX_FILE_BYTES} bytes")
        h = _sha256(len(data))
        h.update(data)
        return str(h.hexdigest())
    st = os.stat(path)  # a device or a huge file is never read here; the full load refuses it
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
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]

            return sha256()
        except ImportError:  # Python 3.12+ calls it _sha2
            try:
                from _sha2 import sha256  # type: ignore[import-not-found]

                return sha256()
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


def load_agreement(option: Path | None, *, use_cache: bool = True, trust_cache: bool = True) -> Agreement:
    """Load the agreement ``--file``/``BUDGET_FILE``/shipped file names, from the cache if it can.

    ``use_cache=False`` neither reads nor writes the cache (``--no-cache``);
    ``trust_cache=False`` always loads in full but refreshes the entry (``budget validate``).
    A miss, or any problem with the cache, falls back to :func:`budget2024.load.load`.
    """
    global last_status
    path = resolve_file(option)
    directory = cache_dir() if use_cache and not disabled() else None
    sha: str | None = None
    last_status = "off"
    if directory is not None:
        try:
            sha = file_sha256(path)
        except OSError:
            sha = None  # the full load reports a missing or unreadable file properly
    if directory is not None and sha is not None:
        if trust_cache:
            ident = identity(sha)
            entry = entry_path(directory, ident)
            cached = read_entry(entry, ident, path)
            if cached is not None:
                last_status = "hit"
                _debug(f"hit {entry}")
                settle()
                return cached  # type: ignore[return-value]  # a read-only copy with the same attributes
        else:
            last_status = "refresh"
    from .load import load

    agreement = load(path)
    settle()
    if directory is not None and sha is not None:
        # store only what was read from the bytes that were hashed
        try:
            unchanged = file_sha256(path) == sha
        except OSError:
            unchanged = False
        if unchanged:
            write_entry(directory, path, identity(sha), agreement)
    return agreement


# ----------------------------------------------------------------------------- reading


class Record:
    """A read-only record with the attributes (and values) of the pydantic model it was made from.

    Nested models are records backed by a dict. The rows of the top-level lists
    (``lines``, ``initiatives``, …) are stored column by column, and each row is a
    view whose attributes read the columns, so that a column is decoded only when some
    report first reads it.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _props: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Record) and type(other).__name__ == type(self).__name__
                and other._values() == self._values())

    def __hash__(self) -> int:
        return hash((type(self).__name__, getattr(self, "id", None)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as plain data, like pydantic's ``model_dump`` (``mode="json"`` for JSON types)."""
        as_json = mode == "json"
        return {f: _dump(getattr(self, f), as_json) for f in self._fields}


class _DictRecord(Record):
    """A record whose attributes are its ``__dict__`` (decoded at once)."""


class _RowRecord(Record):
    """A row of a :class:`_Table`; its attributes are :class:`_Column` descriptors of its class."""

    __slots__ = ("_i",)


_set_row_index = _RowRecord._i.__set__  # type: ignore[attr-defined]  # the slot, past __setattr__


class _Column:
    """The attribute of a row view: the row's value in a column, decoded on first use."""

    __slots__ = ("table", "name", "values")

    def __init__(self, table: _Table, name: str) -> None:
        self.table = table
        self.name = name
        self.values: list[Any] | None = None

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        values = self.values
        if values is None:
            values = self.values = self.table.column(self.name)
        return values[obj._i]


def _dump(value: Any, as_json: bool) -> Any:
    if isinstance(value, Record | LazyAgreement):
        return value.model_dump(mode="json" if as_json else "python")
    if isinstance(value, list):
        return [_dump(v, as_json) for v in value]
    if isinstance(value, dict):
        return {(str(k) if as_json else k): _dump(v, as_json) for k, v in value.items()}
    if as_json:
        if isinstance(value, Enum):
            return value.value
        if hasattr(value, "isoformat"):
            return value.isoformat()
    return value


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are built;
    it would otherwise scan them again and again, in time that grows faster than the data."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            settle()
            gc.enable()


def settle() -> None:
    """In a one-command process, exempt everything built so far from the cyclic collector.

    The agreement (millions of objects, no cycles) lives as long as the command; without this,
    each full collection scans all of it again (at 12,100 rows that was a quarter of a cold run).
    """
    if freeze_after_load:
        import gc

        gc.freeze()


class _Decoders:
    """Decoders from JSON to records, compiled from the ``models`` description of an entry."""

    def __init__(self, models: dict[str, Any]) -> None:
        if not isinstance(models, dict):
            raise CorruptEntry("models")
        self.models = models
        self.compiled: dict[str, Decoder] = {}

    def description(self, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        desc = self.models.get(name)
        if not isinstance(desc, dict) or not isinstance(desc.get("fields"), dict) \
                or not isinstance(desc.get("props"), dict):
            raise CorruptEntry(f"model {name!r}")
        return desc["fields"], desc["props"]

    def compile(self, spec: Any) -> Decoder | None:
        """A function from a JSON value to the model's value; None when the JSON value is it."""
        if spec == "a":
            return None
        if spec == "d":
            import datetime as dt

            return dt.date.fromisoformat
        if not isinstance(spec, list) or not spec:
            raise CorruptEntry(f"spec {spec!r}")
        tag = spec[0]
        if tag == "e":
            enum = getattr(kinds, spec[1])
            if not (isinstance(enum, type) and issubclass(enum, Enum)):
                raise CorruptEntry(f"enum {spec[1]!r}")
            members: dict[Any, Any] = {m.value: m for m in enum}
            return members.__getitem__
        if tag == "l":
            item = self.compile(spec[1])
            if item is None:
                return _check_list
            return lambda v: [None if x is None else item(x) for x in _check_list(v)]
        if tag == "m":
            value = self.compile(spec[1])
            if spec[2]:  # integer keys (years), stored as [[key, value], ...]
                if value is None:
                    return lambda v: dict(_check_list(v))
                return lambda v: {k: None if x is None else value(x) for k, x in _check_list(v)}
            if value is None:
                return _check_dict
            return lambda v: {k: None if x is None else value(x) for k, x in _check_dict(v).items()}
        if tag == "o":
            return self.model(spec[1])
        if tag == "u":
            model = self.model(spec[1])
            return lambda v: model(v) if type(v) is dict else v
        raise CorruptEntry(f"spec {spec!r}")

    def model(self, name: str) -> Decoder:
        found = self.compiled.get(name)
        if found is not None:
            return found
        fields, props = self.description(name)
        cls = type(name, (_DictRecord,), {"_fields": tuple(fields), "_props": tuple(props),
                                          "__module__": __name__, "__qualname__": name})
        # a placeholder breaks recursion while the field decoders are compiled
        self.compiled[name] = lambda v: self.compiled[name](v)
        converters = [(f, dec) for f, s in fields.items() if (dec := self.compile(s)) is not None]
        prop_converters = [(p, self.compile(s)) for p, s in props.items()]
        field_names = frozenset(fields)
        new = object.__new__
        set_dict = object.__setattr__

        def decode(d: Any) -> Record:
            if type(d) is not dict:
                raise CorruptEntry(f"{name}: not a mapping")
            extra = d.pop("__props__", None) if prop_converters else None
            if d.keys() != field_names:
                raise CorruptEntry(f"{name}: fields {sorted(d)}")
            for f, dec in converters:
                v = d[f]
                if v is not None:
                    d[f] = dec(v)
            if prop_converters:
                if type(extra) is not dict:
                    raise CorruptEntry(f"{name}: properties")
                for p, pdec in prop_converters:
                    v = extra[p]
                    d[p] = v if v is None or pdec is None else pdec(v)
            obj: Record = new(cls)
            set_dict(obj, "__dict__", d)
            return obj

        self.compiled[name] = decode
        return decode


def _check_list(v: Any) -> list[Any]:
    if type(v) is not list:
        raise CorruptEntry("not a list")
    return v


def _check_dict(v: Any) -> dict[str, Any]:
    if type(v) is not dict:
        raise CorruptEntry("not a mapping")
    return v


def _column_decoder(spec: Any, value: Decoder | None) -> Decoder:
    """A column is the list of one field's values, one per row."""
    if value is None:
        return _check_list
    if spec == ["m", "a", True]:  # amounts by year, the bulk of the rows: no call per row
        return lambda col: [None if v is None else dict(v) for v in _check_list(col)]
    if isinstance(spec, list) and spec[0] == "e":
        members = {m.value: m for m in getattr(kinds, spec[1])}
        return lambda col: [None if v is None else members[v] for v in _check_list(col)]
    return lambda col: [None if v is None else value(v) for v in _check_list(col)]


#: Where a part of an entry is: (offset in the file, length, decoder).
_Part = tuple[int, int, "Decoder | None"]


class _Table:
    """The rows of a top-level list of the agreement, stored column by column."""

    def __init__(self, owner: LazyAgreement, name: str, n: int, model: str, fields: tuple[str, ...],
                 props: tuple[str, ...], parts: dict[str, _Part]) -> None:
        self.owner = owner
        self.name = name
        self.n = n
        self.parts = parts
        attrs: dict[str, Any] = {"__slots__": (), "_fields": fields, "_props": props,
                                 "__module__": __name__, "__qualname__": model}
        for col in (*fields, *props):
            attrs[col] = _Column(self, col)
        self.cls = type(model, (_RowRecord,), attrs)

    def rows(self) -> list[Record]:
        cls = self.cls
        new = object.__new__
        out = []
        for i in range(self.n):
            row: Record = new(cls)
            _set_row_index(row, i)
            out.append(row)
        return out

    def column(self, col: str) -> list[Any]:
        values = self.owner._read_part(self.parts[col])
        if type(values) is list and len(values) == self.n:
            return values
        full = [getattr(row, col) for row in getattr(self.owner._full_load(), self.name)]
        if len(full) != self.n:
            self.owner._changed()
        return full


class LazyAgreement:
    """The agreement rebuilt from a cache entry; each part is decoded when first used.

    Should a part fail to decode (which the checksum makes all but impossible), the file
    is loaded in full, that part is taken from the full load, and the entry is removed.
    """

    def __init__(self, f: IO[bytes], blobs: dict[str, _Part], tables: dict[str, tuple[int, str, tuple[str, ...],
                 tuple[str, ...], dict[str, _Part]]], order: list[str], entry: Path, data_file: Path,
                 sha: str) -> None:
        d = self.__dict__
        d["_file"] = f
        d["_blobs"] = dict(blobs)
        d["_tables"] = {name: _Table(self, name, *spec) for name, spec in tables.items()}
        d["_fields"] = tuple(order)
        d["_unread"] = len(blobs) + sum(len(t.parts) for t in d["_tables"].values())
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

    def _read_part(self, part: _Part) -> Any:
        d = self.__dict__
        offset, length, dec = part
        try:
            f = d["_file"]
            f.seek(offset)
            text = f.read(length).decode("ascii")
            with _gc_paused():
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
            from .load import load

            last_status = "corrupt"
            with contextlib.suppress(OSError):
                os.unlink(d["_entry"])
            try:
                same = file_sha256(d["_data_file"]) == d["_sha"]
            except OSError:
                same = False
            if not same:
                self._changed()
            full = load(d["_data_file"])
            d["_full"] = full
        return full

    def _changed(self) -> None:
        from .errors import LoadError, Problem

        raise LoadError([Problem(str(self.__dict__["_data_file"]), 0, 0,
                                 "the file changed while it was being read", None, "run the command again")])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the agreement is read-only")

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        as_json = mode == "json"
        return {f: _dump(getattr(self, f), as_json) for f in self.__dict__["_fields"]}


class _Failed:
    """What a part that failed to decode reads as; never a valid value."""


_FAILED: Any = _Failed()


def _data_size(data_file: Path) -> int:
    from .paths import _streams

    if str(data_file) in _streams:
        return len(_streams[str(data_file)])
    return os.stat(data_file).st_size


def read_entry(entry: Path, ident: dict[str, Any], data_file: Path) -> LazyAgreement | None:
    """The agreement in ``entry`` if the entry is intact and matches ``ident``; else None."""
    global last_status
    try:
        f = open(entry, "rb")  # noqa: SIM115 - kept open by the LazyAgreement, which closes it
    except FileNotFoundError:
        last_status = "miss"
        _debug(f"miss {entry}")
        return None
    except OSError as exc:
        last_status = "miss"
        _debug(f"cannot read {entry}: {exc}")
        return None
    try:
        size = os.fstat(f.fileno()).st_size
        limit = _MAX_ENTRY_RATIO * _data_size(data_file) + (1 << 20)
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
        decoders = _Decoders(header["models"])
        table_rows: dict[str, Any] = header["tables"]
        blobs: dict[str, _Part] = {}
        columns: dict[str, dict[str, _Part]] = {}
        order: list[str] = []
        offset = start
        for name, col, spec, length in header["parts"]:
            if not isinstance(name, str) or not isinstance(length, int) or length < 0:
                raise CorruptEntry("parts")
            if name not in order:
                order.append(name)
            if col is None:
                blobs[name] = (offset, length, decoders.compile(spec))
            elif isinstance(col, str) and name in table_rows:
                columns.setdefault(name, {})[col] = (offset, length, _column_decoder(spec, decoders.compile(spec)))
            else:
                raise CorruptEntry("parts")
            offset += length
        if offset != size:
            raise CorruptEntry("length")
        tables: dict[str, Any] = {}
        for name, (n, model) in table_rows.items():
            fields, props = decoders.description(model)
            if not isinstance(n, int) or set(columns.get(name, {})) != {*fields, *props}:
                raise CorruptEntry(f"table {name}")
            tables[name] = (n, model, tuple(fields), tuple(props), columns[name])
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
        root, models = describe(type(agreement))
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
                    with _gc_paused():
                        plain = _encode_column(value, col, cspec, models)
                    add(name, col, cspec, plain)
            else:
                with _gc_paused():
                    plain = _encode(value, spec, models)
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


def _prune(directory: Path, keep: Path) -> None:
    entries: list[tuple[float, Path]] = []
    for p in directory.glob("*.jsonl"):
        try:
            entries.append((p.stat().st_mtime, p))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, p in entries[MAX_ENTRIES:]:
        if p != keep:
            with contextlib.suppress(OSError):
                p.unlink()


def _encode_column(rows: list[Any], col: str, spec: Any, models: dict[str, Any]) -> list[Any]:
    """One attribute of every row, encoded; plain values in one pass (the common, large case)."""
    from operator import attrgetter

    values = list(map(attrgetter(col), rows))
    if spec == "a":
        if not {type(v) for v in values} <= _PLAIN_OR_NONE:
            raise Unsupported("a value that is not plain")
        return values
    if spec[0] == "m" and spec[1] == "a" and spec[2]:  # {year: amount}, as the amounts of each row
        out: list[Any] = []
        for v in values:
            if v is None:
                out.append(None)
                continue
            if not ({type(k) for k in v} <= {int} and {type(x) for x in v.values()} <= _PLAIN_OR_NONE):
                raise Unsupported("a mapping that is not of years to plain values")
            out.append([[k, x] for k, x in v.items()])
        return out
    return [_encode(v, spec, models) for v in values]


def _encode(value: Any, spec: Any, models: dict[str, Any]) -> Any:
    if value is None:
        return None
    if spec == "a":
        if type(value) not in _PLAIN:
            raise Unsupported(f"{type(value).__name__} value")
        return value
    if spec == "d":
        return value.isoformat()
    tag = spec[0]
    if tag == "e":
        return value.value
    if tag == "l":
        return [_encode(v, spec[1], models) for v in value]
    if tag == "m":
        if spec[2]:
            if not all(type(k) is int for k in value):
                raise Unsupported("a mapping key that is not a year")
            return [[k, _encode(v, spec[1], models)] for k, v in value.items()]
        if not all(type(k) is str for k in value):
            raise Unsupported("a mapping key that is not text")
        return {k: _encode(v, spec[1], models) for k, v in value.items()}
    if tag == "u":
        return _encode(value, ["o", spec[1]], models) if type(value).__name__ == spec[1] else \
            _encode(value, "a", models)
    if tag == "o":
        desc = models[spec[1]]
        if type(value).__name__ != spec[1]:
            raise Unsupported(f"{type(value).__name__} where {spec[1]} was expected")
        out = {f: _encode(getattr(value, f), s, models) for f, s in desc["fields"].items()}
        if desc["props"]:
            out["__props__"] = {p: _encode(getattr(value, p), s, models) for p, s in desc["props"].items()}
        return out
    raise Unsupported(repr(spec))


_PLAIN = (str, int, float, bool)
_PLAIN_OR_NONE = {str, int, float, bool, type(None)}


def describe(model: type[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The spec of each field of ``model`` (the agreement), and the description of every model.

    A spec is ``"a"`` (a JSON value as it is), ``"d"`` (a date), ``["e", enum]``,
    ``["l", item]``, ``["m", value, int_keys]``, ``["o", model]``, or ``["u", model]`` (a
    union of plain values and one model). A model's description is ``{"fields": {name:
    spec}, "props": {name: spec}}``; ``props`` are its public properties, such as
    ``Meta.years``, whose values are stored with it. Raises :class:`Unsupported` for
    anything else.
    """
    ctx = _Describe()
    root = ctx.model(model)
    return root["fields"], ctx.models


class _Describe:
    def __init__(self) -> None:
        self.models: dict[str, Any] = {}
        self.classes: dict[str, type[Any]] = {}

    def model(self, model: type[Any]) -> dict[str, Any]:
        import typing

        from pydantic import BaseModel

        name = model.__name__
        if name in self.classes:
            if self.classes[name] is not model:
                raise Unsupported(f"two models named {name}")
            return self.models[name]  # type: ignore[no-any-return]
        self.classes[name] = model
        desc: dict[str, Any] = {"fields": {}, "props": {}}
        self.models[name] = desc
        for fname, info in model.model_fields.items():
            desc["fields"][fname] = _describe(info.annotation, self)
        for klass in model.__mro__:
            if klass is BaseModel or not issubclass(klass, BaseModel):
                continue
            for pname, attr in vars(klass).items():
                if isinstance(attr, property) and not pname.startswith("_") and pname not in desc["props"]:
                    hints = typing.get_type_hints(attr.fget)
                    if "return" not in hints:
                        raise Unsupported(f"{name}.{pname} has no return type")
                    desc["props"][pname] = _describe(hints["return"], self)
        return desc


def _describe(ann: Any, ctx: _Describe) -> Any:
    import datetime as dt
    import types
    import typing

    from pydantic import BaseModel

    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is typing.Annotated:
        return _describe(args[0], ctx)
    if origin is typing.Literal:
        if all(type(a) in (str, int, bool) for a in args):
            return "a"
        raise Unsupported(f"Literal{list(args)}")
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        specs = [_describe(a, ctx) for a in members]
        if len(specs) == 1:
            return specs[0]
        complex_specs = [s for s in specs if s != "a"]
        if not complex_specs:
            return "a"
        if len(complex_specs) == 1 and complex_specs[0][0] == "o":
            return ["u", complex_specs[0][1]]
        raise Unsupported(f"union {ann!r}")
    if origin is list:
        return ["l", _describe(args[0], ctx)]
    if origin is dict:
        key = _describe(args[0], ctx)
        key_type = _plain_type(args[0])
        if key != "a" or key_type not in (int, str):
            raise Unsupported(f"mapping key {args[0]!r}")
        return ["m", _describe(args[1], ctx), key_type is int]
    if isinstance(ann, type):
        if issubclass(ann, BaseModel):
            ctx.model(ann)
            return ["o", ann.__name__]
        if issubclass(ann, Enum):
            enum_name = ann.__name__
            if getattr(kinds, enum_name, None) is not ann:  # the reader finds enums there by name
                raise Unsupported(f"enum {enum_name} is not in budget2024.kinds")
            return ["e", enum_name]
        if ann is dt.date:
            return "d"
        if ann in (str, int, float, bool):
            return "a"
    raise Unsupported(repr(ann))


def _plain_type(ann: Any) -> Any:
    import typing

    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    return ann


def iter_entries(directory: Path) -> Iterator[Path]:
    """The entries in a cache directory (for tests and housekeeping)."""
    return iter(sorted(directory.glob("*.jsonl")))
