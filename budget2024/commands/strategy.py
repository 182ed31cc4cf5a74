"""check-strategy: the economic strategy as a CI gate."""

from __future__ import annotations

from ..cli import app  # noqa: F401
