"""A reference written as a name, an alias or a title says which id is meant; a role written in
Danish says which English value the file takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import SHIPPED

runner = CliRunner()


def problems(text: str, tmp_path: Path) -> str:
    f = tmp_path / "agreement.yaml"
    f.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--file", str(f)])
    assert result.exit_code == 2, result.stdout
    return result.stderr


FIRST_BODY = "{body: klima-miljoe, role: responsible"


@pytest.mark.parametrize(("written", "word"), [("KMU", "alias"), ('"Klima- og Miljøudvalget"', "name"),
                                               ("klima- og miljøudvalget", "name")])
def test_a_body_by_its_alias_or_name(written: str, word: str, tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace(FIRST_BODY, "{body: " + written + ", role: responsible", 1)
    err = problems(text, tmp_path)
    shown = written.strip('"')
    assert f"hint: '{shown}' is the {word} of klima-miljoe; write klima-miljoe" in err
    assert err.count("error:") == 1


def test_an_initiative_or_a_section_by_its_title(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    i = text.index("    initiative: ", text.index("\nlines:"))
    end = text.index("\n", i)
    ini_id = text[i + len("    initiative: "):end].strip().strip('"')
    title_at = max(text.find(f"  - id: {ini_id}\n"), text.find(f'  - id: "{ini_id}"\n'))
    t0 = text.index("    title: ", title_at) + len("    title: ")
    title = text[t0:text.index("\n", t0)].strip().strip('"')
    changed = text[:i] + f'    initiative: "{title}"' + text[end:]
    assert f"'{title}' is the title of {ini_id}; write {ini_id}" in problems(changed, tmp_path)
    section = text.replace("    section: \"4.3.1\"\n", "    section: Klima generelt\n", 1)
    assert "'Klima generelt' is the title of 4.3.1; write 4.3.1" in problems(section, tmp_path)


@pytest.mark.parametrize(("danish", "english"), [("ansvarlig", "responsible"), ("involveret", "involved"),
                                                 ("Inddraget", "involved")])
def test_a_role_in_danish(danish: str, english: str, tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace(FIRST_BODY, "{body: klima-miljoe, role: " + danish, 1)
    assert f"'{danish}' is {english}" in problems(text, tmp_path)
