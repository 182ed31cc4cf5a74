"""What the static website shows: the other reports, gathered page by page (pure data).

Every figure on a page comes from the report the CLI prints for the same thing:
:func:`budget2024.reports.totals` (front page), :func:`~budget2024.reports.committee.committees_overview`
and :func:`~budget2024.reports.committee.committee_report` (bodies),
:func:`~budget2024.reports.committee.show_initiative` (initiatives),
:func:`~budget2024.reports.reconcile.reconcile` and :func:`~budget2024.reports.strategy.check`.
Nothing here adds amounts up; section pages list the rows and initiatives that
:func:`~budget2024.reports.lines` and :func:`~budget2024.reports.committee.list_initiatives` give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..ledger import Ledger, section_sort_key
from . import lines, totals, validate_summary
from .committee import committee_report, committees_overview, list_initiatives, show_initiative
from .reconcile import reconcile

if TYPE_CHECKING:
    import datetime as dt

    from ..followup import FollowUp
    from ..keyfigures import StrategyInput


def _section_record(ledger: Ledger, section_id: str, all_lines: list[dict[str, Any]],
                    initiatives: list[dict[str, Any]]) -> dict[str, Any]:
    section = ledger.sections[section_id]
    return {
        "id": section.id,
        "chapter": section.chapter,
        "title": section.title,
        "note": section.note,
        "bodies": [{"id": r.body, "name": ledger.bodies[r.body].name if r.body in ledger.bodies else r.body,
                    "role": r.role.value, "note": r.note} for r in section.bodies],
        "initiatives": [i for i in initiatives if i["section"] == section_id],
        "lines": [ln for ln in all_lines if ln["section"] == section_id],
        "discrepancies": [
            {"id": d.id, "category": d.category, "section": d.section, "initiative": d.initiative,
             "line": d.line, "text": d.text}
            for d in ledger.agreement.discrepancies if d.section == section_id
        ],
    }


def search_index(ledger: Ledger, all_lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries the site's search page looks through: every initiative (title and text, as
    `budget list --search` reads them) and every appendix row (title and the row as printed)."""
    entries: list[dict[str, Any]] = []
    for ini in ledger.agreement.initiatives:
        entries.append({"type": "initiative", "id": ini.id, "section": ini.section, "title": ini.title,
                        "text": (ini.text or "").strip()})
    for ln in all_lines:
        entries.append({"type": "line", "id": ln["id"], "section": ln["section"], "title": ln["title"],
                        "text": ln["raw"], "kind": ln["kind"], "initiative": ln["initiative"],
                        "amounts": ln["amounts"]})
    return entries


def site_data(ledger: Ledger, inputs: StrategyInput | None, followup: FollowUp | None = None,
              as_of: dt.date | None = None) -> dict[str, Any]:
    """Everything the website shows, as the reports give it; ``inputs`` is None for an agreement
    without an economic strategy (the front page then has no strategy section). With ``followup``,
    each body's page shows its status overview as of ``as_of``, as ``budget status`` gives it."""
    from .strategy import check

    status: dict[str, Any] = {}
    if followup is not None:
        import datetime as dt

        from .status import status_report

        day = as_of or dt.date.today()
        status = {b.id: status_report(ledger, followup, b.id, day) for b in ledger.agreement.bodies}

    ag = ledger.agreement
    all_lines = lines(ledger)
    initiatives = list_initiatives(ledger)
    sections = sorted(ledger.sections, key=section_sort_key)
    section_records = {s: _section_record(ledger, s, all_lines, initiatives) for s in sections}
    return {
        "agreement": {"title": ag.agreement.title, "municipality": ag.agreement.municipality,
                      "signed": ag.agreement.signed.isoformat(), "source": ag.agreement.source,
                      "years": list(ledger.years), "unit": ledger.unit},
        "summary": validate_summary(ledger),
        "totals": totals(ledger),
        "committees": committees_overview(ledger),
        "bodies": {b.id: committee_report(ledger, b.id) for b in ag.bodies},
        "chapters": [{"id": c.id, "title": c.title,
                      "sections": [s for s in sections if ledger.sections[s].chapter == c.id]}
                     for c in ag.chapters],
        "sections": section_records,
        "initiatives": {i["id"]: show_initiative(ledger, i["id"]) for i in initiatives},
        "initiative_order": [i["id"] for i in initiatives],
        "reconcile": reconcile(ledger),
        "strategy": check(inputs) if inputs is not None else None,
        "strategy_text": ag.strategy.text if ag.strategy else None,
        "search": search_index(ledger, all_lines),
        "followup": status,
    }
