"""A generic document: headings, paragraphs, bullet lists and tables, that any report can be
turned into and any document format (:mod:`budget2024.render.docx`) can write.

Cells are text as they are shown (Danish number format); each table column says how it is
aligned, and each table names the rows that are bold (subtotals, totals) and its caption, which
carries the unit.
"""

from __future__ import annotations

from typing import NamedTuple

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
