"""Text compared without case or accents, and Danish letters in the ways they are spelt without them:
how a search, a body's name and the prose of a section are matched. Light: the standard library only."""

from __future__ import annotations

import functools
import unicodedata

# Danish letters, each with the ways it is spelt on a keyboard without them.
_DANISH = {"æ": ("ae", "a", "e"), "ø": ("oe", "o"), "å": ("aa", "a")}


def strip_accents(text: str) -> str:
    """``text`` without combining marks: 'idéer' → 'ideer' (Danish letters are letters of their own)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # a section's prose is folded once, not once per row (linear in rows)
def fold(text: str) -> str:
    """Case- and accent-free: 'Idéer' → 'ideer'."""
    return strip_accents(text.casefold())


def fold_variants(text: str) -> set[str]:
    """Case- and accent-free spellings of ``text``: 'Økonomi' → {'oekonomi', 'okonomi'}.

    Each Danish letter is spelt in every usual way without it (æ → ae/a/e, ø → oe/o, å → aa/a),
    consistently within one variant; other accents are dropped (idéer → ideer).
    """
    base = text.casefold()
    variants = {base}
    for letter, spellings in _DANISH.items():
        if letter in base:
            variants = {v.replace(letter, s) for v in variants for s in spellings}
    return {strip_accents(v) for v in variants}
