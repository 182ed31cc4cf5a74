"""The core commands (validate, totals, lines) through the CLI, in all their formats."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import ROOT, budget_executable

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return runner.invoke(app, list(args), env=env)


# ------------------------------------------------------------------ validate


def test_validate_summarises_the_fixture(mini: Path) -> None:
    res = run("validate", "--file", str(mini))
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == "ok: 3 initiatives, 5 appendix rows (3 drift, 2 anlæg), years 2030–2032"


def test_validate_json(mini: Path) -> None:
    res = run("validate", "-f", str(mini), "--format", "json")
    data = json.loads(res.stdout)
    assert data["ok"] is True
    assert data["lines_per_kind"] == {"drift": 3, "anlaeg": 2}
    assert data["years"] == [2030, 2031, 2032]


def test_validate_reports_errors_with_location_and_exit_2(mini: Path) -> None:
    text = mini.read_text(encoding="utf-8").replace("amounts: {2031: 4250}", "amounts: {2031: 4.250}")
    mini.write_text(text, encoding="utf-8")
    line_no = next(i for i, ln in enumerate(text.splitlines(), 1) if "4.250}" in ln)
    res = run("validate", "-f", str(mini))
    assert res.exit_code == 2
    assert res.stdout == ""
    assert f"{mini}:{line_no}:" in res.stderr
    assert "Danish thousands points are not allowed" in res.stderr
    assert "write 4250" in res.stderr
    assert "Traceback" not in res.stderr


def test_validate_shipped_agreement() -> None:
    res = run("validate")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith("ok: ")
    assert "121 appendix rows (59 drift, 62 anlæg), years 2024–2027" in res.stdout


# ------------------------------------------------------------------ totals


def test_totals_json_for_a_year_has_exactly_the_documented_shape(mini: Path) -> None:
    res = run("totals", "--year", "2031", "--format", "json", "-f", str(mini))
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == {
        "year": 2031,
        "unit": "1000 DKK",
        "kinds": {
            "drift": {"expansions": 300, "savings": -1000, "net": -700},
            "anlaeg": {"expansions": 4250, "savings": 0, "net": 4250},
        },
        "net": 3550,
    }


def test_totals_json_all_years(mini: Path) -> None:
    data = json.loads(run("totals", "--format", "json", "-f", str(mini)).stdout)
    assert [y["year"] for y in data["years"]] == [2030, 2031, 2032]
    y2032 = data["years"][2]
    assert y2032["kinds"]["anlaeg"] == {"expansions": 0, "savings": -500, "net": -500}
    assert y2032["net"] == -1500


def test_totals_kind_filter(mini: Path) -> None:
    data = json.loads(run("totals", "--year", "2030", "--kind", "drift", "--format", "json", "-f", str(mini)).stdout)
    assert list(data["kinds"]) == ["drift"]
    assert data["kinds"]["drift"] == {"expansions": 850, "savings": -1000, "net": -150}
    assert data["net"] == -150


def test_totals_csv(mini: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("totals", "--format", "csv", "-f", str(mini)).stdout)))
    by = {(r["year"], r["kind"]): r for r in rows}
    assert by[("2030", "drift")]["expansions"] == "850"
    assert by[("2030", "drift")]["savings"] == "-1000"
    assert by[("2030", "total")]["net"] == "1850"
    assert len(rows) == 3 * 3


def test_totals_table_is_danish_plain_and_states_the_unit(mini: Path) -> None:
    res = run("totals", "--year", "2031", "-f", str(mini))
    assert res.exit_code == 0
    out = res.stdout
    assert "1.000 kr." in out.splitlines()[0]
    assert "4.250" in out and "-1.000" in out and "3.550" in out
    assert "\x1b[" not in out  # no colour codes when not on a terminal


def test_totals_unknown_year_is_invalid_input(mini: Path) -> None:
    res = run("totals", "--year", "2040", "-f", str(mini))
    assert res.exit_code == 2
    assert "2040" in res.stderr and "2030, 2031, 2032" in res.stderr


def test_totals_of_the_shipped_agreement_2025() -> None:
    data = json.loads(run("totals", "--year", "2025", "--format", "json").stdout)
    # Sums of the appendix's 2025 column, drift and anlæg, as read from the agreement.
    assert data["kinds"]["drift"] == {"expansions": 96025, "savings": -104800, "net": -8775}
    assert data["kinds"]["anlaeg"] == {"expansions": 253300, "savings": -49500, "net": 203800}
    assert data["net"] == 195025


# ------------------------------------------------------------------ lines


def test_lines_json_elements(mini: Path) -> None:
    data = json.loads(run("lines", "--format", "json", "-f", str(mini)).stdout)
    assert [d["id"] for d in data] == ["d-park", "d-save", "a-roof", "a-park", "d-reserve"]
    park = data[0]
    assert park["kind"] == "drift"
    assert park["section"] == "1.2"
    assert park["title"] == "Ny park"
    assert park["initiative"] == "park"
    assert park["committee"] == "Grønt Udvalg"
    assert park["amounts"] == {"2030": 150, "2031": 300}
    roof = data[2]
    assert roof["kind"] == "anlaeg" and roof["amounts"] == {"2031": 4250}
    assert roof["committee"] == "Skoleudvalget"  # from the section, as the initiative names no body
    reserve = data[4]
    assert reserve["initiative"] is None and reserve["committee"] is None and reserve["section"] == "general"


def test_lines_kind_and_csv(mini: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("lines", "--kind", "anlaeg", "--format", "csv", "-f", str(mini)).stdout)))
    assert [r["id"] for r in rows] == ["a-roof", "a-park"]
    assert rows[1]["2030"] == "2000" and rows[1]["2031"] == "" and rows[1]["2032"] == "-500"
    assert rows[1]["total"] == "1500"


def test_lines_table_wraps_titles_within_80_columns(mini: Path) -> None:
    res = run("lines", "-f", str(mini), env={"COLUMNS": "80"})
    assert res.exit_code == 0
    assert all(len(line) <= 80 for line in res.stdout.splitlines())
    assert "Besparelse på" in res.stdout and "-1.000" in res.stdout


def test_shipped_lines_json_has_every_row() -> None:
    data = json.loads(run("lines", "--format", "json").stdout)
    assert len(data) == 121
    borger = next(d for d in data if d["title"].startswith("Borgermillionen"))
    assert borger["committee"] == "Klima- og Miljøudvalget"
    assert borger["amounts"] == {"2024": 1000, "2025": 1000, "2026": 1000, "2027": 1000}


# ------------------------------------------------------------------ --file and BUDGET_FILE


def test_budget_file_env_and_flag_precedence(mini: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(mini.read_text(encoding="utf-8").replace("Testby Kommune", "Andenby Kommune"), encoding="utf-8")
    env_only = json.loads(run("validate", "--format", "json", env={"BUDGET_FILE": str(other)}).stdout)
    assert env_only["municipality"] == "Andenby Kommune"
    both = json.loads(run("validate", "--format", "json", "-f", str(mini), env={"BUDGET_FILE": str(other)}).stdout)
    assert both["municipality"] == "Testby Kommune"


# ------------------------------------------------------------------ help


@pytest.mark.parametrize("command", ["validate", "totals", "lines"])
def test_help_has_an_example(command: str) -> None:
    res = run(command, "--help")
    assert res.exit_code == 0
    assert "budget " + command in res.stdout


# ------------------------------------------------------------------ the installed console script


def test_installed_budget_runs_from_any_directory(tmp_path: Path) -> None:
    """A real subprocess of the installed `budget`, outside the source tree, so that the shipped
    agreement must come from the installed package."""
    exe = budget_executable()
    env = {k: v for k, v in os.environ.items() if k != "BUDGET_FILE"}
    env["PYTHONPATH"] = ""
    res = subprocess.run([exe, "totals", "--year", "2025", "--format", "json"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["net"] == 195025
    piped = subprocess.run([exe, "totals", "--year", "2025"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0
    assert "\x1b[" not in piped.stdout and "-104.800" in piped.stdout
    bad = subprocess.run([exe, "validate", "--file", str(tmp_path / "missing.yaml")], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "file not found" in bad.stderr and bad.stdout == ""
    assert not (ROOT / "missing.yaml").exists()


def test_tables_print_brackets_in_titles_as_written(mini: Path) -> None:
    """Cells are plain text: a title with [brackets] is not read as rich markup and lost."""
    text = mini.read_text(encoding="utf-8").replace("title: Ny park", "title: Ny park [bold]etape 1[/bold]")
    text = text.replace('raw: "1.2 Ny park 150 300  "', 'raw: "1.2 Ny park [bold]etape 1[/bold] 150 300  "')
    mini.write_text(text, encoding="utf-8")
    res = run("lines", "-f", str(mini))
    assert res.exit_code == 0, res.stderr
    assert "[bold]etape 1[/bold]" in res.stdout
