"""Load an agreement file: YAML → validated :class:`~budget2024.model.Agreement`.

Every problem is collected (YAML structure, types, references, years, the raw
appendix text) and raised together as one :class:`~budget2024.errors.LoadError`,
each problem with its file, line and column.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import checks
from .errors import LoadError, Problem
from .model import (
    Agreement,
    Body,
    Chapter,
    Discrepancy,
    Initiative,
    Line,
    Section,
    StatedFigure,
    TaxRate,
)

# re-exported: which file to read is decided in the light paths module (the cache needs it without pydantic)
from .paths import ENV_FILE as ENV_FILE
from .paths import default_file as default_file
from .paths import resolve_file as resolve_file
from .yamlsource import PathT, Source, load_source

_LIST_ITEMS: dict[str, type[BaseModel]] = {
    "bodies": Body,
    "chapters": Chapter,
    "sections": Section,
    "initiatives": Initiative,
    "lines": Line,
    "discrepancies": Discrepancy,
    "stated_figures": StatedFigure,
    "tax_rates": TaxRate,
}

_DANISH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_DANISH_DECIMAL = re.compile(r"^-?\d+,\d+$")


def load(path: Path | None = None, display: str | None = None) -> Agreement:
    """Read, validate and check an agreement file."""
    path = resolve_file(path)
    source = load_source(path, display)
    return validate_source(source)


def validate_source(source: Source) -> Agreement:
    data = source.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise LoadError([source.problem((), f"the document is a {_kind_of(data)}, not a mapping",
                                        "a mapping with keys such as 'agreement', 'bodies', 'lines'",
                                        "start from the shipped data/agreement.yaml")])
    fields = Agreement.model_fields
    valid: dict[str, Any] = {}
    bad_ids: dict[str, set[str]] = {}
    for key in data:
        if key not in fields:
            problems.append(_unknown_key(source, (key,), key, list(fields)))
    for name, info in fields.items():
        if name not in data:
            if info.is_required():
                problems.append(source.problem((), f"missing key '{name}'", f"a top-level '{name}:'",
                                               "see the data model in the README"))
            continue
        value = data[name]
        item_model = _LIST_ITEMS.get(name)
        if item_model is not None:
            if not isinstance(value, list):
                problems.append(source.problem((name,), f"'{name}' must be a list, not a {_kind_of(value)}",
                                               f"a list of {name}, each starting with '- '"))
                continue
            items = []
            for i, item in enumerate(value):
                try:
                    items.append(item_model.model_validate(item))
                except ValidationError as exc:
                    problems.extend(_translate(source, (name, i), exc))
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        bad_ids.setdefault(name, set()).add(item["id"])
            valid[name] = items
        else:
            try:
                valid[name] = TypeAdapter(info.annotation).validate_python(value, strict=True)
            except ValidationError as exc:
                problems.extend(_translate(source, (name,), exc))
    if "agreement" in valid:
        agreement = Agreement.model_construct(**valid)
        problems.extend(checks.check(agreement, source, bad_ids))
    if problems:
        raise LoadError(problems)
    return Agreement.model_construct(**valid)


def _kind_of(value: object) -> str:
    if value is None:
        return "empty value"
    return {dict: "mapping", list: "list", str: "text", int: "number", float: "decimal number",
            bool: "true/false value"}.get(type(value), type(value).__name__)


def _unknown_key(source: Source, path: PathT, key: object, allowed: list[str]) -> Problem:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
    return source.problem(path, f"unknown key '{key}'", "one of the keys of the data model",
                          hint + " (unknown keys are refused so that no data is silently dropped)", key=True)


def _translate(source: Source, prefix: PathT, exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")
        # pydantic reports the failing union member's name in loc; drop what the document lacks
        path: PathT = (*prefix, *loc)
        typ = err["type"]
        is_key = "[key]" in err["loc"]
        value = err.get("input")
        text = source.scalar_text.get(path)
        if typ == "extra_forbidden":
            parent_model = _model_at(prefix, loc[:-1])
            allowed = list(parent_model.model_fields) if parent_model else []
            out.append(_unknown_key(source, path, loc[-1], allowed))
            continue
        if typ == "missing":
            out.append(source.problem(path[:-1], f"missing key '{loc[-1]}'", f"a '{loc[-1]}:' entry here",
                                      "see the data model in the README"))
            continue
        out.append(_value_problem(source, path, typ, err["msg"], value, text, is_key))
    return out


def _value_problem(source: Source, path: PathT, typ: str, msg: str, value: object, text: str | None,
                   is_key: bool) -> Problem:
    field = next((p for p in reversed(path) if isinstance(p, str)), "")
    expected: str | None = None
    hint: str | None = None
    what = f"'{text}'" if text is not None else repr(value)
    if is_key and field == "amounts" or (is_key and typ.startswith("int")):
        expected = "a year such as 2025"
        hint = "years are written as plain numbers, e.g. '2025: 3000'"
        return source.problem(path, f"invalid year {what}", expected, hint, key=True)
    if typ.startswith("int") or (field in {"value", "per_year", "total"} and typ.endswith("_type")) or (
            isinstance(path[-1], int) and len(path) >= 2 and path[-2] in {"amounts", "values"}):
        expected = "a whole number of thousands of kroner (1.000 kr.), e.g. 4250 or -1180"
        if text is not None and _DANISH_THOUSANDS.match(text.strip()):
            digits = text.strip().replace(".", "")
            hint = (f"Danish thousands points are not allowed: YAML reads {text} as the decimal "
                    f"{value}; write {digits}")
        elif text is not None and _DANISH_DECIMAL.match(text.strip()):
            hint = "amounts are in 1.000 kr.; 0,3 mio. kr. is written 300"
        elif isinstance(value, bool):
            hint = "true/false/yes/no are not amounts; write the number"
        elif isinstance(value, float):
            hint = "amounts are whole thousands; 1,5 mio. kr. is written 1500"
        elif isinstance(value, str):
            hint = "write the number alone, without quotes, units or points: '1.000 kr.' is written 1000"
        return source.problem(path, f"invalid amount {what}: {msg.lower()}", expected, hint)
    if typ in {"literal_error", "enum"}:
        return source.problem(path, f"invalid value {what}: {msg}", msg.split("Input should be ")[-1],
                              "check the spelling")
    if typ == "string_pattern_mismatch":
        return source.problem(path, f"invalid id {what}", "letters, digits, '.', '_' and '-' only",
                              "ids are stable references; avoid spaces and Danish letters")
    if typ in {"dict_type", "list_type", "model_type", "model_attributes_type"}:
        return source.problem(path, f"expected a {'list' if typ == 'list_type' else 'mapping'} here, "
                              f"found {_kind_of(value)}", None, "check the indentation")
    if typ == "value_error":
        return source.problem(path, msg.removeprefix("Value error, "), None, None)
    return source.problem(path, f"invalid value {what}: {msg}", None, None)


def _model_at(prefix: PathT, loc: PathT) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at ``prefix + loc``, if it can be found."""
    model: type[BaseModel] | None
    if prefix and prefix[0] in _LIST_ITEMS:
        model = _LIST_ITEMS[str(prefix[0])]
    else:
        model = Agreement
        loc = (*prefix, *loc)
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:  # a key of a dict, such as a key figure's name
            continue
        model = _inner_model(field.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
