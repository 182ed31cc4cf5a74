"""Filters on the appendix rows: one definition for ``totals``, ``lines`` and ``committees``.

:func:`make_filter` checks a request against the agreement (a section, chapter or committee
that does not exist is a :class:`FilterError` with the closest names) and returns a
:class:`RowFilter`; :func:`select` is the pure function that keeps the rows it matches.
Nothing here prints.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from ..folding import fold_variants
from ..i18n import T_
from ..ledger import Ledger, section_sort_key
from . import ReportError

if TYPE_CHECKING:  # reports run on cached data without importing pydantic
    from ..views import Line


class FilterError(ReportError):
    """A section, chapter or committee that the agreement does not have; ``candidates`` are the
    closest names."""

    def __init__(self, message: str, candidates: list[str], ambiguous: bool = False) -> None:
        super().__init__(message)
        self.candidates = candidates
        self.ambiguous = ambiguous


class RowFilter(NamedTuple):
    """A checked filter. ``committee`` is a body id; ``needles`` the folded search text."""

    section: str | None = None
    chapter: str | None = None
    committee: str | None = None
    committee_name: str | None = None
    kind: str | None = None
    search: str | None = None
    needles: frozenset[str] = frozenset()

    def active(self) -> bool:
        return any(v is not None for v in (self.section, self.chapter, self.committee, self.kind, self.search))

    def describe(self) -> dict[str, str]:
        """The filters given, as plain data (for titles and JSON)."""
        out: dict[str, str] = {}
        if self.section is not None:
            out["section"] = self.section
        if self.chapter is not None:
            out["chapter"] = self.chapter
        if self.committee_name is not None:
            out["committee"] = self.committee_name
        if self.kind is not None:
            out["kind"] = self.kind
        if self.search is not None:
            out["search"] = self.search
        return out


_NUMBERED = re.compile(r"\d+(\.\d+)*")


def in_section(section_id: str | None, prefix: str) -> bool:
    """Numeric prefix: '4.3' holds 4.3, 4.3.1 and 4.3.10 but not 4.30."""
    if section_id is None:
        return False
    prefix = prefix.strip().rstrip(".")
    return section_id == prefix or section_id.startswith(prefix + ".")


def check_section(ledger: Ledger, section: str) -> str:
    """The section prefix, stripped; a prefix that holds no section is a :class:`FilterError`."""
    wanted = section.strip().rstrip(".")
    if any(in_section(s, wanted) for s in ledger.sections):
        return wanted
    numbered = sorted((s for s in ledger.sections if _NUMBERED.fullmatch(s)), key=section_sort_key)
    close = difflib.get_close_matches(wanted, list(ledger.sections), n=3, cutoff=0.5)
    if numbered:
        raise FilterError(T_("no section '{section}' in the agreement; sections run from {first} to {last}",
                             section=section, first=numbered[0], last=numbered[-1]), close)
    raise FilterError(T_("no section '{section}' in the agreement", section=section), close)


def check_chapter(ledger: Ledger, chapter: str) -> str:
    wanted = chapter.strip().rstrip(".")
    ids = [c.id for c in ledger.agreement.chapters]
    if wanted in ids:
        return wanted
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.5)
    raise FilterError(T_("no chapter '{chapter}' in the agreement; its chapters are {chapters}", chapter=chapter,
                         chapters=", ".join(ids)), close)


def make_filter(ledger: Ledger, section: str | None = None, chapter: str | None = None,
                committee: str | None = None, kind: str | None = None, search: str | None = None) -> RowFilter:
    """Check each filter against the agreement; raise :class:`FilterError` (or the body look-up's
    error) for a name it does not have."""
    from .names import resolve_body

    body = resolve_body(ledger, committee) if committee is not None else None
    needles = frozenset(fold_variants(search.strip())) if search and search.strip() else frozenset()
    return RowFilter(
        section=check_section(ledger, section) if section is not None else None,
        chapter=check_chapter(ledger, chapter) if chapter is not None else None,
        committee=body.id if body else None,
        committee_name=body.name if body else None,
        kind=kind,
        search=search.strip() if search is not None and needles else None,
        needles=needles,
    )


def row_match(ledger: Ledger, line: Line, needles: frozenset[str]) -> str | None:
    """Where the search text is found for a row: 'row title', 'initiative title' or 'initiative
    text' (the text or a prose amount); None when it is not found."""
    def found(text: str | None) -> bool:
        return bool(text) and any(n in v for v in fold_variants(text or "") for n in needles)

    if found(line.title):
        return "row title"
    ini = ledger.initiatives.get(line.initiative) if line.initiative else None
    if ini is not None:
        if found(ini.title):
            return "initiative title"
        if found(ini.text) or any(found(p.text) for p in ini.prose_amounts):
            return "initiative text"
    return None


def select(ledger: Ledger, flt: RowFilter, rows: list[Line] | None = None) -> list[Line]:
    """The appendix rows (all, or ``rows``) that every given filter matches, in their order."""
    out: list[Line] = []
    for line in ledger.agreement.lines if rows is None else rows:
        if flt.kind is not None and line.kind.value != flt.kind:
            continue
        section = ledger.line_section(line)
        if flt.section is not None and not in_section(section, flt.section):
            continue
        if flt.chapter is not None and (section is None or ledger.chapter_of(section) != flt.chapter):
            continue
        if flt.committee is not None and ledger.line_body(line) != flt.committee:
            continue
        if flt.needles and row_match(ledger, line, flt.needles) is None:
            continue
        out.append(line)
    return out


def filter_info(flt: RowFilter, rows: int) -> dict[str, Any]:
    """What a filtered report says about its filters: which were given and how many rows matched."""
    return {"filters": flt.describe(), "rows": rows}
