"""A document as plain data (headings, paragraphs, lists, tables), and its text and markdown forms.

A report's renderer builds the blocks once; each output walks the same blocks. A Word or HTML
renderer can walk them too. Blocks are dicts:

- ``{"type": "heading", "level": 1, "text": …}``
- ``{"type": "paragraph", "text": …}``
- ``{"type": "list", "items": [text, …]}`` (an item may hold ``"\\n"``-separated lines)
- ``{"type": "table", "title": …, "header": […], "rows": [[…]], "right": [bool, …], "wrap": int | None,
  "footer": [[…]]}``: cells are text (numbers already in Danish format); the title holds the unit;
  ``footer`` rows are totals (bold where the form has bold); ``caption`` explains the columns.
"""

from __future__ import annotations

import sys
import textwrap
from typing import IO, Any

from . import Column, TableSpec, _plain_width, console, markdown_table, print_table

Block = dict[str, Any]
DASH = "–"


def section_cell(section: str | None, label: str = "") -> str:
    """A numbered section as it is; a row of the general part by its appendix label, else a dash."""
    if section is not None and section[:1].isdigit() and section.replace(".", "").isdigit():
        return section
    return label or DASH


def heading(text: str, level: int = 1) -> Block:
    return {"type": "heading", "level": level, "text": text}


def paragraph(text: str) -> Block:
    return {"type": "paragraph", "text": text}


def bullets(items: list[str]) -> Block:
    return {"type": "list", "items": items}


def table(title: str, header: list[str], rows: list[list[str]], right: list[bool], wrap: int | None = None,
          footer: list[list[str]] | None = None, caption: str | None = None) -> Block:
    return {"type": "table", "title": title, "header": header, "rows": rows, "right": right, "wrap": wrap,
            "footer": footer or [], "caption": caption}


def to_markdown(blocks: list[Block]) -> str:
    parts: list[str] = []
    for b in blocks:
        kind = b["type"]
        if kind == "heading":
            parts.append("#" * b["level"] + " " + b["text"])
        elif kind == "paragraph":
            parts.append(b["text"])
        elif kind == "list":
            parts.append("\n".join("- " + item.replace("\n", "  \n  ") for item in b["items"]))
        elif kind == "table":
            bold = [[f"**{c}**" if c else "" for c in row] for row in b["footer"]]
            parts.append(f"*{b['title']}*\n\n" + markdown_table(b["header"], b["rows"] + bold, b["right"]))
            if b.get("caption"):
                parts.append(b["caption"])
    return "\n\n".join(parts) + "\n"


def to_text(blocks: list[Block], out: IO[str] | None = None, width: int | None = None) -> None:
    """The blocks as plain text for a terminal or a pipe: tables through the shared table drawer."""
    out = out or sys.stdout
    # piped, the width the table drawer uses, without importing rich; on a terminal, rich's
    w = max(int(_plain_width(out, width) or console(out, width).width), 20)
    first = True
    for b in blocks:
        if not first:
            out.write("\n")
        first = False
        kind = b["type"]
        if kind in ("heading", "paragraph"):
            out.write(textwrap.fill(b["text"], width=w, break_long_words=False, break_on_hyphens=False) + "\n")
        elif kind == "list":
            for item in b["items"]:
                for i, line in enumerate(item.split("\n")):
                    lead = "- " if i == 0 else "  "
                    out.write(textwrap.fill(line, width=w, initial_indent=lead, subsequent_indent="    "
                                            if i else "  ", break_long_words=False, break_on_hyphens=False) + "\n")
        elif kind == "table":
            cols = [Column(h, "right" if r else "left", wrap=i == b["wrap"])
                    for i, (h, r) in enumerate(zip(b["header"], b["right"], strict=True))]
            print_table(TableSpec(b["title"], cols, b["rows"], b["footer"] or None, b.get("caption")), out, width)
