"""The parts of the data model that need no pydantic: the schema version and the enums.

They live apart from :mod:`budget2024.model` (which re-exports them) so that reports
and the cache can use them without importing pydantic, which takes longer to import
than a whole report takes to run.
"""

from __future__ import annotations

from enum import StrEnum

#: The version of the schema in :mod:`budget2024.model`; an agreement file states it as ``schema_version``.
SCHEMA_VERSION = 1


class Kind(StrEnum):
    """The appendix table a row belongs to: Drift (operations) or Anlæg (construction)."""

    drift = "drift"
    anlaeg = "anlaeg"


class Role(StrEnum):
    """How a body is named for an initiative or section."""

    responsible = "responsible"
    involved = "involved"


#: A task's state in a follow-up status entry.
STATES = ("not-started", "on-track", "delayed", "done", "cancelled", "ongoing")
#: The quarters a follow-up plan is written for.
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
