"""Word documents (.docx) through python-docx, from a generic :class:`~budget2024.render.docmodel.Document`.

Real headings (Word's Title and Heading styles, so that the agenda system's table of contents
and navigation see them), real tables (with a header row repeated on every page, right-aligned
amount columns and bold subtotal rows) each under a caption that carries the unit (a numbered
"Table N" caption, Word's own), the agreement's title and the date in the running header, and
"Page N of M" (PAGE and NUMPAGES fields) in the footer.

python-docx is imported only when a document is written.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ..i18n import _, language
from .dates import long_date
from .docmodel import Bullets, Document, Heading, Paragraph, Table
from .files import write_file


def docx_bytes(doc: Document, created: dt.datetime | None = None) -> bytes:
    """The document as the bytes of a .docx file."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = docx.Document()
    section = d.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)

    props = d.core_properties
    props.title = doc.title
    props.language = _set_language(d)
    props.subject = doc.header
    props.author = "budget2024"
    props.last_modified_by = "budget2024"
    props.revision = 1
    if created is not None:
        stamp = created.astimezone(dt.UTC).replace(tzinfo=None)
        props.created = props.modified = stamp

    header = section.header.paragraphs[0]
    header.text = f"{doc.header}\t\t{long_date(doc.date)}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # TRANSLATORS: the footer "Page 1 of 3", split around Word's PAGE and NUMPAGES fields
    before, between = _("Page {page} of {pages}").split("{page}")
    between, after = between.split("{pages}")
    footer.add_run(before)
    _field(footer, "PAGE", "1")
    footer.add_run(between)
    _field(footer, "NUMPAGES", "1")
    if after:
        footer.add_run(after)

    tables = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            d.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            run = d.add_paragraph().add_run(block.text)
            run.italic = block.italic
        elif isinstance(block, Bullets):
            for item in block.items:
                d.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            tables += 1
            _table(d, block, tables, Pt, WD_ALIGN_PARAGRAPH)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue() if created is None else _stamped(buf.getvalue(), created)


def _stamped(data: bytes, when: dt.datetime) -> bytes:
    """The same package with every zip entry dated ``when``: the same document made at the same
    time is then the same file, byte for byte (for SOURCE_DATE_EPOCH)."""
    import zipfile

    stamp = max(when.astimezone(dt.UTC).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def write_docx(doc: Document, path: Path, *, force: bool = False, created: dt.datetime | None = None) -> None:
    """Write the document to ``path`` atomically; an existing file is replaced only with ``force``."""
    write_file(path, docx_bytes(doc, created), force=force)


def _table(d: Any, block: Table, number: int, Pt: Any, align: Any) -> None:  # noqa: N803 - python-docx's names
    caption = d.add_paragraph(style="Caption")
    caption.add_run(_("Table") + " ")
    _field(caption, "SEQ Table \\* ARABIC", str(number))
    caption.add_run(f": {block.caption}")
    caption.paragraph_format.keep_with_next = True

    table = d.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = "Table Grid"
    table.autofit = False
    right = [c.justify == "right" for c in block.columns]
    for j, width in enumerate(_widths(block)):
        table.columns[j].width = width  # the grid, which LibreOffice reads
        for cell in table.columns[j].cells:
            cell.width = width  # each cell, which Word reads
    _mark_header_row(table.rows[0])
    for row in table.rows:
        _keep_row_together(row)
    for j, column in enumerate(block.columns):
        _cell(table.cell(0, j), column.header, bold=True, right=right[j], Pt=Pt, align=align)
    for i, row in enumerate(block.rows, start=1):
        bold = (i - 1) in block.bold_rows
        for j, text in enumerate(row):
            _cell(table.cell(i, j), text, bold=bold, right=right[j], Pt=Pt, align=align)
    d.add_paragraph()


def _widths(block: Table, text_width_cm: float = 17.0) -> list[Any]:
    """Column widths: each column as wide as its longest line (within limits), and the wrapped
    text column (the title) the rest of the page."""
    from docx.shared import Cm

    def longest(j: int) -> int:
        cells = [block.columns[j].header, *(r[j] for r in block.rows)]
        return max((len(line) for c in cells for line in c.split("\n")), default=1)

    fixed = {j: min(max(0.22 * longest(j) + 0.5, 1.4), 4.0)
             for j, c in enumerate(block.columns) if not c.wrap}
    wrapped = [j for j, c in enumerate(block.columns) if c.wrap]
    rest = max(text_width_cm - sum(fixed.values()), 3.0 * len(wrapped))
    return [Cm(fixed[j]) if j in fixed else Cm(rest / len(wrapped)) for j in range(len(block.columns))]


def _cell(cell: Any, text: str, *, bold: bool, right: bool, Pt: Any, align: Any) -> None:  # noqa: N803
    paragraph = cell.paragraphs[0]
    if right:
        paragraph.alignment = align.RIGHT
    lines = text.split("\n")
    for k, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(9)
        if k < len(lines) - 1:
            run.add_break()


def _mark_header_row(row: Any) -> None:
    """Repeat the row at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _keep_row_together(row: Any) -> None:
    """A row is never split across two pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(cant)


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, SEQ) with the value shown until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(fld_char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(fld_char("separate"))
    paragraph.add_run(shown)
    run = paragraph.add_run()
    run._r.append(fld_char("end"))


#: The document's language tag for each language of the output.
DOCX_LANGUAGE = {"da": "da-DK", "en": "en-GB"}


def _set_language(d: Any) -> str:
    """Mark the text as the chosen language (Word's spelling and hyphenation follow the Normal style's
    language); returns the tag, for the core properties too."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = DOCX_LANGUAGE[language()]
    rpr = d.styles["Normal"].element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    rpr.append(lang)
    return tag
