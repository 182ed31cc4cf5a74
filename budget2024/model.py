"""The pydantic types of an agreement file.

This module is the schema: every key that may appear in ``agreement.yaml`` is a
field here, and every field forbids unknown keys so that a typo such as
``ammounts`` is an error rather than silently dropped data.

Amounts are integers in 1.000 kr. (thousands of Danish kroner). They are
strict: a float, a string or a boolean is rejected. Checks that need the whole
document (years within the agreement, references, unique ids, the raw appendix
text) live in :mod:`budget2024.checks`, so that every problem can be reported
with its source position.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator
from pydantic import Strict as StrictMode

# re-exported: they live in the pydantic-free kinds module
from .kinds import SCHEMA_VERSION as SCHEMA_VERSION
from .kinds import Kind as Kind
from .kinds import Role as Role

Amount = StrictInt
Year = StrictInt
Amounts = dict[Year, Amount]
Id = Annotated[StrictStr, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Text = Annotated[StrictStr, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


#: Enums are given as plain strings in YAML; strict mode would accept only enum instances.
KindValue = Annotated[Kind, StrictMode(False)]
RoleValue = Annotated[Role, StrictMode(False)]


class Meta(Strict):
    """What the agreement is: who signed it, when, and for which years."""

    municipality: Text
    title: Text
    signed: dt.date
    budget_year: Year
    overslag_years: list[Year] = Field(min_length=1)
    unit: Literal["1000 DKK"]
    source: Text | None = None

    @property
    def years(self) -> list[int]:
        return [self.budget_year, *self.overslag_years]


class Body(Strict):
    """A responsible body: a standing committee, a § 17, stk. 4-udvalg, or the administration.

    ``aliases`` are lookup conveniences in common usage (``budget committee ØU``), not the
    agreement's words: the agreement writes every body out in full. ``section_17_4`` marks a
    committee set up under § 17, stk. 4 of the styrelseslov: a body of its own, not a standing
    committee (``committee`` is then false).
    """

    id: Id
    name: Text
    committee: StrictBool
    aliases: list[Text] = Field(default_factory=list, description=(
        "Lookup conveniences in common usage, not the agreement's words."))
    section_17_4: StrictBool = False
    note: Text | None = None

    @model_validator(mode="after")
    def _not_both(self) -> Body:
        if self.section_17_4 and self.committee:
            raise ValueError("a § 17, stk. 4-udvalg is not a standing committee: write 'committee: false'")
        return self


class Chapter(Strict):
    id: Id
    title: Text


class BodyRole(Strict):
    """A body named for a section or an initiative.

    ``inferred`` says why the link is inferred when the text does not name the body for this
    place (e.g. the nearest committee sentence belongs to the next section); without it the
    link is the text's own.
    """

    body: Id
    role: RoleValue
    note: Text | None = None
    inferred: Text | None = None


class Section(Strict):
    """A section of the agreement: numbered (``3.3.5``) or, in the general part, named."""

    id: Id
    chapter: Id
    title: Text
    bodies: list[BodyRole] = Field(default_factory=list)
    note: Text | None = None


class ProseAmount(Strict):
    """An amount as the prose of the agreement states it, converted to 1.000 kr.

    ``amounts`` holds the years the prose names. ``per_year`` is an amount the
    prose gives "årligt" without naming the years; ``total`` is an amount it gives
    "i alt"/"samlet" without splitting it over years.
    """

    text: Text
    kind: KindValue | None = None
    amounts: Amounts = {}
    per_year: Amount | None = None
    total: Amount | None = None
    note: Text | None = None
    #: Set when the amounts are a reading of the words, not the words themselves: what was read into them.
    reading: Text | None = None

    @model_validator(mode="after")
    def _something_stated(self) -> ProseAmount:
        if not self.amounts and self.per_year is None and self.total is None:
            raise ValueError("a prose amount needs 'amounts', 'per_year' or 'total'")
        return self


class Initiative(Strict):
    """One task of the agreement: a bullet, or a section whose text is the task."""

    id: Id
    section: Id
    title: Text
    bodies: list[BodyRole] = Field(default_factory=list)
    text: Text | None = None
    prose_amounts: list[ProseAmount] = Field(default_factory=list)
    note: Text | None = None


class Line(Strict):
    """One row of the appendix ("Bilag"), in the Drift or the Anlæg table."""

    id: Id
    kind: KindValue
    group: Text
    label: StrictStr
    title: Text
    amounts: Amounts = Field(min_length=1)
    raw: Text
    initiative: Id | None = None
    section: Id | None = None
    body: Id | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _linked(self) -> Line:
        if (self.initiative is None) == (self.section is None):
            raise ValueError("an appendix row links to exactly one of 'initiative' or 'section'")
        return self


DiscrepancyCategory = Literal[
    "amount", "year", "sign", "name", "section-label", "prose-only", "appendix-only", "total"
]


class Discrepancy(Strict):
    """A recorded difference between the prose and the appendix.

    ``section`` names a section, or a chapter when the difference is in a chapter heading.
    """

    id: Id
    category: DiscrepancyCategory
    section: Id
    initiative: Id | None = None
    line: Id | None = None
    text: Text


class StatedFigure(Strict):
    """A figure the general part states, with the sentence that states it."""

    id: Id
    measure: Text
    kind: KindValue | None = None
    value: Amount | None = None
    amounts: Amounts = {}
    years: list[Year] = Field(default_factory=list)
    approximate: StrictBool = False
    sentence: Text
    note: Text | None = None
    reading: Text | None = None


class TaxRate(Strict):
    id: Id
    value: float
    unit: Text
    sentence: Text


class KeyFigure(Strict):
    """A budget figure per year, with where it comes from.

    ``reading`` is set when the values are a reading of ``source`` rather than its words
    (e.g. a frame stated without a year, read as the budget year's); ``check-strategy``
    shows it with every result that uses the figure.
    """

    values: Amounts
    unit: Text
    source: Text
    reading: Text | None = None


class Threshold(Strict):
    """A threshold taken from a key figure, optionally scaled (1 pct. = 0.01)."""

    figure: Id
    factor: float = 1.0


class Target(Strict):
    """One target of the economic strategy."""

    id: Id
    goal: StrictInt | None = None
    wording: Text
    metric: Id
    comparison: Literal[">=", "<=", ">", "<", "=="]
    threshold: StrictInt | float | Threshold
    unit: Text
    years: list[Year] = Field(default_factory=list)
    period: list[Year] | None = Field(default=None, min_length=2, max_length=2)
    baseline_year: Year | None = None
    note: Text | None = None
    #: Set when the target turns the wording into a rule the agreement does not spell out (a
    #: comparison, years, a period): what was read into the words. Reports show it with every result.
    reading: Text | None = None


class Strategy(Strict):
    period: list[Year] = Field(min_length=2, max_length=2)
    text: Text
    targets: list[Target]


class Agreement(Strict):
    schema_version: Literal[1]
    agreement: Meta
    bodies: list[Body]
    chapters: list[Chapter]
    sections: list[Section]
    initiatives: list[Initiative]
    lines: list[Line]
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    stated_figures: list[StatedFigure] = Field(default_factory=list)
    tax_rates: list[TaxRate] = Field(default_factory=list)
    strategy: Strategy | None = None
    key_figures: dict[Id, KeyFigure] = {}
