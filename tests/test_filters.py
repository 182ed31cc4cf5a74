"""Filters on every amount: totals, lines and committees take the same --section, --chapter,
--committee, --kind and --search; lines takes --year, --sort and --top; list and show find
appendix rows; a section, chapter or committee that does not exist is bad input everywhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.ledger import Ledger
from budget2024.load import load
from budget2024.reports.filters import in_section, make_filter, select

from .conftest import FIXTURES, SHIPPED, budget_executable

runner = CliRunner()
FIXTURE = FIXTURES / "committee.yaml"


def run(*args: str, file: Path | None = None):
    return runner.invoke(app, [*args, *(["--file", str(file)] if file else [])])


def net(*args: str) -> int:
    result = run("totals", "--year", "2026", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["net"]


# ----------------------------------------------------------------------------- the four answers


def test_what_the_agreement_spends_on_climate_in_2026_has_four_honest_answers() -> None:
    assert net("--search", "Klimapulje") == 5000
    assert net("--section", "4.3") == 39650
    assert net("--committee", "Klima- og Miljøudvalget") == 50150
    assert net("--committee", "kmu") == 50150
    assert net("--chapter", "4") == 67650


def test_totals_say_which_filters_and_how_many_rows() -> None:
    result = run("totals", "--year", "2026", "--section", "4.3", "--kind", "anlaeg")
    assert result.exit_code == 0
    title = " ".join(result.stdout.split("Kind ")[0].split())
    assert "section 4.3" in title and "Anlæg" in title and "3 appendix rows summed" in title
    data = json.loads(run("totals", "--year", "2026", "--section", "4.3", "--format", "json").stdout)
    assert data["filters"] == {"section": "4.3"} and data["rows"] == 6
    # unfiltered totals add up every row with an amount in the year, and show the tax rates
    full = json.loads(run("totals", "--year", "2026", "--format", "json").stdout)
    assert full["filters"] == {} and {t["id"] for t in full["general"]["tax_rates"]} == {
        "udskrivningsprocent", "grundskyldspromille"}
    assert "Udskrivningsprocent på 25,5" in run("totals").stdout


def test_filters_combine() -> None:
    both = net("--chapter", "4", "--committee", "KMU", "--kind", "anlaeg", "--search", "klima")
    rows = json.loads(run("lines", "--year", "2026", "--chapter", "4", "--committee", "KMU", "--kind", "anlaeg",
                          "--search", "klima", "--format", "json").stdout)
    assert both == sum(r["amounts"]["2026"] for r in rows) == 5000
    assert [r["title"] for r in rows] == ["Klimapulje i samarbejde med grønt omstillingsudvalg"]


def test_search_ignores_case_and_accents_and_reads_initiative_texts() -> None:
    assert net("--search", "KLIMAPULJE") == net("--search", "klimapulje")
    a = json.loads(run("lines", "--search", "Hedeparken", "--format", "json").stdout)
    b = json.loads(run("lines", "--search", "hedeparken", "--format", "json").stdout)
    assert a == b and len(a) == 1
    # ø spelt o or oe
    assert run("lines", "--search", "borne", "--format", "json").stdout == \
        run("lines", "--search", "børne", "--format", "json").stdout
    # Birkegården is named only in the initiative's text; its row is titled Hedeparken
    birk = json.loads(run("lines", "--search", "Birkegården", "--format", "json").stdout)
    assert any("Hedeparken" in r["title"] for r in birk)


def test_committees_take_the_same_filters_and_add_up_to_totals() -> None:
    data = json.loads(run("committees", "--chapter", "4", "--format", "json").stdout)
    for y in ("2024", "2025", "2026", "2027"):
        want = json.loads(run("totals", "--year", y, "--chapter", "4", "--format", "json").stdout)
        assert sum(data["totals"][y].values()) == want["net"]
    only = json.loads(run("committees", "--committee", "KMU", "--format", "json").stdout)
    assert [b["id"] for b in only["bodies"]] == ["klima-miljoe"]
    assert "chapter 4" in run("committees", "--chapter", "4").stdout


def test_the_section_prefix_is_numeric() -> None:
    assert in_section("4.3.1", "4.3") and in_section("4.3.10", "4.3") and in_section("4.3", "4.3")
    assert not in_section("4.30", "4.3") and not in_section("4.3", "4.3.1")
    ledger = Ledger(load(FIXTURE))
    rows = select(ledger, make_filter(ledger, section="3.4"))
    assert {ledger.line_section(r) for r in rows} <= {"3.4", "3.4.2", "3.4.10"}
    only_10 = select(ledger, make_filter(ledger, section="3.4.10"))
    assert only_10 and all(ledger.line_section(r) == "3.4.10" for r in only_10)


# ----------------------------------------------------------------------------- lines


def test_the_ten_biggest_savings_in_2025() -> None:
    rows = json.loads(run("lines", "--year", "2025", "--sort", "amount", "--top", "10", "--format", "json").stdout)
    amounts = [r["amounts"]["2025"] for r in rows]
    every = json.loads(run("lines", "--year", "2025", "--format", "json").stdout)
    assert len(rows) == 10 and amounts == sorted(r["amounts"]["2025"] for r in every)[:10]
    assert amounts[0] == -70000  # Kendt sparemål


def test_sort_descending_and_by_other_fields() -> None:
    rows = json.loads(run("lines", "--sort", "-total", "--top", "3", "--format", "json").stdout)
    every = json.loads(run("lines", "--format", "json").stdout)
    assert [r["total"] for r in rows] == sorted((r["total"] for r in every), reverse=True)[:3]
    titles = [r["title"] for r in json.loads(run("lines", "--sort", "title", "--format", "json").stdout)]
    assert titles[0][0] in "Aa" and titles[-1][0] in "ÆØÅ"  # Danish order: æ, ø, å after z
    bad = run("lines", "--sort", "colour")
    assert bad.exit_code == 2 and "amount" in bad.stderr


def test_year_keeps_the_rows_with_an_amount_that_year_and_its_column() -> None:
    result = run("lines", "--year", "2026", "--section", "4.3")
    header = next(ln for ln in result.stdout.splitlines() if ln.startswith("Ref"))
    assert header.split() == ["Ref", "Section", "Kind", "Title", "2026"]
    rows = json.loads(run("lines", "--year", "2026", "--format", "json").stdout)
    assert rows and all("2026" in r["amounts"] for r in rows)
    assert run("lines", "--year", "2099").exit_code == 2


def test_lines_have_a_ref_that_show_accepts_and_the_committee_where_it_fits() -> None:
    narrow = runner.invoke(app, ["lines"], env={"COLUMNS": "80"}).stdout
    assert max(len(ln) for ln in narrow.splitlines()) <= 80 and "Cmte" not in narrow
    wide = runner.invoke(app, ["lines"], env={"COLUMNS": "140"}).stdout
    assert "Cmte" in wide and "KMU" in wide
    rows = json.loads(run("lines", "--format", "json").stdout)
    by_ref = {r["ref"]: r for r in rows}
    assert len(by_ref) == len(rows)
    hedeparken = next(r for r in rows if "Hedeparken" in r["title"])
    shown = json.loads(run("show", hedeparken["ref"].lower(), "--format", "json").stdout)
    assert shown["id"] == hedeparken["initiative"]


# ----------------------------------------------------------------------------- list and show


def test_list_search_finds_appendix_rows_and_shows_which_row() -> None:
    result = run("list", "--search", "Hedeparken")
    assert result.exit_code == 0 and "Birkegården" in result.stdout and "matched row" in result.stdout
    data = json.loads(run("list", "--search", "Hedeparken", "--format", "json").stdout)
    assert [m["title"] for m in data[0]["matched_rows"]] == ["Udvidelse børneinstitution Hedeparken"]
    sparemaal = json.loads(run("list", "--search", "Kendt sparemål", "--format", "json").stdout)
    assert [(r["type"], r["title"]) for r in sparemaal] == [("row", "Kendt sparemål")]


def test_show_accepts_rows_sections_and_ids_in_any_case() -> None:
    assert json.loads(run("show", "1.1-BORGERMILLIONEN", "--format", "json").stdout)["id"] == "1.1-borgermillionen"
    section = json.loads(run("show", "4.3.1", "--format", "json").stdout)
    assert section["type"] == "section" and section["id"] == "4.3.1" and section["lines"]
    general = run("show", "d-g-kendt-sparemaal")  # a row of the general part: its section, with the tax rates
    assert general.exit_code == 0 and "Kendt sparemål" in general.stdout and "Udskrivningsprocent" in general.stdout


def test_show_suggests_close_ids_and_titles() -> None:
    result = run("show", "klimapulje")
    assert result.exit_code == 2 and "Klimapulje" in result.stderr
    result = run("show", "borgermillion")
    assert result.exit_code == 2 and "1.1-borgermillionen" in result.stderr


def test_committee_year_selects_a_column_never_the_tasks() -> None:
    every = json.loads(run("committee", "KMU", "--format", "json").stdout)
    year = json.loads(run("committee", "KMU", "--year", "2026", "--format", "json").stdout)
    assert [r["id"] for r in year["lines"]] == [r["id"] for r in every["lines"]]
    without = [r for r in year["lines"] if "2026" not in r["amounts"]]
    assert without  # the tasks with no amount in 2026 are still listed
    table = run("committee", "KMU", "--year", "2026").stdout
    md = run("committee", "KMU", "--year", "2026", "--format", "markdown").stdout
    for r in without:
        assert r["title"].split()[0] in table and r["title"] in md


# ----------------------------------------------------------------------------- bad input everywhere


@pytest.mark.parametrize("command", [["totals"], ["lines"], ["committees"], ["list"]])
def test_a_section_that_does_not_exist_is_bad_input_everywhere(command: list[str]) -> None:
    result = run(*command, "--section", "9.9")
    assert result.exit_code == 2 and result.stdout == ""
    assert "9.9" in result.stderr and "6.9" in result.stderr  # did you mean


@pytest.mark.parametrize("command", [["totals"], ["lines"], ["committees"]])
def test_a_chapter_or_committee_that_does_not_exist_is_bad_input(command: list[str]) -> None:
    chapter = run(*command, "--chapter", "9")
    assert chapter.exit_code == 2 and "chapters are" in chapter.stderr
    body = run(*command, "--committee", "Klimaudvalget")
    assert body.exit_code == 2 and "Klima- og Miljøudvalget" in body.stderr


def test_filters_in_a_real_process() -> None:
    done = subprocess.run([budget_executable(), "totals", "--year", "2026", "--chapter", "4", "--format", "json",
                           "--file", str(SHIPPED)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["net"] == 67650
    bad = subprocess.run([budget_executable(), "lines", "--section", "9.9", "--file", str(SHIPPED)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "did you mean 6.9?" in bad.stderr
