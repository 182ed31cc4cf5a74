"""The global ``--lang`` option: the language is chosen before any text is produced.

``--lang da|en`` may stand anywhere on the command line (``budget --lang da totals``,
``budget totals --lang da``); it is taken out of the arguments before typer parses them, so
every command accepts it and option errors and ``--help`` already speak the chosen language.
Without it, ``BUDGET_LANG``, then the locale decide (see :func:`budget2024.i18n.choose`).

Help texts are written in the code in English (marked for the catalogue) and translated when
the help is shown, as are the few words of click's own help layout ("Usage:", "Options") and the
option errors that the CLI prints in its own style.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

from typer.core import TyperGroup

from . import i18n
from .i18n import N_, _

OPTION = "--lang"
#: The option's help, shown under every command.
HELP = N_("Language of the output for people: da (Danish) or en (English). Default: $BUDGET_LANG, else "
          "the locale (LC_ALL, LC_MESSAGES, LANG), else English. JSON and CSV are the same in both.")


def split(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """The value of ``--lang`` in ``args`` (the last one given; "" when it has no value) and the
    arguments without it. Nothing after ``--`` is looked at."""
    value: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg == OPTION:
            value = args[i + 1] if i + 1 < len(args) and not args[i + 1].startswith("-") else ""
            i += 2 if value else 1
            continue
        if arg.startswith(OPTION + "="):
            value = arg[len(OPTION) + 1:]
        else:
            rest.append(arg)
        i += 1
    return value, rest


def moved_to_end(args: Sequence[str]) -> list[str]:
    """``args`` with ``--lang X`` moved after the command (before any ``--``), so that the fast path
    still sees the command first."""
    value, rest = split(args)
    if value is None:
        return list(args)
    at = rest.index("--") if "--" in rest else len(rest)
    return [*rest[:at], f"{OPTION}={value}", *rest[at:]]


def apply(option: str | None) -> None:
    """Choose the language from the option, BUDGET_LANG or the locale; a bad choice is exit 2."""
    lang = i18n.choose(option) if option != "" else ""
    if lang in i18n.LANGUAGES:
        i18n.set_language(lang)
        return
    fallback = i18n.choose(None) if option is not None else "en"  # speak the user's language if it is known
    i18n.set_language(fallback if fallback in i18n.LANGUAGES else "en")
    if option is not None:
        message = (_("--lang needs a value: da or en") if option == "" else
                   _("unknown language {value!r} for --lang").format(value=option))
    else:
        message = _("unknown language {value!r} in {env}").format(value=lang, env=i18n.ENV_LANG)
    sys.stderr.write(_("budget: error: {message}").format(message=message) + "\n")
    sys.stderr.write("    " + _("hint: {hint}").format(
        hint=_("write --lang da for Danish or --lang en for English")) + "\n")
    sys.exit(2)


class LangGroup(TyperGroup):
    """The app's group: takes ``--lang`` out of the arguments, chooses the language, and shows help in it."""

    def main(self, args: Sequence[str] | None = None, *pargs: Any, **kwargs: Any) -> Any:
        option, rest = split(sys.argv[1:] if args is None else list(args))
        apply(option)
        translate_tree(self)
        return super().main(rest, *pargs, **kwargs)


# ----------------------------------------------------------------------------- help


def _lang_option(command: Any) -> Any:
    """An option ``--lang`` to list in ``command``'s help, made from one of its own options (typer's
    classes differ between releases); None when it has no option to copy. It is never parsed."""
    import contextlib
    import copy

    template = next((p for p in command.params if getattr(p, "param_type_name", "") == "option" and p.opts), None)
    if template is None:
        return None
    option = copy.copy(template)
    option.__dict__.pop("_budget_en_help", None)
    for attr, value in (("opts", [OPTION]), ("secondary_opts", []), ("name", "lang"), ("metavar", "[da|en]"),
                        ("is_flag", False), ("is_bool_flag", False), ("count", False), ("multiple", False),
                        ("nargs", 1), ("default", None), ("show_default", False), ("required", False),
                        ("hidden", False), ("envvar", None), ("show_envvar", False), ("is_eager", False),
                        ("expose_value", False), ("callback", None), ("help", "")):
        with contextlib.suppress(AttributeError):  # a property in another click
            setattr(option, attr, value)
    return option


def translate_tree(command: Any) -> None:
    """Help texts of ``command`` and of its subcommands in the chosen language; each gets ``--lang``
    in its list of options (the option itself never reaches click: see :class:`LangGroup`)."""
    _translate_command(command)
    for sub in getattr(command, "commands", {}).values():
        translate_tree(sub)


def _tr(obj: Any, attr: str) -> None:
    original = getattr(obj, "_budget_en_" + attr, None)
    if original is None:
        original = getattr(obj, attr, None)
        if not isinstance(original, str) or not original:
            return
        setattr(obj, "_budget_en_" + attr, original)
    setattr(obj, attr, _(original))


def _translate_command(command: Any) -> None:
    for attr in ("help", "short_help", "epilog"):
        _tr(command, attr)
    if not any(OPTION in getattr(p, "opts", ()) for p in command.params):
        option = _lang_option(command)
        if option is not None:
            at = next((i for i, p in enumerate(command.params) if "--help" in getattr(p, "opts", ())),
                      len(command.params))
            command.params.insert(at, option)
    for param in command.params:
        if OPTION in getattr(param, "opts", ()):
            param.help = _(HELP)
        else:
            _tr(param, "help")
    if i18n.language() != "en":
        command.context_class = _danish_context(command.context_class)


#: click's own words in a help page, and where they stand.
HELP_WORDS = (
    ("Usage: ", N_("Usage: ")),
    (" [OPTIONS]", N_(" [OPTIONS]")),
    (" COMMAND [ARGS]...", N_(" COMMAND [ARGS]...")),
    ("Options:", N_("Options:")),
    ("Commands:", N_("Commands:")),
    ("Arguments:", N_("Arguments:")),
    ("[default: ", N_("[default: ")),
    ("[required]", N_("[required]")),
    ("[env var: ", N_("[env var: ")),
    ("Show this message and exit.", N_("Show this message and exit.")),
    ("Install completion for the current shell.", N_("Install completion for the current shell.")),
    ("Show completion for the current shell, to copy it or customize the installation.",
     N_("Show completion for the current shell, to copy it or customize the installation.")),
)

_contexts: dict[type, type] = {}


def _danish_context(base: type) -> type:
    """A context class of ``base`` whose help formatter writes click's own words in the chosen language."""
    if getattr(base, "budget_translated", False):
        return base
    if base not in _contexts:
        formatter_base: Any = base.formatter_class  # type: ignore[attr-defined]

        class Formatter(formatter_base):  # type: ignore[misc]
            def getvalue(self) -> str:
                text = str(super().getvalue())
                for english, marked in HELP_WORDS:
                    text = text.replace(english, _(marked))
                return text

        _contexts[base] = type("TranslatedContext", (base,), {"formatter_class": Formatter,
                                                              "budget_translated": True})
    return _contexts[base]


# ----------------------------------------------------------------------------- option errors


_CHOICE = re.compile(r"'(.*)' is not one of (.*)\.")


def usage_message(exc: Any) -> str:
    """An option or argument error of click's, in the chosen language (English: click's own words)."""
    english = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    english = english.replace("Value error, ", "")
    if i18n.language() == "en":
        return str(english)
    name = type(exc).__name__
    raw = str(getattr(exc, "message", "") or "")
    hint = _param_hint(exc)
    if name == "NoSuchOption":
        text = _("no such option: {name}").format(name=getattr(exc, "option_name", ""))
        possible = sorted(getattr(exc, "possibilities", None) or [])
        if possible:
            text += " " + _("(did you mean {options}?)").format(options=", ".join(possible))
        return text
    if name == "MissingParameter":
        param = getattr(exc, "param", None)
        if getattr(param, "param_type_name", "") == "argument":  # named as the help's usage line names it
            metavar = getattr(param, "metavar", None) or str(getattr(param, "name", "")).upper()
            return _("missing argument {name}").format(name=metavar)
        return _("missing {what}").format(what=hint or _("a value"))
    if name == "BadParameter":
        message = raw.replace("Value error, ", "")
        choice = _CHOICE.fullmatch(message)  # click's own Choice (an Enum option), e.g. --fail-on
        if choice:
            message = _("{text!r} is not one of {names}.").format(text=choice[1], names=choice[2])
        return _("invalid value for {what}: {message}").format(what=hint or _("an option"), message=message)
    if name == "BadOptionUsage" and "requires" in raw:
        return _("{option} needs a value").format(option=getattr(exc, "option_name", ""))
    if raw.startswith("Got unexpected extra argument"):
        extra = raw[raw.find("(") + 1: raw.rfind(")")] if "(" in raw else raw
        return _("unexpected extra argument: {args}").format(args=extra)
    if raw.startswith("No such command"):  # "No such command 'x'." and, from click 8.2, "Did you mean 'y'?"
        quoted = re.findall(r"'([^']*)'", raw)
        text = _("no such command: {name}").format(name=quoted[0] if quoted else raw)
        if len(quoted) > 1:
            text += " " + _("(did you mean {options}?)").format(options=", ".join(quoted[1:]))
        return text
    if raw.startswith("Missing command"):
        return _("missing command")
    return str(english)


def _param_hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    if hint:
        return " / ".join(f"'{h}'" for h in hint) if isinstance(hint, list | tuple) else str(hint)
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    try:
        return str(param.get_error_hint(getattr(exc, "ctx", None)))
    except Exception:  # noqa: BLE001 - another click: fall back to the option's name
        opts = getattr(param, "opts", None) or [getattr(param, "name", "")]
        return f"'{opts[0]}'"
