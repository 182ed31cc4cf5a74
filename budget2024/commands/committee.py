"""Committee reports and browsing: committee, committees, list, show (issue: committee reports)."""

from __future__ import annotations

from ..cli import app  # noqa: F401
