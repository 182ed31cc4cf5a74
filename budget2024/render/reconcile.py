"""Renderers for ``budget reconcile``: the findings as tables, JSON or markdown.

The report (:mod:`budget2024.reports.reconcile`) gives each finding as plain data; the
one-sentence explanation of a finding is written here, in :func:`explain`, so that every
format says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from . import console, dk, id_parts, markdown_table, print_fitted, print_text, to_json, unit_label, wrap_id

KIND_WORD = {"drift": "drift", "anlaeg": "anlæg"}

CATEGORY_TEXT = {
    "amount": "the same year on both sides, different amounts (beyond rounding to 0,1 mio. kr.)",
    "sign": "the same year on both sides, opposite signs",
    "year": "an amount in a year the other side does not have, or money in different years",
    "total": "a prose total (i alt, samlet) that the rows do not add up to",
    "prose-only": "prose amounts with no appendix row (of their kind)",
    "appendix-only": "appendix rows with no amount in the prose (of their kind)",
    "name": "a row or appendix heading names something else than the prose",
    "section-label": "a row labelled with another section than its initiative's",
    "stated-figure": "a figure of the general part that the appendix does not give",
}

MEASURE_TEXT = {"expansions": "expansions (udvidelser)", "savings": "savings (besparelser)"}


# ----------------------------------------------------------------------------- sentences


def _years(years: Sequence[int]) -> str:
    ys = sorted(years)
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    if len(ys) > 1:
        return ", ".join(str(y) for y in ys[:-1]) + " and " + str(ys[-1])
    return str(ys[0]) if ys else ""


def amounts_text(m: dict[str, int] | None) -> str:
    """'10.500 in 2024 and 3.500 a year in 2025–2027'; 'a total of 1.400'; '100 a year'."""
    if not m:
        return "nothing"
    parts: list[str] = []
    run: list[int] = []
    value: int | None = None
    years = [(int(k), v) for k, v in m.items() if k.isdigit()]

    def flush() -> None:
        if run and value is not None:
            parts.append(f"{dk(value)} {'a year ' if len(run) > 1 else ''}in {_years(run)}")

    for y, v in years:
        if run and v == value and y == run[-1] + 1:
            run.append(y)
            continue
        flush()
        run, value = [y], v
    flush()
    if "per_year" in m:
        parts.append(f"{dk(m['per_year'])} a year")
    if "total" in m:
        parts.append(f"a total of {dk(m['total'])}")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _quoted(texts: Sequence[str]) -> str:
    return "; ".join(f"“{t}”" for t in texts)


def explain(f: dict[str, Any]) -> str:
    """The one-sentence, plain-language explanation of a finding."""
    cat, reason = f["category"], f["reason"]
    kind = KIND_WORD.get(f["kind"] or "", "")
    on_kind = f" on {kind}" if kind else ""
    row = f"“{f['line_titles'][0]}”" if len(f["line_titles"]) == 1 else "the rows"
    prose, appendix = f["prose"], f["appendix"]
    if cat == "amount" and reason == "per-year":
        return (f"The prose states {dk(prose['per_year'])} a year without naming the years, but the appendix "
                f"has {amounts_text(appendix)}{on_kind}.")
    if cat == "amount":
        return (f"The prose states {amounts_text(prose)} and the appendix {amounts_text(appendix)}{on_kind}; "
                f"rounding to 0,1 mio. kr. does not explain the difference.")
    if cat == "sign":
        return (f"The prose states {amounts_text(prose)} and the appendix {amounts_text(appendix)}{on_kind}: "
                f"the amounts have opposite signs.")
    if cat == "year" and reason == "shifted":
        return (f"Both sides add up to {dk(f['detail']['prose_sum'])} over {_years(f['years'])}{on_kind}, but the "
                f"prose puts {amounts_text(prose)} and the appendix {amounts_text(appendix)}.")
    if cat == "year" and reason == "prose-years":
        return (f"The prose states {amounts_text(prose)}, but the appendix has no {kind} amount for this "
                f"initiative in {'that year' if len(f['years']) == 1 else 'those years'}.")
    if cat == "year":
        return (f"The appendix has {amounts_text(appendix)}{on_kind}, but the prose states no amount for this "
                f"initiative in {'that year' if len(f['years']) == 1 else 'those years'}.")
    if cat == "total":
        rest = f["detail"].get("rest")
        outside = (f" ({dk(rest)} of it in years the prose does not name)"
                   if rest and rest != appendix["total"] else "")
        return (f"The prose gives a total of {dk(prose['total'])} ({_quoted(f['prose_text'])}), but the {kind} "
                f"rows add up to {dk(appendix['total'])}{outside}.")
    if cat == "prose-only" and reason == "no-rows-of-kind":
        others = " and ".join(KIND_WORD[k] for k in f["detail"].get("other_kinds", []))
        return (f"The prose states {amounts_text(prose)} on {kind}, but the initiative's appendix rows are "
                f"all {others}.")
    if cat == "prose-only":
        return f"The prose states {amounts_text(prose)}, but no appendix row belongs to this initiative."
    if cat == "appendix-only" and reason == "section-row":
        return (f"The appendix row {row} has {amounts_text(appendix)}{on_kind}; it belongs to no initiative, and "
                f"no amount in the prose or stated figure gives it.")
    if cat == "appendix-only" and reason == "no-prose-of-kind":
        return (f"The appendix row {row} has {amounts_text(appendix)}{on_kind}, but the prose states no {kind} "
                f"amount for this initiative.")
    if cat == "appendix-only":
        return (f"The appendix row {row} has {amounts_text(appendix)}{on_kind}, but the prose of the initiative "
                f"states no amount.")
    if cat == "name" and reason == "group-name":
        return (f"The appendix heading of chapter {f['section']} reads “{appendix}”, but the prose chapter is "
                f"“{prose}”.")
    if cat == "name":
        names = f["detail"]["names"]
        row_names = " and ".join(names["appendix"])
        if names["prose"]:
            return f"The appendix row says {row_names} where the prose says {' and '.join(names['prose'])}."
        return f"The appendix row names {row_names}, which the prose of section {f['section']} does not mention."
    if cat == "section-label":
        return (f"The appendix row {row} is labelled {appendix}, but the prose of its initiative is in "
                f"section {prose}.")
    if cat == "stated-figure":
        return _explain_figure(f)
    return f"{cat}: {reason}"


def _basis_text(basis: dict[str, Any] | None) -> str:
    if basis is None:
        return ""
    if basis["line"]:
        return f"row “{basis['title']}”"
    kinds = " and ".join(KIND_WORD[k] for k in basis["kinds"])
    return kinds + (", initiatives only" if basis["initiatives_only"] else "")


def _explain_figure(f: dict[str, Any]) -> str:
    d = f["detail"]
    stated = amounts_text(f["prose"])
    if d["sum_measure"]:
        what = MEASURE_TEXT.get(d["measure"], d["measure"])
        sign = "positive" if (f["prose"] and next(iter(f["prose"].values())) > 0) else "negative"
        readings = "; ".join(f"{_basis_text(x['basis'])} {amounts_text(x['amounts'])}" for x in d["derivations"])
        return (f"The general part states {what} of {stated}, but the appendix's {sign} amounts add up to: "
                f"{readings}; none of these gives the stated figure, so it cannot be derived from the appendix.")
    return (f"The general part states {stated} ({d['measure'].replace('_', ' ')}), but no appendix row has "
            f"that amount, so the figure cannot be derived from the appendix.")


def with_messages(data: dict[str, Any]) -> dict[str, Any]:
    """The report with a ``message`` on every finding (the JSON output)."""
    findings = [{**f, "message": explain(f)} for f in data["findings"]]
    return {**data, "findings": findings}


# ----------------------------------------------------------------------------- cells


def cell(value: Any, multiline: bool = True) -> str:
    """A prose or appendix value for a table: amounts one per line, names as they are."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    sep = "\n" if multiline else "; "
    label = {"per_year": "a year", "total": "total"}
    return sep.join(f"{label.get(k, k)}: {dk(v)}" for k, v in value.items())


def _item(f: dict[str, Any]) -> str:
    """What a finding is about, for people: the initiative's title, else the row's, else the figure."""
    if f["initiative_title"]:
        return str(f["initiative_title"])
    if f["category"] == "stated-figure":
        return str(f["detail"]["figure"])
    if len(f["line_titles"]) == 1:
        return str(f["line_titles"][0])
    return f"{len(f['detail'].get('rows', f['lines']))} rows"


def _known(f: dict[str, Any]) -> str:
    return ", ".join(f["recorded"]) if f["recorded"] else "no"


# ----------------------------------------------------------------------------- output


def show_reconcile(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(with_messages(data), out)
    elif fmt == "markdown":
        print_text(markdown(data), out)
    else:
        _tables(data, out, width)


def _scope(data: dict[str, Any]) -> str:
    return f" in section {data['section']}" if data["section"] else ""


def verdict(data: dict[str, Any]) -> str:
    rec = data["recorded"]
    return (f"{data['count']} finding{'s' if data['count'] != 1 else ''}{_scope(data)} "
            f"({data['mismatches']} mismatch{'es' if data['mismatches'] != 1 else ''} on initiatives with amounts on "
            f"both sides); {rec['covering']} of {rec['total']} recorded discrepancies cover a finding, "
            f"{len(rec['not_found'])} {'is' if len(rec['not_found']) == 1 else 'are'} not found by the computation")


def _by_category(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for cat in data["summary"]:
        items = [f for f in data["findings"] if f["category"] == cat]
        if items:
            out.append((cat, items))
    return out


@dataclass
class _Col:
    header: str
    right: bool = False
    ratio: int = 0  # 0: as wide as its longest line, never wrapped; else wraps and shares the rest
    ids: bool = False  # ids: broken only after a '-' (never before a year), as narrow as the room needs


def _table(title: str, cols: list[_Col], rows: list[list[str]], out: IO[str] | None, width: int | None,
           footer: list[list[str]] | None = None) -> None:
    """A rich table whose cells may hold several lines (amounts one year a line)."""
    from rich import box
    from rich.table import Table

    con = console(out, width)
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left")
    rows = [list(r) for r in rows]
    for i, col in enumerate(cols):
        if col.ids:
            _fit_ids(i, cols, rows + (footer or []), con.width)
    for i, col in enumerate(cols):
        lines = [col.header] + [ln for r in rows + (footer or []) for ln in r[i].split("\n")]
        widest = max(len(ln) for ln in lines)
        if col.ratio and not col.ids:
            table.add_column(col.header, justify="right" if col.right else "left", overflow="fold",
                             ratio=col.ratio, min_width=min(widest, 12))
        else:
            table.add_column(col.header, justify="right" if col.right else "left", no_wrap=True, min_width=widest)
    for r in rows:
        table.add_row(*r)
    if footer:
        table.add_section()
        for r in footer:
            table.add_row(*r, style="bold")
    print_fitted(con, table)


def _fit_ids(i: int, cols: list[_Col], rows: list[list[str]], con_width: int) -> None:
    """Break the ids of column ``i`` to the room the other columns leave at their narrowest, but
    never inside a part (see :func:`wrap_id`); the column is then drawn whole, never folded."""
    def least(j: int) -> int:
        widest = max([len(cols[j].header), *(len(ln) for r in rows for ln in r[j].split("\n"))])
        return min(widest, 12) if cols[j].ratio else widest

    room = con_width - sum(least(j) for j in range(len(cols)) if j != i) - (len(cols) - 1)
    parts = [len(p) for r in rows for p in id_parts(r[i])]
    w = max([room, len(cols[i].header), *parts])
    for r in rows:
        r[i] = "\n".join(wrap_id(r[i], w))


def _reading(d: dict[str, Any]) -> str:
    return f"{_basis_text(d['basis'])}: {' / '.join(dk(v) for v in d['amounts'].values())}"


def _difference(s: dict[str, Any], sep: str) -> str:
    if s["difference"] is None:
        return "–"
    return cell(s["difference"], sep == "\n") + f"{sep}(to {_basis_text(s['basis'])})"


def _figure_rows(data: dict[str, Any], sep: str) -> list[list[str]]:
    rows = []
    for s in data["stated_figures"]:
        readings = [_reading(d) for d in s["derivations"]]
        if not readings:
            readings = [_reading({"basis": s["basis"], "amounts": s["appendix"]})] if s["appendix"] else ["no row"]
        status = "agrees" if s["status"] == "agrees" else "cannot be derived from the appendix"
        rows.append([s["id"], cell(s["stated"], sep == "\n"), sep.join(readings),
                     _difference(s, sep) if s["status"] != "agrees" else "–", status])
    return rows


def _tables(data: dict[str, Any], out: IO[str] | None, width: int | None) -> None:
    unit = unit_label(data["unit"])
    if not data["findings"]:
        print_text(f"No differences between the prose and the appendix{_scope(data)}.", out)
    for cat, items in _by_category(data):
        if cat == "stated-figure":
            continue  # shown with every stated figure below
        texts = any(isinstance(f["prose"], str) for f in items)
        cols = [_Col("Section")]
        if not texts:
            cols.append(_Col("Initiative / row", ratio=2))
        cols += [_Col("Prose", ratio=2 if texts else 0), _Col("Appendix", ratio=2 if texts else 0),
                 _Col("Explanation", ratio=4), _Col("Rec.")]
        rows = [[f["section"] or "–", *([] if texts else [_item(f)]), cell(f["prose"]), cell(f["appendix"]),
                 explain(f), "yes" if f["recorded"] else "no"] for f in items]
        _table(f"{cat}: {CATEGORY_TEXT[cat]} — {len(items)} (amounts in {unit})", cols, rows, out, width)
    if data["stated_figures"]:
        n = data["summary"].get("stated-figure", 0)
        cols = [_Col("Stated figure", ratio=2, ids=True), _Col("Stated", True), _Col("Appendix gives", ratio=3),
                _Col("Difference", True, ratio=2), _Col("Status", ratio=2)]
        _table(f"stated-figure: the general part's figures against the appendix — {n} cannot be derived "
               f"(amounts in {unit}; 'initiatives only': without the rows that belong to no initiative; "
               "difference = stated − closest reading)", cols, _figure_rows(data, "\n"),
               out, width)
    summary_rows = [[cat, str(n), str(sum(1 for f in data["findings"] if f["category"] == cat and f["recorded"])),
                     CATEGORY_TEXT[cat]] for cat, n in data["summary"].items()]
    footer = [["all", str(data["count"]), str(sum(1 for f in data["findings"] if f["recorded"])), ""]]
    _table("Findings per category", [_Col("Category"), _Col("Findings", True), _Col("Recorded", True),
                                     _Col("Meaning", ratio=1)], summary_rows, out, width, footer)
    if data["recorded"]["not_found"]:
        rows = [[d["id"], d["category"], d["section"], d["text"]] for d in data["recorded"]["not_found"]]
        _table("Recorded discrepancies that the computation does not find",
               [_Col("Id", ratio=1, ids=True), _Col("Category"), _Col("Section"), _Col("Recorded text", ratio=3)], rows,
               out, width)
    console(out, width).print(verdict(data) + ".")


def markdown(data: dict[str, Any]) -> str:
    unit = unit_label(data["unit"])
    parts = [f"# Prose against appendix{_scope(data)}", "",
             f"Amounts in {unit}; a prose amount agrees with an appendix amount that rounds to it at "
             "0,1 mio. kr. (halves away from zero: 150 reads as 0,2 mio. kr.)."]
    if not data["findings"]:
        parts += ["", "No differences between the prose and the appendix."]
    for cat, items in _by_category(data):
        parts += ["", f"## {cat} ({len(items)})", "", CATEGORY_TEXT[cat].capitalize() + ".", ""]
        rows = [[f["section"] or "–", _item(f), cell(f["prose"], False), cell(f["appendix"], False), explain(f),
                 _known(f)] for f in items]
        parts.append(markdown_table(["Section", "Initiative / row", "Prose", "Appendix", "Explanation", "Recorded"],
                                    rows, [False] * 6))
    if data["stated_figures"]:
        parts += ["", "## Stated figures of the general part", ""]
        parts.append(markdown_table(["Stated figure", "Stated", "Appendix gives", "Difference", "Status"],
                                    _figure_rows(data, "; "), [False, True, False, True, False]))
    parts += ["", "## Findings per category", ""]
    parts.append(markdown_table(["Category", "Findings", "Meaning"],
                                [[c, str(n), CATEGORY_TEXT[c]] for c, n in data["summary"].items()]
                                + [["all", str(data["count"]), ""]], [False, True, False]))
    if data["recorded"]["not_found"]:
        parts += ["", "## Recorded discrepancies that the computation does not find", ""]
        parts.append(markdown_table(["Id", "Category", "Section", "Recorded text"],
                                    [[d["id"], d["category"], d["section"], d["text"]]
                                     for d in data["recorded"]["not_found"]], [False] * 4))
    parts += ["", verdict(data) + "."]
    return "\n".join(parts)
