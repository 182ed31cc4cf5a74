"""A generic document: headings, paragraphs, bullet lists and tables, that any report can be
turned into and any document format (:mod:`budget2024.render.docx`) can write.

Cells are text as they are shown (Danish number format); each table column says how it is
aligned, and each table names the rows that are bold (subtotals, totals) and its caption, which
carries the unit.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from . import Column


class Heading(NamedTuple):
    text: str
    level: int = 1  # 0 is the document's title, 1–3 headings


class Paragraph(NamedTuple):
    text: str
    italic: bool = False


class Bullets(NamedTuple):
    items: list[str]


class Table(NamedTuple):
    caption: str  # says the unit: "Appendix rows 2025 (amounts in 1.000 kr.)"
    columns: list[Column]  # header and alignment ("left" or "right")
    rows: list[list[str]]
    bold_rows: frozenset[int] = frozenset()  # indices into rows


Block = Heading | Paragraph | Bullets | Table


class Document(NamedTuple):
    title: str  # the document's title (its metadata)
    header: str  # the running header's left part: the agreement's title
    date: str  # the running header's right part
    blocks: list[Block]


def from_blocks(blocks: list[dict[str, Any]], *, title: str, header: str, date: str) -> Document:
    """A document from the dict blocks that :mod:`budget2024.render.document` renders as text and
    markdown (heading, paragraph, list, table): the same content, for the docx writer. A table's
    ``footer`` rows become its bold rows, and its ``caption`` a paragraph under it."""
    out: list[Block] = []
    for b in blocks:
        kind = b["type"]
        if kind == "heading":
            out.append(Heading(b["text"], b["level"]))
        elif kind == "paragraph":
            out.append(Paragraph(b["text"]))
        elif kind == "list":
            out.append(Bullets(list(b["items"])))
        elif kind == "table":
            columns = [Column(h, "right" if r else "left", wrap=i == b.get("wrap"))
                       for i, (h, r) in enumerate(zip(b["header"], b["right"], strict=True))]
            rows = [*b["rows"], *b.get("footer", [])]
            out.append(Table(b["title"], columns, rows, frozenset(range(len(b["rows"]), len(rows)))))
            if b.get("caption"):
                out.append(Paragraph(b["caption"], italic=True))
        else:
            raise ValueError(f"unknown block type {kind!r}")
    return Document(title=title, header=header, date=date, blocks=out)
