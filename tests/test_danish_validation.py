"""Every message of reading and validating a file, in Danish: no English word in it.

Each case of both catalogues of bad inputs (tests/catalogue/cases.tsv, tests/catalogue_followup/
cases.tsv) is validated in Danish as the catalogues' own tests run it in English; then the YAML
parser's problems, counts of 1.000 and more, the models' own rules and bad figures overlays.
English output is the catalogues' tests' (they keep checking its fragments).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024 import i18n
from budget2024.cli import app
from budget2024.errors import MAX_FILE_BYTES

from .english import english_words
from .test_errors_catalogue import CASES as AGREEMENT_CASES
from .test_errors_catalogue import CATALOGUE, Case
from .test_followup_catalogue import AGREEMENT, followup_args
from .test_followup_catalogue import CASES as FOLLOWUP_CASES

runner = CliRunner()
SUMMARY_DA = ("fejl fundet; intet er ændret.",)
STRATEGY_AGREEMENT = Path(__file__).resolve().parent / "fixtures" / "strategy" / "agreement.yaml"


def _check_danish(result: object, case: Case) -> None:
    out = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == case.exit, out  # type: ignore[attr-defined]
    assert "Traceback" not in out
    assert english_words(out) == set(), out
    if case.exit == 2:
        assert out.rstrip().endswith(SUMMARY_DA), out
        assert ": fejl: " in out and "    forventet: " in out and "    tip: " in out, out


@pytest.mark.parametrize("case", AGREEMENT_CASES, ids=[c.file for c in AGREEMENT_CASES])
def test_every_agreement_case_in_danish(case: Case) -> None:
    result = runner.invoke(app, ["--lang", "da", "validate", "--file", str(case.path)])
    _check_danish(result, case)


@pytest.mark.parametrize("case", FOLLOWUP_CASES, ids=[c.file for c in FOLLOWUP_CASES])
def test_every_followup_case_in_danish(case: Case) -> None:
    result = runner.invoke(app, ["--lang", "da", "validate", "--file", str(AGREEMENT), *followup_args(case)])
    _check_danish(result, case)


#: One file for each kind of problem the YAML parser reports (its context and its problem).
YAML_KINDS = {
    "block-collection": "a:\n  - 1\n  b: 2\n",
    "block-mapping": "a: 1\n b: 2\n",
    "tab-after-key": "a:\n\tb: 1\n",
    "tab-in-value": "a: x\n b:\tc\n\td: 1\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "flow-sequence": "a: [1, 2\nb: 3\n",
    "flow-mapping": "a: {x: 1, y\n",
    "unclosed-quote": "a: \"abc\n",
    "unknown-escape": 'a: "\\q"\n',
    "bad-unicode-escape": 'a: "\\uZZZZ"\n',
    "bad-character": "a: @x\n",
    "undefined-alias": "a: *nope\n",
    "anchor-twice": "a: &x 1\nb: &x 2\n",
    "mapping-values": "a: b: c\n",
    "simple-key": "a: 1\n? b\nc\n",
    "directive": "%FOO\n---\na: 1\n",
    "yaml-version": "%YAML 2.0\n---\na: 1\n",
    "tag-handle": "a: !x!y 1\n",
    "indentation-indicator": "a: |0\n  x\n",
    "block-scalar-header": "a: |x\n  b\n",
    "document-indicator": "a: \"x\n---\ny\"\n",
    "anchor-name": "a: & 1\n",
    "alias-name": "a: *\n",
    "end-of-file": "a: [\n",
    "node-content": "- - \n- ]\n",
    "sequence-entry": "a: - 1\n",
    "tag-uri": "a: !<x\n",
    "tag-twice": "%TAG !x! tag:a\n%TAG !x! tag:b\n---\na: 1\n",
}


@pytest.mark.parametrize("text", YAML_KINDS.values(), ids=list(YAML_KINDS))
def test_every_kind_of_yaml_problem_in_danish(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    en = runner.invoke(app, ["--lang", "en", "validate", "--file", str(path)])
    assert da.exit_code == en.exit_code == 2
    da_head, en_head = da.stderr.splitlines()[0], en.stderr.splitlines()[0]
    assert da_head.startswith(f"{path}:") and ": fejl: ugyldig YAML: " in da_head, da.stderr
    assert ": error: invalid YAML: " in en_head
    assert english_words(da.stderr) == set(), da.stderr
    # the same place in both languages, and the parser's words are given in Danish, not left as they were
    assert da_head.split(": fejl: ")[0] == en_head.split(": error: ")[0]
    assert en_head.split("invalid YAML: ", 1)[1] not in da_head


@pytest.mark.parametrize("text", YAML_KINDS.values(), ids=list(YAML_KINDS))
def test_the_python_parsers_problems_in_danish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Where PyYAML is built without libyaml, its Python parser reports in words of its own."""
    import yaml

    from budget2024 import yamlsource

    monkeypatch.setattr(yamlsource, "_Loader", yaml.SafeLoader)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    assert da.exit_code == 2, da.output
    assert da.stderr.rstrip().endswith(SUMMARY_DA)
    assert english_words(da.stderr) == set(), da.stderr


def test_a_parser_text_the_table_does_not_know_stays_as_written() -> None:
    from budget2024.i18n import shown
    from budget2024.yamlwords import worded

    try:
        i18n.set_language("da")
        assert shown(worded("did not find expected key")) == "fandt ikke den forventede nøgle"
        assert shown(worded("found character '@' that cannot start any token")) == (
            "fandt tegnet '@', som intet YAML-element kan begynde med")
        assert shown(worded("a text of a newer PyYAML")) == "a text of a newer PyYAML"
        i18n.set_language("en")
        assert shown(worded("did not find expected key")) == "did not find expected key"
        assert worded("did not find expected key") == "did not find expected key"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(("name", "danish", "english"), [
    ("alias-bomb.yaml", "mere end 100.000 værdier", "more than 100,000 values"),
    ("alias-bomb-characters.yaml", "mere end 1.000.000 tegn", "more than 1,000,000 characters"),
])
def test_counts_of_a_thousand_and_more_have_danish_thousands_points(name: str, danish: str, english: str) -> None:
    path = CATALOGUE / name
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    en = runner.invoke(app, ["--lang", "en", "validate", "--file", str(path)])
    assert danish in da.stderr and english not in da.stderr
    assert english in en.stderr


def test_the_size_of_a_file_too_large_in_danish(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:  # sparse: refused on its size, never read
        f.truncate(MAX_FILE_BYTES + 1)
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    en = runner.invoke(app, ["--lang", "en", "validate", "--file", str(path)])
    assert da.exit_code == en.exit_code == 2
    size, limit = MAX_FILE_BYTES + 1, MAX_FILE_BYTES
    assert f"{size:,}".replace(",", ".") in da.stderr and f"{limit:,}".replace(",", ".") in da.stderr
    assert f"{size:,}" not in da.stderr
    assert english_words(da.stderr) == set(), da.stderr
    assert f"the file is {size:,} bytes; files over {limit:,} bytes are refused" in en.stderr


def test_the_models_own_rules_in_danish(tmp_path: Path) -> None:
    """A body that is both a § 17, stk. 4-udvalg and a standing committee; a prose amount without one."""
    text = (CATALOGUE / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace("{id: green, name: Grønt Udvalg, committee: true}",
                        "{id: green, name: Grønt Udvalg, committee: true, section_17_4: true}")
    text = text.replace('{text: "0,2 mio. kr. i 2030", amounts: {2030: 200}}', '{text: "0,2 mio. kr. i 2030"}')
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    en = runner.invoke(app, ["--lang", "en", "validate", "--file", str(path)])
    assert da.exit_code == en.exit_code == 2
    assert "et § 17, stk. 4-udvalg er ikke et fagudvalg: skriv 'committee: false'" in da.stderr
    assert "et beløb i teksten skal have 'amounts', 'per_year' eller 'total'" in da.stderr
    assert english_words(da.stderr) == set(), da.stderr
    assert "is not a standing committee: write 'committee: false'" in en.stderr
    assert "a prose amount needs 'amounts', 'per_year' or 'total'" in en.stderr
    assert en.stderr.count(": error: ") == da.stderr.count(": fejl: ") == 2


#: Bad figures overlays for check-strategy --figures, with many kinds of problem each.
OVERLAYS = {
    "values": "key_figures:\n  debts: {2024: 100}\n"
              "  operating_surplus: {2024: 230.000, 2025: 1.5, 2026: \"300\", 1800: 5}\n"
              "  population: {2024: -3}\n  debt: [1, 2]\n  service_frame: {2024: }\n",
    "years": "key_figures:\n  debt: {\"2024\": 5, true: 3, ~: 4, 2025.5: 3}\n  population: {2024: 0}\n"
             "  service_frame: {2024: 12.5}\n  anlaeg_frame: {2024: true}\n  average_liquidity: {2024: [1]}\n",
    "top-level": "key_figure:\n  debt: {2024: 1}\n",
    "rows": "reprioritisation_rows: [d-x, d-x]\n",
    "rows-and-figure": "key_figures:\n  reprioritisation_contribution: {2024: 40000}\nreprioritisation_rows: [d-x]\n",
    "not-a-mapping": "- 1\n- 2\n",
    "long-form": "key_figures:\n  debt:\n    values: {2024: 1}\n",
}


@pytest.mark.parametrize("text", OVERLAYS.values(), ids=list(OVERLAYS))
def test_bad_figures_overlays_in_danish(tmp_path: Path, text: str) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text(text, encoding="utf-8")
    da = runner.invoke(app, ["--lang", "da", "check-strategy", "--file", str(STRATEGY_AGREEMENT),
                             "--figures", str(path)])
    assert da.exit_code == 2, da.output
    assert da.stderr.rstrip().endswith(SUMMARY_DA) and ": fejl: " in da.stderr
    assert english_words(da.stderr) == set(), da.stderr


def test_danish_from_the_environment_in_a_real_process() -> None:
    env = {**os.environ, "BUDGET_LANG": "da"}
    proc = subprocess.run(["budget", "validate", "--file", str(CATALOGUE / "bad-indentation.yaml")],
                          capture_output=True, text=True, env=env, check=False, timeout=120)
    assert proc.returncode == 2
    assert "ugyldig YAML: under læsning af en indrykket liste" in proc.stderr
    assert english_words(proc.stderr) == set(), proc.stderr


@pytest.mark.parametrize(("old", "new", "danish"), [
    ("  overslag_years: [2031, 2032, 2033]", "  overslag_years: []", "    forventet: antal poster: mindst 1, ikke 0"),
    ("lines:\n", "lines:\n  - {id: x, kind: drift, title: X, amounts: {}}\n",
     "    forventet: antal poster: mindst 1, ikke 0"),
], ids=["empty-list", "empty-mapping"])
def test_pydantics_own_words_in_danish(tmp_path: Path, old: str, new: str, danish: str) -> None:
    text = (CATALOGUE / "valid.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    assert da.exit_code == 2
    assert danish in da.stderr.splitlines(), da.stderr
    assert english_words(da.stderr) == set(), da.stderr


def test_a_key_figure_without_its_name_in_danish(tmp_path: Path) -> None:
    """``values`` read as the name of a key figure: its year keys are not text."""
    text = (CATALOGUE / "valid-strategy.yaml").read_text(encoding="utf-8").split("\n")
    i = next(n for n, ln in enumerate(text) if ln.strip() == "service_frame:" and text[n - 1] == "key_figures:")
    path = tmp_path / "bad.yaml"
    path.write_text("\n".join(text[:i] + text[i + 1:]), encoding="utf-8")
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    en = runner.invoke(app, ["--lang", "en", "validate", "--file", str(path)])
    assert da.exit_code == en.exit_code == 2
    assert "nøglerne skal være tekst" in da.stderr
    assert english_words(da.stderr) == set(), da.stderr
    assert da.stderr.count(": fejl: ") == en.stderr.count(": error: ")


def test_the_readme_shows_real_danish_output(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: danish-validation -->")[1].split("<!-- /section: danish-validation -->")[0]
    block = section.split("```console\n")[1].split("```")[0].splitlines()
    command, shown = block[0], block[1:]
    assert command.startswith("$ LANG=da_DK.UTF-8 budget validate --file ")
    monkeypatch.delenv("BUDGET_LANG", raising=False)
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    result = runner.invoke(app, command.split()[3:])  # after "$ LANG=… budget"
    assert result.exit_code == 2
    assert result.stderr.splitlines() == shown


def test_the_systems_reason_for_an_unreadable_file_in_danish(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")  # a loop: the system's ELOOP
    path = tmp_path / "a.yaml"
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(path)])
    en = runner.invoke(app, ["--lang", "en", "validate", "--file", str(path)])
    assert da.exit_code == en.exit_code == 2
    assert "kan ikke læse filen: for mange symbolske links" in da.stderr
    assert english_words(da.stderr) == set(), da.stderr
    assert f"{path}: error: cannot read the file: " in en.stderr


def test_the_finance_committee_is_a_standing_committee(tmp_path: Path) -> None:
    """`finance: true` with `committee: false` is refused, in Danish too, at its line."""
    src = (Path(__file__).resolve().parent / "fixtures" / "committee.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(src.replace("committee: true, finance: true", "committee: false, finance: true"), encoding="utf-8")
    res = CliRunner().invoke(app, ["--lang", "da", "validate", "--file", str(bad)])
    assert res.exit_code == 2
    assert "økonomiudvalget er et stående udvalg: skriv 'committee: true'" in res.stderr
    assert f"{bad}:13:" in res.stderr
