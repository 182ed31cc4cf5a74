"""Every command's refusals in Danish: the message and its hint, with no English in them (issue 15:
"every … error message, hint … complete in both languages").

Each case is a command line that the tool refuses. It is run in Danish and in English: the exit code
is the same, the Danish stderr has no English word outside quotes, ids and options
(`tests/english.py`), and it differs from the English one.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from budget2024 import i18n
from budget2024.commands import COMMANDS

from .conftest import FIXTURES
from .english import english_words

ROOT = Path(__file__).resolve().parents[1]
COMMITTEE = str(FIXTURES / "committee.yaml")
KLIMA = str(FIXTURES / "followup" / "klima.yaml")
WITH_FOLLOWUP = ["--file", COMMITTEE, "--followup", KLIMA]
STRATEGY = str(FIXTURES / "strategy" / "agreement.yaml")
Run = Callable[[list[str], str], tuple[int, str]]

#: name: (command line, exit code). Paths under {tmp} are made per test.
CASES: dict[str, tuple[list[str], int]] = {
    "committee_no_match": (["committee", "nosuch"], 2),
    "committee_several": (["committee", "udvalg", "--file", COMMITTEE], 2),
    "committee_empty_name": (["committee", " "], 2),
    "committee_year": (["committee", "klima", "--file", COMMITTEE, "--year", "1999"], 2),
    "totals_year": (["totals", "--year", "1999"], 2),
    "totals_committee": (["totals", "--committee", "nosuch"], 2),
    "lines_top": (["lines", "--top", "0"], 2),
    "lines_sort": (["lines", "--sort", "size"], 2),
    "lines_section": (["lines", "--section", "99"], 2),
    "lines_chapter": (["lines", "--chapter", "zz"], 2),
    "list_section": (["list", "--section", "99"], 2),
    "show_unknown": (["show", "nosuch"], 2),
    "reconcile_section": (["reconcile", "--section", "99"], 2),
    "reconcile_section_close": (["reconcile", "--section", "3.3.55"], 2),
    "reconcile_fail_on": (["reconcile", "--fail-on", "foo"], 2),
    "strategy_year": (["check-strategy", "--file", STRATEGY, "--year", "1999"], 2),
    "followup_threshold": (["followup", *WITH_FOLLOWUP, "--threshold", "abc"], 2),
    "followup_committee": (["followup", *WITH_FOLLOWUP, "--committee", "nosuch"], 2),
    "followup_init_year": (["followup", "init", "--year", "1999"], 2),
    "xlsx_folder_missing": (["totals", "--format", "xlsx", "--output", "{tmp}/no/such/t.xlsx"], 2),
    "xlsx_is_a_folder": (["totals", "--format", "xlsx", "--output", "{tmp}/folder"], 2),
    "xlsx_exists": (["totals", "--format", "xlsx", "--output", "{tmp}/file.txt"], 2),
    "docx_is_a_folder": (["committee", "klima", "--file", COMMITTEE, "--format", "docx", "--output",
                          "{tmp}/folder/"], 2),
    "docx_exists": (["committee", "klima", "--file", COMMITTEE, "--format", "docx", "--output",
                     "{tmp}/file.txt"], 2),
    "site_not_a_site": (["site", "{tmp}/folder"], 2),
    "site_a_file": (["site", "{tmp}/file.txt", "--force"], 2),
    "fdp_exists": (["export", "fdp", "{tmp}/folder"], 2),
    "fdp_a_file": (["export", "fdp", "{tmp}/file.txt", "--force"], 2),
    "missing_argument": (["committee"], 2),
    "missing_folder": (["site"], 2),
    "bad_choice": (["totals", "--format", "docx"], 2),
    "unknown_option": (["totals", "--yaer", "2025"], 2),
    "unknown_command": (["totlas"], 2),
}


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Callable[[list[str], str], tuple[int, str]]:
    """The console script's entry point in-process (option errors in the tool's own style), from the
    checkout: ``run(args, lang)`` gives the exit code and stderr, with the test's folder as TMP."""
    from budget2024 import cli

    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "keep.txt").write_text("not a site\n", encoding="utf-8")
    (tmp_path / "file.txt").write_text("a file\n", encoding="utf-8")
    monkeypatch.chdir(ROOT)

    def invoke(args: list[str], lang: str) -> tuple[int, str]:
        monkeypatch.setenv("BUDGET_LANG", lang)
        monkeypatch.setattr(sys, "argv", ["budget", *(a.replace("{tmp}", str(tmp_path)) for a in args)])
        with pytest.raises(SystemExit) as info:
            cli.main()
        return int(info.value.code or 0), capsys.readouterr().err.replace(str(tmp_path), "TMP")

    return invoke


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refusal_in_danish_has_no_english(name: str, run: Run) -> None:
    args, code = CASES[name]
    da_code, da = run(args, "da")
    en_code, en = run(args, "en")
    assert (da_code, en_code) == (code, code), (da, en)
    assert da.startswith("budget: fejl: ") and en.startswith("budget: error: ")
    assert english_words(da) == set(), da
    assert da != en.replace("budget: error: ", "budget: fejl: ")


def test_the_examples_read_as_danish(run: Run) -> None:
    """A few whole messages, so that the words are right and not only free of English."""
    _, text = run(["committee", "nosuch"], "da")
    assert text.startswith("budget: fejl: hverken et udvalg eller en enhed svarer til 'nosuch'; nærmeste: ")
    _, text = run(["totals", "--year", "1999"], "da")
    assert text.splitlines()[0] == "budget: fejl: året 1999 er ikke et af aftalens år; dens år er 2024, 2025, 2026, 2027"
    _, text = run(["totals", "--format", "xlsx", "--output", "{tmp}/no/t.xlsx"], "da")
    assert text.splitlines()[0] == "budget: fejl: kan ikke skrive TMP/no/t.xlsx: mappen TMP/no findes ikke"
    _, text = run(["reconcile", "--section", "3.3.55"], "da")
    assert text.startswith("budget: fejl: ukendt afsnit '3.3.55' (mente du 3.3.5?); afsnittene går fra ")
    _, text = run(["site"], "da")
    assert text.splitlines()[0] == "budget: fejl: mangler argumentet OUT_DIR"


def test_english_keeps_its_words(run: Run) -> None:
    _, text = run(["committee", "nosuch"], "en")
    assert text.startswith("budget: error: no committee or body matches 'nosuch'; closest: ")
    _, text = run(["reconcile", "--section", "3.3.55"], "en")
    assert text.splitlines()[0].startswith("budget: error: unknown section '3.3.55' (did you mean 3.3.5?); sections "
                                           "run from ")


@pytest.mark.parametrize(("code", "danish"), [
    (errno.ENOSPC, "der er ikke mere plads på drevet"),
    (errno.EACCES, "adgang nægtet"),
    (errno.EROFS, "filsystemet er skrivebeskyttet"),
])
def test_a_failed_write_gives_the_systems_reason_in_danish(code: int, danish: str, run: Run, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit 74, with the operating system's reason in our words (its own are English)."""
    import tempfile

    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    args = ["totals", "--format", "xlsx", "--output", "{tmp}/t.xlsx"]
    exit_code, text = run(args, "da")
    assert exit_code == 74
    assert text.splitlines()[0] == f"budget: fejl: kan ikke skrive TMP/t.xlsx: {danish}"
    assert not (tmp_path / "t.xlsx").exists()
    assert run(args, "en")[1].splitlines()[0] == f"budget: error: cannot write TMP/t.xlsx: {os.strerror(code)}"


def test_a_reason_the_catalogue_does_not_know_stays_the_systems() -> None:
    i18n.set_language("da")
    reason = i18n.os_reason(OSError(errno.ENOTEMPTY, "Directory not empty"))
    assert i18n.shown(reason) == "Directory not empty"
    assert i18n.shown(i18n.os_reason(OSError(errno.ENOENT, "No such file or directory"))) == \
        "filen eller mappen findes ikke"


HELP_PAGES = [[], *([name] for name in COMMANDS), ["export", "fdp"], ["followup", "init"]]


@pytest.mark.parametrize("command", HELP_PAGES, ids=lambda c: " ".join(c) or "budget")
def test_every_help_page_in_danish_has_no_english(command: list[str], run: Run) -> None:
    """Each option's help too, also where a command gives its own words to a shared option."""
    from typer.testing import CliRunner

    from budget2024.cli import app

    res = CliRunner().invoke(app, ["--lang", "da", *command, "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    kept, examples = [], False
    for line in res.stdout.splitlines():
        text = line.strip()
        if text in {"Eksempler:", "Eksempel:"}:
            examples = True
        elif line and not line.startswith(" "):  # the next part: "Tilvalg:"
            examples = False
        if examples or text.startswith(("budget ", "Brug: budget ")):  # command lines, not words
            continue
        first = text.split(" ", 1)[0]
        if first in COMMANDS or first in {"fdp", "init"}:  # the list of commands: their names
            text = text[len(first):]
        kept.append(text)
    # one text, so that a `command` wrapped over two lines is still one quote
    assert english_words(" ".join(kept)) == set()


def test_the_readme_shows_what_the_commands_print(run: Run) -> None:
    """The README's Danish refusals (section danish-messages) are the tool's output."""
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: danish-messages -->", 1)[1].split("<!-- /section: danish-messages -->")[0]
    shown = 0
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        for command, output in re.findall(r"^\$ budget (.*)\n((?:(?!\$ ).*\n)*)", block, re.M):
            # as written: the command's own --lang da, against an English environment
            _, err = run(shlex.split(command), "en")
            assert err == output
            shown += 1
    assert shown == 2


def test_a_failed_write_to_stdout_gives_the_reason_in_danish(tmp_path: Path) -> None:
    """A real process whose stdout is a full device: exit 74, and the system's reason in our words."""
    import subprocess

    from .conftest import budget_executable

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([budget_executable(), "--lang", "da", "totals"], stdout=full, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    assert proc.returncode == 74
    assert proc.stderr == "budget: fejl: resultatet kan ikke skrives: der er ikke mere plads på drevet\n"


def test_a_site_that_cannot_be_written_is_exit_74_with_the_reason(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing failed (a full disk): exit 74, as for --output; a wrong OUT_DIR stays exit 2."""
    def full(*args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", full)
    code, text = run(["site", "{tmp}/new-site"], "da")
    assert code == 74
    assert text == "budget: fejl: kan ikke skrive webstedet til TMP/new-site: der er ikke mere plads på drevet\n"
    assert run(["site", "{tmp}/folder"], "da")[0] == 2


@pytest.mark.parametrize(("args", "option"), [
    (["totals", "--file", "{tmp}/none.yaml"], "--file or BUDGET_FILE"),
    (["check-strategy", "--figures", "{tmp}/none.yaml"], "--figures"),
    (["validate", "--followup", "{tmp}/none.yaml"], "--followup or BUDGET_FOLLOWUP"),
    (["diff", "{tmp}/none.yaml", "data/agreement.yaml"], "OLD"),
])
def test_a_missing_file_names_the_option_that_gave_it(args: list[str], option: str, run: Run) -> None:
    code, en = run(args, "en")
    assert code == 2 and f"hint: check the path given with {option}\n" in en
    code, da = run(args, "da")
    assert code == 2 and f"tip: kontrollér stien, der er angivet med {option.replace(' or ', ' eller ')}\n" in da
    assert english_words(da) == set()
