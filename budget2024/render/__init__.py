"""Rendering: report data → text table (rich), JSON or CSV.

rich is imported only when a table is drawn, so that ``--format json`` and
``--format csv`` start faster.
"""

from __future__ import annotations

import csv
import io
import json
import os
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


def print_table(spec: TableSpec, out: IO[str] | None = None, width: int | None = None) -> None:
    from rich import box
    from rich.table import Table

    con = console(out, width)
    table = Table(title=spec.title, caption=spec.caption, box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True, show_footer=False, title_justify="left", caption_justify="left",
                  min_width=min(len(spec.title), con.width))
    all_rows = spec.rows + (spec.footer_rows or [])
    for i, col in enumerate(spec.columns):
        widest = max([len(col.header), *(len(r[i]) for r in all_rows)])
        # short columns (numbers, kinds, sections) keep their width; text columns wrap at word
        # boundaries and share what is left, so that nothing is ever cut
        table.add_column(col.header, justify="right" if col.justify == "right" else "left",
                         overflow="fold", no_wrap=not col.wrap,
                         min_width=min(widest, 14) if col.wrap else widest,
                         ratio=1 if col.wrap else None)
    for row in spec.rows:
        table.add_row(*row)
    if spec.footer_rows:
        table.add_section()
        for row in spec.footer_rows:
            table.add_row(*row, style="bold")
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
