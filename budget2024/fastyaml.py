"""A fast reader for the plain subset of YAML agreement files are written in.

It builds the same data as :mod:`budget2024.yamlsource` (PyYAML), value for value, about four
times faster; anything it is not sure of raises :class:`Decline` and the caller reads the file
with PyYAML, which reports the problems. It never reports an error of its own. Interface:
:func:`parse` and :class:`Decline`; the README ("Performance") has what it takes and declines.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .numbers import int_problem


class Decline(Exception):
    """The text uses YAML this reader does not handle; read it with PyYAML instead."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


#: Collections may nest this deep; deeper text is declined (the full reader allows 100 and reports beyond).
MAX_DEPTH = 50
#: YAML allows a key written without '?' to be at most 1024 characters long.
MAX_KEY = 1000

# Every pattern below is ASCII-only (re.ASCII: \s is a space, tab or line break, never U+00A0),
# and the text they see holds no character outside printable ASCII but letters, digits,
# punctuation and symbols (see _TAKEN_CATEGORIES): no space, mark or format character of Unicode's.
# What YAML does not allow in a file (PyYAML's own test, for the characters it refuses). Code point
# ranges only, no classes: the same with or without re.ASCII.
_NON_PRINTABLE = re.compile("[^\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The characters beyond ASCII (ASCII-only: it names code points, no classes).
_NON_ASCII = re.compile("[^\x00-\x7f]")
#: The Unicode categories of the characters beyond ASCII this reader takes: letters, numbers,
#: punctuation and symbols. Spaces (U+00A0, U+2000-U+200A, U+3000), line and paragraph
#: separators, format characters (zero-width spaces, the BOM, right-to-left marks), combining
#: marks and unassigned code points make it step aside.
_TAKEN_CATEGORIES = frozenset("LNPS")
# A block mapping key: a plain key that cannot be mistaken for anything else, or a quoted one,
# then ':' and a space or the end of the line. ASCII-only.
# (Greedy, ending on a non-space: a lazy key before '[ ]*:' takes time quadratic in a run of spaces.)
_PLAIN_KEY = re.compile(r"([^\s:#,\[\]{}&*!|>'\"%@`?\-](?:[^:#]*[^\s:#])?)[ ]*:(?:[ ]+|$)", re.ASCII)
_DQ_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"[ ]*:(?:[ ]+|$)', re.ASCII)
_SQ_KEY = re.compile(r"'((?:[^']|'')*)'[ ]*:(?:[ ]+|$)", re.ASCII)
# A quoted scalar and what may follow it on its line: nothing, or a comment. ASCII-only.
_DQ_VALUE = re.compile(r'"((?:[^"\\]|\\.)*)"(?:[ ]+#.*)?$', re.ASCII)
_SQ_VALUE = re.compile(r"'((?:[^']|'')*)'(?:[ ]+#.*)?$", re.ASCII)
# The escapes a double-quoted scalar may use here; they mean the same in YAML and in JSON. ASCII-only.
_ESCAPE = re.compile(r"\\(.)", re.ASCII)
_ESCAPED = {'"': '"', "\\": "\\"}
# Characters that cannot start a plain scalar in block context (a '-' may, before a non-space).
_NOT_PLAIN_START = frozenset("#,[]{}&*!|>'\"%@`?:-")
# One entry of a flow collection written on one line: an optional plain key and its ': ',
# then a value (a quoted or plain scalar) or a bracket, then an optional ','. Group 4 is a
# comment; group 5, when it matches, is text this reader does not take (to the end of the line).
# ASCII-only; the matches must cover the line without a gap (see flow()).
_FLOW_ENTRY = re.compile(
    r"""[ ]*(?:
        (?:([^\s,\[\]{}:#'"&*!|>%@`?\-](?:[^,\[\]{}:#?]*[^\s,\[\]{}:#?])?)[ ]*:[ ]+)?  # 1: a plain key
        ( "[^"\\]*(?:\\.[^"\\]*)*"                                    # 2: a double-quoted scalar,
        | '[^']*(?:''[^']*)*'                                         #    a single-quoted one,
        | [\[\]{}]                                                    #    a bracket,
        | (?:[^\s,\[\]{}:#'"&*!|>%@`?\-]|-(?=[^\s,\[\]{}:#]))         #    or a plain scalar
          (?:[^,\[\]{}:#?]*[^\s,\[\]{}:#?])?
        )[ ]*(,?)                                                     # 3: a comma
      | (?<=[ ])(\#.*)                                                # 4: a comment
      | (\S.*)                                                        # 5: anything else
    )""",
    re.VERBOSE | re.ASCII,
)
#: The same entries, one after another from the start of the line to its end, each taken whole
#: (atomic: no backtracking into an entry, so a line that is not covered fails in linear time).
#: A line this does not match has a character that no entry takes: the reader steps aside.
#: (Without capturing groups: Python 3.11's re mishandles captures inside a possessive repeat.)
_FLOW_COVERED = re.compile(r"(?>" + re.sub(r"(?<!\\)\((?!\?)", "(?:", _FLOW_ENTRY.pattern) + r")*+\Z",
                           re.VERBOSE | re.ASCII)


class _Resolver:
    """PyYAML's resolution of plain scalars, with the values it builds remembered."""

    def __init__(self) -> None:
        import yaml

        self.first: dict[str, list[tuple[str, Any]]] = {
            k: list(v) for k, v in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if k
        }
        self.constructor = yaml.constructor.SafeConstructor()
        self.constructors: dict[str, Any] = dict(yaml.constructor.SafeConstructor.yaml_constructors)  # type: ignore[arg-type]
        self.node = yaml.ScalarNode
        self.memo: dict[str, Any] = {}
        self.allowed = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp")}

    def __call__(self, text: str, line: int) -> Any:
        rules = self.first.get(text[0])
        if rules is None:
            return text
        try:
            return self.memo[text]
        except KeyError:
            pass
        value: Any = text
        for tag, regexp in rules:
            if regexp.match(text):
                if tag not in self.allowed:
                    raise Decline(line, f"the plain value {text!r} resolves to {tag}")
                try:
                    value = self.constructors[tag](self.constructor, self.node(tag, text))
                except Exception:  # noqa: BLE001 - the full reader reports it, with its position
                    raise Decline(line, f"the plain value {text!r} cannot be built") from None
                if type(value) is int and int_problem(text, value) is not None:
                    # 0200, 3:20, 0xC8, 2_00, +200 or a huge number: the full reader refuses it, located
                    raise Decline(line, f"the whole number {text[:20]!r} is not written plainly or is too large")
                break
        self.memo[text] = value
        return value


def parse(text: str) -> Any:
    """The data in ``text``, as the full reader would build it; :class:`Decline` when unsure."""
    return _Reader(text).read()


class _Reader:
    def __init__(self, text: str) -> None:
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                raise Decline(0, "a carriage return that does not end a line")
            text = text.replace("\r\n", "\n")
        for ch in ("\t", "\x85", "\u2028", "\u2029", "\ufeff"):
            if ch in text:
                raise Decline(0, f"the character U+{ord(ch):04X}")
        if _NON_PRINTABLE.search(text):
            raise Decline(0, "a character YAML does not allow")
        if not text.isascii():
            for ch in set(_NON_ASCII.findall(text)):
                if unicodedata.category(ch)[0] not in _TAKEN_CATEGORIES:
                    raise Decline(0, f"the character U+{ord(ch):04X} ({unicodedata.category(ch)})")
        self.resolve = _Resolver()
        self.keys: dict[str, Any] = {}  # plain keys of flow mappings, resolved
        # (line number, indentation, content) of every line that holds more than a comment
        rows: list[tuple[int, int, str]] = []
        for number, line in enumerate(text.split("\n"), start=1):
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            indent = len(line) - len(content)
            if indent == 0 and (content.startswith(("---", "...", "%"))):
                raise Decline(number, "a document marker or directive")
            rows.append((number, indent, content.rstrip(" ")))
        if not rows:
            raise Decline(0, "no data")
        self.rows = rows

    def read(self) -> Any:
        rows = self.rows
        number, indent, content = rows[0]
        if content[0] == "-" and (len(content) == 1 or content[1] == " "):
            raise Decline(number, "the document is a list")
        value, k = self.mapping(0, indent, 1)
        if k != len(rows):
            raise Decline(rows[k][0], "a line outside the document's structure")
        return value

    # ------------------------------------------------------------------ block collections

    def block(self, k: int, parent_indent: int, depth: int) -> tuple[Any, int]:
        """The value of a key or item whose own line ends after its ':' or '-'."""
        rows = self.rows
        if k >= len(rows) or rows[k][1] <= parent_indent:
            if k < len(rows) and rows[k][1] == parent_indent and _is_item(rows[k][2]):
                raise Decline(rows[k][0], "a list at the indentation of its key")
            return None, k
        if depth > MAX_DEPTH:
            raise Decline(rows[k][0], "nested too deeply")
        indent = rows[k][1]
        if _is_item(rows[k][2]):
            return self.sequence(k, indent, depth)
        return self.mapping(k, indent, depth)

    def _at(self, k: int, indent: int, what: str) -> tuple[int, str] | None:
        """Row ``k`` (its number and content) if it goes on the collection at ``indent``; None
        where that collection has ended (the end of the text, or a line indented less)."""
        if k >= len(self.rows):
            return None
        number, ind, content = self.rows[k]
        if ind == indent:
            return number, content
        if ind > indent:
            raise Decline(number, f"a line indented deeper than the {what} before it")
        return None

    def sequence(self, k: int, indent: int, depth: int) -> tuple[list[Any], int]:
        rows = self.rows
        out: list[Any] = []
        while (row := self._at(k, indent, "list item")) is not None:
            number, content = row
            if not _is_item(content):
                raise Decline(number, "a list item was expected")
            rest = content[1:].lstrip(" ")
            if not rest or rest[0] == "#":
                value, k = self.block(k + 1, indent, depth + 1)
            elif _is_item(rest):
                raise Decline(number, "a list item inside a list item on one line")
            elif _starts_key(rest):
                # '- key: value' starts a mapping whose keys line up with 'key'
                column = indent + len(content) - len(rest)
                rows[k] = (number, column, rest)
                value, k = self.mapping(k, column, depth + 1)
            else:
                value = self.inline(rest, number, depth)
                k += 1
            out.append(value)
        return out, k

    def mapping(self, k: int, indent: int, depth: int) -> tuple[dict[Any, Any], int]:
        resolve = self.resolve
        out: dict[Any, Any] = {}
        while (row := self._at(k, indent, "key")) is not None:
            number, content = row
            m = _PLAIN_KEY.match(content)
            if m is not None:
                key = resolve(m.group(1), number)
            else:
                m = _DQ_KEY.match(content) or _SQ_KEY.match(content)
                if m is None:
                    raise Decline(number, "not a 'key: value' line this reader knows")
                key = _unquote(m.group(0)[0], m.group(1), number)
            if m.end(1) > MAX_KEY:
                raise Decline(number, "a very long key")
            if key in out:
                raise Decline(number, f"the key {key!r} is given twice")
            rest = content[m.end():]
            if not rest or rest[0] == "#":
                out[key], k = self.block(k + 1, indent, depth + 1)
            else:
                out[key] = self.inline(rest, number, depth)
                k += 1
        return out, k

    # ------------------------------------------------------------------ values on one line

    def inline(self, text: str, number: int, depth: int) -> Any:
        """A value written after 'key: ' or '- ' (without trailing spaces)."""
        c = text[0]
        if c == '"':
            m = _DQ_VALUE.match(text)
            if m is None:
                raise Decline(number, "a double-quoted value that does not end on its line")
            return _unquote('"', m.group(1), number)
        if c == "'":
            m = _SQ_VALUE.match(text)
            if m is None:
                raise Decline(number, "a single-quoted value that does not end on its line")
            return m.group(1).replace("''", "'")
        if c in "{[":
            return self.flow(text, number, depth)
        if c in _NOT_PLAIN_START and not (c == "-" and len(text) > 1 and text[1] != " "):
            raise Decline(number, f"a value starting with {c!r}")
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut].rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise Decline(number, "a ': ' inside a plain value")
        return self.resolve(text, number)

    def flow(self, text: str, number: int, depth: int) -> Any:
        """A flow collection that opens and closes on this line, with at most a comment after it."""
        resolve = self.resolve
        special = resolve.first
        keys = self.keys
        stack: list[Any] = []  # the open collections
        top: Any = None  # the innermost open collection, and whether it is a mapping
        in_map = False
        state = _WANT_ENTRY  # what may come next (see the _WANT_ constants)
        root: Any = None
        # the matches must cover the line without a gap: nothing is skipped unseen
        if _FLOW_COVERED.match(text) is None:
            raise Decline(number, "a character this reader does not take")
        for key, value, comma, comment, bad in _FLOW_ENTRY.findall(text):
            kind = _KIND.get(value[:1], _PLAIN)
            if kind == _PLAIN:  # a plain scalar (by far the most common entry), a comment or text not taken
                if not value:
                    if comment and state == _WANT_NOTHING:
                        continue
                    raise Decline(number, f"text this reader does not take: {(bad or comment)[:20]!r}")
                if state != _WANT_ANY and state != _WANT_ENTRY or top is None:
                    raise Decline(number, "a value where it cannot stand")
                item: Any = resolve(value, number) if value[0] in special else value
                state = _WANT_ENTRY if comma else _WANT_CLOSE
            elif kind >= _DOUBLE:  # a quoted scalar
                if state != _WANT_ANY and state != _WANT_ENTRY or top is None:
                    raise Decline(number, "a value where it cannot stand")
                item = value[1:-1]
                if kind == _DOUBLE:
                    if "\\" in item:
                        item = _unescape(item, number)
                else:
                    item = item.replace("''", "'")
                state = _WANT_ENTRY if comma else _WANT_CLOSE
            elif kind >= _CLOSE_MAP:  # a closing bracket
                if key or (state != _WANT_ANY and state != _WANT_CLOSE) or in_map != (kind == _CLOSE_MAP):
                    raise Decline(number, "a closing bracket out of place")
                stack.pop()
                if stack:
                    top = stack[-1]
                    in_map = type(top) is dict
                    state = _WANT_ENTRY if comma else _WANT_CLOSE
                else:
                    if comma:
                        raise Decline(number, "a comma after the collection")
                    top = None
                    state = _WANT_NOTHING
                continue
            else:  # an opening bracket
                if comma or (state != _WANT_ANY and state != _WANT_ENTRY):
                    raise Decline(number, "an opening bracket out of place")
                if len(stack) + depth >= MAX_DEPTH:
                    raise Decline(number, "nested too deeply")
                item = {} if kind == _OPEN_MAP else []
                if top is None:
                    if root is not None or key:
                        raise Decline(number, "a second collection on the line")
                    root = item
                    stack.append(item)
                    top, in_map, state = item, kind == _OPEN_MAP, _WANT_ANY
                    continue
                state = _WANT_ANY
            if in_map:
                try:
                    k = keys[key]
                except KeyError:
                    if not key:
                        raise Decline(number, "a flow mapping entry without a plain key") from None
                    if len(key) > MAX_KEY:
                        raise Decline(number, "a very long key") from None
                    k = keys[key] = resolve(key, number)
                if k in top:
                    raise Decline(number, f"the key {k!r} is given twice")
                top[k] = item
            elif key:
                raise Decline(number, "a 'key: value' inside a flow sequence")
            else:
                top.append(item)
            if state == _WANT_ANY:
                stack.append(item)
                top, in_map = item, kind == _OPEN_MAP
        if state != _WANT_NOTHING:
            raise Decline(number, "a collection that does not close on its line")
        return root


# What may come next in a flow collection.
_WANT_NOTHING = 0  # the collection is closed
_WANT_ANY = 1  # an entry or a closing bracket (just opened)
_WANT_ENTRY = 2  # an entry (after a comma)
_WANT_CLOSE = 3  # a closing bracket (after an entry)

# The kind of a flow entry by its value's first character (the order matters: >= tests ranges).
_PLAIN, _OPEN_MAP, _OPEN_SEQ, _CLOSE_MAP, _CLOSE_SEQ, _DOUBLE, _SINGLE = range(7)
_KIND = {"{": _OPEN_MAP, "[": _OPEN_SEQ, "}": _CLOSE_MAP, "]": _CLOSE_SEQ, '"': _DOUBLE, "'": _SINGLE}


def _unescape(body: str, number: int) -> str:
    def one(m: re.Match[str]) -> str:
        ch = m.group(1)
        if ch not in _ESCAPED:
            raise Decline(number, f"the escape \\{ch}")
        return _ESCAPED[ch]

    return _ESCAPE.sub(one, body)


def _is_item(content: str) -> bool:
    return content[0] == "-" and (len(content) == 1 or content[1] == " ")


def _starts_key(text: str) -> bool:
    return bool(_PLAIN_KEY.match(text) or (text[0] in "\"'" and (_DQ_KEY.match(text) or _SQ_KEY.match(text))))


def _unquote(quote_char: str, body: str, number: int) -> str:
    if quote_char == "'":
        return body.replace("''", "'")
    return _unescape(body, number) if "\\" in body else body
