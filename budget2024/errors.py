"""Located problems: what went wrong, where, what was expected, and what to do."""

from __future__ import annotations

from typing import NamedTuple

#: Exit status for invalid input (a bad agreement, a bad figures file, a bad argument).
EXIT_INVALID = 2
#: Exit status for a bug in budget2024 itself.
EXIT_INTERNAL = 3
#: Input files larger than this are refused without being read (here, so that light modules can use it).
#: An agreement with 121,000 appendix rows (the scale the benchmarks test) takes about 60 MB.
MAX_FILE_BYTES = 100 * 1024 * 1024
#: How many problems an error message shows; a count line stands for the rest.
MAX_SHOWN = 100


class Problem(NamedTuple):
    """One problem in an input file.

    ``line`` and ``column`` are 1-based. ``line`` is 0 when the problem concerns the
    file as a whole (missing, unreadable, empty). Immutable, hashable and ordered by its
    fields (a named tuple: every command imports this module, and a dataclass costs
    a millisecond of start-up).
    """

    file: str
    line: int
    column: int
    message: str
    expected: str | None = None
    hint: str | None = None
    path: str = ""

    def format(self) -> str:
        """For people, in the chosen language (``as_dict`` keeps the English for JSON)."""
        from .i18n import _, shown

        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        head = _("{where}: error: {message}").format(where=where, message=shown(self.message))
        if self.path:
            head += " " + _("(at {path})").format(path=self.path)
        parts = [head]
        if self.expected:
            parts.append("    " + _("expected: {expected}").format(expected=shown(self.expected)))
        if self.hint:
            parts.append("    " + _("hint: {hint}").format(hint=shown(self.hint)))
        return "\n".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "expected": self.expected,
            "hint": self.hint,
        }


class LoadError(Exception):
    """Raised when an input file cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem] | None = None) -> None:
        # in line order, and each problem once (a value can fail the same way twice, e.g. in a union)
        self.problems = sorted(set(problems or []), key=lambda p: (p.file, p.line, p.column, p.message, p.path))
        super().__init__(self.format())

    def __repr__(self) -> str:
        return f"LoadError(problems={self.problems!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LoadError) and other.problems == self.problems

    __hash__ = None  # type: ignore[assignment]  # as a dataclass with eq: equal errors, not hashable

    def format(self, limit: int | None = MAX_SHOWN) -> str:
        """The problems for people: the first ``limit`` of them, then one line with the count of the
        rest (every problem is in :attr:`problems`, and so in ``--format json``)."""
        from .i18n import language, ngettext

        n = len(self.problems)
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [p.format() for p in shown]

        def count(k: int) -> str:  # 1,234 in English, 1.234 in Danish
            return f"{k:,}" if language() == "en" else f"{k:,}".replace(",", ".")

        if len(shown) < n:
            rest = n - len(shown)
            lines.append(ngettext("… and {rest} more problem, not shown: fix the first {shown} above and run the "
                                  "command again",
                                  "… and {rest} more problems, not shown: fix the first {shown} above and run the "
                                  "command again", rest).format(rest=count(rest), shown=len(shown)))
        lines.append(ngettext("{n} problem found; nothing was changed.",
                              "{n} problems found; nothing was changed.", n).format(n=count(n)))
        return "\n".join(lines)
