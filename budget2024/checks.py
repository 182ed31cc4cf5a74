"""Checks that need the whole agreement: ids, references, years and the raw appendix rows."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .hints import reference_hint
from .i18n import N_, T_, Text
from .model import Agreement, Amounts, BodyRole, Role, Threshold
from .strategy_checks import locate, unknown_figure
from .vocab import FIGURE_UNITS
from .yamlsource import PathT, Source

_NUMBER = re.compile(r"^-?\d{1,3}(?:\.\d{3})*$")


_COLLECTIONS = ("bodies", "chapters", "sections", "initiatives", "lines", "discrepancies", "stated_figures",
                "tax_rates")


#: The messages of a reference to an id that is not there, per kind of reference (the same English as
#: "unknown {what} '{value}'" and "the id of one of the {target}", worded whole for the translation).
_UNKNOWN = {"body": N_("unknown body '{value}'"), "chapter": N_("unknown chapter '{value}'"),
            "section": N_("unknown section '{value}'"), "initiative": N_("unknown initiative '{value}'"),
            "line": N_("unknown line '{value}'")}
_ID_OF = {"bodies": T_("the id of one of the bodies"), "chapters": T_("the id of one of the chapters"),
          "sections": T_("the id of one of the sections"), "initiatives": T_("the id of one of the initiatives"),
          "lines": T_("the id of one of the lines")}

def _ids(items: Sequence[Any]) -> set[str]:
    return {x.id for x in items}


@dataclass
class Context:
    """What every check reads: the (possibly partial) agreement, its source, and look-ups built once."""

    source: Source
    present: dict[str, Any]  # the fields that validated
    collections: dict[str, list[Any]]  # each list of the document, validated items only
    index: dict[str, list[int]]  # the document index of each validated item, per list
    known: dict[str, set[str]]  # the ids each reference may name (lists that are missing are absent)
    data: dict[Any, Any]  # the document itself

    @classmethod
    def build(cls, ag: Agreement, source: Source, bad_ids: dict[str, set[str]],
              indices: dict[str, list[int]] | None = None) -> Context:
        present = {name: value for name, value in ag.__dict__.items() if name in ag.model_fields_set}
        collections: dict[str, list[Any]] = {name: present.get(name) or [] for name in _COLLECTIONS}
        # positions refer to the document's list indices; items that failed validation are
        # missing from the validated lists, so map validated items back to their index.
        index = {name: (indices or {}).get(name) or _doc_indices(source, name, items)
                 for name, items in collections.items()}
        # a list that is missing or not a list has been reported already; references into it are not
        known = {name: _ids(items) | bad_ids.get(name, set()) for name, items in collections.items()
                 if isinstance(present.get(name), list)}
        data = source.data if isinstance(source.data, dict) else {}
        return cls(source, present, collections, index, known, data)

    @property
    def years(self) -> set[int]:
        meta = self.present.get("agreement")
        return set(meta.years) if meta is not None else set()

    def ref(self, path: PathT, value: str | None, target: str, what: str) -> list[Problem]:
        """A reference to an id that the list ``target`` does not hold."""
        if value is None or value in self.known.get(target, ()) or target not in self.known:
            return []
        close = difflib.get_close_matches(value, sorted(_ids(self.collections[target])), n=1)
        hint: str = (T_("did you mean '{close}'?", close=close[0]) if close
                     else T_("add it to '{target}', or fix the spelling", target=target))
        hint = reference_hint(self.source.data, target, value) or hint
        unknown = _UNKNOWN.get(what)
        return [self.source.problem(path, Text(unknown, value=value) if unknown else T_("unknown {what} '{value}'",
                                                                                       what=what, value=value),
                                    _ID_OF.get(target) or T_("the id of one of the {target}", target=target), hint)]

    def roles(self, path: PathT, rs: Sequence[BodyRole]) -> list[Problem]:
        """Unknown bodies, and bodies listed twice, in a ``bodies:`` list of roles."""
        if not rs or len(rs) == 1 and rs[0].body in self.known.get("bodies", set()):  # the common case
            return []
        out: list[Problem] = []
        first: dict[str, int] = {}
        for j, r in enumerate(rs):
            out.extend(self.ref((*path, "bodies", j, "body"), r.body, "bodies", "body"))
            if r.body in first:
                first_line = self.source.locate((*path, "bodies", first[r.body]))[0]
                out.append(self.source.problem(
                    (*path, "bodies", j, "body"), T_("the body '{body}' is listed twice (first on line {first_line})",
                                                     body=r.body, first_line=first_line),
                    T_("each body once, with one role"),
                    T_("delete one of the two entries; if the roles differ, keep the one the text gives")))
            first.setdefault(r.body, j)
        return out

    def year_range(self, path: PathT, amounts: Amounts) -> list[Problem]:
        """Years of ``amounts`` that the agreement does not cover."""
        years = self.years
        if not years or years.issuperset(amounts):
            return []
        lo, hi = min(years), max(years)
        return [self.source.problem((*path, y), T_('year {y} is outside the agreement', y=y),
                                    T_('a year from {lo} to {hi}', lo=lo, hi=hi),
                                    T_("the agreement covers the budget year and the overslagsår"), key=True)
                for y in amounts if y not in years]


Check = Callable[[Context], list[Problem]]


def duplicate_ids(c: Context) -> list[Problem]:
    """Ids used twice in one list, found in the document itself, so that an item that failed
    validation still counts as the first (or the second) occurrence."""
    out: list[Problem] = []
    for name in _COLLECTIONS:
        raw_items = c.data.get(name)
        if not isinstance(raw_items, list):
            continue
        seen: dict[str, int] = {}
        for i, raw_item in enumerate(raw_items):
            item_id = raw_item.get("id") if isinstance(raw_item, dict) else None
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                first_line = c.source.locate((name, seen[item_id], "id"))[0]
                out.append(c.source.problem(
                    (name, i, "id"), T_("duplicate id '{item_id}' (first used on line {first_line})", item_id=item_id,
                                        first_line=first_line),
                    T_("a unique id in this list"), T_("rename one of them; ids are how rows refer to "
                    "each other, so a duplicate would make a reference ambiguous")))
            else:
                seen[item_id] = i
    return out


def body_names(c: Context) -> list[Problem]:
    """Two bodies with the same name or alias once normalised."""
    return _body_name_problems(c.source, c.data.get("bodies"))


def overslag_years(c: Context) -> list[Problem]:
    """The overslag years: after the budget year, each once."""
    meta = c.present.get("agreement")
    if meta is None:
        return []
    out: list[Problem] = []
    n = len(meta.overslag_years)
    example = ", ".join(str(meta.budget_year + k) for k in range(1, max(n, 1) + 1))
    seen: set[int] = set()
    for j, y in enumerate(meta.overslag_years):
        if y <= meta.budget_year or y in seen:
            out.append(c.source.problem(
                ("agreement", "overslag_years", j),
                T_("the overslag year {year} is given twice", year=y) if y in seen
                else T_("the overslag year {year} is not after the budget year {budget_year}", year=y,
                        budget_year=meta.budget_year),
                T_('the years after the budget year, each once, e.g. [{example}]', example=example),
                T_("the overslagsår are the years that follow the budget year")))
        seen.add(y)
    return out


def section_references(c: Context) -> list[Problem]:
    """Each section's chapter and bodies exist."""
    out: list[Problem] = []
    for s, i in zip(c.collections["sections"], c.index["sections"], strict=True):
        out.extend(c.ref(("sections", i, "chapter"), s.chapter, "chapters", "chapter"))
        out.extend(c.roles(("sections", i), s.bodies))
    return out


def initiative_references(c: Context) -> list[Problem]:
    """Each initiative's section and bodies exist, and its prose amounts are in the agreement's years."""
    out: list[Problem] = []
    known_sections = c.known.get("sections", set())
    for ini, i in zip(c.collections["initiatives"], c.index["initiatives"], strict=True):
        if ini.section not in known_sections:
            out.extend(c.ref(("initiatives", i, "section"), ini.section, "sections", "section"))
        out.extend(c.roles(("initiatives", i), ini.bodies))
        for j, pa in enumerate(ini.prose_amounts):
            out.extend(c.year_range(("initiatives", i, "prose_amounts", j, "amounts"), pa.amounts))
    return out


def appendix_rows(c: Context) -> list[Problem]:
    """Each appendix row: its references, its years, no zero amounts, its raw text, one committee."""
    out: list[Problem] = []
    p = c.source.problem
    known_initiatives = c.known.get("initiatives", set())
    known_sections = c.known.get("sections", set())
    known_bodies = c.known.get("bodies", set())
    initiatives = {x.id: x for x in c.collections["initiatives"]}
    meta = c.present.get("agreement")
    years = c.years
    # the cells of a raw row are read by position only when the years themselves are sound
    sound = meta is not None and meta.years == sorted(years) and len(meta.years) == len(years)
    sorted_years = sorted(years) if sound else []
    for line, i in zip(c.collections["lines"], c.index["lines"], strict=True):
        path: PathT = ("lines", i)
        # the paths of problems are built only when there is one: this loop runs once per row
        if line.initiative is not None and line.initiative not in known_initiatives:
            out.extend(c.ref((*path, "initiative"), line.initiative, "initiatives", "initiative"))
        if line.section is not None and line.section not in known_sections:
            out.extend(c.ref((*path, "section"), line.section, "sections", "section"))
        if line.body is not None and line.body not in known_bodies:
            out.extend(c.ref((*path, "body"), line.body, "bodies", "body"))
        amounts = line.amounts
        if years and not years.issuperset(amounts):
            out.extend(c.year_range((*path, "amounts"), amounts))
        if 0 in amounts.values():
            for y, v in amounts.items():
                if v == 0:
                    out.append(p((*path, "amounts", y), T_('the amount for {y} is 0', y=y),
                                 T_("a non-zero amount, or no entry for that year"),
                                 T_("leave a year out when the appendix has no amount for it; never write 0")))
        out.extend(_raw_problems(c.source, path, line.label, line.title, line.raw, amounts, sorted_years))
        if line.body is None and line.initiative in initiatives:
            resp = [r.body for r in initiatives[line.initiative].bodies if r.role == Role.responsible]
            if len(resp) > 1:
                out.append(p(path,
                             T_("the row's committee is ambiguous: initiative '{initiative}' has {resp} responsible "
                                "bodies ({resp2})", initiative=line.initiative, resp=len(resp), resp2=', '.join(resp)),
                                T_("a 'body:' on the row"),
                             T_("add 'body: <id>' naming the body this row belongs to")))
    return out


def discrepancy_references(c: Context) -> list[Problem]:
    """Each recorded discrepancy names a section (or chapter), initiative and row that exist."""
    out: list[Problem] = []
    for d, i in zip(c.collections["discrepancies"], c.index["discrepancies"], strict=True):
        if d.section not in c.known.get("chapters", set()):  # a difference in a chapter heading names the chapter
            out.extend(c.ref(("discrepancies", i, "section"), d.section, "sections", "section"))
        out.extend(c.ref(("discrepancies", i, "initiative"), d.initiative, "initiatives", "initiative"))
        out.extend(c.ref(("discrepancies", i, "line"), d.line, "lines", "line"))
    return out


def stated_figure_years(c: Context) -> list[Problem]:
    """Stated figures are in the agreement's years."""
    return [pr for sf, i in zip(c.collections["stated_figures"], c.index["stated_figures"], strict=True)
            for pr in c.year_range(("stated_figures", i, "amounts"), sf.amounts)]


def strategy_targets(c: Context) -> list[Problem]:
    """Target ids once each, and thresholds naming a known key figure (a figure the file lacks may
    come from a ``--figures`` overlay, so any name of the vocabulary is known)."""
    strategy = c.present.get("strategy")
    if strategy is None:
        return []
    figures = c.present.get("key_figures")
    out: list[Problem] = []
    seen_t: dict[str, int] = {}
    for i, t in enumerate(strategy.targets):
        if t.id in seen_t:
            first_line = c.source.locate(("strategy", "targets", seen_t[t.id], "id"))[0]
            out.append(c.source.problem(("strategy", "targets", i, "id"),
                                        T_("duplicate target id '{id}' (first used on line {first_line})", id=t.id,
                                           first_line=first_line),
                                        T_("a unique id"), T_("rename one of them")))
        else:
            seen_t[t.id] = i
        if isinstance(t.threshold, Threshold) and (figures is not None or "key_figures" not in c.data):
            found = unknown_figure(("strategy", "targets", i, "threshold", "figure"), t.threshold.figure,
                                   sorted({*(figures or {}), *FIGURE_UNITS}),
                                   expected=T_("the name of one of the key_figures"),
                                   hint=T_("add it under 'key_figures:'"))
            if found is not None:
                out.extend(locate(c.source, [found]))
    return out


#: The whole-document checks, run in this order; adding a check is adding a function here.
CHECKS: list[Check] = [duplicate_ids, body_names, overslag_years, section_references, initiative_references,
                       appendix_rows, discrepancy_references, stated_figure_years, strategy_targets]


def check(ag: Agreement, source: Source, bad_ids: dict[str, set[str]],
          indices: dict[str, list[int]] | None = None) -> list[Problem]:
    """Every whole-document problem, from each of :data:`CHECKS` in turn.

    ``ag`` may be partial (built from the parts that validated). ``bad_ids`` are ids of
    items that failed validation (references to them are not reported again);
    ``indices`` gives, per list, the document index of each validated item."""
    context = Context.build(ag, source, bad_ids, indices)
    return [problem for one in CHECKS for problem in one(context)]


def _body_name_problems(source: Source, bodies: Any) -> list[Problem]:
    """Two bodies whose names or aliases are the same once normalised (NFC: 'Å' as one character
    or as 'A' and a combining ring) would make every look-up by that name ambiguous."""
    import unicodedata

    if not isinstance(bodies, list):
        return []
    out: list[Problem] = []
    seen: dict[str, tuple[int, str, PathT]] = {}
    for i, body in enumerate(bodies):
        if not isinstance(body, dict):
            continue
        names: list[tuple[PathT, object]] = [(("bodies", i, "name"), body.get("name"))]
        aliases = body.get("aliases")
        if isinstance(aliases, list):
            names += [(("bodies", i, "aliases", j), a) for j, a in enumerate(aliases)]
        mine: set[str] = set()
        for path, name in names:
            if not isinstance(name, str) or not name.strip():
                continue
            key = unicodedata.normalize("NFC", " ".join(name.split()))
            if key in mine:
                continue
            mine.add(key)
            if key in seen and seen[key][0] != i:
                first_i, first_name, first_path = seen[key]
                line = source.locate(first_path)[0]
                how = (T_(" (they differ only in Unicode normalisation: one writes a letter such as 'Å' as one "
                          "character, the other as a letter and a combining mark)") if first_name != name else "")
                out.append(source.problem(path,
                                          T_("the name '{name}' is already the name of another body, on line "
                                             "{line}{how}", name=name, line=line, how=how),
                                             T_("a name (and aliases) of its own for each body"),
                                          T_("rename one of them; retype the name so that its letters are the same "
                                          "characters") if how else T_("rename one of them, or merge the two bodies")))
            else:
                seen.setdefault(key, (i, name, path))
    return out


def _doc_indices(source: Source, name: str, items: Sequence[Any]) -> list[int]:
    """The document index of each validated item (validated items keep document order)."""
    raw = source.data.get(name) if isinstance(source.data, dict) else None
    if not isinstance(raw, list):
        return list(range(len(items)))
    out: list[int] = []
    j = 0
    for item in items:
        while j < len(raw):
            r = raw[j]
            j += 1
            if isinstance(r, dict) and r.get("id") == item.id:
                out.append(j - 1)
                break
        else:
            out.append(len(out))
    return out


_HYPHEN_BREAK = re.compile(r"(\w)- (\w)")


def _norm(s: str) -> str:
    """Collapse white space, and rejoin words the PDF hyphenated across a line ("Kil- bride")."""
    s = " ".join(s.split())
    return _HYPHEN_BREAK.sub(r"\1\2", s) if "- " in s else s


def raw_numbers(label: str, title: str, raw: str) -> list[str] | None:
    """The amount tokens of a raw appendix row, or None if it doesn't start with label and title."""
    head = _norm(f"{label} {title}")
    text = _norm(raw)
    if not text.startswith(head):
        return None
    return text[len(head):].split()


def raw_cells(raw: str, years: list[int]) -> dict[int, int] | None:
    """Read a raw row that keeps the appendix's trailing space: the last ``len(years)`` cells,
    counted from the right, one per year; an empty cell is a year without an amount.
    None when the row does not end with the trailing space or its cells are not amounts."""
    if not years or not raw.endswith(" "):
        return None
    cells = raw[:-1].rsplit(" ", len(years))[1:]
    if len(cells) != len(years) or not all(c == "" or _NUMBER.match(c) for c in cells):
        return None
    return {y: int(c.replace(".", "")) for y, c in zip(years, cells, strict=True) if c}


def _danish(n: int) -> str:
    return ("-" if n < 0 else "") + f"{abs(n):,}".replace(",", ".")


def expected_raw(label: str, title: str, amounts: Amounts, years: list[int]) -> str:
    """The raw row the appendix would print for these amounts: label, title, one cell per year
    (empty where the year has no amount), one space between the cells and one trailing space."""
    cells = [_danish(amounts[y]) if y in amounts else "" for y in years]
    return " ".join(p for p in (label, title) if p) + " " + " ".join(cells) + " "


def _dotted(text: str) -> str:
    """The end of a raw row with its spaces made visible, as ``sed 's/ /·/g'`` shows them."""
    return text.replace(" ", "·")


def _raw_problems(source: Source, path: PathT, label: str, title: str, raw: str,
                  amounts: Amounts, years: list[int] | None = None) -> list[Problem]:
    tokens = raw_numbers(label, title, raw)
    if tokens is None:
        return [source.problem((*path, "raw"), T_("the raw row does not begin with the row's label and title"),
                               T_('raw text starting with {value!r}', value=_norm(f'{label} {title}')),
                               T_("copy the row exactly as it stands in the appendix, and the title from it"))]
    bad = [t for t in tokens if not _NUMBER.match(t)]
    if bad:
        return [source.problem((*path, "raw"),
                               T_('the raw row has text after the title that is not an amount: {bad!r}',
                                  bad=' '.join(bad)), T_("the title, then the row's amounts"),
                               T_("the title must hold all the words of the row"))]
    numbers = [int(t.replace(".", "")) for t in tokens]
    ordered = [amounts[y] for y in sorted(amounts)]
    if numbers != ordered:
        return [source.problem((*path, "amounts"),
                               T_("the amounts {ordered} do not match the raw row's numbers {numbers}",
                                  ordered=ordered, numbers=numbers),
        T_("the raw row's numbers, in order, as the non-empty years"),
                               T_("re-read the row in the appendix, counting the cells from the right; when an "
                               "amendment changes an amount, change the raw row with it"))]
    cells = raw_cells(raw, years or [])
    if cells is None and years and len(numbers) < len(years) and set(amounts) <= set(years):
        # fewer amounts than years: only the cells' spacing says which years they belong to
        return [source.problem((*path, "raw"), T_("the raw row cannot be read by position: its cells' spacing is "
                               "lost, so nothing shows which years its amounts belong to"),
                               T_("the row as the appendix has it: one space between the cells, an empty cell for "
                               "a year without an amount, and one trailing space"),
                               T_('for these amounts write {label!r} (· marks a space: {label2})',
                                  label=expected_raw(label, title, amounts, years), label2=_dotted(expected_raw(label,
                                                                                                                title,
                               amounts, years))))]
    if cells is not None and cells != dict(amounts):
        def show(m: dict[int, int]) -> str:
            return "{" + ", ".join(f"{y}: {v}" for y, v in sorted(m.items())) + "}"

        return [source.problem((*path, "amounts"),
                               T_("the amounts {amounts} sit in other years than the raw row's cells, which read "
                                  "{cells}", amounts=show(dict(amounts)), cells=show(cells)),
                               T_("each amount in the year of its cell, counting the cells from the right"),
                               T_("the raw row keeps the appendix's spaces: one space between the cells, an empty "
                               "cell for a year without an amount, and one trailing space"))]
    return []
