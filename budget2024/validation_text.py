"""pydantic's validation messages in our words: the English stays pydantic's own (the messages
compare and serialise as today), and Danish output shows a translation chosen by the error's type.

Light: imports no pydantic (it is given the error's mapping, ``{"type": …, "msg": …, "ctx": …}``).
"""

from __future__ import annotations

from typing import Any

from .i18n import N_, Text

#: Our wording of each pydantic error type a file can cause (the catalogue translates these).
_BY_TYPE = {
    "int_parsing": N_("not a whole number"),
    "int_from_float": N_("a whole number was expected, not a decimal number"),
    "int_type": N_("a whole number was expected"),
    "float_parsing": N_("not a number"),
    "float_type": N_("a number was expected"),
    "bool_parsing": N_("true or false was expected"),
    "bool_type": N_("true or false was expected"),
    "string_type": N_("text was expected"),
    "literal_error": N_("the value must be one of {expected}"),
    "enum": N_("the value must be one of {expected}"),
    "too_short": N_("at least {min_length} entries are needed, found {actual_length}"),
    "too_long": N_("at most {max_length} entries are allowed, found {actual_length}"),
    "greater_than_equal": N_("the value must be at least {ge}"),
    "greater_than": N_("the value must be greater than {gt}"),
    "less_than_equal": N_("the value must be at most {le}"),
    "less_than": N_("the value must be less than {lt}"),
    "date_parsing": N_("not a valid date"),
    "date_from_datetime_parsing": N_("not a valid date"),
    "date_from_datetime_inexact": N_("a date without a time was expected"),
    "date_type": N_("a date was expected"),
    "invalid_key": N_("the keys must be text"),
    "finite_number": N_("the number must be finite"),
}


def message(err: Any) -> Text:
    """pydantic's message for ``err`` with a lower-case first letter (for use after a colon),
    shown in the chosen language."""
    msg = str(err.get("msg", ""))
    english = msg[:1].lower() + msg[1:]
    typ = str(err.get("type", ""))
    template = _BY_TYPE.get(typ)
    if template is None:
        return Text(english)
    ctx = dict(err.get("ctx") or {})
    if "expected" in ctx:  # "'responsible' or 'involved'" → "'responsible', 'involved'"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    try:
        template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return Text(english)
    return Text.worded(english, template, **ctx)


#: What a list or mapping of the wrong length should have, for the 'expected' line.
_EXPECTED_COUNT = {
    "too_short": N_("at least {min_length} entries, not {actual_length}"),
    "too_long": N_("at most {max_length} entries, not {actual_length}"),
}


def expected_count(err: Any) -> Text:
    """What a too short or too long value should have: pydantic's words ("at least 1 item after
    validation, not 0"), shown in the chosen language."""
    msg = str(err.get("msg", ""))
    english = msg.removeprefix("List should have ").removeprefix("Dictionary should have ")
    template = _EXPECTED_COUNT.get(str(err.get("type", "")))
    ctx = dict(err.get("ctx") or {})
    try:
        if template is None:
            raise KeyError
        template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return Text(english)
    return Text.worded(english, template, **ctx)
