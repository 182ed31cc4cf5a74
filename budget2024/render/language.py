"""Text in a given language for a while: the JSON of a report stays English whatever the run's language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .. import i18n


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Every text in ``lang`` inside the block; the run's language again afterwards."""
    before = i18n.language()
    if lang == before:
        yield
        return
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language(before)
