"""``budget site``: the agreement as a static website (render layer).

:func:`render_site` turns :func:`budget2024.reports.site.site_data` into pages through the
Jinja2 templates in ``templates/`` (autoescaped), with charts from
:mod:`budget2024.render.svgchart`; :func:`write_site` writes them to a temporary folder next to
OUT_DIR and then moves that folder into place, so that an interrupted run never leaves a mix of
old and new pages. A folder that exists and has no :data:`MARKER` file is refused unless
``force`` is given.

Pages link to each other by relative file names in one folder, so the site works from disk
(``file://``) and from any static host. Nothing is loaded from outside the site: the search
index ships as ``search-index.js`` (a ``<script>``, which browsers load from ``file://`` where
they refuse ``fetch``) and as ``search.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..i18n import N_, T_, Text, _, os_reason, shown
from ..render import KIND_LABEL, dk, unit_label
from ..render.dates import long_date
from ..render.status import quarter_label, state_label
from ..render.svgchart import Series, bar_chart
from .labels import language, translator

#: The file that marks a folder as written by ``budget site``.
MARKER = ".budget-site"
MARKER_TEXT = "This folder was written by `budget site` (budget2024); it is replaced as a whole on the next run.\n"

STATIC_FILES = ("style.css", "search.js")

#: The money of a task in the follow-up year, as `budget status` gives it: (key, column header).
MONEY_COLUMNS = (("agreed", N_("Agreed")), ("corrections", N_("Corrections")), ("corrected", N_("Corrected")),
                 ("actuals", N_("Actuals")), ("forecast", N_("Forecast")), ("deviation", N_("Deviation")))


class SiteError(Exception):
    """OUT_DIR cannot be written: it exists and is not a site, or the file system said no."""

    def __init__(self, message: Text, hint: Text | None, *, written: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.written = written  # writing failed (exit 74), not a wrong OUT_DIR (exit 2)

    def __str__(self) -> str:
        return str(shown(self.message))


# ----------------------------------------------------------------------------- page names


def body_page(body_id: str) -> str:
    return f"body-{body_id}.html"


def chapter_page(chapter_id: str) -> str:
    return f"chapter-{chapter_id}.html"


def section_page(section_id: str) -> str:
    return f"section-{section_id}.html"


def initiative_page(initiative_id: str) -> str:
    return f"initiative-{initiative_id}.html"


# ----------------------------------------------------------------------------- charts


def _kind_chart(title: str, per_year: dict[str, dict[str, int]], kinds: list[str], unit: str,
                chart_id: str, t: Any) -> str:
    """Net amounts per year (groups) and kind (series) from a report's {year: {kind: net}}."""
    years = list(per_year)
    series = [Series(KIND_LABEL[k], [per_year[y][k] for y in years]) for k in kinds]
    desc = _("Net amounts per year and kind; the table below the chart holds the same numbers.")
    return bar_chart(title, years, series, unit_label(unit), _("Year"), _("Net amount"), chart_id, desc)


# ----------------------------------------------------------------------------- rendering


def _environment(lang: str) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("budget2024.site", "templates"),
        autoescape=True,  # every page is HTML; a title with <script> is shown as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    t = translator(lang)

    def kind_label(kind: str) -> str:
        return KIND_LABEL.get(kind, kind)

    def stated(p: dict[str, Any]) -> str:
        """What a prose amount states: '2024: 4.300; 5.000 a year'."""
        parts = [f"{y}: {dk(a)}" for y, a in p["amounts"].items()]
        if p["per_year"] is not None:
            parts.append(_("{amount} a year").format(amount=dk(p["per_year"])))
        if p["total"] is not None:
            parts.append(_("{amount} in total").format(amount=dk(p["total"])))
        return "; ".join(parts)

    env.globals.update(
        _=t, lang=lang, long_date=long_date, state_label=state_label, stated=stated, body_page=body_page,
        chapter_page=chapter_page, section_page=section_page,
        initiative_page=initiative_page, kind_label=kind_label,
    )
    env.filters["dk"] = dk
    env.filters["unit"] = unit_label
    env.filters["long_date"] = long_date
    return env


def render_site(data: dict[str, Any], lang: str = "en") -> dict[str, str]:
    """Every page of the site: {file name: text}, every text in ``lang``. Pure: writes nothing."""
    with language(lang):
        return _render_site(data, lang)


def _render_site(data: dict[str, Any], lang: str) -> dict[str, str]:
    from markupsafe import Markup

    from ..render.reconcile import CATEGORY_TEXT, category_name, category_text, explain, verdict
    from ..render.strategy import num, unit_text, when

    env = _environment(lang)
    env.globals["category_name"] = category_name  # the discrepancies of every page name their kind
    env.globals["quarter_label"] = quarter_label
    t = env.globals["_"]
    unit = data["agreement"]["unit"]
    common = {"agreement": data["agreement"], "unit": unit, "chapters": data["chapters"],
              "bodies_list": data["committees"]["bodies"]}
    pages: dict[str, str] = {}

    def page(name: str, template: str, **ctx: Any) -> None:
        pages[name] = env.get_template(template).render(page_name=name, **common, **ctx)

    tot = data["totals"]
    net_by_year = {str(y["year"]): {k: y["kinds"][k]["net"] for k in tot["kinds"]} for y in tot["years"]}
    front_chart = _kind_chart(_("Net amounts per year and kind"), net_by_year, tot["kinds"], unit, "chart-totals", t)
    strategy = data["strategy"]
    page("index.html", "index.html", totals=tot, chart=Markup(front_chart), committees=data["committees"],
         strategy=strategy, strategy_text=data["strategy_text"], when=when, unit_text=unit_text, num=num,
         summary=data["summary"], reconcile_verdict=verdict(data["reconcile"]))

    for body_id, report in data["bodies"].items():
        kinds = list(data["committees"]["kinds"])
        chart = _kind_chart(_("Net amounts per year and kind") + f": {report['committee']}", report["totals"],
                            kinds, unit, f"chart-{body_id}", t)
        page(body_page(body_id), "body.html", report=report, chart=Markup(chart), kinds=kinds,
             followup=data.get("followup", {}).get(body_id), money_columns=MONEY_COLUMNS)

    for chapter in data["chapters"]:
        page(chapter_page(chapter["id"]), "chapter.html", chapter=chapter, sections=data["sections"])

    chapter_titles = {c["id"]: c["title"] for c in data["chapters"]}
    for section_id, section in data["sections"].items():
        page(section_page(section_id), "section.html", section=section,
             chapter_title=chapter_titles.get(section["chapter"]), initiatives=data["initiatives"],
             years=data["agreement"]["years"])

    for ini_id, ini in data["initiatives"].items():
        page(initiative_page(ini_id), "initiative.html", ini=ini, years=data["agreement"]["years"])

    rec = data["reconcile"]
    findings = [{**f, "message": explain(f)} for f in rec["findings"]]
    page("reconcile.html", "reconcile.html", rec=rec, findings=findings,
         category_text={c: category_text(c) for c in CATEGORY_TEXT}, category_name=category_name,
         verdict=verdict(rec), sections_known=set(data["sections"]))
    page("search.html", "search.html")
    return pages


def search_json(data: dict[str, Any]) -> str:
    """The search index: each entry with the page it links to."""
    entries = []
    for e in data["search"]:
        url = initiative_page(e["id"]) if e["type"] == "initiative" else (
            initiative_page(e["initiative"]) if e.get("initiative") else
            section_page(e["section"]) if e.get("section") else "reconcile.html")
        entries.append({**e, "url": url})
    return json.dumps({"entries": entries}, ensure_ascii=False, separators=(",", ":"))


# ----------------------------------------------------------------------------- writing


def check_target(out_dir: Path, force: bool, keep: Sequence[Path] = ()) -> None:
    """Refuse an OUT_DIR that exists and was not written by ``budget site`` (unless ``force``), and,
    even with ``force``, one that holds a file of ``keep`` (the agreement read) or the current folder."""
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    root = out_dir.resolve()
    for path in [*keep, Path.cwd()]:
        if path.resolve().is_relative_to(root):
            what = T_("the current folder") if path == Path.cwd() else str(path)
            raise SiteError(T_("{folder} holds {what}, which writing the site would replace", folder=str(out_dir),
                               what=what), T_("write the site into a folder of its own, e.g. public/"))
    if not out_dir.is_dir() or out_dir.is_symlink():
        raise SiteError(T_("{folder} exists and is not a folder", folder=str(out_dir)),
                        T_("give the path of a new folder"))
    if (out_dir / MARKER).is_file() or force:
        return
    raise SiteError(T_("{folder} exists and was not written by `budget site`", folder=str(out_dir)),
                    T_("give a new folder, or --force to replace this one with the site"))


def _write_hint(exc: OSError) -> Text | None:
    """A hint for a failed write, where the reason suggests one (permissions)."""
    import errno

    return T_("check the path and its permissions") if exc.errno in (errno.EACCES, errno.EPERM) else None


def write_site(pages: dict[str, str], search: str, out_dir: Path, force: bool = False,
               keep: Sequence[Path] = ()) -> int:
    """Write the pages, the static files and the search index into ``out_dir``, replacing a
    previous site as a whole. Returns the number of pages."""
    from importlib.resources import files

    out_dir = Path(os.path.abspath(out_dir))
    check_target(out_dir, force, keep)
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=parent))
    except OSError as exc:
        raise SiteError(T_("cannot write into {folder}: {reason}", folder=str(parent), reason=os_reason(exc)),
                        _write_hint(exc), written=True) from None
    old: Path | None = None
    try:
        for name, text in pages.items():
            (tmp / name).write_text(text, encoding="utf-8")
        static = tmp / "static"
        static.mkdir()
        source = files("budget2024.site").joinpath("static")
        for name in STATIC_FILES:
            (static / name).write_bytes(source.joinpath(name).read_bytes())
        (tmp / "search.json").write_text(search, encoding="utf-8")
        (tmp / "search-index.js").write_text(f"window.BUDGET_SEARCH = {search};\n", encoding="utf-8")
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        tmp.chmod(0o755)
        check_target(out_dir, force, keep)  # again: another process may have made it meanwhile
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.replace(out_dir, old / "site")
        os.replace(tmp, out_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not out_dir.exists() and (old / "site").exists():
            os.replace(old / "site", out_dir)  # put the previous site back
        raise SiteError(T_("cannot write the site to {folder}: {reason}", folder=str(out_dir), reason=os_reason(exc)),
                        _write_hint(exc), written=True) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return len(pages)
