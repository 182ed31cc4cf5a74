"""`budget export fdp`: the agreement as a Fiscal Data Package, validated and read back."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from frictionless import Package, validate
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import FIXTURES, ROOT, SHIPPED, budget_executable

runner = CliRunner()
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z

# the values the specification (version 0.3, "Model and Mapping") allows
PHASES = {"proposed", "approved", "adjusted", "executed"}
DIMENSION_TYPES = {"datetime", "entity", "classification", "activity", "fact", "location", "other"}
CLASSIFICATION_TYPES = {"functional", "administrative", "economic"}


CACHE = tempfile.mkdtemp(prefix="budget-cache-")  # one cache for the module: a cold load once, not per test


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env={"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": CACHE, **(env or {})})


def cli_json(*args: str, file: Path = SHIPPED) -> Any:
    result = run(*args, "--format", "json", "--file", str(file))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fdp") / "ballerup"
    result = run("export", "fdp", str(out), "--file", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "datapackage.json" in result.stderr and str(out) in result.stderr
    return out


@pytest.fixture(scope="module")
def rows(package_dir: Path) -> list[dict[str, Any]]:
    """The rows as frictionless reads them, typed by the package's own schema."""
    package = Package(str(package_dir / "datapackage.json"))
    (resource,) = package.resources
    return [dict(r) for r in resource.read_rows()]


# ----------------------------------------------------------------------------- a valid package


def test_the_package_is_valid_for_frictionless(package_dir: Path) -> None:
    report = validate(str(package_dir / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["errors"] == 0
    assert sorted(p.name for p in package_dir.rglob("*")) == ["budget.csv", "data", "datapackage.json"]


def test_the_package_declares_the_tabular_profile_and_its_period(package_dir: Path) -> None:
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    assert re.fullmatch(r"[a-z0-9-]+", descriptor["name"])
    assert descriptor["created"] == "2023-11-14T22:13:20Z"
    assert descriptor["fiscalPeriod"] == {"start": "2024-01-01", "end": "2027-12-31"}
    (resource,) = descriptor["resources"]
    assert resource["path"] == "data/budget.csv"
    assert resource["schema"]["primaryKey"] == ["line_id", "year", "phase"]


def test_the_fiscal_model_follows_the_specification(package_dir: Path) -> None:
    """The `model` of the Fiscal Data Package specification: at least one measure with a source
    field and an ISO 4217 currency, dimensions whose attributes name fields of the resource,
    classification dimensions with a `code` attribute and their classification type."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = descriptor["resources"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    model = descriptor["model"]
    assert model["measures"]
    for measure in model["measures"].values():
        assert measure["source"] in fields and fields[measure["source"]]["type"] in {"integer", "number"}
        assert measure["resource"] == resource["name"]
        assert re.fullmatch(r"[A-Z]{3}", measure["currency"])
        assert measure.get("phase", "approved") in PHASES
    assert model["measures"]["amount"] == {"source": "amount", "resource": "budget", "currency": "DKK",
                                           "factor": 1000, "phase": "approved", "title": "Amount (1.000 DKK)"}
    kinds: dict[str, str] = {}
    for name, dim in model["dimensions"].items():
        assert dim["dimensionType"] in DIMENSION_TYPES, name
        keys = dim["primaryKey"] if isinstance(dim["primaryKey"], list) else [dim["primaryKey"]]
        assert keys and set(keys) <= set(dim["attributes"]), name
        for attr_name, attr in dim["attributes"].items():
            assert ("source" in attr) != ("constant" in attr), (name, attr_name)
            assert attr["source"] in fields, (name, attr_name)
            for ref in ("labelfor", "parent"):
                if ref in attr:
                    assert attr[ref] in dim["attributes"], (name, attr_name, ref)
        if dim["dimensionType"] == "classification":
            assert "code" in dim["attributes"], name
            assert dim["classificationType"] in CLASSIFICATION_TYPES
            kinds[dim["classificationType"]] = dim["attributes"]["code"]["source"]
    # the kind is the economic classification, the body the administrative, the section the functional
    assert kinds == {"economic": "kind", "administrative": "body_id", "functional": "section_id"}
    assert model["dimensions"]["functional-classification"]["attributes"]["chapter"]["source"] == "chapter_id"
    # every column also carries its concept in the taxonomy of version 1.0
    assert all(f.get("columnType") for f in fields.values())
    assert fields["amount"]["columnType"] == "value"
    assert fields["year"]["columnType"] == "date:fiscal-year"


# ----------------------------------------------------------------------------- read back


def test_every_amount_equals_the_cli_json(rows: list[dict[str, Any]]) -> None:
    lines = cli_json("lines")
    expected = {(ln["id"], int(y)): a for ln in lines for y, a in ln["amounts"].items()}
    got = {(r["line_id"], r["year"]): r["amount"] for r in rows}
    assert len(got) == len(rows)  # one row per appendix row and year
    assert got == expected
    assert len(rows) == 303
    assert {r["phase"] for r in rows} == {"approved"}
    assert {r["currency"] for r in rows} == {"DKK"}
    assert {r["municipality"] for r in rows} == {"Ballerup Kommune"}
    assert all(isinstance(r["amount"], int) and r["amount"] != 0 for r in rows)


def test_every_row_carries_its_classifications(rows: list[dict[str, Any]], shipped_ledger: Any) -> None:
    lines = {ln["id"]: ln for ln in cli_json("lines")}
    sections = {s.id: s for s in shipped_ledger.agreement.sections}
    chapters = {c.id: c.title for c in shipped_ledger.agreement.chapters}
    initiatives = {i.id: i.title for i in shipped_ledger.agreement.initiatives}
    for r in rows:
        ln = lines[r["line_id"]]
        assert r["line_title"] == ln["title"]
        assert r["kind"] == ln["kind"] and r["kind_title"] == {"drift": "Drift", "anlaeg": "Anlæg"}[ln["kind"]]
        assert r["body_id"] == ln["committee_id"] and r["body_name"] == ln["committee"]
        assert r["section_id"] == ln["section"]
        assert r["section_title"] == sections[ln["section"]].title
        assert r["chapter_id"] == sections[ln["section"]].chapter
        assert r["chapter_title"] == chapters[r["chapter_id"]]
        assert r["initiative_id"] == ln["initiative"]
        assert r["initiative_title"] == (initiatives[ln["initiative"]] if ln["initiative"] else None)
        assert r["line_label"] == (ln["label"] or None)
    # the general part's rows belong to no body: an empty cell, read back as missing
    assert any(r["body_id"] is None for r in rows)


def test_the_totals_per_year_and_kind_equal_budget_totals(rows: list[dict[str, Any]]) -> None:
    totals = cli_json("totals")
    acc: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: {"expansions": 0, "savings": 0, "net": 0})
    for r in rows:
        cell = acc[(r["year"], r["kind"])]
        cell["expansions" if r["amount"] > 0 else "savings"] += r["amount"]
        cell["net"] += r["amount"]
    expected = {(y["year"], k): v for y in totals["years"] for k, v in y["kinds"].items()}
    assert dict(acc) == expected
    assert acc[(2025, "drift")] == {"expansions": 96025, "savings": -104800, "net": -8775}


def test_another_agreement_file_is_exported_too(tmp_path: Path) -> None:
    mini = FIXTURES / "mini.yaml"
    out = tmp_path / "mini"
    assert run("export", "fdp", str(out), "--file", str(mini)).exit_code == 0
    assert validate(str(out / "datapackage.json")).valid
    (resource,) = Package(str(out / "datapackage.json")).resources
    got = {(r["line_id"], r["year"]): r["amount"] for r in resource.read_rows()}
    assert got == {(ln["id"], int(y)): a for ln in cli_json("lines", file=mini) for y, a in ln["amounts"].items()}


# ----------------------------------------------------------------------------- writing the folder


def test_an_existing_folder_is_not_overwritten_without_force(tmp_path: Path) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("export", "fdp", str(out), "--file", str(SHIPPED))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]

    result = run("export", "fdp", str(out), "--force", "--file", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["data", "datapackage.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder is left


def test_a_file_in_the_way_is_not_replaced_even_with_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("mine")
    for extra in ([], ["--force"]):
        result = run("export", "fdp", str(out), *extra, "--file", str(SHIPPED))
        assert result.exit_code == 2
        assert out.read_text() == "mine"


def test_a_missing_parent_folder_is_an_error(tmp_path: Path) -> None:
    result = run("export", "fdp", str(tmp_path / "no" / "such"), "--file", str(SHIPPED))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_a_failed_export_leaves_the_previous_folder_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    out = tmp_path / "out"
    assert run("export", "fdp", str(out), "--file", str(SHIPPED)).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    import budget2024.render.fdp as writer

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "json", SimpleNamespace(dump=broken))  # only the writer's json
    result = run("export", "fdp", str(out), "--force", "--file", str(SHIPPED))
    assert result.exit_code == 74  # the output could not be written, as for --output and stdout
    assert "No space left on device" in result.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_export_is_reproducible_with_source_date_epoch(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("export", "fdp", str(a), "--file", str(SHIPPED)).exit_code == 0
    assert run("export", "fdp", str(b), "--file", str(SHIPPED)).exit_code == 0
    for name in ("datapackage.json", "data/budget.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_json_format_summarises_what_was_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("export", "fdp", str(out), "--format", "json", "--file", str(SHIPPED))
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["resources"] == [{"name": "budget", "path": str(out / "data" / "budget.csv"), "rows": 303}]


def test_help_has_an_example() -> None:
    for args in (["export", "--help"], ["export", "fdp", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0
        assert "budget export fdp" in result.stdout


def test_a_real_subprocess_writes_a_valid_package(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([budget_executable(), "export", "fdp", str(out)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "303 rows" in proc.stderr
    assert validate(str(out / "datapackage.json")).valid
    again = subprocess.run([budget_executable(), "export", "fdp", str(out)], capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=120)
    assert again.returncode == 2 and "already exists" in again.stderr


# ----------------------------------------------------------------------------- the README's analysis code


def _readme_block(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- test: {marker} -->\s*```python\n(.*?)```", text, re.S)
    assert m, f"README has no python block marked {marker}"
    return m.group(1)


@pytest.mark.parametrize("marker", ["fdp-pandas", "fdp-duckdb"])
def test_the_readme_analysis_code_runs_on_the_package(marker: str, package_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas" if marker == "fdp-pandas" else "duckdb")
    monkeypatch.chdir(package_dir.parent)
    code = _readme_block(marker)
    namespace: dict[str, Any] = {}
    exec(compile(code, f"README.md:{marker}", "exec"), namespace)  # noqa: S102 - the README's own example
    printed = capsys.readouterr().out
    # the net per year and kind, in 1.000 kr., as `budget totals` has them
    totals = cli_json("totals")
    for y in totals["years"]:
        for kind, cell in y["kinds"].items():
            assert re.search(rf"{y['year']}\s+{kind}\s+{cell['net']}\b", printed), (y["year"], kind, printed)


def test_the_readme_example_is_what_the_tool_writes(package_dir: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"```\n\$ budget export fdp ballerup\n(.*?)\n\$ head -2 ballerup/data/budget.csv\n(.*?)```", text, re.S)
    assert m
    assert m.group(1) == "wrote ballerup: datapackage.json and data/budget.csv (303 rows)"
    csv_head = "".join((package_dir / "data" / "budget.csv").read_text(encoding="utf-8").splitlines(True)[:2])
    assert m.group(2) == csv_head


# ----------------------------------------------------------------------------- the follow-up phases

FOLLOWUP = FIXTURES / "followup" / "shipped-kmu.yaml"


def test_followup_adds_the_adjusted_and_executed_phases(tmp_path: Path) -> None:
    out = tmp_path / "fu"
    result = run("export", "fdp", str(out), "--followup", str(FOLLOWUP), "--file", str(SHIPPED))
    assert result.exit_code == 0, result.output
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    (resource,) = Package(str(out / "datapackage.json")).resources
    rows = [dict(r) for r in resource.read_rows()]
    money = cli_json("followup", "--followup", str(FOLLOWUP))
    year = money["year"]
    by_phase: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in rows:
        by_phase[r["phase"]][r["line_id"], r["year"]] = r
    # approved: the agreement, as without --followup
    lines = cli_json("lines")
    assert {k: v["amount"] for k, v in by_phase["approved"].items()} == {
        (ln["id"], int(y)): a for ln in lines for y, a in ln["amounts"].items()}
    # adjusted: the corrected budget of the follow-up year, executed: the actuals, as `budget followup` has them
    assert {k: v["amount"] for k, v in by_phase["adjusted"].items()} == {
        (m["id"], year): m["corrected"] for m in money["rows"]}
    assert {k: (v["amount"], v["as_of"].isoformat()) for k, v in by_phase["executed"].items()} == {
        (m["id"], year): (m["actuals"], m["actuals_as_of"]) for m in money["rows"] if m["actuals"] is not None}
    assert by_phase["executed"]
    assert all(r["as_of"] is None for r in rows if r["phase"] != "executed")
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert "phase" not in descriptor["model"]["measures"]["amount"]  # the phase is a column of its own
    (res,) = descriptor["resources"]
    phase = next(f for f in res["schema"]["fields"] if f["name"] == "phase")
    assert phase["constraints"]["enum"] == ["approved", "adjusted", "executed"]


def test_as_of_leaves_out_later_entries(tmp_path: Path) -> None:
    out = tmp_path / "early"
    assert run("export", "fdp", str(out), "--followup", str(FOLLOWUP), "--as-of", "2024-01-31",
               "--file", str(SHIPPED)).exit_code == 0
    (resource,) = Package(str(out / "datapackage.json")).resources
    phases = {r["phase"] for r in resource.read_rows()}
    assert "executed" not in phases  # the actuals are dated 2024-06-30
    bad = run("export", "fdp", str(tmp_path / "x"), "--as-of", "2024-01-31", "--file", str(SHIPPED))
    assert bad.exit_code == 2 and "--followup" in bad.stderr
