"""What the tables show, drawn through the CLI: cells that say the same thing say it the same way."""

from __future__ import annotations

import re

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


def test_the_missing_figures_list_indents_its_continuation_lines() -> None:
    res = runner.invoke(app, ["check-strategy", "--file", str(SHIPPED)], env={"COLUMNS": "60", "NO_COLOR": "1"})
    block = res.stdout.split("Missing figures", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert len(block) > 9  # some entries are continued at 60 columns
    assert all(line.startswith("  ") for line in block), block
    assert all(line.startswith("    ") for line in block if ":" not in line.split()[0])


def test_a_narrow_reconcile_breaks_ids_after_a_hyphen_and_never_before_a_year() -> None:
    for columns in (40, 50, 60):
        res = runner.invoke(app, ["reconcile", "--file", str(SHIPPED)], env={"COLUMNS": str(columns),
                                                                             "NO_COLOR": "1"})
        first = [line.split() for line in res.stdout.splitlines()]
        continued = [words[0] for words in first if words and re.fullmatch(r"-\d{4}(-\d{4})?", words[0])]
        assert not continued, (columns, continued)  # never '-2024' on a line of its own
        assert any(words[:1] == ["tax-2024"] for words in first), columns  # property- / tax-2024


def test_an_id_is_split_only_into_parts_that_join_back() -> None:
    from budget2024.render import wrap_id

    for text in ("property-tax-2024", "demographic-adjustment-2024", "property-tax-2025-2027", "a--b", "-x"):
        for width in range(1, 30):
            lines = wrap_id(text, width)
            assert "".join(lines) == text
            assert not any(line[:1] == "-" and line[1:5].isdigit() for line in lines[1:])
