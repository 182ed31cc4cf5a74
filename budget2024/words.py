"""How messages describe what a user wrote: the kind of a value ("a mapping", "an empty value"), a
character pasted from a PDF or Word, and how a quoted amount is written as a number. Light: no
PyYAML, no pydantic; the agreement's, the overlays' and the follow-up files' readers share it."""

from __future__ import annotations

import datetime as dt
import re


def kind_of(value: object) -> str:
    """What a value is, with its article, for messages: 'a list', 'an empty value'."""
    if value is None or value == "":
        return "an empty value"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return {dict: "a mapping", list: "a list", str: "text", int: "a whole number", float: "a decimal number"
            }.get(type(value), type(value).__name__)


#: Characters that look like a space or like nothing, as pasted from a PDF or Word.
_INVISIBLE_NAMES = {"\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space",
                    "\u200b": "a zero-width space", "\ufeff": "a byte order mark", "\u2060": "a word joiner",
                    "\u00ad": "a soft hyphen", "\u200e": "a left-to-right mark", "\u200f": "a right-to-left mark"}


def pasted_character(text: str | None) -> str | None:
    """Where ``text`` holds a space or an invisible character of Unicode's (a likely paste): which
    one, and after what, e.g. "a non-breaking space (U+00A0) after -500"; else None."""
    import unicodedata

    if not text or text.isascii() and text.isprintable():
        return None
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if ch != " " and (cat in {"Zs", "Zl", "Zp", "Cf"} or ch in _INVISIBLE_NAMES):
            name = _INVISIBLE_NAMES.get(ch) or "the character " + unicodedata.name(ch, "?").lower()
            before = text[:i].strip()
            where = f"after {before}" if before else "before " + (text[i + 1:].strip() or "the end")
            return f"{name} (U+{ord(ch):04X}) {where}"
    return None


#: Dashes a PDF or Word puts where a minus sign was meant.
_MINUS_SIGNS = {"\u2212": "a Unicode minus sign (U+2212)", "\u2013": "an en dash (U+2013)",
                "\u2014": "an em dash (U+2014)", "\u2012": "a figure dash (U+2012)",
                "\ufe63": "a small hyphen-minus (U+FE63)", "\uff0d": "a full-width hyphen-minus (U+FF0D)"}


def written_as(t: str) -> str:
    """How a quoted amount such as '4.250 kr.' or '−5000' is written, as a hint's ending
    (" ('4.250 kr.' is written 4250)"); "" when it is not a number. The sign is kept: a minus
    written as a dash of Unicode's stays a minus."""
    head = t.split(",")[0].strip()
    dash = next((name for ch, name in _MINUS_SIGNS.items() if head.startswith(ch)), None)
    negative = head.startswith("-") or dash is not None
    digits = re.sub(r"[^0-9]", "", head)
    if not digits:
        return ""
    number = ("-" if negative else "") + digits
    if dash is not None:
        return f"; '{t}' begins with {dash}, as pasted from a PDF or Word: write {number}"
    return f" ('{t}' is written {number})"
