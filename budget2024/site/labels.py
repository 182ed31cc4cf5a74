"""The website's own words in Danish (``--lang da``); English is the text as written.

The templates call ``_("…")`` with the English text, as gettext does, so that these can move
into the project's gettext catalogue (issue 15) unchanged. The agreement's own text is Danish
in both languages; the reconciliation's explanations are English until that catalogue exists.
"""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("en", "da")

DA = {
    "Drift": "Drift",
    "Anlæg": "Anlæg",
    "Year": "År",
    "Net amount": "Nettobeløb",
    "Net amounts per year and kind": "Nettobeløb pr. år og art",
    "Net amounts per year and kind; the table below the chart holds the same numbers.":
        "Nettobeløb pr. år og art; tabellen under diagrammet har de samme tal.",
    "Skip to content": "Gå til indhold",
    "Main navigation": "Hovedmenu",
    "Front page": "Forside",
    "Bodies": "Udvalg og enheder",
    "Chapters": "Kapitler",
    "Reconciliation": "Afstemning",
    "Search": "Søg",
    "Amounts in": "Beløb i",
    "Signed": "Underskrevet",
    "About the agreement": "Om aftalen",
    "Totals per year and kind": "Totaler pr. år og art",
    "Kind": "Art",
    "Measure": "Mål",
    "Expansions": "Udvidelser",
    "Savings": "Besparelser",
    "Net": "Netto",
    "Net, both kinds": "Netto, begge arter",
    "Total": "I alt",
    "Economic strategy": "Økonomisk strategi",
    "Target": "Mål",
    "Required": "Krav",
    "Actual": "Faktisk",
    "Margin": "Margin",
    "Status": "Status",
    "Unit": "Enhed",
    "Follow-up": "Opfølgning",
    "status as of": "status pr.",
    "Tasks by priority, with plan, latest status and money in":
        "Opgaver efter prioritet, med plan, seneste status og økonomi i",
    "Task": "Opgave",
    "Priority": "Prioritet",
    "Plan": "Plan",
    "Agreed": "Aftalt",
    "Corrections": "Korrektioner",
    "Corrected": "Korrigeret budget",
    "Actuals": "Forbrug",
    "Forecast": "Forventet regnskab",
    "Deviation": "Afvigelse",
    "not-started": "ikke startet",
    "on-track": "på sporet",
    "delayed": "forsinket",
    "done": "færdig",
    "cancelled": "aflyst",
    "ongoing": "løbende",
    "no-status": "ingen status",
    "pass": "opfyldt",
    "fail": "ikke opfyldt",
    "not-evaluable": "kan ikke vurderes",
    "Missing figures": "Manglende tal",
    "Responsible bodies": "Ansvarlige udvalg og enheder",
    "Body": "Udvalg/enhed",
    "Committee": "Fagudvalg",
    "Initiatives": "Initiativer",
    "yes": "ja",
    "no": "nej",
    "No body": "Intet udvalg",
    "Net amounts of the appendix rows each body answers for.":
        "Nettobeløb for de bilagsrækker, hvert udvalg eller enhed svarer for.",
    "Sections": "Afsnit",
    "Section": "Afsnit",
    "Chapter": "Kapitel",
    "Title": "Titel",
    "Appendix rows": "Bilagsrækker",
    "No appendix rows.": "Ingen bilagsrækker.",
    "Subtotal": "Subtotal",
    "Tasks without amounts": "Opgaver uden beløb",
    "Tasks where it is involved": "Opgaver, hvor den er involveret",
    "Responsible": "Ansvarlig",
    "Involved": "Involveret",
    "responsible": "ansvarlig",
    "involved": "involveret",
    "None.": "Ingen.",
    "a standing committee (fagudvalg)": "et fagudvalg",
    "not a committee": "ikke et udvalg",
    "Responsible for": "Ansvarlig for",
    "involved in": "involveret i",
    "initiatives": "initiativer",
    "Text of the agreement": "Aftalens tekst",
    "Amounts stated in the prose": "Beløb i aftaleteksten",
    "Recorded differences between the prose and the appendix": "Registrerede forskelle mellem tekst og bilag",
    "Note": "Bemærkning",
    "a year": "årligt",
    "in total": "i alt",
    "Bodies and roles": "Udvalg og roller",
    "Findings": "Fund",
    "Category": "Kategori",
    "Explanation": "Forklaring",
    "Recorded as": "Registreret som",
    "Recorded discrepancies not found by the computation": "Registrerede forskelle, som beregningen ikke finder",
    "Search initiatives and appendix rows": "Søg i initiativer og bilagsrækker",
    "Words in titles and texts; case and accents are ignored.":
        "Ord i titler og tekster; store og små bogstaver og accenter ignoreres.",
    "Results": "Resultater",
    "Initiative": "Initiativ",
    "Appendix row": "Bilagsrække",
    "Search needs JavaScript; the pages themselves work without it.":
        "Søgning kræver JavaScript; siderne virker uden.",
    "Where the prose and the appendix disagree": "Hvor tekst og bilag er uenige",
    "Everything else": "Alt andet",
    "The agreement's text and amounts, page by page.": "Aftalens tekst og beløb, side for side.",
    "appendix rows": "bilagsrækker",
    "years": "år",
    "Made with budget2024 from the agreement file.": "Lavet med budget2024 ud fra aftalefilen.",
    "Tasks": "Opgaver",
    "Stated figures": "Oplyste tal",
    "Figure": "Tal",
    "Stated": "Oplyst",
}


def translator(lang: str) -> Callable[[str], str]:
    """``_`` for the templates: Danish from :data:`DA`, English as written."""
    if lang == "da":
        return lambda text: DA.get(text, text)
    return lambda text: text
