"""Text for people, in English or Danish, through gettext catalogues.

English is the source language: with it no catalogue is read. The language is chosen once per
run (``--lang``, else ``BUDGET_LANG``, else the locale); machine formats never pass through here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DOMAIN = "budget2024"
LANGUAGES = ("en", "da")
ENV_LANG = "BUDGET_LANG"
LOCALE_DIR = Path(__file__).with_name("locale")

_language = "en"
_catalogue: Any = None  # a gettext.GNUTranslations once Danish is chosen


def choose(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language of this run: the option, else BUDGET_LANG, else the locale, else English."""
    env = os.environ if environ is None else environ
    for value in (option, env.get(ENV_LANG)):
        if value:
            return value.strip().lower()
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:  # the first one set decides, as in gettext
            return "da" if value.lower().startswith("da") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Use ``lang`` ("en" or "da") for every text from now on."""
    global _language, _catalogue
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _language = lang
    if lang == "en":
        _catalogue = None
        return
    import gettext

    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        _catalogue = gettext.GNUTranslations(f)


def language() -> str:
    return _language


def _(message: str) -> str:
    """``message`` in the chosen language."""
    return message if _catalogue is None else str(_catalogue.gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    if _catalogue is None:
        return singular if n == 1 else plural
    return str(_catalogue.ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    """``message`` in the chosen language, told apart from the same English word elsewhere by ``context``."""
    return message if _catalogue is None else str(_catalogue.pgettext(context, message))


def N_(message: str) -> str:
    """Mark a constant for the catalogue; translate it with ``_`` where it is shown."""
    return message


class Text(str):
    """English text for people that is shown in the chosen language later.

    It is the English text (so JSON, comparisons and the cache keep the English), and
    :func:`shown` gives it in the chosen language: ``T_("missing key '{name}'", name=key)``.
    Values that are themselves :class:`Text` are shown in the chosen language too.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Text:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self

    @classmethod
    def worded(cls, english: str, template: str, /, **params: Any) -> Text:
        """``english`` as it is (a dependency's words), shown in the chosen language as the marked
        ``template``, when the catalogue has it."""
        self = super().__new__(cls, english)
        self.template = template
        self.params = params
        self.worded_by = True  # type: ignore[attr-defined]
        return self

    def shown(self) -> str:
        if _catalogue is None:
            return str(self)
        if getattr(self, "worded_by", False) and _(self.template) == self.template:
            return str(self)  # no translation: the dependency's own words
        template = getattr(self, "template", str(self))
        params = getattr(self, "params", {})
        if not params:  # a text without placeholders may hold braces of its own ("{2024: 200}")
            return _(template)
        return _(template).format(**{k: shown(v) for k, v in params.items()})


class Count(Text):
    """A whole number in a message: 1,000,000 in English (as Python writes it), and in Danish with
    the thousands points of the tables (1.000.000)."""

    n: int

    def __new__(cls, n: int) -> Count:
        self = str.__new__(cls, f"{n:,}")
        self.template, self.params, self.n = str(self), {}, n
        return self

    def shown(self) -> str:
        if _language == "en":
            return str(self)
        from .render import dk

        return dk(self.n)


def T_(template: str, /, **params: Any) -> Text:
    """Mark ``template`` for the catalogue and fill it in; shown in the chosen language by :func:`shown`."""
    return Text(template, **params)


def shown(value: Any) -> Any:
    """``value`` for people in the chosen language: a :class:`Text` translated, anything else as it is."""
    return value.shown() if isinstance(value, Text) else value


#: The operating system's reasons for a failed read or write, in our words (its own are English).
_OS_REASONS = {
    "ENOENT": N_("no such file or folder"),
    "EACCES": N_("permission denied"),
    "EPERM": N_("operation not permitted"),
    "ENOSPC": N_("no space left on the device"),
    "EDQUOT": N_("the disk quota is used up"),
    "EROFS": N_("the file system is read-only"),
    "EISDIR": N_("it is a folder"),
    "ENOTDIR": N_("a part of the path is not a folder"),
    "EEXIST": N_("it exists already"),
    "ENAMETOOLONG": N_("the name is too long"),
    "ELOOP": N_("too many symbolic links"),
    "EIO": N_("an input/output error"),
    "EXDEV": N_("it is on another file system"),
    "EBUSY": N_("the file or folder is in use"),
    "ETXTBSY": N_("the file is in use"),
    "EMFILE": N_("too many open files"),
    "EFBIG": N_("the file is too large"),
}


def os_reason(exc: OSError) -> Text:
    """Why ``exc`` happened, for people: the system's words in English, ours in Danish."""
    import errno as _errno

    english = exc.strerror or str(exc)
    name = _errno.errorcode.get(exc.errno or 0, "")
    template = _OS_REASONS.get(name)
    return Text(english) if template is None else Text.worded(english, template)
