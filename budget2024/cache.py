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
A bad entry is never an error and never trusted. An entry is untrusted input even with a
right checksum (anything that can write the cache directory can recompute it): every value
is decoded against the installed code's schema (:mod:`budget2024.cacheschema`), and a value
of another type (a string or float amount, a string year, a null the schema does not allow)
makes the entry a miss. Entries are opened without blocking, and only regular files are
read; pruning removes only files with the tool's own names and magic line. ``--no-cache`` or
``BUDGET_NO_CACHE=1`` turns the cache off (neither read nor written).

The entry format (JSON lines, ASCII)::

    budget2024-cache 2 <sha256 of the rest of the file>
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

if TYPE_CHECKING:
    from .model import Agreement

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

    def compile(self, spec: Any) -> Decoder:
        """A function from a JSON value to the model's value, checking its type on the way.

        A value whose type is not the one the schema gives (a string amount, a float, a null
        where no null is allowed, a year key that is not a whole number) raises
        :class:`CorruptEntry`: the entry is not trusted, the file is loaded in full."""
        types = _plain_types(spec)
        if types is not None:
            def plain(v: Any) -> Any:
                if type(v) not in types:
                    raise CorruptEntry(f"a {type(v).__name__} where the schema has {spec!r}")
                return v
            return plain
        if spec == "d":
            import datetime as dt

            def date(v: Any) -> Any:
                if type(v) is not str:
                    raise CorruptEntry("a date that is not text")
                return dt.date.fromisoformat(v)
            return date
        if not isinstance(spec, list) or not spec:
            raise CorruptEntry(f"spec {spec!r}")
        tag = spec[0]
        if tag == "L":
            allowed = spec[1]
            if not isinstance(allowed, list):
                raise CorruptEntry("literal")

            def literal(v: Any) -> Any:
                if not any(type(v) is type(a) and v == a for a in allowed):
                    raise CorruptEntry(f"{v!r} is not one of {allowed}")
                return v
            return literal
        if tag == "?":
            inner = self.compile(spec[1])
            return lambda v: None if v is None else inner(v)
        if tag == "e":
            enum = getattr(kinds, spec[1])
            if not (isinstance(enum, type) and issubclass(enum, Enum)):
                raise CorruptEntry(f"enum {spec[1]!r}")
            members: dict[Any, Any] = {m.value: m for m in enum}

            def member(v: Any) -> Any:
                if type(v) is not str or v not in members:
                    raise CorruptEntry(f"not a {spec[1]}")
                return members[v]
            return member
        if tag == "l":
            item_types = _plain_types(spec[1])
            if item_types is not None:
                return lambda v: _check_types(_check_list(v), item_types)
            item = self.compile(spec[1])
            return lambda v: [item(x) for x in _check_list(v)]
        if tag == "m":
            value = self.compile(spec[1])
            value_types = _plain_types(spec[1])
            if spec[2]:  # integer keys (years), stored as [[key, value], ...]
                def by_year(v: Any) -> dict[int, Any]:
                    out = dict(_check_list(v))
                    if len(out) != len(v) or not {type(k) for k in out} <= _INT:
                        raise CorruptEntry("a key that is not a year, or a year twice")
                    if value_types is not None:
                        _check_types(out.values(), value_types)
                        return out
                    return {k: value(x) for k, x in out.items()}
                return by_year
            return lambda v: {k: value(x) for k, x in _check_dict(v).items()}
        if tag == "o":
            return self.model(spec[1])
        if tag == "u":
            model = self.model(spec[1])
            other = self.compile(spec[2])
            return lambda v: model(v) if type(v) is dict else other(v)
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
        converters = [(f, self.compile(s)) for f, s in fields.items()]
        prop_converters = [(p, self.compile(s)) for p, s in props.items()]
        field_names = frozenset(fields)
        prop_names = frozenset(props)
        new = object.__new__
        set_dict = object.__setattr__

        def decode(d: Any) -> Record:
            if type(d) is not dict:
                raise CorruptEntry(f"{name}: not a mapping")
            extra = d.pop("__props__", None) if prop_converters else None
            if d.keys() != field_names:
                raise CorruptEntry(f"{name}: fields {sorted(d)}")
            for f, dec in converters:
                d[f] = dec(d[f])
            if prop_converters:
                if type(extra) is not dict or extra.keys() != prop_names:
                    raise CorruptEntry(f"{name}: properties")
                for p, pdec in prop_converters:
                    d[p] = pdec(extra[p])
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


#: The JSON types each plain spec allows (a bool is not an int here, as in the strict schema).
_PLAIN_SPECS: dict[str, frozenset[type]] = {"s": frozenset({str}), "i": frozenset({int}),
                                            "f": frozenset({int, float}), "b": frozenset({bool})}
_INT = frozenset({int})


def _plain_types(spec: Any) -> frozenset[type] | None:
    """The JSON types a plain spec allows ("i", ["?", "s"], ["p", ["i", "f"]]); None
    for any other spec."""
    if isinstance(spec, str):
        return _PLAIN_SPECS.get(spec)
    if not isinstance(spec, list) or len(spec) != 2:
        return None
    tag, inner = spec
    if tag == "?":
        found = _plain_types(inner)
        return None if found is None else found | {type(None)}
    if tag == "p" and isinstance(inner, list):
        out: frozenset[type] = frozenset()
        for member in inner:
            found = _plain_types(member)
            if found is None:
                return None
            out |= found
        return out
    return None


def _check_types(values: Any, types: frozenset[type]) -> Any:
    if not {type(v) for v in values} <= types:
        raise CorruptEntry("a value of a type the schema does not give")
    return values


def _column_decoder(spec: Any, value: Decoder) -> Decoder:
    """A column is the list of one field's values, one per row; each is checked against the schema."""
    types = _plain_types(spec)
    if types is not None:  # plain values, the bulk of the columns: one pass over their types
        return lambda col: _check_types(_check_list(col), types)
    if spec == ["m", "i", True]:  # amounts by year, the bulk of the rows: no call per row
        def amounts(col: Any) -> list[Any]:
            out = [dict(v) for v in _check_list(col)]
            if (not all(type(v) is list and len(d) == len(v) for v, d in zip(col, out, strict=True))
                    or not {type(k) for d in out for k in d} <= _INT
                    or not {type(x) for d in out for x in d.values()} <= _INT):
                raise CorruptEntry("amounts that are not whole numbers by year")
            return out
        return amounts
    return lambda col: [value(v) for v in _check_list(col)]


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
        return {f: _dump(getattr(self, f), as_json) for f in self.__dict__["_fields"]}


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
        from .cacheschema import MODELS, ROOT

        root, models = describe(type(agreement))
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


def _encode_column(rows: list[Any], col: str, spec: Any, models: dict[str, Any]) -> list[Any]:
    """One attribute of every row, encoded; plain values in one pass (the common, large case)."""
    from operator import attrgetter

    values = list(map(attrgetter(col), rows))
    types = _plain_types(spec)
    if types is not None:
        if not {type(v) for v in values} <= types:
            raise Unsupported("a value that is not of the schema's type")
        return values
    if spec == ["m", "i", True]:  # {year: amount}, as the amounts of each row
        out: list[Any] = []
        for v in values:
            if not ({type(k) for k in v} <= _INT and {type(x) for x in v.values()} <= _INT):
                raise Unsupported("a mapping that is not of years to whole numbers")
            out.append([[k, x] for k, x in v.items()])
        return out
    return [_encode(v, spec, models) for v in values]


def _encode(value: Any, spec: Any, models: dict[str, Any]) -> Any:
    types = _plain_types(spec)
    if types is not None:
        if type(value) not in types:
            raise Unsupported(f"{type(value).__name__} value")
        return value
    if spec == "d":
        if value is None:
            raise Unsupported("an empty date")
        return value.isoformat()
    tag = spec[0]
    if tag == "?":
        return None if value is None else _encode(value, spec[1], models)
    if value is None:
        raise Unsupported(f"an empty value where the schema has {spec!r}")
    if tag == "L":
        if not any(type(value) is type(a) and value == a for a in spec[1]):
            raise Unsupported("a value outside its literal")
        return value
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
            _encode(value, spec[2], models)
    if tag == "o":
        desc = models[spec[1]]
        if type(value).__name__ != spec[1]:
            raise Unsupported(f"{type(value).__name__} where {spec[1]} was expected")
        out = {f: _encode(getattr(value, f), s, models) for f, s in desc["fields"].items()}
        if desc["props"]:
            out["__props__"] = {p: _encode(getattr(value, p), s, models) for p, s in desc["props"].items()}
        return out
    raise Unsupported(repr(spec))


def describe(model: type[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The spec of each field of ``model`` (the agreement), and the description of every model.

    A spec is a plain type (``"s"`` text, ``"i"`` a whole number, ``"f"`` a number, ``"b"``
    true or false, ``["p", [...]]`` one of several), ``["L", [values]]`` (a literal), ``"d"``
    (a date), ``["e", enum]``, ``["l", item]``, ``["m", value, int_keys]``, ``["o", model]``,
    ``["u", model, plain]`` (a union of plain values and one model), or ``["?", spec]`` (the
    spec or null; no other spec allows a null). A model's description is ``{"fields": {name:
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
            return ["L", list(args)]
        raise Unsupported(f"Literal{list(args)}")
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        specs = [_describe(a, ctx) for a in members]
        if len(specs) == 1:
            spec: Any = specs[0]
        else:
            plain = [s for s in specs if _plain_types(s) is not None]
            models = [s for s in specs if _plain_types(s) is None]
            plain_spec = plain[0] if len(plain) == 1 else ["p", plain]
            if not models:
                spec = plain_spec
            elif len(models) == 1 and models[0][0] == "o" and plain:
                spec = ["u", models[0][1], plain_spec]
            else:
                raise Unsupported(f"union {ann!r}")
        return ["?", spec] if len(members) < len(args) else spec
    if origin is list:
        return ["l", _describe(args[0], ctx)]
    if origin is dict:
        key = _describe(args[0], ctx)
        key_type = _plain_type(args[0])
        if key not in ("i", "s") or key_type not in (int, str):
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
        code = {str: "s", int: "i", float: "f", bool: "b"}.get(ann)
        if code is not None:
            return code
    raise Unsupported(repr(ann))


def _plain_type(ann: Any) -> Any:
    import typing

    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    return ann


def iter_entries(directory: Path) -> Iterator[Path]:
    """The tool's own entries in a cache directory (for tests and housekeeping)."""
    return iter(sorted(p for p in directory.glob("*.jsonl") if _is_own_entry(p)))
