"""The README's "When the file is wrong" shows real messages: each is reproduced here by making
the mistake it describes in a copy of the shipped agreement.

Line numbers and list indices are compared loosely (the data file grows); everything else,
including the columns, must be exactly what budget prints."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import ROOT, SHIPPED

runner = CliRunner()


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("<!-- section: robustness -->", 1)[1].split("<!-- /section: robustness -->", 1)[0]


def examples() -> list[str]:
    return re.findall(r"```\n\$ budget validate\n(.*?)```", section(), re.S)


def amount_before_raw(raw: str, old: str, new: str) -> Callable[[str], bytes]:
    """Change an amount on the line before the row whose raw text is ``raw``."""

    def mutate(text: str) -> bytes:
        lines = text.split("\n")
        i = lines.index(f'    raw: "{raw}"')
        assert lines[i - 1].startswith("    amounts: ") and old in lines[i - 1]
        lines[i - 1] = lines[i - 1].replace(old, new, 1)
        return "\n".join(lines).encode("utf-8")

    return mutate


MISTAKES: list[Callable[[str], bytes]] = [
    amount_before_raw("3.4.1 Oprette flere specialklasser/gruppeordninger  -500 -1.000 -1.000 ", "2026: -1000",
                      "2026: -1.000"),
    amount_before_raw("1.3.1 Løft af ældreområdet 3.000 3.000 3.000 3.000 ", "2025: 3000", "2025: 3500"),
    lambda text: text.encode("cp1252"),
]


def loose(text: str) -> str:
    text = re.sub(r"^(data/agreement\.yaml):\d+:", r"\1:N:", text, flags=re.M)
    return re.sub(r"\b(lines|initiatives)\[\d+\]", r"\1[i]", text)


def test_the_section_has_three_examples() -> None:
    assert len(examples()) == len(MISTAKES) == 3


@pytest.mark.parametrize("n", range(len(MISTAKES)))
def test_the_readme_message_is_what_budget_prints(n: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "agreement.yaml").write_bytes(MISTAKES[n](SHIPPED.read_text(encoding="utf-8")))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"], env={"BUDGET_FILE": "data/agreement.yaml"})
    assert result.exit_code == 2
    assert loose(result.stderr) == loose(examples()[n])
