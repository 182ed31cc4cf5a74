"""`budget schema`: JSON Schemas generated from the pydantic models, kept in schemas/, named by
the shipped file's modeline, and checked here with the `jsonschema` library."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.schemas import KINDS, dumps, file_name

from .conftest import FIXTURES, ROOT, SHIPPED, budget_executable

runner = CliRunner()
SCHEMAS = ROOT / "schemas"
CATALOGUE = Path(__file__).resolve().parent / "catalogue"

#: The catalogue's bad cases that a JSON Schema can see: wrong types, unknown or missing keys,
#: ids that break the pattern, values outside an enum, a row linked to both or neither. The
#: others are YAML errors (the file is not data at all) or whole-document checks (duplicate ids,
#: references, years outside the agreement, the raw appendix text), which only `budget validate`
#: makes.
SCHEMA_ERRORS = [
    "unknown-key-typo-of-required.yaml", "unknown-key.yaml", "unknown-key-agreement.yaml", "float-amount.yaml",
    "danish-thousands.yaml", "quoted-amount-with-unit.yaml", "quoted-amount.yaml", "boolean-amount.yaml",
    "danish-decimal-amount.yaml", "danish-decimal-in-flow-mapping.yaml", "line-not-linked.yaml",
    "line-linked-twice.yaml", "missing-key.yaml", "missing-top-level-key.yaml", "amounts-as-list.yaml",
    "amount-as-list.yaml", "empty-value.yaml", "bad-kind.yaml", "invalid-id.yaml", "label-not-quoted.yaml",
    "date-in-words.yaml", "list-is-a-number.yaml", "document-is-a-list.yaml", "document-is-text.yaml",
    "three-mistakes.yaml",
]
VALID = ["valid.yaml", "valid-bom.yaml", "valid-crlf.yaml", "valid-bom-crlf.yaml", "valid-strategy.yaml"]


def as_json(value: Any) -> Any:
    """YAML data as an editor's YAML language server hands it to the schema: keys and dates as text."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / file_name(kind)).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(kind: str, path: Path) -> list[Any]:
    data = yaml.safe_load(path.read_bytes())
    return list(validator(kind).iter_errors(as_json(data)))


# ----------------------------------------------------------------------------- the folder


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_kept_schema_is_not_stale(kind: str) -> None:
    kept = (SCHEMAS / file_name(kind)).read_text(encoding="utf-8")
    assert kept == dumps(kind), f"schemas/{file_name(kind)} is stale: run `budget schema {kind} > schemas/{file_name(kind)}`"


def test_the_folder_holds_one_schema_per_kind() -> None:
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(file_name(k) for k in KINDS)


def test_the_shipped_file_names_its_schema_in_its_first_line() -> None:
    first = SHIPPED.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == "# yaml-language-server: $schema=../schemas/agreement.schema.json"
    target = (SHIPPED.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (SCHEMAS / "agreement.schema.json").resolve() and target.is_file()


# ----------------------------------------------------------------------------- the command


def test_schema_prints_the_kept_file() -> None:
    for kind in KINDS:
        result = runner.invoke(app, ["schema", kind])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == (SCHEMAS / file_name(kind)).read_text(encoding="utf-8")
    assert runner.invoke(app, ["schema"]).stdout == dumps("agreement")  # agreement is the default


def test_schema_has_every_fields_description() -> None:
    schema = json.loads(dumps("agreement"))
    line = schema["$defs"]["Line"]["properties"]
    assert all(p.get("description") for p in line.values()), [k for k, p in line.items() if not p.get("description")]
    for name, model in schema["$defs"].items():
        for field, prop in model.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field} has no description"
    assert all(p.get("description") for p in schema["properties"].values())


def test_schema_of_an_unknown_kind_exits_2() -> None:
    result = runner.invoke(app, ["schema", "agreemnt"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "agreement" in result.stderr  # did you mean


def test_schema_in_a_real_process() -> None:
    done = subprocess.run([budget_executable(), "schema", "figures"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["properties"]["key_figures"]["description"]


# ----------------------------------------------------------------------------- validating with jsonschema


def test_the_shipped_file_passes_its_schema() -> None:
    assert errors("agreement", SHIPPED) == []


@pytest.mark.parametrize("case", VALID)
def test_the_catalogues_valid_files_pass(case: str) -> None:
    assert errors("agreement", CATALOGUE / case) == []


@pytest.mark.parametrize("case", SCHEMA_ERRORS)
def test_each_schema_error_of_the_catalogue_fails(case: str) -> None:
    rows = [ln.split("\t") for ln in (CATALOGUE / "cases.tsv").read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")]
    assert any(r[0] == case and r[1] == "2" for r in rows)  # a bad case of the catalogue
    assert errors("agreement", CATALOGUE / case), f"{case} passes the schema"


def test_a_figures_file_passes_and_a_bad_one_fails(tmp_path: Path) -> None:
    assert errors("figures", FIXTURES / "strategy" / "pass.yaml") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("key_figures:\n  operating_surplus: {2024: 1.5}\n  populaton: {2024: 5}\n", encoding="utf-8")
    assert len(errors("figures", bad)) == 2


def test_a_rows_overlay_passes_the_figures_schema() -> None:
    """An overlay that names the rows of the reprioritisation contribution is a figures file too."""
    assert errors("figures", FIXTURES / "strategy" / "shipped-rows.yaml") == []


@pytest.mark.parametrize("name", ["klima.yaml", "finance.yaml", "shipped-kmu.yaml"])
def test_the_followup_fixtures_pass_the_followup_schema(name: str) -> None:
    assert errors("followup", FIXTURES / "followup" / name) == []


@pytest.mark.parametrize("task", ["priorty: 1", "status: [{date: 2024-03-12, state: finished}]",
                                  "plan: {Q5: Puljen annonceres}"])
def test_a_bad_followup_file_fails_its_schema(task: str, tmp_path: Path) -> None:
    """A misspelt key, an unknown state and a quarter that does not exist each fail."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nagreement: {municipality: X, title: Y}\nyear: 2024\n"
                   f"tasks:\n  a:\n    {task}\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text("schema_version: 1\nagreement: {municipality: X, title: Y}\nyear: 2024\n"
                    "tasks:\n  a:\n    priority: 1\n", encoding="utf-8")
    assert errors("followup", good) == []
    assert errors("followup", bad)
