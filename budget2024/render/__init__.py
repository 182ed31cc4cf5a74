"""Rendering: report data → text table (rich), JSON or CSV.

rich is imported only when a table is drawn, so that ``--format json`` and
``--format csv`` start faster.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

UNIT_LABEL = {"1000 DKK": "1.000 kr."}
KIND_LABEL = {"drift": "Drift", "anlaeg": "Anlæg"}


def dk(n: int | float | None) -> str:
    """Danish number format: thousands point, decimal comma (4250 → '4.250', -0.5 → '-0,5')."""
    if n is None:
        return ""
    if isinstance(n, float) and not n.is_integer():
        whole, frac = f"{n:,.2f}".split(".")
        return whole.replace(",", ".") + "," + frac.rstrip("0")
    return f"{int(n):,}".replace(",", ".")


def unit_label(unit: str) -> str:
    return UNIT_LABEL.get(unit, unit)


def to_json(data: Any, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]], out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)


@dataclass
class Column:
    header: str
    justify: str = "left"  # "left" or "right"
    wrap: bool = False


@dataclass
class TableSpec:
    title: str
    columns: list[Column]
    rows: list[list[str]]
    footer_rows: list[list[str]] | None = None
    caption: str | None = None


def console(out: IO[str] | None = None, width: int | None = None) -> Any:
    """A rich console: colour on a terminal only, plain text when piped (and under NO_COLOR)."""
    from rich.console import Console

    out = out or sys.stdout
    is_tty = out.isatty() if hasattr(out, "isatty") else False
    if width is None and not is_tty:
        width = int(os.environ.get("COLUMNS", "0") or 0) or 100
    return Console(file=out, width=width, no_color=not is_tty or "NO_COLOR" in os.environ,
                   highlight=False, emoji=False, soft_wrap=False,
                   force_terminal=None if is_tty else False, color_system="auto" if is_tty else None)


def wrap_cell(text: str, width: int) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` characters, at spaces.

    A word longer than the width is broken after a '/' or '-' inside it, and only when it has
    none is it folded; no character is ever dropped.
    """
    width = max(width, 1)
    tokens: list[tuple[str, bool]] = []  # (piece, preceded by a space)
    for word in text.split():
        if len(word) <= width:
            tokens.append((word, True))
            continue
        chunks: list[str] = []
        for part in re.findall(r"[^/-]*[/-]|[^/-]+", word):
            while len(part) > width:
                chunks.append(part[:width])
                part = part[width:]
            if chunks and len(chunks[-1]) + len(part) <= width:
                chunks[-1] += part
            else:
                chunks.append(part)
        tokens += [(c, i == 0) for i, c in enumerate(chunks)]
    lines: list[str] = []
    for piece, spaced in tokens:
        sep = " " if spaced and lines else ""
        if lines and len(lines[-1]) + len(sep) + len(piece) <= width:
            lines[-1] += sep + piece
        else:
            lines.append(piece)
    return lines or [""]


def print_table(spec: TableSpec, out: IO[str] | None = None, width: int | None = None) -> None:
    """A table that fits the terminal: columns one space apart, and the text column (the one
    ``wrap`` column) wrapped at spaces to the width that is left, so that words are not folded
    where that can be avoided. Cells are plain text: brackets in them are never read as markup.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console(out, width)
    rows = [list(r) for r in spec.rows]
    footer = [list(r) for r in spec.footer_rows or []]

    def widest(i: int) -> int:
        return max([len(spec.columns[i].header), *(len(x) for r in rows + footer for x in r[i].split("\n"))])

    widths = [widest(i) for i in range(len(spec.columns))]
    wrap_cols = [i for i, c in enumerate(spec.columns) if c.wrap]
    w = wrap_cols[0] if len(wrap_cols) == 1 else None
    if w is not None:
        # one space between columns, and one more after the text column
        room = int(con.width) - len(widths) - sum(x for i, x in enumerate(widths) if i != w)
        room = max(room, 12)
        for r in rows + footer:
            r[w] = "\n".join(wrap_cell(r[w], room))
        widths[w] = widest(w) + 1
    table = Table(title=Text(spec.title), caption=Text(spec.caption) if spec.caption else None,
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0), collapse_padding=True,
                  title_justify="left", caption_justify="left",
                  min_width=min(len(spec.title), int(con.width)))  # the title (with its unit) on one line
    for i, col in enumerate(spec.columns):
        table.add_column(Text(col.header), justify="right" if col.justify == "right" else "left", no_wrap=True,
                         overflow="fold", min_width=widths[i], max_width=widths[i] if i == w else None)
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    if footer:
        table.add_section()
        for row in footer:
            table.add_row(*(Text(c) for c in row), style="bold")
    con.print(table)


def print_text(text: str, out: IO[str] | None = None) -> None:
    (out or sys.stdout).write(text if text.endswith("\n") else text + "\n")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(h) for h in header) + " |",
             "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def capture(fn: Any, *args: Any, **kwargs: Any) -> str:
    """Run a printing function into a string (for tests and snapshots)."""
    buf = io.StringIO()
    fn(*args, out=buf, **kwargs)
    return buf.getvalue()
