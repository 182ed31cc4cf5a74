"""Danish alphabetical order, as a sort key: æ, ø and å after z, "aa" as å, case and accents ignored.

A small key of our own: PyICU (the well-kept collation library) does not install cleanly on a
fresh machine. It follows the Danish rules a reader checks by eye (Danish Sprognævn; ICU's "da"):
the letters a–z, then æ (and ä), ø (and ö), å (and "aa"); other accents (é, ü) are ignored; upper
and lower case sort together, with the text itself breaking ties so that the order is total.
"""

from __future__ import annotations

import unicodedata

#: Letters after z, in Danish order; ä and ö sort as æ and ø.
_AFTER_Z = {"æ": 1, "ä": 1, "ø": 2, "ö": 2, "å": 3}


def danish_key(text: str) -> tuple[tuple[int, ...], str]:
    """The sort key of ``text`` in Danish alphabetical order."""
    folded = unicodedata.normalize("NFC", text).casefold().replace("aa", "å")
    primary: list[int] = []
    for c in folded:
        if c in _AFTER_Z:
            primary.append(ord("z") + _AFTER_Z[c])
            continue
        base = "".join(b for b in unicodedata.normalize("NFD", c) if not unicodedata.combining(b))
        primary.extend(ord(b) for b in base)
    return tuple(primary), text


def danish_sorted(names: list[str]) -> list[str]:
    """``names`` in Danish alphabetical order."""
    return sorted(names, key=danish_key)
