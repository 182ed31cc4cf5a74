"""The reports in both languages: snapshots of every table and document in English and Danish,
Danish documents free of English words, Danish conventions (dates, alphabetical order)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024 import i18n
from budget2024.cli import app
from budget2024.collate import danish_key, danish_sorted
from budget2024.render.dates import long_date

from .conftest import FIXTURES, SHIPPED, budget_executable

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "i18n"
COMMITTEE = FIXTURES / "committee.yaml"
FOLLOWUP = ["--followup", str(FIXTURES / "followup" / "klima.yaml"), "--followup",
            str(FIXTURES / "followup" / "finance.yaml")]
runner = CliRunner()

#: English words that must not appear in a Danish document (whole words, any case where marked).
ENGLISH = ["Subtotal", "None", "Appendix", "Initiatives", "Initiative", "Total", "committee", "Section", "Title",
           "Kind", "Responsible", "involved", "amounts", "rows", "Net", "Expansions", "Savings", "without",
           "tasks", "standing", "Agreed", "Corrected", "Forecast", "Actuals", "status on", "Since", "Task",
           "Money", "none", "not a", "the", "and", "of", "in the", "where", "Follow-up", "Body", "Year"]


def _found(words: list[str], text: str) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def _english_words(text: str) -> list[str]:
    return _found(ENGLISH, text)


def _ours(text: str) -> str:
    """The text without the data's own words that a table quotes: the readings of check-strategy
    (" R1 target …" and their continuation lines), which are the agreement file's text."""
    return "\n".join(line for line in text.splitlines() if not re.match(r"^ (R\d+ |   )", line))


ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], lang: str) -> str:
    # the files are named relative to the checkout, so that a snapshot does not depend on where it is
    args = [a[len(str(ROOT)) + 1:] if a.startswith(str(ROOT) + os.sep) else a for a in args]
    with contextlib.chdir(ROOT):
        res = runner.invoke(app, args, env={"BUDGET_LANG": lang, "COLUMNS": "100"})
    assert res.exit_code in (0, 1), res.output
    return res.stdout


#: name: (command line, exit codes allowed)
CASES: dict[str, list[str]] = {
    "totals": ["totals", "--file", str(COMMITTEE)],
    "totals_year": ["totals", "--file", str(COMMITTEE), "--year", "2031"],
    "committee_table": ["committee", "klima", "--file", str(COMMITTEE)],
    "committee_markdown": ["committee", "klima", "--file", str(COMMITTEE), "--format", "markdown"],
    "committee_admin_markdown": ["committee", "admin", "--file", str(COMMITTEE), "--format", "markdown"],
    "committees": ["committees", "--file", str(COMMITTEE)],
    "lines": ["lines", "--file", str(COMMITTEE), "--year", "2031"],
    "list": ["list", "--file", str(COMMITTEE)],
    "status": ["status", "klima", "--file", str(COMMITTEE), *FOLLOWUP, "--as-of", "2030-09-30"],
    "status_markdown": ["status", "klima", "--file", str(COMMITTEE), *FOLLOWUP, "--as-of", "2030-09-30",
                        "--format", "markdown"],
    "followup": ["followup", "--file", str(COMMITTEE), *FOLLOWUP, "--as-of", "2030-09-30"],
    "check_strategy": ["check-strategy", "--file", str(FIXTURES / "strategy" / "agreement.yaml"), "--figures",
                       str(FIXTURES / "strategy" / "pass.yaml")],
    "check_strategy_fail": ["check-strategy", "--file", str(FIXTURES / "strategy" / "agreement.yaml"), "--figures",
                            str(FIXTURES / "strategy" / "fail.yaml")],
    "reconcile": ["reconcile", "--file", str(FIXTURES / "reconcile" / "compare.yaml")],
    "reconcile_markdown": ["reconcile", "--file", str(FIXTURES / "reconcile" / "compare.yaml"), "--format",
                           "markdown"],
    "diff": ["diff", str(FIXTURES / "diff" / "old.yaml"), str(FIXTURES / "diff" / "new.yaml")],
    "diff_markdown": ["diff", str(FIXTURES / "diff" / "old.yaml"), str(FIXTURES / "diff" / "new.yaml"), "--format",
                      "markdown"],
    "show": ["show", "nature-park", "--file", str(COMMITTEE)],
}


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_snapshot(name: str, lang: str) -> None:
    """Each table and document, as a reader sees it, in each language (UPDATE_SNAPSHOTS=1 rewrites them)."""
    out = run(CASES[name], lang)
    path = SNAPSHOTS / f"{name}.{lang}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_danish_form_has_no_english_and_the_english_form_no_danish_words(name: str) -> None:
    da, en = run(CASES[name], "da"), run(CASES[name], "en")
    assert da != en
    assert _english_words(_ours(da)) == []
    assert _found(["Udvidelser", "Besparelser", "Netto", "I alt", "Opgaver uden beløb", "Bilagslinjer", "Sum",
                   "beløb i", "fagudvalg", "Afsnit", "Titel", "Art", "Ingen"], en) == []


def test_json_is_the_same_in_both_languages() -> None:
    for args in (CASES["committee_table"], CASES["totals"], CASES["status"], CASES["committees"],
                 CASES["check_strategy_fail"], CASES["reconcile"]):
        assert run([*args, "--format", "json"], "da") == run([*args, "--format", "json"], "en")
    junit = [*CASES["check_strategy_fail"], "--format", "junit"]
    assert run(junit, "da") == run(junit, "en")


def test_every_bodys_danish_committee_document_is_free_of_english(shipped_ledger) -> None:
    """The acceptance: each body's report (markdown), in Danish, with the shipped agreement."""
    i18n.set_language("da")
    from budget2024.render.committee import committee_markdown
    from budget2024.reports.committee import committee_report

    checked = 0
    for body in shipped_ledger.bodies.values():
        text = committee_markdown(committee_report(shipped_ledger, body.id))
        # the agreement's own words (titles, section names) are data: check the document's words only
        ours = "\n".join(line for line in text.splitlines() if not line.startswith(("| ", "- ", "**")))
        assert _english_words(ours) == [], (body.id, ours)
        first = text.splitlines()[0]
        assert first.startswith(f"# {body.name} (") and body.id not in first
        checked += 1
    assert checked == len(shipped_ledger.bodies) >= 10


def test_the_committee_header_names_the_body_as_the_agreement_does() -> None:
    da = run(["committee", "Klima- og Miljøudvalget", "--format", "markdown"], "da")
    assert da.splitlines()[0] == "# Klima- og Miljøudvalget (fagudvalg)"
    en = run(["committee", "Klima- og Miljøudvalget", "--format", "markdown"], "en")
    assert en.splitlines()[0] == "# Klima- og Miljøudvalget (standing committee)"
    for text in (da, en):
        assert "klima-miljoe" not in text.splitlines()[0] and "KMU" not in text.splitlines()[0]
    # the finance committee is a standing committee, not a fagudvalg
    assert run(["committee", "Økonomiudvalget", "--format", "markdown"], "da").splitlines()[0] == \
        "# Økonomiudvalget (økonomiudvalg)"
    assert run(["committee", "Økonomiudvalget", "--format", "markdown"], "en").splitlines()[0] == \
        "# Økonomiudvalget (finance committee)"


def test_danish_through_the_environment_in_a_real_process() -> None:
    """`LANG=da_DK.UTF-8 budget totals --year 2025` is Danish without a flag."""
    env = {k: v for k, v in os.environ.items() if k not in ("BUDGET_LANG", "LC_ALL", "LC_MESSAGES")}
    proc = subprocess.run([budget_executable(), "totals", "--year", "2025", "--file", str(SHIPPED)],
                          capture_output=True, text=True, env={**env, "LANG": "da_DK.UTF-8", "COLUMNS": "100"},
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Budgetaftalens udvidelser og besparelser 2025 (beløb i 1.000 kr.")
    assert "Udvidelser" in proc.stdout and "I alt" in proc.stdout and _english_words(proc.stdout) == []


# ----------------------------------------------------------------------------- conventions


@pytest.mark.parametrize(("lang", "expected"), [("da", "4. oktober 2023"), ("en", "4 October 2023")])
def test_dates_in_text(lang: str, expected: str) -> None:
    i18n.set_language(lang)
    assert long_date(dt.date(2023, 10, 4)) == expected
    assert long_date("2023-10-04") == expected
    assert long_date(None) == "" and long_date("Q3") == "Q3"


def test_every_month_has_its_danish_name() -> None:
    i18n.set_language("da")
    names = [long_date(dt.date(2024, m, 1)).split()[1] for m in range(1, 13)]
    assert names == ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                     "oktober", "november", "december"]


def test_danish_alphabetical_order() -> None:
    names = ["Økonomiudvalget", "Sundheds- og Ældreudvalget", "Aarhus", "Åbyhøj", "Zealand", "Ærø", "abe",
             "Børne- og Skoleudvalget", "Bz", "Élan", "Elev", "Ørsted", "Østerbro", "Ålborg"]
    # ø after z (Bz before Børne-), accents aside (Élan before Elev), "aa" as å (Aarhus after Ålborg)
    assert danish_sorted(names) == ["abe", "Bz", "Børne- og Skoleudvalget", "Élan", "Elev",
                                    "Sundheds- og Ældreudvalget", "Zealand", "Ærø", "Økonomiudvalget", "Ørsted",
                                    "Østerbro", "Åbyhøj", "Ålborg", "Aarhus"]
    # "aa" is å; ä and ö sort as æ and ø; case is not a difference of order
    assert danish_key("Aalborg")[0] == danish_key("Ålborg")[0]
    assert danish_key("Ärlig")[0] == danish_key("Ærlig")[0] and danish_key("Öl")[0] == danish_key("Øl")[0]
    assert danish_key("abe")[0] == danish_key("ABE")[0]


def test_lines_sorted_by_title_in_danish_order() -> None:
    out = runner.invoke(app, ["lines", "--sort", "title", "--format", "json"]).stdout
    import json

    titles = [r["title"] for r in json.loads(out)]
    assert titles == danish_sorted(titles)


def test_the_danish_word_document(tmp_path: Path) -> None:
    """The committee report as a Word document in Danish: every word of ours Danish, the date written out."""
    import docx

    from .test_docx import EPOCH, document_text

    out = tmp_path / "kmu.docx"
    res = runner.invoke(app, ["committee", "klima", "--format", "docx", "--output", str(out), "--file",
                              str(SHIPPED)], env={"BUDGET_LANG": "da", "SOURCE_DATE_EPOCH": EPOCH})
    assert res.exit_code == 0, res.output
    text = document_text(docx.Document(str(out)))
    lines = text.splitlines()
    assert lines[0] == "[header] Aftale om budget 2024\t\t3. april 2024"
    assert "[Title] Klima- og Miljøudvalget (fagudvalg)" in lines
    assert "[Heading 1] Opgaver uden beløb (20)" in lines
    assert any(line.startswith("[Caption] Tabel 1: Bilagslinjer for Klima- og Miljøudvalget (beløb i 1.000 kr.)")
               for line in lines)
    assert any(line.startswith("**") and "Sum" in line and "Drift" in line for line in lines)
    ours = "\n".join(re.sub(r"^\[[^]]+\] ", "", line) for line in lines  # without the style's name
                      if line.startswith(("[header]", "[Title]", "[Heading 1]", "[Caption]", "[Normal]", "[footer]")))
    assert _english_words(ours) == [], ours
    assert "Side" in text.splitlines()[-1]


WIDE = [["totals"], ["committees"], ["lines"], ["list"], ["check-strategy"], ["committee", "klima"],
        ["committee", "admin"], ["show", "A9"], ["reconcile"],
        ["followup", "--file", str(COMMITTEE), *FOLLOWUP, "--as-of", "2030-09-30"],
        ["status", "klima", "--file", str(COMMITTEE), *FOLLOWUP, "--as-of", "2030-09-30"]]


@pytest.mark.parametrize("args", WIDE, ids=[" ".join(a[:2]) for a in WIDE])
def test_danish_tables_fit_where_the_english_ones_do(args: list[str]) -> None:
    """The Danish words are longer: a table that fits 80 columns in English fits them in Danish too."""
    def widest(lang: str) -> int:
        res = runner.invoke(app, args, env={"BUDGET_LANG": lang, "COLUMNS": "80"})
        return max(len(line) for line in res.stdout.splitlines())

    assert widest("da") <= max(widest("en"), 80)


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_totals_table_names_the_stated_figures_by_their_sentences_not_their_ids(lang: str,
                                                                                   shipped_ledger) -> None:
    """The ids of the tax rates and stated figures belong in JSON; the table quotes the sentence."""
    import json

    text = run(["totals", "--year", "2025"], lang)
    data = json.loads(run(["totals", "--year", "2025", "--format", "json"], lang))
    ags = shipped_ledger.agreement
    assert ags.tax_rates and ags.stated_figures
    for item in [*ags.tax_rates, *ags.stated_figures]:
        assert item.id not in text
        assert item.sentence[:30] in " ".join(text.split())
    for fig in ags.stated_figures:  # the measures that are names, not words (`demographic_lift`)
        assert "_" not in fig.measure or fig.measure not in text
    assert {t["id"] for t in data["general"]["tax_rates"]} == {t.id for t in ags.tax_rates}
    assert {f["measure"] for f in data["general"]["stated_figures"]} == {f.measure for f in ags.stated_figures}
