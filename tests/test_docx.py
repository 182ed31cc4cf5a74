"""`--format docx --output FILE`: Word documents for committee agendas, read back with python-docx."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.render import Column
from budget2024.render.docmodel import Bullets, Document, Heading, Paragraph, Table
from budget2024.render.docx import docx_bytes

from .conftest import FIXTURES, SHIPPED, budget_executable

runner = CliRunner()
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
EPOCH = "1712145600"  # 2024-04-03 12:00 UTC: the same date in every time zone of Europe
DATE = "2024-04-03"


CACHE = tempfile.mkdtemp(prefix="budget-cache-")  # one cache for the module: a cold load once, not per test


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env={"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": CACHE, **(env or {})})


def parse_dk(cell: str) -> int | None:
    """'4.250' → 4250, '-1.180' → -1180, '' → None."""
    return None if cell == "" else int(cell.replace(".", ""))


def document_text(document: Any) -> str:
    """The document as text, in order: header, body (headings with their style, paragraphs,
    tables row by row with bold rows marked), footer (fields shown by their instruction)."""
    out: list[str] = []
    section = document.sections[0]
    out += [f"[header] {p.text}" for p in section.header.paragraphs]
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            p = docx.text.paragraph.Paragraph(child, document)
            if p.text:
                out.append(f"[{p.style.name}] {p.text}")
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            for row in table.rows:
                bold = all(r.bold for c in row.cells for p in c.paragraphs for r in p.runs if r.text)
                out.append(("**" if bold else "") + " | ".join(c.text.replace("\n", " / ") for c in row.cells))
    for p in section.footer.paragraphs:
        instr = " ".join(t.text.strip() for t in p._p.iter(qn("w:instrText")))
        out.append(f"[footer] {p.text} {{fields: {instr}}}")
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def klima(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    out = tmp_path_factory.mktemp("docx") / "kmu.docx"
    result = run("committee", "klima", "--format", "docx", "--output", str(out), "--file", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    data = json.loads(run("committee", "klima", "--format", "json", "--file", str(SHIPPED)).stdout)
    return docx.Document(str(out)), data


# ----------------------------------------------------------------------------- the committee document


def test_the_table_cells_equal_the_json(klima: tuple[Any, dict[str, Any]]) -> None:
    document, data = klima
    (table,) = document.tables
    years = [str(y) for y in data["years"]]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Section", "Title", "Kind", *years, "Total"]
    body = rows[1:1 + len(data["lines"])]
    assert len(body) == len(data["lines"]) == 32
    for cells, line in zip(body, data["lines"], strict=True):
        assert cells[1] == line["title"]
        assert cells[2] == {"drift": "Drift", "anlaeg": "Anlæg"}[line["kind"]]
        assert [parse_dk(c) for c in cells[3:3 + len(years)]] == [line["amounts"].get(y) for y in years]
        assert parse_dk(cells[-1]) == line["total"]
    footer = rows[1 + len(data["lines"]):]
    assert len(footer) == len(data["subtotals"]) + 1
    for cells, sub in zip(footer, data["subtotals"], strict=False):
        assert cells[1] == "Subtotal"
        assert [parse_dk(c) for c in cells[3:-1]] == [sub["amounts"][y] for y in years]
        assert parse_dk(cells[-1]) == sub["total"]
    grand = footer[-1]
    assert grand[1] == "Total"
    assert [parse_dk(c) for c in grand[3:-1]] == [data["grand_total"]["amounts"][y] for y in years]
    assert parse_dk(grand[-1]) == data["grand_total"]["total"] == 208250


def test_amounts_are_right_aligned_and_subtotals_bold(klima: tuple[Any, dict[str, Any]]) -> None:
    document, data = klima
    (table,) = document.tables
    n = len(data["lines"])
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row.cells):
            (p,) = cell.paragraphs
            assert (p.alignment == WD_ALIGN_PARAGRAPH.RIGHT) == (j >= 3), (i, j)
            runs = [r for r in p.runs if r.text]
            if runs:
                assert all(r.bold for r in runs) == (i == 0 or i > n), (i, j, cell.text)
    # the header row is repeated on every page
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_real_headings_caption_header_and_page_numbers(klima: tuple[Any, dict[str, Any]]) -> None:
    document, data = klima
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "Klima- og Miljøudvalget (standing committee)")
    assert ("Heading 1", "Appendix rows") in headings
    without = [i for i in data["initiatives"] if i["role"] == "responsible" and not i["has_amounts"]]
    assert ("Heading 1", f"Initiatives without amounts ({len(without)})") in headings
    assert any(style == "Heading 2" for style, _ in headings)
    (caption,) = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert caption.text == "Table 1: Appendix rows of Klima- og Miljøudvalget (amounts in 1.000 kr.)"
    header = document.sections[0].header.paragraphs[0].text
    assert header == f"{data['agreement']}\t\t3 April 2024"  # the date written out, as in the text
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert document.core_properties.title == f"Klima- og Miljøudvalget: {data['agreement']}"
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    involved = [i for i in data["initiatives"] if i["role"] == "involved"]
    assert len(bullets) == len(without) + len(involved)  # without amounts, and where it is only involved


def test_the_document_text_snapshot(klima: tuple[Any, dict[str, Any]]) -> None:
    document, _ = klima
    text = document_text(document)
    snapshot = SNAPSHOTS / "committee_klima.docx.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


def test_one_year_and_a_body_without_rows(tmp_path: Path) -> None:
    out = tmp_path / "y.docx"
    assert run("committee", "klima", "--year", "2025", "--format", "docx", "-o", str(out),
               "--file", str(SHIPPED)).exit_code == 0
    data = json.loads(run("committee", "klima", "--year", "2025", "--format", "json", "--file", str(SHIPPED)).stdout)
    (table,) = docx.Document(str(out)).tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Section", "Title", "Kind", "2025"]
    # the year selects a column, never the rows: a row without an amount that year has an empty cell
    assert [parse_dk(r[3]) if r[3].strip() else None for r in rows[1:1 + len(data["lines"])]] == \
        [ln["amounts"].get("2025") for ln in data["lines"]]
    assert parse_dk(rows[-1][3]) == data["grand_total"]["amounts"]["2025"]

    mini = FIXTURES / "committee.yaml"
    names = json.loads(run("committees", "--format", "json", "--file", str(mini)).stdout)
    empty = next(b for b in names["bodies"] if b["lines"] == 0)
    out2 = tmp_path / "empty.docx"
    assert run("committee", empty["id"], "--format", "docx", "-o", str(out2), "--file", str(mini)).exit_code == 0
    document = docx.Document(str(out2))
    assert document.tables == []
    assert "None." in [p.text for p in document.paragraphs]


# ----------------------------------------------------------------------------- --output


def test_an_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "kmu.docx"
    out.write_bytes(b"the secretary's own file")
    result = run("committee", "klima", "--format", "docx", "--output", str(out), "--file", str(SHIPPED))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_bytes() == b"the secretary's own file"
    result = run("committee", "klima", "--format", "docx", "--output", str(out), "--force", "--file", str(SHIPPED))
    assert result.exit_code == 0
    assert docx.Document(str(out)).tables
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["kmu.docx"]  # no temporary file


def test_an_interrupted_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "kmu.docx"
    import budget2024.render.files as files

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    result = run("committee", "klima", "--format", "docx", "--output", str(out), "--file", str(SHIPPED))
    assert result.exit_code == 74  # the output could not be written
    assert "No space left on device" in result.stderr
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "docx"], "give --output FILE"),
    (["--format", "markdown", "--output", "x.md"], "--output is for --format docx"),
    (["--format", "docx", "--output", "no/such/dir/x.docx"], "does not exist"),
])
def test_output_mistakes_exit_2(args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("committee", "klima", *args, "--file", str(SHIPPED))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_real_subprocess_writes_the_document(tmp_path: Path) -> None:
    out = tmp_path / "kmu.docx"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([budget_executable(), "committee", "KMU", "--format", "docx", "--output", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    (table,) = docx.Document(str(out)).tables
    assert parse_dk(table.rows[-1].cells[-1].text) == 208250


# ----------------------------------------------------------------------------- the generic renderer


def test_the_renderer_walks_any_generic_document(tmp_path: Path) -> None:
    doc = Document("A title", "The header", "2024-01-02", [
        Heading("Top", 0), Heading("Part", 1), Paragraph("Some text.", italic=True), Bullets(["one", "two"]),
        Table("Numbers (amounts in 1.000 kr.)", [Column("Name", wrap=True), Column("2024", "right")],
              [["a", "1.000"], ["b\nsecond line", "-250"], ["Sum", "750"]], frozenset({2})),
    ])
    path = tmp_path / "x.docx"
    path.write_bytes(docx_bytes(doc))
    d = docx.Document(str(path))
    assert [(p.style.name, p.text) for p in d.paragraphs if p.text] == [
        ("Title", "Top"), ("Heading 1", "Part"), ("Normal", "Some text."), ("List Bullet", "one"),
        ("List Bullet", "two"), ("Caption", "Table 1: Numbers (amounts in 1.000 kr.)")]
    assert d.paragraphs[2].runs[0].italic
    (table,) = d.tables
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Name", "2024"], ["a", "1.000"], ["b\nsecond line", "-250"], ["Sum", "750"]]
    assert [all(r.bold for r in row.cells[0].paragraphs[0].runs) for row in table.rows] == [True, False, False, True]


def test_the_same_document_at_the_same_time_is_the_same_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (a, b):
        assert run("committee", "KMU", "--format", "docx", "-o", str(out), "--file", str(SHIPPED)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    assert docx.Document(str(a)).core_properties.created.strftime("%Y-%m-%d %H:%M") == "2024-04-03 12:00"


def test_the_document_has_the_markdown_forms_content(klima: tuple[Any, dict[str, Any]]) -> None:
    """Table rows, section headings and bullets are those of `--format markdown`, in the same order."""
    document, _ = klima
    md = run("committee", "klima", "--format", "markdown", "--file", str(SHIPPED)).stdout.splitlines()
    md_rows = [[c.strip().strip("*") for c in ln.strip("|").split("|")] for ln in md
               if ln.startswith("|") and not ln.startswith("|---")]
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == md_rows
    md_items = [ln[2:] for ln in md if ln.startswith("- ")]
    assert [p.text for p in document.paragraphs if p.style.name == "List Bullet"] == md_items
    md_sections = [ln.strip("*") for ln in md if ln.startswith("**")]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == md_sections
    md_parts = [ln[3:].split(" (amounts in")[0] for ln in md if ln.startswith("## ")]
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == md_parts


# ----------------------------------------------------------------------------- budget status

FOLLOWUP = FIXTURES / "followup" / "shipped-kmu.yaml"


def test_status_as_a_word_document(tmp_path: Path) -> None:
    out = tmp_path / "status.docx"
    args = ["status", "KMU", "--followup", str(FOLLOWUP), "--as-of", "2024-09-30", "--file", str(SHIPPED)]
    result = run(*args, "--format", "docx", "--output", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(run(*args, "--format", "json").stdout)
    document = docx.Document(str(out))
    tasks, money = document.tables
    rows = [[c.text for c in r.cells] for r in tasks.rows]
    assert rows[0] == ["Prio", "Section", "Task", "State", "Since"]
    assert [r[2] for r in rows[1:]] == [t["title"] for t in data["tasks"]]
    # the date as text reads it ("30 September 2024"), ISO in the JSON
    from budget2024.render.dates import long_date

    assert [r[4] for r in rows[1:]] == [long_date(t["status_date"]) if t["status_date"] else "–"
                                        for t in data["tasks"]]
    with_money = [t for t in data["tasks"] if t["money"] is not None]
    mrows = [[c.text for c in r.cells] for r in money.rows][1:]
    assert [r[0] for r in mrows] == [t["title"] for t in with_money]
    for cells, t in zip(mrows, with_money, strict=True):
        expected = [t["money"][k] for k in ("agreed", "corrections", "corrected", "actuals", "forecast", "deviation")]
        assert [None if c == "–" else parse_dk(c) for c in cells[1:]] == expected
    for row in money.rows:
        for j, cell in enumerate(row.cells):
            assert (cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT) == (j >= 1)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any("1.000 kr." in c for c in captions)
    assert document.sections[0].header.paragraphs[0].text == f"{data['agreement']}\t\t3 April 2024"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Klima- og Miljøudvalget: status on 30 September 2024"]
    again = run(*args, "--format", "docx", "--output", str(out))
    assert again.exit_code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(("lang", "title", "tag"), [
    ("da", "Klima- og Miljøudvalget: status pr. 30. september 2024", "da-DK"),
    ("en", "Klima- og Miljøudvalget: status on 30 September 2024", "en-GB"),
])
def test_a_document_is_in_the_chosen_language_to_its_properties(lang: str, title: str, tag: str,
                                                                tmp_path: Path) -> None:
    """The file's title is the heading, and Word is told the text's language (spelling, hyphenation)."""
    from .english import english_words

    out = tmp_path / "status.docx"
    args = ["--lang", lang, "status", "KMU", "--followup", str(FOLLOWUP), "--as-of", "2024-09-30", "--file",
            str(SHIPPED), "--format", "docx", "--output", str(out)]
    assert run(*args).exit_code == 0
    document = docx.Document(str(out))
    assert document.core_properties.title == title
    assert document.core_properties.language == tag
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:lang")).get(qn("w:val")) == tag
    committee = tmp_path / "committee.docx"
    assert run("--lang", lang, "committee", "KMU", "--format", "docx", "--output", str(committee)).exit_code == 0
    if lang == "da":
        for path in (out, committee):
            text = document_text(docx.Document(str(path)))
            # the agreement's own words in the table rows are data; the document's words are checked
            ours = [line for line in text.splitlines() if " | " not in line and not line.startswith("[List")]
            assert [line for line in ours if english_words(line)] == []
