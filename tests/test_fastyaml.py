"""The fast reader (budget2024/fastyaml.py) builds exactly what the full reader builds, or steps aside.

The property, checked on the shipped file, on every YAML file in tests/, on a generated
agreement in flow style, on random mutations of these, and on random small documents made
of YAML's awkward characters: for any text, the fast reader either declines, or the full
reader (PyYAML, with duplicate-key detection) reads the text without a problem and builds
the same data, value for value and type for type.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from budget2024 import fastyaml, load
from budget2024.errors import LoadError
from budget2024.yamlsource import parse

from .conftest import ROOT, SHIPPED
from .test_robustness_fuzz import NASTY_SCALARS, NASTY_TOKENS, UNICODE_TOKENS, fuzz, mutated

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

TESTS = Path(__file__).resolve().parent
YAML_FILES = sorted(p for p in TESTS.rglob("*.yaml") if p.is_file())


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (True is not 1, '2024' is not 2024)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and all(type(x) is type(y) for x, y in zip(a, b, strict=True))
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:  # NaN
        return b != b
    return bool(a == b)


def agree(text: str) -> bool:
    """The property; True when the fast reader accepted the text (and agreed)."""
    try:
        fast = fastyaml.parse(text)
    except fastyaml.Decline as exc:
        if currently_in_test_context():
            note(f"declined: {exc}")
        return False
    try:
        full = parse(text, "x.yaml").data
    except LoadError as err:
        raise AssertionError(f"the fast reader accepted a text the full reader refuses:\n{err.format()}") from None
    assert same(fast, full), (fast, full)
    return True


@pytest.fixture(scope="module")
def flow_style(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shipped agreement scaled twice, written as the benchmark writes it: one flow mapping a line."""
    out = tmp_path_factory.mktemp("flow") / "agreement-K2.yaml"
    generate.write(out, generate.yaml_lines(generate.scaled(generate.read_source(SHIPPED), 2)))
    return out.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- real files


def test_the_shipped_file_is_read_by_the_fast_reader_and_the_same() -> None:
    assert agree(SHIPPED.read_text(encoding="utf-8"))


def test_a_generated_agreement_in_flow_style_is_read_by_the_fast_reader_and_the_same(flow_style: str) -> None:
    assert agree(flow_style)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_yaml_file_in_the_tests_is_read_the_same_or_declined(path: Path) -> None:
    agree(path.read_text(encoding="utf-8", errors="replace"))


def test_most_fixture_files_take_the_fast_path() -> None:
    # the control for the test above: it would pass if the fast reader declined everything
    accepted = sum(agree(p.read_text(encoding="utf-8", errors="replace")) for p in YAML_FILES)
    assert accepted >= len(YAML_FILES) // 2, accepted


# ----------------------------------------------------------------------------- what it reads


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\nb: -41000\nc: 0\n", {"a": 1, "b": -41000, "c": 0}),
    ("amounts: {2024: 250, 2026: -250}\n", {"amounts": {2024: 250, 2026: -250}}),
    ("amounts: {2024: 250,2026: 250}\n", {"amounts": {2024: 250, 2026: 250}}),
    ('s: "1.1"\nt: 1.1\nu: 1.3.1\n', {"s": "1.1", "t": 1.1, "u": "1.3.1"}),
    ("d: 2023-10-04\n", {"d": dt.date(2023, 10, 4)}),
    ("a: yes\nb: No\nc: ~\nd: null\ne: on\nf: Trafik\n", {"a": True, "b": False, "c": None, "d": None, "e": True,
                                                          "f": "Trafik"}),
    ("a:\nb: 2\n", {"a": None, "b": 2}),
    ("a: x # a comment\nb: 'it''s' # another\nc: \"q \\\" \\\\ q\"\n", {"a": "x", "b": "it's", "c": 'q " \\ q'}),
    ("a: x#y\nb: a, b [c] {d}\nc: http://x\n", {"a": "x#y", "b": "a, b [c] {d}", "c": "http://x"}),
    ("l:\n  - a\n  - {k: v, n: [1, 2]}\n  - k: v\n    m: [x, 'y', \"z\"]\n  -\n    deep: {}\n",
     {"l": ["a", {"k": "v", "n": [1, 2]}, {"k": "v", "m": ["x", "y", "z"]}, {"deep": {}}]}),
    ("l: []\nm: {}\nn: [[], {}]\n", {"l": [], "m": {}, "n": [[], {}]}),
    ("\ufeffa: 1\r\nb: 2\r\n".lstrip("\ufeff"), {"a": 1, "b": 2}),
    ("# only a comment first\n\n  # indented comment\na:   spaced   words  \n", {"a": "spaced   words"}),
    ("2024: x\n'2024': y\n", {2024: "x", "2024": "y"}),
    ("a: {b: 1}  # a comment after the collection\n", {"a": {"b": 1}}),
])
def test_what_the_fast_reader_reads(text: str, expected: Any) -> None:
    assert same(fastyaml.parse(text), expected)
    assert agree(text)


@pytest.mark.parametrize("text", [
    "",  # empty: the full reader's message
    "# only comments\n",
    "a: 1\na: 2\n",  # a duplicated key
    "a: {x: 1, x: 2}\n",
    "a: 1\ntrue: 2\n1: 3\n",  # 1 and true are the same key to Python, and a duplicate to the full reader
    "a: &x 1\nb: *x\n",  # anchors and aliases
    "a: !!str 1\n",  # tags
    "<<: {a: 1}\n",  # merge keys
    "a: |\n  text\n",  # block scalars
    "a: >\n  text\n",
    "a: plain\n  continued\n",  # a value continued on the next line
    "a: \"open\n  closed\"\n",
    "a: [1,\n  2]\n",  # a flow collection over two lines
    "a:\n- 1\n",  # a list at the indentation of its key
    "a:\tb\n",  # tabs
    "a: 1\rb: 2\n",  # a lone carriage return
    "a: \"\\x41\"\n",  # escapes other than \\" and \\\\
    "a: [1, 2,]\n",  # a trailing comma
    "a: {b}\n",  # a key without a value
    "a: {\"b\": 1}\n",  # quoted keys in flow mappings
    "a: [b: 1]\n",  # a single-pair mapping in a sequence
    "a: {b: c?}\n",
    "a: {b: c:d}\n",
    "a: [1] x\n",
    "a: b: c\n",
    "- a\n- b\n",  # the document is a list
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: ? b\n",
    "a: =\n",
    "  a: 1\nb: 2\n",
    "a: 1\n  b: 2\n",
    "k" * 1100 + ": 1\n",
    "a: {b: 1},\n",  # a comma after the collection
    "a: {} {}\n",  # a second collection on the line
    "a: {b: 1]\n",  # mismatched brackets
    # a space of Unicode's at an entry boundary inside a flow collection (once skipped unseen)
    "a: [\u00a0x]\n",
    "amounts: {2031: -500\u00a0}\n",
    "l: [{\u00a0id: admin, name: x}]\n",
    "a: [\u00a0[1]]\n",
    "a: [x,\u3000y]\n",
    "a: {b: 1\u2009}\n",
    "a: x\u200b\n",  # a zero-width space in a plain value
    "a: \"x\ufeffy\"\n",  # the BOM inside a line
    "a: A\u030a\n",  # a combining mark (an NFD letter)
    "a: \u200fx\n",  # a right-to-left mark
    "a: {b: 1 # c}\n",  # a comment inside a flow collection
    "a: " + "[" * 60 + "]" * 60 + "\n",  # nested too deeply for this reader
])
def test_what_the_fast_reader_leaves_to_the_full_reader(text: str) -> None:
    with pytest.raises(fastyaml.Decline):
        fastyaml.parse(text)


#: Where a character can stand in a line of an agreement: at each boundary of a flow entry, in
#: keys and values, block and flow, plain and quoted.
_UNICODE_TEMPLATES = [
    "amounts: {{2031: -500{c}}}\n", "amounts: {{{c}2031: -500}}\n", "amounts: {{2031:{c} -500}}\n",
    "amounts: {{2031: {c}-500}}\n", "amounts: {{2031{c}: -500}}\n", "amounts: {{2031: -500,{c}2032: 1}}\n",
    "amounts: {{2031: -500{c}, 2032: 1}}\n", "l: [{c}x]\n", "l: [x{c}]\n", "l: [{c}[1]]\n", "l: [[1]{c}]\n",
    "l: [{c}{{id: a}}]\n", "l: [{{{c}id: a, name: b}}]\n", "l: [{{id: a{c}, name: b}}]\n", "id: a{c}\n",
    "id: {c}a\n", "i{c}d: a\n", "id{c}: a\n", "a: 2024{c}\n", "a: '{c}x'\n", 'a: "x{c}"\n', "- {c}\n",
    "l:\n  - {c}a\n", "l:\n  -{c} a\n", "l:\n{c}  - a\n", "a: x {c}# c\n", "a: x{c} # c\n",
    "a: Åben{c}\n", "{c}a: 1\n",
]


@pytest.mark.parametrize("template", _UNICODE_TEMPLATES)
def test_every_unicode_character_at_every_boundary(template: str) -> None:
    # the differential property, for each awkward character of Unicode's in each place: the fast
    # reader builds what the full reader builds, or steps aside (never an ASCII-only fuzzer's blind spot)
    for c in UNICODE_TOKENS:
        text = template.format(c=c)
        try:
            agree(text)
        except AssertionError as exc:
            raise AssertionError(f"{text!r}: {exc}") from None


@fuzz(200)
@given(data=st.data(), c=st.sampled_from(UNICODE_TOKENS) | st.characters(min_codepoint=0x80))
def test_mutations_with_unicode_characters(data: st.DataObject, c: str) -> None:
    lines = SHIPPED.read_text(encoding="utf-8").split("\n")[:120]
    i = data.draw(st.integers(0, len(lines) - 1))
    at = data.draw(st.integers(0, len(lines[i])))
    lines[i] = lines[i][:at] + c + lines[i][at:]
    agree("\n".join(lines))


# ----------------------------------------------------------------------------- random texts


@fuzz(150)
@given(data=st.data())
def test_mutations_of_the_shipped_file(data: st.DataObject) -> None:
    agree(data.draw(mutated(SHIPPED.read_text(encoding="utf-8"))))


@fuzz(150)
@given(data=st.data())
def test_mutations_of_a_flow_style_agreement(data: st.DataObject, flow_style: str) -> None:
    lines = flow_style.split("\n")
    head = "\n".join(lines[:40] + [ln for ln in lines if ln.startswith("  - {id: d-")][:20]
                     + [ln for ln in lines if ln.startswith("  - {id: 1.")][:20])
    agree(data.draw(mutated(head)))


_PIECES = st.sampled_from([
    "a", "b", "x y", "2024", "-1", "0", "07", "1_000", "1.5", "1e3", ".inf", "yes", "No", "~", "null", "2023-10-04",
    "12:30", ":", ": ", "- ", "-", "#", " #", "{", "}", "[", "]", ",", ", ", '"', "'", "''", '\\"', "\\", "?", "&",
    "*", "!", "|", ">", "%", "@", "`", "=", "<<", "\n", "\n  ", "\n    ", "\n- ", "\n  - ", " ", "  ", "æø",
    *NASTY_TOKENS, *NASTY_SCALARS[:30],
])


@fuzz(400)
@given(pieces=st.lists(_PIECES, min_size=1, max_size=30))
def test_random_texts_of_yaml_pieces(pieces: list[str]) -> None:
    agree("".join(pieces))


#: Values whose type PyYAML decides: every implicit type, and near misses.
_VALUES = st.sampled_from([
    "a", "x y", "2024", "-1", "0", "07", "1_000", "1.5", "1e3", ".inf", "yes", "No", "~", "null", "2023-10-04",
    "12:30", '"q"', "'s'", "[a, b]", "{k: v}", "[]", "{}", "a#b", "a # c", "http://x", "-x", "1.3.1", "+5", "0x1F",
    "0o17", "1:20", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "1e+3", "1.0e+3", "-.inf", ".NaN",
    "0b101", "1,000", "[1,2 ,3]", "{a: [1, {b: c}]}", "'it''s'", '"a\\"b"', "Yes", "ON", "n", "y", "NULL", "2025-13-01",
])


@fuzz(300)
@given(keys=st.lists(st.sampled_from(["a", "b", "2024", "'a'", '"b"', "yes", "1", "c d", "x-y"]), min_size=1,
                     max_size=4),
       values=st.lists(_VALUES | _PIECES, min_size=1, max_size=6), shape=st.sampled_from(["flow", "block", "list"]))
def test_random_mappings(keys: list[str], values: list[str], shape: str) -> None:
    pairs = list(zip(keys, values, strict=False))
    if shape == "flow":
        text = "m: {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}\n"
    elif shape == "block":
        text = "".join(f"{k}: {v}\n" for k, v in pairs)
    else:
        text = "l:\n" + "".join(f"  - {k}: {v}\n    z: {v}\n" for k, v in pairs)
    agree(text)


# ----------------------------------------------------------------------------- how load() uses it


def test_load_takes_the_fast_path_for_the_shipped_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the full reader was used")

    monkeypatch.setattr(load, "parse", refuse)
    assert len(load.load(SHIPPED).lines) > 100


def test_a_problem_found_after_the_fast_path_is_reported_with_its_line(tmp_path: Path) -> None:
    # the fast reader reads this file (it is plain YAML), but the agreement is wrong: the
    # problem must still name its line, which only the full reader knows
    text = SHIPPED.read_text(encoding="utf-8").replace("kind: drift", "kind: drfit", 1)
    assert agree(text)
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load.load(path)
    line = text.split("\n").index("    kind: drfit") + 1
    assert [(p.line, p.column) for p in err.value.problems] == [(line, 11)]


def test_a_declined_file_is_read_in_full(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("unit: 1000 DKK", "unit: &u 1000 DKK", 1)
    with pytest.raises(fastyaml.Decline):
        fastyaml.parse(text)
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    assert load.load(path).model_dump() == load.load(SHIPPED).model_dump()


def test_a_long_list_with_one_bad_item_still_reports_it_with_its_line(tmp_path: Path) -> None:
    # long lists are validated in one call; one bad item sends them back to item-by-item
    # validation, which must report exactly that item, located
    data = generate.scaled(generate.read_source(SHIPPED), 10)  # 1.210 rows, 2.130 initiatives
    path = tmp_path / "agreement.yaml"
    generate.write(path, generate.yaml_lines(data))
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("lines:")
    target = [i for i, ln in enumerate(lines) if i > start and "kind: drift" in ln][300]
    lines[target] = lines[target].replace("kind: drift", "kind: drfit", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load.load(path)
    assert [p.line for p in err.value.problems] == [target + 1]
    assert "drfit" in err.value.problems[0].message
    assert load._BATCH < 1210


def _outcome(load_it: Any) -> Any:
    try:
        return ("ok", load_it().model_dump())
    except LoadError as err:
        return ("error", [p.format() for p in err.problems])


@fuzz(100)
@given(data=st.data(), path=st.sampled_from([SHIPPED, TESTS / "fixtures" / "mini.yaml"]))
def test_load_with_the_fast_reader_ends_as_the_full_reader_does(data: st.DataObject, path: Path,
                                                                tmp_path_factory: pytest.TempPathFactory) -> None:
    # end to end: the same agreement, or the same problems at the same lines, word for word
    text = data.draw(mutated(path.read_text(encoding="utf-8")))
    file = tmp_path_factory.mktemp("m") / "agreement.yaml"
    file.write_text(text, encoding="utf-8")
    full = _outcome(lambda: load.validate_source(parse(load.read_text(file, str(file)), str(file))))
    assert _outcome(lambda: load.load(file)) == full


def test_budget_debug_says_why_the_fast_reader_stepped_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("unit: 1000 DKK", "unit: &u 1000 DKK", 1)
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("BUDGET_DEBUG", "1")
    load.load(path)
    line = text.split("\n").index("  unit: &u 1000 DKK") + 1
    assert f"fast reader declined: line {line}: a value starting with '&'" in capsys.readouterr().err
