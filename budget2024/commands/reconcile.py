"""reconcile: where the prose and the appendix disagree."""

from __future__ import annotations

from ..cli import app  # noqa: F401
