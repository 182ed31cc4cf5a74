"""Load an agreement file: YAML → validated :class:`~budget2024.model.Agreement`.

Every problem is collected (YAML structure, types, references, years, the raw
appendix text) and raised together as one :class:`~budget2024.errors.LoadError`,
each problem with its file, line and column.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import checks, numbers
from .errors import LoadError, Problem
from .gcpause import gc_paused
from .hints import reference_hint, role_hint
from .i18n import N_, T_, Text
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
from .validation_text import expected_count
from .validation_text import message as _pyd_message
from .words import Dashed, either
from .words import kind_of as _kind_of
from .words import pasted_character as pasted_character
from .words import written_as as written_as
from .yamlsource import PathT, Source, decode, parse, quote, read_text

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



def load(path: Path | None = None, display: str | None = None, raw: bytes | None = None) -> Agreement:
    """Read, validate and check an agreement file.

    ``raw`` is the file's bytes when the caller has read them already (to hash them): then
    exactly those bytes are parsed, and the file is not read again."""
    path = resolve_file(path)
    from .paths import display_name

    display = display if display is not None else display_name(path)
    if raw is None:
        with gc_paused():
            return _load_text(read_text(path, display), display)
    return load_bytes(raw, display)


def load_bytes(raw: bytes, display: str) -> Agreement:
    """Validate an agreement given as bytes (already read, or e.g. ``git show REV:PATH``);
    ``display`` names it in the problems."""
    with gc_paused():
        text = decode(raw, display)
        del raw
        return _load_text(text, display)


def _load_text(text: str, display: str) -> Agreement:
    fast = _fast_source(text, display)
    if fast is not None:
        try:
            return validate_source(fast)
        except LoadError:
            pass  # read it again with positions, so that every problem names its line
        fast = None  # (its data is not needed again: free it before the text is read in full)
    return validate_source(parse(text, display))


def _fast_source(text: str, display: str) -> Source | None:
    """The document read by the fast reader, without positions; None when it steps aside.

    The fast reader builds the same data as the full one, or declines (see fastyaml.py).
    Positions only matter when there is a problem to report, and then the caller reads the
    text again in full."""
    from . import fastyaml

    try:
        data = fastyaml.parse(text)
    except fastyaml.Decline as exc:
        _debug(f"fast reader declined: {exc}")
        return None
    return Source(display, data)


def _debug(message: str) -> None:
    import os
    import sys

    if os.environ.get("BUDGET_DEBUG"):
        print(f"budget: {message}", file=sys.stderr)


def validate_source(source: Source) -> Agreement:
    data = source.data
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise LoadError([source.problem((), T_('the document is {data}, not a mapping', data=_kind_of(data)),
                                        T_("a mapping with keys such as 'agreement', 'bodies', 'lines'"),
                                        T_("start from the shipped data/agreement.yaml"))])
    fields = Agreement.model_fields
    valid: dict[str, Any] = {}
    bad_ids: dict[str, set[str]] = {}
    indices: dict[str, list[int]] = {}
    problems.extend(top_level_key_problems(source, data, fields, T_("see the data model in the README")))
    for name, info in fields.items():
        if name not in data:
            continue
        value = data[name]
        item_model = _LIST_ITEMS.get(name)
        if item_model is not None:
            if not isinstance(value, list):
                problems.append(source.problem((name,), T_("'{name}' must be a list, not {value}", name=name,
                                                           value=_kind_of(value)),
                                               T_("a list of {name}, each item starting with '- '", name=name),
                                               T_("check the indentation of the items under this key")))
                continue
            if len(value) >= _BATCH:
                # a long list is validated in one call (much less per-item overhead); when any item
                # fails, the list is validated item by item below, to report each problem
                try:
                    valid[name] = _list_adapter(item_model).validate_python(value)
                    indices[name] = list(range(len(value)))
                    continue
                except ValidationError:
                    pass
            items = []
            indices[name] = []
            for i, item in enumerate(value):
                try:
                    items.append(item_model.model_validate(item))
                    indices[name].append(i)
                except ValidationError as exc:
                    problems.extend(_translate(source, (name, i), exc))
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        bad_ids.setdefault(name, set()).add(item["id"])
            valid[name] = items
        else:
            try:
                annotation: Any = info.annotation  # (every field of the model has one)
                valid[name] = TypeAdapter(annotation).validate_python(value, strict=True)
            except ValidationError as exc:
                problems.extend(_translate(source, (name,), exc))
    # the whole-document checks run even when some parts failed, so that every problem is reported at once
    problems.extend(checks.check(Agreement.model_construct(_fields_set=set(valid), **valid), source, bad_ids,
                                 indices))
    if problems:
        raise LoadError(problems)
    return Agreement.model_construct(**valid)


def top_level_key_problems(source: Source, data: dict[Any, Any], fields: dict[str, Any], hint: str) -> list[Problem]:
    """The document's unknown top-level keys, and the required ones (of a model's ``fields``) it lacks."""
    out = [_unknown_key(source, (key,), key, list(fields)) for key in data if key not in fields]
    out.extend(source.problem((), T_("missing key '{name}'", name=name), T_("a top-level '{name}:'", name=name), hint)
               for name, info in fields.items() if name not in data and info.is_required())
    return out


#: Lists at least this long are validated in one call.
_BATCH = 1000


@functools.cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[Any]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _show(value: object, text: str | None) -> str:
    """What the user wrote: the source text of a scalar, else a description of the value."""
    if text is not None and text != "":
        return quote(text)
    if isinstance(value, dict | list) or value is None or value == "":
        return _kind_of(value)
    return quote(value)


#: Keys an earlier schema had, and what to write instead.
RETIRED_KEYS = {
    "reprioritisation": (T_("rows no longer mark the reprioritisation contribution (the agreement does not say which "
                         "savings form it); remove the key, and name the rows in a figures overlay for check-strategy: "
                         "'reprioritisation_rows: [ROW-ID, ...]'")),
}


def _unknown_key(source: Source, path: PathT, key: object, allowed: list[str]) -> Problem:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = T_("did you mean '{close}'?", close=close[0]) if close else T_('allowed keys here: {allowed}',
                                                                          allowed=', '.join(allowed))
    pasted = _paste_hint(key) if isinstance(key, str) else None
    if pasted:
        hint = T_('{pasted}; {hint}', pasted=pasted, hint=hint)
    if str(key) in RETIRED_KEYS:
        hint = RETIRED_KEYS[str(key)]
    return source.problem(path, T_('unknown key {path}', path=quote(source.key_text.get(path, key))),
                          T_("one of the keys of the data model"),
                          T_("{hint} (unknown keys are refused so that no data is silently dropped)", hint=hint),
                          key=True)


#: Fields whose numbers are amounts in 1.000 kr. (``value`` only in a stated figure).
_AMOUNT_FIELDS = {"amounts", "per_year", "total", "values", "threshold", "amount"}  # amount: follow-up files
#: Fields whose numbers are years.
_YEAR_FIELDS = {"budget_year", "overslag_years", "years", "period", "baseline_year", "year"}  # year: follow-up
#: Model validators' messages, with what was expected and what to do.
_VALUE_ERRORS = {
    "links to exactly one of": (T_("either 'initiative: <id>' or 'section: <id>', not both"),
                                T_("link the row to the initiative it funds, or to its section when no bullet "
                                   "matches")),
    "a prose amount needs": (T_("'amounts: {2024: 200}', 'per_year: 200' or 'total: 200'"),
                             T_("write the amount the sentence states, in 1.000 kr.")),
}
_UNION_MEMBERS = {"int": T_("a whole number"), "float": T_("a number"), "str": T_("text"), "bool": T_("true or false"),
                  "date": T_("a date"), "list": T_("a list"), "dict": T_("a mapping")}


@dataclass
class _Err:
    path: PathT
    dropped: int  # how many parts of pydantic's location are not in the document (union members)
    union_at: int  # the length of the path where the first union member was dropped, or -1
    members: list[str]
    err: Any


def _doc_path(data: Any, prefix: PathT, loc: tuple[Any, ...]) -> tuple[PathT, list[str], int]:
    """Turn pydantic's location into a path into the document.

    pydantic names the member of a union that failed (``int``, ``Threshold``) and turns dict
    keys into strings; the document has neither, so members are dropped and keys are
    mapped back to the document's own keys."""
    node = data
    for part in prefix:
        node = _child(node, part)
    path: list[str | int] = list(prefix)
    members: list[str] = []
    union_at = -1
    for part in loc:
        if isinstance(node, dict):
            if part in node and not isinstance(part, bool):
                path.append(part)
                node = node[part]
                continue
            match: Any = next((k for k in node if str(k) == str(part)), _NO)
            if match is not _NO:
                path.append(match)
                node = node[match]
                continue
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
            continue
        if union_at < 0:
            union_at = len(path)
        members.append(str(part))
    return tuple(path), members, union_at


_NO = object()


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _translate(source: Source, prefix: PathT, exc: ValidationError,
               root: type[BaseModel] = Agreement) -> list[Problem]:
    """pydantic's errors as located problems; ``root`` is the model of the whole document."""
    errs: list[_Err] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p != "[key]")
        doc_loc = loc[:-1] if err["type"] == "missing" else loc
        path, members, union_at = _doc_path(source.data, prefix, doc_loc)
        if err["type"] == "missing":
            path = (*path, loc[-1])
        errs.append(_Err(path, len(members), union_at, members, err))
    # a union (``threshold: 5`` or ``{figure: …}``) reports one error per member; when the value
    # is a mapping the model member's errors say what is wrong, otherwise one message says what
    # the value may be
    out: list[Problem] = []
    unions: dict[PathT, list[_Err]] = {}
    for e in errs:
        if e.union_at >= 0:
            unions.setdefault(e.path[: e.union_at], []).append(e)
        else:
            out.append(_problem(source, e.path, e.err, root))
    for upath, group in unions.items():
        deeper = [e for e in group if len(e.path) > len(upath) or e.err["type"] in {"missing", "extra_forbidden"}]
        if deeper:
            out.extend(_problem(source, e.path, e.err, root) for e in deeper)
            continue
        names = [e.members[0].split("[")[0] for e in group]
        if "int" in names and "float" in names:
            names.remove("int")
        kinds = [_UNION_MEMBERS.get(name) or _describe_model(name) for name in names]
        value = group[0].err.get("input")
        expected = either(dict.fromkeys(kinds))
        text = source.scalar_text.get(upath)
        message = (T_('invalid value {text}', text=quote(text)) if text else T_('expected {expected}, found {value}',
                                                                                expected=expected,
        value=_kind_of(value)))
        out.append(source.problem(upath, message, expected, T_("see the data model in the README")))
    return out


def _describe_model(name: str) -> str:
    """A union member that is a model, as a mapping with its required keys."""
    from . import model

    cls = getattr(model, name, None)
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        keys = [k for k, f in cls.model_fields.items() if f.is_required()]
        if keys:
            return T_("a mapping such as {keys}", keys="{" + ", ".join(f"{k}: …" for k in keys) + "}")
    return T_('a mapping ({name})', name=name)


def _field_of(path: PathT, root: type[BaseModel] = Agreement) -> tuple[str, type[BaseModel] | None]:
    """The model field a path ends in, and the model that owns it (``amounts`` for ``lines[3].amounts[2025]``)."""
    model: type[BaseModel] | None = root
    owner: type[BaseModel] | None = None
    field = ""
    for part in path:
        if model is not None and isinstance(part, str) and part in model.model_fields:
            owner, field = model, part
            model = _inner_model(model.model_fields[part].annotation)
    return field, owner


def _problem(source: Source, path: PathT, err: Any, root: type[BaseModel] = Agreement) -> Problem:
    typ: str = err["type"]
    msg: str = err["msg"]
    is_key = "[key]" in err["loc"]
    value = err.get("input")
    if typ == "extra_forbidden":
        owner = _model_at(path[:-1], root)
        allowed = list(owner.model_fields) if owner else []
        return _unknown_key(source, path, path[-1], allowed)
    if typ == "missing":
        name = path[-1]
        return source.problem(path[:-1], T_("missing key '{name}'", name=name), T_("the key '{name}' in this mapping",
                                                                                   name=name),
                              T_("see the data model in the README for the keys each entry needs"))
    text = source.key_text.get(path) if is_key else source.scalar_text.get(path)
    what = _show(value, text)
    field, owner = _field_of(path, root)
    p = functools.partial(source.problem, path, key=is_key)

    if is_key:
        if field in {"amounts", "values"}:
            hint = T_("years are written as plain numbers, e.g. '2025: 3000'")
            if isinstance(value, str) and value.strip().isdigit():
                hint = T_('write the year without quotes: {value}', value=value.strip())
            return p(T_('invalid year {what}', what=what), T_("a year such as 2025"), hint)
        if typ == "string_pattern_mismatch":
            return p(T_('invalid name {what}', what=what),
                     T_("letters, digits, '.', '_' and '-' only, e.g. service_frame"),
                     T_("names are stable references; avoid spaces and Danish letters"))
        return p(T_('invalid key {what}', what=what), T_("a name such as service_frame"),
                 T_("put the name in quotes, or fix it"))

    number_error = typ.startswith(("int_", "float_")) or (typ == "bool_type" and field not in _BOOL_FIELDS)
    is_amount = field in _AMOUNT_FIELDS or (field == "value" and owner is not None and owner.__name__ == "StatedFigure")
    if number_error and field in _YEAR_FIELDS:
        hint = T_("write the year as a plain number, without quotes or decimals")
        return p(T_('invalid year {what}', what=what), T_("a year such as 2025"), hint)
    if number_error and is_amount and value is None:
        return p(T_("the amount is empty"), T_("a whole number of thousands of kroner (1.000 kr.), e.g. 4250 or -1180"),
                 _amount_hint(value, text))
    if number_error and is_amount:
        return p(T_('invalid amount {what}: {msg}', what=what, msg=_pyd_message(err)),
                 T_("a whole number of thousands of kroner (1.000 kr.), e.g. 4250 or -1180"), _amount_hint(value, text))
    if number_error:
        expected = T_("a number, e.g. 25.5") if typ.startswith("float") else T_("a whole number")
        hint = T_("write the number without quotes or units")
        if text is not None and numbers.DANISH_DECIMAL.match(text.strip()):
            hint = T_('write decimals with a point: {value}', value=text.strip().replace(',', '.'))
        return p(T_('invalid number {what}: {msg}', what=what, msg=_pyd_message(err)), expected, hint)
    if typ == "bool_type":
        return p(T_('invalid value {what}: {msg}', what=what, msg=_pyd_message(err)), T_("true or false"),
                 T_("write true or false, without quotes"))
    if typ in {"literal_error", "enum"}:
        role = role_hint(value) if field == "role" else None
        return p(T_('invalid value {what}: {msg}', what=what, msg=_pyd_message(err)),
                 _one_of(msg.split("Input should be ")[-1]),
                 role or T_("check the spelling; the allowed values are listed above"))
    if typ == "string_pattern_mismatch":
        target = _REFERENCE_TARGETS.get(field)
        named = reference_hint(source.data, target, value) if target else None
        return p(T_('invalid id {what}', what=what),
                 T_("letters, digits, '.', '_' and '-' only, starting with a letter or digit"),
                 named or _paste_hint(value if isinstance(value, str) else None)
                 or T_("ids are stable references; avoid spaces and Danish letters (æ → ae, ø → oe, å → aa)"))
    if typ == "string_type":
        if value is None:
            hint = T_("write the text after the colon, or leave the key out if it is optional")
        elif isinstance(value, dict | list):
            hint = T_("check the indentation; text that holds ':' or starts with '[' or '{' must be in quotes")
        else:
            hint = T_('put it in quotes: "{value}"', value=text if text is not None else value)
        found = (T_("expected text, found {kind}", kind=_kind_of(value)) if value is None
                 else T_("expected text, found {kind} {what}", kind=_kind_of(value), what=what))
        return p(found, T_("text"), hint)
    if typ == "string_too_short":
        return p(T_("the text is empty"), T_("at least one character"),
                 T_("write the text, or leave the key out if it is optional"))
    if typ.startswith("date") or typ.startswith("datetime"):
        hint = T_("write the date as YYYY-MM-DD without quotes or a time")
        return p(T_('invalid date {what}', what=what), T_("a date such as 2023-10-04"), hint)
    if typ in {"dict_type", "list_type", "model_type", "model_attributes_type"}:
        want = T_("a list") if typ == "list_type" else T_("a mapping")
        hint = T_("check the indentation")
        if typ == "list_type":
            hint = T_("write a list as [a, b] or as lines starting with '- '")
        if field == "amounts" and isinstance(value, list):
            hint = T_("write amounts as a mapping from year to amount: {2024: 3000, 2025: 3000}, never as a list")
        return p(T_('expected {want} here, found {value}', want=want, value=_kind_of(value)), want, hint)
    if typ in {"too_short", "too_long"}:
        return p(T_('wrong number of entries: {msg}', msg=_pyd_message(err)), expected_count(err),
                 T_("see the data model in the README"))
    if typ == "value_error":
        text_msg = _validator_text(err, msg.removeprefix("Value error, "))
        expected, hint = next((v for k, v in _VALUE_ERRORS.items() if k in text_msg),
                              (T_("see the data model in the README"), T_("fix the entry")))
        return p(text_msg, expected, hint)
    return p(T_('invalid value {what}: {msg}', what=what, msg=_pyd_message(err)),
             T_("see the data model in the README"),
             T_("fix the value"))


def _validator_text(err: Any, english: str) -> str:
    """A model validator's message: the marked text it raised (shown in the chosen language), else
    pydantic's ``english``."""
    error = (err.get("ctx") or {}).get("error")
    said = error.args[0] if isinstance(error, ValueError) and error.args else None
    return said if isinstance(said, Text) and str(said) == english else english


#: Reference fields, and the list each points into (for the hint on a name written instead of an id).
_REFERENCE_TARGETS = {"body": "bodies", "initiative": "initiatives", "section": "sections"}

#: Fields that are true/false values.
_BOOL_FIELDS = {"committee", "section_17_4", "finance", "approximate"}


def _lc(msg: str) -> str:
    """pydantic's message with a lower-case first letter, for use after a colon."""
    return msg[:1].lower() + msg[1:]


def _paste_hint(text: str | None) -> str | None:
    found = pasted_character(text)
    if found is None:
        return None
    return T_('{found}: a likely paste from a PDF or Word; delete it', found=found)


def _amount_hint(value: object, text: str | None) -> str:
    pasted = _paste_hint(text if text is not None else value if isinstance(value, str) else None)
    if pasted:
        return pasted
    t = (text or "").strip()
    if text is not None and numbers.DANISH_THOUSANDS.match(t):
        digits = t.replace(".", "")
        return (T_('Danish thousands points are not allowed: YAML reads {t} as the decimal {value}; write {digits}',
                   t=t, value=value, digits=digits))
    if numbers.DANISH_DECIMAL.match(t):
        return T_("amounts are whole thousands of kroner: 0,3 mio. kr. is written 300")
    if isinstance(value, bool):
        return T_("true/false/yes/no are not amounts; write the number")
    if isinstance(value, float):
        return T_("amounts are whole thousands of kroner: 1,5 mio. kr. is written 1500")
    if isinstance(value, str):
        written = written_as(t)
        if isinstance(written, Dashed):  # a minus pasted as a dash of Unicode's
            return written.hint
        return T_("write the number alone, without quotes, units or thousands points{written}", written=written)
    if value is None:
        return (T_("the amount is missing; note that inside {…} a comma separates entries, so a Danish "
                "decimal such as 0,2 is read as two entries (0,2 mio. kr. is written 200)"))
    return T_("write one whole number per year")


def _model_at(path: PathT, root: type[BaseModel] = Agreement) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at ``path``, if it can be found."""
    model: type[BaseModel] | None = root
    for part in path:
        if model is None:
            return None
        if not isinstance(part, str):
            continue
        field = model.model_fields.get(part)
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


def _one_of(expected: str) -> Text:
    """pydantic's "'drift' or 'anlaeg'" as it is, shown in the chosen language as a list."""
    return Text.worded(expected, N_("one of {values}"), values=expected.replace(" or ", ", "))
