"""The words of PyYAML (its C parser, libyaml, and its Python one) and of Python's dates, in ours.

A problem PyYAML or ``datetime`` reports stays in its own English words (messages compare and
serialise as today); Danish output shows the marked text of this table instead, through
:meth:`~budget2024.i18n.Text.worded`. A text the table does not know stays as its library wrote it.
Light: imports neither PyYAML nor pydantic.
"""

from __future__ import annotations

import functools
import re

from .i18n import N_, Text

#: What the parsers were reading (PyYAML's "context"): libyaml's words, then the Python parser's own.
_CONTEXTS = (
    N_("while parsing a %TAG directive"),
    N_("while parsing a block collection"),
    N_("while parsing a block mapping"),
    N_("while parsing a block node"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow node"),
    N_("while parsing a flow sequence"),
    N_("while parsing a node"),
    N_("while parsing a quoted scalar"),
    N_("while parsing a tag"),
    N_("while parsing a tag directive"),
    N_("while scanning a %TAG directive"),
    N_("while scanning a %YAML directive"),
    N_("while scanning a block scalar"),
    N_("while scanning a directive"),
    N_("while scanning a plain scalar"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a double-quoted scalar"),
    N_("while scanning a simple key"),
    N_("while scanning a tag"),
    N_("while scanning an alias"),
    N_("while scanning an anchor"),
    N_("while scanning for the next token"),
    N_("while composing a mapping"),
)

#: What went wrong (PyYAML's "problem"): libyaml's words, then the Python parser's own.
_PROBLEMS = (
    N_("block sequence entries are not allowed in this context"),
    N_("control characters are not allowed"),
    N_("could not find expected ':'"),
    N_("could not find expected directive name"),
    N_("did not find URI escaped octet"),
    N_("did not find expected '!'"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected <document start>"),
    N_("did not find expected alphabetic or numeric character"),
    N_("did not find expected comment or line break"),
    N_("did not find expected digit or '.' character"),
    N_("did not find expected hexdecimal number"),
    N_("did not find expected key"),
    N_("did not find expected node content"),
    N_("did not find expected tag URI"),
    N_("did not find expected version number"),
    N_("did not find expected whitespace"),
    N_("did not find expected whitespace or line break"),
    N_("did not find the expected '>'"),
    N_("found duplicate %TAG directive"),
    N_("found duplicate %YAML directive"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found an incorrect leading UTF-8 octet"),
    N_("found an incorrect trailing UTF-8 octet"),
    N_("found an indentation indicator equal to 0"),
    N_("found character that cannot start any token"),
    N_("found extremely long version number"),
    N_("found incompatible YAML document"),
    N_("found invalid Unicode character escape code"),
    N_("found undefined tag handle"),
    N_("found unexpected ':'"),
    N_("found unexpected document indicator"),
    N_("found unexpected end of stream"),
    N_("found unexpected non-alphabetical character"),
    N_("found unknown directive name"),
    N_("found unknown escape character"),
    N_("mapping keys are not allowed in this context"),
    N_("mapping values are not allowed in this context"),
    # the Python parser's
    N_("mapping keys are not allowed here"),
    N_("mapping values are not allowed here"),
    N_("sequence entries are not allowed here"),
    N_("found unexpected document separator"),
    N_("invalid indentation or unclosed '[' or '{'"),
    N_("found duplicate YAML directive"),
    N_("found non-specific tag '!'"),
    N_("found character {found} that cannot start any token"),
    N_("expected <block end>, but found {found}"),
    N_("expected '<document start>', but found {found}"),
    N_("expected the node content, but found {found}"),
    N_("expected ',' or ']', but got {found}"),
    N_("expected ',' or '}}', but got {found}"),  # a brace of its own is doubled where a text has a placeholder
    N_("expected a comment or a line break, but found {found}"),
    N_("expected alphabetic or numeric character, but found {found}"),
    N_("expected ' ', but found {found}"),
    N_("found unknown escape character {found}"),
    N_("found undefined tag handle {found}"),
    N_("found undefined alias {found}"),
    N_("expected '>', but found {found}"),
    N_("expected '!', but found {found}"),
    N_("expected URI, but found {found}"),
    N_("expected URI escape sequence of 2 hexadecimal numbers, but found {found}"),
    N_("expected escape sequence of {n} hexadecimal numbers, but found {found}"),
    N_("expected chomping or indentation indicators, but found {found}"),
    N_("expected indentation indicator in the range 1-9, but found 0"),
    N_("expected a digit or '.', but found {found}"),
    N_("expected a digit or ' ', but found {found}"),
    N_("expected a digit, but found {found}"),
    N_("duplicate tag handle {found}"),
    N_("found incompatible YAML document (version 1.* is required)"),
    # Python's dates (a value such as 2029-13-01 that YAML reads as a date)
    N_("month must be in 1..12"),
    N_("day is out of range for month"),
    N_("year {year} is out of range"),
    N_("hour must be in 0..23"),
    N_("minute must be in 0..59"),
    N_("second must be in 0..59"),
)

_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z]+)\}(?!\})")
#: The texts without placeholders, which are shown without formatting (their braces are their own).
_FIXED = frozenset(t for t in (*_CONTEXTS, *_PROBLEMS) if not _PLACEHOLDER.search(t))


def _pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, …
    return re.compile("".join(re.escape(p.replace("{{", "{").replace("}}", "}")) if i % 2 == 0
                              else f"(?P<{p}>.+)" for i, p in enumerate(parts)))


@functools.cache
def patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The texts with placeholders as patterns, and their templates (compiled when first needed: a
    file without a parser problem never needs them)."""
    return tuple((_pattern(t), t) for t in _PROBLEMS if t not in _FIXED)


def worded(english: str) -> str:
    """``english``, a library's problem text, shown in the chosen language when this table has it."""
    if isinstance(english, Text):  # our own words (the reader raises PyYAML's errors too)
        return english
    if english in _FIXED:
        return Text.worded(english, english)
    for pattern, template in patterns():
        m = pattern.fullmatch(english)
        if m:
            return Text.worded(english, template, **m.groupdict())
    return english
