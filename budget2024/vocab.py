"""The tool's vocabulary, without pydantic: kinds, roles, follow-up states, key-figure names and
units, and the metrics a strategy target may name (their units and how they are measured over time).

Every layer may import it; it imports nothing of the package but :mod:`budget2024.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .kinds import QUARTERS, SCHEMA_VERSION, STATES, Kind, Role

__all__ = ["FIGURE_HINTS", "FIGURE_UNITS", "METRIC_SHAPES", "POSITIVE_FIGURES", "QUARTERS", "ROWS_KEYS",
           "SCHEMA_VERSION", "STATES", "YEAR_RANGE", "Kind", "MetricShape", "Role"]

#: The key figures a target may use, and the unit each is given in.
FIGURE_UNITS: dict[str, str] = {
    "operating_surplus": "1000 DKK",
    "service_expenditure": "1000 DKK",
    "anlaeg_expenditure": "1000 DKK",
    "average_liquidity": "1000 DKK",
    "debt": "1000 DKK",
    "population": "persons",
    "service_frame": "1000 DKK",
    "anlaeg_frame": "1000 DKK",
    "reprioritisation_contribution": "1000 DKK",
}

#: The overlay key that gives a figure as the appendix rows that form it, and the figure it gives.
ROWS_KEYS = {"reprioritisation_rows": "reprioritisation_contribution"}

#: What a missing figure may be given as besides its values (shown with "Missing figures").
FIGURE_HINTS = {name: f"or name the appendix rows that form it: '{key}: [ROW-ID, ...]'"
                for key, name in ROWS_KEYS.items()}

#: Figures that divide other figures, and so must be positive.
POSITIVE_FIGURES = frozenset({"population"})

#: The years a figure may be given for: wide enough for any baseline, narrow enough to catch typos.
YEAR_RANGE = (1900, 2200)


@dataclass(frozen=True)
class MetricShape:
    """What the checks need to know of a metric: its unit, and whether it is measured per year
    (``years``) or over a ``period``; ``ledger_only`` metrics exist only for the agreement's years."""

    unit: str
    scope: Literal["year", "period"]
    ledger_only: bool = False
    uses_baseline: bool = False


#: Every metric a target may name (reports/strategy.py gives each its measurement).
METRIC_SHAPES: dict[str, MetricShape] = {
    **{name: MetricShape(unit, "year") for name, unit in FIGURE_UNITS.items()},
    "debt_reduction": MetricShape("1000 DKK", "period", uses_baseline=True),
    "liquidity_per_inhabitant": MetricShape("kr. per inhabitant", "year"),
}
