"""What changed between two versions of an agreement, in the agreement's terms (``budget diff``).

:func:`diff` is pure: two ledgers in, plain data out. Only what changed is listed: appendix
rows added, removed and changed (per year old → new, and rows that moved between years or
kinds), initiatives added, removed, retitled or given other bodies, stated figures, key
figures and targets; then the totals per year and kind, the net change per body, and the
strategy results whose status changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..ledger import Ledger
from . import KINDS, totals

if TYPE_CHECKING:
    from ..views import Line


def _amounts(line: Line) -> dict[str, int]:
    return {str(y): line.amounts[y] for y in sorted(line.amounts)}


def _year_changes(old: dict[str, int], new: dict[str, int]) -> list[dict[str, Any]]:
    out = []
    for y in sorted(set(old) | set(new)):
        a, b = old.get(y), new.get(y)
        if a != b:
            out.append({"year": int(y), "old": a, "new": b, "change": (b or 0) - (a or 0)})
    return out


def _row(ledger: Ledger, line: Line) -> dict[str, Any]:
    body = ledger.line_body(line)
    return {"id": line.id, "kind": line.kind.value, "section": ledger.line_section(line), "title": line.title,
            "committee": ledger.bodies[body].name if body in ledger.bodies else None,
            "amounts": _amounts(line), "total": sum(line.amounts.values())}


def _link(ledger: Ledger, line: Line) -> dict[str, Any]:
    return {"initiative": line.initiative, "section": line.section, "body": ledger.line_body(line)}


def _body_name(ledger: Ledger, body: str | None) -> str | None:
    return ledger.bodies[body].name if body is not None and body in ledger.bodies else body


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _row_changes(old: Ledger, new: Ledger) -> dict[str, list[dict[str, Any]]]:
    before = {ln.id: ln for ln in old.agreement.lines}
    after = {ln.id: ln for ln in new.agreement.lines}
    removed = [i for i in before if i not in after]
    added = [i for i in after if i not in before]
    # a row whose id changed with its kind (d-… → a-…) is the same row when its title is
    pairs: list[tuple[str, str]] = []
    added_by_title: dict[str, list[str]] = {}
    for i in added:
        added_by_title.setdefault(_fold(after[i].title), []).append(i)
    for i in removed:
        same = added_by_title.get(_fold(before[i].title))
        if same:
            pairs.append((i, same.pop(0)))
    paired_old = {a for a, _ in pairs}
    paired_new = {b for _, b in pairs}
    changed: list[dict[str, Any]] = []
    common = [(i, i) for i in before if i in after] + pairs
    for oid, nid in common:
        a, b = before[oid], after[nid]
        years = _year_changes(_amounts(a), _amounts(b))
        entry: dict[str, Any] = {"id": nid, "old_id": oid if oid != nid else None, "title": b.title,
                                 "kind": b.kind.value, "section": new.line_section(b)}
        what: list[str] = []
        if a.kind != b.kind:
            entry["kind_change"] = {"old": a.kind.value, "new": b.kind.value}
            what.append("kind")
        if years:
            entry["years"] = years
            lost = [y for y in a.amounts if y not in b.amounts]
            gained = [y for y in b.amounts if y not in a.amounts]
            if lost and gained:
                entry["moved_years"] = {"from": sorted(lost), "to": sorted(gained)}
                what.append("years")
            what.append("amounts")
        if a.title != b.title:
            entry["title_change"] = {"old": a.title, "new": b.title}
            what.append("title")
        la, lb = _link(old, a), _link(new, b)
        if la != lb:
            entry["link_change"] = {"old": la, "new": lb}
            if la["body"] != lb["body"]:  # for people: the bodies' names
                entry["link_change"]["body_names"] = {"old": _body_name(old, la["body"]),
                                                      "new": _body_name(new, lb["body"])}
            what.append("link")
        if what:
            entry["changed"] = what
            entry["total_change"] = sum(b.amounts.values()) - sum(a.amounts.values())
            changed.append(entry)
    return {
        "added": [_row(new, after[i]) for i in added if i not in paired_new],
        "removed": [_row(old, before[i]) for i in removed if i not in paired_old],
        "changed": changed,
    }


def _bodies(ledger: Ledger, roles: Any) -> list[dict[str, str]]:
    return [{"body": r.body, "name": _body_name(ledger, r.body) or r.body, "role": r.role.value} for r in roles]


def _initiative_changes(old: Ledger, new: Ledger) -> dict[str, list[dict[str, Any]]]:
    before, after = old.initiatives, new.initiatives
    out: dict[str, list[dict[str, Any]]] = {"added": [], "removed": [], "changed": []}
    for i, ini in after.items():
        if i not in before:
            out["added"].append({"id": i, "section": ini.section, "title": ini.title})
    for i, ini in before.items():
        if i not in after:
            out["removed"].append({"id": i, "section": ini.section, "title": ini.title})
            continue
        b = after[i]
        entry: dict[str, Any] = {"id": i, "section": b.section, "title": b.title}
        what = []
        if ini.title != b.title:
            entry["title_change"] = {"old": ini.title, "new": b.title}
            what.append("title")
        if ini.section != b.section:
            entry["section_change"] = {"old": ini.section, "new": b.section}
            what.append("section")
        if _bodies(old, ini.bodies) != _bodies(new, b.bodies):
            entry["bodies_change"] = {"old": _bodies(old, ini.bodies), "new": _bodies(new, b.bodies)}
            what.append("bodies")
        if (ini.text or "") != (b.text or ""):
            what.append("text")
        if what:
            entry["changed"] = what
            out["changed"].append(entry)
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def _keyed_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key in [*before, *(k for k in after if k not in before)]:
        a, b = _plain(before.get(key)), _plain(after.get(key))
        if a != b:
            out.append({"id": key, "old": a, "new": b, "fields": _fields(a, b)})
    return out


def _fields(a: Any, b: Any) -> list[dict[str, Any]]:
    """The fields that differ between two mappings (one level deep; an amounts mapping per year)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return [{"field": None, "old": a, "new": b}]
    out = []
    for key in [*a, *(k for k in b if k not in a)]:
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        if (isinstance(va, dict) and isinstance(vb, dict)
                and all(isinstance(v, int) for v in [*va.values(), *vb.values()])):
            for y in sorted(set(va) | set(vb), key=str):
                if va.get(y) != vb.get(y):
                    out.append({"field": f"{key}.{y}", "old": va.get(y), "new": vb.get(y)})
        else:
            out.append({"field": key, "old": va, "new": vb})
    return out


def _totals_change(old: Ledger, new: Ledger) -> list[dict[str, Any]]:
    years = sorted(set(old.years) | set(new.years))
    t_old = {y["year"]: y for y in totals(old)["years"]}
    t_new = {y["year"]: y for y in totals(new)["years"]}
    out = []
    for y in years:
        for k in [*KINDS, "net"]:
            def get(t: dict[int, Any], kind: str = k, year: int = y) -> int:
                if year not in t:
                    return 0
                return int(t[year]["net"] if kind == "net" else t[year]["kinds"][kind]["net"])
            a, b = get(t_old), get(t_new)
            out.append({"year": y, "kind": k, "old": a, "new": b, "change": b - a})
    return out


def _committee_change(old: Ledger, new: Ledger) -> list[dict[str, Any]]:
    from .committee import committees_overview

    def nets(ledger: Ledger) -> dict[str | None, tuple[str, dict[str, int]]]:
        ov = committees_overview(ledger)
        out: dict[str | None, tuple[str, dict[str, int]]] = {
            b["id"]: (b["name"], {y: sum(v.values()) for y, v in b["net"].items()}) for b in ov["bodies"]}
        out[None] = ("No body", {y: sum(v.values()) for y, v in ov["unassigned"]["net"].items()})
        return out

    a, b = nets(old), nets(new)
    out = []
    for key in [*a, *(k for k in b if k not in a)]:
        name = (b.get(key) or a.get(key) or ("", {}))[0]
        na, nb = (a.get(key) or ("", {}))[1], (b.get(key) or ("", {}))[1]
        years = _year_changes({y: v for y, v in na.items() if v}, {y: v for y, v in nb.items() if v})
        if years:
            out.append({"id": key, "name": name, "years": years, "change": sum(c["change"] for c in years)})
    return out


def _strategy(ledger: Ledger) -> dict[tuple[str, int | None], dict[str, Any]] | None:
    from ..keyfigures import StrategyInput, figures_from_agreement
    from .strategy import check

    if ledger.agreement.strategy is None:
        return None
    try:
        result = check(StrategyInput(ledger, figures_from_agreement(ledger.agreement, ""), ""))
    except Exception:  # noqa: BLE001 - a strategy that cannot be evaluated is compared as absent
        return None
    return {(r["target"], r["year"]): r for r in result["results"]}


def _strategy_change(old: Ledger, new: Ledger) -> list[dict[str, Any]]:
    a, b = _strategy(old) or {}, _strategy(new) or {}
    out = []
    for key in [*a, *(k for k in b if k not in a)]:
        ra, rb = a.get(key), b.get(key)
        sa, sb = ra["status"] if ra else None, rb["status"] if rb else None
        if sa != sb:
            r = rb or ra
            assert r is not None
            out.append({"target": key[0], "year": key[1], "wording": r["wording"], "old": sa, "new": sb,
                        "old_actual": ra["actual"] if ra else None, "new_actual": rb["actual"] if rb else None})
    return out


def diff(old: Ledger, new: Ledger, old_name: str = "old", new_name: str = "new") -> dict[str, Any]:
    """Every difference between two agreements; ``changes`` counts them (0: the same budget)."""
    rows = _row_changes(old, new)
    initiatives = _initiative_changes(old, new)
    stated = _keyed_changes({f.id: f for f in old.agreement.stated_figures},
                            {f.id: f for f in new.agreement.stated_figures})
    taxes = _keyed_changes({t.id: t for t in old.agreement.tax_rates}, {t.id: t for t in new.agreement.tax_rates})
    key_figures = _keyed_changes(dict(old.agreement.key_figures), dict(new.agreement.key_figures))
    st_old, st_new = old.agreement.strategy, new.agreement.strategy
    targets = _keyed_changes({t.id: t for t in (st_old.targets if st_old else [])},
                             {t.id: t for t in (st_new.targets if st_new else [])})
    totals_rows = _totals_change(old, new)
    committees = _committee_change(old, new)
    strategy = _strategy_change(old, new)
    changes = (sum(len(v) for v in rows.values()) + sum(len(v) for v in initiatives.values()) + len(stated)
               + len(taxes) + len(key_figures) + len(targets) + len(strategy))
    return {
        "old": old_name,
        "new": new_name,
        "unit": new.unit,
        "changes": changes,
        "rows": rows,
        "initiatives": initiatives,
        "stated_figures": stated,
        "tax_rates": taxes,
        "key_figures": key_figures,
        "targets": targets,
        "totals": [t for t in totals_rows if t["change"]],
        "committees": committees,
        "strategy": strategy,
    }
