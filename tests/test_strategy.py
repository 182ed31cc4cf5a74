"""`budget check-strategy` through the command line: statuses, exit codes, formats, overlays, real data."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import FIXTURES

STRATEGY = FIXTURES / "strategy"
AGREEMENT = STRATEGY / "agreement.yaml"

# The results of tests/fixtures/strategy/agreement.yaml, in order: target and year (None for the period target).
RESULTS = [("surplus", 2030), ("surplus", 2031), ("debt", None), ("service-frame", 2030), ("anlaeg-frame", 2030),
           ("liquidity", 2030), ("liquidity", 2031), ("reprioritisation", 2030), ("reprioritisation", 2031),
           ("reprioritisation", 2032)]

runner = CliRunner()


def run(*args: str | Path, file: Path | None = AGREEMENT) -> Any:
    argv = ["check-strategy", *(str(a) for a in args)]
    if file is not None:
        argv += ["--file", str(file)]
    return runner.invoke(app, argv)


def overlays(*names: str) -> list[str]:
    out: list[str] = []
    for n in names:
        out += ["--figures", str(STRATEGY / f"{n}.yaml")]
    return out


def as_json(*args: str | Path, file: Path | None = AGREEMENT) -> tuple[int, dict[str, Any]]:
    res = run("--format", "json", *args, file=file)
    assert res.exit_code in (0, 1), res.output
    return res.exit_code, json.loads(res.stdout)


def by_key(data: dict[str, Any]) -> dict[tuple[str, int | None], dict[str, Any]]:
    return {(r["target"], r["year"]): r for r in data["results"]}


# ----------------------------------------------------------------------------- statuses


def test_every_target_passes_with_the_pass_overlay() -> None:
    code, data = as_json(*overlays("pass"))
    assert code == 0
    assert data["ok"] is True
    assert [(r["target"], r["year"]) for r in data["results"]] == RESULTS
    assert {r["status"] for r in data["results"]} == {"pass"}
    assert all(r["margin"] > 0 for r in data["results"] if r["target"] != "reprioritisation" or r["year"] != 2030)
    r = by_key(data)
    assert r[("liquidity", 2030)]["actual"] == 10000  # 500.000 (1.000 kr.) * 1000 / 50.000 persons
    assert r[("debt", None)]["actual"] == 3000
    assert r[("debt", None)]["period"] == [2029, 2031]
    assert r[("reprioritisation", 2032)]["required"] == 800  # 1 pct. of the overlay's 80.000


def test_every_target_fails_with_the_fail_overlay() -> None:
    code, data = as_json(*overlays("fail"))
    assert code == 1
    assert data["ok"] is False
    statuses = {(r["target"], r["year"]): r["status"] for r in data["results"]}
    assert set(statuses.values()) == {"fail"}, statuses
    r = by_key(data)
    assert r[("surplus", 2030)]["margin"] == -1
    assert r[("service-frame", 2030)]["margin"] == -1  # at most: required - actual
    assert r[("debt", None)]["actual"] == 1999
    # 409.895.000 kr. / 51.237 inhabitants is just below 8.000
    assert 7999.9 < r[("liquidity", 2030)]["actual"] < 8000
    assert data["counts"] == {"pass": 0, "fail": 10, "not-evaluable": 0, "total": 10}


def test_every_target_exactly_on_its_threshold_passes() -> None:
    code, data = as_json(*overlays("exact"))
    assert code == 0
    for r in data["results"]:
        assert r["status"] == "pass", r
        assert r["margin"] == 0, r
        assert r["actual"] == r["required"], r
    # exact arithmetic: 409.896.000 / 51.237 is 8.000 exactly, and an int, not 7999.999...
    assert by_key(data)[("liquidity", 2030)]["actual"] == 8000


def test_without_figures_targets_are_not_evaluable_and_name_what_is_missing() -> None:
    code, data = as_json()
    assert code == 0
    r = by_key(data)
    assert r[("surplus", 2030)]["status"] == "not-evaluable"
    assert r[("surplus", 2030)]["missing"] == ["operating_surplus"]
    assert r[("surplus", 2030)]["actual"] is None
    assert r[("debt", None)]["missing_years"] == {"debt": [2028, 2031]}
    assert r[("liquidity", 2031)]["missing"] == ["average_liquidity", "population"]
    # the frame is in the agreement; only the expenditure is missing, and it is not read as 0
    assert r[("service-frame", 2030)]["missing"] == ["service_expenditure"]
    assert r[("service-frame", 2030)]["required"] == 100000
    # no row is marked and no figure given: the contribution is missing, never read from the rows
    assert r[("reprioritisation", 2031)]["actual"] is None
    assert r[("reprioritisation", 2031)]["missing"] == ["reprioritisation_contribution", "service_frame"]
    assert r[("reprioritisation", 2030)]["status"] == "not-evaluable"
    assert r[("reprioritisation", 2030)]["missing"] == ["reprioritisation_contribution"]
    assert r[("reprioritisation", 2030)]["required"] == 1000  # the threshold is known, the contribution is not
    assert r[("reprioritisation", 2030)]["reason"] == "missing reprioritisation_contribution for 2030"
    assert r[("reprioritisation", 2030)]["rows"] == []
    assert data["counts"] == {"pass": 0, "fail": 0, "not-evaluable": 10, "total": 10}


def test_a_partly_missing_figure_names_only_what_is_missing() -> None:
    _, data = as_json(*overlays("partial"))
    r = by_key(data)
    assert r[("liquidity", 2030)]["missing"] == ["average_liquidity"]
    assert r[("debt", None)]["missing_years"] == {"debt": [2031]}


def test_reprioritisation_counts_only_the_rows_the_overlay_names_and_lists_them() -> None:
    _, data = as_json(*overlays("pass"))
    r = by_key(data)
    assert r[("reprioritisation", 2030)]["actual"] == 1000  # d-cut (-300, not named) is left out
    assert [row["id"] for row in r[("reprioritisation", 2030)]["rows"]] == ["d-save"]  # d-trim has no 2030 amount
    assert [(row["id"], row["amount"]) for row in r[("reprioritisation", 2031)]["rows"]] == [
        ("d-save", -1000), ("d-trim", -250)]
    assert {Path(row["file"]).name for row in r[("reprioritisation", 2031)]["rows"]} == {"pass.yaml"}
    used = r[("reprioritisation", 2031)]["figures"][0]
    assert (used["figure"], used["value"], used["rows"]) == ("reprioritisation_contribution", 1250,
                                                            ["d-save", "d-trim"])


def test_other_rows_give_another_contribution() -> None:
    # rows.yaml names d-save and d-cut: 1.300 (2030), 1.000 (2031), 1.000 (2032)
    _, data = as_json(*overlays("rows"))
    r = by_key(data)
    assert [r[("reprioritisation", y)]["actual"] for y in (2030, 2031, 2032)] == [1300, 1000, 1000]
    assert r[("reprioritisation", 2030)]["status"] == "pass"  # 1 pct. of the agreement's 100.000
    assert [row["id"] for row in r[("reprioritisation", 2030)]["rows"]] == ["d-save", "d-cut"]
    assert r[("reprioritisation", 2031)]["missing"] == ["service_frame"]


def test_the_contribution_given_as_a_figure_lists_no_rows() -> None:
    _, data = as_json(*overlays("figure"))
    r = by_key(data)
    assert r[("reprioritisation", 2030)]["actual"] == 1500
    assert r[("reprioritisation", 2030)]["status"] == "pass"
    assert r[("reprioritisation", 2030)]["rows"] == []
    assert r[("reprioritisation", 2032)]["missing"] == ["reprioritisation_contribution", "service_frame"]
    out = run(*overlays("figure")).stdout
    assert "Appendix rows behind" not in out


def test_a_later_file_wins_between_a_figure_and_rows() -> None:
    _, data = as_json(*overlays("figure", "rows"))
    r = by_key(data)
    assert r[("reprioritisation", 2030)]["actual"] == 1300  # the rows, from the later file
    _, data = as_json(*overlays("rows", "figure"))
    r = by_key(data)
    assert r[("reprioritisation", 2030)]["actual"] == 1500  # the figure, from the later file
    assert r[("reprioritisation", 2030)]["rows"] == []
    assert r[("reprioritisation", 2032)]["actual"] == 1000  # the figure gives no 2032; the rows still do


def test_bad_row_lists_are_located_errors() -> None:
    bad = STRATEGY / "bad-rows.yaml"
    res = run("--figures", bad)
    assert res.exit_code == 2
    assert f"{bad}:2:33: error: unknown appendix row 'd-sav'" in res.stderr
    assert "did you mean 'd-save'?" in res.stderr
    assert f"{bad}:2:40: error: the row 'd-save' is listed twice" in res.stderr
    assert "Traceback" not in res.output


def test_the_contribution_given_twice_in_one_file_is_an_error() -> None:
    both = STRATEGY / "both.yaml"
    res = run("--figures", both)
    assert res.exit_code == 2
    assert f"{both}:4:1: error: 'reprioritisation_rows' and key_figures.reprioritisation_contribution are both " \
           "given" in res.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("reprioritisation_rows: []\n", "must be a list of appendix row ids, not an empty list"),
    ("reprioritisation_rows: d-save\n", "must be a list of appendix row ids, not text"),
    ("reprioritisation_rows: [d-save, 7]\n", "invalid row id '7'"),
    ("reprioritisation_rows: [d-save, {a: 1}]\n", "invalid row id (a mapping)"),
])
def test_a_row_list_that_is_not_a_list_of_ids(tmp_path: Path, text: str, message: str) -> None:
    overlay = tmp_path / "o.yaml"
    overlay.write_text(text, encoding="utf-8")
    res = run("--figures", overlay)
    assert res.exit_code == 2
    assert f"{overlay}:1:" in res.stderr and message in res.stderr


# ----------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(("args", "code"), [
    ([], 0),
    (["--strict"], 1),  # not-evaluable counts as failure
    (overlays("pass"), 0),
    (overlays("pass") + ["--strict"], 0),
    (overlays("fail"), 1),
    (overlays("exact"), 0),
])
def test_exit_codes(args: list[str], code: int) -> None:
    for fmt in ("table", "json", "junit"):
        res = run("--format", fmt, *args)
        assert res.exit_code == code, (fmt, res.output)


def test_strict_marks_the_json_not_ok() -> None:
    code, data = as_json("--strict")
    assert code == 1
    assert data["ok"] is False and data["strict"] is True
    assert data["counts"]["fail"] == 0


@pytest.mark.parametrize("args", [
    ["--figures", "/nonexistent/figures.yaml"],
    ["--year", "2040"],
    ["--format", "xml"],
])
def test_invalid_input_exits_2(args: list[str]) -> None:
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output


def test_an_agreement_without_a_strategy_exits_2() -> None:
    res = run(file=FIXTURES / "mini.yaml")
    assert res.exit_code == 2
    assert "no 'strategy'" in res.stderr


def test_a_bad_agreement_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(AGREEMENT.read_text(encoding="utf-8").replace("amounts: {2031: -250}", "amounts: {2031: -2.50}"),
                   encoding="utf-8")
    res = run(file=bad)
    assert res.exit_code == 2
    assert f"{bad}:" in res.stderr


def test_an_unknown_metric_is_a_located_error(tmp_path: Path) -> None:
    text = AGREEMENT.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("metric: liquidity_per_inhabitant", "metric: liquidity_per_inhabitants"),
                   encoding="utf-8")
    line = next(i for i, ln in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
                if "liquidity_per_inhabitants" in ln)
    res = run(file=bad)
    assert res.exit_code == 2
    assert f"{bad}:{line}:15: error: unknown metric 'liquidity_per_inhabitants'" in res.stderr
    assert "did you mean 'liquidity_per_inhabitant'?" in res.stderr


def test_problems_in_the_agreement_and_in_overlays_are_reported_together(tmp_path: Path) -> None:
    text = AGREEMENT.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("metric: operating_surplus", "metric: surplus"), encoding="utf-8")
    overlay = tmp_path / "o.yaml"
    overlay.write_text("key_figures:\n  debts: {2028: 1}\n", encoding="utf-8")
    res = run("--figures", overlay, file=bad)
    assert res.exit_code == 2
    assert "unknown metric 'surplus'" in res.stderr
    assert f"{overlay}:2:3: error: unknown key figure 'debts'" in res.stderr
    assert "2 problems found" in res.stderr


# ----------------------------------------------------------------------------- --year


def test_year_limits_the_yearly_results_and_keeps_the_period_targets_that_include_it() -> None:
    _, data = as_json("--year", "2031", *overlays("pass"))
    assert [(r["target"], r["year"]) for r in data["results"]] == [
        ("surplus", 2031), ("debt", None), ("liquidity", 2031), ("reprioritisation", 2031)]
    assert data["year"] == 2031


def test_year_outside_a_period_leaves_the_period_target_out() -> None:
    _, data = as_json("--year", "2032", *overlays("pass"))
    assert [(r["target"], r["year"]) for r in data["results"]] == [("reprioritisation", 2032)]


def test_year_that_only_a_period_covers() -> None:
    _, data = as_json("--year", "2029", *overlays("pass"))
    assert [(r["target"], r["year"]) for r in data["results"]] == [("debt", None)]


def test_year_decides_the_exit_code() -> None:
    # the fail overlay fails every target, but with --year 2032 only reprioritisation 2032 is checked;
    # the exact overlay after it puts 2032 back on the threshold
    assert run("--year", "2032", *overlays("fail")).exit_code == 1
    assert run("--year", "2032", *overlays("fail", "exact")).exit_code == 0


def test_year_no_target_covers_exits_2() -> None:
    res = run("--year", "2027")
    assert res.exit_code == 2
    assert "no target covers 2027" in res.stderr


# ----------------------------------------------------------------------------- overlays


def test_later_overlays_win_and_earlier_ones_still_extend() -> None:
    # exact, then fail: every figure both give comes from fail.yaml
    _, data = as_json(*overlays("exact", "fail"))
    assert {r["status"] for r in data["results"]} == {"fail"}
    # fail, then exact: exact wins where it speaks; fail's 2030 frame (which exact does not
    # give) still overrides the agreement's, so reprioritisation 2030 fails and the rest pass
    _, data = as_json(*overlays("fail", "exact"))
    statuses = {(r["target"], r["year"]): r["status"] for r in data["results"]}
    assert statuses.pop(("reprioritisation", 2030)) == "fail"
    assert set(statuses.values()) == {"pass"}
    r = by_key(data)
    used = {(f["figure"], f["year"]): Path(f["file"]).name for f in r[("reprioritisation", 2030)]["figures"]}
    assert used == {("reprioritisation_contribution", 2030): "exact.yaml", ("service_frame", 2030): "fail.yaml"}
    used = {(f["figure"], f["year"]): Path(f["file"]).name for f in r[("surplus", 2030)]["figures"]}
    assert used == {("operating_surplus", 2030): "exact.yaml"}
    assert [Path(f).name for f in data["files"]["figures"]] == ["fail.yaml", "exact.yaml"]


def test_an_overlay_overrides_the_agreements_figure(tmp_path: Path) -> None:
    overlay = tmp_path / "frame.yaml"
    overlay.write_text("key_figures:\n  service_frame: {2030: 200000}\n", encoding="utf-8")
    _, before = as_json(*overlays("rows"))
    _, after = as_json(*overlays("rows"), "--figures", overlay)
    assert by_key(before)[("reprioritisation", 2030)]["required"] == 1000
    assert by_key(before)[("reprioritisation", 2030)]["figures"][1]["file"] == str(AGREEMENT)
    assert by_key(after)[("reprioritisation", 2030)]["required"] == 2000
    assert by_key(after)[("reprioritisation", 2030)]["status"] == "fail"
    # the agreement's other figure (the anlæg frame) is still used
    assert by_key(after)[("anlaeg-frame", 2030)]["required"] == 5000


def test_the_data_file_is_never_written(tmp_path: Path) -> None:
    before = AGREEMENT.read_bytes()
    run(*overlays("fail"))
    assert AGREEMENT.read_bytes() == before


# ----------------------------------------------------------------------------- formats


def junit_root(*args: str) -> ET.Element:
    res = run("--format", "junit", *args)
    return ET.fromstring(res.stdout)


@pytest.mark.parametrize(("args", "tests", "failures", "skipped"), [
    ([], 10, 0, 10),
    (["--strict"], 10, 10, 0),
    (overlays("pass"), 10, 0, 0),
    (overlays("fail"), 10, 10, 0),
    (overlays("fail") + ["--year", "2031"], 4, 4, 0),
])
def test_junit_counts(args: list[str], tests: int, failures: int, skipped: int) -> None:
    root = junit_root(*args)
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == tests
    assert len(root.findall("./testsuite/testcase/failure")) == failures
    assert len(root.findall("./testsuite/testcase/skipped")) == skipped
    for el in (root, root.find("testsuite")):
        assert el is not None
        assert (el.get("tests"), el.get("failures"), el.get("skipped"), el.get("errors")) == (
            str(tests), str(failures), str(skipped), "0")
    assert len({(c.get("classname"), c.get("name")) for c in cases}) == tests  # one per target and year


def test_junit_counts_a_mix_of_pass_fail_and_not_evaluable(tmp_path: Path) -> None:
    overlay = tmp_path / "mixed.yaml"
    overlay.write_text("key_figures:\n  operating_surplus: {2030: 6000, 2031: 4000}\n", encoding="utf-8")
    root = junit_root("--figures", str(overlay))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("10", "1", "8")
    assert suite.find("testcase[@name='surplus 2031']/failure") is not None
    passed = suite.find("testcase[@name='surplus 2030']")
    assert passed is not None and passed.find("failure") is None and passed.find("skipped") is None


def test_junit_names_the_target_year_and_missing_figure() -> None:
    root = junit_root()
    case = root.find("./testsuite/testcase[@name='liquidity 2031']")
    assert case is not None and case.get("classname") == "strategy.liquidity"
    skipped = case.find("skipped")
    assert skipped is not None
    assert "average_liquidity" in (skipped.get("message") or "") and "population" in (skipped.get("message") or "")
    debt = root.find("./testsuite/testcase[@name='debt 2029-2031']")
    assert debt is not None and debt.find("skipped") is not None
    failing = junit_root(*overlays("fail")).find("./testsuite/testcase[@name='surplus 2030']/failure")
    assert failing is not None and "4.999" in (failing.get("message") or "")


def test_json_has_the_documented_shape() -> None:
    _, data = as_json(*overlays("partial"))
    assert isinstance(data["ok"], bool)
    for r in data["results"]:
        assert isinstance(r["target"], str)
        assert r["year"] is None or isinstance(r["year"], int)
        assert r["status"] in ("pass", "fail", "not-evaluable")
        for k in ("required", "actual"):
            assert r[k] is None or isinstance(r[k], int | float)
        assert isinstance(r["missing"], list)
        assert (r["status"] == "not-evaluable") == bool(r["missing"])


def test_table_has_a_row_per_result_a_unit_and_a_verdict() -> None:
    res = run(*overlays("fail"))
    out = res.stdout
    assert "\x1b[" not in out  # no colour codes when not on a terminal
    assert "(amounts in 1.000 kr.; liquidity in kr. per inhabitant)" in " ".join(out.split())
    assert out.count("FAIL") == 11  # ten rows and the verdict
    assert "7.999,98" in out  # Danish number format
    assert out.rstrip().splitlines()[-1].startswith("FAILED: 0 pass, 10 fail, 0 not evaluable (10 results)")
    ok = run().stdout
    assert ok.rstrip().splitlines()[-1].startswith("ok: 0 pass, 0 fail, 10 not evaluable (10 results)")
    assert "operating_surplus: 2030, 2031 (needed by surplus)" in ok
    joined = " ".join(ok.split())
    assert ("reprioritisation_contribution: 2030, 2031, 2032 (needed by reprioritisation); or name the appendix "
            "rows that form it: 'reprioritisation_rows: [ROW-ID, ...]'") in joined
    assert "Appendix rows behind" not in ok


def test_table_lists_the_rows_behind_the_contribution() -> None:
    out = run(*overlays("pass")).stdout
    assert "Færre vikarer" in out and "Besparelse på skoler" in out
    assert "Mindre græsslåning" not in out  # not named in the overlay
    assert "pass.yaml" in "".join(out.split())  # the file that names the rows


# ----------------------------------------------------------------------------- readings


def test_results_that_rest_on_a_reading_say_so_in_json() -> None:
    _, data = as_json(*overlays("pass"))
    r = by_key(data)
    assert r[("surplus", 2030)]["readings"] == [
        {"of": "target", "id": "surplus", "year": None, "text": "'udgør' is read as 'at least', in each year."}]
    # the anlæg frame's reading follows the figure into the result that uses it, for its year only
    assert r[("anlaeg-frame", 2030)]["readings"] == [
        {"of": "figure", "id": "anlaeg_frame", "year": 2030, "text": "No year is given; read as the budget year's."}]
    assert r[("service-frame", 2030)]["readings"] == []
    assert r[("liquidity", 2030)]["readings"] == []
    assert data["on_readings"] == 3  # surplus 2030, 2031 and anlaeg-frame 2030


def test_the_table_marks_results_that_rest_on_a_reading_and_gives_the_text() -> None:
    out = run(*overlays("pass")).stdout
    lines = out.splitlines()
    header = next(ln for ln in lines if ln.lstrip().startswith("Target"))
    assert "Reading" in header
    surplus = [ln for ln in lines if ln.lstrip().startswith("surplus")]
    assert len(surplus) == 2 and all(" R1 " in ln for ln in surplus)
    assert " R2 " in next(ln for ln in lines if ln.lstrip().startswith("anlaeg-frame"))
    assert " R" not in next(ln for ln in lines if ln.lstrip().startswith("service-frame"))
    joined = " ".join(out.split())
    assert "R1 target surplus: 'udgør' is read as 'at least', in each year." in joined
    assert "R2 figure anlaeg_frame 2030: No year is given; read as the budget year's." in joined


def test_junit_carries_the_reading_with_the_result() -> None:
    root = junit_root(*overlays("pass"))
    case = root.find("./testsuite/testcase[@name='surplus 2030']")
    assert case is not None
    prop = case.find("properties/property[@name='reading.target']")
    assert prop is not None and prop.get("value") == "surplus: 'udgør' is read as 'at least', in each year."
    assert "rests on a reading: target surplus" in (case.findtext("system-out") or "")
    plain = root.find("./testsuite/testcase[@name='liquidity 2030']")
    assert plain is not None and plain.find("properties") is None
    assert "reading" not in (plain.findtext("system-out") or "")
    skipped = junit_root().find("./testsuite/testcase[@name='surplus 2030']/skipped")
    assert skipped is not None and "rests on a reading" in (skipped.get("message") or "")


def test_junit_and_json_print_the_verdict_on_stderr() -> None:
    res = run("--format", "junit", *overlays("fail"))
    assert res.stderr.startswith("FAILED")
    assert res.stdout.startswith("<?xml")


def test_help_has_an_example() -> None:
    res = runner.invoke(app, ["check-strategy", "--help"])
    assert res.exit_code == 0
    assert "budget check-strategy --format junit > report.xml" in res.stdout


# ----------------------------------------------------------------------------- the shipped agreement


def test_real_data_without_overlay() -> None:
    code, data = as_json(file=None)
    assert code == 0
    r = by_key(data)
    rep = r[("reprioritisation", 2024)]
    # "Endvidere indgår et årligt omprioriteringsbidrag på minimum 1 pct. af servicerammen." The agreement
    # never says which savings form the contribution, so the shipped file gives none: not evaluable.
    assert rep["status"] == "not-evaluable"
    assert rep["missing"] == ["reprioritisation_contribution"]
    assert rep["actual"] is None and rep["rows"] == []
    assert rep["required"] == 32920  # 1 pct. of the service frame of 3.292 mio. kr. stated in the agreement
    assert r[("reprioritisation", 2025)]["missing"] == ["reprioritisation_contribution", "service_frame"]
    # every result needs budget figures the agreement does not give
    assert all(x["status"] == "not-evaluable" and x["missing"] for x in data["results"])
    assert data["counts"] == {"pass": 0, "fail": 0, "not-evaluable": 17, "total": 17}
    assert r[("operating-surplus", 2024)]["missing"] == ["operating_surplus"]
    assert r[("debt-reduction", None)]["missing_years"] == {"debt": [2021, 2025]}
    assert r[("liquidity", 2027)]["missing"] == ["average_liquidity", "population"]
    assert r[("service-frame", 2024)]["missing"] == ["service_expenditure"]  # the 2024 frame is known
    assert run("--strict", file=None).exit_code == 1


def test_real_data_names_the_readings_it_rests_on() -> None:
    _, data = as_json(file=None)
    r = by_key(data)

    def texts(key: tuple[str, int | None]) -> list[tuple[str, str]]:
        return [(x["of"], x["id"]) for x in r[key]["readings"]]

    # "Overskuddet på de løbende poster udgør 225 mio. kr.": neither "at least" nor "each year"
    assert texts(("operating-surplus", 2025)) == [("target", "operating-surplus")]
    assert "udgør" in r[("operating-surplus", 2025)]["readings"][0]["text"]
    # "Gælden nedbringes med 100 mio. kr. i valgperioden.": no years
    assert texts(("debt-reduction", None)) == [("target", "debt-reduction")]
    assert "valgperioden" in r[("debt-reduction", None)]["readings"][0]["text"]
    # the frames are stated without a year and read as 2024's
    assert texts(("service-frame", 2024)) == [("figure", "service_frame")]
    assert texts(("reprioritisation", 2024)) == [("figure", "service_frame")]
    assert texts(("service-frame", 2025)) == []
    # the liquidity target names its years and its comparison: no reading
    assert all(not r[("liquidity", y)]["readings"] for y in (2024, 2025, 2026, 2027))


def test_real_data_with_the_rows_a_user_decides_on() -> None:
    # the user's decision, not the agreement's: three named savings form the contribution
    overlay = STRATEGY / "shipped-rows.yaml"
    code, data = as_json("--figures", overlay, file=None)
    assert code == 1
    rep = by_key(data)[("reprioritisation", 2024)]
    assert rep["status"] == "fail"
    assert rep["actual"] == 16350  # 10.000 + 6.000 + 350
    assert rep["margin"] == 16350 - 32920
    assert [row["id"] for row in rep["rows"]] == [
        "d-1.3.2-rammebesparelse-det-specialiserede-voksenomraade",
        "d-6.1-central-adm-besparelse-herunder-effektivisering-af", "d-6.11-bibliotek-rammebesparelse"]
    out = run("--figures", overlay, file=None).stdout
    assert "Appendix rows behind 'reprioritisation'" in out and "Bibliotek rammebesparelse" in out
    assert "16.350" in out


def test_real_data_through_a_real_process(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    exe = shutil.which("budget")
    assert exe is not None
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    res = subprocess.run([exe, "check-strategy", "--format", "json"], capture_output=True, text=True, env=env,
                         timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    rep = by_key(data)[("reprioritisation", 2024)]
    assert rep["status"] == "not-evaluable" and rep["missing"] == ["reprioritisation_contribution"]
    assert res.stderr.startswith("ok: 0 pass, 0 fail, 17 not evaluable")
