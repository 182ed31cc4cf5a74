"""Horizontal bars in the terminal: ``budget totals --chart`` and ``budget committees --chart``.

Each bar is labelled with its amount in Danish format; the title carries the unit. Negative
amounts are drawn to the left of the axis, positive ones to the right, on one scale. rich
colours the bars on a terminal; piped, the output is plain text without colour codes (and
``#``/``|`` instead of block characters when the output's encoding lacks them).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, Any, NamedTuple

from ..i18n import _
from . import KIND_LABEL, console, dk, unit_label

BLOCK, AXIS = "█", "│"


class Bar(NamedTuple):
    label: str
    value: int


class Group(NamedTuple):
    title: str
    bars: Sequence[Bar]


def _glyphs(out: IO[str]) -> tuple[str, str]:
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        (BLOCK + AXIS).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "#", "|"
    return BLOCK, AXIS


def layout(groups: Sequence[Group], width: int) -> tuple[int, int, int, int]:
    """(label width, value width, cells left of the axis, cells right of it) for ``width`` columns."""
    bars = [b for g in groups for b in g.bars]
    label_w = max((len(b.label) for b in bars), default=0)
    value_w = max((len(dk(b.value)) for b in bars), default=1)
    area = max(width - 2 - label_w - 1 - value_w - 1 - 1, 10)
    neg = max((-b.value for b in bars if b.value < 0), default=0)
    pos = max((b.value for b in bars if b.value > 0), default=0)
    if neg + pos == 0:
        return label_w, value_w, 0, area
    left = round(area * neg / (neg + pos))
    if neg and left == 0:
        left = 1
    if pos and left == area:
        left = area - 1
    return label_w, value_w, left, area - left


def cells(value: int, scale: float) -> int:
    """How many cells a bar takes: at least one for an amount that is not zero."""
    if value == 0 or scale <= 0:
        return 0
    return max(1, round(abs(value) / scale))


def draw(title: str, groups: Sequence[Group], out: IO[str] | None = None, width: int | None = None,
         note: str | None = None) -> None:
    """Print the groups of bars under ``title`` (and ``note`` below them)."""
    from rich.text import Text

    out = out or sys.stdout
    con = console(out, width)
    block, axis = _glyphs(out)
    label_w, value_w, left, right = layout(groups, con.width)
    bars = [b for g in groups for b in g.bars]
    neg = max((-b.value for b in bars if b.value < 0), default=0)
    pos = max((b.value for b in bars if b.value > 0), default=0)
    scale = max(neg / left if left else 0, pos / right if right else 0)
    con.print(Text(title, style="bold"))
    for g in groups:
        con.print(Text(g.title, style="bold"))
        for b in g.bars:
            n = cells(b.value, scale)
            line = Text(f"  {b.label:<{label_w}} {dk(b.value):>{value_w}} ")
            if b.value < 0:
                line.append(" " * (left - n))
                line.append(block * n, style="red")
            else:
                line.append(" " * left)
            line.append(axis, style="dim")
            if b.value > 0:
                line.append(block * n, style="blue")
            con.print(line, overflow="ignore", crop=False, no_wrap=True)
    if note:
        con.print(Text(note))


def show_totals_chart(data: dict[str, Any], out: IO[str] | None = None, width: int | None = None) -> None:
    """``budget totals --chart``: per year, each kind's net and the net over the kinds shown."""
    groups = []
    for y in data["years"]:
        bars = [Bar(_("{kind}, net").format(kind=KIND_LABEL[k]), y["kinds"][k]["net"]) for k in data["kinds"]]
        if len(data["kinds"]) > 1:
            bars.append(Bar(_("Net, both kinds"), y["net"]))
        groups.append(Group(str(y["year"]), bars))
    draw(_("The agreement's expansions and savings, net per year (amounts in {unit})").format(
        unit=unit_label(data["unit"])), groups, out, width)


def show_committees_chart(data: dict[str, Any], out: IO[str] | None = None, width: int | None = None) -> None:
    """``budget committees --chart``: per year, each body's net per kind (and the rows of no body)."""
    groups = []
    for year in data["years"]:
        y = str(year)
        bars = [Bar(f"{_short(b)} {KIND_LABEL[k]}", b["net"][y][k]) for b in data["bodies"] for k in data["kinds"]]
        bars += [Bar(f"{_('No body')} {KIND_LABEL[k]}", data["unassigned"]["net"][y][k]) for k in data["kinds"]]
        groups.append(Group(y, bars))
    names = "; ".join(f"{_short(b)}: {b['name']}" for b in data["bodies"] if _short(b) != b["name"])
    draw(_("Responsible bodies, net per year and kind (amounts in {unit})").format(unit=unit_label(data["unit"])),
         groups, out, width, note=names or None)


def _short(body: dict[str, Any]) -> str:
    """A body's first alias (KMU), else its name: the bars keep their room."""
    return str(body["aliases"][0]) if body["aliases"] else str(body["name"])
