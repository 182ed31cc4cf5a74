"""Follow-up through the budget year: the reports as pure functions, and every command through the CLI.

The agreement is tests/fixtures/committee.yaml (Testby Kommune, 2030); the follow-up files in
tests/fixtures/followup/ are made up: klima.yaml is the secretary's (plans, priorities, a March and
a September status), finance.yaml the finance staff's (a correction, actuals, forecasts, a new row).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.errors import LoadError
from budget2024.followup import NO_STATUS, STATES
from budget2024.ledger import Ledger
from budget2024.reports import ReportError
from budget2024.reports.followup import corrected_lines, followup_report, parse_threshold, skeleton_data
from budget2024.reports.status import shown_quarters, status_report
from budget2024.session import load_agreement, load_followup

from .conftest import FIXTURES, SHIPPED, budget_executable

runner = CliRunner()
AGREEMENT = FIXTURES / "committee.yaml"
KLIMA = FIXTURES / "followup" / "klima.yaml"
FINANCE = FIXTURES / "followup" / "finance.yaml"
BOTH = ["--file", str(AGREEMENT), "--followup", str(KLIMA), "--followup", str(FINANCE)]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args), env=env)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    assert "Traceback" not in res.output
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def ledger() -> Ledger:
    return Ledger(load_agreement(AGREEMENT))


@pytest.fixture
def fu(ledger: Ledger):  # type: ignore[no-untyped-def]
    return load_followup([KLIMA, FINANCE], ledger, AGREEMENT)


# ----------------------------------------------------------------------------- the reports, without the CLI


def test_march_status_takes_the_entries_up_to_the_date(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    data = status_report(ledger, fu, "klima", dt.date(2030, 3, 31))
    assert [t["initiative"] for t in data["tasks"]] == ["nature-park", "nature-study", "joint"]  # priority, then none
    park = data["tasks"][0]
    assert (park["state"], park["status_date"], park["note"]) == ("on-track", "2030-03-12", "Borgermødet er holdt")
    assert park["plan"] == {"Q1": "Borgermøde om parkens indretning", "Q2": "Projektering og udbud"}
    # money up to 31 March: the February correction; a-park's actuals (150) but not d-park's, so no sum
    m = park["money"]
    assert (m["agreed"], m["corrections"], m["corrected"]) == (1000 + 50, -200, 850)
    assert m["actuals"] is None and m["forecast"] is None and m["deviation"] is None
    assert m["rows_with_actuals"] == 1 and m["rows"] == 2
    study = data["tasks"][1]
    assert study["money"] is None and study["state"] == "not-started"
    assert data["tasks"][2]["state"] is None and data["tasks"][2]["priority"] is None
    assert data["counts"] == {**dict.fromkeys(STATES, 0), "on-track": 1, "not-started": 1, NO_STATUS: 1}
    assert data["body"]["id"] == "klima" and data["year"] == 2030 and data["quarters"] == ["Q1", "Q2"]


def test_september_status_and_money(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    data = status_report(ledger, fu, "KMU", dt.date(2030, 9, 30))
    park = data["tasks"][0]
    assert (park["state"], park["status_date"]) == ("delayed", "2030-09-10")
    assert park["plan"] == {"Q3": "Anlægsarbejdet begynder", "Q4": "Parken åbner"}
    m = park["money"]
    # a-park 1000 - 200, d-park 50, the new row 0 + 75 (added in May)
    assert (m["agreed"], m["corrections"], m["corrected"]) == (1050, -125, 925)
    assert m["forecast"] == 950 + 50 + 75 and m["deviation"] == m["forecast"] - m["corrected"] == 150
    assert m["actuals"] is None  # the new row has no actuals
    assert m["added_rows"] == 1
    details = {r["id"]: r for r in m["row_details"]}
    assert details["a-park"]["deviation"] == 150 and details["d-park-pleje"]["added"]
    assert sum(r["corrected"] for r in details.values()) == m["corrected"]
    assert data["counts"]["delayed"] == 1 and data["counts"]["done"] == 1


def test_a_status_entry_after_the_date_is_ignored(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    data = status_report(ledger, fu, "klima", dt.date(2030, 3, 11))
    assert all(t["state"] is None for t in data["tasks"])
    assert data["counts"][NO_STATUS] == 3
    assert data["tasks"][0]["money"]["corrections"] == -200  # the correction of 26 February counts


def test_quarters_shown() -> None:
    assert shown_quarters(2030, dt.date(2030, 2, 1)) == ["Q1", "Q2"]
    assert shown_quarters(2030, dt.date(2030, 12, 1)) == ["Q4"]
    assert shown_quarters(2030, dt.date(2029, 12, 1)) == ["Q1"]
    assert shown_quarters(2030, dt.date(2031, 1, 1)) == []


def test_money_view_per_row_and_sums(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    data = followup_report(ledger, fu, threshold="100")
    rows = {r["id"]: r for r in data["rows"]}
    assert set(rows) == {"d-park", "a-park", "d-park-pleje", "d-school-save", "d-joint", "d-reserve", "a-school",
                         "a-school-land"}  # every row with money in 2030; d-garden and d-cafe have none
    a = rows["a-park"]
    assert (a["agreed"], a["corrections"], a["corrected"], a["actuals"], a["forecast"], a["deviation"]) == \
        (1000, -200, 800, 420, 950, 150)
    assert a["decisions"] == [{"date": "2030-02-26", "decision": "KB 26.02.2030, pkt. 7", "amount": -200,
                               "note": None}]
    assert a["over"] and not rows["d-park"]["over"] and data["over"] == 1
    new = rows["d-park-pleje"]
    assert new["added"] and new["agreed"] == 0 and new["corrected"] == 75 and new["body"]["id"] == "klima"
    klima_drift = next(s for s in data["sums"] if (s["body"] or {}).get("id") == "klima" and s["kind"] == "drift")
    assert (klima_drift["corrected"], klima_drift["forecast"], klima_drift["deviation"]) == (125, 125, 0)
    assert klima_drift["actuals"] is None  # the new row has none: no partial sum
    assert data["total"]["agreed"] == sum(r["agreed"] for r in data["rows"])
    assert data["total"]["corrected"] == sum(r["corrected"] for r in data["rows"])


def test_threshold_in_thousands_and_percent(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    assert followup_report(ledger, fu, threshold="150")["over"] == 0  # 150 is not larger than 150
    assert followup_report(ledger, fu, threshold="149")["over"] == 1
    assert followup_report(ledger, fu, threshold="18%")["over"] == 1  # 150 of 800 is 18.75 %
    assert followup_report(ledger, fu, threshold="19%")["over"] == 0
    assert followup_report(ledger, fu)["over"] == 0
    assert parse_threshold("10 %") == {"value": 10, "unit": "%"}
    for bad in ("ten", "-5", "1.5", "5%%"):
        with pytest.raises(ReportError):
            parse_threshold(bad)


def test_money_view_as_of_and_filters(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    march = followup_report(ledger, fu, committee="klima", as_of=dt.date(2030, 3, 31))
    ids = [r["id"] for r in march["rows"]]
    assert ids == ["d-park", "a-park"]  # the new row of May is not there yet
    assert march["rows"][1]["forecast"] == 800 and march["rows"][1]["actuals"] == 150
    anlaeg = followup_report(ledger, fu, kind="anlaeg")
    assert {r["kind"] for r in anlaeg["rows"]} == {"anlaeg"}


def test_corrected_budget_beside_the_agreed(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    everything = corrected_lines(ledger, fu)
    drift = next(k for k in everything["kinds"] if k["kind"] == "drift")
    assert drift["agreed"] == 650 and drift["corrections"] == 75 and drift["corrected"] == 725
    assert drift["added_rows"] == 1 and drift["added"] == 75
    assert everything["corrected"] == everything["agreed"] + everything["corrections"]
    klima = corrected_lines(ledger, fu, body_id="klima")
    assert klima["agreed"] == 1050 and klima["corrected"] == 925


def test_skeleton_data_lists_the_body_s_tasks_and_rows(ledger: Ledger) -> None:
    data = skeleton_data(ledger, "klima")
    assert [t["id"] for t in data["tasks"]] == ["nature-park", "nature-study", "joint"]
    assert [r["id"] for r in data["rows"]] == ["d-park", "a-park"]
    assert data["year"] == 2030
    everything = skeleton_data(ledger, None, 2031)
    assert len(everything["tasks"]) == len(ledger.agreement.initiatives)
    assert len(everything["rows"]) == len(ledger.agreement.lines) and everything["year"] == 2031
    with pytest.raises(ReportError):
        skeleton_data(ledger, None, 2040)


def test_several_files_combine_their_lists(ledger: Ledger, tmp_path: Path) -> None:
    extra = tmp_path / "more.yaml"
    extra.write_text("schema_version: 1\nagreement: {municipality: Testby Kommune, title: Aftale om budget 2030}\n"
                     "year: 2030\ntasks:\n  nature-park:\n    status:\n      - {date: 2030-06-15, state: on-track}\n"
                     "rows:\n  d-park-pleje:\n    actuals:\n      - {as_of: 2030-06-30, amount: 30}\n",
                     encoding="utf-8")
    fu = load_followup([KLIMA, FINANCE, extra], ledger, AGREEMENT)
    assert [s.date.isoformat() for s in fu.tasks["nature-park"].status] == ["2030-03-12", "2030-06-15", "2030-09-10"]
    assert fu.tasks["nature-park"].priority == 1
    assert [d.amount for d in fu.rows["d-park-pleje"].actuals] == [30]  # a new row followed up in another file
    assert fu.rows["d-park-pleje"].new is not None


def test_a_bad_file_raises_every_problem(ledger: Ledger, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(KLIMA.read_text(encoding="utf-8").replace("nature-study:", "nature-studdy:")
                   .replace("state: done", "state: finished"), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_followup([bad], ledger, AGREEMENT)
    messages = [p.message for p in info.value.problems]
    assert "unknown initiative 'nature-studdy'" in messages
    assert all(p.line > 0 for p in info.value.problems)


# ----------------------------------------------------------------------------- the CLI


def test_status_json_has_the_documented_shape() -> None:
    code, out, err = run("status", "klima", *BOTH, "--as-of", "2030-09-30", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["body"]["id"] == "klima" and data["body"]["name"] == "Klima- og Miljøudvalget"
    assert data["as_of"] == "2030-09-30" and data["year"] == 2030
    task = data["tasks"][0]
    assert {"initiative", "section", "title", "priority", "plan", "state", "status_date", "note", "money"} <= set(task)
    assert set(task["money"]) >= {"agreed", "corrections", "corrected", "actuals", "forecast", "deviation"}
    assert set(data["counts"]) == {*STATES, "no-status"}
    assert sum(data["counts"].values()) == len(data["tasks"])


def test_status_table_and_markdown() -> None:
    code, out, _ = run("status", "klima", *BOTH, "--as-of", "2030-03-31")
    assert code == 0
    assert "Klima- og Miljøudvalget: status on 31 March 2030" in out
    assert "(amounts in 1.000 kr.)" in out and "1.050" in out  # a unit, and Danish thousands
    assert "Plan for Q1 and Q2 2030" in out
    code, md, _ = run("status", "klima", *BOTH, "--as-of", "2030-09-30", "--format", "markdown")
    assert code == 0
    assert md.startswith("# Klima- og Miljøudvalget: status on 30 September 2030\n")
    assert "| 1 | 4.1 | Ny naturpark | delayed | 10 September 2030 |" in md
    assert "## Plan for Q3 and Q4 2030" in md and "- Ny naturpark  \n  Q3: Anlægsarbejdet begynder" in md
    assert "| Ny naturpark | 1.050 | -125 | 925 | – | 1.075 | 150 |" in md


def test_status_needs_a_follow_up_file_and_a_real_date() -> None:
    code, out, err = run("status", "klima", "--file", str(AGREEMENT))
    assert code == 2 and out == "" and "needs a follow-up file" in err
    code, _, err = run("status", "klima", *BOTH, "--as-of", "31.03.2030")
    assert code == 2 and "invalid date '31.03.2030'" in err
    code, _, err = run("status", "nobody", *BOTH)
    assert code == 2 and "no committee or body matches 'nobody'" in err


def test_status_defaults_to_today(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("status", "klima", *BOTH, "--format", "json")
    assert code == 0 and json.loads(out)["as_of"] == dt.date.today().isoformat()


def test_followup_threshold_exits_1_on_an_overrun() -> None:
    code, out, err = run("followup", *BOTH, "--threshold", "100", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [r["id"] for r in data["rows"] if r["over"]] == ["a-park"]
    assert "1 row over the threshold" in err
    code, out, err = run("followup", *BOTH, "--threshold", "20%")
    assert code == 0 and "no row is over" in out and "no row is over the threshold" in err
    code, _, err = run("followup", *BOTH, "--threshold", "lots")
    assert code == 2 and "invalid threshold 'lots'" in err
    code, _, _ = run("followup", *BOTH)
    assert code == 0


def test_followup_table_and_csv() -> None:
    code, out, _ = run("followup", *BOTH, "--committee", "klima", "--threshold", "100")
    assert code == 1
    assert "Klima- og Miljøudvalget, anlæg 2030 (amounts in 1.000 kr.)" in out
    assert "KB 26.02.2030, pkt. 7: -200" in out and "Pleje af naturparken (added)" in out
    assert "Threshold 100 (1.000 kr.): 1 row over" in out
    code, out, _ = run("followup", *BOTH, "--format", "csv", "--kind", "anlaeg")
    lines = out.splitlines()
    assert lines[0] == "id,body,kind,section,title,initiative,added,agreed,corrections,corrected,actuals,forecast," \
                       "deviation,over"
    assert "a-park,klima,anlaeg,4.1,Naturpark anlæg,nature-park,,1000,-200,800,420,950,150," in lines


def test_init_prints_a_skeleton_that_validate_accepts(tmp_path: Path) -> None:
    for args in (["--committee", "klima"], [], ["--year", "2031"]):
        code, out, err = run("followup", "init", "--file", str(AGREEMENT), *args)
        assert code == 0, err
        skeleton = tmp_path / "skeleton.yaml"
        skeleton.write_text(out, encoding="utf-8")
        code, ok, err = run("validate", "--file", str(AGREEMENT), "--followup", str(skeleton))
        assert code == 0, err
        assert "follow-up of" in ok
    code, out, _ = run("followup", "init", "--file", str(AGREEMENT), "--committee", "klima")
    assert "  # 4.1 Naturen: Ny naturpark\n  nature-park:\n    priority:\n    plan:\n      Q1:\n" in out
    assert "  # Anlæg, 4.1 Naturen: Naturpark anlæg (agreed 2030: 1000)\n  a-park:\n" in out
    assert "status:\n" not in out.split("year:")[1]  # no status yet


def test_init_of_the_shipped_agreement_validates_for_every_body(tmp_path: Path) -> None:
    code, out, _ = run("committees", "--format", "json")
    bodies = [b["id"] for b in json.loads(out)["bodies"]]
    skeleton = tmp_path / "all.yaml"
    for body in [*bodies, None]:
        code, out, err = run("followup", "init", *(["--committee", body] if body else []))
        assert code == 0, err
        skeleton.write_text(out, encoding="utf-8")
        code, _, err = run("validate", "--followup", str(skeleton))
        assert code == 0, (body, err)


def test_totals_and_committee_show_the_corrected_budget() -> None:
    code, out, _ = run("totals", *BOTH, "--year", "2030", "--format", "json")
    data = json.loads(out)
    assert data["net"] == 7450  # the agreed totals are unchanged
    assert data["followup"]["corrected"] == 7325 and data["followup"]["year"] == 2030
    code, out, _ = run("totals", *BOTH)
    assert "Corrected budget 2030 (amounts in 1.000 kr.)" in out and "7.325" in out
    code, out, _ = run("committee", "klima", *BOTH, "--format", "json")
    data = json.loads(out)
    assert data["followup"]["agreed"] == 1050 and data["followup"]["corrected"] == 925
    code, out, _ = run("committee", "klima", *BOTH)
    assert "Corrected budget 2030" in out and "Pleje af naturparken (added during the year)" in out
    code, out, _ = run("committee", "klima", *BOTH, "--format", "csv")
    assert out.splitlines()[0].endswith(",corrections_2030,corrected_2030")
    # without a follow-up file, nothing changes
    assert "followup" not in json.loads(run("totals", "--file", str(AGREEMENT), "--format", "json")[1])


def test_budget_followup_holds_paths_separated_by_the_path_separator() -> None:
    env = {"BUDGET_FOLLOWUP": os.pathsep.join([str(KLIMA), str(FINANCE)])}
    code, out, err = run("status", "klima", "--file", str(AGREEMENT), "--as-of", "2030-09-30", "--format", "json",
                         env=env)
    assert code == 0, err
    assert json.loads(out)["files"] == [str(KLIMA), str(FINANCE)]
    # --followup wins over the variable
    code, out, _ = run("status", "klima", "--file", str(AGREEMENT), "--followup", str(KLIMA), "--format", "json",
                       env=env)
    assert json.loads(out)["files"] == [str(KLIMA)]
    code, out, _ = run("validate", "--file", str(AGREEMENT), env=env)
    assert code == 0 and "2 files" in out


def test_a_bad_follow_up_file_exits_2_located(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FINANCE.read_text(encoding="utf-8").replace("amount: 950", "amount: 1.250"), encoding="utf-8")
    for args in (["status", "klima"], ["followup"], ["totals"], ["committee", "klima"], ["validate"]):
        code, out, err = run(*args, "--file", str(AGREEMENT), "--followup", str(bad))
        assert code == 2 and out == ""
        assert f"{bad}:15:37: error: invalid amount '1.250'" in err
        assert "write 1250" in err


def test_the_cache_serves_a_follow_up_file_until_it_changes(tmp_path: Path) -> None:
    work = tmp_path / "fu.yaml"
    shutil.copy(FINANCE, work)
    args = ["followup", "--file", str(AGREEMENT), "--followup", str(work), "--format", "json"]
    cold = run(*args)
    warm = run(*args)
    off = run("--no-cache", *args)
    assert cold == warm == off
    work.write_text(work.read_text(encoding="utf-8").replace("amount: 950", "amount: 990"), encoding="utf-8")
    changed = json.loads(run(*args)[1])
    assert next(r for r in changed["rows"] if r["id"] == "a-park")["forecast"] == 990
    work.write_text(work.read_text(encoding="utf-8").replace("amount: 990", "amount: 9.90"), encoding="utf-8")
    assert run(*args)[0] == 2  # a bad file is never served from an earlier entry


def test_no_command_writes_to_the_follow_up_files(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    for f in (AGREEMENT, KLIMA, FINANCE):
        shutil.copy2(f, work / f.name)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in work.iterdir()}
    both = ["--file", str(work / "committee.yaml"), "--followup", str(work / "klima.yaml"), "--followup",
            str(work / "finance.yaml")]
    for args in (["status", "klima"], ["followup"], ["followup", "--threshold", "1"], ["totals"],
                 ["committee", "klima"], ["validate"], ["status", "klima", "--format", "markdown"]):
        assert run(*args, *both)[0] in (0, 1)
    assert run("followup", "init", "--file", str(work / "committee.yaml"))[0] == 0
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in work.iterdir()} == before


def test_a_real_subprocess(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGET_")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    exe = budget_executable()
    for _ in range(2):  # cold, then warm from both caches
        res = subprocess.run([exe, "status", "klima", *BOTH, "--as-of", "2030-09-30", "--format", "json"],
                             capture_output=True, text=True, env=env, timeout=120)
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout)["tasks"][0]["state"] == "delayed"
    res = subprocess.run([exe, "followup", *BOTH, "--threshold", "100"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert res.returncode == 1 and "1 row over the threshold" in res.stderr
    assert "\x1b[" not in res.stdout  # piped: plain text
    res = subprocess.run([exe, "followup", "init", "--committee", "KMU"], capture_output=True, text=True, env=env,
                         timeout=120)
    assert res.returncode == 0 and "1.1-borgermillionen:" in res.stdout
    skeleton = tmp_path / "kmu.yaml"
    skeleton.write_text(res.stdout, encoding="utf-8")
    res = subprocess.run([exe, "validate", "--followup", str(skeleton)], capture_output=True, text=True, env=env,
                         timeout=120)
    assert res.returncode == 0 and "follow-up of 2024" in res.stdout, res.stderr
    assert str(SHIPPED)  # the shipped agreement was read (no --file)


def test_a_garbled_or_stale_follow_up_entry_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from budget2024 import cache

    args = ["followup", *BOTH, "--format", "json"]
    good = run(*args)
    directory = cache.cache_dir()
    assert directory is not None
    (entry,) = (directory / "followup").glob("*.json")
    raw = entry.read_bytes()
    for garbled in (raw[: len(raw) // 2], raw.replace(b"420", b"999"), b"", b"budget2024-followup x\n{}",
                    raw.split(b"\n", 1)[0] + b"\n[]"):
        entry.write_bytes(garbled)
        assert run(*args) == good  # a miss: loaded in full again, and the entry rewritten
    # a forged entry with a valid checksum but another key is not used either
    import json as _json

    header, body = raw.split(b"\n", 1)
    stored = _json.loads(body)
    stored["key"]["followup"][0][1] = "0" * 64
    forged = _json.dumps(stored, separators=(",", ":")).encode()
    from budget2024.followup import sha as _sha

    entry.write_bytes(b"budget2024-followup " + _sha(forged).encode() + b"\n" + forged)
    assert run(*args) == good


def test_a_changed_agreement_checks_the_follow_up_again(tmp_path: Path) -> None:
    agreement = tmp_path / "agreement.yaml"
    shutil.copy(AGREEMENT, agreement)
    args = ["status", "klima", "--file", str(agreement), "--followup", str(KLIMA), "--format", "json"]
    assert run(*args)[0] == 0
    assert run(*args)[0] == 0  # warm
    agreement.write_text(agreement.read_text(encoding="utf-8").replace("id: nature-study", "id: nature-survey"),
                         encoding="utf-8")
    code, _, err = run(*args)
    assert code == 2 and "unknown initiative 'nature-study'" in err and "did you mean 'nature-survey'?" in err


def test_the_status_report_is_plain_data_that_every_form_walks(ledger: Ledger, fu) -> None:  # type: ignore[no-untyped-def]
    from budget2024.render import capture
    from budget2024.render.document import to_markdown, to_text
    from budget2024.render.status import show_status, status_document

    data = status_report(ledger, fu, "klima", dt.date(2030, 9, 30))
    assert json.loads(json.dumps(data)) == data  # plain data: what a web page or a Word form reads
    blocks = status_document(data)
    assert json.loads(json.dumps(blocks)) == blocks  # the document, too, is plain data
    assert {b["type"] for b in blocks} <= {"heading", "paragraph", "list", "table"}
    assert capture(show_status, data, "markdown") == to_markdown(blocks)
    assert capture(show_status, data, "table", width=80) == capture(to_text, blocks, width=80)
    money = next(b for b in blocks if b["type"] == "table" and "amounts in 1.000 kr." in b["title"])
    assert money["rows"][0][1:] == ["1.050", "-125", "925", "–", "1.075", "150"]


def test_status_of_every_body_of_the_shipped_agreement() -> None:
    code, out, _ = run("committees", "--format", "json")
    followup = str(FIXTURES / "followup" / "shipped-kmu.yaml")
    for body in json.loads(out)["bodies"]:
        code, out, err = run("status", body["id"], "--followup", followup, "--as-of", "2024-03-31", "--format",
                             "json")
        assert code == 0, err
        data = json.loads(out)
        assert data["body"]["id"] == body["id"]
        assert len(data["tasks"]) == body["initiatives"]
        assert sum(data["counts"].values()) == body["initiatives"]


def test_mutated_follow_up_files_are_valid_or_located_never_a_crash(tmp_path: Path) -> None:
    """Deterministic mutations of the fixtures (a character deleted or inserted, two lines swapped): every
    result is exit 0, or exit 2 with located problems; never a traceback or exit 3."""
    import random

    rng = random.Random(14)
    sources = [KLIMA.read_text(encoding="utf-8"), FINANCE.read_text(encoding="utf-8")]
    path = tmp_path / "mutated.yaml"
    seen = set()
    for _ in range(80):
        text = rng.choice(sources)
        pos = rng.randrange(len(text))
        op = rng.random()
        if op < 0.35:
            text = text[:pos] + text[pos + 1:]
        elif op < 0.7:
            text = text[:pos] + rng.choice(" \n:-{}[]\"09.,#Q~") + text[pos:]
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        path.write_text(text, encoding="utf-8")
        for args in (["validate"], ["status", "klima", "--as-of", "2030-09-30", "--format", "json"]):
            code, out, err = run(*args, "--file", str(AGREEMENT), "--followup", str(path))
            assert code in (0, 2), err
            if code == 2:
                assert out == "" and f"{path}" in err and "error:" in err and "problem" in err
            seen.add(code)
    assert seen == {0, 2}


def test_a_fifo_in_place_of_the_entry_is_a_miss() -> None:
    from budget2024 import cache

    args = ["followup", *BOTH, "--format", "json"]
    good = run(*args)
    directory = cache.cache_dir()
    assert directory is not None
    (entry,) = (directory / "followup").glob("*.json")
    entry.unlink()
    os.mkfifo(entry)
    assert run(*args) == good  # neither blocks nor fails


def test_totals_with_followup_refuses_the_row_filters() -> None:
    """The corrected budget is not filtered yet: refused, exit 2, rather than a table that mixes both."""
    res = runner.invoke(app, ["totals", "--file", str(AGREEMENT), "--followup",
                              str(FIXTURES / "followup" / "klima.yaml"), "--section", "4"])
    assert res.exit_code == 2
    assert "--followup" in res.stderr and "budget followup --committee" in res.stderr


def test_a_bad_threshold_gets_a_hint_about_thresholds() -> None:
    res = runner.invoke(app, ["followup", "--file", str(AGREEMENT), "--followup",
                              str(FIXTURES / "followup" / "klima.yaml"), "--threshold", "abc"])
    assert res.exit_code == 2
    assert "--threshold 10%" in res.stderr and "agreement's years" not in res.stderr
