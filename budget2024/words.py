"""How messages describe what a user wrote: the kind of a value ("a mapping", "an empty value"), a
character pasted from a PDF or Word, and how a quoted amount is written as a number. Light: no
PyYAML, no pydantic; the agreement's, the overlays' and the follow-up files' readers share it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable

from .i18n import T_, Text


def either(choices: Iterable[str]) -> str:
    """The choices joined as "a or b or c", in the chosen language when shown."""
    items = list(choices)
    return functools.reduce(lambda a, b: T_("{first} or {second}", first=a, second=b), items) if items else ""


def kind_of(value: object) -> str:
    """What a value is, with its article, for messages: 'a list', 'an empty value'."""
    if value is None or value == "":
        return T_("an empty value")
    if isinstance(value, bool):
        return T_("a true/false value")
    if isinstance(value, dt.datetime):
        return T_("a date and time")
    if isinstance(value, dt.date):
        return T_("a date")
    return {dict: T_("a mapping"), list: T_("a list"), str: T_("text"), int: T_("a whole number"),
            float: T_("a decimal number")}.get(type(value), type(value).__name__)


#: Characters that look like a space or like nothing, as pasted from a PDF or Word.
_INVISIBLE_NAMES = {"\u00a0": T_("a non-breaking space"), "\u202f": T_("a narrow non-breaking space"),
                    "\u200b": T_("a zero-width space"), "\ufeff": T_("a byte order mark"),
                    "\u2060": T_("a word joiner"), "\u00ad": T_("a soft hyphen"),
                    "\u200e": T_("a left-to-right mark"), "\u200f": T_("a right-to-left mark")}


def pasted_character(text: str | None) -> str | None:
    """Where ``text`` holds a space or an invisible character of Unicode's (a likely paste): which
    one, and after what, e.g. "a non-breaking space (U+00A0) after -500"; else None."""
    import unicodedata

    if not text or text.isascii() and text.isprintable():
        return None
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if ch != " " and (cat in {"Zs", "Zl", "Zp", "Cf"} or ch in _INVISIBLE_NAMES):
            name = _INVISIBLE_NAMES.get(ch) or T_("the character {name}", name=unicodedata.name(ch, "?").lower())
            before = text[:i].strip()
            where = (T_("after {before}", before=before) if before
                     else T_("before {rest}", rest=text[i + 1:].strip() or T_("the end")))
            return T_("{name} (U+{code:04X}) {where}", name=name, code=ord(ch), where=where)
    return None


#: Dashes a PDF or Word puts where a minus sign was meant.
_MINUS_SIGNS = {"\u2212": T_("a Unicode minus sign (U+2212)"), "\u2013": T_("an en dash (U+2013)"),
                "\u2014": T_("an em dash (U+2014)"), "\u2012": T_("a figure dash (U+2012)"),
                "\ufe63": T_("a small hyphen-minus (U+FE63)"), "\uff0d": T_("a full-width hyphen-minus (U+FF0D)")}


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
        return Dashed(t, dash, number)
    return T_(" ('{t}' is written {number})", t=t, number=number)


class Dashed(str):
    """``written_as`` for a minus pasted as a dash: "; " and the hint, which :attr:`hint` gives alone."""

    hint: Text

    def __new__(cls, t: str, dash: str, number: str) -> Dashed:
        hint = T_("'{t}' begins with {dash}, as pasted from a PDF or Word: write {number}", t=t, dash=dash,
                  number=number)
        self = super().__new__(cls, "; " + hint)
        self.hint = hint
        return self

    @staticmethod
    def hint_of(written: str) -> Text:
        """The hint alone, of a ``written_as`` that is a :class:`Dashed`."""
        assert isinstance(written, Dashed)
        return written.hint
