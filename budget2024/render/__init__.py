"""Rendering: report data → text table (rich), JSON or CSV.

rich is imported only when a table is drawn on a terminal (or one the plain drawer has not been
verified for), so that ``--format json``, ``--format csv`` and a piped table start faster.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from typing import IO, Any, NamedTuple

UNIT_LABEL = {"1000 DKK": "1.000 kr."}
KIND_LABEL = {"drift": "Drift", "anlaeg": "Anlæg"}


class Amount(str):
    """The text :func:`dk` draws for a number, which still knows the number: a table written to a
    workbook (render/xlsx.py) gets the number, not the text."""

    value: int | float


def amount_text(text: str, value: int | float) -> str:
    """``text`` drawn for the amount ``value`` (e.g. with a sign): a workbook gets the number."""
    out = Amount(text)
    out.value = value
    return out


def dk(n: int | float | None) -> str:
    """Danish number format: thousands point, decimal comma (4250 → '4.250', -0.5 → '-0,5')."""
    if n is None:
        return ""
    if isinstance(n, float) and not n.is_integer():
        whole, frac = f"{n:,.2f}".split(".")
        text = Amount(whole.replace(",", ".") + "," + frac.rstrip("0"))
    else:
        text = Amount(f"{int(n):,}".replace(",", "."))
    text.value = n
    return text


def unit_label(unit: str) -> str:
    return UNIT_LABEL.get(unit, unit)


def to_json(data: Any, out: IO[str] | None = None) -> None:
    """JSON as UTF-8 text; on a stream that is not UTF-8, with \\uXXXX escapes (the same data, nothing lost)."""
    out = out or sys.stdout
    encoding = (getattr(out, "encoding", None) or "utf-8").lower()
    json.dump(data, out, ensure_ascii=not encoding.startswith("utf"), indent=2)
    out.write("\n")


#: While a report is written to a workbook (render/xlsx.py), the tables it draws are collected
#: here instead of drawn (CSV for Danish Excel: render/csvexcel.py).
_collect: list[Any] | None = None


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]], out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    from .csvexcel import _active, write_csv_excel

    if _active[0]:
        write_csv_excel(header, rows, out)
        return
    import csv

    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)


class Column(NamedTuple):  # named tuples: a dataclass costs a millisecond at every start
    """A column of a :class:`TableSpec`. ``wrap``: the column may take several lines (text at spaces,
    an id only after a '-' and never before a year); otherwise every cell is drawn whole (numbers,
    years, statuses). ``ratio``: how the wrapping columns share the room that is left."""

    header: str
    justify: str = "left"  # "left" or "right"
    wrap: bool = False
    ids: bool = False  # with wrap: break with wrap_id, never inside a part
    ratio: int = 1


class TableSpec(NamedTuple):
    """A table: title (with its unit), columns, rows, bold footer rows, a note under the table, and
    styles for cells on a terminal ((row, column) → rich style; never change the characters)."""

    title: str
    columns: list[Column]
    rows: list[list[str]]
    footer_rows: list[list[str]] | None = None
    caption: str | None = None
    styles: dict[tuple[int, int], str] | None = None


#: The width of a table when no terminal is attached and COLUMNS is not set.
DEFAULT_WIDTH = 80
#: The width tables and text are laid out for while they are collected for a workbook.
COLLECT_WIDTH = 1000


def output_width(width: int | None = None) -> int:
    """The width tables are drawn for: ``width`` when given; else the width of the terminal when one is
    attached to stdout, stderr or stdin (so that ``budget lines | less`` fits the screen); else
    ``COLUMNS``; else 80. Titles wrap to it; a table whose numbers do not fit it is drawn wider
    instead, never cut (see ``print_table``)."""
    if _collect is not None:  # collected for a workbook: nothing is wrapped
        return COLLECT_WIDTH
    if width is not None:
        return max(int(width), 1)
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            if stream is not None and stream.isatty():
                return max(os.get_terminal_size(stream.fileno()).columns, 1)
        except (AttributeError, OSError, ValueError):
            continue
    columns = os.environ.get("COLUMNS", "")
    if columns.strip().isdigit() and int(columns) > 0:
        return int(columns)
    return DEFAULT_WIDTH


def console(out: IO[str] | None = None, width: int | None = None) -> Any:
    """A rich console: colour on a terminal only, plain text when piped (and under NO_COLOR)."""
    from rich.console import Console

    out = out or sys.stdout
    is_tty = out.isatty() if hasattr(out, "isatty") else False
    return Console(file=out, width=output_width(width), no_color=not is_tty or "NO_COLOR" in os.environ,
                   highlight=False, emoji=False, soft_wrap=False,
                   force_terminal=None if is_tty else False, color_system="auto" if is_tty else None)


def print_fitted(con: Any, renderable: Any) -> None:
    """Print a rich table on ``con``, drawn wider than the console where its narrowest layout does not
    fit: the columns that may fold (text) at their ``min_width``, every other cell whole (numbers,
    years, statuses), so that nothing but text is ever wrapped and nothing is ever cut."""
    if _collect is not None:
        _collect.append(renderable)
        return
    from rich.measure import Measurement

    columns = getattr(renderable, "columns", None)
    if columns == []:  # nothing to measure
        con.print(renderable)
        return
    folding = [c for c in columns or [] if c.overflow == "fold" and not c.no_wrap]
    saved = [c.max_width for c in folding]
    for c in folding:  # measured at their narrowest: text may fold there
        c.max_width = max(c.min_width or 1, 1)
    try:
        needed = Measurement.get(con, con.options.update(max_width=1 << 16), renderable).minimum
    finally:
        for c, m in zip(folding, saved, strict=True):
            c.max_width = m
    if needed > con.width:
        con = console(con.file, needed)
    con.print(renderable)


def wrap_cell(text: str, width: int) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` characters, at spaces.

    A word longer than the width is broken after a '/' or '-' inside it, and only when it has
    none is it folded, each folded piece marked by a trailing '-'; no character is ever dropped.
    """
    width = max(width, 1)
    tokens: list[tuple[str, bool]] = []  # (piece, preceded by a space)
    for word in text.split():
        if len(word) <= width:
            tokens.append((word, True))
            continue
        chunks: list[str] = []
        for part in re.findall(r"[^/-]*[/-]|[^/-]+", word):
            step = width - 1 if width > 1 else 1  # room for the mark
            while len(part) > width:
                chunks.append(part[:step] + ("-" if width > 1 else ""))
                part = part[step:]
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


def wrap_lines(text: str, width: int) -> list[str]:
    """:func:`wrap_cell` for each line of a multi-line cell: its lines stay lines."""
    return [piece for line in text.split("\n") for piece in wrap_cell(line, width)]


def _words_of(text: str) -> list[str]:
    return [w for line in text.split("\n") for w in line.split()]


#: The places an id may break: after a '-' that is not followed by a year (property-tax-2024
#: breaks as property- / tax-2024, never as property-tax / -2024).
_ID_PARTS = r"[^-]+(?:-\d{4}(?!\d))*-?|-"  # text: compiled (and cached by re) when first used


def wrap_id(text: str, width: int) -> list[str]:
    """An id in lines of at most ``width``, broken only after a '-' and never before a year; a part
    wider than ``width`` stays whole (the table is drawn wider rather than fold it)."""
    lines: list[str] = []
    for part in re.findall(_ID_PARTS, text):
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return lines or [""]


def id_parts(text: str) -> list[str]:
    """The parts of an id that :func:`wrap_id` never breaks."""
    return re.findall(_ID_PARTS, text)


def print_table(spec: TableSpec, out: IO[str] | None = None, width: int | None = None) -> None:
    """A table that fits the terminal: columns one space apart, and the text column (the one
    ``wrap`` column) wrapped at spaces to the width that is left, so that words are not folded
    where that can be avoided. Cells are plain text: brackets in them are never read as markup.

    On a terminal rich draws it (with colour and bold). Piped, where rich would write plain text
    anyway, a small drawer writes the same characters rich would, without importing rich; a table
    it has not been verified against (see ``_plain_table``) is still drawn by rich.
    """
    if _collect is not None:
        _collect.append(spec)
        return
    out = out or sys.stdout
    width = _needed_width(spec, output_width(width))
    plain_width = _plain_width(out, width)
    if plain_width is not None:
        widths, rows, footer, _ = _fit(spec, plain_width)
        text = _plain_table(spec, widths, rows, footer, plain_width)
        if text is not None:
            out.write(text)
            return
    _rich_table(spec, out, width)


def _needed_width(spec: TableSpec, con_width: int) -> int:
    """``con_width``, or more where the table's columns (a text column 12 wide, an id column its
    widest part) do not fit in it: a table whose numbers do not fit is drawn wider rather than cut."""
    rows = [*spec.rows, *(spec.footer_rows or [])]
    needed = len(spec.columns) - 1
    for i, col in enumerate(spec.columns):
        cells = [x for r in rows for x in r[i].split("\n")]
        if col.wrap and col.ids:
            needed += max([len(col.header), *(len(p) for x in cells for p in id_parts(x))]) + 1
        elif col.wrap:
            needed += max(len(col.header), 12) + 1  # text: wrapped, and a word longer than that folded
        else:
            needed += max([len(col.header), *(len(x) for x in cells)])
    return max(con_width, needed)


def _fit(spec: TableSpec, con_width: int) -> tuple[list[int], list[list[str]], list[list[str]], list[int]]:
    """Column widths, and the rows with the wrapping columns wrapped, for a console ``con_width``
    wide; and the indexes of the wrapping columns."""
    rows = [list(r) for r in spec.rows]
    footer = [list(r) for r in spec.footer_rows or []]
    cells = rows + footer

    def widest(i: int) -> int:
        return max([len(spec.columns[i].header), *(len(x) for r in cells for x in r[i].split("\n"))])

    widths = [widest(i) for i in range(len(spec.columns))]
    wrap = [i for i, c in enumerate(spec.columns) if c.wrap]
    if wrap:
        # one space between columns, and one more after each wrapping column
        room = con_width - (len(widths) - 1) - sum(x for i, x in enumerate(widths) if i not in wrap) - len(wrap)
        for i, share in zip(wrap, _shares([spec.columns[i] for i in wrap], [[r[i] for r in cells] for i in wrap],
                                          room), strict=True):
            if spec.columns[i].ids:
                for r in cells:
                    r[i] = "\n".join(p for line in r[i].split("\n") for p in wrap_id(line, share))
            else:
                for r in cells:
                    r[i] = "\n".join(wrap_lines(r[i], share))
            widths[i] = widest(i) + 1
    return widths, rows, footer, wrap


def _shares(cols: list[Column], cells: list[list[str]], room: int) -> list[int]:
    """The width each wrapping column is wrapped to. Each gets at least its longest word where the
    room allows (so that a word is folded only when there is no room at all), else 12 (an id column:
    its widest part, which is never broken); the rest is shared by ``ratio``, none wider than it needs."""
    natural, hard, prefer = [], [], []
    for col, column in zip(cols, cells, strict=True):
        lines = [ln for c in column for ln in c.split("\n")]
        head = len(col.header)  # never wrapped: no narrower than the header
        if col.ids:
            n = max([1, head, *(len(ln) for ln in lines)])
            h = max([1, head, *(len(p) for ln in lines for p in id_parts(ln))])
            natural.append(n)
            hard.append(h)
            prefer.append(h)
        else:
            n = max([1, head, *(len(" ".join(ln.split())) for ln in lines)])
            natural.append(n)
            hard.append(max(head, min(n, 12)))
            prefer.append(min(n, max([hard[-1], *(len(w) for ln in lines for w in ln.split())])))
    if len(cols) == 1:
        return [max(room, hard[0])]
    if room >= sum(natural):
        return natural
    shares = list(hard)
    left = room - sum(shares)
    growing = [k for k in range(len(cols)) if shares[k] < natural[k]]
    while left > 0 and growing:  # the room by ratio, none wider than it needs
        budget, total = left, sum(cols[k].ratio for k in growing)
        for k in growing:
            give = min(natural[k] - shares[k], left, max(1, budget * cols[k].ratio // max(total, 1)))
            shares[k] += give
            left -= give
        growing = [k for k in growing if shares[k] < natural[k]]
    for k in range(len(cols)):  # a word wider than its share: room from the others' spare, if they have it
        need = prefer[k] - shares[k]
        spare = {j: shares[j] - prefer[j] for j in range(len(cols)) if j != k and shares[j] > prefer[j]}
        if need <= 0 or sum(spare.values()) < need:
            continue
        for j in sorted(spare, key=lambda j: -spare[j]):
            take = min(spare[j], need)
            shares[j] -= take
            shares[k] += take
            need -= take
    return shares


def _rich_table(spec: TableSpec, out: IO[str], width: int | None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console(out, width)
    widths, rows, footer, wrap = _fit(spec, int(con.width))
    styles = spec.styles or {}
    table = Table(title=Text(spec.title), caption=Text(spec.caption) if spec.caption else None,
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0), collapse_padding=True,
                  title_justify="left", caption_justify="left",
                  min_width=min(len(spec.title), int(con.width)))  # the title (with its unit) on one line
    for i, col in enumerate(spec.columns):
        table.add_column(Text(col.header), justify="right" if col.justify == "right" else "left", no_wrap=True,
                         overflow="fold", min_width=widths[i], max_width=widths[i] if i in wrap else None)
    for n, row in enumerate(rows):
        table.add_row(*(Text(c, style=styles.get((n, i), "")) for i, c in enumerate(row)))
    if footer:
        table.add_section()
        for row in footer:
            table.add_row(*(Text(c) for c in row), style="bold")
    print_fitted(con, table)


# ----------------------------------------------------------------------------- the plain drawer
#
# What rich (15.x) does with the table print_table builds, when it writes to a stream that is not a
# terminal (so with no colour system: styles such as bold write nothing), for the cases below:
# characters one cell wide, a UTF-8 stream, and a table that fits the console. Anything else goes
# to rich. tests/test_render_plain.py compares the two on generated tables.

#: Characters rich measures as one cell and treats as plain text (no control codes, no combining
#: or zero-width characters, nothing East Asian wide); "\n" separates the lines of a cell.
# compiled when a table is first drawn, not when JSON is printed
_PLAIN_CHARS = r"[\n\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2190-\u22ff]*"
_WORD = r"\s*\S+\s*"
_TRAILING_SPACE = r"(?<!\s)\s+$"  # only from the start of a run of spaces: linear time


def _plain_width(out: IO[str], width: int | None) -> int | None:
    """The width console() would give ``out``, when the plain drawer may draw for it; else None."""
    is_tty = out.isatty() if hasattr(out, "isatty") else False
    if is_tty or sys.platform == "win32":
        return None
    encoding = (getattr(out, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):  # rich would draw the rules in ASCII
        return None
    return output_width(width)


def _ratio_distribute(total: int, ratios: list[int]) -> list[int]:
    """rich's ratio_distribute (without minimums)."""
    total_ratio = sum(ratios)
    remaining = total
    out = []
    for ratio in ratios:
        share = max(0, math.ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        out.append(share)
        total_ratio -= ratio
        remaining -= share
    return out


def _divide_line(text: str, width: int) -> list[int]:
    """rich's divide_line with fold=True, for one-cell characters."""
    breaks: list[int] = []
    offset = 0
    for m in _words(text):
        start, word = m.start(), m.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            chunks = [word[i:i + width] for i in range(0, len(word), width)]
            for n, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if n == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _words(text: str) -> list[re.Match[str]]:
    """rich's words(): consecutive matches of ``\\s*\\S+\\s*`` from the start, stopping at a gap."""
    found = []
    word = re.compile(_WORD)
    m = word.match(text, 0)
    while m is not None:
        found.append(m)
        m = word.match(text, m.end())
    return found


def _annotation(text: str, width: int) -> list[str]:
    """A title or caption as rich's Text renders it: wrapped to ``width``, left-justified, padded."""
    lines = []
    for line in text.split("\n"):
        bounds = [0, *_divide_line(line, width), len(line)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            piece = line[a:b]
            if len(piece) > width:
                m = re.search(_TRAILING_SPACE, piece)
                if m is not None:
                    piece = piece[:len(piece) - min(len(m.group(0)), len(piece) - width)]
            lines.append(piece[:width].ljust(width))
    return lines


def _cell(text: str, width: int, right: bool) -> list[str]:
    if right:
        return [line.rstrip().rjust(width) for line in text.split("\n")]
    return [line.ljust(width) for line in text.split("\n")]


def _plain_table(spec: TableSpec, widths: list[int], rows: list[list[str]], footer: list[list[str]],
                 con_width: int) -> str | None:
    """The text rich would print for the table, or None where that has not been verified."""
    n = len(spec.columns)
    texts = [spec.title, spec.caption or "", *(c.header for c in spec.columns), *(x for r in rows + footer for x in r)]
    if not n or con_width < 1 or any(len(r) != n for r in rows + footer) \
            or not all(re.fullmatch(_PLAIN_CHARS, t) for t in texts):
        return None
    extra = n - 1  # the one-space dividers
    max_width = con_width - extra
    widths = [x or 1 for x in widths]
    if sum(widths) > max_width:  # rich would shrink the columns and crop the lines
        return None
    min_width = min(len(spec.title), con_width)
    if sum(widths) < min_width - extra:  # rich widens the columns to the title's width
        pad = _ratio_distribute(min(min_width - extra, max_width) - sum(widths), widths)
        widths = [x + p for x, p in zip(widths, pad, strict=True)]
    table_width = sum(widths) + extra
    right = [c.justify == "right" for c in spec.columns]

    def draw(cells: list[str], bottom: bool = False) -> list[str]:
        drawn = [_cell(c, widths[i], right[i]) for i, c in enumerate(cells)]
        height = max(len(d) for d in drawn)
        for i, d in enumerate(drawn):
            blank = [" " * widths[i]] * (height - len(d))
            drawn[i] = blank + d if bottom else d + blank
        return [" ".join(parts) for parts in zip(*drawn, strict=True)]

    lines = _annotation(spec.title, table_width) if spec.title else []
    lines += draw([c.header for c in spec.columns], bottom=True)
    lines.append("─" * table_width)
    for row in rows:
        lines += draw(row)
    if rows and footer:
        lines.append(" " * table_width)
    for row in footer:
        lines += draw(row)
    if spec.caption:
        lines += _annotation(spec.caption, table_width)
    return "".join(line + "\n" for line in lines)


def print_wrapped(text: str, out: IO[str] | None = None, width: int | None = None, first: str = "",
                  rest: str = "") -> None:
    """``text`` wrapped at spaces to the output width (as a table's text column is), its first line
    after ``first`` and the others after ``rest``."""
    room = max(output_width(width) - max(len(first), len(rest)), 16)
    lines = wrap_cell(text, room)
    (out or sys.stdout).write("".join((first if i == 0 else rest) + ln + "\n" for i, ln in enumerate(lines)))


def print_line(text: str, out: IO[str] | None = None, style: str = "") -> None:
    """One line, never wrapped (a CI log can be searched for it); in ``style`` on a terminal only."""
    out = out or sys.stdout
    if style and (out.isatty() if hasattr(out, "isatty") else False):
        from rich.text import Text

        console(out).print(Text(text, style=style), soft_wrap=True)
    else:
        out.write(text + "\n")


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
