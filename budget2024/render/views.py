"""Renderers for the ledger reports (totals, lines)."""

from __future__ import annotations

from typing import IO, Any

from ..i18n import N_, _, ngettext
from . import KIND_LABEL, Column, TableSpec, dk, print_table, to_csv, to_json, unit_label

MEASURES = [("expansions", N_("Expansions")), ("savings", N_("Savings")), ("net", N_("Net"))]

#: The filters' names in a table's title (their keys stay English in JSON).
FILTER_WORDS = {"section": N_("section"), "chapter": N_("chapter"), "committee": N_("committee"),
                "kind": N_("kind"), "search": N_("search")}


def filter_words(filters: dict[str, str]) -> str:
    """The filters that made a table, for its title: 'section 4.3, search "klima"'."""
    parts: list[str] = []
    for key, value in filters.items():
        if key == "kind":
            value = KIND_LABEL.get(value, value)
        word = _(FILTER_WORDS[key]) if key in FILTER_WORDS else key
        parts.append(f'{word} "{value}"' if key == "search" else f"{word} {value}")
    return ", ".join(parts)


def _width(out: IO[str] | None, width: int | None) -> int:
    """The width a table gets (as :func:`console` decides it), without importing rich when piped."""
    import sys

    from . import _plain_width

    plain = _plain_width(out or sys.stdout, width)
    if plain is not None:
        return plain
    from . import console

    return int(console(out, width).width)


def show_totals(data: dict[str, Any], fmt: str, single_year: bool, out: IO[str] | None = None,
                width: int | None = None) -> None:
    years = data["years"]
    extra: dict[str, Any] = {"rows": data.get("rows"), "filters": data.get("filters", {})}
    if data.get("general") and (data["general"]["tax_rates"] or data["general"]["stated_figures"]):
        extra["general"] = data["general"]
    if fmt == "json":
        if single_year:
            y = years[0]
            to_json({"year": y["year"], "unit": data["unit"], "kinds": y["kinds"], "net": y["net"], **extra}, out)
        else:
            to_json({"unit": data["unit"], "years": years, **extra}, out)
        return
    if fmt == "csv":
        rows: list[list[Any]] = []
        for y in years:
            for k in data["kinds"]:
                c = y["kinds"][k]
                rows.append([y["year"], k, c["expansions"], c["savings"], c["net"]])
            rows.append([y["year"], "total", "", "", y["net"]])
        to_csv(["year", "kind", "expansions", "savings", "net"], rows, out)
        return
    cols = [Column(_("Kind")), Column(_("Measure"))] + [Column(str(y["year"]), "right") for y in years]
    body: list[list[str]] = []
    for k in data["kinds"]:
        for key, label in MEASURES:
            body.append([KIND_LABEL[k], _(label)] + [dk(y["kinds"][k][key]) for y in years])
    footer = [[_("Total"), _("Net, both kinds") if len(data["kinds"]) > 1 else _("Net")]
              + [dk(y["net"]) for y in years]]
    title = _("The agreement's expansions and savings")
    if single_year:
        title += f" {years[0]['year']}"
    filters = data.get("filters") or {}
    if filters:
        title += f" — {filter_words(filters)}"
    n = data.get("rows")
    unit = unit_label(data["unit"])
    amounts = (_("amounts in {unit}").format(unit=unit) if n is None else
               ngettext("amounts in {unit}; {count} appendix row summed",
                        "amounts in {unit}; {count} appendix rows summed", n).format(unit=unit, count=n))
    print_table(TableSpec(f"{title} ({amounts})", cols, body, footer), out, width)
    if "general" in data:
        show_general(data["general"], out, width)


def show_general(general: dict[str, Any], out: IO[str] | None = None, width: int | None = None) -> None:
    """The tax rates and the figures the general part states, each with its sentence (which names it:
    the ids are for JSON)."""
    import sys
    import textwrap

    from . import dk as fmt

    w = out or sys.stdout
    width = max(_width(out, width), 40)

    def item(text: str) -> str:
        return textwrap.fill(text, width=width, initial_indent="  ", subsequent_indent="      ",
                             break_long_words=False, break_on_hyphens=False)

    if general["tax_rates"]:
        w.write("\n" + _("Tax rates (as the agreement states them):") + "\n")
        for t in general["tax_rates"]:
            w.write(item(f"{fmt(t['value'])} {t['unit']} — “{t['sentence']}”") + "\n")
    if general["stated_figures"]:
        w.write("\n" + _("Figures stated in the general part (1.000 kr.):") + "\n")
        for f in general["stated_figures"]:
            approx = _(" (approximately)") if f["approximate"] else ""
            if f["value"] is not None:
                years = ", ".join(str(y) for y in f["years"])
                value = (f"{years}: " if years else "") + fmt(f["value"]) + approx
            else:
                value = ", ".join(f"{y}: {fmt(a)}" for y, a in f["amounts"].items()) + approx
            w.write(item(f"{value} — “{f['sentence']}”") + "\n")


def show_lines(records: list[dict[str, Any]], years: list[int], unit: str, fmt: str,
               out: IO[str] | None = None, width: int | None = None, filters: dict[str, str] | None = None,
               total_rows: int | None = None) -> None:
    if fmt == "json":
        to_json(records, out)
        return
    if fmt == "csv":
        header = ["id", "ref", "kind", "section", "label", "title", "initiative", "committee",
                  *[str(y) for y in years], "total"]
        to_csv(header, [[r["id"], r["ref"], r["kind"], r["section"] or "", r["label"], r["title"],
                         r["initiative"] or "", r["committee"] or "", *[r["amounts"].get(str(y), "") for y in years],
                         r["total"]] for r in records], out)
        return
    # the committee (its short name) is shown only where the width allows: 80 columns hold the rest
    with_committee = _width(out, width) >= 110
    one_year = len(years) == 1
    cols = [Column(_("Ref")), Column(_("Section")), Column(_("Kind")), Column(_("Title"), wrap=True),
            *([Column(_("Cmte"))] if with_committee else []),
            *[Column(str(y), "right") for y in years], *([] if one_year else [Column(_("Total"), "right")])]
    rows = [[r["ref"], r["label"] or "–", KIND_LABEL[r["kind"]], r["title"],
             *([r.get("committee_short") or r["committee"] or "–"] if with_committee else []),
             *[dk(r["amounts"].get(str(y))) for y in years], *([] if one_year else [dk(r["total"])])]
            for r in records]
    what = f"{len(records)}" if total_rows is None or not filters else \
        _("{count} of {total}").format(count=len(records), total=total_rows)
    by = f" — {filter_words(filters)}" if filters else ""
    if one_year:
        by = f" {years[0]}" + by
    caption = _("Ref: `budget show REF` shows the row's initiative or section.")
    title = _("Appendix rows{filters} ({count}; amounts in {unit})").format(filters=by, count=what,
                                                                            unit=unit_label(unit))
    print_table(TableSpec(title, cols, rows, caption=caption), out, width)
