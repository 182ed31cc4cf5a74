"""`budget list` and `budget show`: browsing the initiatives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.ledger import Ledger
from budget2024.load import load
from budget2024.reports.committee import list_initiatives, show_initiative

from .conftest import FIXTURES

FIXTURE = FIXTURES / "committee.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger(load(FIXTURE))


def run(*args: str, file: Path | None = FIXTURE):
    return runner.invoke(app, [*args, *(["--file", str(file)] if file else [])])


def ids(*args: str) -> list[str]:
    result = run("list", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)]


# ----------------------------------------------------------------------------- list


def test_list_is_in_numeric_section_order() -> None:
    assert ids() == ["admin-cafe", "school-plan", "school-build", "school-garden", "nature-park",
                     "nature-study", "joint"]


def test_section_filter_is_a_prefix_of_whole_parts() -> None:
    assert ids("--section", "3.4") == ["school-plan", "school-build", "school-garden"]
    # 3.4.10 is not in 3.4.1, and no section is: a section that does not exist is bad input
    result = run("list", "--section", "3.4.1")
    assert result.exit_code == 2 and "3.4.1" in result.stderr and "3.4.10" in result.stderr
    assert ids("--section", "3.4.10") == ["school-garden"]


def test_committee_filter_takes_responsible_and_involved() -> None:
    assert ids("--committee", "klima") == ["school-garden", "nature-park", "nature-study", "joint"]
    assert ids("--committee", "ØU") == ["nature-study", "joint"]


def test_kind_and_amount_filters() -> None:
    assert ids("--kind", "anlaeg") == ["school-build", "nature-park"]
    assert ids("--kind", "drift", "--section", "4") == ["nature-park", "joint"]
    assert ids("--with-amounts") == ["admin-cafe", "school-build", "school-garden", "nature-park", "joint"]
    assert ids("--without-amounts") == ["school-plan", "nature-study"]


@pytest.mark.parametrize(("text", "expected"), [
    ("CAFE", ["admin-cafe"]),            # accents are ignored: café
    ("café-ORDNINGEN", ["admin-cafe"]),
    ("okonomi", ["nature-study"]),       # in the prose: "naturens økonomi"
    ("oekonomi", ["nature-study"]),
    ("skolehaver", ["school-garden"]),   # in the title
    ("5 mio. kr.", ["school-build"]),    # in the amounts the prose states
    ("no such text", []),
])
def test_search_ignores_case_and_accents(text: str, expected: list[str]) -> None:
    assert ids("--search", text) == expected


def test_filters_combine(ledger: Ledger) -> None:
    got = list_initiatives(ledger, section="4", committee="klima", with_amounts=False, search="undersøgelse")
    assert [r["id"] for r in got] == ["nature-study"]


def test_list_records() -> None:
    data = {r["id"]: r for r in json.loads(run("list", "--format", "json").stdout)}
    garden = data["school-garden"]
    assert garden["section"] == "3.4.10"
    assert [b["name"] for b in garden["responsible"]] == ["Børne- og Skoleudvalget"]
    assert [b["name"] for b in garden["involved"]] == ["Klima- og Miljøudvalget"]
    assert garden["has_amounts"] is True and garden["lines"] == ["d-garden"]
    # responsible through its section, which names two committees
    assert [b["id"] for b in data["joint"]["responsible"]] == ["klima", "oekonomi"]


def test_list_text_table() -> None:
    result = run("list", "--section", "3.4")
    assert result.exit_code == 0, result.stderr
    flat = [" ".join(ln.split()) for ln in result.stdout.splitlines()]
    assert "Initiatives (3)" in flat
    assert "3.4.2 Nye skolebygninger [school-build] Børne- og Skoleudvalget 3" in flat
    assert "\x1b" not in result.stdout


def test_list_with_nothing_found() -> None:
    result = run("list", "--search", "xyzzy")
    assert result.exit_code == 0
    assert result.stdout == "No initiatives match.\n"


def test_list_fits_80_columns_on_the_real_data(monkeypatch: pytest.MonkeyPatch, shipped_ledger: Ledger) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("list", file=None)
    assert result.exit_code == 0, result.stderr
    assert max(len(ln.rstrip()) for ln in result.stdout.splitlines()) <= 80
    # every id is printed whole, so that it can be copied into `budget show`
    words = set(result.stdout.replace("[", " ").replace("]", " ").split())
    assert set(shipped_ledger.initiatives) <= words


# ----------------------------------------------------------------------------- show


def test_show_collects_rows_prose_and_differences(ledger: Ledger) -> None:
    data = show_initiative(ledger, "school-build")
    assert data["section"] == "3.4.2" and data["section_title"] == "Skolebyggeri"
    assert data["chapter"] == {"id": "3", "title": "Uddannelsesbyen"}
    assert [r["id"] for r in data["lines"]] == ["d-school-save", "a-school", "a-school-land"]
    assert data["prose_amounts"][0]["amounts"] == {"2030": 5000}
    assert data["discrepancies"] == []


def test_show_finds_differences_by_initiative_and_by_row(ledger: Ledger) -> None:
    assert [d["id"] for d in show_initiative(ledger, "nature-park")["discrepancies"]] == ["park-total"]
    assert [d["id"] for d in show_initiative(ledger, "school-garden")["discrepancies"]] == ["garden-appendix-only"]


def test_show_text() -> None:
    result = run("show", "nature-park")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    flat = " ".join(out.split())
    assert out.startswith("Ny naturpark\n")
    assert "Section 4.1 Naturen" in flat and "Chapter 4 Den grønne by" in flat
    assert "Responsible Klima- og Miljøudvalget" in flat and "Involved –" in flat
    assert "Anlæg Naturpark anlæg 1.000 -200 800" in flat
    assert "“1 mio. kr. i alt”: 1.000 in total" in flat
    assert "[total] Teksten siger 1 mio. kr. i alt" in flat
    assert "\x1b" not in out


def test_show_json() -> None:
    data = json.loads(run("show", "school-garden", "--format", "json").stdout)
    assert data["id"] == "school-garden"
    assert [b["id"] for b in data["involved"]] == ["klima"]
    assert data["lines"][0]["amounts"] == {"2031": 120}
    assert data["discrepancies"][0]["category"] == "appendix-only"


def test_show_unknown_id_exits_2_with_suggestions() -> None:
    result = run("show", "nature-parc")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no initiative with the id 'nature-parc'" in result.stderr
    assert "nature-park" in result.stderr


def test_show_on_the_real_data() -> None:
    data = json.loads(run("show", "1.1-borgermillionen", "--format", "json", file=None).stdout)
    assert [b["name"] for b in data["responsible"]] == ["Klima- og Miljøudvalget"]
    assert [r["kind"] for r in data["lines"]] == ["anlaeg"]
    assert data["prose_amounts"][0]["per_year"] == 1000
