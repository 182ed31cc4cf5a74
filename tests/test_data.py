"""Tests on the shipped agreement: the data is the product."""

from __future__ import annotations

import csv
import re

import pytest

from budget2024.checks import raw_cells, raw_numbers
from budget2024.model import Role

from .conftest import FIXTURES

# Counted by reading the appendix of the agreement: rows with amounts, per table.
APPENDIX_ROWS = {"drift": 59, "anlaeg": 62}

# Every numbered section of the agreement, in document order.
NUMBERED_SECTIONS = ["1.1", "1.2", "1.3", "1.3.1", "1.3.2", "1.4", "1.4.1", "1.4.2", "1.4.3", "1.5", "2.1", "2.2", "2.3", "2.3.1", "2.3.2", "2.4", "3.1", "3.2", "3.2.1", "3.2.2", "3.3", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.4", "3.4.1", "3.4.2", "3.4.3", "3.4.4", "3.5", "3.6", "4.1", "4.2", "4.2.1", "4.3", "4.3.1", "4.3.2", "4.3.3", "4.4", "4.4.1", "4.4.2", "4.4.3", "4.4.4", "4.4.5", "4.4.6", "4.5", "5.1", "5.1.1", "5.1.2", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12", "6.13", "6.14"]

# Each section whose text says "X er fagudvalg på …" / "X er ansvarlig for …", with the bodies it
# names, as read from the agreement.
FAGUDVALG = {
    "1.1": {"klima-miljoe", "administrationen"},
    "1.2": {"sundhed-aeldre"},
    "1.3.1": {"sundhed-aeldre"},
    "1.3.2": {"social"},
    "1.4": {"kultur-fritid", "administrationen"},
    "1.4.1": {"kultur-fritid"},
    "1.4.2": {"kultur-fritid"},
    "1.4.3": {"kultur-fritid"},
    "1.5": {"administrationen"},
    "2.2": {"administrationen"},
    "2.3.1": {"sundhed-aeldre"},
    "2.4": {"klima-miljoe"},
    "3.2.1": {"boern-skole"},
    "3.2.2": {"boern-skole"},
    "3.3.1": {"boern-skole"},
    "3.3.3": {"boern-skole"},
    "3.3.4": {"boern-skole"},
    "3.3.5": {"boern-skole", "oekonomi"},
    "3.4": {"boern-skole"},
    "3.4.1": {"boern-skole"},
    "3.4.2": {"boern-skole"},
    "3.4.3": {"boern-skole"},
    "3.4.4": {"kultur-fritid", "boern-skole"},
    "3.5": {"kultur-fritid", "erhverv-beskaeftigelse-uddannelse", "boern-skole"},
    "3.6": {"erhverv-beskaeftigelse-uddannelse", "administrationen"},
    "4.1": {"klima-miljoe"},
    "4.2.1": {"klima-miljoe"},
    "4.3": {"klima-miljoe"},
    "4.3.1": {"klima-miljoe"},
    "4.3.2": {"oekonomi"},
    "4.3.3": {"klima-miljoe"},
    "4.4.1": {"oekonomi"},
    "4.4.3": {"klima-miljoe"},
    "4.4.4": {"klima-miljoe"},
    "4.4.5": {"social"},
    "4.4.6": {"klima-miljoe"},
    "4.5": {"oekonomi"},
    "5.1.1": {"klima-miljoe", "erhverv-beskaeftigelse-uddannelse"},
    "5.1.2": {"erhverv-beskaeftigelse-uddannelse"},
    "6.6": {"oekonomi"},
    "6.12": {"oekonomi"},
    "6.13": {"administrationen"},
    "6.14": {"administrationen"},
}


def test_appendix_row_counts(shipped_ledger) -> None:
    counts = {k: sum(1 for ln in shipped_ledger.agreement.lines if ln.kind.value == k) for k in APPENDIX_ROWS}
    assert counts == APPENDIX_ROWS


def test_every_raw_row_matches_its_amounts(shipped_ledger) -> None:
    for line in shipped_ledger.agreement.lines:
        tokens = raw_numbers(line.label, line.title, line.raw)
        assert tokens is not None, line.id
        assert [int(t.replace(".", "")) for t in tokens] == [line.amounts[y] for y in sorted(line.amounts)]


def test_every_raw_row_keeps_its_cells_and_they_give_the_years(shipped_ledger) -> None:
    """The raw rows keep the appendix's spacing (empty cells and the trailing space), so the year of
    every amount can be read back from them, counting the cells from the right."""
    for line in shipped_ledger.agreement.lines:
        assert line.raw.endswith(" "), line.id
        assert raw_cells(line.raw, shipped_ledger.years) == line.amounts, line.id


def test_amounts_agree_with_an_independent_reading(shipped_ledger) -> None:
    """A second person read the appendix by hand, cell by cell (tests/fixtures/appendix_reading.tsv).
    Both readings must agree on every row, year and kind, in appendix order."""
    with open(FIXTURES / "appendix_reading.tsv", encoding="utf-8") as fh:
        reading = list(csv.DictReader(fh, delimiter="\t"))
    lines = shipped_ledger.agreement.lines
    assert len(reading) == len(lines)
    for row, line in zip(reading, lines, strict=True):
        expected = {int(y): int(row[y]) for y in ("2024", "2025", "2026", "2027") if row[y]}
        assert (row["kind"], row["label"]) == (line.kind.value, line.label), line.id
        assert expected == line.amounts, line.id


def test_every_numbered_section_is_present_with_its_chapter(shipped_ledger) -> None:
    sections = shipped_ledger.sections
    for number in NUMBERED_SECTIONS:
        assert number in sections, number
        assert sections[number].chapter == number.split(".")[0]


@pytest.mark.parametrize("section,bodies", sorted(FAGUDVALG.items()))
def test_sections_naming_a_committee_are_represented(shipped_ledger, section, bodies) -> None:
    ag = shipped_ledger.agreement
    responsible = {r.body for s in ag.sections if s.id == section for r in s.bodies if r.role == Role.responsible}
    for ini in ag.initiatives:
        if ini.section == section:
            responsible |= set(shipped_ledger.responsible(ini))
    assert bodies <= responsible


def test_every_row_is_linked_and_general_rows_link_to_the_general_part(shipped_ledger) -> None:
    for line in shipped_ledger.agreement.lines:
        section = shipped_ledger.line_section(line)
        assert section in shipped_ledger.sections, line.id
        chapter = shipped_ledger.sections[section].chapter
        if line.label:
            assert chapter == line.label.split(".")[0], line.id
        else:
            assert chapter == "0", line.id


def test_rows_whose_section_label_differs_are_recorded(shipped_ledger) -> None:
    """A row printed under one section label but funding a bullet of another section must be a
    recorded discrepancy, so that nobody 'fixes' the label silently."""
    recorded = {d.line for d in shipped_ledger.agreement.discrepancies if d.category == "section-label"}
    for line in shipped_ledger.agreement.lines:
        section = shipped_ledger.line_section(line)
        if line.label and section != line.label and not (section or "").startswith(line.label + "."):
            assert line.id in recorded, line.id


def test_no_zero_amounts_and_no_amounts_outside_the_years(shipped_ledger) -> None:
    years = set(shipped_ledger.years)
    for line in shipped_ledger.agreement.lines:
        assert line.amounts and all(v != 0 for v in line.amounts.values())
        assert set(line.amounts) <= years
    for ini in shipped_ledger.agreement.initiatives:
        for pa in ini.prose_amounts:
            assert set(pa.amounts) <= years


def test_metadata_frames_and_tax(shipped_ledger) -> None:
    ag = shipped_ledger.agreement
    assert ag.agreement.title == "Aftale om budget 2024"
    assert str(ag.agreement.signed) == "2023-10-04"
    assert ag.agreement.years == [2024, 2025, 2026, 2027]
    assert ag.key_figures["service_frame"].values == {2024: 3_292_000}
    assert ag.key_figures["anlaeg_frame"].values == {2024: 200_000}
    assert {t.id: t.value for t in ag.tax_rates} == {"udskrivningsprocent": 25.5, "grundskyldspromille": 8.30}
    assert len({t.goal for t in ag.strategy.targets}) == 5
    stated = {s.id: s for s in ag.stated_figures}
    assert stated["expansions-2024"].value == 88_000
    assert stated["savings-2024"].value == -34_000
    assert stated["demographic-lift-2024"].value == 41_000
    assert stated["demographic-adjustment-2024"].value == -24_000
    assert stated["demographic-projection"].amounts == {2025: 31_000, 2026: 67_000, 2027: 110_000}
    assert stated["property-tax-2024"].value == 144_000
    for s in ag.stated_figures:
        assert re.search(r"\d", s.sentence)


def test_bodies_committees_and_administration(shipped_ledger) -> None:
    bodies = {b.name: b.committee for b in shipped_ledger.agreement.bodies}
    assert bodies == {
        "Økonomiudvalget": True, "Børne- og Skoleudvalget": True, "Klima- og Miljøudvalget": True,
        "Kultur- og Fritidsudvalget": True, "Socialudvalget": True, "Sundheds- og Ældreudvalget": True,
        "Erhvervs-, Beskæftigelses- og Uddannelsesudvalget": True,
        "Digitaliserings- og Teknologiudvalget": True, "Administrationen": False, "Direktionen": False,
        "Borgmesteren": False, "Grønt omstillingsudvalg": False,
        "§ 17, stk. 4-udvalget, der arbejder med Verdensmålene": False,
    }
    special = {b.id for b in shipped_ledger.agreement.bodies if b.section_17_4}
    assert special == {"groent-omstillingsudvalg", "verdensmaal-udvalg"}


def test_exceptions_inside_sections(shipped_ledger) -> None:
    """The responsibility exceptions the agreement makes inside a section."""
    L = shipped_ledger
    by_title = {(i.section, i.title): i for i in L.agreement.initiatives}

    def resp(section: str, word: str) -> set[str]:
        found = [i for (s, t), i in by_title.items() if s == section and word.lower() in t.lower()]
        assert found, (section, word)
        return set(L.responsible(found[0]))

    assert resp("1.4", "Serviceteknisk") == {"administrationen"}
    assert resp("1.4", "Kræmmermarked") == {"kultur-fritid"}
    assert resp("3.3.5", "Kirstinevang købes") == {"oekonomi"}
    assert resp("3.3.5", "Stjernehuset") == {"oekonomi"}
    assert resp("3.3.5", "Skovlunde") == {"boern-skole"}
    assert resp("4.4.5", "tryghedsvagt") == {"social"}
    tryg = next(i for (s, t), i in by_title.items() if s == "4.4.5" and "tryghedsvagt" in t.lower())
    assert ("administrationen", Role.involved) in {(r.body, r.role) for r in tryg.bodies}
