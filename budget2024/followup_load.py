"""Load follow-up files in full: YAML (with positions) → pydantic → checks → one :class:`FollowUp`.

The same located reader and the same messages as the agreement (:mod:`budget2024.yamlsource`,
:mod:`budget2024.load`): every problem of every file is collected and raised together.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import followup_checks
from .errors import LoadError, Problem
from .filebytes import given_by
from .followup import FollowUp
from .followup_model import FollowUpFile, NewRow, RowFollowUp, Task
from .gcpause import gc_paused
from .i18n import T_
from .ledger import Ledger
from .load import _inner_model, _translate, top_level_key_problems
from .words import kind_of as _kind_of
from .yamlsource import PathT, Source, decode, parse, read_text

_START = T_("start from the skeleton that `budget followup init` prints")
#: The models of the entries of the keyed top-level mappings.
_ENTRIES: dict[str, type[BaseModel]] = {"tasks": Task, "rows": RowFollowUp, "new_rows": NewRow}


def load_full(raws: list[tuple[str, bytes | None]], ledger: Ledger) -> FollowUp:
    """Read, validate and check the follow-up files (bytes already read, or None to read them here)."""
    from pathlib import Path

    problems: list[Problem] = []
    files: list[followup_checks.FileParts] = []
    with gc_paused():
        for display, raw in raws:
            try:
                text = (read_text(Path(display), display, given_by("--followup", "BUDGET_FOLLOWUP")) if raw is None
                        else decode(raw, display))
                source = parse(text, display)
            except LoadError as exc:
                problems.extend(_as_followup(p) for p in exc.problems)
                continue
            parts, found = validate_source(source)
            problems.extend(found)
            files.append(parts)
        result, found = followup_checks.check(files, ledger)
        problems.extend(found)
    if problems:
        raise LoadError(problems)
    return result


def _as_followup(p: Problem) -> Problem:
    """The reader's whole-file messages name an agreement; for a follow-up file, say what is expected."""
    if p.line == 0 and p.expected and "agreement" in p.expected:
        return p._replace(expected=T_("a follow-up file: a mapping with 'schema_version', 'agreement', 'year', "
                                   "'tasks' and 'rows'"), hint=_START)
    return p


def validate_source(source: Source) -> tuple[followup_checks.FileParts, list[Problem]]:
    """The parts of one file that are valid, and the problems of the rest (each entry on its own)."""
    data = source.data
    parts = followup_checks.FileParts(source)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        problems.append(source.problem((), T_('the document is {data}, not a mapping', data=_kind_of(data)),
                                       T_("a mapping with 'schema_version', 'agreement', 'year', 'tasks' and 'rows'"),
                                       _START))
        return parts, problems
    fields = FollowUpFile.model_fields
    problems.extend(top_level_key_problems(source, data, fields, _START))
    for name, info in fields.items():
        if name not in data:
            continue
        value = data[name]
        entry_model = _ENTRIES.get(name)
        if entry_model is None:
            annotation: Any = info.annotation
            try:
                setattr(parts, name, TypeAdapter(annotation).validate_python(value, strict=True))
            except ValidationError as exc:
                problems.extend(_translate(source, (name,), exc, FollowUpFile))
            continue
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.append(source.problem((name,), T_("'{name}' must be a mapping keyed by id, not {value}",
                                                       name=name, value=_kind_of(value)),
                                           T_("ids, each followed by ':' and its entries, under '{name}:'", name=name),
                                           _START))
            continue
        out: dict[str, Any] = {}
        for key, entry in value.items():
            path: PathT = (name, key)
            if not isinstance(key, str) or not key:
                problems.append(source.problem(path, T_('invalid id {key!s}', key=key),
                                               T_("an id such as 1.1-borgermillionen"),
                                               T_("ids are written as the agreement writes them"), key=True))
                continue
            if entry is None and name != "new_rows":
                out[key] = None
                continue
            try:
                out[key] = entry_model.model_validate(entry)
            except ValidationError as exc:
                problems.extend(_translate(source, path, exc, FollowUpFile))
                out[key] = _salvage(entry_model, entry) if name != "new_rows" else followup_checks.INVALID
        setattr(parts, name, out)
    return parts, problems


def _salvage(model: type[BaseModel], entry: Any) -> Any:
    """The valid fields and list items of an entry that failed (its problems are reported already), so that
    the checks against the agreement still run on the rest: every problem at once."""
    if not isinstance(entry, dict):
        return followup_checks.INVALID
    kept: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in entry:
            continue
        value = entry[name]
        annotation: Any = info.annotation
        try:
            kept[name] = TypeAdapter(annotation).validate_python(value, strict=True)
            continue
        except ValidationError:
            pass
        item = _inner_model(annotation)
        if isinstance(value, list) and item is not None:
            good: list[BaseModel | None] = []
            for v in value:
                try:
                    good.append(item.model_validate(v))
                except ValidationError:
                    good.append(None)  # keeps the indices of the items after it
            kept[name] = good
    return model.model_construct(**kept)
