"""What the tables show, drawn through the CLI: cells that say the same thing say it the same way."""

from __future__ import annotations

from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import FIXTURES, SHIPPED

runner = CliRunner()


def table(*args: str) -> str:
    res = runner.invoke(app, [*args], env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    return res.stdout


def corrected_rows(out: str) -> dict[str, list[str]]:
    block = out.split("Corrected budget", 1)[1]
    return {line.split()[0]: line.split()[1:] for line in block.splitlines()[3:7] if line.split()}


def test_of_which_added_is_a_dash_in_the_total_when_no_row_was_added() -> None:
    rows = corrected_rows(table("totals", "--file", str(SHIPPED), "--followup",
                                str(FIXTURES / "followup" / "shipped-kmu.yaml")))
    assert rows["Drift"][-1] == rows["Anlæg"][-1] == "–"
    assert rows["Total"][-1] == "–"


def test_of_which_added_is_summed_in_the_total_when_rows_were_added() -> None:
    rows = corrected_rows(table("totals", "--file", str(FIXTURES / "committee.yaml"), "--followup",
                                str(FIXTURES / "followup" / "finance.yaml")))
    assert rows["Drift"][-1] == "75" and rows["Anlæg"][-1] == "–"
    assert rows["Total"][-1] == "75"
