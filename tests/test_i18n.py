"""The two languages: the Danish catalogue is complete and current, and the language is chosen as the README says."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024 import i18n
from budget2024.cli import app

from .conftest import ROOT, budget_executable

PO = ROOT / "budget2024" / "locale" / "da" / "LC_MESSAGES" / "budget2024.po"
MO = PO.with_suffix(".mo")

babel = pytest.importorskip("babel")


def _extracted() -> dict[str | tuple[str, str], object]:
    """Every marked text in the code (and every help text and command docstring), as scripts/catalogue extracts it."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    sys.path.insert(0, str(ROOT))
    try:
        with open(ROOT / "babel.cfg", encoding="utf-8") as f:
            method_map, options_map = parse_mapping_cfg(f)
        keywords = {**DEFAULT_KEYWORDS, "pgettext": ((1, "c"), 2), "T_": None}
        found: dict[str | tuple[str, str], object] = {}
        for _file, _line, message, _comments, context in extract_from_dir(
                str(ROOT / "budget2024"), method_map, options_map, keywords=keywords):
            msgid = message[0] if isinstance(message, tuple) else message
            found[(context, msgid) if context else msgid] = message
        return found
    finally:
        sys.path.remove(str(ROOT))


def _catalogue():  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with open(PO, "rb") as f:
        return read_po(f)


def _key(message) -> str | tuple[str, str]:  # type: ignore[no-untyped-def]
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, msgid) if message.context else msgid


def test_every_message_in_the_code_has_a_danish_translation() -> None:
    catalogue = _catalogue()
    translated = {_key(m) for m in catalogue if m.id and m.string and all(m.string if isinstance(m.string, tuple)
                                                                           else [m.string])}
    missing = sorted(str(k) for k in _extracted() if k not in translated)
    assert not missing, f"{len(missing)} texts without a Danish translation (run scripts/catalogue): {missing[:10]}"


def test_no_translation_is_fuzzy_or_obsolete() -> None:
    catalogue = _catalogue()
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy translations: {fuzzy[:10]}"
    assert not catalogue.obsolete, f"obsolete entries: {list(catalogue.obsolete)[:10]}"
    code = set(_extracted())
    stale = sorted(str(_key(m)) for m in catalogue if m.id and _key(m) not in code)
    assert not stale, f"entries no longer in the code (run scripts/catalogue): {stale[:10]}"


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[sdifr]")


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def test_translations_keep_the_placeholders_of_the_original() -> None:
    wrong = []
    for m in _catalogue():
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            if s and all(_placeholders(s) != _placeholders(i) for i in ids):
                wrong.append((ids[0], s))
    assert not wrong, f"placeholders differ: {wrong[:5]}"


def test_the_compiled_catalogue_matches_its_source() -> None:
    import gettext

    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, _catalogue())
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    with open(MO, "rb") as f:
        shipped = gettext.GNUTranslations(f)
    assert shipped._catalog == fresh._catalog, "the .mo is stale: run scripts/catalogue"  # type: ignore[attr-defined]


_MARKERS = {"_", "N_", "T_", "ngettext", "pgettext"}


def test_every_marked_text_is_a_literal_the_extractor_can_see() -> None:
    """An f-string, a concatenation or a formatted string inside _() is invisible to the extractor (a
    constant marked with N_ and translated with _(CONSTANT) is fine)."""
    bad = []
    for path in sorted((ROOT / "budget2024").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _MARKERS:
                first = 1 if node.func.id == "pgettext" else 0
                texts = node.args[first:first + (2 if node.func.id == "ngettext" else 1)]
                if not texts or any(isinstance(a, ast.JoinedStr | ast.BinOp | ast.Call) for a in texts):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if node.func.id in {"N_", "T_", "ngettext"} and not all(
                        isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, f"a marked text that is not a plain literal (an f-string or a variable): {bad}"


def test_english_reads_no_catalogue() -> None:
    """English is the source language: no catalogue is opened, and the i18n module imports no gettext."""
    code = ("import sys; import budget2024.i18n as i; print('gettext' in sys.modules);"
            "i.set_language('en'); print(i._catalogue is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
    result = runner.invoke(app, ["totals", "--format", "json"])
    assert result.exit_code == 0 and i18n._catalogue is None  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- choosing the language

runner = CliRunner()


def _lang_of(result) -> str:  # type: ignore[no-untyped-def]
    """The language a `validate` summary line was written in."""
    text = result.stdout + result.stderr
    assert result.exit_code == 0, text
    return "da" if "initiativer" in text else "en"


@pytest.mark.parametrize("args", [["--lang", "da", "validate"], ["validate", "--lang", "da"],
                                  ["--lang=da", "validate"], ["validate", "--lang=da"]])
def test_lang_option_before_or_after_the_command(args: list[str]) -> None:
    assert _lang_of(runner.invoke(app, args)) == "da"


def test_the_last_lang_option_wins() -> None:
    assert _lang_of(runner.invoke(app, ["--lang", "da", "validate", "--lang", "en"])) == "en"


@pytest.mark.parametrize(("env", "want"), [
    ({"BUDGET_LANG": "da"}, "da"),
    ({"BUDGET_LANG": "EN", "LANG": "da_DK.UTF-8"}, "en"),
    ({"LC_ALL": "da_DK.UTF-8"}, "da"),
    ({"LC_MESSAGES": "da_DK.UTF-8"}, "da"),
    ({"LANG": "da_DK.UTF-8"}, "da"),
    ({"LANG": "da"}, "da"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "da_DK.UTF-8"}, "en"),  # the first one set decides
    ({"LC_ALL": "C", "LC_MESSAGES": "da_DK.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_language_from_the_environment(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], want: str) -> None:
    monkeypatch.delenv("BUDGET_LANG", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _lang_of(runner.invoke(app, ["validate"])) == want


def test_the_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_LANG", "da")
    assert _lang_of(runner.invoke(app, ["validate", "--lang", "en"])) == "en"
    monkeypatch.setenv("BUDGET_LANG", "en")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert _lang_of(runner.invoke(app, ["--lang", "da", "validate"])) == "da"


@pytest.mark.parametrize("args", [["--lang", "fr", "totals"], ["totals", "--lang", "xx"], ["totals", "--lang"],
                                  ["--lang", "--year", "2025", "totals"]])
def test_a_bad_language_is_exit_2_with_a_hint(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--lang" in result.stderr and "hint:" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_budget_lang_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUDGET_LANG", "klingon")
    result = runner.invoke(app, ["totals"])
    assert result.exit_code == 2 and "BUDGET_LANG" in result.stderr and "hint:" in result.stderr


def test_help_is_danish_before_the_command_runs() -> None:
    result = runner.invoke(app, ["--lang", "da", "totals", "--help"])
    assert result.exit_code == 0
    assert "Brug:" in result.stdout and "Usage:" not in result.stdout
    assert "--lang" in result.stdout
    english = runner.invoke(app, ["totals", "--help"])
    assert "Usage:" in english.stdout and "Brug:" not in english.stdout


def test_the_whole_app_help_in_danish() -> None:
    result = runner.invoke(app, ["--help", "--lang", "da"])
    assert result.exit_code == 0 and "Kommandoer:" in result.stdout and "Commands:" not in result.stdout


def test_json_is_the_same_in_both_languages() -> None:
    en = runner.invoke(app, ["totals", "--format", "json"])
    da = runner.invoke(app, ["--lang", "da", "totals", "--format", "json"])
    assert en.exit_code == da.exit_code == 0
    assert json.loads(en.stdout) == json.loads(da.stdout)


def test_csv_is_the_same_in_both_languages() -> None:
    en = runner.invoke(app, ["totals", "--format", "csv"])
    da = runner.invoke(app, ["totals", "--format", "csv", "--lang", "da"])
    assert en.stdout == da.stdout


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The console script's entry point in-process (option errors in the tool's own style)."""
    from budget2024 import cli

    monkeypatch.setattr(sys, "argv", ["budget", *args])
    with pytest.raises(SystemExit) as info:
        cli.main()
    return int(info.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize("args", [["--lang", "da", "totals", "--year", "20x5"], ["totals", "--year", "20x5", "--lang=da"]])
def test_a_bad_option_value_in_danish(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                      args: list[str]) -> None:
    code, err = run_main(monkeypatch, capsys, *args)
    assert code == 2
    assert err.startswith("budget: fejl: ") and "'20x5'" in err and "tip: se `" in err and "totals --help`" in err
    assert "error" not in err and "hint" not in err


def test_an_unknown_option_in_danish(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_main(monkeypatch, capsys, "totals", "--yaer", "2025", "--lang", "da")
    assert code == 2 and "--yaer" in err and err.startswith("budget: fejl: ") and "Error" not in err
    code, err = run_main(monkeypatch, capsys, "totals", "--yaer", "2025")
    assert code == 2 and err.startswith("budget: error: ")


def test_validate_problems_in_danish_with_their_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("agreement: [\n", encoding="utf-8")
    da = runner.invoke(app, ["--lang", "da", "validate", "--file", str(bad), "--format", "json"])
    en = runner.invoke(app, ["validate", "--file", str(bad), "--format", "json"])
    assert da.exit_code == en.exit_code == 2
    assert json.loads(da.stdout) == json.loads(en.stdout)  # machine output keeps the English
    assert f"{bad}:" in da.stderr and "fejl:" in da.stderr and "tip:" in da.stderr


def test_the_locale_chooses_danish_in_a_real_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"BUDGET_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"}}
    env.update(LANG="da_DK.UTF-8", XDG_CACHE_HOME=str(tmp_path), COLUMNS="100")
    out = subprocess.run([budget_executable(), "totals", "--year", "2025"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "2025" in out.stdout
    summary = subprocess.run([budget_executable(), "validate"], capture_output=True, text=True, env=env)
    assert summary.returncode == 0 and "initiativer" in summary.stdout and "årene" in summary.stdout
    bad = subprocess.run([budget_executable(), "totals", "--year", "x"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and bad.stderr.startswith("budget: fejl: ")
    env["LANG"] = "C.UTF-8"
    english = subprocess.run([budget_executable(), "validate"], capture_output=True, text=True, env=env)
    assert english.returncode == 0 and "initiatives" in english.stdout


def test_choose_unit() -> None:
    assert i18n.choose("DA", {}) == "da"
    assert i18n.choose(None, {"BUDGET_LANG": "da"}) == "da"
    assert i18n.choose(None, {"LC_MESSAGES": "da_DK"}) == "da"
    assert i18n.choose(None, {}) == "en"


def test_text_keeps_the_english_and_shows_the_chosen_language() -> None:
    text = i18n.T_("the number {text} is too large", text="10000000000000")
    assert text == "the number 10000000000000 is too large"
    i18n.set_language("da")
    try:
        assert text.shown() != str(text) and "10000000000000" in text.shown()
        assert json.dumps(text) == json.dumps("the number 10000000000000 is too large")
        assert i18n.shown(i18n.T_("the file is empty")) != "the file is empty"
    finally:
        i18n.set_language("en")


def test_the_readme_shows_real_danish_output(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The README's Danish example, run through the console script's entry point."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split("<!-- section: languages -->", 1)[1].split("<!-- /section: languages -->", 1)[0]
    block = re.search(r"```console\n(.*?)```", part, re.S)
    assert block is not None
    runs = re.split(r"^\$ ", block.group(1), flags=re.M)[1:]
    assert len(runs) == 2
    monkeypatch.chdir(ROOT)
    for run in runs:
        command, _, shown = run.partition("\n")
        words = command.split()
        if words[0].startswith("LANG="):
            monkeypatch.setenv("LANG", words.pop(0).removeprefix("LANG="))
            monkeypatch.delenv("BUDGET_LANG")
        code, err = run_main(monkeypatch, capsys, *words[1:])
        assert code == 2
        err = err.replace("'--year' / '-y'", "'--year'")  # (older click names both spellings)
        assert re.sub(r"`[^`]*budget totals", "`budget totals", err) == shown


def test_pydantic_messages_keep_their_english_and_show_ours_in_danish() -> None:
    from budget2024 import validation_text

    err = {"type": "int_from_float", "msg": "Input should be a valid integer, got a number with a fractional part"}
    text = validation_text.message(err)
    assert text == "input should be a valid integer, got a number with a fractional part"
    unknown = validation_text.message({"type": "no_such_type", "msg": "Something {odd}"})
    i18n.set_language("da")
    try:
        assert text.shown() == "der forventedes et helt tal, ikke et decimaltal"
        assert unknown.shown() == "something {odd}"  # no wording of ours: pydantic's own
    finally:
        i18n.set_language("en")
