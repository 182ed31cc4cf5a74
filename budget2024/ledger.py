"""Look-ups over a validated agreement, built once in linear time.

Reports use a :class:`Ledger` instead of scanning lists, so that every report stays
linear in the number of appendix rows and initiatives.

The agreement is typed as the views of :mod:`budget2024.views`, which both the pydantic
models of a full load and the cache's rows satisfy. Look-ups are built on first use, so that
a report that needs only the appendix rows never touches the initiatives.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .kinds import Role
from .numbers import is_section_number

if TYPE_CHECKING:  # the model module imports pydantic; the ledger must not need it at run time
    from .views import Agreement, Body, Initiative, Line, Section


def section_sort_key(section_id: str) -> tuple[tuple[int, ...], str]:
    """Numeric order for section numbers: 3.4.2 < 3.4.10; named (general-part) sections first."""
    if is_section_number(section_id):
        return (tuple(int(p) for p in section_id.split(".")), "")
    return ((0,), section_id)


class Ledger:
    """The agreement, with look-ups by id (a plain class: a dataclass costs start-up time)."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement

    def __repr__(self) -> str:
        return f"Ledger({self.agreement!r})"

    @cached_property
    def bodies(self) -> dict[str, Body]:
        return {b.id: b for b in self.agreement.bodies}

    @cached_property
    def sections(self) -> dict[str, Section]:
        return {s.id: s for s in self.agreement.sections}

    @cached_property
    def initiatives(self) -> dict[str, Initiative]:
        return {i.id: i for i in self.agreement.initiatives}

    @property
    def years(self) -> list[int]:
        """The budget year, then the overslag years."""
        meta = self.agreement.agreement
        return [meta.budget_year, *meta.overslag_years]

    @property
    def unit(self) -> str:
        return self.agreement.agreement.unit

    def responsible(self, initiative: Initiative) -> list[str]:
        """Ids of the bodies responsible for an initiative (its own, else its section's)."""
        own = [r.body for r in initiative.bodies if r.role == Role.responsible]
        if own:
            return own
        section = self.sections.get(initiative.section)
        return [r.body for r in section.bodies if r.role == Role.responsible] if section else []

    def line_section(self, line: Line) -> str | None:
        if line.initiative is not None:
            ini = self.initiatives.get(line.initiative)
            return ini.section if ini else None
        return line.section

    def line_body(self, line: Line) -> str | None:
        """The body an appendix row belongs to: explicit, else from its initiative or section."""
        return self._line_bodies.get(line.id)

    @cached_property
    def _line_bodies(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for line in self.agreement.lines:
            if line.body is not None:
                out[line.id] = line.body
                continue
            candidates: list[str] = []
            if line.initiative is not None and line.initiative in self.initiatives:
                candidates = self.responsible(self.initiatives[line.initiative])
            elif line.section is not None and line.section in self.sections:
                candidates = [r.body for r in self.sections[line.section].bodies if r.role == Role.responsible]
            out[line.id] = candidates[0] if len(candidates) == 1 else None
        return out

    @cached_property
    def lines_by_initiative(self) -> dict[str, list[Line]]:
        out: dict[str, list[Line]] = {}
        for line in self.agreement.lines:
            if line.initiative is not None:
                out.setdefault(line.initiative, []).append(line)
        return out

    @cached_property
    def _line_refs(self) -> dict[str, str]:
        """Short references to the appendix rows: the kind's initial and the row's place in that
        kind's table (D1, D2, …, A1, …), short enough for a table column."""
        out: dict[str, str] = {}
        count: dict[str, int] = {}
        for line in self.agreement.lines:
            k = line.kind.value
            count[k] = count.get(k, 0) + 1
            out[line.id] = f"{k[0].upper()}{count[k]}"
        return out

    def line_ref(self, line: Line) -> str:
        return self._line_refs[line.id]

    @cached_property
    def lines_by_ref(self) -> dict[str, Line]:
        """Appendix rows by their short reference, upper case (see :meth:`line_ref`)."""
        by_id = {ln.id: ln for ln in self.agreement.lines}
        return {ref: by_id[lid] for lid, ref in self._line_refs.items()}

    def chapter_of(self, section_id: str) -> str | None:
        s = self.sections.get(section_id)
        return s.chapter if s else None
