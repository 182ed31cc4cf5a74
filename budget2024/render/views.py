"""Renderers for the ledger reports (totals, lines)."""

from __future__ import annotations

from typing import IO, Any

from . import KIND_LABEL, Column, TableSpec, dk, print_table, to_csv, to_json, unit_label

MEASURES = [("expansions", "Udvidelser (expansions)"), ("savings", "Besparelser (savings)"), ("net", "Netto (net)")]


def show_totals(data: dict[str, Any], fmt: str, single_year: bool, out: IO[str] | None = None,
                width: int | None = None) -> None:
    years = data["years"]
    if fmt == "json":
        if single_year:
            y = years[0]
            to_json({"year": y["year"], "unit": data["unit"], "kinds": y["kinds"], "net": y["net"]}, out)
        else:
            to_json({"unit": data["unit"], "years": years}, out)
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
    cols = [Column("Kind"), Column("Measure")] + [Column(str(y["year"]), "right") for y in years]
    body: list[list[str]] = []
    for k in data["kinds"]:
        for key, label in MEASURES:
            body.append([KIND_LABEL[k], label] + [dk(y["kinds"][k][key]) for y in years])
    footer = [["Total", "Netto, begge arter" if len(data["kinds"]) > 1 else "Netto"]
              + [dk(y["net"]) for y in years]]
    title = "Budgetaftalens udvidelser og besparelser"
    if single_year:
        title += f" {years[0]['year']}"
    print_table(TableSpec(f"{title} (amounts in {unit_label(data['unit'])})", cols, body, footer), out, width)


def show_lines(records: list[dict[str, Any]], years: list[int], unit: str, fmt: str,
               out: IO[str] | None = None, width: int | None = None) -> None:
    if fmt == "json":
        to_json(records, out)
        return
    if fmt == "csv":
        header = ["id", "kind", "section", "label", "title", "initiative", "committee",
                  *[str(y) for y in years], "total"]
        to_csv(header, [[r["id"], r["kind"], r["section"] or "", r["label"], r["title"], r["initiative"] or "",
                         r["committee"] or "", *[r["amounts"].get(str(y), "") for y in years], r["total"]]
                        for r in records], out)
        return
    # the committee is left out of the text table so that it fits 80 columns; JSON and CSV have it
    cols = [Column("Section"), Column("Kind"), Column("Title", wrap=True),
            *[Column(str(y), "right") for y in years], Column("Total", "right")]
    rows = [[r["label"] or "–", KIND_LABEL[r["kind"]], r["title"],
             *[dk(r["amounts"].get(str(y))) for y in years], dk(r["total"])] for r in records]
    print_table(TableSpec(f"Appendix rows ({len(records)}; amounts in {unit_label(unit)})", cols, rows),
                out, width)
