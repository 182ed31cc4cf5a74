"""`budget reconcile` on the shipped agreement: differences found by reading the agreement itself.

Each test names the section and quotes the prose and the appendix row it checks, so that a
failure can be judged against the PDF.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import SHIPPED

runner = CliRunner()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    res = runner.invoke(app, ["reconcile", "--format", "json"])
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def one(data: dict[str, Any], category: str, section: str, initiative: str | None = None,
        reason: str | None = None, line: str | None = None) -> dict[str, Any]:
    found = [f for f in data["findings"] if f["category"] == category and f["section"] == section
             and (initiative is None or f["initiative"] == initiative)
             and (reason is None or f["reason"] == reason) and (line is None or f["line"] == line)]
    assert len(found) == 1, [(f["category"], f["initiative"], f["reason"]) for f in data["findings"]
                             if f["section"] == section]
    return found[0]


def about(data: dict[str, Any], initiative: str) -> set[str]:
    return {f["category"] for f in data["findings"] if f["initiative"] == initiative}


# ------------------------------------------------------------------ amounts on both sides


def test_4_3_3_asphalt_on_cycle_paths(data: dict[str, Any]) -> None:
    # "Der er afsat 7 mio. kr. hertil i 2024 samt 3,5 mio. kr. årligt i perioden 2024-2027."
    # Appendix (anlæg): "4.3.3 Cykelstier bedre asfalt 7.000" — 2024 only.
    f = one(data, "amount", "4.3.3", "4.3.3-cykelstier-asfalt")
    assert (f["kind"], f["prose"], f["appendix"]) == ("anlaeg", {"2024": 10500}, {"2024": 7000})
    f = one(data, "year", "4.3.3", "4.3.3-cykelstier-asfalt")
    assert (f["reason"], f["prose"], f["appendix"]) == ("prose-years", {"2025": 3500, "2026": 3500, "2027": 3500},
                                                        None)


def test_3_3_5_kornvaenget_has_the_opposite_sign(data: dict[str, Any]) -> None:
    # "Ombygning af børneinstitutionen i Kornvænget. Hertil er afsat samlet 15 mio. kr. i 2025."
    # Appendix (anlæg): "3.3.5 Ombygning børneinstitution i Kornvænget -10.000 -15.000".
    f = one(data, "sign", "3.3.5", "3.3.5-kornvaenget-ombygning")
    assert (f["prose"], f["appendix"]) == ({"2025": 15000}, {"2025": -15000})
    f = one(data, "year", "3.3.5", "3.3.5-kornvaenget-ombygning")
    assert (f["reason"], f["appendix"]) == ("appendix-years", {"2024": -10000})


def test_3_3_5_kildedal_money_moved_between_years(data: dict[str, Any]) -> None:
    # "Den første børneinstitution påbegyndes i 2026, hvor der samlet er afsat 50 mio. kr. og i 2027 er der
    # yderligere afsat 30 mio. kr. ... foreløbig afsættes 2 mio. kr. i 2026 og 20 mio. kr. i 2027."
    # Appendix: Kildedal 1 50.000/30.000, "Kildedal 1 - ændringer" -30.000/30.000, Kildedal 2 2.000/20.000.
    f = one(data, "year", "3.3.5", "3.3.5-kildedal-boerneinstitutioner")
    assert f["reason"] == "shifted"
    assert (f["prose"], f["appendix"]) == ({"2026": 52000, "2027": 50000}, {"2026": 22000, "2027": 80000})
    assert "a-3.3.5-ny-boerneinstitution-kildedal-1-aendringer" in f["lines"]


def test_6_1_central_saving_named_for_2024_only(data: dict[str, Any]) -> None:
    # "Ballerup Kommunes andel heraf udgør i 2024 samlet 6 mio. kr." — the appendix row has -6.000 in
    # every year 2024-2027.
    f = one(data, "year", "6.1", "6.1-central-adm-besparelse")
    assert (f["reason"], f["appendix"]) == ("appendix-years", {"2025": -6000, "2026": -6000, "2027": -6000})


@pytest.mark.parametrize(("section", "initiative", "per_year"), [
    ("4.4.3", "4.4.3-skoleveje", 2000),                 # "2 mio. kr. årligt fra 2024-2027"; row 2.000 in 2024
    ("4.4.6", "4.4.6-tilgaengelighedsbudget", 600),    # "årligt er afsat 0,6 mio. kr. i 2024-2027"; row 600
    ("4.3.3", "4.3.3-cykelby", 500),                   # "0,5 mio. kr. årligt i perioden 2024-2027"; row 500
    ("3.3.5", "3.3.5-legepladser-institutioner", 1500),  # "afsat årligt 1,5 mio. kr. fra 2024"; row 500
    ("3.4.3", "3.4.3-legepladser-skoler", 1500),        # the same sentence for skoler; row 500
])
def test_yearly_amounts_with_a_row_for_2024_only(data: dict[str, Any], section: str, initiative: str,
                                                 per_year: int) -> None:
    f = one(data, "year", section, initiative)
    assert f["prose"] == {"2025": per_year, "2026": per_year, "2027": per_year}
    assert f["appendix"] is None


@pytest.mark.parametrize(("section", "initiative", "total", "rows"), [
    ("1.4", "1.4-foreningsfitness", 1400, 700),       # "så der i alt er 1,4 mio. kr."; row 700
    ("1.4.1", "1.4.1-elektroniske-skabe", 1900, 1200),  # "så der samlet er 1,9 mio. kr."; row 1.200
])
def test_prose_totals_the_rows_do_not_reach(data: dict[str, Any], section: str, initiative: str, total: int,
                                            rows: int) -> None:
    f = one(data, "total", section, initiative)
    assert (f["prose"], f["appendix"]) == ({"total": total}, {"total": rows})


# ------------------------------------------------------------------ rounding that agrees


@pytest.mark.parametrize("initiative", [
    "1.4-mere-monitor",                     # 0,2 mio. kr. in 2024 / 150
    "1.4-fritidsvejlederordning",           # 0,1 / 0,3 / 0,3 / 0,1 mio. kr. / 130, 250, 250, 130
    "3.3.5-fleksibilitetsombygninger",      # 4,3 mio. kr. in 2024 / 4.250
    "3.3.5-stjernehuset-leasing-indfries",  # 6,8 mio. kr. anlæg and a saving of 1,2 mio. kr. / -1.180 drift
    "3.3.5-pavillon-birkegaarden-koeb",     # saving of 0,3 mio. kr. / -250
    "4.3.1-lygtepaele",                     # savings 0,2 / 0,4 / 0,6 mio. kr. / -200, -350, -570
    "3.5-psykologisk-raadgivning",          # 0,1 / 0,3 / 0,3 mio. kr. / 125, 250, 250
    "1.4.1-omklaedning-handicap",           # 1,4 mio. kr. / 1.424
    "4.3.2-energirenovering",               # 10 mio. kr. årligt + 10/10/7/7 mio. kr. / one row 20/20/17/17
    "1.4.1-saunagus-vinterbad",             # 2,5 + 2,5 mio. kr. in 2024, "samlet 7,5 mio. kr." / two rows
    "3.4.3-skovlunde-skole-udvidelse",      # "samlet afsat 66 mio. kr." / 7.000 + 27.000 + 32.000
    "3.3.5-birkegaarden-udvidelse",         # "tidligere afsat 28 mio. kr." (no year) + 30 mio. kr. in 2025 /
                                            # 28.000 in 2024 and 30.000 in 2025 (only its name differs)
])
def test_amounts_that_agree_after_rounding_are_not_reported(data: dict[str, Any], initiative: str) -> None:
    assert about(data, initiative) & {"amount", "sign", "year", "total"} == set()


# ------------------------------------------------------------------ one side only


@pytest.mark.parametrize(("section", "initiative", "prose"), [
    ("4.5", "4.5-boliganalyse", {"2024": 300}),  # "Der afsættes 0,3 mio. kr. hertil i 2024."; no 4.5 row
    ("4.1", "4.1-borgere-planter-traeer", {"2024": 400, "2025": 400, "2026": 400, "2027": 400}),
    ("3.2.1", "3.2.1-omlaegning-stoette-boern-familier",  # "reduceres med 2 mio. kr. i 2024, ... 20 mio. kr. i 2027"
     {"2024": -2000, "2025": -6000, "2026": -15000, "2027": -20000}),
])
def test_prose_amounts_without_a_row(data: dict[str, Any], section: str, initiative: str,
                                     prose: dict[str, int]) -> None:
    assert one(data, "prose-only", section, initiative)["prose"] == prose


@pytest.mark.parametrize(("section", "line"), [
    ("4.2.1", "d-4.2.1-mindre-graesslaaning"),     # "Mindre græsslåning ..." no amount; row -200 a year
    ("3.3.5", "a-3.3.5-lundegaarden-sammenbygning-udskydes"),  # "udskydes fra 2025 til 2026"; -18.000/18.000
    ("4.2.1", "a-4.2.1-bevarelse-af-kolonihaver-som-groenne-rekreative-omraader"),  # anlæg -1.500 ...
    ("verdensmaalene", "d-g-verdensmaalsfestival"),  # no festival in the prose
    ("oekonomisk-strategi", "d-g-kendt-sparemaal"),  # "Kendt sparemål" is not in the prose
])
def test_rows_without_a_prose_amount(data: dict[str, Any], section: str, line: str) -> None:
    assert one(data, "appendix-only", section, line=line)["appendix"]


def test_the_demography_row_is_stated_in_the_general_part(data: dict[str, Any]) -> None:
    # "estimeret til 31 mio. kr. i 2025, 67 mio. kr. i 2026 og 110 mio. kr. i 2027" = the demography row
    assert not [f for f in data["findings"] if f["line"] == "d-g-demografisk-fremskrivning-boern-skoler-aeldre"]
    fig = next(s for s in data["stated_figures"] if s["id"] == "demographic-projection")
    assert fig["status"] == "agrees"


# ------------------------------------------------------------------ names and labels


def test_3_3_5_hedeparken_against_birkegaarden(data: dict[str, Any]) -> None:
    # "Udvidelse af børneinstitutionen Birkegården" / "3.3.5 Udvidelse børneinstitution Hedeparken"
    f = one(data, "name", "3.3.5", "3.3.5-birkegaarden-udvidelse")
    assert f["detail"]["names"] == {"appendix": ["Hedeparken"], "prose": ["Birkegården"]}


def test_4_4_3_telegrafkvarteret_against_telegrafvejskvarteret(data: dict[str, Any]) -> None:
    f = one(data, "name", "4.4.3", "4.4.3-telegrafvejskvarteret")
    assert f["detail"]["names"] == {"appendix": ["Telegrafkvarteret"], "prose": ["Telegrafvejskvarteret"]}


def test_chapter_6_heading(data: dict[str, Any]) -> None:
    # prose "6. Ballerup Kommunes organisation"; appendix "6. Ballerup kommune som virksomhed"
    f = one(data, "name", "6", reason="group-name")
    assert (f["prose"], f["appendix"]) == ("Ballerup Kommunes organisation", "Ballerup kommune som virksomhed")


@pytest.mark.parametrize("line", ["d-3.3.2-undersoegelse-af-praksisnormeringer",
                                  "d-3.3.2-forberedelsestid-for-paedagoger-ekstra-loeft"])
def test_3_3_3_rows_labelled_3_3_2(data: dict[str, Any], line: str) -> None:
    # "I 2024 afsættes endvidere 0,3 mio. kr. til ... praksisnormeringer" and the ekstra løft stand in
    # 3.3.3; the appendix prints both under 3.3.2
    f = one(data, "section-label", "3.3.3", line=line)
    assert (f["prose"], f["appendix"]) == ("3.3.3", "3.3.2")


# ------------------------------------------------------------------ the general part's figures


def test_stated_expansions_savings_and_demographic_lift_cannot_be_derived(data: dict[str, Any]) -> None:
    # "udvidelser for samlet 88 mio. kr. i 2024 og besparelser for 34 mio. kr. i 2024. Derudover ... et løft
    # relateret til den demografiske udvikling med 41 mio. kr. i 2024."
    figs = {s["id"]: s for s in data["stated_figures"]}
    for fid in ("expansions-2024", "savings-2024", "demographic-lift-2024"):
        assert figs[fid]["status"] == "not-derivable"
    readings = {(tuple(d["basis"]["kinds"]), d["basis"]["initiatives_only"]): d["amounts"]["2024"]
                for d in figs["expansions-2024"]["derivations"]}
    assert readings[(("drift",), False)] == 54030         # positive drift amounts in 2024
    assert readings[(("drift", "anlaeg"), False)] == 287824
    savings = {(tuple(d["basis"]["kinds"]), d["basis"]["initiatives_only"]): d["amounts"]["2024"]
               for d in figs["savings-2024"]["derivations"]}
    assert savings[(("drift",), False)] == -60100         # with "Kendt sparemål" -41.000
    assert savings[(("drift",), True)] == -19100          # without it
    assert figs["demographic-lift-2024"]["appendix"] is None  # the demography row has no 2024 amount
    messages = [f["message"] for f in data["findings"] if f["category"] == "stated-figure"]
    assert sum("cannot be derived from the appendix" in m for m in messages) == len(messages) >= 3


# ------------------------------------------------------------------ computed, not echoed


def test_findings_are_computed_not_copied_from_the_recorded_discrepancies(data: dict[str, Any],
                                                                         tmp_path: Path) -> None:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    raw["discrepancies"] = []
    stripped = tmp_path / "no-discrepancies.yaml"
    stripped.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    res = runner.invoke(app, ["reconcile", "--format", "json", "--file", str(stripped)])
    assert res.exit_code == 0, res.stderr
    bare = json.loads(res.stdout)

    def key(f: dict[str, Any]) -> tuple[Any, ...]:
        return (f["category"], f["reason"], f["section"], f["initiative"], f["line"], json.dumps(f["prose"]),
                json.dumps(f["appendix"]))

    assert [key(f) for f in bare["findings"]] == [key(f) for f in data["findings"]]
    assert all(f["recorded"] == [] for f in bare["findings"])


def test_every_recorded_discrepancy_covers_a_finding_or_is_listed(data: dict[str, Any]) -> None:
    recorded = {d["id"] for d in yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["discrepancies"]}
    covering = {i for f in data["findings"] for i in f["recorded"]}
    listed = {d["id"] for d in data["recorded"]["not_found"]}
    assert covering | listed == recorded and not covering & listed
    assert data["recorded"]["total"] == len(recorded)


def test_fail_on_mismatch_fails_on_the_shipped_agreement() -> None:
    assert runner.invoke(app, ["reconcile", "--fail-on", "mismatch"]).exit_code == 1
    assert runner.invoke(app, ["reconcile", "--section", "2.4", "--fail-on", "any"]).exit_code == 0
