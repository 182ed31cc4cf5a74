"""Renderers for ``budget reconcile``: the findings as tables, JSON or markdown.

The report (:mod:`budget2024.reports.reconcile`) gives each finding as plain data; the
one-sentence explanation of a finding is written here, in :func:`explain`, so that every
format says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from ..i18n import N_, _, ngettext, pgettext
from . import Column, TableSpec, dk, markdown_table, print_table, print_text, print_wrapped, to_json, unit_label

KIND_WORD = {"drift": "drift", "anlaeg": "anlæg"}

CATEGORY_TEXT = {
    "amount": N_("the same year on both sides, different amounts (beyond rounding to 0,1 mio. kr.)"),
    "sign": N_("the same year on both sides, opposite signs"),
    "year": N_("an amount in a year the other side does not have, or money in different years"),
    "total": N_("a prose total (i alt, samlet) that the rows do not add up to"),
    "prose-only": N_("prose amounts with no appendix row (of their kind)"),
    "appendix-only": N_("appendix rows with no amount in the prose (of their kind)"),
    "name": N_("a row or appendix heading names something else than the prose"),
    "section-label": N_("a row labelled with another section than its initiative's"),
    "stated-figure": N_("a figure of the general part that the appendix does not give"),
}

MEASURE_TEXT = {"expansions": N_("expansions"), "savings": N_("savings")}


def category_name(cat: str) -> str:
    """A category for people: its code in English (the word ``--fail-on`` takes), a name in Danish."""
    names = {"amount": pgettext("reconcile category", "amount"), "sign": pgettext("reconcile category", "sign"),
             "year": pgettext("reconcile category", "year"), "total": pgettext("reconcile category", "total"),
             "prose-only": pgettext("reconcile category", "prose-only"),
             "appendix-only": pgettext("reconcile category", "appendix-only"),
             "name": pgettext("reconcile category", "name"),
             "section-label": pgettext("reconcile category", "section-label"),
             "stated-figure": pgettext("reconcile category", "stated-figure"),
             "all": pgettext("reconcile category", "all")}
    return names.get(cat, cat)


def category_text(cat: str) -> str:
    """What a category means, in the chosen language."""
    return _(CATEGORY_TEXT[cat]) if cat in CATEGORY_TEXT else cat


# ----------------------------------------------------------------------------- sentences


def _years(years: Sequence[int]) -> str:
    ys = sorted(years)
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    if len(ys) > 1:
        return ", ".join(str(y) for y in ys[:-1]) + _(" and ") + str(ys[-1])
    return str(ys[0]) if ys else ""


def amounts_text(m: dict[str, int] | None) -> str:
    """'10.500 in 2024 and 3.500 a year in 2025–2027'; 'a total of 1.400'; '100 a year'."""
    if not m:
        return _("nothing")
    parts: list[str] = []
    run: list[int] = []
    value: int | None = None
    years = [(int(k), v) for k, v in m.items() if k.isdigit()]

    def flush() -> None:
        if run and value is not None:
            text = _("{amount} a year in {years}") if len(run) > 1 else _("{amount} in {years}")
            parts.append(text.format(amount=dk(value), years=_years(run)))

    for y, v in years:
        if run and v == value and y == run[-1] + 1:
            run.append(y)
            continue
        flush()
        run, value = [y], v
    flush()
    if "per_year" in m:
        parts.append(_("{amount} a year").format(amount=dk(m["per_year"])))
    if "total" in m:
        parts.append(_("a total of {amount}").format(amount=dk(m["total"])))
    return ", ".join(parts[:-1]) + _(" and ") + parts[-1] if len(parts) > 1 else parts[0]


def _quoted(texts: Sequence[str]) -> str:
    return "; ".join(f"“{t}”" for t in texts)


def explain(f: dict[str, Any]) -> str:
    """The one-sentence, plain-language explanation of a finding."""
    cat, reason = f["category"], f["reason"]
    kind = KIND_WORD.get(f["kind"] or "", "")
    on_kind = _(" on {kind}").format(kind=kind) if kind else ""
    row = f"“{f['line_titles'][0]}”" if len(f["line_titles"]) == 1 else _("the rows")
    prose, appendix = f["prose"], f["appendix"]
    those = ngettext("that year", "those years", len(f["years"] or []))
    if cat == "amount" and reason == "per-year":
        return _("The prose states {amount} a year without naming the years, but the appendix has "
                 "{appendix}{on_kind}.").format(amount=dk(prose["per_year"]), appendix=amounts_text(appendix),
                                                on_kind=on_kind)
    if cat == "amount":
        return _("The prose states {prose} and the appendix {appendix}{on_kind}; rounding to 0,1 mio. kr. does "
                 "not explain the difference.").format(prose=amounts_text(prose), appendix=amounts_text(appendix),
                                                       on_kind=on_kind)
    if cat == "sign":
        return _("The prose states {prose} and the appendix {appendix}{on_kind}: the amounts have opposite "
                 "signs.").format(prose=amounts_text(prose), appendix=amounts_text(appendix), on_kind=on_kind)
    if cat == "year" and reason == "shifted":
        return _("Both sides add up to {sum} over {years}{on_kind}, but the prose puts {prose} and the appendix "
                 "{appendix}.").format(sum=dk(f["detail"]["prose_sum"]), years=_years(f["years"]), on_kind=on_kind,
                                       prose=amounts_text(prose), appendix=amounts_text(appendix))
    if cat == "year" and reason == "prose-years":
        return _("The prose states {prose}, but the appendix has no {kind} amount for this initiative in "
                 "{those}.").format(prose=amounts_text(prose), kind=kind, those=those)
    if cat == "year":
        return _("The appendix has {appendix}{on_kind}, but the prose states no amount for this initiative in "
                 "{those}.").format(appendix=amounts_text(appendix), on_kind=on_kind, those=those)
    if cat == "total":
        rest = f["detail"].get("rest")
        outside = (_(" ({amount} of it in years the prose does not name)").format(amount=dk(rest))
                   if rest and rest != appendix["total"] else "")
        return _("The prose gives a total of {total} ({quoted}), but the {kind} rows add up to "
                 "{sum}{outside}.").format(total=dk(prose["total"]), quoted=_quoted(f["prose_text"]), kind=kind,
                                           sum=dk(appendix["total"]), outside=outside)
    if cat == "prose-only" and reason == "no-rows-of-kind":
        others = _(" and ").join(KIND_WORD[k] for k in f["detail"].get("other_kinds", []))
        return _("The prose states {prose} on {kind}, but the initiative's appendix rows are all "
                 "{others}.").format(prose=amounts_text(prose), kind=kind, others=others)
    if cat == "prose-only":
        return _("The prose states {prose}, but no appendix row belongs to this initiative.").format(
            prose=amounts_text(prose))
    if cat == "appendix-only" and reason == "section-row":
        return _("The appendix row {row} has {appendix}{on_kind}; it belongs to no initiative, and no amount in "
                 "the prose or stated figure gives it.").format(row=row, appendix=amounts_text(appendix),
                                                                on_kind=on_kind)
    if cat == "appendix-only" and reason == "no-prose-of-kind":
        return _("The appendix row {row} has {appendix}{on_kind}, but the prose states no {kind} amount for this "
                 "initiative.").format(row=row, appendix=amounts_text(appendix), on_kind=on_kind, kind=kind)
    if cat == "appendix-only":
        return _("The appendix row {row} has {appendix}{on_kind}, but the prose of the initiative states no "
                 "amount.").format(row=row, appendix=amounts_text(appendix), on_kind=on_kind)
    if cat == "name" and reason == "group-name":
        return _("The appendix heading of chapter {chapter} reads “{appendix}”, but the prose chapter is "
                 "“{prose}”.").format(chapter=f["section"], appendix=appendix, prose=prose)
    if cat == "name":
        names = f["detail"]["names"]
        row_names = _(" and ").join(names["appendix"])
        if names["prose"]:
            return _("The appendix row says {row_names} where the prose says {prose_names}.").format(
                row_names=row_names, prose_names=_(" and ").join(names["prose"]))
        return _("The appendix row names {row_names}, which the prose of section {section} does not "
                 "mention.").format(row_names=row_names, section=f["section"])
    if cat == "section-label":
        return _("The appendix row {row} is labelled {appendix}, but the prose of its initiative is in section "
                 "{prose}.").format(row=row, appendix=appendix, prose=prose)
    if cat == "stated-figure":
        return _explain_figure(f)
    return f"{cat}: {reason}"


def _basis_text(basis: dict[str, Any] | None) -> str:
    if basis is None:
        return ""
    if basis["line"]:
        return _("row “{title}”").format(title=basis["title"])
    kinds = _(" and ").join(KIND_WORD[k] for k in basis["kinds"])
    return kinds + (_(", initiatives only") if basis["initiatives_only"] else "")


def _explain_figure(f: dict[str, Any]) -> str:
    d = f["detail"]
    stated = amounts_text(f["prose"])
    if d["sum_measure"]:
        what = _(MEASURE_TEXT[d["measure"]]) if d["measure"] in MEASURE_TEXT else d["measure"]
        positive = bool(f["prose"] and next(iter(f["prose"].values())) > 0)
        readings = "; ".join(f"{_basis_text(x['basis'])} {amounts_text(x['amounts'])}" for x in d["derivations"])
        text = (_("The general part states {what} of {stated}, but the appendix's positive amounts add up to: "
                  "{readings}; none of these gives the stated figure, so it cannot be derived from the appendix.")
                if positive else
                _("The general part states {what} of {stated}, but the appendix's negative amounts add up to: "
                  "{readings}; none of these gives the stated figure, so it cannot be derived from the appendix."))
        return text.format(what=what, stated=stated, readings=readings)
    return _("The general part states {stated} ({measure}), but no appendix row has that amount, so the figure "
             "cannot be derived from the appendix.").format(stated=stated, measure=d["measure"].replace("_", " "))


def with_messages(data: dict[str, Any]) -> dict[str, Any]:
    """The report with a ``message`` on every finding (the JSON output: in English, whatever the language
    of the run, since JSON does not change with it)."""
    from .language import in_language

    with in_language("en"):
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
    label = {"per_year": _("a year"), "total": _("total")}
    return sep.join(f"{label.get(k, k)}: {dk(v)}" for k, v in value.items())


def _item(f: dict[str, Any]) -> str:
    """What a finding is about, for people: the initiative's title, else the row's, else the figure."""
    if f["initiative_title"]:
        return str(f["initiative_title"])
    if f["category"] == "stated-figure":
        return str(f["detail"]["figure"])
    if len(f["line_titles"]) == 1:
        return str(f["line_titles"][0])
    n = len(f["detail"].get("rows", f["lines"]))
    return ngettext("{count} row", "{count} rows", n).format(count=n)


def _known(f: dict[str, Any]) -> str:
    return ", ".join(f["recorded"]) if f["recorded"] else _("no")


# ----------------------------------------------------------------------------- output


def show_reconcile(data: dict[str, Any], fmt: str, out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(with_messages(data), out)
    elif fmt == "markdown":
        print_text(markdown(data), out)
    else:
        _tables(data, out, width)


def _scope(data: dict[str, Any]) -> str:
    return _(" in section {section}").format(section=data["section"]) if data["section"] else ""


def verdict(data: dict[str, Any]) -> str:
    rec = data["recorded"]
    findings = ngettext("{count} finding{scope}", "{count} findings{scope}", data["count"]).format(
        count=data["count"], scope=_scope(data))
    mismatches = ngettext("{count} mismatch on initiatives with amounts on both sides",
                          "{count} mismatches on initiatives with amounts on both sides", data["mismatches"]).format(
        count=data["mismatches"])
    covering = _("{covering} of {total} recorded discrepancies cover a finding").format(covering=rec["covering"],
                                                                                         total=rec["total"])
    missing = ngettext("{count} is not found by the computation", "{count} are not found by the computation",
                       len(rec["not_found"])).format(count=len(rec["not_found"]))
    return f"{findings} ({mismatches}); {covering}, {missing}"


def _by_category(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for cat in data["summary"]:
        items = [f for f in data["findings"] if f["category"] == cat]
        if items:
            out.append((cat, items))
    return out


def _Col(header: str, right: bool = False, ratio: int = 0, ids: bool = False) -> Column:
    """A column: ratio 0 is drawn whole; else it wraps (ids only after a '-') and shares the rest by ratio."""
    return Column(header, "right" if right else "left", wrap=ratio > 0, ids=ids, ratio=max(ratio, 1))


def _table(title: str, cols: list[Column], rows: list[list[str]], out: IO[str] | None, width: int | None,
           footer: list[list[str]] | None = None) -> None:
    print_table(TableSpec(title, cols, rows, footer), out, width)


def _reading(d: dict[str, Any]) -> str:
    return f"{_basis_text(d['basis'])}: {' / '.join(dk(v) for v in d['amounts'].values())}"


def _difference(s: dict[str, Any], sep: str) -> str:
    if s["difference"] is None:
        return "–"
    return cell(s["difference"], sep == "\n") + sep + _("(to {basis})").format(basis=_basis_text(s["basis"]))


def _figure_rows(data: dict[str, Any], sep: str) -> list[list[str]]:
    rows = []
    for s in data["stated_figures"]:
        readings = [_reading(d) for d in s["derivations"]]
        if not readings:
            readings = [_reading({"basis": s["basis"], "amounts": s["appendix"]})] if s["appendix"] else [_("no row")]
        status = _("agrees") if s["status"] == "agrees" else _("cannot be derived from the appendix")
        rows.append([s["id"], cell(s["stated"], sep == "\n"), sep.join(readings),
                     _difference(s, sep) if s["status"] != "agrees" else "–", status])
    return rows


def _tables(data: dict[str, Any], out: IO[str] | None, width: int | None) -> None:
    unit = unit_label(data["unit"])
    if not data["findings"]:
        print_text(_("No differences between the prose and the appendix{scope}.").format(scope=_scope(data)), out)
    for cat, items in _by_category(data):
        if cat == "stated-figure":
            continue  # shown with every stated figure below
        texts = any(isinstance(f["prose"], str) for f in items)
        cols = [_Col(_("Section"))]
        if not texts:
            cols.append(_Col(_("Initiative / row"), ratio=2))
        cols += [_Col(_("Prose"), ratio=2 if texts else 0), _Col(_("Appendix"), ratio=2 if texts else 0),
                 _Col(_("Explanation"), ratio=4), _Col(_("Rec."))]
        rows = [[f["section"] or "–", *([] if texts else [_item(f)]), cell(f["prose"]), cell(f["appendix"]),
                 explain(f), _("yes") if f["recorded"] else _("no")] for f in items]
        _table(_("{category}: {meaning} — {count} (amounts in {unit})").format(
            category=category_name(cat), meaning=category_text(cat), count=len(items), unit=unit),
            cols, rows, out, width)
    if data["stated_figures"]:
        n = data["summary"].get("stated-figure", 0)
        cols = [_Col(_("Stated figure"), ratio=2, ids=True), _Col(_("Stated"), True),
                _Col(_("Appendix gives"), ratio=3), _Col(_("Difference"), True, ratio=2), _Col(_("Status"))]
        _table(_("{category}: the general part's figures against the appendix — {count} cannot be derived "
                 "(amounts in {unit}; 'initiatives only': without the rows that belong to no initiative; "
                 "difference = stated − closest reading)").format(category=category_name("stated-figure"), count=n,
                                                                  unit=unit), cols, _figure_rows(data, "\n"),
               out, width)
    summary_rows = [[category_name(cat), str(n),
                     str(sum(1 for f in data["findings"] if f["category"] == cat and f["recorded"])),
                     category_text(cat)]
                    for cat, n in data["summary"].items()]
    footer = [[category_name("all"), str(data["count"]), str(sum(1 for f in data["findings"] if f["recorded"])), ""]]
    _table(_("Findings per category"), [_Col(_("Category")), _Col(_("Findings"), True), _Col(_("Recorded"), True),
                                     _Col(_("Meaning"), ratio=1)], summary_rows, out, width, footer)
    if data["recorded"]["not_found"]:
        rows = [[d["id"], category_name(d["category"]), d["section"], d["text"]] for d in data["recorded"]["not_found"]]
        _table(_("Recorded discrepancies that the computation does not find"),
               [_Col(_("Id"), ratio=1, ids=True), _Col(_("Category")), _Col(_("Section")),
                _Col(_("Recorded text"), ratio=3)], rows,
               out, width)
    print_wrapped(verdict(data) + ".", out, width)


def markdown(data: dict[str, Any]) -> str:
    unit = unit_label(data["unit"])
    parts = ["# " + _("Prose against appendix{scope}").format(scope=_scope(data)), "",
             _("Amounts in {unit}; a prose amount agrees with an appendix amount that rounds to it at "
               "0,1 mio. kr. (halves away from zero: 150 reads as 0,2 mio. kr.).").format(unit=unit)]
    if not data["findings"]:
        parts += ["", _("No differences between the prose and the appendix.")]
    for cat, items in _by_category(data):
        meaning = category_text(cat)
        parts += ["", f"## {category_name(cat)} ({len(items)})", "", meaning[:1].upper() + meaning[1:] + ".", ""]
        rows = [[f["section"] or "–", _item(f), cell(f["prose"], False), cell(f["appendix"], False), explain(f),
                 _known(f)] for f in items]
        parts.append(markdown_table([_("Section"), _("Initiative / row"), _("Prose"), _("Appendix"), _("Explanation"),
                                     _("Recorded")],
                                    rows, [False] * 6))
    if data["stated_figures"]:
        parts += ["", "## " + _("Stated figures of the general part"), ""]
        parts.append(markdown_table([_("Stated figure"), _("Stated"), _("Appendix gives"), _("Difference"),
                                     _("Status")],
                                    _figure_rows(data, "; "), [False, True, False, True, False]))
    parts += ["", "## " + _("Findings per category"), ""]
    parts.append(markdown_table([_("Category"), _("Findings"), _("Meaning")],
                                [[category_name(c), str(n), category_text(c)] for c, n in data["summary"].items()]
                                + [[category_name("all"), str(data["count"]), ""]], [False, True, False]))
    if data["recorded"]["not_found"]:
        parts += ["", "## " + _("Recorded discrepancies that the computation does not find"), ""]
        parts.append(markdown_table([_("Id"), _("Category"), _("Section"), _("Recorded text")],
                                    [[d["id"], category_name(d["category"]), d["section"], d["text"]]
                                     for d in data["recorded"]["not_found"]], [False] * 4))
    parts += ["", verdict(data) + "."]
    return "\n".join(parts)
