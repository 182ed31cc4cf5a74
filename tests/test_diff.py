"""`budget diff OLD [NEW]`: two files, or two real revisions of a temporary git repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app

from .conftest import FIXTURES, budget_executable

runner = CliRunner()
BASE = FIXTURES / "committee.yaml"
STRATEGY = FIXTURES / "strategy" / "agreement.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def edit(text: str) -> str:
    """The amendment the tests make: an amount changed, a row moved to another year, a row
    moved to the other kind, a row removed, an initiative retitled and one given other bodies."""
    joint, park = 'amounts: {2030: 300}\n    raw: "4.2 Fælles pulje 300   "', \
        'amounts: {2030: 50}\n    raw: "4.1 Naturpark drift 50   "'
    assert joint in text and park in text
    out = text.replace(joint, 'amounts: {2030: 450}\n    raw: "4.2 Fælles pulje 450   "')
    out = out.replace(park, 'amounts: {2031: 50}\n    raw: "4.1 Naturpark drift  50  "')
    out = out.replace("  - id: d-reserve\n    kind: drift\n", "  - id: d-reserve\n    kind: anlaeg\n")
    start = out.index("  - id: a-school-land")
    end = out.index("  - id: a-park")
    out = out[:start] + out[end:]
    out = out.replace("title: En plan for skolerne", "title: En ny plan for skolerne")
    out = out.replace("    title: Fælles pulje\n  - id: d-joint", "    title: Fælles pulje\n  - id: d-joint")
    out = out.replace("  - id: joint\n    section: \"4.2\"\n    title: Fælles pulje\n",
                      "  - id: joint\n    section: \"4.2\"\n    title: Fælles pulje\n"
                      "    bodies: [{body: klima, role: responsible}]\n")
    assert out != text
    return out


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two real commits of data/agreement.yaml: the base and the amendment."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    git(root, "init", "-q")
    f = root / "data" / "agreement.yaml"
    f.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "v1")
    f.write_text(edit(BASE.read_text(encoding="utf-8")), encoding="utf-8")
    git(root, "commit", "-q", "-am", "amendment")
    return root


def diff(*args: str) -> dict:
    result = runner.invoke(app, ["diff", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def check_the_amendment(data: dict) -> None:
    rows = data["rows"]
    assert [r["id"] for r in rows["removed"]] == ["a-school-land"] and rows["added"] == []
    changed = {c["id"]: c for c in rows["changed"]}
    assert changed["d-joint"]["years"] == [{"year": 2030, "old": 300, "new": 450, "change": 150}]
    assert changed["d-park"]["moved_years"] == {"from": [2030], "to": [2031]}
    assert changed["d-reserve"]["kind_change"] == {"old": "drift", "new": "anlaeg"}
    assert set(changed) == {"d-joint", "d-park", "d-reserve"}  # unchanged rows are not listed
    ini = data["initiatives"]
    assert [(c["id"], c["changed"]) for c in ini["changed"]] == [("school-plan", ["title"]), ("joint", ["bodies"])]
    assert ini["changed"][0]["title_change"] == {"old": "En plan for skolerne", "new": "En ny plan for skolerne"}
    totals = {(t["year"], t["kind"]): t for t in data["totals"]}
    assert totals[(2030, "net")] == {"year": 2030, "kind": "net", "old": 7450, "new": 6750, "change": -700}
    assert totals[(2030, "anlaeg")]["change"] == -800 + 700  # the land purchase removed, the reserve moved in
    committees = {c["id"]: c for c in data["committees"]}
    assert committees["oekonomi"]["change"] == -800
    assert committees["klima"]["change"] == 150 + 300  # d-joint's rise, and d-joint now belongs to klima
    assert data["changes"] == 6


def test_two_revisions_of_a_git_repository(repo: Path) -> None:
    f = repo / "data" / "agreement.yaml"
    before = f.stat().st_mtime_ns
    data = diff("v1", "HEAD", "--file", str(f))
    check_the_amendment(data)
    assert data["old"] == f"v1:{f}" and data["new"] == f"HEAD:{f}"
    # NEW defaults to the file as it is now; HEAD~1 is a revision like any other
    assert diff("HEAD~1", "--file", str(f))["rows"] == data["rows"]
    # the work tree is never touched
    assert git(repo, "status", "--porcelain") == "" and f.stat().st_mtime_ns == before


def test_two_files(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    new.write_text(edit(BASE.read_text(encoding="utf-8")), encoding="utf-8")
    check_the_amendment(diff(str(old), str(new)))


def test_no_difference_and_exit_code(repo: Path) -> None:
    f = str(repo / "data" / "agreement.yaml")
    same = runner.invoke(app, ["diff", "HEAD", "--file", f, "--exit-code"])
    assert same.exit_code == 0 and same.stdout.startswith("No budget changes")
    changed = runner.invoke(app, ["diff", "v1", "--file", f, "--exit-code"])
    assert changed.exit_code == 1 and "6 changes" in changed.stdout
    assert runner.invoke(app, ["diff", "v1", "--file", f]).exit_code == 0  # without --exit-code


def test_table_and_markdown(repo: Path) -> None:
    f = str(repo / "data" / "agreement.yaml")
    table = runner.invoke(app, ["diff", "v1", "--file", f]).stdout
    assert "Appendix rows removed (1; amounts in 1.000 kr.)" in table
    assert "Grundkøb til skolen" in table and "moved from 2030 to 2031" in table and "moved from Drift to Anlæg" in table
    assert "+150" in table and "-700" in table  # changes are signed, in Danish format
    md = runner.invoke(app, ["diff", "v1", "--file", f, "--format", "markdown"]).stdout
    assert md.startswith("## Budget changes: v1:")
    assert "| Kind | Section | Title | Year | Old | New | Change |" in md
    assert "- changed: En ny plan for skolerne [school-plan]: retitled from “En plan for skolerne”" in md


def test_strategy_results_whose_status_changes(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    text = STRATEGY.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("key_figures:\n", "key_figures:\n  service_expenditure:\n    values: {2030: 99000}\n"
                                "    unit: 1000 DKK\n    source: \"Test.\"\n", 1), encoding="utf-8")
    data = diff(str(old), str(new))
    assert [k["id"] for k in data["key_figures"]] == ["service_expenditure"]
    assert data["strategy"] and all(s["old"] != s["new"] for s in data["strategy"])
    assert data["rows"] == {"added": [], "removed": [], "changed": []} and data["totals"] == []


def test_an_invalid_side_is_located_and_exits_2(repo: Path, tmp_path: Path) -> None:
    f = str(repo / "data" / "agreement.yaml")
    bad_rev = runner.invoke(app, ["diff", "no-such-rev", "--file", f])
    assert bad_rev.exit_code == 2 and bad_rev.stdout == ""
    assert bad_rev.stderr.startswith(f"no-such-rev:{f}: error: OLD: 'no-such-rev' is neither a file nor a git revision")
    broken = tmp_path / "broken.yaml"
    broken.write_text(BASE.read_text(encoding="utf-8").replace("amounts: {2030: 300}", "amounts: {2030: 3.00}"),
                      encoding="utf-8")
    result = runner.invoke(app, ["diff", f, str(broken)])
    assert result.exit_code == 2
    line = next(i for i, ln in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if "3.00" in ln)
    assert result.stderr.startswith(f"{broken}:{line}:")
    # a revision whose file is not a valid agreement is located in that revision
    Path(f).write_text("schema_version: 1\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    result = runner.invoke(app, ["diff", "HEAD", "v1", "--file", f])
    assert result.exit_code == 2 and result.stderr.startswith(f"HEAD:{f}:")


def test_diff_in_a_real_process(repo: Path) -> None:
    done = subprocess.run([budget_executable(), "diff", "HEAD~1", "--exit-code", "--format", "json"],
                          capture_output=True, text=True, check=False, cwd=repo,
                          env={**os.environ, "BUDGET_FILE": "data/agreement.yaml"})
    assert done.returncode == 1, done.stderr
    check_the_amendment(json.loads(done.stdout))


def test_the_output_is_the_same_cold_warm_and_without_cache(repo: Path, tmp_path: Path) -> None:
    from budget2024 import cache

    f = repo / "data" / "agreement.yaml"
    old = tmp_path / "old.yaml"
    old.write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "BUDGET_DEBUG": "1"}
    args = ["diff", str(old), "--file", str(f), "--format", "json"]
    cold = runner.invoke(app, args, env=env)
    warm = runner.invoke(app, args, env=env)
    off = runner.invoke(app, ["--no-cache", *args], env=env)
    cache.switch_off(False)
    assert cold.exit_code == warm.exit_code == off.exit_code == 0
    assert cold.stdout == warm.stdout == off.stdout
    assert warm.stderr.count("cache: hit") == 2  # one entry per side
    assert len(list((tmp_path / "cache" / "budget2024").glob("*.jsonl"))) == 2
