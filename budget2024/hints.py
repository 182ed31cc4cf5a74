"""Hints for references written the way people speak, not by id.

The file's references (``body:``, ``initiative:``, ``section:``) take ids only, but the command
line takes names and aliases, so a file may well say ``body: KMU`` or ``body: Klima- og
Miljøudvalget``. These functions find the id that is meant, from the raw document (they run
while a file is being checked, before it is valid), and word the hint.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .i18n import T_

#: Danish words for the two roles, and the value the file takes.
DANISH_ROLES = {
    "ansvarlig": "responsible", "ansvarlige": "responsible", "ansvar": "responsible",
    "hovedansvarlig": "responsible", "ejer": "responsible",
    "involveret": "involved", "involverede": "involved", "inddraget": "involved", "inddrages": "involved",
    "medinddraget": "involved", "deltager": "involved", "medvirkende": "involved", "part": "involved",
}

#: The list a reference points into, and what its items are called by in the hint.
_TARGETS = {"bodies": ("name", "aliases"), "initiatives": ("title",), "sections": ("title",)}
_WORDS = {"name": T_("the name"), "aliases": T_("the alias"), "title": T_("the title")}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def reference_hint(data: Any, target: str, value: object) -> str | None:
    """'KMU is the alias of klima-miljoe; write klima-miljoe' when ``value`` is the name, alias or
    title of exactly one item of ``target``; None otherwise."""
    if not isinstance(value, str) or target not in _TARGETS or not isinstance(data, dict):
        return None
    items = data.get(target)
    if not isinstance(items, list):
        return None
    want = _fold(value)
    if not want:
        return None
    found: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        for key in _TARGETS[target]:
            names = item.get(key)
            names = names if isinstance(names, list) else [names]
            if any(isinstance(n, str) and _fold(n) == want for n in names):
                found.append((item["id"], key))
                break
    if len({i for i, _ in found}) != 1:
        return None
    ident, key = found[0]
    return T_("'{value}' is {what} of {id}; write {id} (references take ids)", value=value, what=_WORDS[key], id=ident)


def role_hint(value: object) -> str | None:
    """'ansvarlig' → the hint with the English value the file takes."""
    if not isinstance(value, str):
        return None
    english = DANISH_ROLES.get(_fold(value))
    if english is None:
        return None
    return T_("roles are written in English: '{value}' is {english} (responsible = ansvarlig, involved = "
              "involveret)", value=value, english=english)
