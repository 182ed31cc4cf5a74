"""`budget site`: the static website, checked as files (the browser tests are in test_site_browser.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.render import dk
from budget2024.render.dates import long_date
from budget2024.render.status import state_label
from budget2024.site import MARKER

from .conftest import FIXTURES, budget_executable

XSS = FIXTURES / "site_xss.yaml"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.cells: list[tuple[dict[str, str | None], str]] = []
        self._cell: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.urls.append(str(a[key]))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "td" and "data-year" in a:
            self._cell, self._text = a, []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append((self._cell, "".join(self._text).strip()))
            self._cell = None


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    result = CliRunner().invoke(app, ["site", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _json(args: list[str]) -> object:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_page_for_everything(site: Path) -> None:
    summary = _json(["validate", "--format", "json"])
    assert isinstance(summary, dict)
    pages = sorted(p.name for p in site.glob("*.html"))
    kinds = {prefix: sum(1 for p in pages if p.startswith(prefix + "-")) for prefix in
             ("body", "section", "initiative", "chapter")}
    assert kinds == {"body": summary["bodies"], "section": summary["sections"],
                     "initiative": summary["initiatives"], "chapter": 7}
    assert {"index.html", "reconcile.html", "search.html"} <= set(pages)
    assert (site / MARKER).is_file() and (site / "static" / "style.css").is_file()


def test_links_are_relative_and_lead_to_files_and_anchors_of_the_site(site: Path) -> None:
    parsed = {p.name: _parse(p) for p in site.glob("*.html")}
    checked = 0
    for name, page in parsed.items():
        for url in page.urls:
            assert not re.match(r"^[a-z]+:|^//|^/", url), f"{name}: {url} is not relative"
            target, _, anchor = url.partition("#")
            target = target.split("?")[0] or name
            assert (site / target).is_file(), f"{name}: {url} leads nowhere"
            if anchor and target.endswith(".html"):
                assert anchor in parsed[target].ids, f"{name}: {url} has no such anchor"
            checked += 1
    assert checked > 3000


def test_no_file_of_the_site_names_another_host(site: Path) -> None:
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css", ".js"}:
            text = path.read_text(encoding="utf-8")
            text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")  # a namespace name, never fetched
            assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//|@import|url\(\s*[\"']?https?:", text), path


def test_front_page_numbers_are_the_cli_totals(site: Path) -> None:
    data = _json(["totals", "--format", "json"])
    committees = _json(["committees", "--format", "json"])
    assert isinstance(data, dict) and isinstance(committees, dict)
    want: dict[tuple[str | None, ...], str] = {}
    for y in data["years"]:
        for k, cell in y["kinds"].items():
            for measure, value in cell.items():
                want[("totals", str(y["year"]), k, measure)] = dk(value)
        want[("totals", str(y["year"]), None, "net-total")] = dk(y["net"])
    for b in [*committees["bodies"], {"id": "", "net": committees["unassigned"]["net"]},
              {"id": "total", "net": committees["totals"]}]:
        for y, kinds in b["net"].items():
            for k, value in kinds.items():
                want[("body", b["id"], y, k)] = dk(value)
    got: dict[tuple[str | None, ...], str] = {}
    for attrs, text in _parse(site / "index.html").cells:
        if "data-measure" in attrs:
            got[("totals", attrs["data-year"], attrs.get("data-kind"), attrs["data-measure"])] = text
        elif "data-body" in attrs or "data-total" in attrs:
            body = "total" if "data-total" in attrs else attrs["data-body"]
            got[("body", body, attrs["data-year"], attrs["data-kind"])] = text
    assert got == want


def test_existing_folder_not_made_by_budget_site_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(XSS)])
    assert result.exit_code == 2
    assert "--force" in result.stderr and (out / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "mine"] or sorted(
        p.name for p in tmp_path.iterdir()) == ["mine"]
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(XSS), "--force"])
    assert result.exit_code == 0, result.output
    assert not (out / "notes.txt").exists() and (out / "index.html").is_file()


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.write_text("x")
    for extra in ([], ["--force"]):
        result = CliRunner().invoke(app, ["site", str(out), "--file", str(XSS), *extra])
        assert result.exit_code == 2 and out.read_text() == "x"


def test_a_site_is_replaced_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert CliRunner().invoke(app, ["site", str(out)]).exit_code == 0
    (out / "stale.html").write_text("old")
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(XSS)])
    assert result.exit_code == 0, result.output
    assert not (out / "stale.html").exists()
    assert "Testby Kommune" in (out / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_an_interrupted_run_leaves_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert CliRunner().invoke(app, ["site", str(out), "--file", str(XSS)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    written = {"n": 0}
    real = Path.write_text

    def failing(self: Path, *args: object, **kwargs: object) -> int:
        written["n"] += 1
        if written["n"] == 40:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing)
    result = CliRunner().invoke(app, ["site", str(out)])
    monkeypatch.setattr(Path, "write_text", real)
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_markup_in_the_data_is_escaped(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert CliRunner().invoke(app, ["site", str(out), "--file", str(XSS)]).exit_code == 0
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>window" not in text and "<img src=x" not in text and "<b>fed" not in text, page
    park = (out / "initiative-park.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt; &amp;amp; &lt;b&gt;fed&lt;/b&gt;" in park


def test_search_index_has_every_initiative_and_row(site: Path) -> None:
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    js = (site / "search-index.js").read_text(encoding="utf-8")
    assert json.loads(js.removeprefix("window.BUDGET_SEARCH = ").rstrip().rstrip(";")) == index
    summary = _json(["validate", "--format", "json"])
    assert isinstance(summary, dict)
    types = [e["type"] for e in index["entries"]]
    assert types.count("initiative") == summary["initiatives"] and types.count("line") == summary["lines"]
    assert all((site / e["url"]).is_file() for e in index["entries"])


def test_danish_site_through_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "offentlig"
    proc = subprocess.run([budget_executable(), "site", str(out), "--lang", "da"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "COLUMNS": "100"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "index.html" in proc.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in index and "I alt pr. år og art" in index and "Forside" in index


def test_bad_agreement_file_is_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(XSS.read_text(encoding="utf-8").replace("amounts: {2031: 4250}", "amounts: {2031: 4.25}"))
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(bad)])
    assert result.exit_code == 2 and "bad.yaml:" in result.stderr
    assert not out.exists()


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["site", "--help"])
    assert result.exit_code == 0 and "budget site public/" in result.stdout


def test_a_folder_holding_the_agreement_file_is_never_replaced(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    agreement = data / "agreement.yaml"
    agreement.write_bytes(XSS.read_bytes())
    for out in (data, tmp_path):
        result = CliRunner().invoke(app, ["site", str(out), "--file", str(agreement), "--force"])
        assert result.exit_code == 2 and "agreement" in result.stderr
        assert agreement.read_bytes() == XSS.read_bytes()


def test_json_says_what_was_written(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(XSS), "--format", "json", "--lang", "da"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"out_dir": str(out), "pages": 14, "index": str(out / "index.html"),
                                         "lang": "da"}
    assert len(list(out.glob("*.html"))) == 14


def test_the_current_folder_is_never_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    assert CliRunner().invoke(app, ["site", str(out), "--file", str(XSS)]).exit_code == 0
    monkeypatch.chdir(out)
    result = CliRunner().invoke(app, ["site", ".", "--file", str(XSS), "--force"])
    assert result.exit_code == 2 and "current folder" in result.stderr
    assert (out / "index.html").is_file()


# ----------------------------------------------------------------------------- --followup

COMMITTEE = FIXTURES / "committee.yaml"
FOLLOWUP = FIXTURES / "followup" / "klima.yaml"
ROW = re.compile(r'<tr data-initiative="([^"]+)">(.*?)</tr>', re.S)
MONEY = re.compile(r'data-money="([a-z]+)">([^<]*)</td>')


@pytest.mark.parametrize("as_of", ["2030-03-31", "2030-09-30"])
def test_followup_on_a_body_page_is_what_budget_status_prints(tmp_path: Path, as_of: str) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(COMMITTEE), "--followup", str(FOLLOWUP),
                                      "--as-of", as_of])
    assert result.exit_code == 0, result.output
    status = _json(["status", "klima", "--followup", str(FOLLOWUP), "--as-of", as_of, "--file", str(COMMITTEE),
                    "--format", "json"])
    assert isinstance(status, dict)
    page = (out / f"body-{status['body']['id']}.html").read_text(encoding="utf-8")
    rows = ROW.findall(page)
    assert [r[0] for r in rows] == [t["initiative"] for t in status["tasks"]]
    checked = 0
    for (_, cells), task in zip(rows, status["tasks"], strict=True):
        money = dict(MONEY.findall(cells))
        if task["money"] is None:
            assert set(money.values()) == {""}
        else:
            for key, text in money.items():
                value = task["money"][key]
                assert text == (dk(value) if value is not None else "–"), (task["initiative"], key)
                checked += 1
        if task["state"]:
            assert f"{state_label(task['state'])} ({long_date(task['status_date'])})" in cells
        for quarter, plan in task["plan"].items():
            assert (plan or "–") in cells, quarter
    assert checked > 0
    assert f"status as of {long_date(as_of)}" in page


def test_without_followup_no_body_page_has_a_followup_section(site: Path) -> None:
    assert not any('id="followup"' in p.read_text(encoding="utf-8") for p in site.glob("body-*.html"))


def test_followup_mistakes_are_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(COMMITTEE), "--followup", str(FOLLOWUP),
                                      "--as-of", "30.09.2030"])
    assert result.exit_code == 2 and "--as-of" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(FOLLOWUP.read_text(encoding="utf-8").replace("state: on-track", "state: on-trak"), encoding="utf-8")
    result = CliRunner().invoke(app, ["site", str(out), "--file", str(COMMITTEE), "--followup", str(bad)])
    assert result.exit_code == 2 and "bad.yaml:" in result.stderr
    assert not out.exists()


#: English words of the site's own that a Danish page must not show in a heading, caption or column.
ENGLISH_ON_PAGES = ["Appendix", "Initiatives", "Initiative", "Subtotal", "Tasks", "Task", "Responsible", "Involved",
                    "Search", "Follow-up", "Chapter", "Chapters", "Section", "Sections", "Economic", "Bodies", "Body",
                    "Reconciliation", "Findings", "Total", "Net", "Year", "Kind", "Measure", "Expansions", "Savings",
                    "Amounts", "Signed", "None", "rows", "without", "where", "the", "and", "of", "per"]


def _headings(html: str) -> list[str]:
    """The text of every heading, table caption and column header of a page."""
    found = re.findall(r"<(h[1-6]|caption|th)\b[^>]*>(.*?)</\1>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for _, text in found]


def test_a_danish_page_has_no_english_headings(tmp_path: Path) -> None:
    out = tmp_path / "da"
    assert CliRunner().invoke(app, ["site", str(out), "--file", str(FIXTURES / "committee.yaml"), "--lang", "da",
                                    "--followup", str(FIXTURES / "followup" / "klima.yaml"),
                                    "--as-of", "2030-09-30"]).exit_code == 0
    checked = 0
    for page in sorted(out.glob("*.html")):
        for heading in _headings(page.read_text(encoding="utf-8")):
            words = [w for w in ENGLISH_ON_PAGES if re.search(rf"(?<![\w-]){w}(?![\w-])", heading)]
            assert words == [], (page.name, heading)
            checked += 1
    assert checked > 50


def test_every_text_of_the_danish_site_is_danish(tmp_path: Path) -> None:
    """Every text a reader sees on every page of the shipped agreement's Danish site (headings,
    tables, the discrepancies' kinds, labels of charts and links): no English word outside quotes
    and ids (`tests/english.py`)."""
    import html as html_lib

    from .english import english_words

    out = tmp_path / "da"
    assert CliRunner().invoke(app, ["site", str(out), "--lang", "da"]).exit_code == 0
    lines = 0
    for page in sorted(out.glob("*.html")):
        text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page.read_text(encoding="utf-8"), flags=re.S)
        seen = re.findall(r'(?:aria-label|title|alt|placeholder)="([^"]*)"', text)
        for line in [*re.sub(r"<[^>]+>", "\n", text).splitlines(), *seen]:
            line = html_lib.unescape(line).strip()
            if line:
                assert english_words(line) == set(), (page.name, line)
                lines += 1
    assert lines > 10_000
