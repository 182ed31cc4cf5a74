"""How a whole number may be written: plain decimal digits with an optional leading minus.

YAML 1.1 (and so PyYAML) reads ``0200`` as the octal number 128, ``3:20`` as the sexagesimal
(base 60) 200, ``0xC8`` as 200, ``2_00`` as 200 and ``+200`` as 200. None of these is how a
person writes an amount or a year, so both readers refuse them, with a hint that says what YAML
read. Every whole number is also bounded: an amount above 10^12 thousand kroner (and any year
or figure that large) is a typing error, not a number to add up. Light: no PyYAML, no pydantic.
"""

from __future__ import annotations

import re

#: The only form of a whole number (ASCII digits only).
PLAIN_INT = re.compile(r"-?(?:0|[1-9][0-9]*)", re.ASCII)
#: The largest whole number an agreement or a figures file may hold, in absolute value.
MAX_ABS = 10**12


def int_problem(text: str, value: int) -> tuple[str, str, str] | None:
    """(message, expected, hint) for a whole number written ``text`` that YAML read as ``value``;
    None when it is written plainly and within the bound."""
    expected = "a whole number in plain decimal digits, with an optional leading minus, e.g. 200 or -1180"
    if not PLAIN_INT.fullmatch(text):
        body = text.lstrip("+-")
        sign = "-" if text.startswith("-") else ""
        if "_" in body:
            digits = text.replace("_", "").lstrip("+")
            hint = f"{text} reads as {value} (YAML drops the underscores); write {digits}"
        elif ":" in body:
            hint = (f"{text} reads as the sexagesimal (base 60) number {value}; write the number in plain "
                    f"digits, e.g. {text.replace(':', '').lstrip('+')}")
        elif body[:2].lower() == "0x":
            hint = f"{text} reads as the hexadecimal number {value}; write {value}"
        elif body[:2].lower() == "0b":
            hint = f"{text} reads as the binary number {value}; write {value}"
        elif body[:2].lower() == "0o" or (len(body) > 1 and body[0] == "0"):
            meant = sign + (body.lstrip("0o") or "0")
            hint = f"{text} reads as the octal number {value}; write {meant}"
        elif text.startswith("+"):
            hint = f"write {text[1:]} without the plus sign"
        else:
            hint = f"write {value}"
        return f"the number '{text}' is not written in plain decimal digits", expected, hint
    if abs(value) > MAX_ABS:
        return (f"the number {text if len(text) <= 40 else text[:39] + '…'} is too large",
                "a whole number of at most 10^12 in absolute value",
                "an amount above 10^12 thousand kroner is a typing error; check the digits")
    return None


#: A number written with Danish thousands points (4.250), which YAML reads as a decimal.
DANISH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
#: A number written with a Danish decimal comma (0,3).
DANISH_DECIMAL = re.compile(r"^-?\d+,\d+$")
#: A section number of the agreement: 1, 3.4, 3.4.10 (the general part's sections have names instead).
SECTION_NUMBER = re.compile(r"\d+(?:\.\d+)*", re.ASCII)


def is_section_number(text: str | None) -> bool:
    """Whether ``text`` is a section number such as 3.4.10 (not a named section)."""
    return text is not None and SECTION_NUMBER.fullmatch(text) is not None
