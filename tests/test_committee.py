"""`budget committee` and `budget committees`: the overview each committee gets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024 import reports
from budget2024.cli import app
from budget2024.ledger import Ledger
from budget2024.load import load
from budget2024.render.committee import show_committee
from budget2024.reports.committee import committee_report, committees_overview

from .conftest import FIXTURES

FIXTURE = FIXTURES / "committee.yaml"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
runner = CliRunner()


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger(load(FIXTURE))


def run(*args: str, file: Path | None = FIXTURE):
    return runner.invoke(app, [*args, *(["--file", str(file)] if file else [])])


def table_cells(text: str, column: str, after: str, key: tuple[str, str] | None = None) -> list[str]:
    """The cells of one column of a rich text table, each row's wrapped lines joined.

    ``column`` is the header of the column to read and ``after`` the header of the column to its
    right. A new row starts where the ``key`` column (header, next header) is non-empty; by default
    the key is everything left of ``column``.
    """
    lines = text.splitlines()
    head = next(i for i, ln in enumerate(lines) if column in ln and after in ln)
    start, end = lines[head].index(column), lines[head].index(after)
    k0, k1 = (lines[head].index(key[0]), lines[head].index(key[1])) if key else (0, start)
    cells: list[str] = []
    for ln in lines[head + 2:]:
        if not ln.strip():
            break
        piece = ln[start:end].strip()
        if ln[k0:k1].strip() or not cells:
            cells.append(piece)
        else:
            cells[-1] = f"{cells[-1]} {piece}".strip()
    return cells


# ----------------------------------------------------------------------------- the report


def test_rows_are_sorted_by_section_in_numeric_order(ledger: Ledger) -> None:
    # the appendix lists 3.4.10 before 3.4.2; the report puts 3.4.2 first
    data = committee_report(ledger, "boern")
    assert [r["section"] for r in data["lines"]] == ["3.4.2", "3.4.2", "3.4.10"]
    # rows of the same section keep the appendix order
    assert [r["id"] for r in data["lines"]] == ["d-school-save", "a-school", "d-garden"]


def test_text_table_is_in_numeric_order() -> None:
    result = run("committee", "boern")
    assert result.exit_code == 0, result.stderr
    sections = table_cells(result.stdout, "Section", "Title", key=("Section", "Title"))
    assert sections[:3] == ["3.4.2", "3.4.2", "3.4.10"]


def test_subtotals_per_kind_and_year(ledger: Ledger) -> None:
    data = committee_report(ledger, "boern")
    sub = {s["kind"]: s for s in data["subtotals"]}
    # drift: Færre skolebusser -400 a year, Skolehaver 120 in 2031
    assert sub["drift"]["amounts"] == {"2030": -400, "2031": -280, "2032": -400}
    assert sub["drift"]["total"] == -1080
    # anlæg: Skolebygning 5.000 + 2.500; the land purchase is moved to Økonomiudvalget
    assert sub["anlaeg"]["amounts"] == {"2030": 5000, "2031": 2500, "2032": 0}
    assert data["grand_total"] == {"amounts": {"2030": 4600, "2031": 2220, "2032": -400}, "total": 6420}
    assert data["totals"] == {"2030": {"drift": -400, "anlaeg": 5000}, "2031": {"drift": -280, "anlaeg": 2500},
                              "2032": {"drift": -400, "anlaeg": 0}}


def test_subtotal_rows_in_the_text_table() -> None:
    out = run("committee", "boern").stdout
    lines = [" ".join(ln.split()) for ln in out.splitlines()]
    assert "Subtotal Drift -400 -280 -400 -1.080" in lines
    assert "Subtotal Anlæg 5.000 2.500 0 7.500" in lines
    assert "Total 4.600 2.220 -400 6.420" in lines


def test_a_row_with_an_explicit_body_belongs_to_that_body(ledger: Ledger) -> None:
    assert [r["id"] for r in committee_report(ledger, "oekonomi")["lines"]] == ["a-school-land"]
    assert "a-school-land" not in {r["id"] for r in committee_report(ledger, "boern")["lines"]}


def test_initiatives_with_roles(ledger: Ledger) -> None:
    data = committee_report(ledger, "klima")
    by_id = {i["id"]: i for i in data["initiatives"]}
    assert by_id["nature-park"] == {**by_id["nature-park"], "role": "responsible", "has_amounts": True}
    assert by_id["nature-study"]["role"] == "responsible" and not by_id["nature-study"]["has_amounts"]
    # responsible through its section, which names two committees; its row belongs to neither
    assert by_id["joint"]["role"] == "responsible" and by_id["joint"]["rows_elsewhere"]
    assert by_id["school-garden"]["role"] == "involved"
    assert data["initiative_count"] == 3 and data["involved_count"] == 1


def test_text_report_lists_without_amounts_and_involved() -> None:
    out = run("committee", "klima").stdout
    assert out.startswith("Klima- og Miljøudvalget (standing committee)\n")
    assert "Responsible for 3 initiatives; involved in 1 more." in " ".join(out.split())
    without = out[out.index("Initiatives without amounts (2)"):out.index("Initiatives where it is involved")]
    assert "4.1 Naturen" in without and "En undersøgelse [nature-study]" in without
    assert "Fælles pulje [joint]" in without
    assert "Ny naturpark" not in without  # it has rows in the table
    involved = out[out.index("Initiatives where it is involved (1)"):]
    assert "3.4.10 Skolehaver" in involved
    assert "Skolehaver ved alle skoler [school-garden] (responsible: Børne- og Skoleudvalget)" in " ".join(
        involved.split())


def test_json_shape_and_every_year_in_totals() -> None:
    result = run("committee", "kultur", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["committee"] == "Kultur- og Fritidsudvalget" and data["id"] == "kultur"
    assert data["lines"] == [] and data["initiatives"] == []
    assert data["totals"] == {y: {"drift": 0, "anlaeg": 0} for y in ("2030", "2031", "2032")}


def test_json_lines_are_the_elements_of_budget_lines() -> None:
    data = json.loads(run("committee", "klima", "--format", "json").stdout)
    all_lines = {r["id"]: r for r in json.loads(run("lines", "--format", "json").stdout)}
    assert data["lines"] == [all_lines["d-park"], all_lines["a-park"]]
    ini = {i["id"]: i for i in data["initiatives"]}
    assert {k: ini["nature-study"][k] for k in ("id", "section", "title", "role", "has_amounts")} == {
        "id": "nature-study", "section": "4.1", "title": "En undersøgelse", "role": "responsible",
        "has_amounts": False}


def test_year_keeps_only_that_years_column() -> None:
    result = run("committee", "boern", "--year", "2032")
    assert result.exit_code == 0, result.stderr
    header = next(ln for ln in result.stdout.splitlines() if "Section" in ln and "Title" in ln)
    assert header.split() == ["Section", "Title", "Kind", "2032"]
    # the year selects a column, never the tasks: rows without an amount in 2032 keep their place
    titles = table_cells(result.stdout, "Title", "Kind")
    assert "Færre skolebusser" in titles and len(titles) > 1
    data = json.loads(run("committee", "boern", "--year", "2032", "--format", "json").stdout)
    assert data["totals"] == {"2032": {"drift": -400, "anlaeg": 0}}


def test_unknown_year_exits_2() -> None:
    result = run("committee", "boern", "--year", "2024")
    assert result.exit_code == 2
    assert "year 2024 is not in the agreement" in result.stderr
    assert result.stdout == ""


def test_csv_has_one_row_per_appendix_row() -> None:
    rows = list(csv.reader(io.StringIO(run("committee", "boern", "--format", "csv").stdout)))
    assert rows[0] == ["id", "section", "label", "title", "kind", "initiative", "2030", "2031", "2032", "total"]
    assert [r[0] for r in rows[1:]] == ["d-school-save", "a-school", "d-garden"]
    assert rows[3][6:] == ["", "120", "", "120"]


def test_markdown_document() -> None:
    out = run("committee", "klima", "--format", "markdown").stdout
    assert out.startswith("# Klima- og Miljøudvalget (standing committee)\n")
    assert "| Section | Title | Kind | 2030 | 2031 | 2032 | Total |" in out
    assert "| 4.1 | Naturpark anlæg | Anlæg | 1.000 |  | -200 | 800 |" in out
    assert "|  | **Total** |  | **1.050** | **0** | **-200** | **850** |" in out
    assert "## Initiatives without amounts (2)" in out
    assert "- En undersøgelse" in out
    assert "## Initiatives where it is involved (1)" in out
    assert "- Skolehaver ved alle skoler (responsible: Børne- og Skoleudvalget)" in out
    assert "\x1b" not in out


def test_administration_gets_a_report_too() -> None:
    result = run("committee", "administrationen", "--format", "json")
    data = json.loads(result.stdout)
    assert data["is_committee"] is False
    assert [i["id"] for i in data["initiatives"]] == ["admin-cafe"]


def test_no_ansi_codes_when_piped() -> None:
    for args in (["committee", "klima"], ["committees"], ["list"], ["show", "school-build"]):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout


# ----------------------------------------------------------------------------- snapshot


@pytest.mark.parametrize("name", ["boern", "klima", "admin"])
def test_snapshot_of_the_text_report(ledger: Ledger, name: str) -> None:
    buf = io.StringIO()
    show_committee(committee_report(ledger, name), "table", out=buf, width=80)
    expected = (SNAPSHOTS / f"committee_{name}_80.txt").read_text(encoding="utf-8")
    assert buf.getvalue() == expected


# ----------------------------------------------------------------------------- committees


def test_committee_sums_equal_totals(ledger: Ledger, shipped_ledger: Ledger) -> None:
    for led in (ledger, shipped_ledger):
        overview = committees_overview(led)
        totals = reports.totals(led)
        for per_year in totals["years"]:
            y = str(per_year["year"])
            for kind in reports.KINDS:
                column = sum(b["net"][y][kind] for b in overview["bodies"]) + overview["unassigned"]["net"][y][kind]
                assert column == per_year["kinds"][kind]["net"] == overview["totals"][y][kind]


def test_committees_json_against_budget_totals_cli() -> None:
    for file in (FIXTURE, None):
        overview = json.loads(run("committees", "--format", "json", file=file).stdout)
        totals = json.loads(run("totals", "--format", "json", file=file).stdout)
        for per_year in totals["years"]:
            y = str(per_year["year"])
            for kind in ("drift", "anlaeg"):
                rows = [b["net"][y][kind] for b in overview["bodies"]] + [overview["unassigned"]["net"][y][kind]]
                assert sum(rows) == per_year["kinds"][kind]["net"]


def test_committees_rows(ledger: Ledger) -> None:
    overview = committees_overview(ledger)
    by_id = {b["id"]: b for b in overview["bodies"]}
    assert [b["id"] for b in overview["bodies"]] == ["oekonomi", "klima", "boern", "kultur", "admin"]
    assert by_id["admin"]["committee"] is False and by_id["klima"]["committee"] is True
    assert {k: b["initiatives"] for k, b in by_id.items()} == {
        "oekonomi": 1, "klima": 3, "boern": 3, "kultur": 0, "admin": 1}
    assert by_id["boern"]["net"]["2031"] == {"drift": -280, "anlaeg": 2500}
    # the reserve (general part) and the row of two committees belong to no body
    assert overview["unassigned"] == {"lines": 2, "net": {"2030": {"drift": 1000, "anlaeg": 0},
                                                          "2031": {"drift": 0, "anlaeg": 0},
                                                          "2032": {"drift": 0, "anlaeg": 0}}}


def test_committees_text_table() -> None:
    result = run("committees")
    assert result.exit_code == 0, result.stderr
    flat = [" ".join(ln.split()) for ln in result.stdout.splitlines()]
    assert "Klima- og Miljøudvalget (KMU) yes 3 Drift 50 0 0" in flat
    assert "(klima) Anlæg 1.000 0 -200" in flat
    assert "No body – – Drift 1.000 0 0" in flat
    assert "Total Drift 650 -270 -400" in flat
    assert "Anlæg 6.800 2.500 -200" in flat
    assert "net amounts in 1.000 kr." in result.stdout


# ----------------------------------------------------------------------------- the shipped agreement


def test_klima_og_miljoeudvalget_lists_borgermillionen_and_klimapulje(shipped_ledger: Ledger) -> None:
    data = committee_report(shipped_ledger, "klima")
    assert data["committee"] == "Klima- og Miljøudvalget"
    anlaeg = {(r["section"], r["title"].split(" ")[0]) for r in data["lines"] if r["kind"] == "anlaeg"}
    assert ("1.1", "Borgermillionen") in anlaeg
    assert ("4.3.1", "Klimapulje") in anlaeg


def test_real_report_fits_80_columns_and_never_cuts_a_title(monkeypatch: pytest.MonkeyPatch,
                                                           shipped_ledger: Ledger) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("klima", "boern-skole", "administrationen"):
        result = run("committee", name, file=None)
        assert result.exit_code == 0, result.stderr
        assert max(len(ln.rstrip()) for ln in result.stdout.splitlines()) <= 80
        titles = table_cells(result.stdout, "Title", "Kind")
        expected = [r["title"] for r in committee_report(shipped_ledger, name)["lines"]]
        # every character of every title is there, in order: nothing is cut; a word folded for want
        # of room only gains the '-' that marks the fold
        assert ["".join(t.split()).replace("-", "") for t in titles] == \
            ["".join(t.split()).replace("-", "") for t in expected]
        assert all(t.count("-") >= e.count("-") for t, e in zip(titles, expected, strict=True))
        # and every word that fits the column is whole (only longer ones are broken, after a '/' or '-'
        # where they have one)
        header = next(ln for ln in result.stdout.splitlines() if "Title" in ln and "Kind" in ln)
        column = header.index("Kind") - header.index("Title") - 1
        for cell, title in zip(titles, expected, strict=True):
            missing = [w for w in title.split() if len(w) <= column and w not in cell.split()]
            assert not missing, (title, cell)


def test_committees_fits_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("committees", file=None)
    assert result.exit_code == 0, result.stderr
    assert max(len(ln.rstrip()) for ln in result.stdout.splitlines()) <= 80
    names = table_cells(result.stdout, "Body (id)", "Cmte", key=("Cmte", "Init."))
    assert any(n.startswith("Erhvervs-, Beskæftigelses- og Uddannelsesudvalget (EBU) (") for n in names)
    assert names[-1] == "No body"
    assert len(names) == len(json.loads(run("committees", "--format", "json", file=None).stdout)["bodies"]) + 1
