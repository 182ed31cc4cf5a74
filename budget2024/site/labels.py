"""The website's words in the chosen language.

The templates call ``_("…")`` with the English text; Babel extracts them into the project's
gettext catalogue (budget2024/locale), the same catalogue every other command uses, and
:func:`budget2024.site.render_site` renders the pages with the site's language chosen, so that
the reports' own texts (reconcile explanations, verdicts, statuses) come out in it too. The
agreement's own text is Danish in both languages.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from .. import i18n

LANGS = i18n.LANGUAGES


def translator(lang: str) -> Callable[[str], str]:
    """``_`` for the templates, in ``lang`` (the pages are rendered inside :func:`language`)."""
    if lang != i18n.language():
        raise ValueError(f"render the {lang} pages inside site.labels.language({lang!r})")
    return i18n._


def language(lang: str) -> AbstractContextManager[None]:
    """Every text in ``lang`` while the pages are rendered; the run's language again afterwards."""
    from ..render.language import in_language

    return in_language(lang)
