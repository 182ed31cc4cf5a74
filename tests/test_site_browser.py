"""`budget site` in a real browser: the distribution's headless Chromium, driven by Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium (Debian's ``chromium``
package; BUDGET_CHROMIUM names another). Without it these tests are skipped with a message,
except under CI=true, where a missing browser fails them.

Every page of the site is opened from disk (file://) and checked: no console error, no page
error, no failed request, no request leaving the site's folder, internal links that lead to a
page (and anchor) of the site, one h1 and headings in order, header cells in every table and a
text alternative on every chart. The front page's and a committee page's numbers are compared
with the CLI's JSON, the search page is searched, bars are counted, and the screenshots in
docs/screenshots/ are taken.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.render import dk

from .conftest import FIXTURES, ROOT
from .test_site import ENGLISH_ON_PAGES

CHROMIUM = os.environ.get("BUDGET_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install '.[test]')"
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    why = _missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {why}")
        pytest.skip(f"browser tests skipped: {why}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _build(out: Path, *args: str) -> Path:
    result = CliRunner().invoke(app, ["site", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("browser") / "site")


def _cli_json(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class Watched:
    """A page that records console errors, page errors, failed requests and where it asked."""

    def __init__(self, browser: Any, site: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.page = self.context.new_page()
        self.root = site.resolve().as_uri() + "/"
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed request: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, name: str) -> Any:
        self.page.goto(self.root + name)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any, site: Path) -> Iterator[Watched]:
    w = Watched(browser, site)
    yield w
    w.close()


_PAGE_FACTS = """() => {
  const hs = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1]);
  return {
    headings: hs,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    tablesWithoutHeaders: [...document.querySelectorAll('table')].filter(t => !t.querySelector('th')).length,
    tablesWithoutCaption: [...document.querySelectorAll('table')].filter(t => !t.caption).length,
    chartsWithoutTitle: [...document.querySelectorAll('svg.chart')].filter(
        s => s.getAttribute('role') !== 'img' || !s.querySelector('title') || !s.querySelector('desc')).length,
    lang: document.documentElement.lang,
  };
}"""


def test_every_page_opens_cleanly_with_working_links(watched: Watched, site: Path) -> None:
    pages = sorted(p.name for p in site.glob("*.html"))
    facts: dict[str, dict[str, Any]] = {}
    for name in pages:
        page = watched.open(name)
        if name == "search.html":
            page.fill("#q", "park")
            page.wait_for_selector("#search-results li")
        facts[name] = page.evaluate(_PAGE_FACTS)
    assert watched.errors == []
    outside = [u for u in watched.requests if not u.startswith(watched.root)]
    assert outside == [], "requests that leave the site"
    checked = 0
    for name, f in facts.items():
        hs = f["headings"]
        assert hs.count(1) == 1 and hs[0] == 1, f"{name}: one h1, first"
        assert all(b - a <= 1 for a, b in zip(hs, hs[1:], strict=False)), f"{name}: headings skip a level: {hs}"
        assert f["tablesWithoutHeaders"] == 0 and f["tablesWithoutCaption"] == 0, name
        assert f["chartsWithoutTitle"] == 0, name
        assert f["lang"] == "en"
        for url in f["links"]:
            assert url.startswith(watched.root), f"{name}: {url} leaves the site"
            target, _, anchor = url[len(watched.root):].partition("#")
            target = target.split("?")[0] or name
            assert target in facts or (site / target).is_file(), f"{name}: broken link {url}"
            if anchor:
                assert anchor in facts[target]["ids"], f"{name}: no anchor #{anchor} in {target}"
            checked += 1
    assert len(facts) == len(pages) > 300 and checked > 3000


def _cells(page: Any, selector: str) -> list[dict[str, str]]:
    return page.eval_on_selector_all(selector, "cs => cs.map(c => ({...c.dataset, text: c.innerText.trim()}))")


def test_front_page_numbers_equal_the_cli(watched: Watched) -> None:
    page = watched.open("index.html")
    totals = _cli_json("totals")
    committees = _cli_json("committees")
    seen = 0
    for c in _cells(page, "#totals-table td[data-year]"):
        y = next(v for v in totals["years"] if str(v["year"]) == c["year"])
        want = y["net"] if c["measure"] == "net-total" else y["kinds"][c["kind"]][c["measure"]]
        assert c["text"] == dk(want), c
        seen += 1
    assert seen == len(totals["years"]) * (len(totals["years"][0]["kinds"]) * 3 + 1)
    seen = 0
    bodies = {b["id"]: b["net"] for b in committees["bodies"]}
    for c in _cells(page, "#committees-table td[data-year]"):
        if "total" in c:
            net = committees["totals"]
        else:
            net = bodies[c["body"]] if c["body"] else committees["unassigned"]["net"]
        assert c["text"] == dk(net[c["year"]][c["kind"]]), c
        seen += 1
    assert seen == (len(bodies) + 2) * len(committees["years"]) * len(committees["kinds"])
    strategy = _cli_json("check-strategy")
    from budget2024.render.strategy import num, when

    rows = page.eval_on_selector_all("#strategy-table tbody tr",
                                     "rs => rs.map(r => [...r.cells].map(c => c.innerText.trim()))")
    assert [row[:5] for row in rows] == [
        [r["target"], when(r), f"{r['comparison']} {num(r['required'])}", num(r["actual"]), num(r["margin"])]
        for r in strategy["results"]]
    assert [row[6].split(" (")[0] for row in rows] == [r["status"] for r in strategy["results"]]


def test_committee_page_numbers_equal_the_cli(watched: Watched) -> None:
    report = _cli_json("committee", "klima-miljoe")
    page = watched.open("body-klima-miljoe.html")
    assert page.inner_text("h1") == report["committee"]
    for c in _cells(page, "#body-totals td[data-year]"):
        assert c["text"] == dk(report["totals"][c["year"]][c["kind"]]), c
    rows = page.eval_on_selector_all(
        "table.rows tbody tr", "rs => rs.map(r => ({id: r.dataset.line, cells: [...r.querySelectorAll("
        "'td[data-year]')].map(c => [c.dataset.year, c.innerText.trim()])}))")
    assert [r["id"] for r in rows] == [ln["id"] for ln in report["lines"]]
    for r, line in zip(rows, report["lines"], strict=True):
        for year, text in r["cells"]:
            want = line["total"] if year == "total" else line["amounts"].get(year)
            assert text == (dk(want) if want is not None else ""), (line["id"], year)
    subs = page.eval_on_selector_all(
        "table.rows tfoot tr", "rs => rs.map(r => ({k: r.dataset.subtotal, cells: [...r.querySelectorAll("
        "'td[data-year]')].map(c => c.innerText.trim())}))")
    want_subs = [{"k": s["kind"], "cells": [dk(s["amounts"][str(y)]) for y in report["years"]] + [dk(s["total"])]}
                 for s in report["subtotals"]]
    g = report["grand_total"]
    want_subs.append({"k": "total", "cells": [dk(g["amounts"][str(y)]) for y in report["years"]] + [dk(g["total"])]})
    assert subs == want_subs
    tasks = page.eval_on_selector_all("ul.tasks li", "ls => ls.length")
    assert tasks == sum(1 for i in report["initiatives"] if i["role"] == "involved" or not i["has_amounts"])


def test_charts_have_one_bar_per_year_and_kind_with_the_cli_amounts(watched: Watched) -> None:
    totals = _cli_json("totals")
    page = watched.open("index.html")
    bars = page.eval_on_selector_all("#chart-totals rect.bar", "bs => bs.map(b => ({...b.dataset}))")
    assert len(bars) == len(totals["years"]) * len(totals["years"][0]["kinds"]) == 8
    for b in bars:
        y = next(v for v in totals["years"] if str(v["year"]) == b["group"])
        kind = {"Drift": "drift", "Anlæg": "anlaeg"}[b["series"]]
        assert int(b["value"]) == y["kinds"][kind]["net"]
    report = _cli_json("committee", "klima-miljoe")
    page = watched.open("body-klima-miljoe.html")
    values = page.eval_on_selector_all("#chart-klima-miljoe rect.bar", "bs => bs.map(b => +b.dataset.value)")
    assert sorted(values) == sorted(v for y in report["totals"].values() for v in y.values())
    assert page.eval_on_selector("#chart-klima-miljoe rect.bar", "b => b.getBoundingClientRect().height") > 0


def _search(page: Any, words: str) -> list[dict[str, str]]:
    page.fill("#q", words)
    page.wait_for_function("() => document.getElementById('search-status').textContent !== ''")
    return page.eval_on_selector_all("#search-results li", "ls => ls.map(l => ({...l.dataset, text: l.innerText}))")


def test_search_finds_hedeparken_and_borgermillionen(watched: Watched) -> None:
    page = watched.open("search.html")
    found = _search(page, "Hedeparken")
    assert any(r["type"] == "line" and "Hedeparken" in r["text"] for r in found)
    found = _search(page, "Borgermillionen")
    ids = {r["id"] for r in found if r["type"] == "initiative"}
    assert "1.1-borgermillionen" in ids and any(r["type"] == "line" for r in found)
    # the same initiatives as `budget list --search`; case and accents ignored
    for words in ("borgermillionen", "cykel", "idéer", "okonomi", "ØKONOMI", "Mål"):
        found = _search(page, words)
        want = {r["id"] for r in _cli_json("list", "--search", words) if r.get("type") != "row"}  # initiatives
        assert {r["id"] for r in found if r["type"] == "initiative"} == want, words
    # a result leads to its page
    _search(page, "Hedeparken")
    page.click("#search-results li a")
    assert "Hedeparken" in page.inner_text("main")
    assert watched.errors == []


def test_search_from_the_address_and_by_keyboard(watched: Watched) -> None:
    page = watched.open("search.html?q=Borgermillionen")
    page.wait_for_selector("#search-results li")
    page = watched.open("search.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#q")
    page.keyboard.type("Hedeparken")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li")
    assert watched.errors == []


def test_print_stylesheet_hides_the_navigation(watched: Watched) -> None:
    page = watched.open("body-klima-miljoe.html")
    assert page.is_visible("header.site nav")
    page.emulate_media(media="print")
    assert not page.is_visible("header.site nav") and page.is_visible("table.rows")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000


def test_markup_in_the_data_is_shown_as_text(browser: Any, tmp_path: Path) -> None:
    site = _build(tmp_path / "xss", "--file", str(FIXTURES / "site_xss.yaml"))
    w = Watched(browser, site)
    try:
        for name in ("initiative-park.html", "section-1.2.html", "body-green.html", "index.html"):
            page = w.open(name)
            assert page.evaluate("typeof window.__xss") == "undefined", name
            assert page.locator("main script, main img, main b").count() == 0, name
        page = w.open("initiative-park.html")
        assert page.inner_text("h1") == "Ny park <script>window.__xss = 1</script> &amp; <b>fed</b>"
        page = w.open("body-green.html")
        assert page.inner_text("h1") == "Grønt <img src=x onerror=window.__xss=2> Udvalg"
        page = w.open("search.html")
        found = _search(page, "script")
        assert found and page.evaluate("typeof window.__xss") == "undefined"
        assert w.errors == []
    finally:
        w.close()


def test_screenshots_of_the_front_page_and_a_committee_page(watched: Watched) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, shot in (("index.html", "front-page.png"), ("body-klima-miljoe.html", "committee-page.png")):
        page = watched.open(name)
        page.screenshot(path=str(SCREENSHOTS / shot))
        data = (SCREENSHOTS / shot).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (1100, 900)


def test_the_danish_site_opens_cleanly_and_searches(browser: Any, tmp_path: Path) -> None:
    site = _build(tmp_path / "da", "--lang", "da")
    w = Watched(browser, site)
    try:
        for name in ("index.html", "body-klima-miljoe.html", "initiative-1.1-borgermillionen.html", "reconcile.html"):
            page = w.open(name)
            assert page.evaluate("document.documentElement.lang") == "da"
            # the headings a reader sees, as the browser lays them out: none of them in English
            headings = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,caption,th')]"
                                     ".map(h => h.innerText)")
            assert len(headings) > 3
            english = [h for h in headings
                       if any(re.search(rf"(?<![\w-]){w}(?![\w-])", h) for w in ENGLISH_ON_PAGES)]
            assert english == [], (name, english)
        page = w.open("search.html")
        found = _search(page, "Borgermillionen")
        assert any(r["id"] == "1.1-borgermillionen" for r in found)
        assert page.inner_text("#search-status").startswith("Resultater")
        assert w.errors == [] and all(u.startswith(w.root) for u in w.requests)
    finally:
        w.close()


def test_a_body_page_with_followup_opens_cleanly(browser: Any, tmp_path: Path) -> None:
    followup = FIXTURES / "followup" / "klima.yaml"
    site = _build(tmp_path / "fu", "--file", str(FIXTURES / "committee.yaml"), "--followup", str(followup),
                  "--as-of", "2030-09-30")
    w = Watched(browser, site)
    try:
        for page_file in sorted(site.glob("body-*.html")):
            page = w.open(page_file.name)
            hs = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3')].map(h => +h.tagName[1])")
            assert all(b - a <= 1 for a, b in zip(hs, hs[1:], strict=False))
        page = w.open("body-klima.html")
        assert page.locator("#followup-table tbody tr").count() > 0
        assert w.errors == [] and all(u.startswith(w.root) for u in w.requests)
    finally:
        w.close()
