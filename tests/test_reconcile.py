"""`budget reconcile` on small fixture agreements: one fixture per group of categories."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.reports.reconcile import agrees, round_half_up

from .conftest import FIXTURES

runner = CliRunner()
RECONCILE = FIXTURES / "reconcile"


def run(*args: str) -> Any:
    return runner.invoke(app, ["reconcile", *args])


def report(fixture: str, *args: str) -> dict[str, Any]:
    res = run("--file", str(RECONCILE / fixture), "--format", "json", *args)
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)


def findings(data: dict[str, Any], category: str | None = None) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if category is None or f["category"] == category]


def by_initiative(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in data["findings"]:
        out.setdefault(f["initiative"], []).append(f)
    return out


# ------------------------------------------------------------------ the rounding rule


def test_rounding_boundaries_half_up_agree_and_just_beyond_differ() -> None:
    data = report("rounding.yaml")
    differing = {f["initiative"]: (f["prose"], f["appendix"]) for f in findings(data)}
    # 150 → 0,2 and 249 → 0,2 agree; 149 → 0,1 and 250 → 0,3 do not; savings round away from zero;
    # an amount stated in kroner (25.000 kr.) must be exact
    assert differing == {
        "below-half-149": ({"2030": 200}, {"2030": 149}),
        "half-up-250": ({"2030": 200}, {"2030": 250}),
        "saving-below": ({"2030": -200}, {"2030": -250}),
        "precise-off": ({"2030": 25}, {"2030": 30}),
    }
    assert all(f["category"] == "amount" for f in findings(data))
    assert [f["difference"] for f in findings(data) if f["initiative"] == "half-up-250"] == [{"2030": -50}]


@given(st.integers(min_value=-500, max_value=500).filter(lambda n: n != 0), st.integers(-100_000, 100_000))
def test_agreement_is_the_half_up_interval_around_a_prose_amount(tenths: int, appendix: int) -> None:
    prose = tenths * 100
    # half rounds away from zero: +150 reads as 0,2 mio. kr., -150 as -0,2
    inside = (prose - 50 <= appendix < prose + 50) if prose > 0 else (prose - 50 < appendix <= prose + 50)
    assert agrees(prose, appendix) == inside


@given(st.integers(-10_000, 10_000).filter(lambda n: n % 100 != 0), st.integers(-10_000, 10_000))
def test_a_prose_amount_finer_than_a_tenth_of_a_million_must_be_exact(prose: int, appendix: int) -> None:
    assert agrees(prose, appendix) == (prose == appendix)


def test_round_half_up_examples_from_the_agreement() -> None:
    assert [round_half_up(a) for a in (150, 130, 250, 1424, 4250, -250, -350, -570, -1180)] == \
        [200, 100, 300, 1400, 4300, -300, -400, -600, -1200]


# ------------------------------------------------------------------ amounts on both sides


def test_each_kind_of_difference_on_initiatives_with_amounts_on_both_sides() -> None:
    data = report("compare.yaml")
    got = {(f["initiative"], f["category"], f["reason"]): (f["kind"], f["years"], f["prose"], f["appendix"])
           for f in findings(data)}
    assert got == {
        ("differs", "amount", "differs"): ("drift", [2030], {"2030": 1000}, {"2030": 700}),
        ("flipped", "sign", "differs"): ("anlaeg", [2031], {"2031": 500}, {"2031": -500}),
        ("extra-year", "year", "appendix-years"): ("drift", [2031], None, {"2031": -300}),
        ("missing-year", "year", "prose-years"): ("drift", [2031], {"2031": 400}, None),
        ("shifted", "year", "shifted"): ("anlaeg", [2030, 2031], {"2030": 1000, "2031": 1000},
                                         {"2030": 500, "2031": 1500}),
        ("per-year-off", "amount", "per-year"): ("drift", [2031], {"per_year": 1000}, {"2031": 800}),
        ("total-off", "total", "differs"): ("anlaeg", [2030], {"total": 1400}, {"total": 700}),
        ("total-rest-off", "total", "differs"): ("anlaeg", [2030, 2031], {"total": 2000}, {"total": 5500}),
    }
    assert all(f["mismatch"] for f in findings(data))


def test_rows_are_summed_prose_amounts_are_summed_and_kinds_are_matched() -> None:
    """Section 1.2 of the fixture: two rows against one prose amount (100 + 150 reads as 0,3), two prose
    amounts against one row, untyped prose amounts on drift and anlæg (6,8 mio. kr. goes to anlæg, the
    saving of 1,2 mio. kr. to drift's -1.180), 'årligt' against every year, a per-year amount already
    included in the yearly 'i alt', a total without years, and an amount without a year beside one with
    a year ("tidligere afsat 2,8 mio. kr." and "yderligere 3 mio. kr. i 2031" against 2.800 and 3.000)."""
    data = report("compare.yaml", "--section", "1.2")
    assert data["findings"] == []
    assert data["summary"] == dict.fromkeys(data["summary"], 0)


def test_the_same_prose_against_one_unmatched_kind_is_reported() -> None:
    data = report("onesided.yaml")
    wrong_kind = by_initiative(data)["wrong-kind"]
    # the typed anlæg amount has no anlæg row; the untyped saving goes to the drift row and agrees
    assert [(f["category"], f["reason"], f["kind"], f["prose"]) for f in wrong_kind] == \
        [("prose-only", "no-rows-of-kind", "anlaeg", {"2030": 2000})]


# ------------------------------------------------------------------ one side only


def test_prose_amounts_without_rows_and_rows_without_prose() -> None:
    data = report("onesided.yaml")
    got = {(f["category"], f["reason"], f["initiative"], f["line"]) for f in findings(data)}
    assert got == {
        ("prose-only", "no-rows", "no-rows", None),
        ("prose-only", "no-rows-of-kind", "wrong-kind", None),
        ("appendix-only", "no-prose", "no-prose", "d-no-prose"),
        ("appendix-only", "no-prose-of-kind", "transfer", "a-transfer"),
        ("appendix-only", "section-row", None, "d-reserve"),
    }
    # the demography row belongs to no initiative, but a stated figure of the general part gives it
    assert not [f for f in findings(data) if f["line"] == "d-demografi"]
    assert [s["status"] for s in data["stated_figures"]] == ["agrees"]
    # one-sided findings are not mismatches
    assert data["mismatches"] == 0


def test_one_sided_findings_do_not_fail_on_mismatch_but_fail_on_any() -> None:
    path = str(RECONCILE / "onesided.yaml")
    assert run("-f", path, "--fail-on", "mismatch").exit_code == 0
    assert run("-f", path, "--fail-on", "any").exit_code == 1


# ------------------------------------------------------------------ names and labels


def test_name_differences_and_section_labels() -> None:
    data = report("names.yaml")
    got = {(f["category"], f["reason"], f["section"], f["line"]): (f["prose"], f["appendix"])
           for f in findings(data)}
    assert got == {
        ("name", "row-name", "1.1", "a-hedeparken"): ("Udvidelse af børneinstitutionen Birkegården",
                                                      "Udvidelse børneinstitution Hedeparken"),
        ("name", "row-name", "1.1", "a-telegraf"): ("Telegrafvejskvarteret - infrastruktur",
                                                    "Telegrafkvarteret - infrastruktur"),
        ("name", "group-name", "1", None): ("Første tema", "Andet tema"),
        ("section-label", "label", "1.2", "d-praksisnormeringer"): ("1.2", "1.1"),
    }
    messages = {f["line"]: f["message"] for f in findings(data)}
    assert messages["a-hedeparken"] == "The appendix row says Hedeparken where the prose says Birkegården."
    assert "Telegrafkvarteret where the prose says Telegrafvejskvarteret" in messages["a-telegraf"]
    # not names: an inflection (Implementere/Implementering), a word inside a compound (Skole in
    # Baltorpskolen), a name that the section's prose has elsewhere (Ballerup Boulevard), and a chapter
    # title that differs only by an accent (ideer/idéer)
    assert not {"d-inflection", "a-compound", "a-baltorpvej", "a-hjertestier"} & set(messages)


def test_recorded_discrepancies_cover_findings_of_their_category_and_the_rest_are_listed() -> None:
    data = report("names.yaml")
    recorded = {f["line"]: f["recorded"] for f in findings(data)}
    assert recorded == {"a-hedeparken": ["rec-hedeparken"], None: ["rec-group"], "a-telegraf": [],
                        "d-praksisnormeringer": []}
    # a recorded name difference the titles cannot show, and a recorded 'amount' difference where the
    # amounts agree: listed, not turned into findings
    assert [d["id"] for d in data["recorded"]["not_found"]] == ["rec-legepladser", "rec-praksis-amount"]
    assert data["recorded"]["total"] == 4 and data["recorded"]["covering"] == 2


# ------------------------------------------------------------------ stated figures


def test_stated_figures_against_the_appendix_sums() -> None:
    data = report("figures.yaml")
    status = {s["id"]: (s["status"], s["appendix"], s["difference"]) for s in data["stated_figures"]}
    assert status == {
        "expansions-drift": ("agrees", {"2030": 1500}, {"2030": 0}),          # drift 1.000 + 500
        "savings-both": ("agrees", {"2030": -1000}, {"2030": 0}),             # drift -300, anlæg -700
        "expansions-ten": ("not-derivable", {"2030": 3500}, {"2030": 6500}),  # closest: both kinds
        "expansions-anlaeg": ("not-derivable", {"2030": 2000}, {"2030": -500}),
        "lift": ("not-derivable", None, None),
    }
    figure_findings = {f["detail"]["figure"]: f for f in findings(data, "stated-figure")}
    assert set(figure_findings) == {"expansions-ten", "expansions-anlaeg", "lift"}
    assert figure_findings["expansions-ten"]["recorded"] == ["rec-expansions"]
    assert "cannot be derived from the appendix" in figure_findings["lift"]["message"]
    assert "drift and anlæg 3.500 in 2030" in figure_findings["expansions-ten"]["message"]
    assert not figure_findings["lift"]["mismatch"]


def test_stated_figures_are_left_out_with_a_section() -> None:
    data = report("figures.yaml", "--section", "1")
    assert data["stated_figures"] == [] and findings(data, "stated-figure") == []
    # a recorded discrepancy about a stated figure is still found, though the figure is not shown
    data = report("figures.yaml", "--section", "0")
    assert [f["line"] for f in data["findings"]] == ["d-festival"]
    assert data["recorded"] == {"total": 2, "covering": 2, "not_found": []}


# ------------------------------------------------------------------ output and exit codes


def test_json_has_the_documented_shape() -> None:
    data = report("compare.yaml")
    assert set(data) >= {"findings", "summary", "unit", "stated_figures", "recorded", "count", "mismatches"}
    for f in data["findings"]:
        assert set(f) >= {"category", "section", "initiative", "line", "prose", "appendix", "message"}
        assert f["message"].endswith(".") and "\n" not in f["message"]
    assert list(data["summary"]) == ["amount", "sign", "year", "total", "prose-only", "appendix-only", "name",
                                     "section-label", "stated-figure"]
    assert data["summary"]["year"] == 3 and data["count"] == len(data["findings"]) == 8


def test_findings_are_grouped_by_category_then_section_in_numeric_order() -> None:
    data = report("names.yaml")
    assert [(f["category"], f["section"]) for f in data["findings"]] == \
        [("name", "1"), ("name", "1.1"), ("name", "1.1"), ("section-label", "1.2")]
    data = report("compare.yaml")
    cats = [f["category"] for f in data["findings"]]
    assert cats == sorted(cats, key=list(data["summary"]).index)


def test_table_groups_by_category_with_units_counts_and_danish_numbers() -> None:
    res = run("-f", str(RECONCILE / "compare.yaml"))
    assert res.exit_code == 0
    out = res.stdout
    assert "\x1b[" not in out
    flat = " ".join(out.split())  # titles wrap at the terminal width
    assert re.search(r"amount: [^—]* — 2 \(amounts in 1\.000 kr\.\)", flat)
    titles = re.findall(r"^([a-z-]+): ", out, re.M)
    assert titles == ["amount", "sign", "year", "total"]
    assert "2031: 1.500" in out
    assert "Findings per category" in out
    assert "8 findings (8 mismatches" in flat


def test_markdown_has_a_heading_per_category_and_a_summary() -> None:
    res = run("-f", str(RECONCILE / "compare.yaml"), "--format", "markdown")
    assert res.exit_code == 0
    assert "## amount (2)" in res.stdout and "## year (3)" in res.stdout
    assert "| Section | Initiative / row | Prose | Appendix | Explanation | Recorded |" in res.stdout
    assert "## Findings per category" in res.stdout


@pytest.mark.parametrize(("args", "code"), [
    ((), 0),                                      # findings alone never fail
    (("--fail-on", "mismatch"), 1),
    (("--fail-on", "any"), 1),
    (("--fail-on", "any", "--section", "1.2"), 0),  # the section without differences
    (("--fail-on", "mismatch", "--format", "json"), 1),
])
def test_exit_codes(args: tuple[str, ...], code: int) -> None:
    res = run("-f", str(RECONCILE / "compare.yaml"), *args)
    assert res.exit_code == code, res.stderr
    assert res.stdout  # the report is printed before the exit status is decided


def test_section_filter_includes_subsections_and_chapters() -> None:
    assert {f["section"] for f in report("names.yaml", "--section", "1")["findings"]} == {"1", "1.1", "1.2"}
    assert {f["section"] for f in report("names.yaml", "--section", "1.1")["findings"]} == {"1.1"}
    # 1.1 must not take in 1.10
    data = report("compare.yaml", "--section", "1.1")
    assert data["findings"] == []


@pytest.mark.parametrize("args", [
    ("--section", "9.9"),
    ("--fail-on", "sometimes"),
    ("--format", "csv"),
])
def test_invalid_input_exits_2_without_traceback(args: tuple[str, ...]) -> None:
    res = run("-f", str(RECONCILE / "compare.yaml"), *args)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert "Traceback" not in res.stderr


def test_unknown_section_names_the_valid_ones() -> None:
    res = run("-f", str(RECONCILE / "compare.yaml"), "--section", "1.3")
    assert res.exit_code == 2
    assert "unknown section '1.3'" in res.stderr
    assert "chapters are 1" in res.stderr


def test_a_bad_agreement_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((RECONCILE / "compare.yaml").read_text(encoding="utf-8").replace("{2030: 700}", "{2030: 0.7}"),
                   encoding="utf-8")
    res = run("-f", str(bad))
    assert res.exit_code == 2
    assert f"{bad}:" in res.stderr and res.stdout == ""


def test_help_has_an_example() -> None:
    res = run("--help")
    assert res.exit_code == 0
    assert "budget reconcile --section 3.3.5" in res.stdout
