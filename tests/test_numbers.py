"""Numbers YAML reads in surprising ways, and the hints for people that go with them.

Octal (0200), sexagesimal (3:20), hexadecimal (0xC8), binary, underscored (2_00) and plus-signed
(+200) whole numbers are refused with a hint that says what YAML read; every whole number is
bounded (above 10^12 is a typing error): in the agreement (prose amounts, key figures, years) and
in figures overlays, located, exit 2, through both readers. Hints keep the sign of a Unicode
minus, fit the figure's unit, and are written in words.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024 import fastyaml
from budget2024.cli import app
from budget2024.errors import LoadError
from budget2024.figures import load_overlay
from budget2024.load import load
from budget2024.yamlsource import parse

from .conftest import FIXTURES, budget_executable

runner = CliRunner()
STRATEGY = FIXTURES / "strategy" / "agreement.yaml"


@pytest.mark.parametrize(("text", "value", "hint"), [
    ("0200", 128, "0200 reads as the octal number 128; write 200"),
    ("-0200", -128, "write -200"),
    ("3:20", 200, "3:20 reads as the sexagesimal (base 60) number 200"),
    ("0xC8", 200, "0xC8 reads as the hexadecimal number 200; write 200"),
    ("0b11", 3, "0b11 reads as the binary number 3"),
    ("2_00", 200, "2_00 reads as 200 (YAML drops the underscores); write 200"),
    ("+200", 200, "write 200 without the plus sign"),
])
def test_surprising_forms_of_whole_numbers_are_refused_with_what_yaml_read(text: str, value: int, hint: str) -> None:
    for doc in (f"a: {text}\n", f"a: {{{text}: 1}}\n", f"a: [{text}]\n"):
        with pytest.raises(fastyaml.Decline):  # the fast reader steps aside ...
            fastyaml.parse(doc)
        with pytest.raises(LoadError) as info:  # ... and the full reader refuses it, located
            parse(doc, "x.yaml")
        (p,) = info.value.problems
        assert p.line == 1 and p.column > 1
        assert hint in (p.hint or ""), p


@pytest.mark.parametrize("text", ["0", "-1", "200", "-1180", "2024", str(10**12), str(-(10**12))])
def test_plain_whole_numbers_are_read(text: str) -> None:
    assert parse(f"a: {text}\n", "x.yaml").data == {"a": int(text)}
    assert fastyaml.parse(f"a: {text}\n") == {"a": int(text)}


def _agreement_with(tmp_path: Path, old: str, new: str) -> Path:
    text = STRATEGY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "agreement.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("digits", [14, 313, 4299, 5000])
def test_a_huge_key_figure_is_bad_input_located(tmp_path: Path, digits: int) -> None:
    path = _agreement_with(tmp_path, "values: {2030: 100000}", "values: {2030: 1" + "0" * (digits - 1) + "}")
    for command in (["validate"], ["check-strategy"], ["check-strategy", "--format", "json"]):
        res = runner.invoke(app, ["--no-cache", *command, "--file", str(path)])
        assert res.exit_code == 2, (command, res.stderr)
        assert f"{path}:160:" in res.stderr


@pytest.mark.parametrize("digits", [14, 313, 4299])
def test_a_huge_overlay_value_is_bad_input_located(tmp_path: Path, digits: int) -> None:
    overlay = tmp_path / "figures.yaml"
    overlay.write_text("key_figures:\n  service_frame: {2030: 1" + "0" * (digits - 1) + "}\n", encoding="utf-8")
    res = runner.invoke(app, ["--no-cache", "check-strategy", "--file", str(STRATEGY), "--figures", str(overlay)])
    assert res.exit_code == 2, res.stderr
    assert f"{overlay}:2:" in res.stderr and "too large" in res.stderr


def test_a_huge_overlay_value_through_a_real_process(tmp_path: Path) -> None:
    overlay = tmp_path / "figures.yaml"
    overlay.write_text("key_figures:\n  service_frame: {2030: 1" + "0" * 312 + "}\n", encoding="utf-8")
    res = subprocess.run([budget_executable(), "check-strategy", "--file", str(STRATEGY), "--figures", str(overlay)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and f"{overlay}:2:" in res.stderr


def test_a_surprising_prose_amount_is_refused(tmp_path: Path) -> None:
    src = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    assert "amounts: {2030: 200}" in src
    path = tmp_path / "a.yaml"
    path.write_text(src.replace("amounts: {2030: 200}", "amounts: {2030: 0200}", 1), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load(path)
    assert any("octal number 128; write 200" in (p.hint or "") for p in info.value.problems)


def test_an_overlay_with_an_octal_figure_is_refused(tmp_path: Path) -> None:
    overlay = tmp_path / "figures.yaml"
    overlay.write_text("key_figures:\n  service_frame: {2030: 0200}\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_overlay(overlay)
    (p,) = info.value.problems
    assert (p.line, p.column) == (2, 25) and "write 200" in (p.hint or "")


# ----------------------------------------------------------------------------- hints


def test_a_unicode_minus_keeps_its_sign_in_the_hint(tmp_path: Path) -> None:
    src = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(src.replace("{2030: -1000, 2031: -1000, 2032: -1000}", "{2030: \u22121000, 2031: -1000, 2032: -1000}",
                                1), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load(path)
    (p,) = [p for p in info.value.problems if "amount" in p.message]
    assert "write -1000" in (p.hint or "")
    assert "is written 1000" not in (p.hint or "")


def test_overlay_hints_fit_the_unit_and_use_words(tmp_path: Path) -> None:
    overlay = tmp_path / "figures.yaml"
    overlay.write_text('key_figures:\n  population: {2024: "51237", True: 5, null: 3}\n'
                       '  debt: {2024: "\u22125000", 2025: {}}\n', encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_overlay(overlay)
    text = "\n".join(p.format() for p in info.value.problems)
    population = next(p for p in info.value.problems if p.path == "key_figures.population[2024]")
    assert "1.000 kr." not in (population.hint or "") and "persons" in (population.hint or "")
    assert "True" not in text.replace("'True'", "") and "None" not in text
    assert "a empty" not in text
    debt = next(p for p in info.value.problems if p.path == "key_figures.debt[2024]")
    assert "write -5000" in (debt.hint or "")


def test_the_message_for_an_empty_overlay_value_has_its_article(tmp_path: Path) -> None:
    overlay = tmp_path / "figures.yaml"
    overlay.write_text("key_figures:\n  debt:\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_overlay(overlay)
    assert "not an empty value" in info.value.problems[0].message


def test_nfc_and_nfd_names_are_the_same_name(tmp_path: Path) -> None:
    src = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    marker = "bodies:\n"
    assert marker in src
    path = tmp_path / "a.yaml"
    path.write_text(src.replace(marker, marker + "  - {id: aaben1, name: \u00c5ben Udvalg, committee: true}\n"
                                "  - {id: aaben2, name: A\u030aben Udvalg, committee: true}\n", 1), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load(path)
    (p,) = info.value.problems
    assert p.path == "bodies[1].name" and "Unicode normalisation" in p.message
