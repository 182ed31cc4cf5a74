"""The column codec of a cache entry: the schema's specs, encoding, and decoding with type checks.

:func:`describe` derives from the pydantic models the spec of every field (the trusted copy is
:mod:`budget2024.cacheschema`); :func:`_encode` and :func:`_encode_column` write values as
JSON; :class:`_Decoders` compiles a spec into a function that checks each JSON value's type
and rebuilds it (records from :mod:`budget2024.cacherows`). A value of another type raises
:class:`CorruptEntry`. Models are matched by class identity, never by name.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from . import kinds
from .cacherows import RECORDS, DictRecord, Record

Decoder = Callable[[Any], Any]


class Unsupported(Exception):
    """The schema has a type the cache cannot store faithfully; nothing is cached."""


class CorruptEntry(ValueError):
    """A cache entry that does not describe the data it claims to."""


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
        cls = RECORDS.get(name)
        if cls is None or not issubclass(cls, DictRecord):
            raise CorruptEntry(f"model {name!r}")
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


def _encode_column(rows: list[Any], col: str, spec: Any, models: dict[str, Any],
                  classes: dict[str, type[Any]]) -> list[Any]:
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
    return [_encode(v, spec, models, classes) for v in values]


def _encode(value: Any, spec: Any, models: dict[str, Any], classes: dict[str, type[Any]]) -> Any:
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
        return None if value is None else _encode(value, spec[1], models, classes)
    if value is None:
        raise Unsupported(f"an empty value where the schema has {spec!r}")
    if tag == "L":
        if not any(type(value) is type(a) and value == a for a in spec[1]):
            raise Unsupported("a value outside its literal")
        return value
    if tag == "e":
        return value.value
    if tag == "l":
        return [_encode(v, spec[1], models, classes) for v in value]
    if tag == "m":
        if spec[2]:
            if not all(type(k) is int for k in value):
                raise Unsupported("a mapping key that is not a year")
            return [[k, _encode(v, spec[1], models, classes)] for k, v in value.items()]
        if not all(type(k) is str for k in value):
            raise Unsupported("a mapping key that is not text")
        return {k: _encode(v, spec[1], models, classes) for k, v in value.items()}
    if tag == "u":
        return _encode(value, ["o", spec[1]], models, classes) if type(value) is classes[spec[1]] else \
            _encode(value, spec[2], models, classes)
    if tag == "o":
        desc = models[spec[1]]
        if type(value) is not classes[spec[1]]:
            raise Unsupported(f"{type(value).__name__} where {spec[1]} was expected")
        out = {f: _encode(getattr(value, f), s, models, classes) for f, s in desc["fields"].items()}
        if desc["props"]:
            out["__props__"] = {p: _encode(getattr(value, p), s, models, classes) for p, s in desc["props"].items()}
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
    root, models, _ = describe_classes(model)
    return root, models


def describe_classes(model: type[Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, type[Any]]]:
    """:func:`describe`, and the model class of each name (the encoder matches classes by identity)."""
    ctx = _Describe()
    root = ctx.model(model)
    return root["fields"], ctx.models, ctx.classes


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
            found: dict[str, Any] = self.models[name]
            return found
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

