"""No number is ever cut: every table, at every width from 20 to 200.

The property: for each command in :data:`TABLES`, at each width, every amount that the
command's ``--format json`` holds appears in the table's text as one whole Danish-formatted
number (4.250, -135.000), every year heading appears whole, and every status stays on one line.

A table added later joins by adding one line to :data:`TABLES`: the command as a table, and
the JSON keys whose numbers are amounts (numbers anywhere below such a key count).
The tables are drawn in-process, through the CLI (CliRunner), with ``COLUMNS`` set.
"""

from __future__ import annotations

import importlib
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import pytest
from typer.testing import CliRunner

from budget2024.cli import app
from budget2024.commands import COMMANDS as ALL_COMMANDS

from .conftest import FIXTURES, SHIPPED

runner = CliRunner()
WIDTHS = range(20, 201)
STRATEGY = FIXTURES / "strategy"
FOLLOWUP = FIXTURES / "followup" / "shipped-kmu.yaml"
DIFF = FIXTURES / "diff"


class Table(NamedTuple):
    args: list[str]  # the command, drawn as a table
    renderer: str  # module:function the command draws it with (called again here at every width)
    amount_keys: frozenset[str]  # JSON keys whose numbers are amounts
    words: tuple[str, ...] = ()  # JSON keys whose text values must appear whole, on one line
    skip: frozenset[str] = frozenset()  # JSON keys the table does not draw (detail kept for programs)


def t(args: str, renderer: str, amounts: str, words: str = "", skip: str = "") -> Table:
    return Table(args.split(), renderer, frozenset(amounts.split()), tuple(words.split()), frozenset(skip.split()))


V, C = "budget2024.render.views", "budget2024.render.committee"
TABLES: list[Table] = [
    t("totals", f"{V}:show_totals", "expansions savings net"),
    t("totals --year 2027", f"{V}:show_totals", "expansions savings net"),
    t("totals --kind anlaeg", f"{V}:show_totals", "expansions savings net"),
    t("lines", f"{V}:show_lines", "amounts total"),
    t("committee klima", f"{C}:show_committee", "amounts total"),
    t("committee oekonomi --year 2025", f"{C}:show_committee", "amounts"),  # the year's amounts only
    t("committees", f"{C}:show_committees", "drift anlaeg"),
    t("list --committee klima", f"{C}:show_list", ""),  # no amounts: its table must still draw at every width
    t("show 1.1-borgermillionen", f"{C}:show_initiative", "amounts total"),
    t("show 4.3.2-energirenovering", f"{C}:show_initiative", "amounts total"),
    t("reconcile", "budget2024.render.reconcile:show_reconcile", "prose appendix"),
    t("check-strategy", "budget2024.render.strategy:show_check", "required actual margin", "status"),
    t(f"check-strategy --file {STRATEGY / 'agreement.yaml'} --figures {STRATEGY / 'fail.yaml'}",
      "budget2024.render.strategy:show_check", "required actual margin", "status"),
    t(f"status klima --followup {FOLLOWUP} --as-of 2024-09-30", "budget2024.render.status:show_status",
      "agreed corrections corrected actuals forecast deviation", skip="row_details"),
    t(f"followup --followup {FOLLOWUP}", "budget2024.render.followup:show_followup",
      "agreed corrected actuals forecast deviation"),
    t(f"diff {DIFF / 'old.yaml'} {DIFF / 'new.yaml'}", "budget2024.render.diff:show_diff",
      "amounts total old new change before after"),
]

#: The commands that draw no table of amounts (a summary line, files written, a schema).
NO_TABLE = {"validate", "export", "site", "schema"}


def test_every_table_command_is_drawn_here() -> None:
    assert {tb.args[0] for tb in TABLES} | NO_TABLE == set(ALL_COMMANDS)


STATUS_WORDS = {"pass": "pass", "fail": "FAIL", "not-evaluable": "not evaluable"}


def invoke(args: list[str], columns: int) -> tuple[int, str]:
    if "--file" not in args:
        args = [*args, "--file", str(SHIPPED)]
    res = runner.invoke(app, args, env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    return res.exit_code, res.stdout


def numbers(data: Any, keys: frozenset[str], year: int | None, inside: bool = False,
            skip: frozenset[str] = frozenset()) -> Iterator[int | float]:
    """Every number at or below one of ``keys`` (not below ``skip``); of a mapping by year, only ``year``'s."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k in skip:
                continue
            if inside and year is not None and k.isdigit() and len(k) == 4 and k != str(year):
                continue
            yield from numbers(v, keys, year, inside or k in keys, skip)
    elif isinstance(data, list):
        for v in data:
            yield from numbers(v, keys, year, inside, skip)
    elif inside and isinstance(data, int | float) and not isinstance(data, bool):
        yield data


def texts(data: Any, keys: tuple[str, ...]) -> Iterator[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k in keys and isinstance(v, str):
                yield STATUS_WORDS.get(v, v) if k == "status" else v
            else:
                yield from texts(v, keys)
    elif isinstance(data, list):
        for v in data:
            yield from texts(v, keys)


def years(data: Any) -> set[int]:
    """The years the JSON names: values of "year" and the whole numbers in "years" lists."""
    found: set[int] = set()
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "year" and type(v) is int:
                found.add(v)
            elif k == "years" and isinstance(v, list):
                found |= {y for y in v if type(y) is int}
            found |= years(v)
    elif isinstance(data, list):
        for v in data:
            found |= years(v)
    return found


def danish(n: int | float) -> str:
    """An independent Danish format: thousands point, decimal comma, two decimals for fractions."""
    if isinstance(n, float) and not n.is_integer():
        whole, frac = f"{abs(n):,.2f}".split(".")
        return ("-" if n < 0 else "") + whole.replace(",", ".") + "," + frac
    return f"{int(n):,}".replace(",", ".")


#: A number as a table prints it: digits with thousands points and a decimal comma, and its sign.
NUMBER = re.compile(r"(?<![\d.,\-])-?\d+(?:[.,]\d+)*")


def printed_numbers(text: str) -> set[str]:
    """Every whole number in ``text``: a cut one (184 for 184.855, 184.85) is another number."""
    return set(NUMBER.findall(text))


def year_of(args: list[str]) -> int | None:
    return int(args[args.index("--year") + 1]) if "--year" in args else None


def drawn(table: Table, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], str]:
    """Run the command once, keeping what it hands its renderer; returns: the table drawn at a width."""
    module_name, name = table.renderer.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def record(*args: Any, **kwargs: Any) -> None:
        calls.append((args, kwargs))
        original(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(module, name, record)
        code, _ = invoke(table.args, 100)
    assert code in (0, 1) and len(calls) == 1, f"{table.args} does not draw its table with {table.renderer}"
    args, kwargs = calls[0]

    def at(width: int) -> str:
        out = io.StringIO()
        original(*args, **{**kwargs, "out": out, "width": width})
        return out.getvalue()

    return at


@pytest.mark.parametrize("table", TABLES, ids=lambda tb: " ".join(a for a in tb.args if "/" not in a))
def test_no_amount_year_or_status_is_ever_cut(table: Table, monkeypatch: pytest.MonkeyPatch) -> None:
    code, text = invoke([*table.args, "--format", "json"], 200)
    assert code in (0, 1), text
    data = json.loads(text)
    amounts = {danish(n) for n in numbers(data, table.amount_keys, year_of(table.args), skip=table.skip)}
    if table.amount_keys:
        assert amounts, "the JSON form holds no amounts: the line in TABLES names the wrong keys"
    wanted = amounts | {str(y) for y in years(data)}
    words = set(texts(data, table.words))
    draw = drawn(table, monkeypatch)
    failures = []
    for columns in WIDTHS:
        text = draw(columns)
        missing = sorted(wanted - printed_numbers(text))
        lines = text.splitlines()
        missing += [w for w in words if not any(w in line for line in lines)]
        if missing:
            failures.append(f"width {columns}: {missing[:8]}")
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize("columns", [20, 60, 63, 80])
@pytest.mark.parametrize("table", TABLES[:1] + TABLES[3:4], ids=lambda tb: tb.args[0])
def test_columns_reaches_the_renderer(table: Table, columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the CLI, COLUMNS gives the same table as the renderer drawn at that width."""
    _, text = invoke(table.args, columns)
    assert text == drawn(table, monkeypatch)(columns)


def test_the_table_of_tables_covers_every_command_with_a_table() -> None:
    import typer

    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    without_table = {"validate", "export", "site", "schema"}  # a summary line, files written, a schema
    assert {tb.args[0] for tb in TABLES} == commands - without_table


def test_a_piped_table_is_80_wide_without_columns() -> None:
    res = runner.invoke(app, ["lines", "--file", str(SHIPPED)], env={"COLUMNS": None})
    widest = max(len(line.rstrip()) for line in res.stdout.splitlines())
    assert 60 < widest <= 80  # (the Title column wraps)


def test_a_terminal_on_any_stream_gives_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """`budget lines | less`: stdout is a pipe, but stderr is the terminal: its width, not COLUMNS."""
    import os
    import sys

    from budget2024 import render

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

        def fileno(self) -> int:
            return 2

    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    assert render.output_width() == 100  # no terminal: COLUMNS
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((57, 24)))
    assert render.output_width() == 57
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert render.output_width() == 80  # neither: 80
