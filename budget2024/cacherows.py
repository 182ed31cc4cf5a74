"""The read-only objects the cache rebuilds from an entry, one class per model.

Each class declares the attributes of its model (mypy checks that they satisfy
:mod:`budget2024.views`); the codec (:mod:`budget2024.cachecodec`) finds them by name in
:data:`RECORDS`, as the schema (:mod:`budget2024.cacheschema`) names them (a test checks that
both list the same fields, in the same order), and every
comparison is by class identity. Nested models are records backed by a dict; the rows of
the top-level lists (``lines``, ``initiatives``, …) are views over columns, so that a column
is decoded only when a report first reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Protocol

from . import kinds

if TYPE_CHECKING:  # the annotations only
    import datetime as dt


class Record:
    """A read-only record with the attributes (and values) of the model it was made from."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _props: tuple[str, ...] = ()
    #: The class of the model's records (a table's row class is a subclass of it).
    _model: type[Record]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._model is self._model and other._values() == self._values()

    def __hash__(self) -> int:
        return hash((self._model, getattr(self, "id", None)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as plain data, like pydantic's ``model_dump`` (``mode="json"`` for JSON types)."""
        as_json = mode == "json"
        return {f: dump(getattr(self, f), as_json) for f in self._fields}


class DictRecord(Record):
    """A record whose attributes are its ``__dict__`` (decoded at once)."""


class RowRecord(Record):
    """A row of a :class:`Table`; its attributes are :class:`Column` descriptors of its class."""

    __slots__ = ("_i",)


_set_row_index: Callable[[Any, int], None] = vars(RowRecord)["_i"].__set__  # the slot, past __setattr__


def dump(value: Any, as_json: bool) -> Any:
    """A value as plain data, as pydantic's ``model_dump`` gives it."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json" if as_json else "python")
    if isinstance(value, list):
        return [dump(v, as_json) for v in value]
    if isinstance(value, dict):
        return {(str(k) if as_json else k): dump(v, as_json) for k, v in value.items()}
    if as_json:
        if isinstance(value, Enum):
            return value.value
        if hasattr(value, "isoformat"):
            return value.isoformat()
    return value


class ColumnSource(Protocol):
    """Where a table reads a column from (the opened entry)."""

    def column(self, table: str, col: str, n: int) -> list[Any]: ...


class Column:
    """The attribute of a row view: the row's value in a column, decoded on first use."""

    __slots__ = ("table", "name", "values")

    def __init__(self, table: Table, name: str) -> None:
        self.table = table
        self.name = name
        self.values: list[Any] | None = None

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        values = self.values
        if values is None:
            values = self.values = self.table.source.column(self.table.name, self.name, self.table.n)
        return values[obj._i]


class Table:
    """The rows of a top-level list of the agreement, stored column by column."""

    def __init__(self, source: ColumnSource, name: str, n: int, model: type[RowRecord]) -> None:
        self.source = source
        self.name = name
        self.n = n
        attrs: dict[str, Any] = {"__slots__": (), "__module__": __name__, "__qualname__": model.__name__}
        for col in (*model._fields, *model._props):
            attrs[col] = Column(self, col)
        self.cls = type(model.__name__, (model,), attrs)

    def rows(self) -> list[Any]:
        cls = self.cls
        new = object.__new__
        out = []
        for i in range(self.n):
            row: RowRecord = new(cls)
            _set_row_index(row, i)
            out.append(row)
        return out


class Meta(DictRecord):
    __slots__ = ()
    _props = ("years",)
    municipality: str
    title: str
    signed: dt.date
    budget_year: int
    overslag_years: list[int]
    unit: Literal["1000 DKK"]
    source: str | None
    years: list[int]


class Body(RowRecord):
    __slots__ = ()
    id: str
    name: str
    committee: bool
    aliases: list[str]
    section_17_4: bool
    finance: bool
    note: str | None


class Chapter(RowRecord):
    __slots__ = ()
    id: str
    title: str


class Section(RowRecord):
    __slots__ = ()
    id: str
    chapter: str
    title: str
    bodies: list[BodyRole]
    note: str | None


class BodyRole(DictRecord):
    __slots__ = ()
    body: str
    role: kinds.Role
    note: str | None
    inferred: str | None


class Initiative(RowRecord):
    __slots__ = ()
    id: str
    section: str
    title: str
    bodies: list[BodyRole]
    text: str | None
    prose_amounts: list[ProseAmount]
    note: str | None


class ProseAmount(DictRecord):
    __slots__ = ()
    text: str
    kind: kinds.Kind | None
    amounts: dict[int, int]
    per_year: int | None
    total: int | None
    note: str | None
    reading: str | None


class Line(RowRecord):
    __slots__ = ()
    id: str
    kind: kinds.Kind
    group: str
    label: str
    title: str
    amounts: dict[int, int]
    raw: str
    initiative: str | None
    section: str | None
    body: str | None
    note: str | None


class Discrepancy(RowRecord):
    __slots__ = ()
    id: str
    category: Literal["amount", "year", "sign", "name", "section-label", "prose-only", "appendix-only", "total"]
    section: str
    initiative: str | None
    line: str | None
    text: str


class StatedFigure(RowRecord):
    __slots__ = ()
    id: str
    measure: str
    kind: kinds.Kind | None
    value: int | None
    amounts: dict[int, int]
    years: list[int]
    approximate: bool
    sentence: str
    note: str | None
    reading: str | None


class TaxRate(RowRecord):
    __slots__ = ()
    id: str
    value: float
    unit: str
    sentence: str


class Strategy(DictRecord):
    __slots__ = ()
    period: list[int]
    text: str
    targets: list[Target]


class Target(DictRecord):
    __slots__ = ()
    id: str
    goal: int | None
    wording: str
    metric: str
    comparison: Literal[">=", "<=", ">", "<", "=="]
    threshold: Threshold | int | float
    unit: str
    years: list[int]
    period: list[int] | None
    baseline_year: int | None
    note: str | None
    reading: str | None


class Threshold(DictRecord):
    __slots__ = ()
    figure: str
    factor: float


class KeyFigure(DictRecord):
    __slots__ = ()
    values: dict[int, int]
    unit: str
    source: str
    reading: str | None


#: The record class of each model, by the name the schema gives it.
RECORDS: dict[str, type[Record]] = {
    cls.__name__: cls for cls in (Meta, Body, Chapter, Section, BodyRole, Initiative, ProseAmount, Line,
                                  Discrepancy, StatedFigure, TaxRate, Strategy, Target, Threshold, KeyFigure)}
for _cls in RECORDS.values():  # a record's fields are its annotations, in order; tests compare them with the schema
    _cls._fields = tuple(f for f in _cls.__annotations__ if f not in _cls._props)
    _cls._model = _cls
del _cls
