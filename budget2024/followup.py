"""Follow-up data during the budget year: the plain, validated form that reports read.

A follow-up file (see :mod:`budget2024.followup_model` for its schema) records, beside the
signed agreement, the committees' priorities, quarter plans and status reports, and the
corrections, actuals and forecasts of the appendix rows. Several files combine into one
:class:`FollowUp`. Everything here is plain Python (named tuples, dicts): no pydantic and no
PyYAML, so that a cached follow-up costs nothing at start-up. The full load is in
:mod:`budget2024.followup_load`; this module decides between it and the cache.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .kinds import QUARTERS as QUARTERS
from .kinds import STATES as STATES
from .paths import ENV_FOLLOWUP

if TYPE_CHECKING:
    pass

#: What a task without a status entry on the date is counted as.
NO_STATUS = "no-status"
#: The layout of a cached follow-up entry; part of its key.
CACHE_FORMAT = 1


class Status(NamedTuple):
    date: dt.date
    state: str
    note: str | None
    place: str  # FILE:LINE:COLUMN of the entry


class Task(NamedTuple):
    id: str
    priority: int | None
    plan: dict[str, str]  # quarter → text; only the quarters written
    status: list[Status]  # in date order


class Correction(NamedTuple):
    date: dt.date
    decision: str
    amounts: dict[int, int]  # year → 1.000 kr.
    note: str | None
    place: str


class Dated(NamedTuple):
    """An amount up to a date: actuals (spent so far) or a forecast for the whole year."""

    as_of: dt.date
    amount: int
    note: str | None
    place: str


class NewRow(NamedTuple):
    """A budget row created by a decision during the year (not part of the agreement)."""

    kind: str
    section: str | None
    initiative: str | None
    title: str
    body: str | None


class Row(NamedTuple):
    id: str
    corrections: list[Correction]  # each list in date order
    actuals: list[Dated]
    forecast: list[Dated]
    new: NewRow | None  # set for a row added during the year


class FollowUp(NamedTuple):
    year: int
    files: list[str]
    tasks: dict[str, Task]
    rows: dict[str, Row]


def resolve_followup(options: Sequence[Path] | None) -> list[Path]:
    """``--followup`` (repeatable) wins over ``BUDGET_FOLLOWUP`` (paths separated by os.pathsep)."""
    if options:
        return list(options)
    env = os.environ.get(ENV_FOLLOWUP, "")
    return [Path(p) for p in env.split(os.pathsep) if p.strip()]


def quarter_of(day: dt.date) -> str:
    return QUARTERS[(day.month - 1) // 3]


# ----------------------------------------------------------------------------- loading, cached


def read_file(path: Path) -> bytes | None:
    """The file's bytes, read once (without blocking on a FIFO); None when it cannot be used (the full
    load then reports why, located as for the agreement)."""
    from .errors import LoadError
    from .filebytes import given_by, read_bytes

    try:
        return read_bytes(path, str(path), given_by("--followup", "BUDGET_FOLLOWUP"))
    except LoadError:
        return None


def sha(raw: bytes) -> str:
    from .cache import _sha256

    h = _sha256(len(raw))
    h.update(raw)
    return str(h.hexdigest())


def entry_path(directory: Path, key: dict[str, Any]) -> Path:
    return directory / "followup" / f"{sha(json.dumps(key, sort_keys=True).encode())}.json"


def encode(fu: FollowUp) -> dict[str, Any]:
    """A follow-up as JSON data (dates as ISO text, integer years as text keys)."""

    def dated(d: Dated) -> list[Any]:
        return [d.as_of.isoformat(), d.amount, d.note, d.place]

    return {
        "year": fu.year, "files": fu.files,
        "tasks": [[t.id, t.priority, t.plan, [[s.date.isoformat(), s.state, s.note, s.place] for s in t.status]]
                  for t in fu.tasks.values()],
        "rows": [[r.id, [[c.date.isoformat(), c.decision, {str(y): a for y, a in c.amounts.items()}, c.note, c.place]
                         for c in r.corrections],
                  [dated(d) for d in r.actuals], [dated(d) for d in r.forecast],
                  list(r.new) if r.new is not None else None] for r in fu.rows.values()],
    }


def decode(data: dict[str, Any]) -> FollowUp:
    """The inverse of :func:`encode`; raises on anything that does not have the expected shape."""
    day = dt.date.fromisoformat

    def text(v: Any) -> str:
        if not isinstance(v, str):
            raise ValueError("text expected")
        return v

    def opt(v: Any) -> str | None:
        return None if v is None else text(v)

    def whole(v: Any) -> int:
        if type(v) is not int:
            raise ValueError("integer expected")
        return v

    def dated(v: list[Any]) -> Dated:
        as_of, amount, note, place = v
        return Dated(day(as_of), whole(amount), opt(note), text(place))

    tasks: dict[str, Task] = {}
    for tid, priority, plan, status in data["tasks"]:
        if not isinstance(plan, dict):
            raise ValueError("plan")
        tasks[text(tid)] = Task(text(tid), None if priority is None else whole(priority),
                                {text(q): text(v) for q, v in plan.items()},
                                [Status(day(d), text(s), opt(n), text(p)) for d, s, n, p in status])
    rows: dict[str, Row] = {}
    for rid, corrections, actuals, forecast, new in data["rows"]:
        fixes = [Correction(day(d), text(dec), {int(y): whole(a) for y, a in amounts.items()}, opt(n), text(p))
                 for d, dec, amounts, n, p in corrections]
        added = None
        if new is not None:
            kind, section, initiative, title, body = new
            added = NewRow(text(kind), opt(section), opt(initiative), text(title), opt(body))
        rows[text(rid)] = Row(text(rid), fixes, [dated(d) for d in actuals], [dated(d) for d in forecast], added)
    files = data["files"]
    if not isinstance(files, list):
        raise ValueError("files")
    return FollowUp(whole(data["year"]), [text(f) for f in files], tasks, rows)


def read_entry(entry: Path, key: dict[str, Any]) -> FollowUp | None:
    import stat

    from . import cache

    try:
        if not stat.S_ISREG(os.stat(entry).st_mode):  # never open a FIFO or a device: it could block
            raise ValueError("not a regular file")
        with open(entry, "rb") as f:
            first = f.readline(200).split()
            body = f.read()
        if len(first) != 2 or first[0] != b"budget2024-followup" or first[1].decode() != sha(body):
            raise ValueError("checksum")
        stored = json.loads(body)
        if stored.get("key") != key:
            raise ValueError("key")
        return decode(stored["data"])
    except FileNotFoundError:
        cache._debug(f"follow-up miss {entry}")
        return None
    except Exception as exc:  # noqa: BLE001 - a bad entry is a miss, never an error
        cache._debug(f"follow-up entry not used {entry} ({type(exc).__name__}: {exc})")
        return None


def write_entry(entry: Path, key: dict[str, Any], fu: FollowUp) -> None:
    """Store a checked follow-up, atomically; any failure is silent (the cache is never an error)."""
    import contextlib
    import tempfile

    from . import cache

    tmp: str | None = None
    try:
        body = json.dumps({"key": key, "data": encode(fu)}, ensure_ascii=True, separators=(",", ":")).encode()
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "wb") as out:
            out.write(b"budget2024-followup " + sha(body).encode() + b"\n" + body)
        os.replace(tmp, entry)
        tmp = None
        cache._debug(f"follow-up stored {entry}")
        entries = sorted(entry.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[cache.MAX_ENTRIES:]:
            if old != entry:
                with contextlib.suppress(OSError):
                    old.unlink()
    except Exception as exc:  # noqa: BLE001
        cache._debug(f"follow-up not stored ({type(exc).__name__}: {exc})")
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
