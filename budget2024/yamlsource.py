"""Read a YAML file safely into plain Python data, remembering where every value stood.

PyYAML's own loaders silently keep the last of two equal keys and forget source
positions once the data is built. This module takes the parser's events from the
safe loader (no Python tags can construct objects), composes the node graph itself
without recursion, and builds the data itself, so that it can

* refuse files that are too large, not regular files, or not UTF-8 text, without a traceback;
* reject duplicate keys, naming both lines;
* reject tags that are not plain YAML, and merge keys (``<<``), which silently override values;
* bound the work that aliases can cause (an "alias bomb" is refused quickly) and refuse
  aliases that contain themselves;
* bound the nesting depth (a deeply nested document would otherwise exhaust the stack);
* record, for every path into the document, the line and column of its value and key;
* record the source text of scalars and keys, so that errors can quote what the user typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import MAX_FILE_BYTES, LoadError, Problem
from .i18n import T_, Count

try:  # the C parser is much faster and keeps marks as well
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Files larger than this are refused without being read.
MAX_BYTES = MAX_FILE_BYTES
#: How many values aliases (``*name``) may add to the document once expanded.
MAX_ALIAS_NODES = 100_000
#: How many characters of scalars aliases may add to the document once expanded (the count of
#: values alone let one 400 kB scalar aliased 80,000 times through).
MAX_ALIAS_CHARS = 1_000_000
#: How deeply collections may nest (an agreement file needs fewer than ten levels).
MAX_DEPTH = 100
#: How much of a value an error message quotes.
QUOTE_CHARS = 60

PathT = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
#: The safe constructor's function for each plain scalar tag.
_CONSTRUCTORS: dict[str, Any] = dict(yaml.constructor.SafeConstructor.yaml_constructors)  # type: ignore[arg-type]

#: Characters YAML does not allow in a file (C0/C1 controls except tab, line feed, carriage
#: return and NEL; lone surrogates; the non-characters U+FFFE and U+FFFF).
_FORBIDDEN_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
#: Control characters that an escape sequence ("\x01") can still put into a string.
_CONTROL_IN_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def quote(text: object) -> str:
    """``text`` in single quotes for a message, shortened when it is long."""
    s = str(text)
    if len(s) > QUOTE_CHARS:
        s = s[: QUOTE_CHARS - 1] + "…"
    return f"'{s}'"


@dataclass
class Source:
    """A parsed YAML document and where each of its values came from."""

    file: str
    data: Any
    #: (line, column) of each value and key, packed into one integer (see :func:`_pack`): a large
    #: file has millions of them, and an integer takes half the memory of a tuple of two
    positions: dict[PathT, int] = field(default_factory=dict)
    key_positions: dict[PathT, int] = field(default_factory=dict)
    scalar_text: dict[PathT, str] = field(default_factory=dict)
    #: the source text of each mapping key, by the path of the value it names
    key_text: dict[PathT, str] = field(default_factory=dict)

    def locate(self, path: PathT, *, key: bool = False) -> tuple[int, int]:
        """The (line, column) of ``path``, or of its nearest ancestor that has one.

        With ``key=True`` the position of the key that names ``path`` is preferred."""
        p = tuple(path)
        while True:
            if key and p in self.key_positions:
                return _unpack(self.key_positions[p])
            if p in self.positions:
                return _unpack(self.positions[p])
            if not p:
                return (1, 1)
            p = p[:-1]

    def problem(
        self, path: PathT, message: str, expected: str | None = None, hint: str | None = None,
        *, key: bool = False,
    ) -> Problem:
        line, col = self.locate(path, key=key)
        return Problem(self.file, line, col, message, expected, hint, format_path(path))


def _pack(line: int, column: int) -> int:
    return (line << 32) | column


def _unpack(packed: int) -> tuple[int, int]:
    return packed >> 32, packed & 0xFFFFFFFF


def format_path(path: PathT) -> str:
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif part is None or isinstance(part, bool):  # a key written null, true or false
            out += ("." if out else "") + {None: "null", True: "true", False: "false"}[part]
        else:
            out += ("." if out else "") + str(part)
    return out


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: Path, display: str, given: str | None = None) -> str:
    """Read a UTF-8 text file, refusing what is missing, too large, not a file or not UTF-8 (``given``:
    the option that named it, for the hint)."""
    from .filebytes import AGREEMENT_GIVEN, read_bytes

    return decode(read_bytes(path, display, given or AGREEMENT_GIVEN), display)


def decode(raw: bytes, display: str) -> str:
    """UTF-8 bytes (with or without a BOM) to text; anything else is refused with its line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError([Problem(display, 1, 1, T_("the file is UTF-16 text, not UTF-8"), T_("UTF-8 text"),
                                 T_("save the file as UTF-8 (in Notepad: 'Save as' → encoding 'UTF-8')"))])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        guess: str = ""
        try:
            bad_line = raw.split(b"\n")[line - 1].decode("cp1252").strip()
            guess = T_(" (read as Windows-1252 the line says {line})", line=quote(bad_line))
        except UnicodeDecodeError:
            pass
        raise LoadError([Problem(
            display, line, col,
            T_('the file is not UTF-8: byte 0x{raw:02x} on this line cannot be decoded{guess}',
               raw=raw[exc.start], guess=guess),
            T_("UTF-8 text"),
            T_("save the file as UTF-8 (in Excel/Notepad: 'Save as' → encoding 'UTF-8'); "
            "æ, ø and å saved as Windows-1252 or Latin-1 are the usual culprits"),
        )]) from None
    bad = _FORBIDDEN_CHAR.search(text)
    if bad is not None:
        ch = bad.group()
        line, col = _line_col(text, bad.start())
        what = T_("a NUL byte") if ch == "\x00" else T_('the control character U+{ch:04X}', ch=ord(ch))
        raise LoadError([Problem(display, line, col, T_('the file contains {what}; it is not plain text', what=what),
                                 T_("a YAML text file"), T_("delete the character (it often comes from pasting out "
                                 "of another program); is this the right file?"))])
    return text


def parse(text: str, display: str) -> Source:
    """Parse YAML text into a :class:`Source`; raise :class:`LoadError` on any problem."""
    if not text.strip():
        raise LoadError([Problem(display, 0, 0, T_("the file is empty"), T_("a YAML mapping with the keys of an "
                                 "agreement ('agreement', 'bodies', 'lines', …)"),
                                 T_("start from the shipped data/agreement.yaml"))])
    try:
        node, anchored = _compose(text)
    except _DepthError as exc:
        raise LoadError([Problem(display, exc.mark.line + 1, exc.mark.column + 1,
                                 T_('the document is nested more than {depth} levels deep', depth=MAX_DEPTH),
                                 T_("an agreement file (it needs fewer than ten levels)"),
                                 T_("check the brackets and the indentation; is this the right file?"))]) from None
    except yaml.MarkedYAMLError as exc:
        from .yamlwords import worded

        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        msg = worded(exc.problem or exc.context or "") or T_("invalid YAML")
        if exc.context and exc.problem:
            msg = T_('{context}, {problem}', context=worded(exc.context), problem=worded(exc.problem))
        hint = T_("check the indentation and the quotes on this line and the one before it")
        unclosed = _unclosed_quote(text, line)
        if unclosed:
            hint = T_('the quote opened on line {unclosed} may not be closed; check that line', unclosed=unclosed)
        elif "tab" in msg.lower() or (0 < line <= text.count("\n") + 1 and "\t" in text.split("\n")[line - 1]):
            hint = T_("YAML does not allow tabs for indentation; use spaces")
        elif "another document" in msg:
            hint = T_("a line '---' starts a second document; an agreement file holds one. Delete the line")
        raise LoadError([Problem(display, line, col, T_('invalid YAML: {msg}',
                                                        msg=msg), T_("well-formed YAML"), hint)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(display, 0, 0, T_('invalid YAML: {exc}', exc=exc), T_("well-formed YAML"),
                                 T_("check the file in a text editor"))]) from None
    if node is None:
        raise LoadError([Problem(display, 0, 0, T_("the file holds only comments, no data"),
                                 T_("a YAML mapping with the keys of an agreement ('agreement', 'bodies', 'lines', …)"),
                                 T_("is everything commented out? remove the '#' in front of the data"))])
    builder = _Builder(display, anchored)
    data = builder.build(node, ())
    if builder.problems:
        raise LoadError(builder.problems)
    return Source(display, data, builder.positions, builder.key_positions, builder.scalar_text, builder.key_text)


def _unclosed_quote(text: str, upto: int) -> int | None:
    """The first line before ``upto`` with an odd number of double quotes, if any."""
    for number, line in enumerate(text.split("\n")[:upto], start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        if (line.count('"') - line.count('\\"')) % 2:
            return number
    return None


def load_source(path: Path, display: str | None = None, given: str | None = None) -> Source:
    display = display if display is not None else str(path)
    return parse(read_text(path, display, given), display)


class _Mark:
    """Where a node starts: 0-based line and column, as the parser's marks give them."""

    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f'  in "<file>", line {self.line + 1}, column {self.column + 1}'


class _DepthError(Exception):
    def __init__(self, mark: Any) -> None:
        self.mark = mark


def _compose(text: str) -> tuple[yaml.Node | None, set[int]]:
    """The node graph of the single document in ``text``, composed from the parser's events.

    This does what :class:`yaml.composer.Composer` does, but with an explicit stack
    instead of recursion, so that a deeply nested document is refused instead of
    exhausting the C stack, and it stops as soon as the nesting exceeds :data:`MAX_DEPTH`.
    Also returns the ids of the nodes that carry an anchor (the only ones an alias can repeat).
    """
    loader: Any = _Loader(text)
    try:
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return None, set()
        document: Any = loader.get_event()  # DocumentStart
        anchors: dict[str, yaml.Node] = {}
        stack: list[yaml.CollectionNode] = []
        pending_key: list[yaml.Node | None] = []
        root: yaml.Node | None = None

        def attach(node: yaml.Node) -> None:
            nonlocal root
            if not stack:
                root = node
                return
            parent = stack[-1]
            if isinstance(parent, yaml.SequenceNode):
                parent.value.append(node)
            elif pending_key[-1] is None:
                pending_key[-1] = node
            else:
                parent.value.append((pending_key[-1], node))
                pending_key[-1] = None

        def anchor(name: str | None, node: yaml.Node, mark: Any) -> None:
            if name is None:
                return
            if name in anchors:
                first = anchors[name].start_mark.line + 1
                raise yaml.composer.ComposerError(
                    None, None, T_("the anchor &{name} is defined twice (first on line {first})", name=name,
                                   first=first), mark)
            anchors[name] = node

        while True:
            event: Any = loader.get_event()
            # a small mark of its own (line and column) instead of the parser's, which keeps the
            # name, the index, the buffer and a pointer: the nodes hold one per value, and a large
            # file has millions of values (see benchmarks/memory.py)
            start: Any = _Mark(event.start_mark.line, event.start_mark.column)
            end: Any = None
            node: yaml.Node
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(None, None, T_("found undefined alias {found}",
                                                                        found=repr(event.anchor)), start)
                attach(anchors[event.anchor])
            elif isinstance(event, yaml.ScalarEvent):
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                node = yaml.ScalarNode(tag, event.value, start, end, style=event.style)
                anchor(event.anchor, node, start)
                attach(node)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise _DepthError(start)
                tag = event.tag
                kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
                if tag is None or tag == "!":
                    tag = loader.resolve(kind, None, event.implicit)
                node = kind(tag, [], start, None, flow_style=event.flow_style)
                anchor(event.anchor, node, start)
                attach(node)
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                stack.pop()
                pending_key.pop()
            else:  # pragma: no cover - the parser emits nothing else inside a document
                raise yaml.composer.ComposerError(None, None, f"unexpected {type(event).__name__}",
                                                  start)
            if not stack and root is not None:
                break
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise yaml.composer.ComposerError(T_("expected a single document in the stream"), document.start_mark,
                                              T_("but found another document"), event.start_mark)
        return root, {id(n) for n in anchors.values()}
    finally:
        loader.dispose()


def _tag(tag: str) -> str:
    """A tag as it is written: ``!!binary`` for YAML's own tags."""
    return quote(tag.replace("tag:yaml.org,2002:", "!!", 1))


def describe_key(key: object) -> str:
    """A mapping key for a message: text in quotes, numbers and years as they are."""
    if key is None:
        return "null"
    return quote(key) if isinstance(key, str) else str(key)


#: What a scalar is, in messages.
_WHAT = {"value": T_("value"), "key": T_("key")}


class _Builder:
    def __init__(self, file: str, anchored: set[int] | None = None) -> None:
        self.file = file
        self.positions: dict[PathT, int] = {}
        self.key_positions: dict[PathT, int] = {}
        self.scalar_text: dict[PathT, str] = {}
        self.key_text: dict[PathT, str] = {}
        self.problems: list[Problem] = []
        self.alias_count = 0
        self.alias_chars = 0
        self.built: dict[int, Any] = {}  # each scalar node's value, built (and scanned) once
        self.seen: set[int] = set()
        self.anchored: set[int] = anchored if anchored is not None else set()
        self.active: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()
        self.too_big = False
        self.too_deep = False

    def _problem(self, node: yaml.Node, msg: str, expected: str, hint: str, path: PathT) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, node.start_mark.column + 1,
                                     msg, expected, hint, format_path(path)))

    def build(self, node: yaml.Node, path: PathT, in_alias: bool = False) -> Any:
        if id(node) in self.active:
            self._problem(node, T_("an alias refers to the value that contains it"), T_("values without cycles"),
                          T_("remove the anchors (&) and aliases (*); write the values out"), path)
            return None
        if id(node) in self.anchored:  # only a node with an anchor can be reached twice
            if id(node) in self.seen:
                in_alias = True
            self.seen.add(id(node))
        if in_alias:
            self.alias_count += 1
            if isinstance(node, yaml.ScalarNode):
                self.alias_chars += len(node.value)
            if self.alias_count > MAX_ALIAS_NODES or self.alias_chars > MAX_ALIAS_CHARS:
                if not self.too_big:
                    self.too_big = True
                    what = (T_("more than {n} values", n=Count(MAX_ALIAS_NODES)) if self.alias_count > MAX_ALIAS_NODES
                            else T_("more than {n} characters", n=Count(MAX_ALIAS_CHARS)))
                    self._problem(node, T_('aliases expand to {what}', what=what), T_("a plain agreement file"),
                                  T_("remove the anchors (&) and aliases (*); write the values out"), path)
                return None
        if len(path) > MAX_DEPTH:  # aliases inside aliases can nest deeper than the text does
            if not self.too_deep:
                self.too_deep = True
                self._problem(node, T_('the document is nested more than {depth} levels deep', depth=MAX_DEPTH),
                              T_("an agreement file (it needs fewer than ten levels)"),
                              T_("remove the anchors (&) and aliases (*); write the values out"), path)
            return None
        self.positions.setdefault(path, _pack(node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, T_('the tag {tag} is not allowed', tag=_tag(node.tag)), T_("plain YAML values"),
                          T_("remove the tag (the word starting with '!')"), path)
            return None
        if isinstance(node, yaml.ScalarNode):
            self.scalar_text[path] = node.value
            key = id(node)
            if key not in self.anchored:
                return self._scalar(node, path, "value")
            if key in self.built:  # an alias of a scalar already built: its problems are reported once
                return self.built[key]
            value = self.built[key] = self._scalar(node, path, "value")
            return value
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, in_alias)
            assert isinstance(node, yaml.SequenceNode)
            return [self.build(child, (*path, i), in_alias) for i, child in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: PathT, what: str) -> Any:
        try:
            if node.tag == _STR_TAG:
                value: Any = node.value
            else:
                value = _CONSTRUCTORS[node.tag](self.constructor, node)
        except Exception as exc:  # noqa: BLE001 - any failure to read a scalar is the file's fault
            if node.tag.endswith(":timestamp"):
                from .yamlwords import worded

                expected, reason = T_("a date such as 2023-10-04"), worded(str(exc))
            elif node.tag.endswith(":int"):
                expected, reason = T_("a whole number of a sane size"), T_("the number is too long")
            else:
                expected, reason = T_("a plain value"), str(exc)
            self._problem(node, T_('cannot read the {what} {value}: {reason}',
                                   what=_WHAT[what], value=quote(node.value), reason=reason), expected,
                          T_("put text in quotes; write numbers without separators"), path)
            return None
        if type(value) is int and node.tag == _INT_TAG:
            from .numbers import int_problem

            bad = int_problem(node.value, value)
            if bad is not None:
                self._problem(node, bad[0] if what == "value" else T_('{bad} (a key)',
                                                                      bad=bad[0]), bad[1], bad[2], path)
                return None
        if isinstance(value, str) and _CONTROL_IN_VALUE.search(value):
            ch = _CONTROL_IN_VALUE.search(value).group()  # type: ignore[union-attr]
            self._problem(node, T_('the {what} contains the control character U+{ch:04X}',
                                   what=_WHAT[what], ch=ord(ch)), T_("printable text"),
                          T_("remove the escape sequence (such as \\0 or \\x01) from the quoted text"), path)
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: PathT, in_alias: bool) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self._problem(key_node, T_("the merge key '<<' is not supported"), T_("the keys written out"),
                              T_("copy the keys into this mapping; a merge silently lets one value override another"),
                              path)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, T_("a mapping key must be a plain value, not a list or a mapping"),
                              T_("a key such as 'id' or 2025"), T_("check the indentation and the brackets"), path)
                continue
            if key_node.tag not in _PLAIN_TAGS:
                self._problem(key_node, T_('the tag {tag} is not allowed',
                                           tag=_tag(key_node.tag)), T_("plain YAML keys"),
                              T_("remove the tag (the word starting with '!')"), path)
                continue
            key = self._scalar(key_node, path, "key")
            if key is None and key_node.tag != "tag:yaml.org,2002:null":
                continue  # unreadable; already reported
            try:
                hash(key)
            except TypeError:  # pragma: no cover - plain scalars are hashable
                key = key_node.value
            if key in first:
                prev = first[key]
                self._problem(
                    key_node, T_('duplicate key {key}; it was already given on line {value}',
                                 key=describe_key(key), value=prev.start_mark.line + 1),
                    T_("each key once per mapping"),
                    T_("YAML would silently keep only the last one; delete or merge one of them"),
                    (*path, key),
                )
                continue
            first[key] = key_node
            child = (*path, key)
            self.key_positions[child] = _pack(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            self.key_text[child] = key_node.value
            out[key] = self.build(value_node, child, in_alias)
        return out
