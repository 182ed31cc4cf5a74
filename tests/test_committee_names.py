"""Finding a body by name: `budget committee NAME` and `budget list --committee NAME`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.ledger import Ledger
from budget2024.load import load
from budget2024.reports.committee import BodyNameError, fold_variants, resolve_body

from .conftest import FIXTURES

FIXTURE = FIXTURES / "committee.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger(load(FIXTURE))


def run(*args: str, file: Path = FIXTURE):
    return runner.invoke(app, [*args, "--file", str(file)])


@pytest.mark.parametrize(("name", "expected"), [
    # the exact name, and the id
    ("Økonomiudvalget", "oekonomi"),
    ("Klima- og Miljøudvalget", "klima"),
    ("boern", "boern"),
    ("admin", "admin"),
    # an alias, in any case
    ("KMU", "klima"),
    ("ØU", "oekonomi"),
    ("øu", "oekonomi"),
    # a unique prefix, in any case
    ("kul", "kultur"),
    ("KLIMA", "klima"),
    ("Administ", "admin"),
    # a unique substring
    ("skole", "boern"),
    ("miljø", "klima"),
    ("fritid", "kultur"),
    # without Danish letters: ø as o or oe, æ as ae, å as aa
    ("okonomi", "oekonomi"),
    ("oekonomi", "oekonomi"),
    ("OEKONOMIUDVALGET", "oekonomi"),
    ("borne", "boern"),
    ("boerne- og skole", "boern"),
    ("miljo", "klima"),
    # spaces and hyphens do not matter
    ("klima og miljø", "klima"),
    ("  klima  ", "klima"),
])
def test_resolve_body(ledger: Ledger, name: str, expected: str) -> None:
    assert resolve_body(ledger, name).id == expected


def test_exact_match_wins_over_prefix(shipped_ledger: Ledger) -> None:
    # "SU" is Socialudvalget's alias, and also the start of Sundheds- og Ældreudvalget's id and name
    assert resolve_body(shipped_ledger, "SU").id == "social"
    assert resolve_body(shipped_ledger, "sæu").id == "sundhed-aeldre"
    assert resolve_body(shipped_ledger, "saeu").id == "sundhed-aeldre"


def test_ambiguous_name_lists_the_matching_bodies(ledger: Ledger) -> None:
    with pytest.raises(BodyNameError) as exc:
        resolve_body(ledger, "udvalget")
    assert exc.value.ambiguous
    assert sorted(exc.value.candidates) == sorted(
        ["Økonomiudvalget", "Klima- og Miljøudvalget", "Børne- og Skoleudvalget", "Kultur- og Fritidsudvalget"])


def test_prefix_shared_by_two_bodies_is_ambiguous(ledger: Ledger) -> None:
    with pytest.raises(BodyNameError) as exc:
        resolve_body(ledger, "k")  # Klima- og Miljøudvalget, Kultur- og Fritidsudvalget
    assert sorted(exc.value.candidates) == ["Klima- og Miljøudvalget", "Kultur- og Fritidsudvalget"]


def test_unknown_name_suggests_the_closest(ledger: Ledger) -> None:
    with pytest.raises(BodyNameError) as exc:
        resolve_body(ledger, "klma")
    assert not exc.value.ambiguous
    assert exc.value.candidates[0] == "Klima- og Miljøudvalget"
    assert 1 <= len(exc.value.candidates) <= 3


def test_empty_name_is_an_error(ledger: Ledger) -> None:
    with pytest.raises(BodyNameError):
        resolve_body(ledger, "   ")


def test_fold_variants() -> None:
    assert {"oekonomi", "okonomi"} <= fold_variants("Økonomi")
    assert "aeldre" in fold_variants("Ældre")
    assert "aarhus" in fold_variants("Århus")
    assert fold_variants("Idéer") == {"ideer"}


# ----------------------------------------------------------------------------- through the CLI


@pytest.mark.parametrize("name", ["okonomi", "oekonomi", "ØU", "Økonomiudvalget", "okonomiudvalget"])
def test_cli_finds_the_committee(name: str) -> None:
    result = run("committee", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["committee"], data["id"]) == ("Økonomiudvalget", "oekonomi")


def test_cli_ambiguous_name_exits_2_with_the_names_on_stderr() -> None:
    result = run("committee", "udvalget")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "matches 4 bodies" in result.stderr
    for name in ("Økonomiudvalget", "Klima- og Miljøudvalget", "Børne- og Skoleudvalget", "Kultur- og Fritidsudvalget"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_unknown_name_exits_2_with_the_closest_names() -> None:
    result = run("committee", "klimaudvalg")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no committee or body matches 'klimaudvalg'" in result.stderr
    assert "closest: Klima- og Miljøudvalget" in result.stderr


def test_cli_list_resolves_the_committee_the_same_way() -> None:
    ok = run("list", "--committee", "okonomi", "--format", "json")
    assert ok.exit_code == 0, ok.stderr
    assert {r["id"] for r in json.loads(ok.stdout)} == {"joint", "nature-study"}
    bad = run("list", "--committee", "udvalget")
    assert bad.exit_code == 2
    assert "Kultur- og Fritidsudvalget" in bad.stderr
