"""Read a YAML file safely into plain Python data, remembering where every value stood.

PyYAML's own loaders silently keep the last of two equal keys and forget source
positions once the data is built. This module composes the node graph with the
safe loader (no Python tags can construct objects) and builds the data itself,
so that it can

* reject duplicate keys, naming both lines;
* reject tags that are not plain YAML;
* bound the work that aliases can cause (an "alias bomb" is refused quickly);
* record, for every path into the document, the line and column of its value and key;
* record the source text of scalars, so that errors can quote what the user typed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import LoadError, Problem

try:  # the C loader is much faster and keeps marks as well
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Files larger than this are refused without being read.
MAX_BYTES = 50 * 1024 * 1024
#: How many values aliases (``*name``) may add to the document once expanded.
MAX_ALIAS_NODES = 100_000

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
    "tag:yaml.org,2002:merge",
}


@dataclass
class Source:
    """A parsed YAML document and where each of its values came from."""

    file: str
    data: Any
    positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    scalar_text: dict[PathT, str] = field(default_factory=dict)

    def locate(self, path: PathT, *, key: bool = False) -> tuple[int, int]:
        """The (line, column) of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if key and p in self.key_positions:
                return self.key_positions[p]
            if p in self.positions:
                return self.positions[p]
            if not p:
                return (1, 1)
            p = p[:-1]

    def problem(
        self, path: PathT, message: str, expected: str | None = None, hint: str | None = None,
        *, key: bool = False,
    ) -> Problem:
        line, col = self.locate(path, key=key)
        return Problem(self.file, line, col, message, expected, hint, format_path(path))


def format_path(path: PathT) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 file, refusing what is missing, too large or not UTF-8."""

    def whole(msg: str, expected: str | None = None, hint: str | None = None) -> LoadError:
        return LoadError([Problem(display, 0, 0, msg, expected, hint)])

    try:
        st = path.stat()
    except FileNotFoundError:
        raise whole("file not found", "an existing YAML file",
                    "check the path given with --file or BUDGET_FILE") from None
    except OSError as exc:
        raise whole(f"cannot read the file: {exc.strerror}") from None
    if path.is_dir():
        raise whole("this is a directory, not a file", "a YAML file",
                    "name the file itself, e.g. data/agreement.yaml") from None
    if st.st_size > MAX_BYTES:
        raise whole(f"the file is {st.st_size:,} bytes; files over {MAX_BYTES:,} bytes are refused",
                    "an agreement file of a sane size", "is this the right file?")
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise whole("permission denied", "a readable file",
                    f"check the file's permissions (user {os.getuid() if hasattr(os, 'getuid') else '?'})"
                    ) from None
    except OSError as exc:
        raise whole(f"cannot read the file: {exc.strerror}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError([Problem(
            display, line, col, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            "UTF-8 text",
            "save the file as UTF-8 (in Excel/Notepad: 'Save as' → encoding 'UTF-8'); "
            "æ, ø and å are the usual culprits",
        )]) from None
    if "\x00" in text:
        raise whole("the file contains NUL bytes; it is not a text file", "a YAML text file")
    return text


def parse(text: str, display: str) -> Source:
    """Parse YAML text into a :class:`Source`; raise :class:`LoadError` on any problem."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        msg = exc.problem or exc.context or "invalid YAML"
        hint = "check the indentation and the quotes on this line and the one before it"
        if "tab" in msg.lower():
            hint = "YAML does not allow tabs for indentation; use spaces"
        raise LoadError([Problem(display, line, col, f"invalid YAML: {msg}", "well-formed YAML", hint)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem(display, 0, 0, f"invalid YAML: {exc}", "well-formed YAML")]) from None
    if node is None:
        raise LoadError([Problem(display, 0, 0, "the file is empty (or holds only comments)",
                                 "a YAML mapping", "start from the shipped data/agreement.yaml")])
    builder = _Builder(display)
    data = builder.build(node, ())
    if builder.problems:
        raise LoadError(builder.problems)
    return Source(display, data, builder.positions, builder.key_positions, builder.scalar_text)


def load_source(path: Path, display: str | None = None) -> Source:
    display = display if display is not None else str(path)
    return parse(read_text(path, display), display)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[PathT, tuple[int, int]] = {}
        self.key_positions: dict[PathT, tuple[int, int]] = {}
        self.scalar_text: dict[PathT, str] = {}
        self.problems: list[Problem] = []
        self.alias_count = 0
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()
        self.too_big = False

    def _problem(self, node: yaml.Node, msg: str, expected: str | None, hint: str | None,
                 path: PathT) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, node.start_mark.column + 1,
                                     msg, expected, hint, format_path(path)))

    def build(self, node: yaml.Node, path: PathT, in_alias: bool = False) -> Any:
        if id(node) in self.seen:
            in_alias = True
        self.seen.add(id(node))
        if in_alias:
            self.alias_count += 1
            if self.alias_count > MAX_ALIAS_NODES:
                if not self.too_big:
                    self.too_big = True
                    self._problem(node, f"aliases expand to more than {MAX_ALIAS_NODES:,} values",
                                  "a plain agreement file",
                                  "remove the anchors (&) and aliases (*); write the values out", path)
                return None
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, f"the tag {node.tag!r} is not allowed", "plain YAML values",
                          "remove the tag (the word starting with '!')", path)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, in_alias)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i), in_alias) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        self.scalar_text[path] = node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError) as exc:
            self._problem(node, f"cannot read the value {node.value!r}: {exc}", None, None, path)
            return None

    def _mapping(self, node: yaml.MappingNode, path: PathT, in_alias: bool) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first: dict[Any, yaml.Node] = {}
        pairs = list(node.value)
        # merge keys (<<) first, so explicit keys override them
        for key_node, value_node in pairs:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.build(value_node, path, in_alias)
                for m in merged if isinstance(merged, list) else [merged]:
                    if isinstance(m, dict):
                        out.update(m)
        for key_node, value_node in pairs:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "a mapping key must be a plain value", "a key such as 'id' or 2025",
                              None, path)
                continue
            key = self.constructor.construct_object(key_node) if key_node.tag in _PLAIN_TAGS else key_node.value
            try:
                hash(key)
            except TypeError:
                key = key_node.value
            if key in first:
                prev = first[key]
                self._problem(
                    key_node, f"duplicate key {key!r}; it was already given on line {prev.start_mark.line + 1}",
                    "each key once per mapping",
                    "YAML would silently keep only the last one; delete or merge one of them",
                    (*path, key),
                )
                continue
            first[key] = key_node
            child = (*path, key)
            self.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child, in_alias)
        return out
