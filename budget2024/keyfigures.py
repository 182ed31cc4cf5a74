"""Key figures as plain data: a value per figure and year with the file it came from, merged
across the agreement and its overlays. Reports read these; reading them is figures.py's job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ledger import Ledger
    from .views import Agreement


@dataclass(frozen=True)
class FigureValue:
    """One key figure for one year, and the file it was read from.

    ``rows`` are the appendix rows the value was summed from (a ``reprioritisation_rows``
    overlay); ``reading`` is the agreement's note that the value is a reading of its words.
    """

    value: int
    file: str
    rows: tuple[str, ...] = ()
    reading: str | None = None


#: name → year → value
Figures = dict[str, dict[int, FigureValue]]


@dataclass
class StrategyInput:
    """Everything ``check-strategy`` evaluates: the ledger and the merged key figures."""

    ledger: Ledger
    figures: Figures
    agreement_file: str
    overlay_files: list[str] = field(default_factory=list)


def figures_from_agreement(agreement: Agreement, file: str) -> Figures:
    return {name: {y: FigureValue(v, file, reading=kf.reading) for y, v in kf.values.items()}
            for name, kf in agreement.key_figures.items()}


def merge(*layers: Figures) -> Figures:
    """Later layers extend and override earlier ones, figure by figure and year by year."""
    out: Figures = {}
    for layer in layers:
        for name, values in layer.items():
            out.setdefault(name, {}).update(values)
    return out
