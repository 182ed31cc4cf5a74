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
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator
from pydantic import Strict as StrictMode

# re-exported: they live in the pydantic-free kinds module
from .i18n import T_
from .kinds import SCHEMA_VERSION as SCHEMA_VERSION
from .kinds import Kind as Kind
from .kinds import Role as Role

Amount = StrictInt
Year = StrictInt
Amounts = dict[Year, Amount]
Id = Annotated[StrictStr, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Text = Annotated[StrictStr, Field(min_length=1)]


class Strict(BaseModel):
    # the attribute docstrings are the fields' descriptions in the JSON Schema (`budget schema`)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True)


#: Enums are given as plain strings in YAML; strict mode would accept only enum instances.
KindValue = Annotated[Kind, StrictMode(False)]
RoleValue = Annotated[Role, StrictMode(False)]


class Meta(Strict):
    """What the agreement is: who signed it, when, and for which years."""

    municipality: Text
    """The municipality whose agreement this is, e.g. Ballerup Kommune."""
    title: Text
    """The agreement's title as printed, e.g. Aftale om budget 2024."""
    signed: dt.date
    """The date the agreement was signed, as YYYY-MM-DD."""
    budget_year: Year
    """The budget year (the first year of amounts)."""
    overslag_years: list[Year] = Field(min_length=1)
    """The overslag years that follow the budget year, in order."""
    unit: Literal["1000 DKK"]
    """The unit of every amount: 1000 DKK (1.000 kr.)."""
    source: Text | None = None
    """Where the data comes from (the document and its appendix)."""

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
    """The body's id, used by every reference to it (letters, digits, '.', '_', '-')."""
    name: Text
    """The body's name as the agreement writes it."""
    committee: StrictBool
    """true for a standing committee (fagudvalg), false for e.g. Administrationen or a § 17, stk. 4-udvalg."""
    aliases: list[Text] = Field(default_factory=list, description=(
        "Lookup conveniences in common usage, not the agreement's words."))
    section_17_4: StrictBool = False
    """true for a committee set up under § 17, stk. 4 (not a standing committee)."""
    finance: StrictBool = False
    """true for the finance committee (the økonomiudvalg every municipality has): a standing committee, but not
    a fagudvalg."""
    note: Text | None = None
    """A remark on the body."""

    @model_validator(mode="after")
    def _not_both(self) -> Body:
        if self.section_17_4 and self.committee:
            raise ValueError(T_("a § 17, stk. 4-udvalg is not a standing committee: write 'committee: false'"))
        if self.finance and not self.committee:
            raise ValueError(T_("the finance committee is a standing committee: write 'committee: true'"))
        return self


class Chapter(Strict):
    id: Id
    """The chapter's id, e.g. "4" (quoted: it is text)."""
    title: Text
    """The chapter's title as printed."""


class BodyRole(Strict):
    """A body named for a section or an initiative.

    ``inferred`` says why the link is inferred when the text does not name the body for this
    place (e.g. the nearest committee sentence belongs to the next section); without it the
    link is the text's own.
    """

    body: Id
    """The id of a body (not its name or alias)."""
    role: RoleValue
    """responsible or involved (in English)."""
    note: Text | None = None
    """What the agreement says about the body's part."""
    inferred: Text | None = None
    """Why the link is inferred, where the text does not name the body for this place."""


class Section(Strict):
    """A section of the agreement: numbered (``3.3.5``) or, in the general part, named."""

    id: Id
    """The section number (3.3.5) or, in the general part, a name."""
    chapter: Id
    """The id of the chapter the section is in."""
    title: Text
    """The section's title as printed."""
    bodies: list[BodyRole] = Field(default_factory=list)
    """The bodies named for the whole section, with their roles."""
    note: Text | None = None
    """A remark on how the section was read."""


class ProseAmount(Strict):
    """An amount as the prose of the agreement states it, converted to 1.000 kr.

    ``amounts`` holds the years the prose names. ``per_year`` is an amount the
    prose gives "årligt" without naming the years; ``total`` is an amount it gives
    "i alt"/"samlet" without splitting it over years.
    """

    text: Text
    """The words of the prose that state the amount."""
    kind: KindValue | None = None
    """drift or anlaeg, where the prose says which."""
    amounts: Amounts = {}
    """Year → amount in 1.000 kr., for the years the prose names."""
    per_year: Amount | None = None
    """An amount the prose gives 'årligt' without naming the years (1.000 kr.)."""
    total: Amount | None = None
    """An amount the prose gives 'i alt'/'samlet', not split over years (1.000 kr.)."""
    note: Text | None = None
    """A remark on how the amount was read."""
    #: Set when the amounts are a reading of the words, not the words themselves: what was read into them.
    reading: Text | None = None
    """A reading of the words (the agreement does not spell this out): what was read into them."""

    @model_validator(mode="after")
    def _something_stated(self) -> ProseAmount:
        if not self.amounts and self.per_year is None and self.total is None:
            raise ValueError(T_("a prose amount needs 'amounts', 'per_year' or 'total'"))
        return self


class Initiative(Strict):
    """One task of the agreement: a bullet, or a section whose text is the task."""

    id: Id
    """The initiative's id, e.g. 1.1-borgermillionen."""
    section: Id
    """The id of the section the initiative is in."""
    title: Text
    """A short title of the task."""
    bodies: list[BodyRole] = Field(default_factory=list)
    """The bodies named for this initiative (else the section's), with their roles."""
    text: Text | None = None
    """The agreement's text of the task."""
    prose_amounts: list[ProseAmount] = Field(default_factory=list)
    """The amounts the prose states for the task."""
    note: Text | None = None
    """A remark on how the initiative was read."""


class Line(Strict):
    """One row of the appendix ("Bilag"), in the Drift or the Anlæg table."""

    # the schema says what _linked checks: exactly one of initiative and section
    model_config = ConfigDict(**Strict.model_config, json_schema_extra={"oneOf": [
        {"required": ["initiative"], "not": {"required": ["section"]}},
        {"required": ["section"], "not": {"required": ["initiative"]}}]})

    id: Id
    """The row's id, e.g. a-3.3.5-udvidelse-boerneinstitution-hedeparken."""
    kind: KindValue
    """The appendix table: drift or anlaeg."""
    group: Text
    """The heading the row stands under in the appendix."""
    label: StrictStr
    """The section label printed in front of the row ("" when none; quote it: "3.3")."""
    title: Text
    """The row's title as printed."""
    amounts: Amounts = Field(min_length=1)
    """Year → amount in 1.000 kr. (whole numbers; savings negative); a year without an amount is left out."""
    raw: Text
    """The row as printed in the appendix, to check the amounts against."""
    initiative: Id | None = None
    """The id of the initiative the row belongs to (or give section)."""
    section: Id | None = None
    """The id of the section the row belongs to, when it belongs to no initiative."""
    body: Id | None = None
    """The id of the body the row belongs to, when it is not its initiative's."""
    note: Text | None = None
    """A remark on how the row was read."""

    @model_validator(mode="after")
    def _linked(self) -> Line:
        if (self.initiative is None) == (self.section is None):
            raise ValueError(T_("an appendix row links to exactly one of 'initiative' or 'section'"))
        return self


DiscrepancyCategory = Literal[
    "amount", "year", "sign", "name", "section-label", "prose-only", "appendix-only", "total"
]


class Discrepancy(Strict):
    """A recorded difference between the prose and the appendix.

    ``section`` names a section, or a chapter when the difference is in a chapter heading.
    """

    id: Id
    """The difference's id."""
    category: DiscrepancyCategory
    """What differs: amount, year, sign, name, section-label, prose-only, appendix-only or total."""
    section: Id
    """The id of the section (or chapter) where the difference is."""
    initiative: Id | None = None
    """The id of the initiative concerned."""
    line: Id | None = None
    """The id of the appendix row concerned."""
    text: Text
    """What the prose and the appendix say."""


class StatedFigure(Strict):
    """A figure the general part states, with the sentence that states it."""

    id: Id
    """The figure's id."""
    measure: Text
    """What is measured, e.g. expansions."""
    kind: KindValue | None = None
    """drift or anlaeg, where the text says which."""
    value: Amount | None = None
    """The figure in 1.000 kr."""
    amounts: Amounts = {}
    """Year → figure in 1.000 kr., where the text gives one per year."""
    years: list[Year] = Field(default_factory=list)
    """The years the figure concerns."""
    approximate: StrictBool = False
    """true where the text says 'omkring' (about)."""
    sentence: Text
    """The sentence that states the figure."""
    note: Text | None = None
    """A remark on how the figure was read."""
    reading: Text | None = None
    """A reading of the words (the agreement does not spell this out): what was read into them."""


class TaxRate(Strict):
    id: Id
    """The rate's id, e.g. udskrivningsprocent."""
    value: float
    """The rate as a number with a decimal point, e.g. 25.5."""
    unit: Text
    """The rate's unit, e.g. pct. or promille."""
    sentence: Text
    """The sentence that states the rate."""


class KeyFigure(Strict):
    """A budget figure per year, with where it comes from.

    ``reading`` is set when the values are a reading of ``source`` rather than its words
    (e.g. a frame stated without a year, read as the budget year's); ``check-strategy``
    shows it with every result that uses the figure.
    """

    values: Amounts
    """Year → value, in the unit."""
    unit: Text
    """The unit of the values, e.g. 1000 DKK or persons."""
    source: Text
    """Where the values come from."""
    reading: Text | None = None
    """A reading of the words (the agreement does not spell this out): what was read into them."""


class Threshold(Strict):
    """A threshold taken from a key figure, optionally scaled (1 pct. = 0.01)."""

    figure: Id
    """The name of the key figure the threshold is taken from."""
    factor: float = 1.0
    """The factor it is scaled by (1 pct. = 0.01)."""


class Target(Strict):
    """One target of the economic strategy."""

    id: Id
    """The target's id."""
    goal: StrictInt | None = None
    """The goal's number in the strategy."""
    wording: Text
    """The target as the agreement words it."""
    metric: Id
    """What is measured (a metric of check-strategy)."""
    comparison: Literal[">=", "<=", ">", "<", "=="]
    """How the measure compares with the threshold: >=, <=, >, < or ==."""
    threshold: StrictInt | float | Threshold
    """A number, or a key figure scaled by a factor."""
    unit: Text
    """The unit of the threshold."""
    years: list[Year] = Field(default_factory=list)
    """The years the target is checked for, each on its own."""
    period: list[Year] | None = Field(default=None, min_length=2, max_length=2)
    """First and last year, for a target over a period."""
    baseline_year: Year | None = None
    """The year a change is measured from."""
    note: Text | None = None
    """A remark on how the target was read."""
    #: Set when the target turns the wording into a rule the agreement does not spell out (a
    #: comparison, years, a period): what was read into the words. Reports show it with every result.
    reading: Text | None = None
    """A reading of the words (the agreement does not spell this out): what was read into them."""


class Strategy(Strict):
    period: list[Year] = Field(min_length=2, max_length=2)
    """First and last year of the strategy."""
    text: Text
    """The strategy's text."""
    targets: list[Target]
    """The targets of the strategy."""


class Agreement(Strict):
    schema_version: Literal[1]
    """The version of this file format: 1."""
    agreement: Meta
    """The agreement itself: municipality, title, date signed, budget year and overslag years, unit."""
    bodies: list[Body]
    """The committees and other responsible bodies."""
    chapters: list[Chapter]
    """The agreement's chapters."""
    sections: list[Section]
    """The agreement's sections."""
    initiatives: list[Initiative]
    """The tasks of the agreement."""
    lines: list[Line]
    """The rows of the appendix (Drift and Anlæg), with their amounts."""
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    """Recorded differences between the prose and the appendix."""
    stated_figures: list[StatedFigure] = Field(default_factory=list)
    """Figures the general part states."""
    tax_rates: list[TaxRate] = Field(default_factory=list)
    """The tax rates the agreement states."""
    strategy: Strategy | None = None
    """The economic strategy and its targets."""
    key_figures: dict[Id, KeyFigure] = {}
    """Budget figures per year that the strategy is measured against, by name."""


#: The names a figures file may use (budget2024.figures.FIGURE_UNITS, as a type for the schema).
FigureName = Literal["operating_surplus", "service_expenditure", "anlaeg_expenditure", "average_liquidity", "debt",
                     "population", "service_frame", "anlaeg_frame", "reprioritisation_contribution"]


class FiguresFile(Strict):
    """A figures file for `budget check-strategy --figures FILE`: key figures per year, by name.

    Each file extends or overrides the agreement's key figures; the last file wins. The
    loader (budget2024.figures) checks it; this model is its JSON Schema."""

    key_figures: dict[FigureName, dict[Year, StrictInt]] = {}
    """Figure name → year → value (1000 DKK; population in persons), e.g. operating_surplus: {2024: 230000}."""
    reprioritisation_rows: list[Id] | None = None
    """The appendix rows (ids) that form the reprioritisation contribution; the figure is minus their sum per year."""


if TYPE_CHECKING:  # mypy checks that the models satisfy the views that reports read
    from . import views

    def _satisfies_views(a: Agreement) -> views.Agreement:
        return a
