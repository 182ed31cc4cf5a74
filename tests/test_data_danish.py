"""The shipped data's own words are Danish (issue 15, point 1).

The notes, readings, inferred links and discrepancy texts in data/agreement.yaml were written by
us, not quoted from the agreement; their readers are Danish, so they are written in Danish. Quotes
from the agreement inside them are Danish already and are left out of the check, as are ids and
file keys (`1.4-frivillighedspolitikken-new-money`, `reprioritisation_rows`). English output shows
the texts as written: they are data, not messages of the program.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import SHIPPED
from tests.english import QUOTED, english_words


def our_texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for every text in the file that we wrote, not the agreement."""
    def people(rows: list[dict[str, Any]] | None, where: str) -> Iterator[tuple[str, str]]:
        for i, r in enumerate(rows or []):
            for key in ("note", "inferred"):
                if r.get(key):
                    yield f"{where}.bodies[{i}].{key}", r[key]

    yield "agreement.source", data["agreement"]["source"]
    for b in data["bodies"]:
        if b.get("note"):
            yield f"bodies[{b['id']}].note", b["note"]
    for s in data["sections"]:
        if s.get("note"):
            yield f"sections[{s['id']}].note", s["note"]
        yield from people(s.get("bodies"), f"sections[{s['id']}]")
    for ini in data["initiatives"]:
        if ini.get("note"):
            yield f"initiatives[{ini['id']}].note", ini["note"]
        yield from people(ini.get("bodies"), f"initiatives[{ini['id']}]")
        for j, p in enumerate(ini.get("prose_amounts") or []):
            for key in ("note", "reading"):
                if p.get(key):
                    yield f"initiatives[{ini['id']}].prose_amounts[{j}].{key}", p[key]
    for ln in data["lines"]:
        if ln.get("note"):
            yield f"lines[{ln['id']}].note", ln["note"]
    for d in data["discrepancies"]:
        yield f"discrepancies[{d['id']}].text", d["text"]
    for f in data.get("stated_figures") or []:
        if f.get("note"):
            yield f"stated_figures[{f['id']}].note", f["note"]
    for t in data["strategy"]["targets"]:
        for key in ("note", "reading"):
            if t.get(key):
                yield f"strategy.targets[{t['id']}].{key}", t[key]
    for name, fig in (data.get("key_figures") or {}).items():
        if fig.get("reading"):
            yield f"key_figures.{name}.reading", fig["reading"]


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    with SHIPPED.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def test_the_check_tells_english_from_danish() -> None:
    # the English original of a shipped line note, and its Danish text
    assert english_words("Only 2024; the prose says 0,5 mio. kr. årligt 2024-2027.") == {"only", "the", "prose", "says"}
    assert english_words("Kun 2024; aftaleteksten siger 0,5 mio. kr. årligt 2024-2027.") == set()
    # a quote of the agreement, an id and a file key are not our words
    assert english_words('Aftaleteksten: "yderligere 0,1 mio. kr. årligt" (1.4-frivillighedspolitikken-new-money, '
                         "reprioritisation_rows).") == set()
    # but an English sentence around a Danish quote is English
    assert english_words('The text says "fastholdes årligt".') == {"the", "says"}


def test_every_text_we_wrote_in_the_shipped_data_is_danish(shipped: dict[str, Any]) -> None:
    texts = list(our_texts(shipped))
    # every kind of text is there, so the check cannot pass by finding none
    kinds = {re.sub(r"\[[^\]]*\]", "", where) for where, _ in texts}
    assert {"agreement.source", "bodies.note", "sections.note", "sections.bodies.note", "initiatives.note",
            "initiatives.bodies.note", "initiatives.bodies.inferred", "initiatives.prose_amounts.note",
            "initiatives.prose_amounts.reading", "lines.note", "discrepancies.text", "stated_figures.note",
            "strategy.targets.note", "strategy.targets.reading", "key_figures.service_frame.reading"} <= kinds
    assert len(texts) >= 240
    english = {where: sorted(english_words(text)) for where, text in texts if english_words(text)}
    assert english == {}


def test_danish_units_and_numbers_in_the_texts(shipped: dict[str, Any]) -> None:
    # amounts in the texts are written the Danish way: 4.250, 0,3 mio. kr. — never 4,250 or 0.3 million
    for where, text in our_texts(shipped):
        bare = QUOTED.sub(" ", text)
        assert not re.search(r"\b\d{1,3},\d{3}\b(?!,)", bare), where
        assert not re.search(r"\b\d+\.\d+ ?(?:mio|mia)\b", bare), where
        assert not re.search(r"\b(?:millions?|thousands?)\b", bare), where


SHOW = "1.4-frivillighedspolitikken"
NOTE = "beløbet føres ikke blandt aftaletekstens beløb, da bilaget kun viser nye midler"
DISCREPANCY = "0,1 mio. kr. om året er nye midler"


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_data_texts_are_shown_as_written_in_either_language(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from budget2024.cli import app

    monkeypatch.setenv("BUDGET_LANG", lang)
    monkeypatch.setenv("COLUMNS", "400")
    res = CliRunner().invoke(app, ["show", SHOW])
    assert res.exit_code == 0, res.output
    flat = " ".join(res.stdout.split())
    assert NOTE in flat
    assert DISCREPANCY in flat
    res = CliRunner().invoke(app, ["show", SHOW, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert NOTE in res.stdout and DISCREPANCY in res.stdout
